"""The array kernels of a run's set-up give exactly what the plain formulas give."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation_sim import actors
from negotiation_sim.issues import Issue, Option, OutcomeSpace
from negotiation_sim.preferences import Preferences, normalised


@st.composite
def utilities(draw: st.DrawFn) -> np.ndarray:
    """Random utilities with none, a few or many ties (the quick sort reorders ties)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size = draw(st.integers(0, 3000))
    values = rng.random(size)
    tied = rng.random(size) < draw(st.sampled_from([0.0, 0.01, 0.05, 0.5]))
    values[tied] = rng.choice([0.25, 0.5, 0.75], size=int(tied.sum()))
    return values


@pytest.mark.parametrize("stable_below", [0, actors.STABLE_BELOW])
@settings(max_examples=200, deadline=None)
@given(values=utilities())
def test_best_first_is_a_stable_sort_from_the_highest(stable_below, values):
    expected = np.argsort(-values, kind="stable")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(actors, "STABLE_BELOW", stable_below)  # 0: the quick sort on any size
        assert np.array_equal(actors.best_first(values), expected)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sizes=st.lists(st.integers(1, 7), min_size=1, max_size=5))
def test_utilities_are_the_weighted_sum_bit_for_bit(seed, sizes):
    rng = np.random.default_rng(seed)
    space = OutcomeSpace(
        tuple(
            Issue(f"i{k}", tuple(Option(f"o{j}", j / max(n - 1, 1)) for j in range(n)))
            for k, n in enumerate(sizes)
        )
    )
    values = tuple(np.round(rng.random(n), int(rng.integers(1, 4))) for n in sizes)
    preferences = Preferences(normalised(rng.random(len(sizes))), values)
    expected = np.zeros(len(space))
    for i, (weight, table) in enumerate(zip(preferences.weights, values, strict=True)):
        expected += weight * table[space.packages[:, i]]
    assert preferences.utilities(space.packages).tobytes() == expected.tobytes()
