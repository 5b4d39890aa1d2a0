"""An ensemble's results: one row per run, and what they say about each outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from negotiation_sim.display import html_table, percent
from negotiation_sim.ensemble.intervals import wilson_interval
from negotiation_sim.issues import Issue
from negotiation_sim.model import OUTCOMES

AGREEMENTS = ("agreement", "partial_agreement")
"""The outcomes whose runs agreed on terms (a status-quo deal counts as a stalemate)."""
DTYPES = ("int64", "float64", "bool", "str")
"""Column types a results table uses; ``str`` columns hold text, NaN where missing."""


def typed_frame(columns: Mapping[str, Sequence[Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """A DataFrame with exactly these column types, so that a table built in memory and one
    read back from disk compare equal."""
    frame = pd.DataFrame({name: _typed(columns[name], dtype) for name, dtype in dtypes.items()})
    return frame.sort_values("run", kind="stable").reset_index(drop=True)


def _typed(values: Sequence[Any], dtype: str) -> pd.Series:
    if dtype == "str":
        return pd.Series([np.nan if v is None else v for v in values], dtype=object)
    return pd.Series(values, dtype=dtype)


@dataclass(frozen=True)
class Backtest:
    """The probability the model gave to what actually happened, with its 95% Wilson interval.

    A reading aid, not a target: no parameter is fitted to raise it.
    """

    outcome: str
    count: int
    runs: int
    probability: float
    low: float
    high: float

    def __str__(self) -> str:
        return (
            f"What happened ({self.outcome.replace('_', ' ')}) had probability "
            f"{self.probability:.1%} in the model (95% interval {self.low:.1%} to "
            f"{self.high:.1%}, {self.count:,} of {self.runs:,} runs)"
        )


@dataclass
class Ensemble:
    """The runs of one scenario: ``runs`` is a DataFrame sorted by run, one row per run.

    Columns: ``run`` (index), ``seed`` (the model seed of that run), one column
    per uncertain value (named by its path; the value drawn, or for a choice among
    items such as red lines, the item's index in the entry's ``values``), ``outcome``,
    ``round``, ``term_<issue>`` (the agreed option, NaN without agreement) and
    ``utility_<actor>``. A run is reproduced by
    ``simulate(with_changes(scenario, drawn values), seed)``.
    """

    runs: pd.DataFrame
    scenario: str
    seed: int
    observed_outcome: str | None = None
    uncertain: tuple[str, ...] = ()

    def __repr__(self) -> str:
        shares = self.outcome_distribution()["share"]
        summary = ", ".join(f"{o.replace('_', ' ')} {percent(s)}" for o, s in shares.items())
        return f"Ensemble({self.scenario!r}: {len(self.runs):,} runs, seed {self.seed}; {summary})"

    def _repr_html_(self) -> str:
        """The outcome table with its intervals, and the backtest, for notebooks."""
        rows = [
            (o.replace("_", " "), f"{int(r['count']):,}", percent(r["share"]), _interval(r))
            for o, r in self.outcome_distribution().iterrows()
        ]
        backtest = self.observed_probability()
        return html_table(
            f"{self.scenario}: {len(self.runs):,} runs, seed {self.seed}",
            ["outcome", "runs", "share", "95% interval (Wilson)"],
            rows,
            note="" if backtest is None else str(backtest),
        )

    def outcome_distribution(self) -> pd.DataFrame:
        """Each outcome class, in ``OUTCOMES`` order (classes with no run included):
        ``count``, ``share`` and the 95% Wilson (1927) score interval ``low``..``high``.

        The interval is for the share the model gives under this scenario's
        uncertainty, as Monte Carlo error: more runs narrow it.
        """
        counts = self.runs["outcome"].value_counts()
        total = len(self.runs)
        rows = []
        for outcome in OUTCOMES:
            count = int(counts.get(outcome, 0))
            low, high = wilson_interval(count, total)
            rows.append((outcome, count, count / total if total else np.nan, low, high))
        table = pd.DataFrame(rows, columns=["outcome", "count", "share", "low", "high"])
        return table.set_index("outcome")

    def observed_probability(self) -> Backtest | None:
        """The share of runs ending as history did (``observed_outcome`` in the scenario
        file), with its interval; None when the scenario records no observed outcome."""
        if self.observed_outcome is None:
            return None
        row = self.outcome_distribution().loc[self.observed_outcome]
        return Backtest(
            self.observed_outcome,
            int(row["count"]),
            len(self.runs),
            float(row["share"]),
            float(row["low"]),
            float(row["high"]),
        )


def agreed_terms(runs: pd.DataFrame, issues: Sequence[Issue]) -> dict[str, pd.Series]:
    """Per issue, how many agreements (full and partial) chose each option, in option order."""
    agreed = runs[runs["outcome"].isin(AGREEMENTS)]
    return {
        issue.name: agreed[f"term_{issue.name}"]
        .value_counts()
        .reindex(issue.option_names, fill_value=0)
        .astype(int)
        for issue in issues
    }


def _interval(row: pd.Series) -> str:
    return f"{percent(row['low'])} to {percent(row['high'])}"


def share_cell(share: float, low: float, high: float) -> str:
    """A share and its interval as a table cell: ``62.0% (58.1%-65.7%)``."""
    return f"{share:.1%} ({low:.1%}-{high:.1%})"


def share_columns(ensemble: Ensemble) -> dict[str, float]:
    """Each outcome's share and 95% Wilson interval as flat columns (``<outcome>``,
    ``<outcome>_low``, ``<outcome>_high``): one row of a table of shares, such as a sweep's."""
    columns: dict[str, float] = {}
    for outcome, shares in ensemble.outcome_distribution().iterrows():
        columns.update(
            {
                outcome: shares["share"],
                f"{outcome}_low": shares["low"],
                f"{outcome}_high": shares["high"],
            }
        )
    return columns


def format_outcome_table(ensemble: Ensemble) -> str:
    """The terminal summary: each outcome's runs, share and 95% interval, then the backtest."""
    distribution = ensemble.outcome_distribution()
    lines = [
        f"{ensemble.scenario}: {len(ensemble.runs):,} runs, seed {ensemble.seed}",
        f"{'outcome':<20}{'runs':>9}{'share':>9}   95% interval (Wilson)",
    ]
    for outcome, row in distribution.iterrows():
        lines.append(
            f"{outcome.replace('_', ' '):<20}{int(row['count']):>9,}{row['share']:>9.1%}"
            f"   {row['low']:.1%} to {row['high']:.1%}"
        )
    backtest = ensemble.observed_probability()
    if backtest is not None:
        lines.append(str(backtest))
    return "\n".join(lines)
