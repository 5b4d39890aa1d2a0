import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation_sim.preferences import Preferences, RedLine, normalised
from tests.factories import make_space


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(2, 4), min_size=1, max_size=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_vectorised_utilities_agree_with_one_package_at_a_time(counts, seed):
    rng = np.random.default_rng(seed)
    space = make_space(counts)
    prefs = Preferences.from_ideals(space, rng.random(len(counts)) + 0.01, rng.random(len(counts)))
    all_at_once = prefs.utilities(space.packages)
    one_by_one = [prefs.utility(row) for row in space.packages]
    np.testing.assert_allclose(all_at_once, one_by_one, rtol=0, atol=1e-12)
    assert all_at_once.min() >= -1e-12 and all_at_once.max() <= 1 + 1e-12


def test_linear_values_fall_with_distance_from_the_ideal():
    space = make_space([3, 2])  # positions 0, .5, 1 and 0, 1
    prefs = Preferences.from_ideals(space, [3, 1], [0.0, 1.0])
    # weights 0.75 / 0.25; package (o1, o0): 0.75 * (1 - .5) + 0.25 * (1 - 1) = 0.375
    assert prefs.utility([1, 0]) == pytest.approx(0.375)
    assert prefs.utility([0, 1]) == pytest.approx(1.0)


def test_combination_red_line_needs_every_condition():
    space = make_space([3, 3])
    line = RedLine(((0, frozenset({2})), (1, frozenset({1, 2}))))
    prefs = Preferences.from_ideals(space, [1, 1], [0, 0], red_lines=[line])
    allowed = prefs.allowed(space.packages)
    crossing = {tuple(r) for r, ok in zip(space.packages, allowed, strict=True) if not ok}
    assert crossing == {(2, 1), (2, 2)}


@pytest.mark.parametrize("bad", [[-1, 2], [0, 0], [np.nan, 1], [np.inf, 1]])
def test_weights_must_be_finite_non_negative_and_not_all_zero(bad):
    with pytest.raises(ValueError, match="weights"):
        normalised(bad)
