"""The array kernels of a run's set-up give exactly what the plain formulas give, and the
numba kernels (``negotiation_sim.kernels``) exactly what the numpy code they mirror gives."""

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from itertools import product
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation_sim import actors, beliefs, kernels
from negotiation_sim.beliefs import TypeBelief
from negotiation_sim.issues import Issue, Option, OutcomeSpace
from negotiation_sim.preferences import Preferences, normalised
from negotiation_sim.strategies.time_dependent import TimeDependent
from negotiation_sim.sums import weighted_rows


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


@settings(max_examples=200, deadline=None)
@given(values=utilities(), seed=st.integers(0, 2**32 - 1))
def test_a_ranking_is_a_stable_sort_of_the_allowed_packages_alone(values, seed):
    """``rank`` reads the order of all packages (sorted once per utilities) and keeps the
    allowed ones: as stable a sort, ties in package order, as sorting those alone."""
    rng = np.random.default_rng(seed)
    allowed = [rng.random(len(values)) < p for p in rng.random(2)]  # its own, a partner's
    keys = SimpleNamespace(), SimpleNamespace(), SimpleNamespace()  # what it is cached by
    ranking = actors.rank(keys[0], values, keys[1:], allowed)
    candidates = np.flatnonzero(allowed[0] & allowed[1])
    expected = candidates[np.argsort(-values[candidates], kind="stable")]
    assert np.array_equal(ranking.order, expected)


@pytest.mark.parametrize("compiled", [False, True])
@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    sizes=st.lists(st.integers(1, 7), min_size=1, max_size=5),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_utilities_are_the_weighted_sum_bit_for_bit(compiled, seed, sizes, dtype):
    rng = np.random.default_rng(seed)
    space = OutcomeSpace(
        tuple(
            Issue(f"i{k}", tuple(Option(f"o{j}", j / max(n - 1, 1)) for j in range(n)))
            for k, n in enumerate(sizes)
        )
    )
    values = tuple(np.round(rng.random(n), int(rng.integers(1, 4))).astype(dtype) for n in sizes)
    preferences = Preferences(normalised(rng.random(len(sizes))), values)
    expected = np.zeros(len(space))
    for i, (weight, table) in enumerate(zip(preferences.weights.tolist(), values, strict=True)):
        expected += weight * table[space.packages[:, i]]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kernels, "COMPILED", compiled)
        assert preferences.utilities(space.packages).tobytes() == expected.tobytes()


def by_numpy_and_compiled(function: Callable[..., Any], *args: Any) -> list[Any]:
    """``function(*args)`` by its numpy code, then by its kernel."""
    results = []
    with pytest.MonkeyPatch.context() as patch:
        for compiled in (False, True):
            patch.setattr(kernels, "COMPILED", compiled)
            results.append(function(*args))
    return results


@st.composite
def believed_rows(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """An order of packages and, per other party, believed utilities and allowed packages
    along it and a floor: values on a coarse grid (many ties, floors among them), some NaN
    or infinite."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size, others = draw(st.integers(0, 400)), draw(st.integers(0, 4))
    grid = np.array([0.0, -0.0, 0.25, 0.5, 0.75, 1.0, np.inf, -np.inf, np.nan])
    weights = np.array([1, 1, 4, 4, 4, 4, 1, 1, draw(st.sampled_from([0, 1]))], dtype=float)
    pick = rng.choice(len(grid), size=(others, size), p=weights / weights.sum())
    utilities = grid[pick]
    allowed = rng.random((others, size)) < draw(st.sampled_from([0.3, 0.9, 1.0]))
    floors = [float(rng.choice(grid[:6])) for _ in range(others)]
    order = rng.permutation(size + 5)[:size]
    return order, utilities, allowed, floors


@settings(max_examples=300, deadline=None)
@given(case=believed_rows())
def test_the_compiled_concession_table_is_numpys(case):
    order, utilities, allowed, floors = case
    results = []
    with pytest.MonkeyPatch.context() as patch:
        for compiled in (False, True):
            patch.setattr(kernels, "COMPILED", compiled)
            try:
                results.append(actors.concession_table(order, utilities, allowed, floors))
            except ValueError as error:  # no packages at all: argmax of nothing
                results.append(type(error))
    (numpy, compiled) = results
    if numpy is ValueError:
        assert compiled is ValueError and len(order) == 0
        return
    assert numpy[0].dtype == compiled[0].dtype
    assert np.array_equal(numpy[0], compiled[0]) and numpy[1] == compiled[1]


@settings(max_examples=300, deadline=None)
@given(
    floor=st.floats(0.0, 1.0),
    span=st.floats(0.0, 1.0),
    exponent=st.floats(0.01, 20.0),
    deadline=st.integers(1, 400),
)
def test_the_compiled_targets_are_the_time_dependent_tactics_own(floor, span, exponent, deadline):
    """Each of ``deadline`` rounds' targets, as ``TimeDependent.target`` gives it in Python."""
    me = SimpleNamespace(floor=floor, best=floor + span)
    times = [r / deadline for r in range(1, deadline + 1)]
    expected = [TimeDependent(exponent).target(me, t) for t in times]
    compiled = kernels.time_dependent_targets(floor, floor + span, exponent, np.array(times))
    assert compiled.tolist() == expected


@st.composite
def learning_cases(
    draw: st.DrawFn,
) -> tuple[TypeBelief, np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """A belief whose types differ in salience weights, the observer's option values (each
    issue's options end to end), where each package's options lie there, and the packages'
    crossed red lines, on a coarse grid so that worths tie one another; and public facts (a
    war value, an audience cost) of which some make a type's floor equal to a worth of it."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    types, issues = draw(st.integers(1, 40)), draw(st.integers(1, 8))
    packages, lines = draw(st.integers(1, 30)), draw(st.integers(0, 3))
    grid = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    options = rng.integers(1, 5, issues)  # per issue
    option_values = grid[rng.integers(0, len(grid), options.sum())]
    offsets = np.cumsum(options) - options
    codes = offsets[:, None] + rng.integers(0, options[:, None], (issues, packages))
    values = option_values[codes]  # per issue and package
    saliences = rng.integers(0, 3, (types, issues)).astype(float)
    saliences /= np.maximum(saliences.sum(axis=1, keepdims=True), 1.0)
    firm = rng.random((types, lines)) < 0.5
    crossed = rng.random((packages, lines)) < 0.5
    reservations = grid[rng.integers(0, len(grid), types)] / 2
    errors = np.zeros(types)
    belief = TypeBelief(reservations, errors, firm, np.full(types, 1.0 / types), saliences)
    worth = weighted_rows(values[:, 0], saliences.T)  # package 0's, a war value to tie with
    wars = [None, float(worth[0]), 0.5]
    facts = [draw(st.sampled_from(wars)), draw(st.sampled_from([0, 0.25]))]
    return belief, option_values, codes, crossed, facts


@settings(max_examples=300, deadline=None)
@given(
    case=learning_cases(),
    move=st.sampled_from(["offer", "accept", "reject"]),
    t=st.sampled_from([0.5, 1.0]),
)
def test_the_compiled_likelihood_of_a_move_is_numpys(case, move, t):
    """Every package's likelihood under each type, from the kernel and from the numpy code
    it mirrors (``TypeBelief.likelihood``)."""
    belief, values, codes, crossed, (war, audience_cost) = case
    results = []
    with pytest.MonkeyPatch.context() as patch:
        for compiled in (False, True):
            patch.setattr(kernels, "COMPILED", compiled)
            results.append(
                [
                    belief.likelihood(move, t, values, codes, package, crossed, war, audience_cost)
                    for package in range(codes.shape[1])
                ]
            )
    numpy, compiled = np.array(results[0]), np.array(results[1])
    assert numpy.dtype == compiled.dtype and np.array_equal(numpy, compiled)


@settings(max_examples=500, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    types=st.integers(1, kernels.PAIRWISE_BLOCK + 12),
    zeros=st.sampled_from([0.0, 0.3, 1.0]),
)
def test_the_compiled_posterior_is_numpys(seed, types, zeros):
    """Bayes' rule (``TypeBelief.update``) on priors of every size up to numpy's block of
    pairwise summation and past it, with types of no weight, tiny and huge weights, and
    likelihoods of 1, the tremble, 0 (all of them, for some: no posterior) and others:
    the same posterior to the bit, or the prior kept alike."""
    rng = np.random.default_rng(seed)
    weights = rng.choice([1e-300, 1e-17, 0.5, 1.0, 3e8], types) * rng.random(types)
    likelihood = np.where(
        rng.random(types) < 0.5, rng.choice([1.0, 0.05, 0.0], types), rng.random(types)
    )
    likelihood[rng.random(types) < zeros] = 0.0

    def posterior() -> np.ndarray:
        belief = TypeBelief(np.zeros(types), np.zeros(types), np.zeros((types, 0), bool), weights)
        belief.update(likelihood)
        return belief.weights

    numpy, compiled = by_numpy_and_compiled(posterior)
    assert numpy.tobytes() == compiled.tobytes()


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize(("package", "last_code"), [(2, 2), (1, 3)], ids=["package", "option"])
def test_a_likelihood_past_the_packages_or_options_is_an_index_error(
    compiled, package, last_code, monkeypatch
):
    """Numba does not check bounds, so the kernel checks the package and each option it
    reads, as numpy's indexing does: a read past the end would give a likelihood from
    whatever lies there."""
    firm, saliences = np.zeros((2, 0), bool), np.full((2, 2), 0.5)
    belief = TypeBelief(np.zeros(2), np.zeros(2), firm, np.full(2, 0.5), saliences)
    values, codes = np.array([0.0, 1.0, 0.5]), np.array([[0, 1], [2, last_code]])
    monkeypatch.setattr(kernels, "COMPILED", compiled)
    with pytest.raises(IndexError):
        belief.likelihood("offer", 0.5, values, codes, package, np.zeros((2, 0), bool), None, 0)


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    types=st.integers(1, 40),
    issues=st.integers(1, 12),
    lines=st.integers(0, 3),
    doubt=st.sampled_from([0.0, 0.25, 1.0]),
)
def test_the_compiled_spread_of_types_is_numpys(seed, types, issues, lines, doubt):
    """Each type's no-deal value, war error, firm red lines and salience weights from the
    same draws: normal draws, some replaced by values on a grid that reaches past both ends
    of [0, 1], holds -0.0 and NaN, and leaves some types no weight at all."""
    rng = np.random.default_rng(seed)
    grid = np.array([-2.0, -0.5, -0.0, 0.0, 0.25, 0.5, 1.0, 1.5, np.nan])
    p = np.array([2, 2, 1, 1, 2, 2, 2, 2, 0.2])
    drawn, normals = (
        np.where(
            rng.random(size) < 0.3, rng.choice(grid, size, p=p / p.sum()), rng.normal(0, 0.3, size)
        )
        for size in (2 * types, (types, issues))
    )
    uniforms = rng.choice([0.0, doubt / 2, 0.5, 1.0 - doubt / 2, 0.99], (types, lines))
    kept = rng.random(lines) < 0.5
    weights = np.where(
        rng.random(issues) < 0.2, rng.choice([-0.0, 0.0]), rng.dirichlet(np.ones(issues))
    )
    args = (float(rng.choice(grid)), float(rng.choice(grid)), drawn, uniforms, kept, doubt)
    numpy, compiled = by_numpy_and_compiled(beliefs.spread_types, *args, weights, normals)
    for expected, got in zip(numpy, compiled, strict=True):
        assert expected.dtype == got.dtype and expected.shape == got.shape
        assert np.array_equal(np.signbit(expected), np.signbit(got))
        assert np.array_equal(expected, got, equal_nan=expected.dtype.kind == "f")


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(1, 300),
    lines=st.integers(0, 4),
    partners=st.integers(0, 3),
    share=st.sampled_from([0.05, 0.5, 0.95]),
)
def test_the_compiled_most_by_pattern_is_numpys(seed, size, lines, partners, share):
    """Utilities on a coarse grid (ties), read-only and writable masks of partners that allow
    few or most packages, and every pattern of held lines: the same most per pattern
    (-inf where nothing qualifies)."""
    rng = np.random.default_rng(seed)
    utilities = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size)
    crossed = rng.random((size, lines)) < share
    allowed = [rng.random(size) < 1 - share for _ in range(partners)]
    for mask in allowed[::2]:
        mask.setflags(write=False)
    patterns = np.array(list(product([False, True], repeat=lines)), bool).reshape(2**lines, lines)
    results = by_numpy_and_compiled(actors.most_by_pattern, utilities, crossed, allowed, patterns)
    assert results[0].dtype == results[1].dtype and np.array_equal(*results)


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 40), share=st.floats(0.0, 1.0))
def test_the_compiled_perturbation_of_an_estimate_is_numpys(seed, size, share):
    """An estimate's draw from normal draws mixed with -0.0, NaN, out-of-range values and
    weights that may all vanish: the same values and weights (or none), bit for bit."""
    rng = np.random.default_rng(seed)
    weights = max(1, round(share * size))
    laid_out = rng.choice([-0.0, 0.0, 0.3, 0.7, 1.0], size)
    grid = rng.choice([-2.0, -0.0, 0.0, 0.5, 1.5, np.nan], size, p=[0.3, 0.1, 0.1, 0.2, 0.28, 0.02])
    normals = np.where(rng.random(size) < 0.3, grid, rng.normal(0, 0.3, size))
    (numpy, numpy_weights), (compiled, compiled_weights) = by_numpy_and_compiled(
        beliefs.perturbed, laid_out, normals, weights
    )
    assert np.array_equal(numpy, compiled, equal_nan=True)
    assert np.array_equal(np.signbit(numpy), np.signbit(compiled))
    assert (numpy_weights is None) == (compiled_weights is None)
    if numpy_weights is not None:
        assert np.array_equal(numpy_weights, compiled_weights, equal_nan=True)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_environment_variable_turns_the_kernels_off():
    code = "from negotiation_sim import kernels; print(kernels.COMPILED)"
    assert run_python(code, NEGOTIATION_SIM_NO_NUMBA="1").stdout.strip() == "False"
    expected = str(kernels.AVAILABLE)
    assert run_python(code, NEGOTIATION_SIM_NO_NUMBA="0").stdout.strip() == expected


@pytest.mark.slow
@pytest.mark.skipif(not kernels.AVAILABLE, reason="numba is not installed")
def test_kernels_work_without_a_writable_cache_and_without_warnings():
    """As in a read-only installation: numba finds nowhere to cache (here: only a locator
    that finds nothing), so the kernels are compiled in the process, silently."""
    code = (
        "from negotiation_sim import kernels, simulate\n"
        "from tests.test_engine import textbook_like\n"
        "assert kernels.COMPILED\n"
        "print(simulate(textbook_like(), 3).round)\n"
    )
    done = run_python(code, NUMBA_CACHE_LOCATOR_CLASSES="IPythonCacheLocator")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert int(done.stdout) >= 1


@pytest.mark.parametrize("on_ctrl_c", ["raise", "ignore"])
def test_a_ctrl_c_while_numba_compiles_waits_until_it_is_done(on_ctrl_c):
    """numba runs Python code from C while it compiles, where an exception a signal's handler
    raises can be lost and leave a half-built kernel; so once a kernel has been called, a
    Ctrl-C during any compilation waits until it is done, then goes to the handler it would
    have met. Here the Ctrl-C comes from the compiler's first pass (a ``numba.core.event``
    listener), on a new function; without the hold, the compilation stops there."""
    from numba import njit
    from numba.core import event

    kernels.hold_signals_while_compiling()  # what a kernel's first call sets up

    class CtrlC(event.Listener):
        sent = False

        def on_start(self, _):
            if not self.sent:
                self.sent = True
                signal.raise_signal(signal.SIGINT)

        def on_end(self, _):
            pass

    @njit
    def plus_one(x):
        return x + 1

    handler = signal.default_int_handler if on_ctrl_c == "raise" else signal.SIG_IGN
    previous = signal.signal(signal.SIGINT, handler)  # pytest may have left it ignored
    try:
        with event.install_listener("numba:run_pass", CtrlC()):
            if on_ctrl_c == "raise":
                with pytest.raises(KeyboardInterrupt):
                    plus_one(1)
            else:
                assert plus_one(1) == 2
        assert len(plus_one.signatures) == 1  # compiled in full before the interrupt
        assert signal.getsignal(signal.SIGINT) is handler  # and its handler is back
    finally:
        signal.signal(signal.SIGINT, previous)
