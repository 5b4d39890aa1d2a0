"""``estimate`` and ``draw_types`` draw in fewer, larger calls than one per quantity, and clamp
in place: they give exactly what the plain formulas below give, bit for bit, and leave the
generator where those leave it."""

from functools import reduce
from operator import add

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation_sim.beliefs import BeliefNoise, draw_types, estimate, kept_lines
from negotiation_sim.preferences import Preferences, RedLine


def plain_estimate(truth: Preferences, noise: BeliefNoise, rng: np.random.Generator):
    if noise.exact:
        return truth
    sd = noise.noise
    drawn = np.clip(truth.weights + rng.normal(0.0, sd, truth.weights.shape), 0.0, None)
    total = reduce(add, drawn.tolist())  # in issue order
    weights = drawn / total if total > 0 else truth.weights
    flat = np.concatenate(truth.values)
    noisy = np.clip(flat + rng.normal(0.0, sd, flat.shape), 0.0, 1.0)
    ends = np.cumsum([len(v) for v in truth.values]).tolist()
    values = tuple(noisy[start:end] for start, end in zip([0, *ends], ends, strict=False))
    reservation = float(min(max(truth.reservation + rng.normal(0.0, sd), 0.0), 1.0))
    kept = rng.random(len(truth.red_lines)) >= noise.red_line_doubt
    red_lines = tuple(line for line, keep in zip(truth.red_lines, kept, strict=True) if keep)
    return Preferences(weights, values, red_lines, reservation)


def plain_draw_types(truth, center, war_error, noise, rng):
    kept = kept_lines(center, truth)
    n, sd, doubt = noise.types, noise.noise, noise.red_line_doubt
    reservations = np.clip(center.reservation + rng.normal(0.0, sd, n), 0.0, 1.0)
    war_errors = war_error + rng.normal(0.0, sd, n)
    firm = rng.random((n, len(kept))) < np.where(kept, 1.0 - doubt / 2, doubt / 2)
    spread = np.clip(center.weights + rng.normal(0.0, sd, (n, len(center.weights))), 0.0, None)
    totals = np.array([[reduce(add, row)] for row in spread.tolist()])  # in issue order
    saliences = np.where(totals > 0, spread / np.where(totals > 0, totals, 1.0), center.weights)
    return reservations, war_errors, firm, np.full(n, 1.0 / n), saliences


@st.composite
def preferences(draw: st.DrawFn) -> Preferences:
    """Weights with zeros among them (so that a draw may leave none), values at and beyond
    the ends of [0, 1], up to three red lines."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=9))
    weights = rng.random(len(sizes)) * (rng.random(len(sizes)) < 0.7)
    weights = weights / weights.sum() if weights.sum() > 0 else np.full(len(sizes), 1 / len(sizes))
    values = tuple(np.round(rng.random(n) * 1.2 - 0.1, 2) for n in sizes)
    count = draw(st.integers(0, 3))
    lines = tuple(RedLine(((0, frozenset({0})),), f"line {k}") for k in range(count))
    return Preferences(weights, values, lines, draw(st.sampled_from([0.0, 0.3, 1.0])))


noises = st.builds(
    BeliefNoise,
    noise=st.sampled_from([0.0, 0.1, 0.5, 10.0]),
    red_line_doubt=st.sampled_from([0.0, 0.25, 1.0]),
    types=st.sampled_from([1, 2, 32]),
)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@settings(max_examples=300, deadline=None)
@given(truth=preferences(), noise=noises, seed=st.integers(0, 2**32 - 1))
def test_an_estimate_is_the_plain_formulas_bit_for_bit(truth, noise, seed):
    ours, plain = np.random.default_rng(seed), np.random.default_rng(seed)
    for _ in range(2):  # the second time from the layout kept for ``truth``
        got, expected = estimate(truth, noise, ours), plain_estimate(truth, noise, plain)
        assert same(got.weights, expected.weights)
        assert len(got.values) == len(expected.values)
        assert all(same(a, b) for a, b in zip(got.values, expected.values, strict=True))
        assert repr(got.reservation) == repr(expected.reservation)
        assert got.red_lines == expected.red_lines
        assert ours.bit_generator.state == plain.bit_generator.state


@settings(max_examples=300, deadline=None)
@given(
    truth=preferences(),
    noise=noises.filter(lambda n: n.types > 1 and not n.exact),
    seed=st.integers(0, 2**32 - 1),
    war_error=st.sampled_from([0.0, -0.2]),
)
def test_drawn_types_are_the_plain_formulas_bit_for_bit(truth, noise, seed, war_error):
    center = estimate(truth, noise, np.random.default_rng(seed + 1))
    ours, plain = np.random.default_rng(seed), np.random.default_rng(seed)
    got = draw_types(center, kept_lines(center, truth), war_error, noise, ours)
    expected = plain_draw_types(truth, center, war_error, noise, plain)
    parts = (got.reservations, got.war_errors, got.firm, got.weights, got.saliences)
    assert all(same(a, b) for a, b in zip(parts, expected, strict=True))
    assert ours.bit_generator.state == plain.bit_generator.state


def test_the_fallback_for_types_whose_weights_all_vanish_is_tried():
    """With two issues and a wide spread, about a quarter of the types' weights are clipped
    to none: those keep the estimate's weights."""
    truth = Preferences(np.array([0.4, 0.6]), (np.array([0.0, 1.0]), np.array([1.0, 0.0])))
    noise = BeliefNoise(noise=10.0, types=32)
    rng, plain = np.random.default_rng(5), np.random.default_rng(5)
    center = estimate(truth, noise, rng)
    plain_estimate(truth, noise, plain)
    belief = draw_types(center, kept_lines(center, truth), 0.0, noise, rng)
    assert same(belief.saliences, plain_draw_types(truth, center, 0.0, noise, plain)[-1])
    kept = (belief.saliences == center.weights).all(axis=1)
    assert 0 < kept.sum() < 32


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    sizes=st.lists(st.integers(0, 40), min_size=1, max_size=4),
    sd=st.sampled_from([0.0, 0.1, 3.0]),
)
def test_one_normal_draw_is_the_draws_it_replaces_in_a_row(seed, sizes, sd):
    """What ``estimate`` and ``draw_types`` rely on: ``Generator.normal`` fills an array one
    value after another, as a scalar draw would give each, and keeps no state between calls."""
    apart, at_once = np.random.default_rng(seed), np.random.default_rng(seed)
    each = [apart.normal(0.0, sd, n) for n in sizes] + [np.array([apart.normal(0.0, sd)])]
    assert same(np.concatenate(each), at_once.normal(0.0, sd, sum(sizes) + 1))
    assert apart.random() == at_once.random()
