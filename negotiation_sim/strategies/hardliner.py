"""The hardliner: a commitment that never concedes.

Schelling (1960), *The Strategy of Conflict*, ch. 2: a negotiator who visibly
binds itself to a position can gain by making concession impossible. The
hardliner keeps its target at ``aspiration`` times its best utility in every
round and accepts nothing below it. It is the ``e -> 0`` limit of Faratin et
al.'s Boulware tactic, without even the final concession at the deadline.
"""

from __future__ import annotations

from negotiation_sim.strategies.base import NegotiatorState, Strategy


class Hardliner(Strategy):
    """Schelling (1960) commitment: a fixed target of ``aspiration * best``."""

    name = "hardliner"

    def __init__(self, aspiration: float = 1.0) -> None:
        if not 0.0 < aspiration <= 1.0:
            raise ValueError(f"aspiration must lie in (0, 1], got {aspiration}")
        self.aspiration = aspiration

    def target(self, me: NegotiatorState, t: float) -> float:
        return max(me.floor, self.aspiration * me.best)
