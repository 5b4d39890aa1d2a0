"""Issues, their ordered options, and the space of all packages (offers).

A package picks one option per issue. Every package of a scenario is
enumerated once, as an integer-coded array, so that utilities and red lines
are evaluated for all packages in one vectorised pass per run rather than
once per offer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from negotiation_sim.limits import memory_problem


@dataclass(frozen=True)
class Option:
    """One option of an issue, placed on the issue's 0..1 axis."""

    name: str
    position: float


@dataclass(frozen=True)
class Issue:
    """An issue with ordered options; one of them is the status quo.

    ``confidence_building`` marks issues whose movement alone makes a
    *partial* agreement (hotline, exercise transparency, arms-control talks).
    An issue that is not ``on_table`` stays at its status quo in every package.
    """

    name: str
    options: tuple[Option, ...]
    status_quo: int = 0
    confidence_building: bool = False
    on_table: bool = True

    def __post_init__(self) -> None:
        if not self.options:
            raise ValueError(f"issue {self.name!r} has no options")
        if not 0 <= self.status_quo < len(self.options):
            raise ValueError(f"issue {self.name!r}: status quo index out of range")

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.options)

    @property
    def positions(self) -> np.ndarray:
        return np.array([o.position for o in self.options], dtype=float)

    def index(self, option: str) -> int:
        """Index of an option by name (``KeyError`` naming the issue if unknown)."""
        try:
            return self.option_names.index(option)
        except ValueError:
            raise KeyError(f"issue {self.name!r} has no option {option!r}") from None

    @property
    def open_codes(self) -> tuple[int, ...]:
        """Option indices a package may pick: all, or only the status quo if off the table."""
        return tuple(range(len(self.options))) if self.on_table else (self.status_quo,)


@dataclass(frozen=True)
class OutcomeSpace:
    """All packages over a tuple of issues.

    ``packages[k, i]`` is the option index that package ``k`` picks on issue ``i``, as
    int16 (int32 for an issue of more than 32,767 options). How many packages a space may
    have depends on the machine's memory and on the actors that use it: a space that no
    run could hold even for one actor is refused here, and the scenario loader checks the
    space for all of a scenario's actors before enumerating it (``limits.memory_problem``).
    """

    issues: tuple[Issue, ...]
    packages: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [i.name for i in self.issues]
        if not names:
            raise ValueError("an outcome space needs at least one issue")
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate issue names in {names}")
        too_big = memory_problem(self.size_of(self.issues), actors=1)
        if too_big:  # no run could use it (a scenario's loader checks for all its actors)
            raise ValueError(too_big)
        widest = max(len(i.options) for i in self.issues)
        codes = np.int16 if widest <= np.iinfo(np.int16).max else np.int32
        grids = np.meshgrid(
            *(np.array(i.open_codes, dtype=codes) for i in self.issues), indexing="ij"
        )
        # column-major: each issue's column is contiguous, as utilities and red lines read it
        packages = np.asfortranarray(
            np.stack([grid.ravel() for grid in grids], axis=1).reshape(-1, len(self.issues))
        )
        packages.setflags(write=False)
        object.__setattr__(self, "packages", packages)

    def __len__(self) -> int:
        return len(self.packages)

    @staticmethod
    def size_of(issues: Sequence[Issue]) -> int:
        """How many packages the space over ``issues`` holds (without enumerating them)."""
        return math.prod(len(i.open_codes) for i in issues)

    @property
    def issue_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.issues)

    def issue(self, name: str) -> Issue:
        for issue in self.issues:
            if issue.name == name:
                return issue
        raise KeyError(f"no issue named {name!r}")

    def index_of(self, choice: Mapping[str, str] | Sequence[int]) -> int:
        """Row index of a package given as {issue: option} (missing issues at status quo)
        or as a sequence of option indices."""
        if isinstance(choice, Mapping):
            unknown = set(choice) - set(self.issue_names)
            if unknown:
                raise KeyError(f"unknown issue(s) {sorted(unknown)}")
            codes = [
                i.index(choice[i.name]) if i.name in choice else i.status_quo for i in self.issues
            ]
        else:
            codes = list(choice)
        hits = np.flatnonzero((self.packages == np.asarray(codes)).all(axis=1))
        if not len(hits):
            raise KeyError(f"package {codes} is not in the outcome space (issue off the table?)")
        return int(hits[0])

    @property
    def status_quo_index(self) -> int:
        return self.index_of([i.status_quo for i in self.issues])

    def terms(self, index: int) -> dict[str, str]:
        """The package at ``index`` as {issue name: option name}."""
        row = self.packages[index]
        return {i.name: i.options[c].name for i, c in zip(self.issues, row, strict=True)}

    def moved(self, index: int) -> tuple[str, ...]:
        """Names of the issues that package ``index`` moves off their status quo."""
        row = self.packages[index]
        return tuple(i.name for i, c in zip(self.issues, row, strict=True) if c != i.status_quo)
