"""Every command that prints results prints JSON with --json, and results name their seed."""

import json
from pathlib import Path

import pytest

from negotiation_sim.cli import main
from negotiation_sim.cli.command import build_parser
from negotiation_sim.ensemble.storage import read_source
from negotiation_sim.model import OUTCOMES
from tests.conftest import SCENARIOS

FAST = ["--runs", "60", "--workers", "1", "--no-progress"]
WAR_COST = "actors.Russia.outside_option.base_cost"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """An ensemble directory and a sweep directory, for the plot command."""
    root = tmp_path_factory.mktemp("results")
    assert main(["run", "ukraine_2022", "--seed", "4", *FAST, "--out", str(root / "runs")]) == 0
    sweep = ["sweep", "ukraine_2022", "--param", f"{WAR_COST}=0:0.2:2", "--seed", "4", *FAST]
    assert main([*sweep, "--out", str(root / "sweep")]) == 0
    return root


def test_a_shipped_name_is_recorded_as_its_file(results):
    shipped = (SCENARIOS / "ukraine_2022.yaml").resolve()
    assert read_source(results / "runs").resolve() == shipped
    about = json.loads((results / "sweep" / "sweep.json").read_text())
    assert Path(about["scenario_file"]).resolve() == shipped


def commands(results):
    figure = str(results / "figure.png")
    return {
        "run": ["run", "ukraine_2022", "--seed", "4"],
        "run --runs": ["run", "ukraine_2022", "--seed", "4", *FAST],
        "compare": [
            "compare",
            "ukraine_2022",
            "ukraine_2022_no_confidence_building",
            "--seed",
            "4",
            *FAST,
        ],
        "sweep": ["sweep", "ukraine_2022", "--param", f"{WAR_COST}=0:0.2:2", "--seed", "4", *FAST],
        "plot outcomes": ["plot", str(results / "runs"), "--kind", "outcomes", "--out", figure],
        "plot terms": ["plot", str(results / "runs"), "--kind", "terms", "--out", figure],
        "plot sensitivity": [
            "plot",
            str(results / "sweep"),
            "--kind",
            "sensitivity",
            "--out",
            figure,
        ],
        "validate": ["validate", "ukraine_2022"],
        "sources": ["sources", "ukraine_2022"],
        "list": ["list"],
    }


SEEDED = [
    "run",
    "run --runs",
    "compare",
    "sweep",
    "plot outcomes",
    "plot terms",
    "plot sensitivity",
]
NAMES = [*SEEDED, "validate", "sources", "list"]


def test_every_command_that_prints_results_offers_json():
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    for name, sub in subparsers.choices.items():
        options = {o for action in sub._actions for o in action.option_strings}
        # schema always prints JSON; dashboard serves a page and prints no results
        assert ("--json" in options) == (name not in ("schema", "dashboard")), name


@pytest.mark.parametrize("name", NAMES)
def test_json_parses_and_results_name_their_seed(name, results, capsys):
    capsys.readouterr()
    assert main([*commands(results)[name], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    if name in SEEDED:
        assert data["seed"] == 4
    if name in {"run --runs", "plot outcomes"}:
        assert list(data["outcomes"]) == list(OUTCOMES) and data["runs"] == 60
    if name == "compare":
        assert [v["difference_from_base"] is None for v in data["variants"]] == [True, False]
    if name in {"sweep", "plot sensitivity"}:
        assert [p["values"][WAR_COST] for p in data["points"]] == [0.0, 0.2]
    if name == "plot terms":
        assert sum(data["terms"]["hotline"].values()) == data["agreements"]


def test_a_single_run_without_a_seed_reports_the_one_it_drew(capsys):
    assert main(["run", "ukraine_2022", "--json"]) == 0
    captured = capsys.readouterr()
    seed = json.loads(captured.out)["seed"]
    assert f"--seed {seed}" in captured.err
    assert main(["run", "ukraine_2022", "--json", "--seed", str(seed)]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(captured.out)
