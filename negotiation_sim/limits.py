"""Caps on what a scenario or a command may ask for, so that no input hangs or exhausts the machine.

A deadline of a billion rounds, a trillion runs or a sweep of a million points would each
validate and then run for days or until memory runs out. Each cap is a documented default
that an environment variable raises (or lowers), and every error says which one:

==========================================  ===========  ==================================
cap                                         default      environment variable
==========================================  ===========  ==================================
rounds of a run (a deadline, ``--rounds``)  10,000       ``NEGOTIATION_SIM_MAX_ROUNDS``
runs of an ensemble (a sweep: all points)   1,000,000    ``NEGOTIATION_SIM_MAX_RUNS``
grid points of a sweep                      10,000       ``NEGOTIATION_SIM_MAX_GRID_POINTS``
local worker processes                      the cores    ``NEGOTIATION_SIM_MAX_WORKERS``
size of a scenario file                     1,000,000 B  ``NEGOTIATION_SIM_MAX_FILE_BYTES``
==========================================  ===========  ==================================

At the defaults a run takes at most about a second and 10 MB, and an ensemble's table
about 200 MB. The outcome space has no fixed cap: what it costs is estimated from what a
run actually holds per package and actor (``BYTES_PER_PACKAGE_ACTOR``, measured) and
compared with the memory available now (``memory_problem``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limit:
    """A cap with its default, its unit, and the environment variable that changes it."""

    variable: str
    default: int
    unit: str

    @property
    def value(self) -> int:
        """The cap in force: the environment variable's whole number if it holds one."""
        text = os.environ.get(self.variable, "").replace("_", "").replace(",", "")
        return int(text) if text.isdigit() and int(text) > 0 else self.default

    def problem(self, value: int) -> str | None:
        """Why ``value`` is over the cap (one line saying how to raise it), or None."""
        if value <= self.value:
            return None
        return (
            f"{value:,} {self.unit} is more than the {self.value:,} allowed "
            f"(set {self.variable} to raise the limit)"
        )

    def check(self, value: int) -> None:
        """Raise ``ValueError`` with ``problem``'s line if ``value`` is over the cap."""
        problem = self.problem(value)
        if problem:
            raise ValueError(problem)


ROUNDS = Limit("NEGOTIATION_SIM_MAX_ROUNDS", 10_000, "rounds")
RUNS = Limit("NEGOTIATION_SIM_MAX_RUNS", 1_000_000, "runs")
GRID_POINTS = Limit("NEGOTIATION_SIM_MAX_GRID_POINTS", 10_000, "grid points")
FILE_BYTES = Limit("NEGOTIATION_SIM_MAX_FILE_BYTES", 1_000_000, "bytes")


def cores() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def workers_limit() -> Limit:
    """Local worker processes: the cores, unless ``NEGOTIATION_SIM_MAX_WORKERS`` says more."""
    return Limit("NEGOTIATION_SIM_MAX_WORKERS", cores(), "worker processes")


BYTES_PER_PACKAGE_ACTOR = 200
"""Peak memory of one run per package and actor: the utilities, red-line masks, beliefs of
the others and the offer rankings a run keeps (measured: 186-191 bytes, for 3 and 6 actors
over a million packages)."""

MEMINFO = Path("/proc/meminfo")
CGROUP = Path("/sys/fs/cgroup")


def run_memory(packages: int, actors: int) -> int:
    """Bytes one run of a scenario with this many packages and actors needs at its peak."""
    return packages * actors * BYTES_PER_PACKAGE_ACTOR


def available_memory() -> int | None:
    """Bytes this process could still allocate (the system's available memory, within the
    container's limit if it has one); None where that cannot be read."""
    found = []
    try:
        for line in MEMINFO.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        limit = (CGROUP / "memory.max").read_text().strip()
        if limit != "max":
            found.append(int(limit) - int((CGROUP / "memory.current").read_text()))
    except (OSError, ValueError):
        pass
    return min(found) if found else None


def memory_problem(packages: int, actors: int) -> str | None:
    """Why a run over ``packages`` packages with ``actors`` actors would not fit in memory."""
    needed, available = run_memory(packages, actors), available_memory()
    if available is None or needed <= available:
        return None
    who = f"{actors} actor{'s' if actors > 1 else ''}"
    return (
        f"{packages:,} packages for {who} need about {needed / 1e9:.1f} GB a run, "
        f"more than the {max(available, 0) / 1e9:.1f} GB available: take issues off the "
        "table or merge options"
    )
