"""Confidential replies that leak (article [F11], [F19]): when it happens and what
publicity changes, for every party and for Russia's war option."""

import dataclasses
from collections import Counter

import pytest

from negotiation_sim.engine import simulate
from negotiation_sim.model import LEAK_EVENT, NegotiationModel
from negotiation_sim.scenario.types import Leak


def with_leak(scenario, **leak):
    protocol = dataclasses.replace(scenario.protocol, leak=Leak(**leak) if leak else None)
    return dataclasses.replace(scenario, protocol=protocol)


def finished(scenario, seed):
    model = NegotiationModel(scenario, rng=seed)
    model.run()
    return model


def leak_rounds(model):
    return [r.round for r in model.transcript if LEAK_EVENT in r.events]


def test_the_ukraine_replies_may_leak(ukraine):
    leak = ukraine.protocol.leak
    assert leak is not None and leak.round >= 1
    assert leak.audience_cost > 0 and leak.pretext > 0


def test_no_leak_without_one_in_the_protocol(ukraine):
    model = finished(with_leak(ukraine), 3)
    assert not model.leaked and leak_rounds(model) == []


@pytest.mark.parametrize("round_", [1, 3])
def test_the_replies_leak_once_in_their_round(ukraine, round_):
    lasting = (finished(with_leak(ukraine, round=round_), seed) for seed in range(50))
    model = next((m for m in lasting if m.result.round >= round_), None)
    assert model is not None, "no run of 50 lasted to the leak round"
    assert leak_rounds(model) == [round_]
    leaked = model.datacollector.get_model_vars_dataframe()["leaked"].tolist()
    assert leaked == [False] * round_ + [True] * (len(leaked) - round_)


def test_a_leak_after_the_deadline_never_happens(ukraine):
    model = finished(with_leak(ukraine, round=ukraine.protocol.deadline + 1), 5)
    assert leak_rounds(model) == []


def test_publicity_raises_floors_and_cheapens_russias_war(ukraine):
    quiet = NegotiationModel(with_leak(ukraine), rng=1)
    public = NegotiationModel(with_leak(ukraine, round=1, audience_cost=0.05, pretext=0.02), rng=1)
    quiet.step(), public.step()
    for name, actor in public.negotiators.items():
        before = quiet.negotiators[name]
        assert actor.audience_cost == 0.05 and before.audience_cost == 0.0
        if name != "Russia":  # its floor also moves with the cheaper war
            # any deal now costs 0.05 at home: it needs 0.05 more than no deal
            assert actor.floor == pytest.approx(max(before.floor, actor.reservation + 0.05))
    war_before = quiet.negotiators["Russia"].war
    war_after = public.negotiators["Russia"].war
    assert war_after.base_cost == pytest.approx(war_before.base_cost - 0.02)


def test_the_pretext_never_makes_war_cost_negative(ukraine):
    cost = ukraine.actor("Russia").outside_option.base_cost
    model = NegotiationModel(with_leak(ukraine, round=1, pretext=cost + 1), rng=2)
    model.step()
    assert model.negotiators["Russia"].war.base_cost == 0.0


def test_a_public_rejection_makes_escalation_more_likely(ukraine):
    def escalations(scenario):
        return Counter(simulate(scenario, seed).outcome for seed in range(300))["escalation"]

    quiet = escalations(with_leak(ukraine))
    public = escalations(with_leak(ukraine, round=1, audience_cost=0.03, pretext=0.02))
    assert public > quiet
