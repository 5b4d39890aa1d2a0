"""What the sub-commands write: figures (atomically, no window), notes on stderr, JSON."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation_sim import plots
from negotiation_sim.model import OUTCOMES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from negotiation_sim.ensemble import Ensemble, Sensitivity


def plots_module() -> Any:
    """The plots module, with matplotlib drawing to files only (no window)."""
    import matplotlib

    matplotlib.use("Agg")
    return plots


def sensitivity_figure(table: Any, paths: Sequence[str]) -> Axes:
    plots = plots_module()
    if len(paths) == 1:
        return plots.plot_sensitivity(table, paths[0])
    return plots.plot_sensitivity_heatmap(table, paths[0], paths[1])


def indices_figure(result: Sensitivity) -> Axes:
    """A sensitivity analysis's tornado chart and, for an outcome class of an analysis of two
    values or more, its share over the two most influential beside it; returns the chart."""
    import matplotlib.pyplot as plt

    plots = plots_module()
    if result.outcome not in OUTCOMES or len(result.top(2)) < 2:
        return plots.plot_indices(result)
    _, (chart, pair) = plt.subplots(
        1, 2, figsize=(16, 6.5), layout="constrained", width_ratios=[1.3, 1]
    )
    plots.plot_top_pair(result, ax=pair)
    return plots.plot_indices(result, ax=chart)


def write_figure(ax: Axes, path: Path) -> None:
    import matplotlib.pyplot as plt

    plots_module().save(ax, path)
    plt.close(ax.get_figure(root=True))
    note(f"figure written to {path}")


def note(text: str) -> None:
    """A line for the user that is not the command's result (stderr, keeping stdout clean)."""
    print(text, file=sys.stderr)


def ensemble_json(ensemble: Ensemble) -> dict[str, Any]:
    """The outcome distribution and backtest of an ensemble, as plain JSON values."""
    distribution = ensemble.outcome_distribution()
    backtest = ensemble.observed_probability()
    return {
        "scenario": ensemble.scenario,
        "seed": ensemble.seed,
        "runs": len(ensemble.runs),
        "interval": "95% Wilson score",
        "outcomes": {
            outcome: {
                "count": int(row["count"]),
                "share": float(row["share"]),
                "low": float(row["low"]),
                "high": float(row["high"]),
            }
            for outcome, row in distribution.iterrows()
        },
        "backtest": None
        if backtest is None
        else {
            "observed_outcome": backtest.outcome,
            "count": backtest.count,
            "probability": backtest.probability,
            "low": backtest.low,
            "high": backtest.high,
        },
    }
