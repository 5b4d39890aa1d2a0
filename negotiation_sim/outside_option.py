"""Russia's outside option: a "military-technical response" valued as a costly lottery.

Fearon (1995), "Rationalist Explanations for War", *International Organization*
49(3): a state's expected value of war is ``p * win + (1 - p) * lose - cost``,
where ``p`` is its probability of prevailing; it prefers any bargain worth more
than that. The probability follows the ratio contest success function
``p = A / (A + D)`` (Hirshleifer 1989, "Conflict and rent-seeking success
functions", *Public Choice* 63), with the attacker's effective force ``A`` and
the defender's ``D`` in troop-equivalents:

* ``A = border_troops + belarus_multiplier * belarus_troops``: the ~100,000 troops
  on Ukraine's borders, and the forces moved into Belarus, which the article says
  offer a short, lightly defended path to Kyiv (hence a multiplier above one);
* ``D = defender_strength + deliveries * per_delivery + helicopters * per_helicopter``:
  Western weapons deliveries strengthen the defence and lower ``p``;
* ``cost = base_cost + cost_per_1000_nato_troops * nato_troops / 1000``: NATO's
  eastern-flank deployments do not defend Ukraine (the article is explicit), but
  signal that an invasion brings a bigger NATO presence: they raise the cost.

Timed events (deployments, deliveries, build-ups) add to these inputs by name. With a
``discount``, the actor also values a deal by what it will last once the scheduled
events have shifted power (Powell 2006, "War as a commitment problem"; see
``Russia.lasting``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

UTILITY_INPUTS = frozenset({"base_cost", "cost_per_1000_nato_troops", "win_value", "lose_value"})
"""Inputs on the negotiators' 0..1 utility scale; the others count forces or deliveries."""
MAX_UTILITY, MAX_FORCE = 10.0, 1e12
"""Largest sizes that mean something: ten times the utility scale, a million times any army
(beyond them, values only overflow or drown every other input)."""
BEHAVIOUR = frozenset({"escalation_rate", "discount"})
"""Fields that say how the actor decides, not what war is worth: optional, never changed
by events."""


@dataclass(frozen=True)
class WarOption:
    """Inputs of the expected value of war; all utilities on the negotiators' 0..1 scale."""

    border_troops: float
    defender_strength: float
    base_cost: float
    belarus_troops: float = 0.0
    belarus_multiplier: float = 1.0
    deliveries: float = 0.0
    per_delivery: float = 0.0
    helicopters: float = 0.0
    per_helicopter: float = 0.0
    nato_troops: float = 0.0
    cost_per_1000_nato_troops: float = 0.0
    win_value: float = 1.0
    lose_value: float = 0.0
    escalation_rate: float | None = None
    """Hazard of war per time unit and unit of escalation pressure; None: war as soon as it
    beats the talks (see ``Russia.escalates``)."""
    discount: float | None = None
    """Powell's (2006) discount factor per time unit, in (0, 1): how much a deal's worth
    after a scheduled shift in power counts against its worth until then (see
    ``Russia.lasting``); None: it does not look ahead."""

    def __post_init__(self) -> None:
        for name in _FIELDS:
            _check(name, getattr(self, name))
        if self.discount is not None and not 0.0 < self.discount < 1.0:
            raise ValueError(f"discount must lie strictly between 0 and 1, got {self.discount}")
        self._check_forces()
        object.__setattr__(self, "_values", {})  # see value; not a field

    def _check_forces(self) -> None:
        if self.attacker_force + self.defender_force <= 0:
            raise ValueError("attacker and defender forces are both zero")

    @property
    def attacker_force(self) -> float:
        return self.border_troops + self.belarus_multiplier * self.belarus_troops

    @property
    def defender_force(self) -> float:
        return (
            self.defender_strength
            + self.deliveries * self.per_delivery
            + self.helicopters * self.per_helicopter
        )

    def win_probability(self, defender_scale: float = 1.0) -> float:
        """``p = A / (A + D)``; ``defender_scale`` is the attacker's misperception of ``D``."""
        defender = self.defender_force * defender_scale
        return self.attacker_force / (self.attacker_force + defender)

    @property
    def cost(self) -> float:
        return self.base_cost + self.cost_per_1000_nato_troops * self.nato_troops / 1000.0

    def value(self, defender_scale: float = 1.0) -> float:
        """Expected value of war, Fearon (1995): ``p * win + (1 - p) * lose - cost``; kept per
        ``defender_scale``, since the option never changes and the actors read it every turn.
        A scenario's option is shared by all its runs, each with its own drawn scale: only
        the last few scales are kept, so that an ensemble's memory does not grow with it."""
        values: dict[float, float] = self._values  # type: ignore[attr-defined]
        found = values.get(defender_scale)
        if found is None:
            if len(values) >= KEPT_SCALES:
                del values[next(iter(values))]  # the oldest
            p = self.win_probability(defender_scale)
            found = values[defender_scale] = (
                p * self.win_value + (1.0 - p) * self.lose_value - self.cost
            )
        return found

    def changed(self, changes: Mapping[str, float]) -> WarOption:
        """A copy with ``changes`` added to the named inputs (a deployment, a delivery).
        Only what changes is checked again: the actors weigh the changes their moves would
        make every round, so this is made often."""
        unknown = set(changes) - CHANGEABLE
        if unknown:
            raise KeyError(f"unknown war input(s) {sorted(unknown)}; known: {sorted(CHANGEABLE)}")
        inputs = dict(self.__dict__)  # its fields, as dataclasses.replace would read them
        for name, delta in changes.items():
            inputs[name] = value = inputs[name] + delta
            _check(name, value)
        inputs["_values"] = {}
        copy = object.__new__(WarOption)
        copy.__dict__.update(inputs)
        copy._check_forces()
        return copy


_BOUNDS = {
    f.name: MAX_UTILITY if f.name in UTILITY_INPUTS else MAX_FORCE
    for f in dataclasses.fields(WarOption)
}
"""Each field, with the largest size that means something for it (checked once, not per
instance: ensembles make war options by the thousand)."""
_FIELDS = tuple(f.name for f in dataclasses.fields(WarOption))
KEPT_SCALES = 4
"""Values kept per war option (see ``WarOption.value``): the true defence and the scale of
the run under way, with room to spare."""
CHANGEABLE = frozenset(_FIELDS) - BEHAVIOUR
"""The war inputs an event may add to (forces, costs); the rate and discount are behaviour."""


def _check(name: str, value: float | None) -> None:
    """That one input of a war option is a meaningful number (or, for behaviour, None)."""
    if value is None and name in BEHAVIOUR:
        return
    if value is None or not math.isfinite(value) or (value < 0 and name != "lose_value"):
        raise ValueError(f"{name} must be finite and non-negative, got {value}")
    bound = _BOUNDS[name]
    if abs(value) > bound:
        utility = name in UTILITY_INPUTS
        scale = "on the 0..1 utility scale" if utility else "for forces or deliveries"
        raise ValueError(f"{name} is {value:g}: beyond {bound:g} means nothing {scale}")
