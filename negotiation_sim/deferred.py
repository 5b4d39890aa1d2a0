"""A mapping whose entries can be left to be worked out until someone reads them.

An actor keeps every package's believed utility for each other party, public for its
strategy to read (``NegotiatorState.believed_utilities``), but its own rounds read only
the packages it may offer, worked out along its order; a belief that learns replaces
the entry after most moves, and a strategy that reads it at all reads it far less often.
So a learned entry is kept as the recipe for it and worked out on its first read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any


class _Recipe[V]:
    """A call to make when the entry is first read."""

    __slots__ = ("args", "work")

    def __init__(self, work: Callable[..., V], args: tuple[Any, ...]) -> None:
        self.work = work
        self.args = args


class Deferred[V](MutableMapping[str, V]):
    """A dict whose ``defer``red entries are ``work(*args)``, made once, on first read: the
    arguments must not change in place before then (the callers pass new arrays)."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Mapping[str, V] | None = None) -> None:
        self._entries: dict[str, V | _Recipe[V]] = dict(entries or {})

    def defer(self, key: str, work: Callable[..., V], *args: Any) -> None:
        """Set ``key`` to ``work(*args)``, worked out when ``key`` is first read."""
        self._entries[key] = _Recipe(work, args)

    def __getitem__(self, key: str) -> V:
        found = self._entries[key]
        if isinstance(found, _Recipe):
            found = self._entries[key] = found.work(*found.args)
        return found

    def __setitem__(self, key: str, value: V) -> None:
        self._entries[key] = value

    def __delitem__(self, key: str) -> None:
        del self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Deferred({dict(self)!r})"
