"""Time-dependent concession: Boulware, linear and conceder.

Faratin, Sierra & Jennings (1998), "Negotiation decision functions for
autonomous agents", *Robotics and Autonomous Systems* 24(3-4), section 4.2.1:
the aspiration falls from the best to the reservation value as
``target(t) = floor + (best - floor) * (1 - t ** (1 / e))``. With ``e < 1``
(Boulware) the agent holds out until near the deadline; ``e = 1`` concedes
linearly; ``e > 1`` (conceder) gives ground early.
"""

from __future__ import annotations

import math

from negotiation_sim.strategies.base import NegotiatorState, Strategy


class TimeDependent(Strategy):
    """Faratin et al. (1998) polynomial time-dependent tactic with exponent ``e``."""

    name = "time_dependent"

    def __init__(self, exponent: float = 1.0) -> None:
        if not (math.isfinite(exponent) and exponent > 0):
            raise ValueError(f"exponent must be a positive number, got {exponent}")
        self.exponent = exponent

    def target(self, me: NegotiatorState, t: float) -> float:
        return me.floor + (me.best - me.floor) * (1.0 - t ** (1.0 / self.exponent))


class Boulware(TimeDependent):
    """Faratin et al. (1998) with ``e = 0.2`` by default: concede little until the deadline."""

    name = "boulware"

    def __init__(self, exponent: float = 0.2) -> None:
        if exponent >= 1:
            raise ValueError(f"a Boulware exponent is below 1, got {exponent}")
        super().__init__(exponent)


class Linear(TimeDependent):
    """Faratin et al. (1998) with ``e = 1``: concede the same amount each round."""

    name = "linear"

    def __init__(self) -> None:
        super().__init__(1.0)


class Conceder(TimeDependent):
    """Faratin et al. (1998) with ``e = 2`` by default: concede most in the early rounds."""

    name = "conceder"

    def __init__(self, exponent: float = 2.0) -> None:
        if exponent <= 1:
            raise ValueError(f"a conceder exponent is above 1, got {exponent}")
        super().__init__(exponent)
