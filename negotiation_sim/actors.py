"""The negotiating parties: a generic ``Negotiator`` and the actors of the Ukraine 2022 case.

Data (weights, red lines, forces) comes from the scenario file; what an actor
*does* with it lives here. Every actor precomputes, once per run, its utility
of every package and a ranking of the packages it may offer, so that a round
costs a binary search per actor rather than a pass over the outcome space.
"""

from __future__ import annotations

import dataclasses
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import compress
from typing import TYPE_CHECKING, cast

import mesa
import numpy as np

from negotiation_sim import kernels
from negotiation_sim.beliefs import (
    TREMBLE,
    Move,
    TypeBelief,
    draw_types,
    estimate,
    kept_lines,
    move_likelihood,
)
from negotiation_sim.deferred import Deferred
from negotiation_sim.identity_cache import IdentityCache, KeptFor
from negotiation_sim.issues import OutcomeSpace
from negotiation_sim.outside_option import WarOption
from negotiation_sim.preferences import Preferences
from negotiation_sim.registry import Registry
from negotiation_sim.signals import deterrence_worth, signal_likelihood, sinks_costs, ties_hands
from negotiation_sim.strategies import STRATEGIES
from negotiation_sim.sums import weighted_rows, weighted_total

if TYPE_CHECKING:
    from negotiation_sim.model import NegotiationModel
    from negotiation_sim.scenario.types import ActorSpec, Event, Leak


@dataclass(frozen=True)
class Ranking:
    """What an actor's offers rest on that depends only on its own utilities and the red
    lines of its side: the packages it may offer, best first.

    The agent model reads single packages from Python tuples, which are made on first use:
    on a large space they cost more than the ranking, and the batch engine reads arrays."""

    allowed: np.ndarray  # the packages its and its partners' red lines allow (read-only)
    utilities: np.ndarray  # its utility of every package (read-only)
    order: np.ndarray  # the allowed packages by its utility, best first (stable on ties)

    @cached_property
    def allowed_list(self) -> tuple[bool, ...]:
        return tuple(self.allowed.tolist())

    @cached_property
    def utility_list(self) -> tuple[float, ...]:
        return tuple(self.utilities.tolist())

    @cached_property
    def neg_sorted(self) -> np.ndarray:
        """Minus its utility along ``order`` (ascending), to search for a target in."""
        return -self.utilities[self.order]

    @cached_property
    def neg_sorted_utilities(self) -> tuple[float, ...]:
        return tuple(self.neg_sorted.tolist())

    @property
    def lowest(self) -> float:
        """Its utility of the worst package it may offer."""
        return float(self.utilities[self.order[-1]])

    def best(self, opening: int | None) -> float:
        """Where its concessions start: its best package's worth, or its opening's if less
        (a written position caps what it asks for later)."""
        best = float(self.utilities[self.order[0]])
        return best if opening is None else min(best, float(self.utilities[opening]))


_RANKINGS = IdentityCache()


def rank(
    space: OutcomeSpace,
    utilities: np.ndarray,
    side: Sequence[Preferences],
    allowed: Sequence[np.ndarray],
) -> Ranking:
    """The ranking of an actor with ``utilities`` whose side (itself, then its coalition
    partners) has preferences ``side`` and allows packages ``allowed``; shared with every
    run whose preferences for its side are the same objects (an ensemble's draws leave
    most actors untouched)."""
    sources = (space, *side)
    found = _RANKINGS.get(*sources)
    if found is None:
        mask = allowed[0].copy()
        for partner in allowed[1:]:
            mask &= partner
        everything = ranked(utilities)[0]
        order = everything[mask[everything]]  # as a stable sort of the allowed ones alone
        mask.setflags(write=False)  # shared by every run that finds it here
        order.setflags(write=False)
        found = _RANKINGS.put(sources, Ranking(mask, utilities, order))
    return cast(Ranking, found)


def concession_table(
    order: np.ndarray, utilities: np.ndarray, allowed: np.ndarray, floors: Sequence[float]
) -> tuple[np.ndarray, int | None]:
    """An actor's concession table and best deal (see ``Negotiator``), from its estimate of
    each other party's utilities and allowed packages along its ``order`` (a row per party)
    and its belief of their ``floors``: for each count of its best packages, the one among
    them whose worst-off other party gains most over its floor; and the first package of
    ``order`` every other party accepts (None if there is none). ``kernels.concession_table``
    if ``kernels.COMPILED``."""
    if kernels.COMPILED:
        table = np.empty(len(order), dtype=order.dtype)
        first = kernels.concession_table(
            order, utilities, allowed, np.asarray(floors, dtype=float), table
        )
        return table, None if first < 0 else int(order[first])
    acceptable = np.ones(len(order), dtype=bool)
    gains = np.full(len(order), np.inf)
    for believed, allows, floor in zip(utilities, allowed, floors, strict=True):
        acceptable &= allows & (believed >= floor)
        np.minimum(gains, believed - floor, out=gains)
    first = int(np.argmax(acceptable))
    return _running_argmax(order, gains), int(order[first]) if acceptable[first] else None


def rows(arrays: Sequence[np.ndarray], order: np.ndarray, dtype: type) -> np.ndarray:
    """``arrays`` along ``order`` (each one's entries at those positions) as the rows of one
    array (none: zero rows). Each array's gather is assigned to its row: that copies less
    than stacking the whole arrays first, and is faster than ``take`` with ``out=``, which
    buffers its output."""
    found: np.ndarray = np.empty((len(arrays), len(order)), dtype)
    for k, array in enumerate(arrays):
        found[k] = array[order]
    return found


def believed_utilities(
    belief: Preferences, truth: Preferences, utilities: np.ndarray, space: OutcomeSpace
) -> np.ndarray:
    """Every package's utility to an actor with preferences ``truth`` and ``utilities``, as
    ``belief`` of it has them (the truth itself, unless the belief is an estimate)."""
    return utilities if belief is truth else belief.utilities(space.packages)


def believed_allowed(
    belief: Preferences, truth: Preferences, allowed: np.ndarray, space: OutcomeSpace
) -> np.ndarray:
    """The packages ``belief`` of an actor with preferences ``truth`` takes it to allow (its
    true ``allowed``, unless the belief is an estimate: then those that cross none of the red
    lines it kept)."""
    if belief is truth:
        return allowed
    return _allowed_by(space, truth, kept_lines(belief, truth))


_ALLOWED_BY = IdentityCache(size=64)  # as many as the red lines' kept patterns, within reason


def _allowed_by(space: OutcomeSpace, truth: Preferences, kept: np.ndarray) -> np.ndarray:
    """The packages that cross none of ``truth``'s red lines that ``kept`` marks (read-only:
    shared by every run of the same space and kept red lines, which is all it reads)."""
    lines = tuple(compress(truth.red_lines, kept))
    found = _ALLOWED_BY.get(space, *lines)
    if found is None:
        found = ~_crossed(space, truth)[:, kept].any(axis=1)
        found.setflags(write=False)
        _ALLOWED_BY.put((space, *lines), found)
    return found


def signs(worth: float | np.ndarray, floor: float | np.ndarray) -> bool | np.ndarray:
    """Whether a proposer signs its proposal, worth ``worth`` to it, once all others accept:
    not below its floor (Fearon 1995: no bargain worth less than the alternative), so a
    proposer left with nothing above its floor offers its best but keeps out. The agent
    model asks it per offer (``Negotiator.would_sign``), the batch engine for arrays."""
    return worth >= floor


def settlement_floor(alternative: float, audience_cost: float, lowest: float) -> float:
    """The least an actor settles for: its alternative to a deal (today's worth of the better
    of no deal and its outside option) plus the audience cost of a deal, and never below the
    worst package it may offer."""
    return max(alternative + audience_cost, lowest)


class Negotiator(mesa.Agent):
    """A party with preferences, red lines, a strategy and noisy beliefs about the others.

    What it knows of each other party: its preferences (exactly, for a coalition
    partner; else a noisy estimate, see ``beliefs``) and so its floor, the least that
    party accepts: the better of its no-deal value and, for a party with an outside
    option, its value of war as seen from outside (Fearon 1995: no state accepts a
    bargain worth less to it than war), plus the audience cost of a deal once the
    talks are public. From these it keeps, per run and after every public event,

    * its *best deal*: the package it values most among those its own (and its
      partners') red lines allow and that it believes every other party would
      accept (their red lines as it knows them, and their floors), and
    * for each level of its own utility, the allowed package at or above it whose
      worst-off other party gains most over its floor (egalitarian, since
      agreement needs every party; ties go to the package it values more).

    The strategy chooses between them (``Strategy.offer``). An actor that opened with
    a written position never asks for more than that opening afterwards: its
    concession curve starts from the opening's worth to it.
    """

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, spec: ActorSpec) -> None:
        super().__init__(model)
        self.name = spec.name
        self.spec = spec
        self.preferences: Preferences = spec.preferences
        self.reservation = spec.preferences.reservation
        self.coalition = spec.coalition
        self.strategy = STRATEGIES.get(spec.strategy.name)(**spec.strategy.params)
        self.utilities: np.ndarray = model.true_utilities[self.name]
        self.received: dict[str, list[float]] = {}
        self.offers_received: dict[str, list[int]] = {}
        self.offer: int | None = None
        self.audience_cost = 0.0  # what any agreement costs it at home once talks are public
        self.beliefs: dict[str, Preferences] = {}
        self.believed_utilities: Deferred[np.ndarray] = Deferred()  # per other actor, all packages
        self.best_deal: int | None = None
        self.best_deal_worth = -math.inf
        self.believed_floors: dict[str, float] = {}  # per other actor, set by reassess
        self.types: dict[str, TypeBelief] = {}  # per non-partner, its belief over private values
        self._most: dict[str, np.ndarray] = {}  # see _most_by_type
        self._most_read = 0  # how many times it has re-read the partners' red lines for it
        self._most_offered: dict[str, float] = {}  # see most_offered

    # -- set-up, once per run -------------------------------------------------

    def prepare(self, others: list[Negotiator]) -> None:
        """Form beliefs about the others and rank the packages this actor may offer."""
        model, rng = self.model, self.rng
        space, allowed, noise = model.space, model.allowed, model.negotiation.beliefs
        partners = [o for o in others if self.is_partner(o)]
        strangers = [o for o in others if not self.is_partner(o)]
        ranking = rank(
            space,
            self.utilities,
            [self.preferences, *(p.preferences for p in partners)],
            [allowed[self.name], *(allowed[p.name] for p in partners)],
        )
        self.allowed = ranking.allowed
        self._allowed = ranking.allowed_list
        self._u = ranking.utility_list
        self.received = {o.name: [] for o in others}
        self._latest: dict[str, float] = {}
        self.offers_received = {o.name: [] for o in others}
        estimates = {o.name: estimate(o.preferences, noise, rng) for o in strangers}
        self.beliefs = {o.name: estimates.get(o.name, o.preferences) for o in others}
        self._by_name = {o.name: o for o in others}
        self._firm = {  # the red lines it takes for firm, as its estimate drew them
            o.name: kept_lines(estimates[o.name], o.preferences) for o in strangers
        }
        self._believed_allowed = {o.name: self._believed_allowed_of(o) for o in others}
        war_errors = {  # its error in reading another's value of war, drawn once
            o.name: 0.0 if noise.exact else rng.normal(0.0, noise.noise)
            for o in strangers
            if o.has_outside_option
        }
        self.types = {
            o.name: draw_types(
                estimates[o.name], self._firm[o.name], war_errors.get(o.name, 0.0), noise, rng
            )
            for o in strangers
        }
        self._learning = {name: belief for name, belief in self.types.items() if belief.learns}
        self._option_values = {  # every option's value by its estimate, issue after issue
            name: np.concatenate(estimates[name].values) for name in self._learning
        }
        self._codes = _option_codes(space)  # where each package's options lie in those
        self._salience: dict[str, np.ndarray | None] = dict.fromkeys(self._learning)
        fixed = {  # the others' come from the salience weights learned: _learn_saliences
            o.name: self._believed_utilities(o)
            for o in others
            if o.name not in self._learning or self._learning[o.name].saliences is None
        }
        self.believed_utilities = Deferred(fixed)
        self._order = order = ranking.order
        self._row = {o.name: k for k, o in enumerate(others)}
        # a row per other actor, in its own order: what every reassessment reads (and what
        # learning rewrites in place)
        self._believed_rows = np.empty((len(others), len(order)))
        for name, utilities in fixed.items():
            self._believed_rows[self._row[name]] = utilities[order]
        codes_along = _codes_along(self._codes, order)
        self._option_values_along = {  # per issue and package along its order, their values:
            # what learning reads
            name: values[codes_along]
            for name, values in self._option_values.items()
            if name not in fixed
        }
        self._learn_saliences(self._learning)
        self._crossed = {
            name: _crossed(space, self._by_name[name].preferences) for name in self._learning
        }
        self.others = others
        self._floors: list[float] | None = None
        self._neg_sorted_u = ranking.neg_sorted_utilities
        self._allowed_rows = rows([self._believed_allowed[o.name] for o in others], order, bool)
        self.best = ranking.best(self.spec.opening)
        self._lowest = ranking.lowest
        self.target = self.best
        self.update_floor()
        # as the first reassessment would: it then finds nothing moved
        self._learn_red_lines(self._learning)
        self._read = {name: belief.weights for name, belief in self._learning.items()}

    def reassess(self) -> None:
        """Read the others' floors again (at set-up and after public events: a deployment
        changes Russia's war value, a leak everyone's audience cost) and rebuild its best
        deal and its concession table from them."""
        moved = self._moved()
        relearned = False
        if moved:  # what it takes for firm and its salience weights rest on them alone
            relearned = self._learn_red_lines(moved) | self._learn_saliences(moved)
            self._read.update((name, self._learning[name].weights) for name in moved)
        floors = [self.believed_floor(other) for other in self.others]
        if floors == self._floors and not relearned:
            return  # the news changed nothing it believes of the others
        self._floors = floors
        self.believed_floors = {o.name: f for o, f in zip(self.others, floors, strict=True)}
        self._pick_for_count, self.best_deal = concession_table(
            self._order, self._believed_rows, self._allowed_rows, floors
        )
        self.best_deal_worth = -math.inf if self.best_deal is None else self._u[self.best_deal]

    def _moved(self) -> list[str]:
        """The others whose belief's weights moved since it last reassessed."""
        return [name for name, b in self._learning.items() if b.weights is not self._read[name]]

    @property
    def learned(self) -> bool:
        """Whether a belief of it moved since it last reassessed (a move it had weighed
        before, or one no type would make, moves none: then there is nothing to reassess)."""
        return bool(self._moved())

    @property
    def learns(self) -> bool:
        """Whether it holds a belief that moves learn from (more than one type)."""
        return bool(self._learning)

    def learns_about(self, name: str) -> bool:
        """Whether it holds a belief about ``name`` that moves learn from."""
        return name in self._learning

    def _learn_red_lines(self, names: Iterable[str]) -> bool:
        """Take for firm the red lines its belief of each of ``names`` now holds firm (and
        only those); True if that changed which packages it believes the others allow."""
        changed = False
        for name in names:
            firm = self._learning[name].firm_lines()
            if firm.tobytes() == self._firm[name].tobytes():
                continue
            self._firm[name] = firm
            other = self._by_name[name]
            lines = tuple(
                line for line, f in zip(other.preferences.red_lines, firm, strict=True) if f
            )
            self.beliefs[name] = dataclasses.replace(self.beliefs[name], red_lines=lines)
            self._most.clear()  # the most a side could offer rests on the partners' lines
            self._most_read += 1
            allowed = self._believed_allowed[name] = self._believed_allowed_of(other)
            self._allowed_rows[self._row[name]] = allowed[self._order]
            changed = True
        return changed

    def _learn_saliences(self, names: Iterable[str]) -> bool:
        """Read the utilities of each of ``names`` with the salience weights its belief now
        expects (and only those); True if that changed them. It reads them itself only along
        its order; every package's are worked out when a strategy first reads them
        (``believed_utilities``, a ``Deferred`` mapping)."""
        changed = False
        for name in names:
            salience = self._learning[name].salience
            known = self._salience[name]
            if salience is None or (known is not None and salience.tobytes() == known.tobytes()):
                continue
            self._salience[name] = salience
            estimate = self.beliefs[name]
            self.beliefs[name] = Preferences(
                salience, estimate.values, estimate.red_lines, estimate.reservation
            )
            self._believed_rows[self._row[name]] = weighted_rows(
                salience, self._option_values_along[name]
            )
            self.believed_utilities.defer(
                name, _utilities_by, salience, self._option_values[name], self._codes
            )
            self._most_offered.pop(name, None)
            changed = True
        return changed

    def observe(self, proposer: str, package: int, replies: Mapping[str, bool], t: float) -> None:
        """Bayes' rule on the moves it saw in one turn, at relative time ``t``: the offer of
        ``proposer`` and each party's reply, for every party it learns about (see
        ``beliefs.move_likelihood``), each type valuing the package by its own salience
        weights. It acts on what it learned from its next round on."""
        for name, belief in self._learning.items():
            move: Move = "offer" if name == proposer else "accept" if replies[name] else "reject"
            other = self._by_name[name]
            if move == "reject" and t < 1.0:  # the same likelihood for any package and facts
                evidence: tuple[object, ...] = _REJECTED_EARLY
            else:
                evidence = (move, package, other.apparent_war_value, other.audience_cost)
            if belief.is_new(evidence):
                war, audience_cost = other.apparent_war_value, other.audience_cost
                crossed = self._crossed[name]
                if belief.saliences is None:  # every type values it by the observer's estimate
                    worth = float(self.believed_utilities[name][package])
                    acceptable = belief.acceptable(worth, crossed[package], war, audience_cost)
                    likelihood = move_likelihood(acceptable, move, t)
                else:
                    values = self._option_values[name]
                    likelihood = belief.likelihood(
                        move, t, values, self._codes, package, crossed, war, audience_cost
                    )
                belief.update(likelihood)

    def observe_choice(
        self, mover: Negotiator, target: Negotiator, move: Event, made: bool
    ) -> None:
        """Bayes' rule on a move ``mover`` could have made this round, ``made`` or not, by
        the rule each of its types would follow (``negotiation_sim.signals``):

        * its own build-up sinks costs: a type makes it if it raises the type's floor by
          more than it costs (``sinks_costs``). The rule needs only the type's own values,
          so the signal separates (no tremble): after it, only the types that would pay
          remain, and each round it is not made, only those that would not;
        * deterrence of this actor (only the deterred reads it, since it needs the floor
          the move works on, its own): a type of the mover makes it by ``deters`` with the
          most that type's firm red lines let the mover's side offer, so deterring shows
          red lines that hold, a move that may backfire by making war look the only way
          to more. The mover's choice also rests on its belief of this actor's floor,
          which this actor does not know, hence a tremble (``beliefs.TREMBLE``).
        """
        belief = self._learning.get(mover.name)
        if belief is None:
            return
        if target is mover:
            war = target.apparent_war_value
            assert war is not None, "a build-up changes a war option (the loader checks)"
            change = target.war_value_change(move.changes)
            if belief.is_new((id(move), made, war, change, target.audience_cost)):
                now = belief.floors(war, target.audience_cost)
                after = belief.floors(war + change, target.audience_cost)
                belief.update(signal_likelihood(sinks_costs(now, after, move.cost), made))
        elif target is self:
            floor, floor_after = self.floor, self.floor_with(move.changes)
            if belief.is_new((id(move), made, floor, floor_after, self._most_read)):
                pressure = floor - self._most_by_type(mover)
                sends = deterrence_worth(pressure, floor - floor_after) > move.cost
                belief.update(signal_likelihood(sends, made, TREMBLE))

    def observe_leak(self, mover: Negotiator, leak: Leak, made: bool) -> None:
        """Bayes' rule on whether ``mover`` leaked the replies this round, by the rule of
        ``ties_hands`` for each of its types: war, as the leak's pretext would leave it,
        against the most this actor's side could offer it (the observer's stand-in for the
        deal the mover hopes for, which rests on beliefs it does not hold: a tremble)."""
        belief = self._learning.get(mover.name)
        if belief is None:
            return
        war = mover.apparent_war_value
        assert war is not None, "a leak is chosen by an actor with a war option (the loader checks)"
        change, most = mover.war_value_change(mover.pretext_changes(leak)), self.most_offered(mover)
        if belief.is_new((id(leak), made, war, change, most)):
            public = war + change + belief.war_errors
            sends = ties_hands(public, most, belief.reservations, leak.audience_cost)
            belief.update(signal_likelihood(sends, made, TREMBLE))

    def most_offered(self, other: Negotiator) -> float:
        """The most its side could offer ``other``, by its estimate of ``other``'s utilities:
        the best package for ``other`` that its and its partners' red lines allow (those of
        its order)."""
        most = self._most_offered.get(other.name)
        if most is None:
            most = self._most_offered[other.name] = float(
                self._believed_rows[self._row[other.name]].max()
            )
        return most

    def _most_by_type(self, mover: Negotiator) -> np.ndarray:
        """Per type of its belief about ``mover``: the most, to this actor, that ``mover``'s
        side could offer, across none of the red lines the type holds firm nor those this
        actor believes its partners hold. Types differ here only by which lines they hold
        firm, so it is worked out once per such pattern, until its beliefs of the
        partners' red lines change (``_learn_red_lines``)."""
        found = self._most.get(mover.name)
        if found is None:
            partners = [
                self._believed_allowed[p.name]
                for p in self.others
                if p is not mover and mover.is_partner(p)
            ]
            patterns, inverse = self._learning[mover.name].firm_patterns
            most = most_by_pattern(self.utilities, self._crossed[mover.name], partners, patterns)
            found = self._most[mover.name] = most[inverse]
        return found

    def believed_floor(self, other: Negotiator) -> float:
        """The least it believes ``other`` accepts: exactly a partner's floor; for anyone
        else, the posterior mean over its types of the better of the type's no-deal value
        and its value of war as the public facts give it (read with the type's error),
        plus its audience cost (a single type: its estimate)."""
        belief = self.types.get(other.name)  # it holds one of everyone but its partners
        if belief is None:
            return other.floor
        return belief.floor(other.apparent_war_value, other.audience_cost)

    def _believed_utilities(self, other: Negotiator) -> np.ndarray:
        """Its estimate of ``other``'s utility of every package (the truth, if known)."""
        model = self.model
        return believed_utilities(
            self.beliefs[other.name],
            other.preferences,
            model.true_utilities[other.name],
            model.space,
        )

    def _believed_allowed_of(self, other: Negotiator) -> np.ndarray:
        """The packages it believes ``other``'s red lines allow: a partner's, which it knows;
        else those across none of the lines it takes for firm."""
        firm = self._firm.get(other.name)
        if firm is None:
            return self.model.allowed[other.name]
        return _allowed_by(self.model.space, other.preferences, firm)

    def update_floor(self) -> None:
        """The least it will settle for: its reservation value, or its outside option if
        better (Fearon 1995: no bargain worth less than war is accepted), plus what an
        agreement costs it at home once the talks are public."""
        self.floor = self._floor_given(self.outside_value)

    def _floor_given(self, outside: float) -> float:
        alternative = self.deal_equivalent(max(self.reservation, outside))
        return settlement_floor(alternative, self.audience_cost, self._lowest)

    def go_public(self, leak: Leak) -> None:
        """The replies have leaked: from now on any agreement costs it ``leak.audience_cost``."""
        self.audience_cost = leak.audience_cost
        self.update_floor()

    def is_partner(self, other: Negotiator) -> bool:
        return self.coalition is not None and other.coalition == self.coalition

    # -- each round --------------------------------------------------------------

    @property
    def in_hand(self) -> float:
        """Worth to it of the best offer the others made in their latest turn (0 if none)."""
        return max(self._latest.values(), default=0.0)

    def offer_at(self, target: float) -> int:
        """The package it would propose at ``target`` (its best, if nothing reaches it)."""
        count = bisect_right(self._neg_sorted_u, -target)
        return int(self._pick_for_count[max(count, 1) - 1])

    def propose(self) -> int:
        """Its offer this round: the scenario's opening in round one, else its strategy's."""
        if self.model.round == 1 and self.spec.opening is not None:
            return self.spec.opening
        return self.strategy.offer(self)

    def accepts(self, package: int) -> bool:
        """Its own answer: never across a red line, else as its strategy's acceptance rule says."""
        return self._allowed[package] and self.strategy.accepts(self, self._u[package])

    def would_sign(self, package: int) -> bool:
        """Whether it signs its own proposal once all accept (``signs``)."""
        return bool(signs(self._u[package], self.floor))

    def reply(self, package: int, partners: list[Negotiator]) -> bool:
        """Its answer after coordinating with its coalition: yes only if all partners agree."""
        if not self.accepts(package):
            return False
        return all(p.accepts(package) for p in partners) if partners else True

    def receive(self, proposer: str, package: int, takeable: bool = True) -> None:
        """Remember what ``proposer`` offered, as its worth to this actor (nothing if across
        one of its red lines, since it could never take it). It is in hand only if
        ``takeable``: everyone else would sign it, so its own yes would close the deal."""
        worth = self._u[package] if self._allowed[package] else 0.0
        self.received[proposer].append(worth)
        self.offers_received[proposer].append(package)
        self._latest[proposer] = worth if takeable else 0.0  # read on every offer

    has_outside_option = False

    def look_ahead(self) -> bool:
        """Read the scheduled shifts in its power still to come; True if its floor now moves
        with time (then everyone reads the floors again each round). A plain negotiator
        has no war option whose value could shift."""
        return False

    def deal_equivalent(self, value: float) -> float:
        """The least a deal must be worth today to be worth ``value`` over time: ``value``
        itself for a party whose deals are not reopened later (see ``Russia.lasting``)."""
        return value

    def escalation_pressure(self, ahead: float) -> float:
        """How much its outside option beats negotiating on (> 0 means it walks out);
        ``ahead`` is the share of the talks still to come (0 in the deadline round).

        A plain negotiator has no outside option beyond the status quo.
        """
        return -math.inf

    def escalates(self, pressure: float, final: bool, length: float) -> bool:
        """Whether it takes its outside option this round, under ``pressure`` (see
        ``escalation_pressure``), in a round lasting ``length`` time units."""
        return False

    @property
    def outside_value(self) -> float:
        """What walking out is worth to it: for a plain negotiator, no deal."""
        return self.reservation

    @property
    def apparent_war_value(self) -> float | None:
        """Its value of war as the others can work it out from public facts (None: it has
        no war option)."""
        return None

    def apply_event(self, event: Event) -> None:
        raise ValueError(f"{self.name} has no outside option for event {event.name!r}")

    def war_value_change(self, changes: Mapping[str, float]) -> float:
        """How much ``changes`` to its war inputs would change its war value (seen from
        outside, at the true strength of the defence)."""
        raise ValueError(f"{self.name} has no outside option to change")

    def floor_with(self, changes: Mapping[str, float]) -> float:
        """Its floor were ``changes`` made to its war inputs (by its own reading)."""
        raise ValueError(f"{self.name} has no outside option to change")

    def pretext_changes(self, leak: Leak) -> dict[str, float]:
        """What a public rejection changes in its war inputs (see ``Russia.go_public``)."""
        return {}

    def chooses(self, target: Negotiator, move: Event) -> str | None:
        """Whether it makes the chosen ``move`` now, and why (None: it waits): a build-up of
        its own forces (``builds_up``) or deterrence of ``target`` (``deters``)."""
        return self.builds_up(move) if target is self else self.deters(target, move)

    def builds_up(self, move: Event) -> str | None:
        raise ValueError(f"{self.name} has no forces of its own for move {move.name!r}")

    def ties_hands(self, leak: Leak) -> str | None:
        raise ValueError(f"{self.name} has no war option to go public for")

    def deters(self, target: Negotiator, move: Event) -> str | None:
        """Whether it makes the deterrence ``move`` against ``target`` now, and why (None: it
        waits). Deterrence works on the adversary's weighing of war against what it can
        get without it (Schelling 1966, *Arms and Influence*, ch. 2: a commitment that
        makes war costlier; Huth 1988, *Extended Deterrence and the Prevention of War*:
        forces that raise the attacker's expected cost deter). By its belief, ``target``'s
        pressure is how far its floor exceeds the most this actor's side can offer it;
        the move is worth the part of that pressure it removes (its cut in the target's
        believed floor, up to the pressure itself), and it is made once that exceeds its
        ``cost``. So a costlier move waits for more pressure, or never comes, and a more
        resolute adversary brings it forward; while a deal is believed within reach,
        nothing is worth deterring."""
        floor = self.believed_floor(target)
        pressure = floor - self.most_offered(target)
        if pressure <= 0 and move.cost >= 0:  # a deal in reach: worth nothing, so not made
            return None
        war = target.apparent_war_value
        assert war is not None, "a move deters an actor with an outside option (the loader checks)"
        after = self.types[target.name].floor(
            war + target.war_value_change(move.changes), target.audience_cost
        )
        worth = float(deterrence_worth(pressure, floor - after))
        if worth > move.cost:
            return f"pressure {pressure:.3f} cut by {worth:.3f} > cost {move.cost:.3f}"
        return None


class UnitedStates(Negotiator):
    """The United States: answers Russia in coordination with NATO.

    * Coalition: the US and NATO sent "separate but mutually reinforcing"
      replies (article, [F5]); modelled as a coalition whose members know each
      other's preferences exactly, never offer what a partner's red lines
      forbid, and accept only what every partner accepts.
    * Red line on the open door: no concession on NATO's "open door policy" ([F6]),
      set in the scenario file.
    * Deterrence (8,500 troops on standby, weapons and helicopters for Kyiv, [F14, F15])
      changes Russia's war calculation: moves the scenario lists as ``chosen_by`` it,
      which it makes by the rule of ``Negotiator.deters`` (as in ``ukraine_2022.yaml``),
      or timed events, as reported (``ukraine_2022_as_reported.yaml``). Russia reads
      each choice, made or not, as a signal of how firm the West's red lines are
      (``Negotiator.observe_choice``).
    """


class NATO(Negotiator):
    """NATO: the alliance's own written reply, coordinated with the US ([F5]).

    Shares the coalition behaviour described in ``UnitedStates``; its own
    proposals are the hotline and exercise transparency ([F8, F9]) and its
    deterrence step the initial force of about 5,000 troops ([F13]), scripted or chosen
    as the US chooses its own.
    """


class Russia(Negotiator):
    """Russia: negotiates from its December demands and holds an outside option.

    * Opening: its written demands of December 2021 ([F2]), from the scenario.
    * Outside option: a "military-technical response" ([F3]), valued as
      Fearon's (1995) costly lottery, ``p * win + (1 - p) * lose - cost``
      (see ``negotiation_sim.outside_option``), with the troops on the border
      and in Belarus in ``p`` and NATO deployments and Western weapons in
      ``p`` and ``cost`` as timed events change them.
    * Misperception: it estimates Ukraine's defence with multiplicative log-normal
      error of the scenario's belief noise (Fearon's private information about
      capabilities), drawn once per run.
    * Decision each round: escalate when the war value exceeds both its
      reservation value and the value of negotiating on. That value lies
      between the best offer on the table and its best deal, the most it
      believes the others would accept (by its model of their floors and red
      lines). In the deadline round the talks end after its replies, so what it
      declined is gone with them: war against no deal. Before it, an
      exactly informed Russia counts that hoped-for deal in full (with complete
      information it knows the deal will come, Fearon 1995); an uncertain one
      discounts it linearly with the share of talks still ahead, since each
      round without it makes its doubt grow (a modelling choice of ours).
    * Leaks: once the replies are public, a deal is worth its audience cost
      less to it, and war is cheaper by the scenario's pretext (see ``Leak``). A leak
      it chooses ties its hands (``ties_hands``), a build-up it chooses sinks costs
      (``builds_up``): signals of resolve the others learn from (Fearon 1997).
    * Commitment problem (Powell 2006), when its outside option has a ``discount``:
      it knows the scheduled events that will change its war value (announced
      deliveries and deployments, its own build-up) and values a deal by what it
      will last (``lasting``), since the West cannot promise today's terms once it is
      stronger. Its floor, its war decision and the floor the others read of it all
      use that value; without a discount or a shift ahead, nothing changes.
    """

    has_outside_option = True

    def __init__(self, model: NegotiationModel, spec: ActorSpec) -> None:
        super().__init__(model, spec)
        if spec.outside_option is None:
            raise ValueError(f"actor {spec.name!r} of class Russia needs an outside_option")
        self.war: WarOption = spec.outside_option
        self._wars_with: KeptFor[WarOption] = KeptFor()  # see _war_with
        self.defender_scale = 1.0
        self.hope = self.reservation
        self._sure_of_hope = False
        self._scheduled = sorted(
            (e for e in model.negotiation.events if e.actor == self.name and e.chosen_by is None),
            key=lambda e: e.round,
        )
        self._ahead: Shifts | None = None
        self._floors_with: KeptFor[float] = KeptFor()  # see floor_with
        self._apparent_of: tuple[WarOption | None, Shifts | None] = (None, None)
        self._apparent = math.nan  # see apparent_war_value

    def prepare(self, others: list[Negotiator]) -> None:
        super().prepare(others)
        beliefs = self.model.negotiation.beliefs
        self._sure_of_hope = beliefs.exact
        noise = beliefs.noise
        if noise > 0:
            self.defender_scale = float(np.exp(self.rng.normal(0.0, noise)))
            self.update_floor()

    def reassess(self) -> None:
        """Its hope is its best deal: the most it believes the others would accept."""
        super().reassess()
        self.hope = self.reservation if self.best_deal is None else self.best_deal_worth

    @property
    def outside_value(self) -> float:
        """Its expected value of war, as it perceives Ukraine's defence."""
        return self.war.value(self.defender_scale)

    @property
    def apparent_war_value(self) -> float:
        """Its value of war at Ukraine's true defence (its own misreading is private), as the
        least deal it takes instead: the schedule of shifts is public. Kept until its war
        option or the shifts ahead are replaced, since the others read it on every move: the
        hottest read of a run, so checked by identity here rather than through a
        ``KeptFor`` table, which costs several times more."""
        war, ahead = self.war, self._ahead
        kept_war, kept_ahead = self._apparent_of
        if war is not kept_war or ahead is not kept_ahead:
            value = war.value()
            if ahead is not None:
                value = ahead.apparent.deal_equivalent(value)
            self._apparent_of, self._apparent = (war, ahead), value
        return self._apparent

    def look_ahead(self) -> bool:
        """The scheduled events still to come that change its war value, as the stretches of
        time between them: each stretch's share of the discounted future (``discount`` per
        time unit, counted from this round's decisions) and its war value in it, by its own
        reading of Ukraine's defence and by the true one. Powell (2006) needs only the
        schedule, which the article makes public ("in the days to come", "within days")."""
        had = self._ahead is not None
        now, delta = self.model.round, self.war.discount
        if delta is None and not had:
            return False
        self._ahead = None
        pending = [e for e in self._scheduled if e.round > now]
        if delta is not None and pending:
            war, own, apparent = self.war, [], []
            for event in pending:
                war = war.changed(event.changes)
                own.append(war.value(self.defender_scale))
                apparent.append(war.value())
            later = delta ** (np.array([e.round - now for e in pending]) * self.model.round_length)
            weights = later - np.append(later[1:], 0.0)  # each stretch, until the next shift
            own_stream, apparent_stream = (Stream(weights, np.array(v)) for v in (own, apparent))
            self._ahead = Shifts(own_stream, apparent_stream)
        self.update_floor()
        return had or self._ahead is not None

    def lasting(self, worth: float) -> float:
        """What a deal worth ``worth`` today is worth to it over time, Powell (2006), "War as
        a commitment problem", *International Organization* 60(1): the terms hold until the
        next scheduled shift in power; after a shift that leaves its war value ``W_k`` below
        them, the West, now stronger, gives only ``W_k`` (it cannot commit to more), so the
        stretch after it counts ``min(worth, W_k)``. With the stretches' discounted weights
        ``w_k`` (summing to ``discount ** time to the first shift``) that is
        ``worth - sum_k w_k * max(worth - W_k, 0)``."""
        return worth if self._ahead is None else self._ahead.own.lasting(worth)

    def deal_equivalent(self, value: float) -> float:
        """The least deal worth today whose ``lasting`` value reaches ``value``."""
        return value if self._ahead is None else self._ahead.own.deal_equivalent(value)

    def apply_event(self, event: Event) -> None:
        self.war = self.war.changed(event.changes)
        self.update_floor()

    def war_value_change(self, changes: Mapping[str, float]) -> float:
        return self._war_with(changes).value() - self.war.value()

    def floor_with(self, changes: Mapping[str, float]) -> float:
        """Kept until what its floor rests on changes (its war option, the shifts ahead, its
        audience cost, its reading of the defence): it weighs each move against it every
        round, mostly with none of them changed."""
        known = self._floors_with.table(
            self.war, self._ahead, self.audience_cost, self.defender_scale
        )
        key = tuple(changes.items())
        found = known.get(key)
        if found is None:
            outside = self._war_with(changes).value(self.defender_scale)
            found = known[key] = self._floor_given(outside)
        return found

    def _war_with(self, changes: Mapping[str, float]) -> WarOption:
        """Its war option after ``changes``, kept until its war option changes: the moves
        open to it or against it are weighed every round."""
        known = self._wars_with.table(self.war)
        key = tuple(changes.items())
        found = known.get(key)
        if found is None:
            found = known[key] = self.war.changed(changes)
        return found

    def pretext_changes(self, leak: Leak) -> dict[str, float]:
        """A public rejection makes war cheaper by ``leak.pretext`` (never below no cost)."""
        return {"base_cost": -min(leak.pretext, self.war.base_cost)}

    def go_public(self, leak: Leak) -> None:
        """Besides the audience cost, a public rejection makes war cheaper by ``leak.pretext``."""
        self.war = self.war.changed(self.pretext_changes(leak))
        super().go_public(leak)

    def builds_up(self, move: Event) -> str | None:
        """Whether it moves more of its own forces up now, a sunk cost (Fearon 1997): if
        they raise its floor, the better of no deal and war by its reading of Ukraine's
        defence, by more than ``move.cost`` (``signals.sinks_costs``). Forces it would not
        fight with are not worth paying for, so a build-up shows resolve; the others read
        it by the same rule (``Negotiator.observe_choice``), and its shift in ``p`` makes
        war worth more to it from then on."""
        after = self.floor_with(move.changes)
        if sinks_costs(self.floor, after, move.cost):
            return f"floor {self.floor:.3f} raised to {after:.3f} > cost {move.cost:.3f}"
        return None

    def ties_hands(self, leak: Leak) -> str | None:
        """Whether it leaks the written replies now, tying its hands (Fearon 1997): if war,
        as the leak's pretext leaves it, beats no deal and the deal it hopes for less the
        audience cost it would then pay on it (``signals.ties_hands``). A Russia that means
        to settle keeps the talks confidential; one that means to fight loses nothing by
        going public and gains the pretext."""
        war = self._war_with(self.pretext_changes(leak)).value(self.defender_scale)
        if ties_hands(war, self.hope, self.reservation, leak.audience_cost):
            return (
                f"war once public {war:.3f} > hoped-for deal {self.hope:.3f} less audience "
                f"cost {leak.audience_cost:.3f}"
            )
        return None

    def escalates(self, pressure: float, final: bool, length: float) -> bool:
        """War when it beats negotiating on (``pressure > 0``): at once without an
        ``escalation_rate``, and always in the deadline round, the last chance. With a
        rate, the decision is a hazard: over a round of ``length`` time units it goes to
        war with probability ``1 - exp(-rate * pressure * length)``, a risk that grows
        with how far war beats the talks and with the time spent there, so cutting the
        same days into more rounds does not add chances to cross a threshold. It echoes
        Schelling's (1960, ch. 8) risk of war that nobody fully controls, but only on the
        side that prefers war, and the others do not price it into their offers."""
        if pressure <= 0:
            return False
        rate = self.war.escalation_rate
        if final or rate is None:
            return True
        return bool(self.rng.random() < -math.expm1(-rate * pressure * length))

    def escalation_pressure(self, ahead: float) -> float:
        if ahead == 0:  # the talks end now: offers it declined are gone with them
            return self.outside_value - self.reservation
        on_table = max(self.in_hand, self.reservation)
        hope = max(self.hope, on_table)
        weight = (1.0 if ahead > 0 else 0.0) if self._sure_of_hope else ahead
        deal = on_table + (hope - on_table) * weight - self.audience_cost
        negotiating = max(self.reservation, self.lasting(deal))
        return self.outside_value - negotiating


@dataclass(frozen=True)
class Stream:
    """The stretches of time after scheduled shifts in power: each one's discounted weight
    and the war value in it (see ``Russia.lasting``)."""

    weights: np.ndarray
    wars: np.ndarray

    def lasting(self, worth: float) -> float:
        return worth - weighted_total(self.weights, np.maximum(worth - self.wars, 0.0))

    def deal_equivalent(self, value: float) -> float:
        """The inverse of ``lasting``, which is piecewise linear and increasing: the identity
        up to the lowest war value ahead, then less steep past each ``W_k`` by ``w_k``."""
        order = np.argsort(self.wars, kind="stable")
        knots = self.wars[order]
        at_knots = knots - weighted_rows(self.weights, np.maximum(knots - self.wars[:, None], 0.0))
        if value <= at_knots[0]:
            return value
        k = int(np.searchsorted(at_knots, value, side="right")) - 1
        slope = 1.0 - float(self.weights[order][: k + 1].sum())
        return float(knots[k] + (value - at_knots[k]) / slope)


@dataclass(frozen=True)
class Shifts:
    """The stream ahead by Russia's own reading of Ukraine's defence and by the true one."""

    own: Stream
    apparent: Stream


ACTOR_CLASSES: Registry[Negotiator] = Registry("actor class")
for _cls in (Negotiator, UnitedStates, NATO, Russia):
    ACTOR_CLASSES.register()(_cls)


_REJECTED_EARLY = ("reject early",)
"""The evidence of any rejection before the deadline round (see ``move_likelihood``)."""
_CROSSINGS = IdentityCache()
_OPTION_CODES = IdentityCache()


def _crossed(space: OutcomeSpace, preferences: Preferences) -> np.ndarray:
    """Per package, whether it crosses each of ``preferences``' red lines (read-only: shared
    by every run of the same space and red lines, the only part it reads; an ensemble's
    drawn weights leave them the same objects)."""
    found = _CROSSINGS.get(space, preferences.red_lines)
    if found is None:
        packages = space.packages
        crossed = [line.crossed_by(packages) for line in preferences.red_lines]
        found = np.column_stack(crossed) if crossed else np.zeros((len(packages), 0), bool)
        found.setflags(write=False)
        _CROSSINGS.put((space, preferences.red_lines), found)
    return found


_BEST_FIRST_OPEN = IdentityCache()


def _best_first_open(
    utilities: np.ndarray, crossed: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Every package by ``utilities``, best first (``best_first``); those utilities in that
    order; and per red line of ``crossed`` (see ``_crossed``), in that order, whether each
    package keeps clear of it. The most of ``utilities`` a mask allows is then the first
    it allows in that order (read-only: shared by every run of the same utilities and
    lines)."""
    found = _BEST_FIRST_OPEN.get(utilities, crossed)
    if found is None:
        order, worth = ranked(utilities)
        found = (order, worth, [~line for line in crossed[order].T])
        for line in found[2]:
            line.setflags(write=False)
        _BEST_FIRST_OPEN.put((utilities, crossed), found)
    return cast(tuple[np.ndarray, np.ndarray, list[np.ndarray]], found)


def most_by_pattern(
    utilities: np.ndarray,
    crossed: np.ndarray,
    partners: Sequence[np.ndarray],
    patterns: np.ndarray,
) -> np.ndarray:
    """Per row of ``patterns`` (which of the red lines of ``crossed`` it holds, see
    ``_crossed``), the most of ``utilities`` among the packages that cross none of the lines
    it holds and that each array of ``partners`` allows: the first such package best first
    (-inf if there is none). ``kernels.most_by_pattern`` if ``kernels.COMPILED``: it reads the
    packages best first until one qualifies, where the numpy code masks all of them."""
    if kernels.COMPILED:
        order, worth = ranked(utilities)
        if len(partners) == 1:  # the usual case, read as it is
            allowed = partners[0]
        else:
            allowed = np.ones(len(utilities), dtype=bool)
            for partner in partners:
                allowed &= partner
        return kernels.most_by_pattern(order, worth, crossed, allowed, patterns)
    order, worth, open_lines = _best_first_open(utilities, crossed)
    allowed_by_partners = np.ones(len(order), dtype=bool)
    for partner in partners:
        allowed_by_partners &= partner[order]
    most = []
    for firm in patterns.tolist():
        allowed = allowed_by_partners
        for line, held in zip(open_lines, firm, strict=True):
            if held:
                allowed = allowed & line
        first = int(allowed.argmax())  # the best it allows: its most, if any
        most.append(float(worth[first]) if allowed[first] else -math.inf)
    return np.array(most)


_RANKED = IdentityCache(size=16)  # arrays as long as the space: a few (see types._SHARED)


def ranked(utilities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every package by ``utilities``, best first (``best_first``), and those utilities in
    that order (read-only: sorted once per utilities, for a ranking and for the most a side
    could offer alike; an ensemble's runs share the utilities of every actor whose values
    they do not draw)."""
    found = _RANKED.get(utilities)
    if found is None:
        order = best_first(utilities)
        worth = utilities[order]
        order.setflags(write=False)
        worth.setflags(write=False)
        found = _RANKED.put((utilities,), (order, worth))
    return cast(tuple[np.ndarray, np.ndarray], found)


def _option_codes(space: OutcomeSpace) -> np.ndarray:
    """Per issue and package, the place of the package's option among all issues' options
    in a row: one gather from the concatenated option values gives every package's value
    per issue, a row per issue (the order in which ``sums.weighted_rows`` adds them up)."""
    found = _OPTION_CODES.get(space)
    if found is None:
        offsets = np.cumsum([0] + [len(issue.options) for issue in space.issues[:-1]])
        found = np.ascontiguousarray((space.packages + offsets).T)
        found.setflags(write=False)
        _OPTION_CODES.put((space,), found)
    return found


_CODES_ALONG = IdentityCache()


def _codes_along(codes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """``codes`` of the packages of ``order`` only, in that order (read-only: shared by every
    run whose actor ranks the packages the same)."""
    found = _CODES_ALONG.get(codes, order)
    if found is None:
        found = codes.take(order, axis=1)  # ``codes[:, order]`` laid out row by row
        found.setflags(write=False)
        _CODES_ALONG.put((codes, order), found)
    return cast(np.ndarray, found)


def _utilities_by(salience: np.ndarray, option_values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Every package's utility by ``salience`` weights and ``option_values`` (issue after
    issue), the package's options lying at its ``codes`` (see ``_option_codes``)."""
    return weighted_rows(salience, option_values[codes])


STABLE_BELOW = 500
"""Up to this many packages, one stable sort is as fast as a quick sort and a check for ties
(numpy's quick sort uses AVX-512 where it can: there, 1.7x faster at the NegMAS baseline's
864 packages, 2.4x at 2,000, 4x at 5,000)."""


def best_first(utilities: np.ndarray) -> np.ndarray:
    """The positions of ``utilities`` from the highest, ties in position order: what a stable
    argsort of ``-utilities`` gives. On large spaces a quick sort is several times faster;
    then only runs of equal utilities are put back in position order (or, if ties are many,
    the stable sort is done after all)."""
    keys = -utilities
    if len(keys) <= STABLE_BELOW:
        return np.argsort(keys, kind="stable")
    order = np.argsort(keys)
    ranked = keys[order]
    tied = ranked[1:] == ranked[:-1]  # tied[k]: places k and k + 1 hold equal utilities
    ties = np.count_nonzero(tied)
    if ties * 8 > len(keys):
        return np.argsort(keys, kind="stable")
    if ties:
        first = np.flatnonzero(tied)
        inside = np.zeros(len(order), dtype=bool)
        inside[first] = inside[first + 1] = True
        at = np.flatnonzero(inside)  # the places in runs of equal utilities
        run = np.cumsum(np.concatenate(([True], ~tied)))[at]  # which run each is in
        order[at] = order[at][np.lexsort((order[at], run))]
    return order


def _running_argmax(order: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """``result[k]`` is the element of ``order[: k + 1]`` with the highest score (first on ties)."""
    best_so_far = np.maximum.accumulate(scores)
    previous_best = np.concatenate(([-np.inf], best_so_far[:-1]))
    positions = np.arange(len(scores))
    return order[np.maximum.accumulate(np.where(scores > previous_best, positions, 0))]
