"""The EUM's equations as pure numpy functions (Scholz, Calbert & Smith 2011, ICAART, appendix).

Arrays are indexed by actor in input order. Matrices are indexed [i, j] for "i challenges j";
the vote array is indexed [k, i, j] for "voter k on x_i against x_j". `span` is R, the width
of the issue scale, fixed at the initial range of positions so utilities stay in [-2, 2].
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
PNormalisation = Literal["global", "dyad"]


def weighted_median(x: ArrayLike, w: ArrayLike) -> float:
    """The Condorcet winner among actor positions when votes are weighted by w = c*s.

    On a line this is the w-weighted median (Black's theorem). When the weights split exactly
    in half we return the lower of the two candidates, so the result is always an actor's
    position and needs no random tie-break.
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    order = np.argsort(x, kind="stable")
    cumulative = np.cumsum(w[order])
    half = cumulative[-1] / 2.0
    first = np.searchsorted(cumulative, half - 1e-12 * cumulative[-1], side="left")
    return float(x[order][first])


def weighted_mean(x: ArrayLike, w: ArrayLike) -> float:
    """The c*s-weighted mean position, the usual baseline forecast beside the EUM's."""
    return float(np.average(np.asarray(x, dtype=float), weights=np.asarray(w, dtype=float)))


def pairwise_votes(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, span: float, r: ArrayLike | None = None
) -> Array:
    """votes[k, i, j] = c_k s_k ((|x_k - x_j|/R)^r_k - (|x_k - x_i|/R)^r_k) (eq. 28).

    Positive when voter k prefers x_i to x_j. We drop eq. 28's constant factor 2: it cancels in
    P and does not change who wins. With r = 1 this is the printed vote; in the second pass each
    voter's own risk exponent is applied, as in the reproducing code.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(c, dtype=float) * np.asarray(s, dtype=float)
    r = np.ones_like(x) if r is None else np.asarray(r, dtype=float)
    distance = (np.abs(x[:, None] - x[None, :]) / span) ** r[:, None]  # [k, a]
    return w[:, None, None] * (distance[:, None, :] - distance[:, :, None])


def probability_of_success(votes: Array, normalisation: PNormalisation) -> Array:
    """P[i, j]: the chance i prevails over j, from the votes of i's supporters (eq. 31).

    "dyad" divides by the dyad's own total |votes| as printed, so P[i, j] + P[j, i] = 1.
    "global" divides by the |votes| summed over all voters and all ordered pairs, as the code
    that reproduces the published figures does; P is then much smaller.
    A dyad nobody cares about (zero denominator) gets P = 0.
    """
    support = np.clip(votes, 0.0, None).sum(axis=0)
    if normalisation == "dyad":
        total = np.abs(votes).sum(axis=0)
    elif normalisation == "global":
        total = np.full_like(support, np.abs(votes).sum())
    else:
        raise ValueError(f"unknown P normalisation {normalisation!r}")
    return np.divide(support, total, out=np.zeros_like(support), where=total > 0)


def _utility(base: ArrayLike, r: ArrayLike) -> Array:
    """The common form 2 - 4 * base^r of eqs. 15, 16, 22-24."""
    return 2.0 - 4.0 * np.asarray(base, dtype=float) ** np.asarray(r, dtype=float)


def u_success(distance: ArrayLike, span: float, r: ArrayLike) -> Array:
    """U_s: utility of j moving to i's position, d = |x_i - x_j| (eq. 15)."""
    return _utility(0.5 - 0.5 * np.asarray(distance) / span, r)


def u_failure(distance: ArrayLike, span: float, r: ArrayLike) -> Array:
    """U_f: utility of i having to move to j's position (eq. 16)."""
    return _utility(0.5 + 0.5 * np.asarray(distance) / span, r)


def u_better(to_median: ArrayLike, distance: ArrayLike, span: float, r: ArrayLike) -> Array:
    """U_b: utility of things improving for i without a challenge (eq. 22)."""
    return _utility(0.5 - 0.25 * (np.asarray(to_median) + np.asarray(distance)) / span, r)


def u_worse(to_median: ArrayLike, distance: ArrayLike, span: float, r: ArrayLike) -> Array:
    """U_w: utility of things getting worse for i without a challenge (eq. 23)."""
    return _utility(0.5 + 0.25 * (np.asarray(to_median) + np.asarray(distance)) / span, r)


def u_status_quo(r: ArrayLike) -> Array:
    """U_sq = 2 - 4 * 0.5^r (eq. 24)."""
    return _utility(0.5, r)


def improves_without_challenge(x: ArrayLike, median: float) -> Array:
    """T[i, j]: 1 if j drifting to the median would leave i better off, else 0 (p. 22, figs 1-4).

    That holds when the median lies between i and j, or i lies between j and the median with
    the median nearer to i; both reduce to |x_i - mu| < |x_i - x_j|. Exact ties count as no
    improvement.
    """
    x = np.asarray(x, dtype=float)
    to_median = np.abs(x - median)[:, None]
    return (to_median < np.abs(x[:, None] - x[None, :])).astype(float)


def expected_utility(
    p: ArrayLike,
    salience: ArrayLike,
    u_s: ArrayLike,
    u_f: ArrayLike,
    u_sq: ArrayLike,
    u_b: ArrayLike,
    u_w: ArrayLike,
    t: ArrayLike,
    q: float,
) -> Array:
    """Challenge minus no challenge (eq. 25a, the form of eqs. 5-7), elementwise.

    E = s (P U_s + (1 - P) U_f) + (1 - s) U_s - Q U_sq - (1 - Q)(T U_b + (1 - T) U_w),
    where s is the probability the target resists. With Q = 1 the last term vanishes.
    """
    p, salience, t, s, f, sq, b, w = (
        np.asarray(v, dtype=float) for v in (p, salience, t, u_s, u_f, u_sq, u_b, u_w)
    )
    challenge = salience * (p * s + (1.0 - p) * f) + (1.0 - salience) * s
    no_challenge = q * sq + (1.0 - q) * (t * b + (1.0 - t) * w)
    return challenge - no_challenge


def challenge_utilities(
    x: ArrayLike,
    p: Array,
    median: float,
    span: float,
    r: ArrayLike,
    salience: ArrayLike,
    q: float,
) -> Array:
    """E[i, j], i challenging j, for every ordered pair (eqs. 15-25a); the diagonal is 0.

    `r` and `salience` broadcast against the [i, j] matrix, so the caller chooses whose risk
    exponent and whose salience enter each entry (see `conventions`).
    """
    x = np.asarray(x, dtype=float)
    distance = np.abs(x[:, None] - x[None, :])
    to_median = np.broadcast_to(np.abs(x - median)[:, None], distance.shape)
    eu = expected_utility(
        p,
        salience,
        u_success(distance, span, r),
        u_failure(distance, span, r),
        u_status_quo(r),
        u_better(to_median, distance, span, r),
        u_worse(to_median, distance, span, r),
        improves_without_challenge(x, median),
        q,
    )
    np.fill_diagonal(eu, 0.0)
    return eu


def security_levels(eu_against: Array) -> Array:
    """S_i = sum over j != i of E(U_ji), how much the others gain by challenging i (eq. 34).

    `eu_against[i, j]` must hold E(U_ji); the diagonal is ignored.
    """
    return eu_against.sum(axis=1) - np.diag(eu_against)


def risk_exponents(security: ArrayLike) -> Array:
    """r_i from the security levels: R_i (eq. 32) in [-1, 1], then r_i (eq. 33) in [0.5, 2].

    R_i = (2 S_i - max S - min S) / (max S - min S); r_i = (1 - R_i/3) / (1 + R_i/3).
    The most exposed actor (R = 1) gets r = 0.5, the safest (R = -1) gets r = 2.
    If every S is equal there is nothing to rank and all r are 1.
    """
    security = np.asarray(security, dtype=float)
    low, high = security.min(), security.max()
    if np.isclose(high, low, rtol=0.0, atol=1e-12):
        return np.ones_like(security)
    acceptance = np.clip((2.0 * security - high - low) / (high - low), -1.0, 1.0)
    return (1.0 - acceptance / 3.0) / (1.0 + acceptance / 3.0)
