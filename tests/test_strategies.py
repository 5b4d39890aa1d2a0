"""One test class per strategy, stating the behaviour its source describes."""

import math
from dataclasses import dataclass, field

import pytest

from negotiation_sim.strategies import (
    STRATEGIES,
    Boulware,
    Conceder,
    Hardliner,
    Linear,
    RelativeTitForTat,
    Strategy,
)


@dataclass
class Me:
    """A stand-in negotiator: best 1.0, floor 0.4, no offers received yet."""

    best: float = 1.0
    floor: float = 0.4
    reservation: float = 0.4
    target: float = 1.0
    in_hand: float = 0.0
    best_deal: int | None = None  # no package it believes all would accept
    best_deal_worth: float = -math.inf
    received: dict = field(default_factory=dict)

    def offer_at(self, target):
        return round(target * 100)


TIMES = [0.0, 0.25, 0.5, 0.75, 1.0]


class TestTimeDependent:
    """Faratin et al. (1998): from best at t=0 to the floor at the deadline;
    Boulware above linear above conceder in between."""

    @pytest.mark.parametrize("cls", [Boulware, Linear, Conceder])
    def test_starts_at_best_and_ends_at_floor(self, cls):
        me = Me()
        assert cls().target(me, 0.0) == pytest.approx(me.best)
        assert cls().target(me, 1.0) == pytest.approx(me.floor)

    @pytest.mark.parametrize("cls", [Boulware, Linear, Conceder])
    def test_never_raises_its_target(self, cls):
        targets = [cls().target(Me(), t) for t in TIMES]
        assert targets == sorted(targets, reverse=True)

    def test_linear_concedes_evenly(self):
        assert Linear().target(Me(), 0.5) == pytest.approx(0.7)

    @pytest.mark.parametrize("t", [0.25, 0.5, 0.75])
    def test_boulware_holds_out_and_conceder_gives_early(self, t):
        me = Me()
        assert Boulware().target(me, t) > Linear().target(me, t) > Conceder().target(me, t)

    def test_exponents_must_match_the_family(self):
        with pytest.raises(ValueError):
            Boulware(exponent=2.0)
        with pytest.raises(ValueError):
            Conceder(exponent=0.5)


class TestRelativeTitForTat:
    """Faratin et al. (1998) relative tit-for-tat: concede in the proportion the others did."""

    def test_holds_its_target_until_the_others_have_conceded_twice(self):
        """In the first rounds there is no concession to mirror: it keeps its target, which
        starts at its best (time is never 0 at a decision: t = round / deadline)."""
        assert RelativeTitForTat().target(Me(target=0.5), 0.1) == 0.5
        assert RelativeTitForTat().target(Me(target=0.5, received={"B": [0.3]}), 0.2) == 0.5

    def test_mirrors_the_others_concession_ratio(self):
        # the other's offers went from 0.4 to 0.5 in my utility: ratio 0.8, so 0.9 -> 0.72
        me = Me(target=0.9, received={"B": [0.4, 0.5]})
        assert RelativeTitForTat().target(me, 0.5) == pytest.approx(0.72)

    def test_does_not_concede_when_the_others_do_not(self):
        me = Me(target=0.9, received={"B": [0.5, 0.5], "C": [0.3]})
        assert RelativeTitForTat().target(me, 0.5) == pytest.approx(0.9)

    def test_never_goes_below_its_floor(self):
        me = Me(target=0.5, received={"B": [0.1, 0.9]})
        assert RelativeTitForTat().target(me, 0.5) == pytest.approx(me.floor)


class TestHardliner:
    """Schelling (1960) commitment: the same demand every round, accepts nothing less."""

    def test_target_never_moves(self):
        assert {Hardliner().target(Me(), t) for t in TIMES} == {1.0}

    def test_accepts_only_at_its_aspiration(self):
        me = Me(target=Hardliner(aspiration=0.9).target(Me(), 0.5))
        assert Hardliner().accepts(me, 0.95)
        assert not Hardliner().accepts(me, 0.85)


def test_acceptance_requires_target_and_floor():
    me = Me(target=0.3, floor=0.4)
    assert not Strategy().accepts(me, 0.35)
    assert Strategy().accepts(me, 0.45)


def test_offer_comes_from_the_target():
    me = Me(target=0.55)
    assert Linear().offer(me) == 55


def test_never_offers_less_than_it_already_holds():
    me = Me(target=0.45, in_hand=0.6)
    assert Linear().offer(me) == 60


def test_user_strategy_registers_without_editing_the_library():
    @STRATEGIES.register("test_fold_at_end")
    class FoldAtEnd(Strategy):
        def target(self, me, t):
            return me.best if t < 0.9 else me.floor

    assert STRATEGIES.get("test_fold_at_end") is FoldAtEnd
    with pytest.raises(ValueError, match="already registered"):
        STRATEGIES.register("test_fold_at_end")(Linear)
    with pytest.raises(KeyError, match=r"known: .*boulware"):
        STRATEGIES.get("no_such_strategy")
