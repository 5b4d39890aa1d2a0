"""The places where the printed paper and the code that reproduced its figures disagree.

Each is an explicit option. The defaults follow the reproducing code (Scholz et al.'s own code as
re-implemented in public, which reproduces the published numbers; Masad 2016 notes the same
P normalisation), because the printed equations alone do not reproduce the published results.

q
    Weight of the status quo in the no-challenge branch of eq. 25a. 1.0 is BDM (1985, p. 161,
    "stoic opposition") and the reproducing code's default; 0.5 is BDM & Lalman (1986, p. 1122)
    and BDM (2009a, p. 5). Scholz p. 27 shows the two give different quadrants. Any value in
    [0, 1] is accepted. Default 1.0. For Q < 1 we keep the printed (1 - Q)(T U_b + (1 - T) U_w)
    term; the reproducing code leaves it out, which makes no difference at Q = 1.
p_normalisation
    "global" (default, reproducing code): eq. 31's denominator is the |votes| of all voters over
    all ordered pairs. "dyad" (printed eq. 31): the denominator is the dyad's own |votes|.
challenged_salience
    Salience in E^j(U_ji), the challenged actor's own expected utility of challenging back.
    "challenged" (default, reproducing code): the salience of the actor being challenged there,
    s_i, the same rule eq. 25a applies to E^i(U_ij). "printed" (eq. 25b): s_j in both.
offer_order
    How an actor picks among the offers it receives. "code" (default, reproducing code): the
    nearest confrontation offer first; failing that, the compromise whose EU-weighted average of
    the two positions is smallest; compel offers are never taken (the code's branch for them
    cannot fire). "paper" (p. 26): concede to the proposer with the highest expected utility;
    among equally enforceable offers prefer confrontation < compromise < compel, then the
    smallest move.
risk_perspective
    Whose risk exponent enters E(U_ji) when actor i sizes up dyad (i, j). "observer" (default,
    reproducing code): i's own r_i for both quantities, since E^i(.) is i's estimate.
    "own": r_j, so each side's expected utility uses its own exponent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from negotiation_sim.eum.equations import PNormalisation

ChallengedSalience = Literal["challenged", "printed"]
OfferOrder = Literal["code", "paper"]
RiskPerspective = Literal["observer", "own"]


@dataclass(frozen=True)
class Conventions:
    """The model's convention choices; see the module docstring for sources."""

    q: float = 1.0
    p_normalisation: PNormalisation = "global"
    challenged_salience: ChallengedSalience = "challenged"
    offer_order: OfferOrder = "code"
    risk_perspective: RiskPerspective = "observer"

    def __post_init__(self) -> None:
        if not 0.0 <= self.q <= 1.0:
            raise ValueError(f"q must be in [0, 1] (sourced values: 0.5, 1.0), got {self.q}")
        for name, allowed in (
            ("p_normalisation", PNormalisation),
            ("challenged_salience", ChallengedSalience),
            ("offer_order", OfferOrder),
            ("risk_perspective", RiskPerspective),
        ):
            value = getattr(self, name)
            if value not in get_args(allowed):
                raise ValueError(f"{name} must be one of {get_args(allowed)}, got {value!r}")
