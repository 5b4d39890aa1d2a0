"""A lean round engine for batches: the agent model's rules, played on arrays of turns.

``NegotiationModel`` plays each round as a Mesa step of agents' method calls; a batch of
runs needs only how each one ends. For the scenarios it supports (``unsupported`` says
which), a ``Run`` is set up with the functions ``Negotiator.prepare`` and ``reassess``
use (``rank``, ``estimate``, ``settlement_floor``, ``concession_table``)
and asks each actor's strategy for its target (``Strategy.target``); only the rounds of
``NegotiationModel.step`` and ``_turn`` are re-expressed. The seed gives the same draws, so
the same result and the same transcript. ``simulate``, what ensembles call, uses it where
it can and the agent model elsewhere.

How the rounds are played: a proposer offers at the higher of its target and the best
offer it holds in hand (``Negotiator.in_hand``: the best an actor was offered that all the
others would sign). While it holds none better than its target, its offer depends on the
round alone, so a block of rounds' offers, replies and signatures is worked out at once.
From those follows what each actor holds in hand at each turn; the first turn whose
proposer holds an offer above its target is played alone, and the block reread from it.
The run ends at the first offer everyone signs, or at the deadline. With numba (the
``fast`` extra; see ``kernels``), the same turns are played one after another by the
compiled ``kernels.turns`` instead, from the same per-actor arrays and targets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, cast

import numpy as np

from negotiation_sim import kernels
from negotiation_sim.actors import (
    ACTOR_CLASSES,
    NATO,
    Negotiator,
    Ranking,
    UnitedStates,
    believed_allowed,
    believed_utilities,
    concession_table,
    rank,
    rows,
    settlement_floor,
    signs,
)
from negotiation_sim.beliefs import estimate
from negotiation_sim.model import (
    NegotiationModel,
    Offer,
    RoundRecord,
    RunResult,
    classify,
    run_length,
)
from negotiation_sim.strategies import STRATEGIES, Strategy
from negotiation_sim.strategies.hardliner import Hardliner
from negotiation_sim.strategies.time_dependent import Boulware, Conceder, Linear, TimeDependent

if TYPE_CHECKING:
    from negotiation_sim.scenario.types import Scenario
    from negotiation_sim.strategies.base import NegotiatorState

PLAIN_ACTORS = (Negotiator, UnitedStates, NATO)
"""Actor classes that add nothing to ``Negotiator``'s rounds (exactly these: a subclass may)."""
TIME_DEPENDENT = (TimeDependent, Boulware, Linear, Conceder)
"""Faratin et al.'s tactics, which share ``TimeDependent.target``."""
TARGET_ONLY = (*TIME_DEPENDENT, Hardliner)
"""Strategies whose target reads only the actor's floor, its best and the time, and which
offer and accept by ``Strategy``'s own rules (exactly these classes)."""
_NO_DRAWS = np.random.default_rng(0)
"""The generator of runs that draw nothing (making one per run costs a tenth of a run)."""
FIRST_BLOCK = 256
"""Rounds worked out at once at first (doubling after): a long deadline is not paid for
when the talks end early."""


def simulate(
    scenario: Scenario, seed: int | None = None, *, rounds: int | None = None
) -> RunResult:
    """Run one seeded negotiation to its end, as ``NegotiationModel(scenario, rng=seed,
    collect=False, rounds=rounds).run()`` does: by a ``Run`` if the engine supports the
    scenario, else by the agent model."""
    deadline = run_length(scenario, rounds)
    if _plain_seed(seed) and unsupported(scenario, deadline) is None:
        return Run.checked(scenario, seed, deadline).play()
    return NegotiationModel(scenario, rng=seed, collect=False, rounds=rounds).run()


def _plain_seed(seed: object) -> bool:
    """A seed the engine turns into the model's generator as Mesa does (an int or None)."""
    return seed is None or (isinstance(seed, int | np.integer) and not isinstance(seed, bool))


def unsupported(scenario: Scenario, deadline: int | None = None) -> str | None:
    """Why the engine cannot play ``scenario`` to ``deadline`` (its own by default) exactly as
    the agent model does; None if it can."""
    deadline = scenario.protocol.deadline if deadline is None else deadline
    for spec in scenario.actors:
        name = spec.actor_class
        if name not in ACTOR_CLASSES or ACTOR_CLASSES.get(name) not in PLAIN_ACTORS:
            return f"actor {spec.name!r} is of class {name!r}"
        if spec.outside_option is not None:
            return f"actor {spec.name!r} has an outside option"
        strategy = spec.strategy.name
        if strategy not in STRATEGIES or STRATEGIES.get(strategy) not in TARGET_ONLY:
            return f"actor {spec.name!r} plays strategy {strategy!r}"
    if scenario.events:
        return "it has events"
    leak = scenario.protocol.leak
    if leak is not None and leak.round <= deadline:
        return "its replies may leak"
    if not scenario.beliefs.exact and scenario.beliefs.types > 1:
        return "its beliefs learn"
    return None


@dataclass(frozen=True, slots=True)
class _Side:
    """What the rounds read of one actor, set up as ``Negotiator.prepare`` and ``reassess``
    set it up; a strategy's ``target`` reads its ``floor`` and ``best``."""

    name: str
    strategy: Strategy
    utilities: np.ndarray
    allowed: np.ndarray
    ranking: Ranking
    floor: float
    best: float
    opening: int | None
    partners: list[int]  # the actors whose answers it joins (``Negotiator.reply``)
    pick: np.ndarray  # its offer by the count of packages at its level or above: ``offer_at``
    neg_sorted: np.ndarray  # minus its utility along its ranking, where ``offer_at`` bisects
    best_deal: int | None
    best_deal_worth: float


def _sides(scenario: Scenario, rng: np.random.Generator) -> list[_Side]:
    """Every actor's set-up, in the order and with the draws of ``NegotiationModel.__init__``:
    each is made (its strategy), then each prepares (ranking, beliefs of the others, floor),
    then each reassesses."""
    specs, space, noise = scenario.actors, scenario.space, scenario.beliefs
    utilities, allowed = scenario.utilities, scenario.allowed
    everyone = range(len(specs))
    strategies = [STRATEGIES.get(a.strategy.name)(**a.strategy.params) for a in specs]  # __init__
    partners, rankings, floors, believed, their_floors = [], [], [], [], []
    for i, spec in enumerate(specs):  # ``Negotiator.prepare``
        coalition = spec.coalition  # ``Negotiator.is_partner``
        partners.append(
            [
                k
                for k in everyone
                if k != i and coalition is not None and specs[k].coalition == coalition
            ]
        )
        side = [i, *partners[i]]
        ranking = rank(
            space,
            utilities[spec.name],
            [specs[k].preferences for k in side],
            [allowed[specs[k].name] for k in side],
        )
        rankings.append(ranking)
        beliefs = {
            k: specs[k].preferences
            if k in partners[i]
            else estimate(specs[k].preferences, noise, rng)
            for k in everyone
            if k != i
        }
        # its belief of each non-partner's floor: a point mass (the engine plays no learning
        # beliefs), which ``draw_types`` makes without a draw, on the estimate's reservation
        # value (no war option, no audience cost: ``Negotiator.believed_floor``)
        their_floors.append({k: b.reservation for k, b in beliefs.items() if k not in partners[i]})
        others = [(belief, specs[k]) for k, belief in beliefs.items()]
        believed.append(  # per other actor, along its order: its utilities and allowed, believed
            (
                rows(
                    [
                        believed_utilities(b, o.preferences, utilities[o.name], space)
                        for b, o in others
                    ],
                    ranking.order,
                    float,
                ),
                rows(
                    [believed_allowed(b, o.preferences, allowed[o.name], space) for b, o in others],
                    ranking.order,
                    bool,
                ),
            )
        )
        reservation = spec.preferences.reservation  # a plain actor's alternative to a deal
        floors.append(settlement_floor(reservation, 0.0, ranking.lowest))
    sides = []
    for i, spec in enumerate(specs):  # ``Negotiator.reassess``
        believed_floors = [
            floors[k] if k in partners[i] else their_floors[i][k] for k in everyone if k != i
        ]
        table, best_deal = concession_table(rankings[i].order, *believed[i], believed_floors)
        pick = np.concatenate((table[:1], table))  # ``offer_at``: its best if none reaches it
        sides.append(
            _Side(
                spec.name,
                strategies[i],
                utilities[spec.name],
                rankings[i].allowed,  # its side's red lines: what ``accepts`` and ``receive`` read
                rankings[i],
                floors[i],
                rankings[i].best(spec.opening),
                spec.opening,
                partners[i],
                pick,
                rankings[i].neg_sorted,
                best_deal,
                -math.inf if best_deal is None else float(utilities[spec.name][best_deal]),
            )
        )
    return sides


class Run:
    """A run the engine supports (see ``unsupported``), set up as ``NegotiationModel(scenario,
    rng=seed, rounds=rounds)`` sets it up; ``play`` plays it."""

    def __init__(self, scenario: Scenario, seed: int | None = None, *, rounds: int | None = None):
        deadline = run_length(scenario, rounds)
        why = unsupported(scenario, deadline)
        if why is not None:
            raise ValueError(f"the engine cannot play {scenario.name!r}: {why}")
        self._set_up(scenario, seed, deadline)

    @classmethod
    def checked(cls, scenario: Scenario, seed: int | None, deadline: int) -> Run:
        """A run of a scenario ``unsupported`` has passed to ``deadline`` (``simulate``'s):
        the checks are not made twice."""
        run = cls.__new__(cls)
        run._set_up(scenario, seed, deadline)
        return run

    def _set_up(self, scenario: Scenario, seed: int | None, deadline: int) -> None:
        self.deadline = deadline
        self.scenario = scenario
        # Mesa's model.rng for an int seed; exact beliefs draw nothing (``estimate``), so
        # any generator will do and making one is spared
        rng = _NO_DRAWS if scenario.beliefs.exact else np.random.default_rng(seed)
        self.sides = _sides(scenario, rng)
        index = {side.name: i for i, side in enumerate(self.sides)}
        self.slots = [index[name] for name in scenario.protocol.order]

    def play(self, transcript: list[RoundRecord] | None = None) -> RunResult:
        """Its result, as ``NegotiationModel.run`` gives it; its rounds, as the model's
        ``transcript`` holds them, are appended to ``transcript`` if given. Played turn by
        turn by ``kernels.turns`` if ``kernels.COMPILED``, else by blocks of rounds
        (``_Block``): the same rounds either way."""
        if kernels.COMPILED:
            return self._play_turns(transcript)
        sides, deadline = self.sides, self.deadline
        carry = np.full((len(sides), len(self.slots)), -math.inf)  # nothing in hand in round 1
        sources = _sources(self.slots)
        start, size = 1, FIRST_BLOCK
        while True:
            rounds = range(start, min(start + size, deadline + 1))
            block = _Block(sides, self.slots, sources, rounds, deadline, carry)
            end = block.play()
            if transcript is not None:
                self._record(transcript, rounds, block.packages, block.replies, end)
            if end is not None:
                return self._result(end[0], int(block.packages[end[1], end[0] - start]))
            if rounds.stop > deadline:
                return self._result(deadline, None)
            carry = block.latest[:, :, -1]
            start, size = rounds.stop, size * 2

    def _play_turns(self, transcript: list[RoundRecord] | None) -> RunResult:
        """``play`` by ``kernels.turns``, over the same blocks of rounds (their targets are
        asked for as the talks go on)."""
        sides, deadline, width = self.sides, self.deadline, len(self.slots)
        fixed = (
            np.array([-1 if s.opening is None else s.opening for s in sides]),
            np.array([-1 if s.best_deal is None else s.best_deal for s in sides]),
            np.array([s.best_deal_worth for s in sides]),
            tuple(s.neg_sorted for s in sides),
            tuple(s.pick for s in sides),
            tuple(s.utilities for s in sides),
            tuple(s.allowed for s in sides),
            np.array([s.floor for s in sides]),
            np.array([[k in s.partners for k in range(len(sides))] for s in sides]),
        )
        slots = np.array(self.slots)
        latest = np.full((len(sides), len(sides)), -math.inf)  # nothing offered yet
        start, size = 1, FIRST_BLOCK
        while True:
            rounds = range(start, min(start + size, deadline + 1))
            times = [r / deadline for r in rounds]
            targets = np.stack([_targets(s, times) for s in sides])
            packages = np.empty((len(rounds), width), dtype=np.intp)
            replies = np.empty((len(rounds), width, len(sides)), dtype=bool)
            column, slot = kernels.turns(start, targets, slots, *fixed, latest, packages, replies)
            end = None if column < 0 else (rounds[column], slot)
            if transcript is not None:
                self._record(transcript, rounds, packages.T, replies.transpose(2, 1, 0), end)
            if end is not None:
                return self._result(end[0], int(packages[column, slot]))
            if rounds.stop > deadline:
                return self._result(deadline, None)
            start, size = rounds.stop, size * 2

    def _result(self, round_: int, package: int | None) -> RunResult:
        """How the run ended: agreed on ``package`` in ``round_``, else (None) in stalemate."""
        scenario = self.scenario
        if package is None:
            return RunResult(
                outcome="stalemate",
                round=round_,
                agreement=None,
                package=None,
                utilities={a.name: a.preferences.reservation for a in scenario.actors},
            )
        return RunResult(
            outcome=classify(scenario.space, package),
            round=round_,
            agreement=scenario.space.terms(package),
            package=package,
            utilities={s.name: float(s.utilities[package]) for s in self.sides},
        )

    def _record(
        self,
        transcript: list[RoundRecord],
        rounds: range,
        packages: np.ndarray,
        replies: np.ndarray,
        end: tuple[int, int] | None,
    ) -> None:
        """The ``rounds`` as ``NegotiationModel.transcript`` holds them, up to ``end``: per
        slot and round the offer ``packages[j, c]``, and each actor's reply ``replies[a, j, c]``."""
        names = [s.name for s in self.sides]
        for column, round_ in enumerate(rounds):
            record = RoundRecord(round_)
            transcript.append(record)
            for j, p in enumerate(self.slots):
                answers = {
                    names[a]: bool(replies[a, j, column]) for a in range(len(names)) if a != p
                }
                package, proposer = int(packages[j, column]), self.sides[p]
                signed = bool(signs(proposer.utilities[package], proposer.floor))
                record.offers.append(Offer(names[p], package, answers, signed, self.scenario))
                if (round_, j) == end:
                    return


def _sources(slots: list[int]) -> list[list[tuple[int, int]]]:
    """Per slot, the turns its proposer holds offers from: per other proposer, its latest slot
    before in the round (shift 0), else its last slot of the round before (shift -1)."""
    return [
        [
            max(
                ((k, 0) for k in range(len(slots)) if slots[k] == q and k < j),
                default=(max(k for k in range(len(slots)) if slots[k] == q), -1),
            )
            for q in dict.fromkeys(slots)
            if q != p
        ]
        for j, p in enumerate(slots)
    ]


def _targets(side: _Side, times: list[float]) -> np.ndarray:
    """Its target at each of ``times`` (``NegotiationModel.step``: t = round / deadline), by
    ``kernels.time_dependent_targets`` for the time-dependent tactics if ``kernels.COMPILED``."""
    strategy = side.strategy
    if kernels.COMPILED and type(strategy) in TIME_DEPENDENT:
        exponent = cast(TimeDependent, strategy).exponent
        return kernels.time_dependent_targets(side.floor, side.best, exponent, np.array(times))
    state = cast("NegotiatorState", side)
    return np.fromiter(map(strategy.target, repeat(state), times), float, len(times))


class _Block:
    """A block of rounds' turns: per slot of the protocol's order (rows) and round (columns),
    the offer, each actor's answer and what it then holds in hand from it."""

    def __init__(
        self,
        sides: list[_Side],
        slots: list[int],
        sources: list[list[tuple[int, int]]],
        rounds: range,
        deadline: int,
        carry: np.ndarray,
    ) -> None:
        self.sides, self.slots, self.sources, self.rounds = sides, slots, sources, rounds
        self.carry = carry  # per actor and slot, what it holds from the slot's last turn before
        self.columns = np.arange(rounds.start, rounds.stop)
        times = [r / deadline for r in rounds]
        self.targets = np.stack([_targets(s, times) for s in sides])
        self.floors = np.array([s.floor for s in sides])
        self.own = np.asarray(slots), np.arange(len(slots))  # the proposer's rows
        self.levels = np.maximum(self.targets[slots], 0.0)  # with nothing in hand (in_hand 0)
        self.packages = self._offers(slots, self.levels, self.columns)
        self.utilities, self.allowed, self.replies = self._answers(self.packages, self.targets)
        self._holdings()
        # the turns whose rows are final, in turn order (round by round, slot by slot)
        self.fixed = -1

    def _offers(self, slots: list[int], levels: np.ndarray, rounds: np.ndarray) -> np.ndarray:
        """Each slot's offer at its levels (``Negotiator.propose``): the opening in round 1,
        else its best deal once it is worth the level (``Strategy.offer``), else its concession
        offer (``Negotiator.offer_at``)."""
        packages = np.empty(levels.shape, dtype=np.intp)
        for j, p in enumerate(slots):
            side, level = self.sides[p], levels[j]
            chosen = side.pick[side.neg_sorted.searchsorted(-level, side="right")]
            if side.best_deal is not None:
                chosen = np.where(side.best_deal_worth >= level, side.best_deal, chosen)
            if side.opening is not None:
                chosen = np.where(rounds == 1, side.opening, chosen)
            packages[j] = chosen
        return packages

    def _answers(
        self, packages: np.ndarray, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per actor, its utility of each of ``packages``, whether its red lines allow it, and
        its reply: ``Negotiator.reply``, yes if it and all its partners accept it
        (``accepts``: never across a red line, and ``Strategy.accepts``, at least its
        target, one per round of ``targets``, and its floor)."""
        utilities = np.stack([s.utilities[packages] for s in self.sides])
        allowed = np.stack([s.allowed[packages] for s in self.sides])
        accepts = (
            allowed & (utilities >= targets[:, None, :]) & (utilities >= self.floors[:, None, None])
        )
        replies = accepts.copy()
        for a, side in enumerate(self.sides):
            for partner in side.partners:
                replies[a] &= accepts[partner]
        return utilities, allowed, replies

    def _holdings(self) -> None:
        """From the answers: the noes of each turn (the proposer's own aside), whether its
        proposer signs, and what each other actor holds from it (``_turn``, ``receive``)."""
        rows, slot = self.own
        noes = ~self.replies
        noes[rows, slot] = False
        self.noes = noes.sum(axis=0)
        self.signed = signs(self.utilities[rows, slot], self.floors[rows, None])
        worth = np.where(self.allowed, self.utilities, 0.0)
        takeable = self.signed & ((self.noes == 0) | ((self.noes == 1) & ~self.replies))
        self.latest = np.where(takeable, worth, 0.0)

    def _in_hand(self) -> np.ndarray:
        """Per slot and round, the best offer its proposer holds (``Negotiator.in_hand``: the
        max of the latest offer from each other proposer that has offered, else 0)."""
        held = np.concatenate([self.carry[:, :, None], self.latest], axis=2)
        in_hand = np.full(self.levels.shape, -math.inf)
        for j, p in enumerate(self.slots):
            for k, shift in self.sources[j]:
                np.maximum(
                    in_hand[j], held[p, k, 1 + shift : held.shape[2] + shift], out=in_hand[j]
                )
        return np.where(in_hand == -math.inf, 0.0, in_hand)

    def play(self) -> tuple[int, int] | None:
        """The (round, slot) of the first turn everyone signs, None if none in this block;
        turns whose proposer holds an offer above its target are played alone on the way."""
        width = len(self.slots)
        while True:
            in_hand = self._in_hand()
            fresh = np.maximum(self.targets[self.slots], in_hand) != self.levels
            for j, side in enumerate(self.sides[p] for p in self.slots):
                if side.opening is not None:
                    fresh[j] &= self.columns != 1  # the opening, whatever it holds
            fresh = fresh.T.ravel()
            fresh[: self.fixed + 1] = False
            ends = (self.signed & (self.noes == 0)).T.ravel()
            first_fresh = int(np.argmax(fresh)) if fresh.any() else len(fresh)
            first_end = int(np.argmax(ends)) if ends.any() else len(ends)
            if first_end < first_fresh:
                return self.rounds[first_end // width], first_end % width
            if first_fresh == len(fresh):
                return None
            column, j = divmod(first_fresh, width)
            p = self.slots[j]
            level = max(float(self.targets[p, column]), float(in_hand[j, column]))
            package = self._offers([p], np.array([[level]]), self.columns[column : column + 1])
            answers = self._answers(package, self.targets[:, column : column + 1])
            self.packages[j, column] = package[0, 0]
            for table, answer in zip(
                (self.utilities, self.allowed, self.replies), answers, strict=True
            ):
                table[:, j, column] = answer[:, 0, 0]
            self._holdings()
            self.fixed = first_fresh
