"""Scenarios built in code, for tests that need many small or random negotiations."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negotiation_sim.beliefs import BeliefNoise
from negotiation_sim.issues import Issue, Option, OutcomeSpace
from negotiation_sim.outside_option import WarOption
from negotiation_sim.preferences import Preferences, RedLine
from negotiation_sim.scenario.types import ActorSpec, Protocol, Scenario, StrategySpec


def make_space(
    option_counts: Sequence[int], confidence_building: Sequence[bool] = ()
) -> OutcomeSpace:
    """Issues ``i0, i1, ...`` with options ``o0, o1, ...`` evenly spaced, status quo first."""
    flags = list(confidence_building) + [False] * (len(option_counts) - len(confidence_building))
    issues = tuple(
        Issue(
            f"i{k}",
            tuple(Option(f"o{j}", j / max(n - 1, 1)) for j in range(n)),
            confidence_building=flag,
        )
        for k, (n, flag) in enumerate(zip(option_counts, flags, strict=True))
    )
    return OutcomeSpace(issues)


def random_scenario(
    seed: int,
    option_counts: Sequence[int] = (3, 2, 3),
    n_actors: int = 3,
    strategies: Sequence[str] = ("boulware", "linear", "conceder", "tit_for_tat", "hardliner"),
    noise: float = 0.1,
    deadline: int = 12,
    with_war: bool = True,
) -> Scenario:
    """A random small negotiation: random weights, ideals, one single-issue red line each,
    random strategies; the first actor may be a Russia with an outside option."""
    rng = np.random.default_rng(seed)
    space = make_space(option_counts)
    actors = []
    for a in range(n_actors):
        issue = int(rng.integers(len(option_counts)))
        forbidden = frozenset({int(rng.integers(1, option_counts[issue]))})
        prefs = Preferences.from_ideals(
            space,
            weights=rng.random(len(option_counts)) + 0.01,
            ideals=rng.random(len(option_counts)),
            red_lines=[RedLine(((issue, forbidden),))],
            reservation=float(rng.uniform(0.1, 0.6)),
        )
        war = None
        if with_war and a == 0:
            war = WarOption(
                border_troops=float(rng.uniform(50, 150)),
                defender_strength=float(rng.uniform(50, 150)),
                base_cost=float(rng.uniform(0.0, 0.4)),
            )
        actors.append(
            ActorSpec(
                name=f"A{a}",
                actor_class="Russia" if war else "Negotiator",
                preferences=prefs,
                strategy=StrategySpec(strategies[int(rng.integers(len(strategies)))]),
                coalition="west" if a >= 1 and n_actors > 2 else None,
                outside_option=war,
            )
        )
    names = tuple(a.name for a in actors)
    return Scenario(
        name=f"random-{seed}",
        space=space,
        actors=tuple(actors),
        protocol=Protocol(order=names, deadline=deadline),
        beliefs=BeliefNoise(noise=noise, red_line_doubt=0.2 if noise else 0.0),
    )
