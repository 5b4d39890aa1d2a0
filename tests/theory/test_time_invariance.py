"""Time has a unit: the same talks cut into rounds of another length give the same outcome
shares, within sampling error (concession curves, hoped-for deals, events and the escalation
hazard are all defined per day, not per round)."""

from __future__ import annotations

from negotiation_sim.ensemble import compare
from negotiation_sim.scenario import load_scenario
from tests.conftest import SCENARIOS


def test_rounds_of_three_or_six_days_give_the_same_escalation_share():
    """2,000 Ukraine runs at each round length under common random numbers: the paired 95%
    interval (Newcombe 1998) of the difference in escalation share contains zero."""
    ukraine = load_scenario(SCENARIOS / "ukraine_2022.yaml")
    assert ukraine.protocol.round_length == 3
    comparison = compare(
        {"3-day rounds": ukraine, "6-day rounds": {"protocol.round_length": 6}},
        runs=2000,
        seed=7,
        progress=False,
    )
    rounds = [e.runs["round"].max() for e in comparison.ensembles]
    assert rounds == [10, 5]  # the same month, cut twice as coarse
    difference = comparison.differences().loc[("6-day rounds", "escalation")]
    assert difference["low"] <= 0.0 <= difference["high"], difference
