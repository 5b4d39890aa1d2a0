"""Relative tit-for-tat: concede in the proportion the others conceded.

Faratin, Sierra & Jennings (1998), section 4.2.3, "relative tit-for-tat": the
agent reproduces, in percentage terms, the behaviour of its opponent in the
previous exchange. Measured in the agent's own utility: if the others' latest
offers are worth ``u_new`` to it and their previous ones ``u_old``, it lowers
its target by the factor ``u_old / u_new`` (averaged over the others), never
below its floor and never above its best. Nobody conceding means nobody
conceding: two tit-for-tat players facing each other stall, as in the paper.
"""

from __future__ import annotations

from negotiation_sim.strategies.base import NegotiatorState, Strategy


class RelativeTitForTat(Strategy):
    """Faratin et al. (1998) relative tit-for-tat over utilities of received offers."""

    name = "tit_for_tat"

    def target(self, me: NegotiatorState, t: float) -> float:
        ratios = [
            history[-2] / history[-1]
            for history in me.received.values()
            if len(history) >= 2 and history[-1] > 0
        ]
        if not ratios:
            return me.target
        factor = sum(ratios) / len(ratios)
        return min(me.best, max(me.floor, me.target * factor))
