"""Negotiation strategies, found by name through ``STRATEGIES``.

Register your own without editing the library::

    from negotiation_sim.strategies import STRATEGIES, Strategy

    @STRATEGIES.register("stubborn_then_fold")
    class StubbornThenFold(Strategy):
        def target(self, me, t):
            return me.best if t < 0.9 else me.floor
"""

from negotiation_sim.registry import Registry
from negotiation_sim.strategies.base import NegotiatorState, Strategy
from negotiation_sim.strategies.hardliner import Hardliner
from negotiation_sim.strategies.rubinstein import Rubinstein
from negotiation_sim.strategies.time_dependent import Boulware, Conceder, Linear, TimeDependent
from negotiation_sim.strategies.tit_for_tat import RelativeTitForTat
from negotiation_sim.strategies.zeuthen import Zeuthen

STRATEGIES: Registry[Strategy] = Registry("strategy")
for _cls in (
    TimeDependent,
    Boulware,
    Linear,
    Conceder,
    RelativeTitForTat,
    Hardliner,
    Rubinstein,
    Zeuthen,
):
    STRATEGIES.register()(_cls)

__all__ = [
    "STRATEGIES",
    "Boulware",
    "Conceder",
    "Hardliner",
    "Linear",
    "NegotiatorState",
    "RelativeTitForTat",
    "Rubinstein",
    "Strategy",
    "TimeDependent",
    "Zeuthen",
]
