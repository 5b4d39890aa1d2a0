"""Powell (2006) as a law of the model: a shift in power both sides see coming makes the
declining side strike now, although a bargain exists today, exactly when the shift is
larger than a bound in closed form.

The bound, for the model as it plays scenarios/theory/powell_shift.yaml. Two rounds:
today and after Western deliveries that move the challenger's chance of winning from
``p`` to ``p' < p``. War is a costly lottery over a stake of one, so war now is worth
``W = p - c_A`` to the challenger and ``1 - p - c_B`` to the defender; after the shift
the challenger's war is worth ``W' = p' - c_A``. The most the defender accepts today is
``x* = p + c_B`` (its no-deal value is its war value). A deal ``x`` holds until the shift;
then the defender, now stronger, cannot commit to more than ``W'`` (Powell 2006, p. 180),
so with discount factor ``delta`` the deal lasts ``(1 - delta) x + delta min(x, W')``
(``Russia.lasting``). The challenger fights today iff even ``x*`` lasts less than war:

    p - c_A > (1 - delta)(p + c_B) + delta (p' - c_A)
    <=>  delta (p - p') > (1 - delta)(c_A + c_B),

Powell's condition with the costs as shares of the stake (his eq. for a two-period
shift: the discounted shift exceeds the per-period surplus that peace saves). On a grid
of shares, ``x*`` is the largest grid share at or below ``p + c_B``, which moves the
bound by less than ``(1 - delta) * step / delta``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation_sim.actors import Stream
from negotiation_sim.model import NegotiationModel
from tests.theory import run, share, theory_scenario

P, C_A, C_B = 0.6, 0.12, 0.08  # the file: p = 60000 / (60000 + 40000)
ATTACKER, DEFENDER = 60000.0, 40000.0
WAR = {"border_troops": ATTACKER, "defender_strength": DEFENDER, "base_cost": C_A}


def powell(shift: float, delta: float | None, options: int = 21, **changes):
    """The file with power falling from ``p`` to ``p - shift`` at round 2, on a grid of
    ``options`` shares, the challenger discounting by ``delta`` (None: no look-ahead)."""
    p_next = P - shift
    names = [f"x{k:04d}" for k in range(options)]
    return theory_scenario(
        "powell_shift.yaml",
        {
            "actors.Russia.outside_option": WAR if delta is None else {**WAR, "discount": delta},
            "events.deliveries.changes.defender_strength": ATTACKER / p_next - ATTACKER - DEFENDER,
            "issues.share.options": names,
            "issues.share.status_quo": names[0],
            "actors.Russia.ideals": {"share": names[-1]},
            "actors.West.ideals": {"share": names[0]},
            **changes,
        },
    )


def bound(delta: float) -> float:
    """The closed-form shift above which the challenger fights now."""
    return (1 - delta) * (C_A + C_B) / delta


def strikes_now(scenario) -> bool:
    result = run(scenario)
    return result.outcome == "escalation" and result.round == 1


def test_the_file_is_the_war_case():
    """The shipped numbers: a shift of 0.0286 against a bound of 0.0222 (delta = 0.9)."""
    shipped = theory_scenario("powell_shift.yaml")
    delta = shipped.actor("Russia").outside_option.discount
    assert bound(delta) < P - ATTACKER / (ATTACKER + DEFENDER + 5000)
    assert strikes_now(shipped)


@pytest.mark.parametrize("delta", [0.5, 0.8, 0.9, 0.95])
@pytest.mark.parametrize("factor", [0.5, 0.97, 1.03, 2.0])
def test_war_exactly_when_the_shift_exceeds_the_bound(delta, factor):
    """On a grid of 1001 shares the grid moves the bound by at most 0.5 % of it, so 3 % on
    either side of it decides."""
    shift = factor * bound(delta)
    assert shift < P - C_A  # p' stays a chance
    result = run(powell(shift, delta, options=1001))
    if factor > 1:
        assert (result.outcome, result.round) == ("escalation", 1)
    else:  # peace: after the shift the bargain is struck
        assert result.outcome == "agreement"


@settings(max_examples=60, deadline=None)
@given(
    delta=st.floats(0.3, 0.97),
    shift=st.floats(0.0, 0.3),
)
def test_war_exactly_when_the_best_deal_lasts_less_than_war(delta, shift):
    """Grid-free form: with ``x*`` the largest grid share the defender accepts, war now iff
    ``p - c_A > (1 - delta) x* + delta min(x*, p' - c_A)`` (away from the tie)."""
    scenario = powell(shift, delta)
    west = scenario.actor("West").preferences.reservation
    shares = scenario.space.issues[0].positions
    x_star = float(shares[1 - shares >= west - 1e-12].max())
    lasts = (1 - delta) * x_star + delta * min(x_star, P - shift - C_A)
    if math.isclose(lasts, P - C_A, abs_tol=1e-9):
        return
    assert strikes_now(scenario) == (lasts < P - C_A)


def test_without_a_look_ahead_the_bargain_is_struck():
    """Fearon (1995) without the commitment problem: a myopic challenger, however large the
    shift, does not fight while a bargain exists today."""
    assert not strikes_now(powell(4 * bound(0.9), None))
    assert not strikes_now(powell(4 * bound(0.9), 0.9, **{"events.deliveries.round": 1}))


def test_a_shift_in_its_favour_never_makes_it_strike():
    """The commitment problem is the declining side's: a challenger growing stronger waits."""
    assert not strikes_now(powell(-0.2, 0.9))


def test_with_no_shift_ahead_the_discount_changes_nothing():
    """The Fearon crisis with a discount and no scheduled event plays exactly as without."""
    plain = theory_scenario("fearon_crisis.yaml")
    patient = theory_scenario("fearon_crisis.yaml", {"actors.Russia.outside_option.discount": 0.5})
    runs = [NegotiationModel(s, rng=0) for s in (plain, patient)]
    results = [m.run() for m in runs]
    assert results[0] == results[1]
    assert [r.offers for r in runs[0].transcript] == [r.offers for r in runs[1].transcript]
    assert share(plain, results[0].package) > P - C_A


@settings(max_examples=200, deadline=None)
@given(
    wars=st.lists(st.floats(-0.5, 1.0), min_size=1, max_size=4),
    cuts=st.lists(st.floats(0.01, 0.99), min_size=4, max_size=4),
    worth=st.floats(-0.5, 1.5),
)
def test_deal_equivalent_inverts_lasting(wars, cuts, worth):
    """Several shifts ahead: ``deal_equivalent`` is the inverse of ``lasting``."""
    later = np.cumprod(cuts)[: len(wars)]  # delta ** time to each shift: below 1, falling
    stream = Stream(later - np.append(later[1:], 0.0), np.array(wars))
    assert stream.deal_equivalent(stream.lasting(worth)) == pytest.approx(worth, abs=1e-9)
    assert stream.lasting(worth) <= worth
