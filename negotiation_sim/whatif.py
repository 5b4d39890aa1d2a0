"""What-ifs: scenarios compared under common random numbers, and values swept over a grid.

Every ensemble here is run with the same seed, so run ``i`` of each variant
uses the same model seed and the same draws of the uncertain values (common
random numbers). Differences between variants then come from the variants,
not from luck, and a difference is judged run by run (paired), which gives a
much narrower interval than comparing two independent ensembles.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negotiation_sim.ensemble.intervals import paired_difference_interval
from negotiation_sim.ensemble.result import Ensemble
from negotiation_sim.ensemble.runner import Job, as_scenario, run_ensembles
from negotiation_sim.ensemble.storage import EnsembleDirError, atomic_write, atomic_write_text
from negotiation_sim.loader import with_changes
from negotiation_sim.model import OUTCOMES
from negotiation_sim.scenario import Scenario
from negotiation_sim.uncertainty import uncertainty_of

if TYPE_CHECKING:
    from distributed import Client

SWEEP_TABLE, SWEEP_ABOUT = "sweep.csv", "sweep.json"
SWEEP_FORMAT = "negotiation-sim sweep, v1"

Variant = Scenario | str | Path | Mapping[str, Any]
"""A scenario, a scenario file, or changes ``{dotted.path: value}`` to the first scenario."""


@dataclass(frozen=True)
class Comparison:
    """Ensembles of several variants run with common random numbers; the first is the base."""

    labels: tuple[str, ...]
    ensembles: tuple[Ensemble, ...]

    def shares(self) -> pd.DataFrame:
        """Outcome shares side by side: one row per outcome, columns ``(variant, share|low|high)``
        (95% Wilson intervals)."""
        return pd.concat(
            {
                label: e.outcome_distribution()[["share", "low", "high"]]
                for label, e in zip(self.labels, self.ensembles, strict=True)
            },
            axis=1,
        )

    def differences(self) -> pd.DataFrame:
        """Each later variant's share minus the base's, per outcome, with a 95% interval.

        Runs are paired by index (same seed, same draws), so the interval is
        Newcombe's (1998) method 10 for paired proportions; a variant identical
        to the base has a difference of exactly zero. Rows ``(variant, outcome)``,
        columns ``difference``, ``low``, ``high``.
        """
        base = self.ensembles[0].runs["outcome"].to_numpy()
        rows = []
        for label, ensemble in zip(self.labels[1:], self.ensembles[1:], strict=True):
            other = ensemble.runs["outcome"].to_numpy()
            for outcome in OUTCOMES:
                diff, low, high = paired_difference_interval(base == outcome, other == outcome)
                rows.append((label, outcome, diff, low, high))
        table = pd.DataFrame(rows, columns=["variant", "outcome", "difference", "low", "high"])
        return table.set_index(["variant", "outcome"])


def compare(
    scenarios_or_variants: Sequence[Variant] | Mapping[str, Variant],
    runs: int = 1000,
    seed: int | None = None,
    workers: int | None = None,
    client: Client | None = None,
    progress: bool = True,
) -> Comparison:
    """Run each variant's ensemble with the same seed (common random numbers) and compare.

    ``scenarios_or_variants``: scenarios or scenario files, where any item after
    the first may instead be changes ``{dotted.path: value}`` to the first; or a
    mapping from label to such items. Labels default to scenario names, or to
    the changes written out. The first variant is the base of the differences.
    """
    if isinstance(scenarios_or_variants, Mapping):
        labelled = list(scenarios_or_variants.items())
    else:
        labelled = [(None, item) for item in scenarios_or_variants]
    labels: list[str] = []
    jobs: list[Job] = []
    for label, item in labelled:
        job = _job(item, jobs[0].scenario if jobs else None)
        jobs.append(job)
        labels.append(_unique(label or _label(item, job.scenario), labels))
    if len(jobs) < 2:
        raise ValueError("compare needs at least two scenarios or variants")
    ensembles = run_ensembles(jobs, runs, seed, workers, client, progress)
    return Comparison(tuple(labels), tuple(ensembles))


def _job(item: Variant, base: Scenario | None) -> Job:
    """The ensemble of one variant; values it changes are held, even where the base draws them."""
    if isinstance(item, Scenario | str | Path):
        scenario = as_scenario(item)
        return Job(scenario, uncertainty_of(scenario))
    if base is None:
        raise ValueError("the first variant must be a scenario or a scenario file, not changes")
    return Job(with_changes(base, item), uncertainty_of(base), dict(item))


def _label(item: Variant, scenario: Scenario) -> str:
    if isinstance(item, Mapping):
        return ", ".join(f"{path}={value}" for path, value in item.items())
    return scenario.name


def _unique(label: str, taken: Sequence[str]) -> str:
    candidate, n = label, 1
    while candidate in taken:
        n += 1
        candidate = f"{label} ({n})"
    return candidate


def format_comparison(comparison: Comparison) -> str:
    """The terminal summary: shares side by side, then each variant's difference from the base."""
    shares, diffs = comparison.shares(), comparison.differences()
    lines = [
        f"{len(comparison.ensembles[0].runs):,} runs each, seed {comparison.ensembles[0].seed}, "
        "common random numbers; shares with 95% Wilson intervals"
    ]
    for k, label in enumerate(comparison.labels):
        lines.append(f"[{k}] {label}")
    lines.append(
        f"{'outcome':<20}" + "".join(f"{f'[{k}]':>24}" for k in range(len(comparison.labels)))
    )
    for outcome in OUTCOMES:
        cells = "".join(
            f"{_share(*shares.loc[outcome, label][['share', 'low', 'high']]):>24}"
            for label in comparison.labels
        )
        lines.append(f"{outcome.replace('_', ' '):<20}{cells}")
    lines.append("difference from [0], percentage points (95% interval, paired: Newcombe 1998)")
    for k, label in enumerate(comparison.labels[1:], start=1):
        for outcome in OUTCOMES:
            d = diffs.loc[(label, outcome)]
            lines.append(
                f"[{k}] {outcome.replace('_', ' '):<16}{100 * d['difference']:+8.1f}"
                f"   {100 * d['low']:+.1f} to {100 * d['high']:+.1f}"
            )
    return "\n".join(lines)


def _share(share: float, low: float, high: float) -> str:
    """A share and its interval as a table cell: ``62.0% (58.1%-65.7%)``."""
    return f"{share:.1%} ({low:.1%}-{high:.1%})"


def sweep(
    scenario: Scenario | str | Path,
    grid: Mapping[str, Sequence[Any]],
    runs_per_point: int = 200,
    seed: int | None = None,
    workers: int | None = None,
    client: Client | None = None,
    progress: bool = True,
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
    base = as_scenario(scenario)
    uncertainty = uncertainty_of(base)
    points = [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())]
    jobs = [Job(with_changes(base, point), uncertainty, point) for point in points]
    ensembles = run_ensembles(jobs, runs_per_point, seed, workers, client, progress)
    rows = []
    for point, ensemble in zip(points, ensembles, strict=True):
        distribution = ensemble.outcome_distribution()
        row: dict[str, Any] = {**point, "runs": len(ensemble.runs)}
        for outcome, shares in distribution.iterrows():
            row.update(
                {
                    outcome: shares["share"],
                    f"{outcome}_low": shares["low"],
                    f"{outcome}_high": shares["high"],
                }
            )
        rows.append(row)
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
            f"{_share(row[o], row[f'{o}_low'], row[f'{o}_high']):<22}" for o in OUTCOMES
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
    always holds its whole table. Returns the directory.
    """
    missing = [path for path in paths if path not in table]
    if missing:
        raise ValueError(f"the table has no column for {', '.join(missing)}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
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
        about = json.loads(about_path.read_text())
        paths = list(about["paths"])
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise EnsembleDirError(f"{about_path} does not describe a sweep: {exc}") from None
    if about.get("format") != SWEEP_FORMAT:
        raise EnsembleDirError(f"{about_path} has format {about.get('format')!r}")
    if not (directory / SWEEP_TABLE).exists():
        raise EnsembleDirError(f"{directory} has {SWEEP_ABOUT} but no {SWEEP_TABLE}")
    # Read as text and let Python convert: exact for the shortest repr ``to_csv`` writes.
    text = pd.read_csv(directory / SWEEP_TABLE, dtype=str, keep_default_na=False)
    table = pd.DataFrame({name: _numbers(column) for name, column in text.items()})
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
