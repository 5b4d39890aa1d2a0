"""A small cache of what was computed from given objects, found again by their identity.

Ensembles rebuild a scenario per run for its drawn values, but the parts a draw does
not touch are the very objects of the scenario it came from (``with_changes`` copies
only the path it sets). Keyed by identity, what was computed from those parts is
reused without hashing or comparing them; an entry holds its objects, so an identity
stays valid while it is cached. Within a run, ``KeptFor`` keeps what was worked out from
an actor's current state the same way, until an object of that state is replaced.
"""

from __future__ import annotations

from collections.abc import Hashable
from operator import is_
from typing import Any


class IdentityCache:
    """At most ``size`` entries, the least recently used dropped first: what every run of an
    ensemble shares (the actors a draw leaves alone) stays, while each run's own entries
    (an actor whose values it drew) age out."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}

    def get(self, *sources: Any) -> Any:
        """What was put for exactly these objects, or None. Their ids suffice: while an entry
        holds its objects, no other object can have the same id."""
        key = tuple(map(id, sources))
        hit = self._items.pop(key, None)
        if hit is None:
            return None
        self._items[key] = hit  # now the most recently used
        return hit[1]

    def put(self, sources: tuple[Any, ...], value: Any) -> Any:
        """Remember ``value`` for ``sources``; returns it."""
        if len(self._items) >= self.size:
            del self._items[next(iter(self._items))]
        self._items[tuple(map(id, sources))] = (sources, value)
        return value


class KeptFor[V]:
    """Values worked out from one state, kept until the state changes: the state is a few
    objects, and it changes when any of them is replaced by another object. For what an
    actor reads again and again between rare changes (its war option, the shifts ahead, a
    belief's weights); a replaced object that happens to be equal costs a recomputation,
    never a stale value."""

    __slots__ = ("_state", "_values")

    def __init__(self) -> None:
        self._state: tuple[Any, ...] | None = None
        self._values: dict[Hashable, V] = {}

    def table(self, *state: Any) -> dict[Hashable, V]:
        """The values kept for ``state``: those put since it was last seen to change."""
        held = self._state
        if held is None or not all(map(is_, held, state)):
            self._state, self._values = state, {}
        return self._values
