"""One round of the EUM at given positions: risk pass, challenge pass, octants (pp. 29-30)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negotiation_sim.eum.conventions import Conventions
from negotiation_sim.eum.decisions import Octant, classify_octants
from negotiation_sim.eum.equations import (
    challenge_utilities,
    pairwise_votes,
    probability_of_success,
    risk_exponents,
    security_levels,
    weighted_median,
)

Array = NDArray[np.float64]


@dataclass(frozen=True)
class RoundAnalysis:
    """What every actor believes about every dyad (i, j) at the current positions.

    eu_challenge[i, j] is E^i(U_ij); eu_challenged[i, j] is E(U_ji) as i's row of Fig. 6 uses it.
    """

    median: float
    risk: Array
    eu_challenge: Array
    eu_challenged: Array
    octants: NDArray[np.object_]


def dyad_utilities(
    x: Array, c: Array, s: Array, span: float, median: float, r: Array, conventions: Conventions
) -> tuple[Array, Array]:
    """(E^i(U_ij), E(U_ji)) for every ordered pair, with the risk exponents r.

    The first uses r_i and the target's salience s_j (eq. 25a). The second is evaluated with
    r_i or r_j and with s_i or s_j according to `risk_perspective` and `challenged_salience`.
    """
    p = probability_of_success(pairwise_votes(x, c, s, span, r), conventions.p_normalisation)
    challenge = challenge_utilities(x, p, median, span, r[:, None], s[None, :], conventions.q)
    # back[j, i] is j challenging i; its r and salience are indexed [challenger j, target i].
    back_r = r[None, :] if conventions.risk_perspective == "observer" else r[:, None]
    back_s = s[None, :] if conventions.challenged_salience == "challenged" else s[:, None]
    back = challenge_utilities(x, p, median, span, back_r, back_s, conventions.q)
    return challenge, back.T


def analyse_round(
    x: Array, c: Array, s: Array, span: float, conventions: Conventions
) -> RoundAnalysis:
    """Steps 1-7 of the appendix: security levels at r = 1 give r_i, then the EUs with r_i.

    S_i sums E(U_ji) as the chosen salience convention computes it (at r = 1 the risk
    perspective does not matter). The median uses r = 1 votes, i.e. the c*s-weighted median.
    Pairs at the same position have nothing to contest and are marked stalemate.
    """
    median = weighted_median(x, c * s)
    _, first_pass = dyad_utilities(x, c, s, span, median, np.ones_like(x), conventions)
    risk = risk_exponents(security_levels(first_pass))
    challenge, challenged = dyad_utilities(x, c, s, span, median, risk, conventions)
    octants = classify_octants(challenge, challenged)
    octants[x[:, None] == x[None, :]] = Octant.STALEMATE
    return RoundAnalysis(median, risk, challenge, challenged, octants)
