"""The Monte Carlo commands as a user meets them: run --runs N, compare, sweep and plot print
their tables, write real figures, repeat exactly, and fail in one line with nothing written."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from negotiation_sim.cli import main
from negotiation_sim.ensemble import load_ensemble, load_sweep, save_sweep
from negotiation_sim.ensemble.storage import SOURCE, read_source
from negotiation_sim.model import OUTCOMES
from tests.conftest import ROOT, SCENARIOS, interrupt_after_chunks, signalled

UKRAINE = str(SCENARIOS / "ukraine_2022.yaml")
WITHOUT_CBM = str(SCENARIOS / "ukraine_2022_no_confidence_building.yaml")
WAR_COST = "actors.Russia.outside_option.base_cost"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OUTCOME_NAMES = [o.replace("_", " ") for o in OUTCOMES]
BACKTEST = "What happened (escalation) had probability"
ONE_WORKER = ["--workers", "1", "--no-progress"]


def cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "negotiation_sim.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def run(capsys, *args: str) -> str:
    """The command in this process; its stdout, after checking it succeeded."""
    assert main(list(args)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def assert_png(path: Path) -> None:
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert path.stat().st_size > 10_000  # a drawn figure, not an empty canvas


@pytest.fixture(scope="module")
def ensemble_dir(tmp_path_factory) -> Path:
    """An ensemble written by `run --out`, shared by the plot tests."""
    out = tmp_path_factory.mktemp("cli") / "ukraine"
    assert (
        main(["run", UKRAINE, "--runs", "80", "--seed", "11", "--out", str(out), *ONE_WORKER]) == 0
    )
    return out


# --- run ---------------------------------------------------------------------------------------


def test_run_many_prints_every_outcome_and_the_backtest_and_repeats(capsys):
    command = ["run", UKRAINE, "--runs", "120", "--seed", "7", *ONE_WORKER]
    first = run(capsys, *command)
    lines = first.splitlines()
    assert lines[0] == "Ukraine 2022: 120 runs, seed 7"
    for name in OUTCOME_NAMES:
        assert any(line.startswith(name) and "%" in line for line in lines), name
    assert lines[-1].startswith(BACKTEST) and "of 120 runs" in lines[-1]
    assert "Round 1" not in first  # no transcript for an ensemble
    assert run(capsys, *command) == first


def test_two_workers_print_the_same_table_as_one(capsys):
    one = run(capsys, "run", UKRAINE, "--runs", "200", "--seed", "3", *ONE_WORKER)
    two = cli("run", UKRAINE, "--runs", "200", "--seed", "3", "--workers", "2")
    assert two.returncode == 0, two.stderr
    assert two.stdout == one
    assert two.stderr == ""  # not a terminal: no progress bar


def test_run_once_keeps_the_transcript_and_plots_its_trajectories(tmp_path, capsys, captured_axes):
    figure = tmp_path / "trajectories.png"
    out = run(capsys, "run", UKRAINE, "--seed", "5", "--plot", str(figure))
    assert "Round 1" in out and "Outcome: " in out
    assert_png(figure)
    assert len(captured_axes) == 1 and captured_axes[0].get_xlabel() == "round"


def test_run_json_gives_the_distribution_and_backtest(capsys):
    data = json.loads(
        run(capsys, "run", UKRAINE, "--runs", "60", "--seed", "2", "--json", *ONE_WORKER)
    )
    assert data["runs"] == 60 and data["seed"] == 2
    assert list(data["outcomes"]) == list(OUTCOMES)
    assert sum(o["count"] for o in data["outcomes"].values()) == 60
    assert sum(o["share"] for o in data["outcomes"].values()) == pytest.approx(1)
    backtest = data["backtest"]
    assert backtest["observed_outcome"] == "escalation"
    assert backtest["probability"] == data["outcomes"]["escalation"]["share"]
    assert backtest["low"] <= backtest["probability"] <= backtest["high"]


def test_run_plot_writes_the_outcome_figure(tmp_path, capsys, captured_axes):
    figure = tmp_path / "outcomes.png"
    run(capsys, "run", UKRAINE, "--runs", "50", "--seed", "1", "--plot", str(figure), *ONE_WORKER)
    assert_png(figure)
    assert len(captured_axes[0].patches) == len(OUTCOMES)  # one bar per outcome


# --- run --out, then plot ------------------------------------------------------------------------


def test_out_records_its_scenario_and_reads_back(ensemble_dir):
    assert read_source(ensemble_dir) == Path(UKRAINE).resolve()
    assert len(load_ensemble(ensemble_dir).runs) == 80


def test_rerunning_a_finished_out_gives_the_same_table(ensemble_dir, capsys):
    again = run(
        capsys,
        "run",
        UKRAINE,
        "--runs",
        "80",
        "--seed",
        "11",
        "--out",
        str(ensemble_dir),
        *ONE_WORKER,
    )
    fresh = run(capsys, "run", UKRAINE, "--runs", "80", "--seed", "11", *ONE_WORKER)
    assert again == fresh


def test_plot_outcomes_and_terms_from_a_directory(ensemble_dir, tmp_path, capsys, captured_axes):
    outcomes, terms = tmp_path / "outcomes.png", tmp_path / "terms.png"
    printed = run(capsys, "plot", str(ensemble_dir), "--kind", "outcomes", "--out", str(outcomes))
    assert BACKTEST in printed
    run(capsys, "plot", str(ensemble_dir), "--kind", "terms", "--out", str(terms))
    assert_png(outcomes)
    assert_png(terms)
    assert len(captured_axes[0].patches) == len(OUTCOMES)
    issues = [t.get_text() for t in captured_axes[1].get_yticklabels()]
    assert issues[0] == "open_door" and len(issues) == 7


def test_plot_terms_needs_the_scenario_when_none_is_recorded(ensemble_dir, tmp_path, capsys):
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in ensemble_dir.iterdir():
        if path.name != SOURCE:
            (copy / path.name).write_bytes(path.read_bytes())
    figure = tmp_path / "terms.png"
    assert main(["plot", str(copy), "--kind", "terms", "--out", str(figure)]) == 2
    assert "--scenario" in capsys.readouterr().err
    assert not figure.exists()
    wrong = ["plot", str(copy), "--kind", "terms", "--out", str(figure)]
    assert main([*wrong, "--scenario", str(SCENARIOS / "textbook_two_party.yaml")]) == 2
    assert "issues" in capsys.readouterr().err and not figure.exists()
    run(capsys, "plot", str(copy), "--kind", "terms", "--out", str(figure), "--scenario", UKRAINE)
    assert_png(figure)


# --- compare and sweep ---------------------------------------------------------------------------


def test_compare_prints_both_labels_and_the_differences(tmp_path, capsys, captured_axes):
    figure = tmp_path / "compare.png"
    out = run(
        capsys,
        "compare",
        UKRAINE,
        WITHOUT_CBM,
        "--runs",
        "100",
        "--seed",
        "4",
        "--plot",
        str(figure),
        *ONE_WORKER,
    )
    assert "[0] Ukraine 2022\n" in out
    assert "[1] Ukraine 2022 without confidence-building proposals" in out
    assert "difference from [0]" in out
    assert any(line.startswith("[1] escalation") for line in out.splitlines())
    assert_png(figure)
    assert len(captured_axes[0].patches) == 2 * len(OUTCOMES)


def test_sweep_one_value_prints_a_row_per_point_and_plots_and_saves(
    tmp_path, capsys, captured_axes
):
    figure, out = tmp_path / "sweep.png", tmp_path / "sweep"
    param = f"{WAR_COST}=0:0.3:3"
    printed = run(
        capsys,
        "sweep",
        UKRAINE,
        "--param",
        param,
        "--runs",
        "40",
        "--seed",
        "6",
        "--plot",
        str(figure),
        "--out",
        str(out),
        *ONE_WORKER,
    )
    lines = printed.splitlines()
    assert lines[0].startswith("Ukraine 2022: 3 grid points, 40 runs each, seed 6")
    assert lines[1].startswith(WAR_COST) and "escalation" in lines[1]
    assert [line.split()[0] for line in lines[2:]] == ["0", "0.15", "0.3"]
    assert_png(figure)
    assert len(captured_axes[0].lines) == len(OUTCOMES)  # one curve per outcome
    table, about = load_sweep(out)
    assert about["paths"] == [WAR_COST] and about["seed"] == 6 and about["runs_per_point"] == 40
    assert list(table[WAR_COST]) == [0.0, 0.15, 0.3]
    again = tmp_path / "again.png"
    assert run(capsys, "plot", str(out), "--kind", "sensitivity", "--out", str(again)) == printed
    assert_png(again)


def test_sweep_two_values_draws_a_heat_map(tmp_path, capsys, captured_axes):
    figure = tmp_path / "heat.png"
    printed = run(
        capsys,
        "sweep",
        UKRAINE,
        "--param",
        f"{WAR_COST}=0:0.3:2",
        "--param",
        "protocol.deadline=24:36:3",
        "--runs",
        "20",
        "--seed",
        "6",
        "--plot",
        str(figure),
        *ONE_WORKER,
    )
    assert len(printed.splitlines()) == 2 + 6
    assert_png(figure)
    ax = captured_axes[0]
    assert len(ax.images) == 1 and ax.images[0].get_array().shape == (3, 2)
    assert ax.get_xlabel() == WAR_COST and ax.get_ylabel() == "protocol.deadline"


def test_saved_sweeps_read_back_exactly(tmp_path):
    awkward = [0.1 + 0.2, 1 / 3]  # floats that need 16 and 17 digits
    table = pd.DataFrame({WAR_COST: awkward, "runs": [5, 5], **{o: awkward for o in OUTCOMES}})
    save_sweep(table, tmp_path, [WAR_COST], seed=1)
    read, about = load_sweep(tmp_path)
    pd.testing.assert_frame_equal(read, table, check_exact=True)
    assert about["seed"] == 1 and sorted(p.name for p in tmp_path.iterdir()) == [
        "sweep.csv",
        "sweep.json",
    ]


def test_plot_sensitivity_of_a_sweep_saved_from_code(tmp_path, capsys):
    """A table saved by save_sweep with nothing but its paths: runs come from the table."""
    table = pd.DataFrame({WAR_COST: [0.0, 0.1], "runs": [30, 30]})
    for outcome in OUTCOMES:
        table[outcome], table[f"{outcome}_low"], table[f"{outcome}_high"] = 0.25, 0.1, 0.4
    save_sweep(table, tmp_path / "sweep", [WAR_COST])
    figure = tmp_path / "sweep.png"
    printed = run(
        capsys, "plot", str(tmp_path / "sweep"), "--kind", "sensitivity", "--out", str(figure)
    )
    lines = printed.splitlines()
    assert lines[0].startswith("sweep: 2 grid points, 30 runs each, common random numbers")
    assert [line.split()[0] for line in lines[2:]] == ["0", "0.1"]
    assert all(line.count("25.0% (10.0%-40.0%)") == len(OUTCOMES) for line in lines[2:])
    assert_png(figure)


# --- what goes wrong -----------------------------------------------------------------------------


def _bad_scenario(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(UKRAINE).read_text().replace("class: Russia", "class: Rusia"))
    return bad


USER_ERRORS = {
    "bad scenario file": (["run", "{bad}", "--runs", "40"], "bad.yaml"),
    "bad --param text": (
        ["sweep", UKRAINE, "--param", "base_cost=0..1", "--runs", "20"],
        "PATH=LO:HI:N",
    ),
    "unknown path": (
        ["sweep", UKRAINE, "--param", "actors.Russia.no_such=0:1:2", "--runs", "20"],
        "no_such",
    ),
    "a path the scenario lacks at the top": (
        ["sweep", UKRAINE, "--param", "nope.x=0:1:2", "--runs", "20"],
        "--param nope.x=0: nope: unknown field 'nope'",  # not at a line of the scenario file
    ),
    "a sweep into an ensemble's directory": (
        ["sweep", UKRAINE, "--param", f"{WAR_COST}=0:0.1:2", "--runs", "20", "--out", "{ensemble}"],
        "holds an ensemble's results, not a sweep's",
    ),
    "three params": (
        ["sweep", UKRAINE, "--param", "a=0:1:2", "--param", "b=0:1:2", "--param", "c=0:1:2"],
        "one or two",
    ),
    "another ensemble in the directory": (
        ["run", UKRAINE, "--runs", "60", "--seed", "11", "--out", "{ensemble}"],
        "another ensemble",
    ),
    "non-existent directory": (
        ["plot", "{tmp}/nowhere", "--kind", "outcomes"],
        "no such directory",
    ),
    "not an ensemble directory": (["plot", "{tmp}", "--kind", "outcomes"], "manifest"),
    "not a sweep directory": (["plot", "{ensemble}", "--kind", "sensitivity"], "sweep"),
    "zero runs": (["run", UKRAINE, "--runs", "0"], "--runs"),
    "runs not a number": (["compare", UKRAINE, WITHOUT_CBM, "--runs", "many"], "whole number"),
    "one file to compare": (["compare", UKRAINE, "--runs", "20"], "two or more"),
    "--out with one run": (["run", UKRAINE, "--out", "{tmp}/d"], "--runs 2 or more"),
    "--workers with --scheduler": (
        ["run", UKRAINE, "--runs", "20", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
        "not allowed",
    ),
    "figure in a missing directory": (
        ["run", UKRAINE, "--runs", "20", "--plot", "{tmp}/no/x.png"],
        "no such directory",
    ),
}


@pytest.mark.parametrize("case", list(USER_ERRORS))
def test_user_errors_are_one_line_exit_2_and_write_nothing(case, tmp_path, ensemble_dir):
    template, expected = USER_ERRORS[case]
    fill = {"bad": _bad_scenario(tmp_path), "tmp": tmp_path, "ensemble": ensemble_dir}
    args = [arg.format(**fill) for arg in template]
    figure = tmp_path / "figure.png"
    args += (
        ["--out", str(figure)]
        if args[0] == "plot"
        else ["--plot", str(figure)]
        if "--plot" not in args
        else []
    )
    before = sorted(ensemble_dir.iterdir())
    proc = cli(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("negotiation-sim: error: ")
    assert expected in proc.stderr
    assert not list(tmp_path.rglob("*.png"))
    assert sorted(ensemble_dir.iterdir()) == before


def test_scheduler_without_dask_names_the_extra(tmp_path):
    script = (
        "import sys; sys.modules['distributed'] = None\n"
        "from negotiation_sim.cli import main\n"
        f"sys.exit(main(['run', {UKRAINE!r}, '--runs', '20', '--scheduler', 'tcp://127.0.0.1:8786',"
        f" '--plot', {str(tmp_path / 'x.png')!r}]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        'negotiation-sim: error: --scheduler needs Dask: pip install "negotiation-sim[distributed]"'
    ]
    assert not (tmp_path / "x.png").exists()


def test_ctrl_c_with_out_says_how_to_resume_and_the_rerun_finishes(tmp_path, monkeypatch, capsys):
    out, figure = tmp_path / "out", tmp_path / "outcomes.png"
    command = [
        "run",
        UKRAINE,
        "--runs",
        "200",
        "--seed",
        "8",
        "--out",
        str(out),
        "--plot",
        str(figure),
        *ONE_WORKER,
    ]
    interrupt_after_chunks(monkeypatch, kept=2)
    assert main(command) == 130
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"negotiation-sim: interrupted; finished chunks are kept in {out}: "
        "rerun the same command to resume\n"
    )
    assert not figure.exists() and not (out / SOURCE).exists()
    assert len(list(out.glob("chunk-*.csv"))) == 2
    monkeypatch.undo()
    resumed = run(capsys, *command)
    assert resumed == run(capsys, "run", UKRAINE, "--runs", "200", "--seed", "8", *ONE_WORKER)
    assert_png(figure)


def test_a_real_sigint_exits_130_with_one_line(tmp_path):
    """Ctrl-C in the second chunk (500 runs, a few seconds), once the first is written: not
    earlier, while numba compiles or loads the kernels, where a KeyboardInterrupt can be lost
    inside numba (it runs Python callbacks from C) and the command then goes on, or fails
    with "no compiled object yet" or "CPUDispatcher(...) returned a result with an exception
    set" (status 1). That window is a few tenths of a second on a run's first calls, wider
    under load."""
    out = tmp_path / "out"
    command = ["run", UKRAINE, "--runs", "4000", "--out", str(out), *ONE_WORKER]
    first = out / "chunk-000000.csv"
    ended = signalled(command, signal.SIGINT, lambda _: first.exists(), after=0.3, timeout=120)
    assert ended.returncode == 130
    assert ended.stdout == ""
    assert ended.stderr.splitlines() == [
        f"negotiation-sim: interrupted; finished chunks are kept in {out}: "
        "rerun the same command to resume"
    ]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("command", ["run", "compare", "sweep", "plot"])
def test_help_explains_every_option(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    expected = {
        "run": [
            "--runs",
            "--workers",
            "--scheduler",
            "--out",
            "--plot",
            "--no-progress",
            "--json",
            "--seed",
        ],
        "compare": ["--runs", "--seed", "--workers", "--plot"],
        "sweep": ["--param", "PATH=LO:HI:N", "--runs", "--plot", "--out"],
        "plot": ["--kind", "outcomes", "terms", "sensitivity", "--out"],
    }[command]
    for option in expected:
        assert option in text


def test_scheduler_runs_on_a_dask_cluster_and_gives_the_same_table(capsys):
    distributed = pytest.importorskip("distributed")
    local = run(capsys, "run", UKRAINE, "--runs", "60", "--seed", "9", *ONE_WORKER)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        on_cluster = run(
            capsys,
            "run",
            UKRAINE,
            "--runs",
            "60",
            "--seed",
            "9",
            "--no-progress",
            "--scheduler",
            cluster.scheduler_address,
        )
    assert on_cluster == local
