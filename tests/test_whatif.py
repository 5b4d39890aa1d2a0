"""What-if comparisons under common random numbers, and sweeps over a grid."""

from pathlib import Path

import pytest

from negotiation_sim.ensemble import RunFailed, compare, format_comparison, parse_grid, sweep
from negotiation_sim.model import OUTCOMES
from negotiation_sim.scenario import load_scenario

UKRAINE = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine_2022.yaml"
COST = "actors.Russia.outside_option.base_cost"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(UKRAINE)


def test_a_variant_built_to_differ_differs_and_the_scenario_matches_itself(scenario):
    comparison = compare(
        {"base": scenario, "costly war": {COST: 0.5}, "same": scenario},
        runs=150,
        seed=4,
        workers=1,
        progress=False,
    )
    assert comparison.labels == ("base", "costly war", "same")
    assert (comparison.ensembles[1].runs[COST] == 0.5).all()  # held, not drawn
    shares = comparison.shares()
    assert shares.loc["escalation", ("costly war", "share")] == 0
    diffs = comparison.differences()
    costly = diffs.loc[("costly war", "escalation")]
    assert (
        costly["high"] < 0 and costly["difference"] == -shares.loc["escalation", ("base", "share")]
    )
    for outcome in OUTCOMES:
        same = diffs.loc[("same", outcome)]
        assert same["difference"] == 0 and same["low"] <= 0 <= same["high"]
    text = format_comparison(comparison)
    assert "[1] costly war" in text and "Newcombe" in text


def test_compare_labels_changes_and_needs_a_base(scenario):
    comparison = compare([scenario, {COST: 0.06}], runs=10, seed=1, workers=1, progress=False)
    assert comparison.labels == ("Ukraine 2022", f"{COST}=0.06")
    with pytest.raises(ValueError, match="first variant"):
        compare([{COST: 0.06}, scenario], runs=10, seed=1, workers=1)
    with pytest.raises(ValueError, match="at least two"):
        compare([scenario], runs=10, seed=1, workers=1)


def test_sweep_returns_one_row_per_grid_point(scenario):
    grid = {COST: [0.0, 0.3], "protocol.deadline": [24, 27, 30]}  # days: 8 to 10 rounds
    table = sweep(scenario, grid, runs_per_point=30, seed=2, workers=2, progress=False)
    assert len(table) == 6
    assert [(row[COST], row["protocol.deadline"]) for _, row in table.iterrows()] == [
        (c, d) for c in grid[COST] for d in grid["protocol.deadline"]
    ]
    assert (table["runs"] == 30).all()
    assert table[list(OUTCOMES)].sum(axis=1).tolist() == pytest.approx([1.0] * 6)
    for outcome in OUTCOMES:
        assert (table[f"{outcome}_low"] <= table[outcome]).all()
        assert (table[outcome] <= table[f"{outcome}_high"]).all()
    cheap, costly = table[table[COST] == 0.0], table[table[COST] == 0.3]
    assert costly["escalation"].max() < cheap["escalation"].min()


def test_a_point_the_draws_cannot_meet_names_the_run(scenario):
    # the 8,500 deploy on a drawn day from 7 to 24: some runs fall after a deadline of 15
    with pytest.raises(RunFailed, match=r"run \d+ \(seed \d+\).*after the deadline \(15 days\)"):
        sweep(scenario, {"protocol.deadline": [15]}, runs_per_point=40, seed=1, workers=2)


def test_sweep_takes_one_or_two_values(scenario):
    with pytest.raises(ValueError, match="one or two"):
        sweep(scenario, {COST: [0.1], "protocol.deadline": [15], "beliefs.noise": [0.1]})


def test_parse_grid():
    assert parse_grid("protocol.deadline=6:12:4") == ("protocol.deadline", [6, 8, 10, 12])
    assert parse_grid(f"{COST}=0:0.2:3") == (COST, [0.0, 0.1, 0.2])
    assert parse_grid("x=1:2:3") == ("x", [1.0, 1.5, 2.0])
    for bad in ("protocol.deadline", "x=1:2", "x=a:2:3", "x=1:2:1", "=1:2:3"):
        with pytest.raises(ValueError):
            parse_grid(bad)
