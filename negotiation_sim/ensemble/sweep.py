"""Sweeps: outcome shares over a grid of one or two scenario values, saved and read back.

Every grid point runs with the same seed, so run ``i`` at each point uses the
same model seed and the same draws of the values left uncertain (common random
numbers): differences between points come from the swept values, not from luck.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negotiation_sim.ensemble.lock import locked
from negotiation_sim.ensemble.progress import Progress
from negotiation_sim.ensemble.result import share_cell, share_columns
from negotiation_sim.ensemble.runner import Job, as_scenario, check_runs_and_seed, run_ensembles
from negotiation_sim.ensemble.storage import (
    SWEEP_ABOUT,
    SWEEP_TABLE,
    EnsembleDirError,
    atomic_write,
    atomic_write_text,
    refuse_other_kind,
)
from negotiation_sim.limits import GRID_POINTS
from negotiation_sim.model import OUTCOMES
from negotiation_sim.scenario import Scenario, uncertainty_of, with_changes
from negotiation_sim.scenario.errors import excerpt

if TYPE_CHECKING:
    from distributed import Client

SWEEP_FORMAT = "negotiation-sim sweep, v1"


def sweep(
    scenario: Scenario | str | Path,
    grid: Mapping[str, Sequence[Any]],
    runs_per_point: int = 200,
    seed: int | None = None,
    workers: int | None = None,
    client: Client | None = None,
    progress: Progress = None,
) -> pd.DataFrame:
    """Outcome shares at every point of a grid over one or two scenario values.

    ``grid`` maps each dotted path to its values. Each point runs
    ``runs_per_point`` runs with the same seed (common random numbers across
    points); a swept value that is also uncertain is held at the point's value.
    Returns one row per point: the swept values, ``runs``, and for each outcome
    its share (column named by the outcome) and 95% Wilson interval
    (``<outcome>_low``, ``<outcome>_high``).
    """
    if not 1 <= len(grid) <= 2:
        raise ValueError(f"sweep one or two values, not {len(grid)}")
    for path, values in grid.items():
        if len(values) == 0:
            raise ValueError(f"no values to sweep for {path}")
    points_count = math.prod(len(values) for values in grid.values())
    GRID_POINTS.check(points_count)
    check_runs_and_seed(points_count * runs_per_point, seed)  # before a job is built
    base = as_scenario(scenario)
    uncertainty = uncertainty_of(base)
    points = [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())]
    jobs = [Job(with_changes(base, point), uncertainty, point) for point in points]
    ensembles = run_ensembles(jobs, runs_per_point, seed, workers, client, progress)
    rows = [
        {**point, "runs": len(ensemble.runs), **share_columns(ensemble)}
        for point, ensemble in zip(points, ensembles, strict=True)
    ]
    return pd.DataFrame(rows)


def format_sweep(
    table: pd.DataFrame, paths: Sequence[str], scenario: str | None = None, seed: int | None = None
) -> str:
    """The terminal summary of a ``sweep`` table: one row per grid point, each outcome's share
    with its 95% Wilson interval. The runs per point are read from the table."""
    widths = [max(len(path), 8) + 3 for path in paths]
    runs = f"{int(table['runs'].iloc[0]):,} runs each, " if len(table) else ""
    seeded = f"seed {seed}, " if seed is not None else ""
    lines = [
        f"{scenario or 'sweep'}: {len(table)} grid points, {runs}{seeded}"
        "common random numbers; shares with 95% Wilson intervals",
        "".join(f"{path:<{w}}" for path, w in zip(paths, widths, strict=True))
        + "".join(f"{o.replace('_', ' '):<22}" for o in OUTCOMES),
    ]
    for _, row in table.iterrows():
        values = "".join(f"{row[p]:<{w}g}" for p, w in zip(paths, widths, strict=True))
        shares = "".join(
            f"{share_cell(row[o], row[f'{o}_low'], row[f'{o}_high']):<22}" for o in OUTCOMES
        )
        lines.append(values + shares)
    return "\n".join(line.rstrip() for line in lines)


def parse_grid(text: str) -> tuple[str, list[float | int]]:
    """``"PATH=LO:HI:N"`` as a path and ``N`` evenly spaced values from LO to HI.

    Values are whole numbers when LO and HI are written as whole numbers and the
    spacing keeps them whole (``protocol.deadline=6:12:4`` gives 6, 8, 10, 12).
    Raises ``ValueError`` with a one-line reason on bad text.
    """
    path, sep, spec = text.partition("=")
    parts = spec.split(":")
    if not sep or not path or len(parts) != 3:
        raise ValueError(f"expected PATH=LO:HI:N, got {text!r}")
    try:
        low, high, count = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise ValueError(f"LO and HI must be numbers and N a whole number, got {spec!r}") from None
    if count < 1 or (count == 1 and low != high):
        raise ValueError(f"N must be at least 2 for a range, got {count}")
    GRID_POINTS.check(count)
    values = np.linspace(low, high, count)
    whole = all("." not in p and "e" not in p.lower() for p in parts[:2])
    if whole and np.all(values == np.round(values)):
        return path, [int(v) for v in values]
    return path, [float(v) for v in values]


def save_sweep(
    table: pd.DataFrame, directory: str | Path, paths: Sequence[str], **about: Any
) -> Path:
    """Write a ``sweep`` table to ``directory``: ``sweep.csv`` (the table) and ``sweep.json``
    (the swept paths, in order, and ``about``: scenario, seed, runs per point...).

    Each file is written atomically, the table first, so a directory with ``sweep.json``
    always holds its whole table; the directory is locked while they are written, and one
    holding an ensemble is refused (``EnsembleDirError``). Returns the directory.
    """
    missing = [path for path in paths if path not in table]
    if missing:
        raise ValueError(f"the table has no column for {', '.join(missing)}")
    with locked(directory) as directory:
        refuse_other_kind(directory, "a sweep")
        atomic_write(directory / SWEEP_TABLE, lambda handle: table.to_csv(handle, index=False))
        described = {"format": SWEEP_FORMAT, "paths": list(paths), **about}
        atomic_write_text(directory / SWEEP_ABOUT, json.dumps(described, indent=2, default=str))
    return directory


def load_sweep(directory: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The table and description written by ``save_sweep``; ``EnsembleDirError`` if
    ``directory`` holds no sweep."""
    directory = Path(directory)
    about_path = directory / SWEEP_ABOUT
    if not about_path.exists():
        raise EnsembleDirError(f"{directory} has no {SWEEP_ABOUT}: not a sweep directory")
    try:
        about = json.loads(about_path.read_text(encoding="utf-8"))
        paths = list(about["paths"])
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise EnsembleDirError(f"{about_path} does not describe a sweep: {exc}") from None
    if about.get("format") != SWEEP_FORMAT:
        raise EnsembleDirError(f"{about_path} has format {about.get('format')!r}")
    if not (directory / SWEEP_TABLE).exists():
        raise EnsembleDirError(f"{directory} has {SWEEP_ABOUT} but no {SWEEP_TABLE}")
    # Read as text and let Python convert: exact for the shortest repr ``to_csv`` writes.
    try:
        text = pd.read_csv(directory / SWEEP_TABLE, dtype=str, keep_default_na=False)
        table = pd.DataFrame({name: _numbers(column) for name, column in text.items()})
    except ValueError as exc:  # pandas' parse errors, and bytes that are not UTF-8
        problem = excerpt(exc, 80)
        raise EnsembleDirError(
            f"{directory / SWEEP_TABLE} is not a sweep table: {problem}"
        ) from None
    expected = [*paths, "runs", *OUTCOMES]
    if any(column not in table for column in expected):
        raise EnsembleDirError(f"{directory / SWEEP_TABLE} lacks columns of a sweep table")
    return table, about


def _numbers(column: pd.Series) -> pd.Series:
    """A column of a saved sweep table as whole numbers where it holds only those, else floats."""
    try:
        return column.astype("int64")
    except ValueError:
        return column.astype("float64")
