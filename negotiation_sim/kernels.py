"""Optional compiled kernels (numba, the ``fast`` extra) for the hot loops of a run.

Each kernel mirrors exactly one numpy function or method sequence of the package, named in
its docstring, and gives the same result bit for bit (``tests/test_setup_kernels.py``,
``tests/test_engine.py`` and ``tests/test_sums.py`` compare them on random inputs); the
numpy code stays the fallback.
They are used when numba can be imported, unless the environment variable
``NEGOTIATION_SIM_NO_NUMBA`` is set to a value other than ``0`` (then ``COMPILED`` is False).

Kernels are compiled on first use and cached next to this file or in the user's cache
directory; where neither is writable (a read-only installation), they are compiled once per
process instead. While numba compiles one, or loads it, Ctrl-C and SIGTERM wait until it is
done (``hold_signals_while_compiling``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

AVAILABLE = importlib.util.find_spec("numba") is not None
"""Whether numba is installed (it is imported only when a kernel is first called)."""
DISABLE = "NEGOTIATION_SIM_NO_NUMBA"
"""Set it (to anything but ``0``) to run the numpy code even where numba is installed."""
COMPILED = AVAILABLE and os.environ.get(DISABLE, "0") in ("", "0")
"""Whether the kernels are used (read at each call, so a test may switch it)."""


class _Kernel:
    """A function compiled by numba on its first call, with an on-disk cache where one is
    writable (numba finds none in a read-only installation without a writable home: then it
    is compiled in each process). numba is imported then, not with the package: loaded, it
    holds about 100 MiB in each process, which a process that runs no kernel (the main
    process of an ensemble, a run of the agent model without them) need not carry."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self._compiled: Callable[..., Any] | None = None
        functools.update_wrapper(self, function)

    def __call__(self, *args: Any) -> Any:
        compiled = self._compiled
        if compiled is None:
            from numba import njit  # here, not at the top: see the class docstring

            try:
                compiled = njit(cache=True)(self.function)
            except RuntimeError:  # "cannot cache function ...: no locator available"
                compiled = njit(self.function)
            self._compiled = compiled
            globals()[self.function.__name__] = compiled  # ``kernels.name`` finds it at once
            hold_signals_while_compiling()
        return compiled(*args)


@functools.cache  # once per process
def hold_signals_while_compiling() -> None:
    """From now on, Ctrl-C and SIGTERM wait while numba compiles a kernel or loads one from
    its cache (for any argument types, whenever that happens), then act as they would have
    (``_signals_held``). numba runs Python code from C meanwhile (llvmlite's callbacks),
    where an exception that a signal's handler raises is lost: the kernel is left half
    built, and the run fails later with ``RuntimeError: no compiled object yet``, or the
    process crashes. Every compilation holds numba's compiler lock, whose acquiring and
    release are events of ``numba.core.event`` (``"numba:compiler_lock"``), nested when a
    compilation compiles another."""
    from numba.core import event  # imported with numba, as in ``_Kernel``

    class Holder(event.Listener):
        def __init__(self) -> None:
            self.depth = 0  # the main thread's compilations under way, nested
            self.held = contextlib.ExitStack()

        def on_start(self, _: Any) -> None:
            if threading.current_thread() is threading.main_thread():
                self.depth += 1
                if self.depth == 1:
                    self.held.enter_context(_signals_held())

        def on_end(self, _: Any) -> None:
            if threading.current_thread() is threading.main_thread():
                self.depth -= 1
                if self.depth == 0:
                    self.held.close()  # a signal held meanwhile acts now

    event.register("numba:compiler_lock", Holder())


HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done, then each signal that came meanwhile
    goes to the handler it would have met (see ``hold_signals_while_compiling``). Only the
    main thread handles signals, so elsewhere nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {
        number: signal.signal(number, lambda signum, frame: held.append(signum))
        for number in HELD_SIGNALS
        if signal.getsignal(number) is not None  # None: a handler set outside Python
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for signum in held:
            signal.raise_signal(signum)  # to the handler it would have met


def _kernel(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` as a kernel: compiled on first use if numba is installed, else the plain
    function (``COMPILED`` is then False: only a test that switches it on runs it, as plain
    Python)."""
    return _Kernel(function) if AVAILABLE else function


@_kernel
def utilities(
    packages: np.ndarray, weights: np.ndarray, values: np.ndarray, offsets: np.ndarray
) -> np.ndarray:
    """``Preferences.utilities`` for float64 option ``values`` (the issues' laid end to end,
    issue ``i``'s from ``offsets[i]``): per package row, the sum over issues (in issue
    order, from 0.0) of ``weights[i] * values[offsets[i] + packages[k, i]]``."""
    rows, issues = packages.shape[0], len(offsets)
    if len(weights) != issues:
        raise ValueError("zip() arguments differ in length: weights and values")
    if packages.shape[1] < issues:
        raise IndexError("index out of bounds: fewer columns than issues")
    total = np.zeros(rows)
    for i in range(issues):
        weight, offset = np.float64(weights[i]), offsets[i]
        for k in range(rows):
            total[k] += weight * values[offset + packages[k, i]]
    return total


@_kernel
def weighted_total(weights: np.ndarray, values: np.ndarray) -> float:
    """``sums.weighted_total``: ``np.add.accumulate(weights * values)[-1]``, the products
    added one after another from the first."""
    if len(weights) != len(values):
        raise ValueError("operands could not be broadcast together")
    total = weights[0] * values[0]
    for k in range(1, len(weights)):
        total += weights[k] * values[k]
    return total


@_kernel
def weighted_rows(weights: np.ndarray, values: np.ndarray, total: np.ndarray) -> None:
    """``sums.weighted_rows`` into ``total`` (float64, a place per column):
    ``np.add.accumulate(weights[:, None] * values, axis=0)[-1]``, each column's products
    added one row after another."""
    rows, columns = values.shape
    if len(weights) != rows or len(total) != columns:
        raise ValueError("operands could not be broadcast together")
    for j in range(columns):
        total[j] = weights[0] * np.float64(values[0, j])
    for k in range(1, rows):
        for j in range(columns):
            total[j] += weights[k] * values[k, j]


PAIRWISE_BLOCK = 128
"""The most values ``np.add.reduce`` adds as one block (numpy's ``PW_BLOCKSIZE``), the
most a kernel that mirrors its sum takes (``posterior``)."""


@_kernel
def posterior(weights: np.ndarray, likelihood: np.ndarray, found: np.ndarray) -> float:
    """``TypeBelief.update``'s numpy code, into ``found``: ``weights * likelihood``, its total
    as ``np.add.reduce`` adds it, and, if that is above zero, the products divided by it
    (returns the total). For at most ``PAIRWISE_BLOCK`` values numpy's pairwise summation
    adds fewer than 8 one after another from 0.0; from 8 up, it keeps 8 running sums (the
    k-th takes every eighth value from the k-th on, up to the last whole eight), adds
    them in pairs, ``((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))``, then the values
    left one after another."""
    n = len(weights)
    if len(likelihood) != n or len(found) != n:
        raise ValueError("operands could not be broadcast together")
    if n > PAIRWISE_BLOCK:
        raise ValueError("more values than numpy adds in one block")
    for k in range(n):
        found[k] = weights[k] * likelihood[k]
    if n < 8:
        total = 0.0
        for k in range(n):
            total += found[k]
    else:
        s0, s1, s2, s3 = found[0], found[1], found[2], found[3]
        s4, s5, s6, s7 = found[4], found[5], found[6], found[7]
        whole = n - n % 8
        for k in range(8, whole, 8):
            s0 += found[k]
            s1 += found[k + 1]
            s2 += found[k + 2]
            s3 += found[k + 3]
            s4 += found[k + 4]
            s5 += found[k + 5]
            s6 += found[k + 6]
            s7 += found[k + 7]
        total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
        for k in range(whole, n):
            total += found[k]
    if total > 0:
        for k in range(n):
            found[k] /= total
    return total


@_kernel
def move_likelihoods(
    values: np.ndarray,
    codes: np.ndarray,
    package: int,
    saliences: np.ndarray,
    floors: np.ndarray,
    firm: np.ndarray,
    crossed: np.ndarray,
    reject: bool,
    final: bool,
    tremble: float,
    likelihood: np.ndarray,
) -> None:
    """``TypeBelief.likelihood`` (``weighted_rows`` of each type's worth, ``acceptable`` and
    ``move_likelihood``) in one pass over the types, into ``likelihood`` (a place per type):
    type ``k`` values ``package`` at the sum over issues ``i``, in issue order, of
    ``values[codes[i, package]] * saliences[k, i]``."""
    types, issues = saliences.shape
    if codes.shape[0] != issues or len(floors) != types or firm.shape[0] != types:
        raise ValueError("operands could not be broadcast together")
    if crossed.shape[1] != firm.shape[1] or len(likelihood) != types:
        raise ValueError("operands could not be broadcast together")
    if not 0 <= package < min(codes.shape[1], crossed.shape[0]):
        raise IndexError("index out of bounds: no such package")
    options = np.empty(issues)  # the package's option values, issue after issue
    for i in range(issues):
        code = codes[i, package]
        if not 0 <= code < len(values):
            raise IndexError("index out of bounds: no such option")
        options[i] = values[code]
    for k in range(types):
        worth = options[0] * saliences[k, 0]
        for i in range(1, issues):
            worth += options[i] * saliences[k, i]
        acceptable = worth >= floors[k]
        for line in range(firm.shape[1]):
            acceptable = acceptable and not (firm[k, line] and crossed[package, line])
        if reject:
            likelihood[k] = tremble if acceptable and final else 1.0
        else:
            likelihood[k] = 1.0 if acceptable else tremble


@_kernel
def perturbed(
    laid_out: np.ndarray,
    normals: np.ndarray,
    weights: int,
    drawn: np.ndarray,
    normalised: np.ndarray,
) -> bool:
    """``beliefs.perturbed``, one value after another, into ``drawn`` (a place per value
    laid out) and ``normalised`` (one per weight); False, with ``normalised`` left as it
    was, if the weights sum to zero. Like ``np.maximum(x, 0.0)``, the cut at zero keeps a
    NaN and turns ``-0.0`` into ``0.0``."""
    if len(normals) != len(laid_out) or len(drawn) != len(laid_out):
        raise ValueError("operands could not be broadcast together")
    if not 0 < weights <= len(laid_out):
        raise IndexError("index -1 is out of bounds: no weights")
    if len(normalised) != weights:
        raise ValueError("operands could not be broadcast together")
    for k in range(len(laid_out)):
        value = laid_out[k] + normals[k]
        if not (value > 0.0 or np.isnan(value)):
            value = 0.0
        if k >= weights and value > 1.0:
            value = 1.0
        drawn[k] = value
    total = drawn[0]
    for k in range(1, weights):
        total += drawn[k]
    if not total > 0:
        return False
    for k in range(weights):
        normalised[k] = drawn[k] / total
    return True


@_kernel
def spread_types(
    reservation: float,
    war_error: float,
    drawn: np.ndarray,
    uniforms: np.ndarray,
    kept: np.ndarray,
    doubt: float,
    weights: np.ndarray,
    normals: np.ndarray,
    reservations: np.ndarray,
    war_errors: np.ndarray,
    firm: np.ndarray,
    saliences: np.ndarray,
) -> None:
    """``beliefs.spread_types``, one type after another, into ``reservations`` and
    ``war_errors`` (a place per type), ``firm`` (shaped as ``uniforms``) and ``saliences``
    (shaped as ``normals``). Like ``np.maximum(x, 0.0)``, the cut at zero keeps a NaN and
    turns ``-0.0`` into ``0.0``."""
    types, issues = normals.shape
    if len(drawn) != 2 * types or uniforms.shape[0] != types or len(weights) != issues:
        raise ValueError("operands could not be broadcast together")
    if uniforms.shape[1] != len(kept):
        raise ValueError("operands could not be broadcast together")
    if len(reservations) != types or len(war_errors) != types:
        raise ValueError("operands could not be broadcast together")
    if firm.shape != uniforms.shape or saliences.shape != normals.shape:
        raise ValueError("operands could not be broadcast together")
    spread = np.empty(issues)
    for k in range(types):
        value = reservation + drawn[k]
        if not (value > 0.0 or np.isnan(value)):
            value = 0.0
        if value > 1.0:
            value = 1.0
        reservations[k] = value
        war_errors[k] = war_error + drawn[types + k]
        for line in range(len(kept)):
            firm[k, line] = uniforms[k, line] < (1.0 - doubt / 2 if kept[line] else doubt / 2)
        for i in range(issues):
            weight = weights[i] + normals[k, i]
            spread[i] = weight if weight > 0.0 or np.isnan(weight) else 0.0
        total = spread[0]
        for i in range(1, issues):
            total += spread[i]
        for i in range(issues):
            saliences[k, i] = spread[i] / total if total > 0 else weights[i]


@_kernel
def firm_patterns(firm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``TypeBelief.firm_patterns``: the distinct rows of ``firm`` in the order first held,
    and per row the index of its pattern, each row compared with the patterns found so far."""
    types, lines = firm.shape
    patterns = np.empty((types, lines), dtype=np.bool_)
    inverse = np.empty(types, dtype=np.intp)
    found = 0
    for k in range(types):
        inverse[k] = found
        for p in range(found):
            same = True
            for line in range(lines):
                same = same and patterns[p, line] == firm[k, line]
            if same:
                inverse[k] = p
                break
        if inverse[k] == found:
            patterns[found] = firm[k]
            found += 1
    return patterns[:found].copy(), inverse


@_kernel
def most_by_pattern(
    order: np.ndarray,
    worth: np.ndarray,
    crossed: np.ndarray,
    allowed: np.ndarray,
    patterns: np.ndarray,
) -> np.ndarray:
    """``actors.most_by_pattern`` with the packages best first (``order``, their utilities
    ``worth``) and those all partners allow (``allowed``, by package): per pattern, the
    worth of the first package in ``order`` that is allowed and crosses none of the
    pattern's held lines, or -inf."""
    lines = crossed.shape[1]
    if patterns.shape[1] != lines:
        raise ValueError("zip() arguments differ in length: red lines and a pattern")
    if len(worth) != len(order) or len(allowed) != crossed.shape[0]:
        raise ValueError("operands could not be broadcast together")
    for k in range(len(order)):
        if not 0 <= order[k] < len(allowed):
            raise IndexError("index out of bounds: no such package")
    most = np.full(patterns.shape[0], -np.inf)
    for p in range(patterns.shape[0]):
        for k in range(len(order)):
            package = order[k]
            qualifies = allowed[package]
            for line in range(lines):
                qualifies = qualifies and not (patterns[p, line] and crossed[package, line])
            if qualifies:
                most[p] = worth[k]
                break
    return most


@_kernel
def time_dependent_targets(
    floor: float, best: float, exponent: float, times: np.ndarray
) -> np.ndarray:
    """``TimeDependent.target`` at each of ``times``: ``floor + (best - floor) * (1 - t **
    (1 / exponent))``, one scalar power at a time, as Python's ``**`` computes it (numpy's
    vectorised power may differ from it in the last bit)."""
    targets = np.empty(len(times))
    for k in range(len(times)):
        targets[k] = floor + (best - floor) * (1.0 - times[k] ** (1.0 / exponent))
    return targets


@_kernel
def concession_table(
    order: np.ndarray,
    utilities: np.ndarray,
    allowed: np.ndarray,
    floors: np.ndarray,
    table: np.ndarray,
) -> int:
    """``actors.concession_table`` (with ``_running_argmax``), the others' believed
    ``utilities`` and ``allowed`` as rows along ``order``: the table, into ``table`` (a
    place per package of ``order``), and the place in ``order`` of the best deal (-1 if
    there is none)."""
    size = len(order)
    if size == 0:
        raise ValueError("attempt to get argmax of an empty sequence")
    if len(table) != size:
        raise ValueError("operands could not be broadcast together")
    first = -1
    best = -np.inf  # the running maximum of the gains (NaN once one is NaN, as numpy's)
    record = 0
    for k in range(size):
        gain = np.inf
        acceptable = True
        for other in range(len(floors)):
            worth = utilities[other, k]
            acceptable = acceptable and allowed[other, k] and worth >= floors[other]
            over = worth - floors[other]
            if over < gain or np.isnan(over):  # np.minimum: NaN wins
                gain = over
        if acceptable and first < 0:
            first = k
        if gain > best:
            record, best = k, gain
        elif np.isnan(gain):
            best = gain
        table[k] = order[record]
    return first


@_kernel
def turns(
    first_round: int,
    targets: np.ndarray,
    slots: np.ndarray,
    openings: np.ndarray,
    best_deals: np.ndarray,
    best_deal_worths: np.ndarray,
    neg_sorted: tuple[np.ndarray, ...],
    picks: tuple[np.ndarray, ...],
    utilities: tuple[np.ndarray, ...],
    allowed: tuple[np.ndarray, ...],
    floors: np.ndarray,
    partners: np.ndarray,
    latest: np.ndarray,
    packages: np.ndarray,
    replies: np.ndarray,
) -> tuple[int, int]:
    """``NegotiationModel.step``'s turns (``_turn``) for plain actors with the rules of
    ``Strategy``, one turn after another, as ``engine._Block`` works them out for a block of
    rounds from ``first_round``: ``targets[a, c]`` is actor ``a``'s target in the block's
    round ``c``; per actor (a tuple each, so that nothing is copied) its ``_Side``'s
    ``ranking.neg_sorted``, ``pick``, ``utilities`` and ``allowed``. ``latest[a, q]`` is what
    ``a`` holds from proposer ``q`` (-inf before ``q`` offered), carried over and updated.
    Fills ``packages[c, j]`` and ``replies[c, j, a]`` per round and slot; returns the
    (column, slot) of the offer everyone signs, or (-1, -1)."""
    actors = len(floors)
    accepts = np.empty(actors, dtype=np.bool_)
    for column in range(targets.shape[1]):
        round_ = first_round + column
        for j in range(len(slots)):
            p = slots[j]
            target = targets[p, column]
            if round_ == 1 and openings[p] >= 0:  # ``Negotiator.propose``
                package = openings[p]
            else:
                in_hand = -np.inf  # ``Negotiator.in_hand``
                for q in range(actors):
                    in_hand = max(in_hand, latest[p, q])
                if in_hand == -np.inf:
                    in_hand = 0.0
                level = in_hand if in_hand > target else target  # max(target, in_hand)
                if best_deals[p] >= 0 and best_deal_worths[p] >= level:  # ``Strategy.offer``
                    package = best_deals[p]
                else:  # ``Negotiator.offer_at``: bisect_right for -level
                    searched = neg_sorted[p]
                    low, high = 0, len(searched)
                    while low < high:
                        middle = (low + high) // 2
                        if -level < searched[middle]:
                            high = middle
                        else:
                            low = middle + 1
                    package = picks[p][low]
            packages[column, j] = package
            for a in range(actors):  # ``Negotiator.accepts``
                worth = utilities[a][package]
                accepts[a] = (
                    allowed[a][package] and worth >= targets[a, column] and worth >= floors[a]
                )
            noes = 0
            for a in range(actors):  # ``Negotiator.reply``: yes if all its partners accept too
                yes = accepts[a] and a != p
                for b in range(actors):
                    if partners[a, b]:
                        yes = yes and accepts[b]
                replies[column, j, a] = yes
                noes += a != p and not yes
            signed = utilities[p][package] >= floors[p]  # ``Negotiator.would_sign``
            for a in range(actors):  # ``Negotiator.receive``
                if a != p:
                    takeable = signed and (noes == 0 or (noes == 1 and not replies[column, j, a]))
                    worth = utilities[a][package] if allowed[a][package] else 0.0
                    latest[a, p] = worth if takeable else 0.0
            if signed and noes == 0:
                return column, j
    return -1, -1
