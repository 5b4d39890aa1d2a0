"""A validated scenario in memory: what ``load_scenario`` returns and the model consumes.

Everything here has already been checked (names resolve, weights are finite,
red lines leave each actor something to accept), so the model trusts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import numpy as np

from negotiation_sim.beliefs import BeliefNoise
from negotiation_sim.display import html_table
from negotiation_sim.identity_cache import IdentityCache
from negotiation_sim.issues import OutcomeSpace
from negotiation_sim.outside_option import WarOption
from negotiation_sim.preferences import Preferences


@dataclass(frozen=True)
class StrategySpec:
    """A strategy by registry name, with keyword parameters for its constructor."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ActorSpec:
    """One negotiating party: which class plays it and with what preferences."""

    name: str
    actor_class: str
    preferences: Preferences
    strategy: StrategySpec
    opening: int | None = None  # package index of its opening offer, if the scenario gives one
    coalition: str | None = None
    outside_option: WarOption | None = None


@dataclass(frozen=True)
class Event:
    """A timed event: at the start of ``round``, add ``changes`` to ``actor``'s war inputs.

    A file timed in days gives the day; the event then falls in the first round whose
    decisions are taken on or after it (round ``ceil(day / round_length)``), so cutting
    the same talks into shorter rounds moves it by less than one round's length.

    ``deterrence`` marks the Western steps meant to change Russia's calculation,
    so that a what-if can remove them together.

    An event ``chosen_by`` an actor is a move that actor may make, not a scripted one:
    ``round`` is the earliest it can, and ``cost`` what making it costs the mover, sunk
    once paid: deterrence of another actor (see ``Negotiator.deters``) or, chosen by the
    actor it changes, a build-up of its own forces (``Russia.builds_up``). Either is a
    costly signal the others learn from (``negotiation_sim.signals``).
    """

    round: int
    name: str
    actor: str
    changes: Mapping[str, float]
    deterrence: bool = False
    chosen_by: str | None = None
    cost: float = 0.0


@dataclass(frozen=True)
class Leak:
    """Replies kept confidential that become public in ``round``, and what that changes.

    A round after the deadline means no leak while the talks last; when it is
    uncertain, the scenario's ``uncertain:`` section draws it per run (so that a
    single run stays deterministic when belief noise is zero).
    From then on every party pays ``audience_cost`` on any agreement (backing
    down in public costs leaders at home: Fearon 1994, "Domestic political
    audiences and the escalation of international disputes", *APSR* 88(3)),
    and an actor with a war option finds war cheaper by ``pretext`` (a public
    rejection helps make the case for war, as analysts warned in the article).

    A leak ``chosen_by`` an actor is its choice, from ``round`` on: going public ties its
    hands (Fearon 1997), a signal the others learn from (``Russia.ties_hands``).
    """

    round: int
    audience_cost: float = 0.0
    pretext: float = 0.0
    chosen_by: str | None = None


@dataclass(frozen=True)
class Protocol:
    """Who proposes, in what order, how many rounds there are before the deadline, how
    long a round lasts, and whether the replies may leak.

    Time has a unit (``time_unit``: rounds, or days as in the article's "within days"
    and a month of talks), and every rule that accumulates over time (concession
    curves, the discounting of hoped-for deals, the escalation hazard, events) reads
    the time in that unit, not the round count: the same talks cut into rounds of
    another ``round_length`` then play out alike. The decisions of round ``k`` are
    taken at time ``k * round_length``, so the deadline round is the last chance.
    """

    order: tuple[str, ...]
    deadline: int  # in rounds
    leak: Leak | None = None
    round_length: float = 1.0  # time units per round
    time_unit: str = "round"

    @property
    def horizon(self) -> float:
        """The length of the talks in time units."""
        return self.deadline * self.round_length


@dataclass(frozen=True)
class Scenario:
    """A runnable negotiation."""

    name: str
    space: OutcomeSpace
    actors: tuple[ActorSpec, ...]
    protocol: Protocol
    beliefs: BeliefNoise = field(default_factory=BeliefNoise)
    events: tuple[Event, ...] = ()
    description: str = ""
    path: Path | None = None
    observed_outcome: str | None = None
    document: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)
    """The parsed file it came from, so values can be changed by path and re-validated."""

    def __repr__(self) -> str:
        where = f", from {self.path}" if self.path is not None else ""
        return (
            f"Scenario({self.name!r}: {len(self.space.issues)} issues, {len(self.space):,} "
            f"packages, actors {', '.join(self.actor_names)}, deadline {self._length}{where})"
        )

    @property
    def _length(self) -> str:
        """How long the talks last: ``10 rounds``, or ``10 rounds (30 days)``."""
        protocol = self.protocol
        rounds = f"{protocol.deadline} rounds"
        if protocol.time_unit == "round":
            return rounds
        return f"{rounds} ({protocol.horizon:g} {protocol.time_unit}s)"

    def _repr_html_(self) -> str:
        """Its issues and actors as tables, for notebooks."""
        issues = [
            (
                issue.name,
                ", ".join(
                    f"[{o.name}]" if k == issue.status_quo else o.name
                    for k, o in enumerate(issue.options)
                ),
                "off the table"
                if not issue.on_table
                else "confidence-building"
                if issue.confidence_building
                else "",
            )
            for issue in self.space.issues
        ]
        actors = [
            (
                a.name,
                a.actor_class,
                a.strategy.name,
                f"{a.preferences.reservation:.2f}",
                "yes" if a.outside_option is not None else "",
            )
            for a in self.actors
        ]
        return html_table(
            f"{self.name}: {len(self.space):,} packages, deadline {self._length}",
            ["issue", "options ([status quo])", ""],
            issues,
            note=self.description,
        ) + html_table(
            "actors", ["actor", "class", "strategy", "reservation", "outside option"], actors
        )

    def actor(self, name: str) -> ActorSpec:
        for spec in self.actors:
            if spec.name == name:
                return spec
        raise KeyError(f"no actor named {name!r}; actors are {[a.name for a in self.actors]}")

    @property
    def actor_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.actors)

    @cached_property
    def utilities(self) -> dict[str, np.ndarray]:
        """Each actor's utility of every package, computed once per scenario, not per run,
        and shared with scenarios that hold the same preferences (an ensemble's runs)."""
        return {a.name: _utilities(self.space, a.preferences) for a in self.actors}

    @cached_property
    def allowed(self) -> dict[str, np.ndarray]:
        """Per actor, the packages that cross none of its red lines (shared likewise)."""
        return {a.name: _allowed(self.space, a.preferences) for a in self.actors}


_SHARED = IdentityCache(size=16)
"""Arrays as long as the outcome space: a few, so that a large space does not fill memory."""


def _utilities(space: OutcomeSpace, preferences: Preferences) -> np.ndarray:
    found = _SHARED.get(space, preferences)
    if found is None:
        found = _SHARED.put((space, preferences), _frozen(preferences.utilities(space.packages)))
    return cast(np.ndarray, found)


def _allowed(space: OutcomeSpace, preferences: Preferences) -> np.ndarray:
    """Keyed by the red lines alone, the only part of the preferences it reads."""
    found = _SHARED.get(space, preferences.red_lines)
    if found is None:
        found = _SHARED.put(
            (space, preferences.red_lines), _frozen(preferences.allowed(space.packages))
        )
    return cast(np.ndarray, found)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array
