"""Costly signals: moves that tell the others something because of what they cost.

Fearon (1997), "Signaling foreign policy interests: tying hands versus sinking costs",
*Journal of Conflict Resolution* 41(1): a state shows its resolve either by paying up
front for a move (*sinking costs*: a build-up, a deployment) or by a move that costs it
only if it later backs down (*tying hands*: going public, as with a leaked written "no",
whose audience costs fall due on any climb-down, Fearon 1994). Either signal informs
only because the types that would not pay its cost do not send it.

Each rule is written once and read twice: by the mover, with its own values, to decide;
and by an observer, with every type of its belief about the mover at once (numpy arrays
broadcast over the types), to learn from the move made or not made
(``signal_likelihood``).
"""

from __future__ import annotations

import numpy as np

Values = float | np.ndarray


def sinks_costs(floor_now: Values, floor_after: Values, cost: float) -> np.ndarray:
    """Whether a build-up that moves the mover's floor (the least it accepts: the better of
    no deal and war) from ``floor_now`` to ``floor_after`` is worth its sunk ``cost``: only
    if it raises the floor by more than the cost. A type that would not fight even with
    the added forces gains nothing it would use from them, so it does not pay; we assume,
    with Fearon's (1997) separating equilibrium, that the cost exceeds what a bluff would
    win it."""
    return np.asarray(np.subtract(floor_after, floor_now) > cost)


def ties_hands(war: Values, hope: Values, reservation: Values, audience_cost: float) -> np.ndarray:
    """Whether the mover makes the talks public, binding itself to its demands: only when
    it does not mean to back down, that is when war (``war``: as publicity leaves it)
    beats both no deal and the best deal it hopes for less the audience cost it would
    then pay on it. For a type that means to settle, that audience cost is a loss; for a
    type that means to fight, the commitment costs nothing (Fearon 1997, tying hands)."""
    return np.asarray(war > np.maximum(reservation, hope - audience_cost))


def deterrence_worth(pressure: Values, cut: Values) -> np.ndarray:
    """What a deterrence move is worth to its mover: the part of the adversary's pressure
    (how far its floor exceeds the most the mover's side can offer it) that the move's
    ``cut`` in that floor removes; nothing while a deal is in reach (Schelling 1966, ch. 2;
    Huth 1988). See ``Negotiator.deters``."""
    pressure = np.maximum(pressure, 0.0)
    return np.asarray(pressure - np.maximum(pressure - cut, 0.0))


def signal_likelihood(sends: np.ndarray, sent: bool, tremble: float = 0.0) -> np.ndarray:
    """Per type, the probability of what the observer saw (the move ``sent`` or not), given
    whether the type's rule ``sends`` it: 1 if the rule gives that choice, else
    ``tremble``. With no tremble a signal separates: after it, the types that would not
    have sent it are gone. An observer that evaluates the rule only approximately (the
    mover's choice also rests on its own beliefs, which the observer does not hold)
    keeps a tremble (``beliefs.TREMBLE``) so that one surprise does not rule a type out."""
    return np.where(sends == sent, 1.0, tremble)
