"""What the sub-commands write: figures (atomically, no window), notes on stderr, JSON.

Notes go through the standard ``logging`` module (logger ``negotiation_sim``), which the
command sets up once per call: notes at INFO, what the library reports at DEBUG
(``--verbose``), only warnings with ``--quiet``; stdout holds the result alone.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation_sim import plots
from negotiation_sim.ensemble import AGREEMENTS, agreed_terms
from negotiation_sim.model import OUTCOMES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from negotiation_sim.ensemble import Comparison, Ensemble, Sensitivity
    from negotiation_sim.scenario import Scenario


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


LOGGER = logging.getLogger("negotiation_sim")
LEVELS = {-1: logging.WARNING, 0: logging.INFO, 1: logging.DEBUG}
"""Logging level per verbosity: --quiet, neither, --verbose."""


def set_verbosity(verbosity: int) -> None:
    """Send the package's log records at this verbosity to stderr, one plain line each."""
    for old in [h for h in LOGGER.handlers if getattr(h, "negotiation_sim_cli", False)]:
        LOGGER.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.negotiation_sim_cli = True  # type: ignore[attr-defined]
    LOGGER.addHandler(handler)
    LOGGER.setLevel(LEVELS[verbosity])
    LOGGER.propagate = False


def note(text: str) -> None:
    """A line for the user that is not the command's result (stderr, keeping stdout clean)."""
    LOGGER.info(text)


INTERVAL = "95% Wilson score"
DISTRIBUTION = ("count", "share", "low", "high")


def _shares(table: Any, columns: Sequence[str]) -> dict[str, Any]:
    """Rows of an outcome table (indexed by outcome) as ``{outcome: {column: value}}``."""
    return {
        outcome: {c: int(row[c]) if c == "count" else float(row[c]) for c in columns}
        for outcome, row in table.iterrows()
    }


def ensemble_json(ensemble: Ensemble) -> dict[str, Any]:
    """The outcome distribution and backtest of an ensemble, as plain JSON values."""
    backtest = ensemble.observed_probability()
    return {
        "scenario": ensemble.scenario,
        "seed": ensemble.seed,
        "runs": len(ensemble.runs),
        "interval": INTERVAL,
        "outcomes": _shares(ensemble.outcome_distribution(), DISTRIBUTION),
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


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """Each variant's outcome shares and its paired difference from the first, as JSON values."""
    base = comparison.ensembles[0]
    differences = comparison.differences()
    return {
        "seed": base.seed,
        "runs": len(base.runs),
        "interval": INTERVAL,
        "difference_interval": "95% paired (Newcombe 1998, method 10)",
        "variants": [
            {
                "label": label,
                "scenario": ensemble.scenario,
                "outcomes": _shares(
                    ensemble.outcome_distribution(), ("count", "share", "low", "high")
                ),
                "difference_from_base": None
                if k == 0
                else _shares(differences.loc[label], ("difference", "low", "high")),
            }
            for k, (label, ensemble) in enumerate(
                zip(comparison.labels, comparison.ensembles, strict=True)
            )
        ],
    }


def sweep_json(table: Any, paths: Sequence[str], **about: Any) -> dict[str, Any]:
    """A sweep table as JSON values: ``about`` (scenario, seed...), then one entry per point."""
    points = [
        {
            "values": {path: row[path] for path in paths},
            "runs": row["runs"],
            "outcomes": {
                o: {"share": row[o], "low": row[f"{o}_low"], "high": row[f"{o}_high"]}
                for o in OUTCOMES
            },
        }
        for row in table.to_dict("records")  # native Python numbers, whole ones kept whole
    ]
    return {**about, "paths": list(paths), "interval": INTERVAL, "points": points}


def terms_json(ensemble: Ensemble, scenario: Scenario) -> dict[str, Any]:
    """Among an ensemble's agreements, how many chose each option of each issue."""
    terms = agreed_terms(ensemble.runs, scenario.space.issues)
    return {
        "scenario": ensemble.scenario,
        "seed": ensemble.seed,
        "runs": len(ensemble.runs),
        "agreements": int(ensemble.runs["outcome"].isin(AGREEMENTS).sum()),
        "terms": {issue: {o: int(n) for o, n in counts.items()} for issue, counts in terms.items()},
    }


def print_json(data: Any) -> None:
    """The command's result as JSON on stdout."""
    print(json.dumps(data, indent=2))
