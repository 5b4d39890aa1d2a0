"""The one error a scenario file can raise: where the problem is, then what it is.

Scenario files are written by hand, so every problem found while reading one
is reported as a single line a text editor understands (``FILE:LINE: ...``),
naming the field by its dotted path, never as a traceback.
"""

from __future__ import annotations

from typing import Any

MAX_MESSAGE = 400
"""Longest message kept: an error quotes input only in short excerpts, and never a whole file."""


class ScenarioError(Exception):
    """A problem in a scenario file, located by file, 1-based line and dotted field path.

    ``line`` is None only when no line exists (a missing file, a value changed
    in code); ``field`` is empty when the problem is not in one field (a YAML
    syntax error).
    """

    def __init__(
        self, message: str, *, file: str, line: int | None = None, field: str = ""
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = excerpt(message, MAX_MESSAGE)  # always one line, and never a whole file
        super().__init__(str(self))

    def __reduce__(self) -> tuple:
        """Rebuild from its keyword arguments, so the error survives a trip between processes."""
        return _rebuild, (self.message, self.file, self.line, self.field)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where, self.field, self.message] if self.field else [where, self.message]
        return ": ".join(parts)


def _rebuild(message: str, file: str, line: int | None, field: str) -> ScenarioError:
    return ScenarioError(message, file=file, line=line, field=field)


def quoted(value: Any, limit: int = 40) -> str:
    """``repr(value)`` as a short excerpt: how a message names a value taken from a file."""
    return excerpt(repr(value), limit)


def excerpt(value: Any, limit: int = 60) -> str:
    """``value`` as text on one line, cut to ``limit`` characters: what a message may quote
    of input that could be anything (a long value, a foreign file, binary data)."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
