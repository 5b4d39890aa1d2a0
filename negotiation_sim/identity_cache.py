"""A small cache of what was computed from given objects, found again by their identity.

Ensembles rebuild a scenario per run for its drawn values, but the parts a draw does
not touch are the very objects of the scenario it came from (``with_changes`` copies
only the path it sets). Keyed by identity, what was computed from those parts is
reused without hashing or comparing them; an entry holds its objects, so an identity
stays valid while it is cached.
"""

from __future__ import annotations

from typing import Any


class IdentityCache:
    """At most ``size`` entries, the oldest dropped first."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}

    def get(self, *sources: Any) -> Any:
        """What was put for exactly these objects, or None. Their ids suffice: while an entry
        holds its objects, no other object can have the same id."""
        hit = self._items.get(tuple(map(id, sources)))
        return None if hit is None else hit[1]

    def put(self, sources: tuple[Any, ...], value: Any) -> Any:
        """Remember ``value`` for ``sources``; returns it."""
        if len(self._items) >= self.size:
            del self._items[next(iter(self._items))]
        self._items[tuple(map(id, sources))] = (sources, value)
        return value
