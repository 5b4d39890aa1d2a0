"""What-ifs: scenarios or changed values compared under common random numbers.

Every ensemble here is run with the same seed, so run ``i`` of each variant
uses the same model seed and the same draws of the uncertain values (common
random numbers). Differences between variants then come from the variants,
not from luck, and a difference is judged run by run (paired), which gives a
much narrower interval than comparing two independent ensembles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from negotiation_sim.display import html_table
from negotiation_sim.ensemble.intervals import paired_difference_interval
from negotiation_sim.ensemble.progress import Progress
from negotiation_sim.ensemble.result import Ensemble, share_cell
from negotiation_sim.ensemble.runner import Job, as_scenario, run_ensembles
from negotiation_sim.model import OUTCOMES
from negotiation_sim.scenario import Scenario, uncertainty_of, with_changes

if TYPE_CHECKING:
    from distributed import Client

Variant = Scenario | str | Path | Mapping[str, Any]
"""A scenario, a scenario file, or changes ``{dotted.path: value}`` to the first scenario."""


@dataclass(frozen=True)
class Comparison:
    """Ensembles of several variants run with common random numbers; the first is the base."""

    labels: tuple[str, ...]
    ensembles: tuple[Ensemble, ...]

    def __repr__(self) -> str:
        variants = ", ".join(f"[{k}] {label}" for k, label in enumerate(self.labels))
        base = self.ensembles[0]
        return f"Comparison({len(base.runs):,} runs each, seed {base.seed}: {variants})"

    def _repr_html_(self) -> str:
        """Shares side by side and each variant's difference from the first, for notebooks."""
        shares, differences = self.shares(), self.differences()
        rows = []
        for outcome in OUTCOMES:
            cells = [share_cell(*shares.loc[outcome, label]) for label in self.labels]
            for label in self.labels[1:]:
                d = 100 * differences.loc[(label, outcome)]
                cells.append(f"{d['difference']:+.1f} ({d['low']:+.1f} to {d['high']:+.1f})")
            rows.append([outcome.replace("_", " "), *cells])
        header = [
            "outcome",
            *(f"[{k}] {label}" for k, label in enumerate(self.labels)),
            *(f"[{k}] - [0], points" for k in range(1, len(self.labels))),
        ]
        base = self.ensembles[0]
        return html_table(
            f"{len(base.runs):,} runs each, seed {base.seed}, common random numbers",
            header,
            rows,
            note="shares with 95% Wilson intervals; differences with paired 95% intervals "
            "(Newcombe 1998)",
        )

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
    progress: Progress = None,
) -> Comparison:
    """Run each variant's ensemble with the same seed (common random numbers) and compare.

    ``scenarios_or_variants``: scenarios or scenario files, where any item after
    the first may instead be changes ``{dotted.path: value}`` to the first; or a
    mapping from label to such items. Labels default to scenario names, or to
    the changes written out. The first variant is the base of the differences.
    """
    labelled: list[tuple[str | None, Variant]]
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
            f"{share_cell(*shares.loc[outcome, label][['share', 'low', 'high']]):>24}"
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
