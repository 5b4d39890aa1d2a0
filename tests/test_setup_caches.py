"""What a run's set-up keeps for later runs (``IdentityCache``) is found again only for the very
objects it was computed from: a scenario with drawn values runs as it does with every cache
empty, and what is shared cannot be written to."""

import dataclasses

import numpy as np
import pytest

from negotiation_sim import actors, beliefs
from negotiation_sim.identity_cache import IdentityCache, KeptFor
from negotiation_sim.model import NegotiationModel
from negotiation_sim.preferences import Preferences
from negotiation_sim.scenario.apply import Changer
from negotiation_sim.scenario.types import ActorSpec, Scenario


def test_an_identity_cache_finds_the_same_objects_only():
    cache = IdentityCache(size=2)
    a, b = np.zeros(3), np.zeros(3)
    cache.put((a,), "from a")
    assert cache.get(a) == "from a"
    assert cache.get(b) is None  # equal, but another object
    assert cache.get(a, b) is None
    cache.put((a, b), "from a and b")
    assert cache.get(a, b) == "from a and b" and cache.get(b, a) is None
    assert cache.get(a) == "from a"  # found again: now the most recently used
    cache.put((b,), "from b")  # beyond its size: the least recently used entry goes
    assert cache.get(a, b) is None
    assert cache.get(a) == "from a" and cache.get(b) == "from b"


def test_values_kept_for_a_state_last_until_one_of_its_objects_is_replaced():
    kept: KeptFor[str] = KeptFor()
    war, ahead = np.zeros(2), None
    kept.table(war, ahead)["change"] = "worked out"
    assert kept.table(war, ahead) == {"change": "worked out"}  # the same objects
    assert kept.table(war, None) == {"change": "worked out"}
    assert kept.table(np.zeros(2), ahead) == {}  # an equal war option, but another object
    kept.table(war, ahead)["change"] = "again"
    assert kept.table(war, np.ones(1)) == {}  # the second object replaced
    assert kept.table(war, ahead) == {}  # and back: what was kept before is gone


def fingerprint(model: NegotiationModel) -> tuple:
    model.run()
    offers = [[(o.proposer, o.package, o.replies) for o in r.offers] for r in model.transcript]
    believed = [
        (a.floor, a.best_deal, sorted(a.believed_floors.items()))
        for a in model.negotiators.values()
    ]
    posteriors = [b.weights.tobytes() for a in model.negotiators.values() for b in a.types.values()]
    return repr(model.result), offers, believed, posteriors


def empty_caches(monkeypatch) -> None:
    """Every set-up cache of the actors and beliefs, as in a fresh process."""
    for module in (actors, beliefs):
        for name, value in vars(module).items():
            if isinstance(value, IdentityCache):
                monkeypatch.setattr(module, name, IdentityCache(value.size))


DRAWN = {  # an ensemble's draw: new weights for Russia, new red lines for the US
    "actors.Russia.weights.open_door": 0.1,
    "actors.United States.red_lines": [
        {"options": {"open_door": ["closed"]}},
        {"options": {"force_posture": ["rollback", "freeze"]}},
    ],
}


def drawn_by_changer(scenario: Scenario) -> Scenario:
    return Changer(scenario, list(DRAWN)).apply(DRAWN)


def sharing_parts(scenario: Scenario) -> Scenario:
    """New preferences made of the old ones' very values and red lines: new weights and
    reservation value for Russia, one red line fewer for NATO."""

    def changed(spec: ActorSpec) -> ActorSpec:
        truth = spec.preferences
        if spec.name == "Russia":
            truth = dataclasses.replace(truth, weights=truth.weights[::-1].copy(), reservation=0.2)
        elif spec.name == "NATO":
            truth = dataclasses.replace(truth, red_lines=truth.red_lines[1:])
        return dataclasses.replace(spec, preferences=truth)

    return dataclasses.replace(scenario, actors=tuple(map(changed, scenario.actors)))


@pytest.mark.parametrize("change", [drawn_by_changer, sharing_parts])
@pytest.mark.parametrize("seed", [0, 1, 2022])
def test_changed_scenarios_run_as_with_every_cache_empty(ukraine, monkeypatch, change, seed):
    changed = change(ukraine)
    NegotiationModel(ukraine, rng=seed, collect=False).run()  # fills the caches
    warm = fingerprint(NegotiationModel(changed, rng=seed, collect=False))
    assert warm != fingerprint(NegotiationModel(ukraine, rng=seed, collect=False))
    empty_caches(monkeypatch)
    assert warm == fingerprint(NegotiationModel(changed, rng=seed, collect=False))


def test_believed_allowed_packages_are_those_across_none_of_the_lines_kept(ukraine):
    """Each pattern of kept red lines, one after the other, as the direct formula gives it."""
    space = ukraine.space
    for actor in ukraine.actors:
        truth = actor.preferences
        crossed = actors._crossed(space, truth)
        for pattern in range(2 ** len(truth.red_lines)):
            kept = np.array([pattern >> k & 1 for k in range(len(truth.red_lines))], bool)
            lines = tuple(line for line, k in zip(truth.red_lines, kept, strict=True) if k)
            belief = Preferences(truth.weights, truth.values, lines, truth.reservation)
            found = actors.believed_allowed(belief, truth, ukraine.allowed[actor.name], space)
            assert np.array_equal(found, ~crossed[:, kept].any(axis=1))
            assert not found.flags.writeable


def test_a_laid_out_truth_is_read_only(ukraine):
    laid_out, _ = beliefs._laid_out(ukraine.actor("Russia").preferences)
    with pytest.raises(ValueError, match="read-only"):
        laid_out[0] = 1.0
