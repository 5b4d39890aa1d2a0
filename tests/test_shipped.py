"""Scenarios shipped with the package: found by name, listed, and the same as the repo's files."""

import json
from pathlib import Path

import pytest

from negotiation_sim import ScenarioError, load_scenario, shipped_scenarios, simulate
from negotiation_sim.cli import main
from negotiation_sim.scenario.shipped import package_data
from tests.conftest import ROOT, SCENARIOS

REPO_FILES = sorted(SCENARIOS.rglob("*.yaml"))


def test_every_scenario_file_of_the_repository_is_shipped_under_its_name():
    names = {s.name for s in shipped_scenarios()}
    assert names == {p.relative_to(SCENARIOS).with_suffix("").as_posix() for p in REPO_FILES}
    assert {"ukraine_2022", "theory/fearon_crisis"} <= names


def test_the_package_holds_the_one_copy_of_the_repository(tmp_path):
    """In the repository the package reaches scenarios/ and seeds/ through symlinks: one copy."""
    for folder in ("scenarios", "seeds"):
        assert (package_data() / folder).resolve() == (ROOT / folder).resolve()


def test_a_shipped_name_loads_the_same_scenario_as_its_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the name works wherever the user is
    by_name = load_scenario("ukraine_2022")
    by_path = load_scenario(SCENARIOS / "ukraine_2022.yaml")
    assert by_name.name == by_path.name == "Ukraine 2022"
    assert [simulate(by_name, s) for s in range(20)] == [simulate(by_path, s) for s in range(20)]


def test_a_shipped_variant_extends_its_shipped_base(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    variant = load_scenario("ukraine_2022_no_confidence_building")
    assert not variant.space.issues[variant.space.issue_names.index("hotline")].on_table
    assert load_scenario("theory/zeuthen_grid").name == "Zeuthen grid"


def test_a_file_of_the_same_name_wins_over_the_shipped_one(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    text = (SCENARIOS / "textbook_two_party.yaml").read_text()
    Path("ukraine_2022").write_text(text)
    assert load_scenario("ukraine_2022").name == "Textbook buyer and seller"


def test_an_unknown_name_lists_the_shipped_ones(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as error:
        load_scenario("ukraine_2023")
    assert str(error.value).startswith("ukraine_2023: no such file, and no shipped scenario")
    assert all(s.name in str(error.value) for s in shipped_scenarios())


def test_each_shipped_scenario_has_a_one_line_summary_and_its_fact_sheet():
    shipped = {s.name: s for s in shipped_scenarios()}
    ukraine = shipped["ukraine_2022"]
    assert ukraine.title == "Ukraine 2022"
    assert ukraine.summary.startswith("Russia's December demands meet the written US and NATO")
    assert "\n" not in ukraine.summary and ukraine.summary.endswith(".")
    assert ukraine.fact_sheet is not None
    assert ukraine.fact_sheet.name == "axios-2022-01-26-us-nato-answer-putin.md"
    assert "F18" in ukraine.fact_sheet.read_text()
    # a variant inherits the base's source; a theory case cites a paper, not a shipped file
    assert shipped["ukraine_2022_no_confidence_building"].fact_sheet == ukraine.fact_sheet
    assert shipped["theory/fearon_crisis"].fact_sheet is None
    assert all(s.summary for s in shipped.values())


def test_list_prints_each_name_with_its_summary(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(REPO_FILES)
    ukraine = next(line for line in lines if line.startswith("ukraine_2022 "))
    assert "Russia's December demands" in ukraine


def test_list_json(capsys):
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["name"] for row in rows] == [s.name for s in shipped_scenarios()]
    assert {"name", "title", "summary", "path", "fact_sheet"} == set(rows[0])


def test_run_takes_a_shipped_name(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "ukraine_2022", "--seed", "5", "--json"]) == 0
    by_name = json.loads(capsys.readouterr().out)
    assert main(["run", str(SCENARIOS / "ukraine_2022.yaml"), "--seed", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == by_name
