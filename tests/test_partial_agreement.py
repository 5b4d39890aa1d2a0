"""Partial agreement, the shape of what the US and NATO put on the table in January 2022
(confidence-building proposals only, [F6]-[F9]), is a reachable outcome: no deal is the
status quo, so a package that moves only arms control, a hotline and transparency can be
worth more than no deal to every party."""

from __future__ import annotations

from negotiation_sim.ensemble import compare
from negotiation_sim.scenario import load_scenario
from tests.conftest import SCENARIOS

ONLY = SCENARIOS / "ukraine_2022_confidence_building_only.yaml"
COST = "actors.Russia.outside_option.base_cost"


def test_with_only_confidence_building_open_and_war_costly_partial_agreement_is_most_likely():
    scenario = load_scenario(ONLY)
    assert all(not i.on_table for i in scenario.space.issues if not i.confidence_building)
    comparison = compare(
        {"as drawn": scenario, "costly war": {COST: 0.3}}, runs=300, seed=3, progress=False
    )
    drawn, costly = (e.outcome_distribution()["share"] for e in comparison.ensembles)
    assert costly.idxmax() == "partial_agreement" and costly["partial_agreement"] > 0.9
    assert drawn["partial_agreement"] > 0  # reachable with the file's own war costs too
    assert drawn["agreement"] == costly["agreement"] == 0  # nothing else can move
    assert costly["escalation"] < drawn["escalation"]  # costlier war, fewer wars
