"""The negotiation-sim command as a user meets it: output, JSON, help and clean errors."""

import json
import subprocess
import sys

import pytest

from negotiation_sim.cli import main
from tests.conftest import ROOT, SCENARIOS

UKRAINE = str(SCENARIOS / "ukraine_2022.yaml")


def test_run_prints_a_transcript_and_the_outcome(capsys):
    assert main(["run", UKRAINE, "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "Round 1" in out
    assert (
        "Russia offers: open_door=closed, force_posture=rollback, offensive_weapons=banned" in out
    )
    assert "Outcome: " in out


def test_same_seed_same_output(capsys):
    main(["run", UKRAINE, "--seed", "9"])
    first = capsys.readouterr().out
    main(["run", UKRAINE, "--seed", "9"])
    assert capsys.readouterr().out == first


def test_json_output_matches_the_text_run(capsys):
    main(["run", UKRAINE, "--seed", "5", "--json", "--rounds", "3"])
    data = json.loads(capsys.readouterr().out)
    assert data["deadline"] == 3
    assert 1 <= len(data["rounds"]) <= 3
    assert data["result"]["outcome"] in {
        "agreement",
        "partial_agreement",
        "stalemate",
        "escalation",
    }
    assert data["rounds"][0]["offers"][0]["proposer"] == "Russia"


def test_validate_summarises_a_good_file(capsys):
    assert main(["validate", UKRAINE]) == 0
    assert "valid" in capsys.readouterr().out


def test_bad_file_gives_one_line_and_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (SCENARIOS / "ukraine_2022.yaml").read_text()
    bad.write_text(text.replace("class: Russia", "class: Rusia"))
    for command in (["validate", str(bad)], ["run", str(bad)]):
        proc = subprocess.run(
            [sys.executable, "-m", "negotiation_sim.cli", *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
        assert proc.stdout == ""
        message = proc.stderr.strip()
        assert len(message.splitlines()) == 1
        assert "bad.yaml:" in message and "Rusia" in message and "class" in message


def test_missing_file_is_a_user_error(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["run"], ["validate"]])
def test_help_explains_each_command(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: negotiation-sim" in out
    if command == ["run"]:
        assert "--seed" in out and "--rounds" in out and "--json" in out


def test_version_names_the_installed_release(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"negotiation-sim {version('negotiation-sim')}"


def planted(tmp_path, *changes: tuple[str, str]):
    """The Ukraine file with each ``(old, new)`` change made once, and the changed lines."""
    text = (SCENARIOS / "ukraine_2022.yaml").read_text()
    lines = []
    for old, new in changes:
        assert text.count(old) >= 1
        lines.append(text[: text.index(old)].count("\n") + 1)
        text = text.replace(old, new, 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    return bad, lines


THREE_PROBLEMS = (
    ("class: Russia", "class: Rusia"),  # the actors section: Russia
    ("strategy: boulware            # assumption: thirty", "strategy: bulware  # thirty"),  # NATO
    ("order: [Russia, United States, NATO]", "order: [Russia, United States, NAT0]"),  # protocol
)


def test_validate_reports_every_problem_of_independent_sections(tmp_path):
    bad, lines = planted(tmp_path, *THREE_PROBLEMS)
    proc = subprocess.run(
        [sys.executable, "-m", "negotiation_sim.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr
    head, *located = proc.stderr.splitlines()
    assert head == f"negotiation-sim: error: {bad}: 3 problems"
    assert located == [
        f"{bad}:{lines[0]}: actors.Russia.class: 'Rusia' is not a known actor class "
        "(known: NATO, Negotiator, Russia, UnitedStates)",
        f"{bad}:{lines[1]}: actors.NATO.strategy: 'bulware' is not a known strategy "
        "(known: boulware, conceder, hardliner, linear, rubinstein, time_dependent, "
        "tit_for_tat, zeuthen)",
        f"{bad}:{lines[2]}: protocol.order.2: 'NAT0' is not a known actor "
        "(known: Russia, United States, NATO)",
    ]


def test_validate_reports_every_schema_problem(tmp_path, capsys):
    bad, lines = planted(
        tmp_path,
        ("class: Russia", "class: [Russia]"),
        ("deadline: 30", "deadline: thirty"),
        ("status_quo: open", "status_qo: open"),
    )
    assert main(["validate", str(bad), "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    found = [(p["line"], p["field"]) for p in report["problems"]]
    assert sorted(found) == sorted(
        [
            (lines[0], "actors.Russia.class"),
            (lines[1], "protocol.deadline"),
            (lines[2], "issues.open_door.status_qo"),
        ]
    )


def test_validate_json_summarises_a_good_file(capsys, ukraine):
    assert main(["validate", "ukraine_2022", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["valid"] is True and summary["packages"] == len(ukraine.space)
    assert summary["actors"] == list(ukraine.actor_names)


def test_quiet_and_verbose_set_what_goes_to_stderr(tmp_path, capsys):
    figure = str(tmp_path / "f.png")
    ensemble = ["run", "ukraine_2022", "--runs", "10", "--seed", "1", "--workers", "1"]
    ensemble += ["--plot", figure]

    def outputs(*args: str) -> tuple[str, str]:
        assert main(list(args)) == 0
        captured = capsys.readouterr()
        return captured.out, captured.err

    plain, quiet, verbose = outputs(*ensemble), outputs("-q", *ensemble), outputs(*ensemble, "-v")
    assert plain[0] == quiet[0] == verbose[0]  # the result is the same
    assert plain[1] == f"figure written to {figure}\n"
    assert quiet == (plain[0], "") and quiet[0].startswith("Ukraine 2022: 10 runs")
    assert "10 runs to go in 1 chunks on this process" in verbose[1]
    assert "figure written to" in verbose[1]
    progress = outputs(*ensemble, "--progress", "-q")[1]
    assert "ensemble: 100%" in progress  # asked for, so shown on a pipe despite -q


def test_help_states_the_default_of_every_option_taking_a_value():
    from negotiation_sim.cli.command import build_parser

    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if action.option_strings and action.nargs != 0 and action.default is not None:
                shown = sub._get_formatter()._expand_help(action)
                assert "default" in shown, (name, action.option_strings, shown)
    assert "(default 1000)" in subparsers.choices["compare"].format_help()
    assert "(default 200)" in subparsers.choices["sweep"].format_help()
