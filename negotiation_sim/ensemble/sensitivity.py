"""What drives the outcome: global sensitivity analysis of a scenario's uncertain values.

``sensitivity`` asks which of the values a scenario leaves uncertain (its
``uncertain:`` section, plus any fixed value given a range with ``extra``) the
outcome depends on most. It builds a Sobol (Saltelli 2002, 2010; Jansen 1999)
or Morris (Morris 1991; Campolongo et al. 2007) design in quantile space
(``indices``), takes each factor's value at its quantile from the factor's own
distribution (``Uncertain.at``), runs the points through the ensemble runner
(so workers, Dask, ``out=`` and resume, and the seed rules hold), and computes
the indices of each outcome class (a run's 0/1 indicator, whose mean is the
share) and of each actor's utility, with bootstrap intervals.

Noise. A run is random beyond its drawn values: the seed sets every actor's
noisy beliefs and the model's other draws. Here the seed is a factor of its
own (``seed``, the last one): rows of the design that differ only in other
factors share their model seed (common random numbers), and the seed's total
index is the share of the run-to-run variance that the randomness of a run
accounts for, alone or with the values. So ``1 - ST(seed)`` is the share the
values explain at all (``Sensitivity.explained``), and a value with no effect
gets a total index of zero exactly, where averaging a few independent seeds per
point would leave every index biased upward by the noise. For Morris the seed's
mu* is the mean change of the output from a change of seed, on the scale of the
values' own effects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negotiation_sim.ensemble.indices import Design, analyse, design, require_salib, samples_for
from negotiation_sim.ensemble.progress import Progress
from negotiation_sim.ensemble.result import Ensemble, share_columns
from negotiation_sim.ensemble.runner import (
    Given,
    Job,
    as_scenario,
    check_runs_and_seed,
    fresh_seed,
    run_job,
)
from negotiation_sim.model import OUTCOMES
from negotiation_sim.scenario import Scenario
from negotiation_sim.scenario.uncertainty import Uncertainty, ranged, uncertainty_of

if TYPE_CHECKING:
    from distributed import Client

SEED = "seed"
"""The factor standing for a run's own randomness (its model seed)."""
_STREAMS = 2**62
"""Spawn keys of the design's and the analysis's generators, beyond any run's."""
_DESIGN, _ANALYSIS = 0, 1


@dataclass(frozen=True)
class Sensitivity:
    """The indices of a sensitivity analysis and the runs they come from.

    ``indices`` has one row per (output, factor): outputs are the outcome classes
    and ``utility_<actor>``; factors the uncertain paths, then ``seed``. Columns are
    ``S1``, ``ST`` with ``_low`` and ``_high`` (Sobol), or ``mu``, ``mu_star`` with
    ``_low`` and ``_high``, and ``sigma`` (Morris, per unit of quantile). ``ensemble``
    holds the runs (one per design row, in order); ``outcome`` is the output shown by
    default.
    """

    method: str
    scenario: str
    seed: int
    outcome: str
    design: Design
    indices: pd.DataFrame
    ensemble: Ensemble
    conf_level: float = 0.95

    @property
    def runs(self) -> int:
        return len(self.ensemble.runs)

    @property
    def factors(self) -> tuple[str, ...]:
        return self.design.names

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(self.indices.index.unique("output"))

    @property
    def key(self) -> str:
        """The index factors are ranked by: total (Sobol) or mu* (Morris)."""
        return "ST" if self.method == "sobol" else "mu_star"

    def ranked(self, output: str | None = None) -> pd.DataFrame:
        """The indices of one output (default ``outcome``), most influential factor first."""
        output = output or self.outcome
        if output not in self.outputs:
            raise ValueError(f"unknown output {output!r}; outputs are {', '.join(self.outputs)}")
        table = self.indices.loc[output]
        return table.sort_values(self.key, ascending=False, na_position="last", kind="stable")

    def top(self, count: int = 2, output: str | None = None) -> list[str]:
        """The ``count`` most influential uncertain values (the seed left out)."""
        return [f for f in self.ranked(output).index if f != SEED][:count]

    def explained(self) -> pd.DataFrame | None:
        """Per output, the share of its run-to-run variance the uncertain values explain at
        all, ``1 - ST(seed)``, with its interval (``share``, ``low``, ``high``); None for
        Morris, which does not apportion variance."""
        if self.method != "sobol":
            return None
        seed = self.indices.xs(SEED, level="factor")
        return pd.DataFrame(
            {
                "share": (1 - seed["ST"]).clip(0, 1),
                "low": (1 - seed["ST_high"]).clip(0, 1),
                "high": (1 - seed["ST_low"]).clip(0, 1),
            }
        )

    def joint_shares(self, path_x: str, path_y: str, bins: int = 5) -> pd.DataFrame:
        """Outcome shares over the joint range of two factors, as a ``sweep`` table.

        Taken from the design's independent points only (``Design.independent``), which
        follow the factors' distributions: a factor with at most ``bins`` values gets one
        cell per value, another ``bins`` cells of equal probability, each labelled by its
        median value. Rows: the two values, ``runs``, and each outcome's share with its 95%
        Wilson interval. The shares average over every other factor, the seed included.
        """
        for path in (path_x, path_y):
            if path not in self.factors or path == SEED:
                raise ValueError(f"{path!r} is not an uncertain value of this analysis")
        mask = self.design.independent()
        runs = self.ensemble.runs[mask]
        cells = {
            path: _cells(runs[path], self.design.quantiles[mask, self.factors.index(path)], bins)
            for path in (path_x, path_y)
        }
        rows = []
        for (x, y), group in runs.groupby([cells[path_x], cells[path_y]], sort=True):
            cell = Ensemble(group, self.scenario, self.seed)
            rows.append({path_x: x, path_y: y, "runs": len(group), **share_columns(cell)})
        return pd.DataFrame(rows)


def _cells(values: pd.Series, quantiles: np.ndarray, bins: int) -> pd.Series:
    """Each run's cell along one factor, labelled by a value of the factor (names, as a
    choice among names records them, each a cell of its own)."""
    if values.nunique() <= bins or not pd.api.types.is_numeric_dtype(values):
        return values
    cell = np.minimum((quantiles * bins).astype(int), bins - 1)
    medians = values.astype(float).groupby(cell).median()
    return pd.Series([float(f"{medians[c]:.3g}") for c in cell], index=values.index)


def sensitivity(
    scenario: Scenario | str | Path,
    method: str = "sobol",
    runs: int = 6000,
    seed: int | None = None,
    outcome: str = "escalation",
    workers: int | None = None,
    client: Client | None = None,
    progress: Progress = None,
    out: str | Path | None = None,
    extra: Mapping[str, tuple[float, float]] | None = None,
    conf_level: float = 0.95,
    levels: int = 4,
) -> Sensitivity:
    """Rank a scenario's uncertain values by how much the outcome depends on them.

    Args:
        scenario: a ``Scenario`` or a scenario file.
        method: ``"sobol"`` (first-order and total indices) or ``"morris"`` (screening).
        runs: the budget of model runs. Sobol uses the largest power of two ``N`` of base
            samples with ``N * (k + 2) <= runs``, Morris ``runs // (k + 1)`` trajectories,
            ``k`` counting the values and the seed; ``Sensitivity.runs`` says how many ran.
        seed: same seed, same design, runs and indices, whatever ``workers`` or ``client``.
        outcome: the output shown by default: an outcome class or ``utility_<actor>``.
        workers, client, progress, out: as for ``run_ensemble``; ``out`` keeps the runs
            in a directory and resumes an interrupted analysis there.
        extra: values the scenario fixes, analysed too, each uniform over a range
            (``{"protocol.deadline": (5, 20)}``; whole numbers where the file has one).
        conf_level: the level of the bootstrap intervals.
        levels: Morris's grid levels (even).

    See the module's docstring for how the seed is handled. Needs SALib (the
    ``sensitivity`` extra).
    """
    require_salib()
    scenario = as_scenario(scenario)
    factors, samples = check_analysis(scenario, method, runs, seed, outcome, extra, conf_level)
    seed = fresh_seed(seed)
    names = (*factors.paths, SEED)
    plan = design(method, names, samples, _rng(seed, _DESIGN), levels)
    given = Given(plan.quantiles[:, :-1], plan.streams(len(names) - 1))
    job = Job(scenario, factors, given=given)
    ensemble = run_job(job, len(given), seed, workers, client, progress, out)
    rng = _rng(seed, _ANALYSIS)
    indices = pd.concat(
        {
            o: analyse(plan, output_values(ensemble.runs, o), rng, conf_level)
            for o in outputs_of(scenario)
        },
        names=["output"],
    )
    return Sensitivity(method, scenario.name, seed, outcome, plan, indices, ensemble, conf_level)


def check_analysis(
    scenario: Scenario,
    method: str = "sobol",
    runs: int = 6000,
    seed: int | None = None,
    outcome: str = "escalation",
    extra: Mapping[str, tuple[float, float]] | None = None,
    conf_level: float = 0.95,
) -> tuple[Uncertainty, int]:
    """Check a ``sensitivity`` call's arguments before anything runs (a one-line
    ``ValueError``); the values it will vary, in order, and its design's size."""
    outputs = outputs_of(scenario)
    if outcome not in outputs:
        raise ValueError(f"unknown outcome {outcome!r}; outputs are {', '.join(outputs)}")
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must lie between 0 and 1, got {conf_level}")
    check_runs_and_seed(runs, seed)
    extras = [ranged(scenario, path, *bounds) for path, bounds in (extra or {}).items()]
    factors = Uncertainty((*uncertainty_of(scenario).entries, *extras))
    if not factors:
        raise ValueError(f"{scenario.name} has no uncertain values; give ranges with extra=")
    try:
        return factors, samples_for(method, runs, len(factors.entries) + 1)
    except ValueError as error:
        raise ValueError(f"{error} ({len(factors.entries)} values and the seed)") from None


def outputs_of(scenario: Scenario) -> tuple[str, ...]:
    """What an analysis computes indices of: each outcome class, then each actor's utility."""
    return (*OUTCOMES, *(f"utility_{name}" for name in scenario.actor_names))


def _rng(seed: int, purpose: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_STREAMS + purpose,)))


def output_values(runs: pd.DataFrame, output: str) -> np.ndarray:
    """One value per run: the 0/1 indicator of an outcome class, or a utility."""
    if output in OUTCOMES:
        return (runs["outcome"] == output).to_numpy(dtype=float)
    return runs[output].to_numpy(dtype=float)


def _describe(result: Sensitivity) -> str:
    """The design in words: method, runs, base samples or trajectories, seed."""
    unit = "base samples" if result.method == "sobol" else "trajectories"
    return (
        f"{result.method.capitalize()}: {result.runs:,} runs, {result.design.samples:,} {unit} "
        f"of {result.design.block}, seed {result.seed}"
    )


def format_sensitivity(result: Sensitivity, output: str | None = None) -> str:
    """The terminal summary: the factors ranked for one output, with their intervals."""
    output = output or result.outcome
    table = result.ranked(output)
    level = f"{result.conf_level:.0%}"
    name = output.replace("_", " ")
    lines = [f"{result.scenario}: what drives {name} ({_describe(result)})"]
    explained = result.explained()
    if explained is not None:
        share = explained.loc[output]
        if np.isnan(share["share"]):
            lines.append(f"{name} never varies across the runs: there is nothing to apportion")
        else:
            lines.append(
                f"The uncertain values explain {share['share']:.0%} ({level} interval "
                f"{share['low']:.0%} to {share['high']:.0%}) of the run-to-run variance of "
                f"{name}; the rest is each run's own randomness (the seed: belief noise, "
                "the escalation hazard)."
            )
        header = f"first-order S1 ({level})", f"total ST ({level})"
        columns: tuple[str, ...] = ("S1", "ST")
    else:
        lines.append(
            f"mu*: mean absolute change of {name} when a value moves by one unit of quantile "
            "(its whole distribution); sigma: how much that change varies (interactions, noise)"
        )
        header = f"mu* ({level})", "mu   sigma"
        columns = ("mu_star",)
    width = max(len(f) for f in table.index) + 2
    lines.append(f"{'rank':>4}  {'factor':<{width}}{header[0]:<27}{header[1]}")
    ranks = iter(range(1, len(table) + 1))
    for factor, row in table.iterrows():
        label = "-" if factor == SEED else str(next(ranks))
        cells = [f"{row[c]:.3f} ({row[f'{c}_low']:.3f} to {row[f'{c}_high']:.3f})" for c in columns]
        if len(columns) == 1:
            cells.append(f"{row['mu']:+.3f}  {row['sigma']:.3f}")
        text = "".join(f"{cell:<27}" for cell in cells).rstrip()
        lines.append(f"{label:>4}  {factor if factor != SEED else 'seed (noise)':<{width}}{text}")
    return "\n".join(lines)


def sensitivity_json(result: Sensitivity) -> dict[str, Any]:
    """The analysis as plain JSON values: the design, then each output's ranked indices."""
    explained = result.explained()
    return {
        "scenario": result.scenario,
        "method": result.method,
        "seed": result.seed,
        "runs": result.runs,
        "samples": result.design.samples,
        "factors": list(result.factors),
        "outcome": result.outcome,
        "interval": f"{result.conf_level:.0%} bootstrap (SALib)",
        "outputs": {
            output: {
                "explained": None
                if explained is None
                else {k: _number(v) for k, v in explained.loc[output].items()},
                "indices": [
                    {"factor": factor, **{k: _number(v) for k, v in row.items()}}
                    for factor, row in result.ranked(output).iterrows()
                ],
            }
            for output in result.outputs
        },
    }


def _number(value: float) -> float | None:
    """A float for JSON, None for NaN (JSON has no NaN)."""
    return None if np.isnan(value) else float(value)
