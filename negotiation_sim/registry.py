"""Name -> class registries, so scenario files can name strategies and actor classes.

Users add their own with the ``register`` decorator; nothing in the library
needs editing (see ``examples/custom_actor.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator


class Registry[T]:
    """A small, case-sensitive mapping from names to classes."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, type[T]] = {}

    def register(self, name: str | None = None) -> Callable[[type[T]], type[T]]:
        """Class decorator: ``@STRATEGIES.register("my_name")`` (default: the class's ``name``)."""

        def add(cls: type[T]) -> type[T]:
            key = name or getattr(cls, "name", None) or cls.__name__
            if key in self._items and self._items[key] is not cls:
                raise ValueError(f"a {self.kind} named {key!r} is already registered")
            self._items[key] = cls
            return cls

        return add

    def get(self, name: str) -> type[T]:
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items))
            raise KeyError(f"unknown {self.kind} {name!r}; known: {known}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._items))

    def names(self) -> list[str]:
        return sorted(self._items)

    def items(self) -> list[tuple[str, type[T]]]:
        """``(name, class)`` pairs, sorted by name."""
        return sorted(self._items.items())
