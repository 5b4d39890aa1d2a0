"""``negotiation-sim sensitivity`` as a user meets it: a ranked table, JSON, a figure, a resumable
directory, and user errors in one line with nothing written."""

import json
import subprocess
import sys

import matplotlib
import pytest

matplotlib.use("Agg")

from negotiation_sim.cli import main
from negotiation_sim.ensemble.storage import load_ensemble
from tests.conftest import ROOT, SCENARIOS, interrupt_after_chunks

UKRAINE = str(SCENARIOS / "ukraine_2022.yaml")
SMALL = ["--runs", "200", "--seed", "4", "--workers", "1", "--no-progress"]  # 16 x 11 runs


def run(capsys, *args: str) -> str:
    assert main(list(args)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_prints_the_ranked_values_and_draws_both_panels(tmp_path, capsys, captured_axes):
    figure = tmp_path / "sensitivity.png"
    text = run(capsys, "sensitivity", UKRAINE, *SMALL, "--plot", str(figure))
    lines = text.splitlines()
    assert lines[0] == (
        "Ukraine 2022: what drives escalation (Sobol: 176 runs, 16 base samples of 11, seed 4)"
    )
    assert "The uncertain values explain" in lines[1]
    ranks = [line.split()[0] for line in lines[3:]]
    assert sorted(ranks) == ["-", *map(str, range(1, 9))]  # eight values and the seed
    assert figure.read_bytes()[:4] == b"\x89PNG"
    (chart,) = captured_axes
    titles = [ax.get_title() for ax in chart.figure.axes]
    assert any("what drives escalation" in t for t in titles)
    assert any("over the top two values" in t for t in titles)
    assert run(capsys, "sensitivity", UKRAINE, *SMALL) == text  # same seed, same table
    two = [*SMALL[:-3], "--workers", "2", "--no-progress"]
    assert run(capsys, "sensitivity", UKRAINE, *two) == text


def test_json_holds_every_output_and_a_utility_ranks_alone(tmp_path, capsys, captured_axes):
    figure = tmp_path / "russia.png"
    args = ["sensitivity", UKRAINE, *SMALL, "--method", "morris", "--outcome", "utility_Russia"]
    plain = json.loads(run(capsys, *args, "--json", "--plot", str(figure)))
    assert (plain["method"], plain["outcome"], plain["runs"]) == ("morris", "utility_Russia", 200)
    assert "escalation" in plain["outputs"] and plain["outputs"]["escalation"]["explained"] is None
    assert plain["outputs"]["utility_Russia"]["indices"][0]["mu_star"] > 0
    (chart,) = captured_axes
    assert len(chart.figure.axes) == 1  # a utility has no outcome share to map


def test_extra_values_join_and_out_resumes_after_ctrl_c(tmp_path, capsys, monkeypatch):
    out = tmp_path / "runs"
    command = ["sensitivity", UKRAINE, *SMALL, "--extra", "actors.NATO.no_deal_adjustment=-0.1:0.1"]
    command += ["--out", str(out)]
    interrupt_after_chunks(monkeypatch, kept=1)
    assert main(command) == 130
    assert "rerun the same command to resume" in capsys.readouterr().err
    monkeypatch.undo()
    resumed = run(capsys, *command)
    assert "actors.NATO.no_deal_adjustment" in resumed
    assert resumed == run(capsys, *command[:-2])  # the same table without the directory
    assert len(load_ensemble(out).runs) == 16 * 12


USER_ERRORS = {
    "unknown outcome": (["--outcome", "war"], "unknown outcome 'war'"),
    "too few runs": (["--runs", "50"], "needs at least 88 runs, got 50 (8 values and the seed)"),
    "bad --extra text": (["--extra", "protocol.deadline"], "PATH=LO:HI"),
    "extra already drawn": (["--extra", "beliefs.noise=0:0.3"], "already uncertain"),
    "extra unknown path": (["--extra", "protocol.deadlin=5:9"], "unknown field 'deadlin'"),
    "extra twice": (
        [
            "--extra",
            "actors.NATO.no_deal_adjustment=-0.1:0.1",
            "--extra",
            "actors.NATO.no_deal_adjustment=0:0.2",
        ],
        "a different path",
    ),
    "unknown method": (["--method", "fast"], "invalid choice"),
}


@pytest.mark.parametrize("case", list(USER_ERRORS))
def test_user_errors_are_one_line_exit_2_and_write_nothing(case, tmp_path):
    options, expected = USER_ERRORS[case]
    figure = tmp_path / "figure.png"
    proc = subprocess.run(
        [
            *[sys.executable, "-m", "negotiation_sim.cli", "sensitivity", UKRAINE, "--runs", "200"],
            *options,
            *["--plot", str(figure), "--out", str(tmp_path / "runs")],
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("negotiation-sim: error: ") and expected in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_without_salib_the_error_names_the_extra(tmp_path):
    script = (
        "import sys; sys.modules['SALib'] = None\n"
        "from negotiation_sim.cli import main\n"
        f"sys.exit(main(['sensitivity', {UKRAINE!r}, '--plot', {str(tmp_path / 'x.png')!r}]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "negotiation-sim: error: sensitivity analysis needs SALib: "
        'pip install "negotiation-sim[sensitivity]"'
    ]
    assert list(tmp_path.iterdir()) == []


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["sensitivity", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--method", "--runs", "--outcome", "--extra", "--out", "--plot", "--json"):
        assert option in text
    assert "seed" in text and "SALib" in text
