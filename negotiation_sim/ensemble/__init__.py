"""Monte Carlo ensembles: many seeded runs of a scenario under its uncertain values.

``run_ensemble`` runs them (in this process, on local worker processes or on a
Dask cluster) and returns an ``Ensemble``, whose ``runs`` table has one row per
run; ``load_ensemble`` reads one written to a directory back. What-ifs drive it:
``compare`` (variants under common random numbers) and ``sweep`` (a grid of values);
``sensitivity`` ranks the uncertain values by their Sobol or Morris indices (needs SALib).
"""

from negotiation_sim.ensemble.compare import Comparison, compare, format_comparison
from negotiation_sim.ensemble.intervals import paired_difference_interval, wilson_interval
from negotiation_sim.ensemble.replay import model_of_run
from negotiation_sim.ensemble.result import (
    AGREEMENTS,
    Backtest,
    Ensemble,
    agreed_terms,
    format_outcome_table,
)
from negotiation_sim.ensemble.runner import RunFailed, WorkerDied, connect, run_ensemble
from negotiation_sim.ensemble.seeds import run_seeds
from negotiation_sim.ensemble.sensitivity import Sensitivity, format_sensitivity, sensitivity
from negotiation_sim.ensemble.storage import EnsembleDirError, load_ensemble
from negotiation_sim.ensemble.sweep import format_sweep, load_sweep, parse_grid, save_sweep, sweep

__all__ = [
    "AGREEMENTS",
    "Backtest",
    "Comparison",
    "Ensemble",
    "EnsembleDirError",
    "RunFailed",
    "Sensitivity",
    "WorkerDied",
    "agreed_terms",
    "compare",
    "connect",
    "format_comparison",
    "format_outcome_table",
    "format_sensitivity",
    "format_sweep",
    "load_ensemble",
    "load_sweep",
    "model_of_run",
    "paired_difference_interval",
    "parse_grid",
    "run_ensemble",
    "run_seeds",
    "save_sweep",
    "sensitivity",
    "sweep",
    "wilson_interval",
]
