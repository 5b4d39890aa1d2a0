"""The actor record the EUM takes as input, and the checks every input source goes through."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


class EUMInputError(ValueError):
    """Bad actor input, located by source (file), line (or item) and field."""

    def __init__(self, source: str, where: str, field: str, problem: str) -> None:
        self.source = source
        self.where = where
        self.field = field
        self.problem = problem
        super().__init__(f"{source}, {where}, field {field!r}: {problem}")


@dataclass(frozen=True)
class EUMActor:
    """One stakeholder on one issue dimension.

    capability: c_i >= 0, any scale (only ratios matter).
    position: x_i, the outcome the actor currently advocates.
    salience: s_i in [0, 1]; the model uses 1 - s_i as a probability, so 0..100 scales must be
    converted before they get here.
    """

    name: str
    capability: float
    position: float
    salience: float


def locate(kind: str, numbers: Sequence[int]) -> str:
    """'line 3' for one place, 'lines 2-6' for a span (used in whole-table messages)."""
    if len(numbers) == 1:
        return f"{kind} {numbers[0]}"
    return f"{kind}s {min(numbers)}-{max(numbers)}"


def validate_actors(
    actors: Sequence[EUMActor],
    source: str = "actors argument",
    lines: Sequence[int] | None = None,
    kind: str = "item",
) -> None:
    """Reject tables the model cannot run on, naming where the problem is.

    `lines[k]` is where actor k came from (file line, or 1-based item number by default).
    """
    numbers = list(lines) if lines is not None else list(range(1, len(actors) + 1))
    seen: dict[str, int] = {}
    for actor, number in zip(actors, numbers, strict=True):
        where = locate(kind, [number])
        if not actor.name.strip():
            raise EUMInputError(source, where, "actor", "actor name is empty")
        if actor.name in seen:
            first = locate(kind, [seen[actor.name]])
            problem = f"duplicate actor {actor.name!r} (first at {first})"
            raise EUMInputError(source, where, "actor", problem)
        seen[actor.name] = number
        for field in ("capability", "position", "salience"):
            if not math.isfinite(getattr(actor, field)):
                raise EUMInputError(source, where, field, f"{field} must be a finite number")
        if actor.capability < 0:
            raise EUMInputError(
                source, where, "capability", f"capability must be >= 0, got {actor.capability:g}"
            )
        if not 0.0 <= actor.salience <= 1.0:
            raise EUMInputError(
                source,
                where,
                "salience",
                f"salience must be in [0, 1], got {actor.salience:g} (divide 0-100 scales by 100)",
            )
    everywhere = locate(kind, numbers) if numbers else f"{kind} 1"
    if len(actors) < 2:
        raise EUMInputError(
            source, everywhere, "actor", f"need at least 2 actors, got {len(actors)}"
        )
    if len({actor.position for actor in actors}) == 1:
        raise EUMInputError(
            source, everywhere, "position", "all positions are equal, so there is nothing to model"
        )
    if not any(actor.capability * actor.salience > 0 for actor in actors):
        raise EUMInputError(
            source, everywhere, "capability", "every actor has capability x salience = 0"
        )
