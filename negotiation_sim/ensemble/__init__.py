"""Monte Carlo ensembles: many seeded runs of a scenario under its uncertain values.

``run_ensemble`` runs them (in this process, on local worker processes or on a
Dask cluster) and returns an ``Ensemble``, whose ``runs`` table has one row per
run; ``load_ensemble`` reads one written to a directory back.
"""

from negotiation_sim.ensemble.intervals import paired_difference_interval, wilson_interval
from negotiation_sim.ensemble.result import Backtest, Ensemble, format_outcome_table
from negotiation_sim.ensemble.runner import RunFailed, connect, run_ensemble, run_seeds
from negotiation_sim.ensemble.storage import EnsembleDirError, load_ensemble

__all__ = [
    "Backtest",
    "Ensemble",
    "EnsembleDirError",
    "RunFailed",
    "connect",
    "format_outcome_table",
    "load_ensemble",
    "paired_difference_interval",
    "run_ensemble",
    "run_seeds",
    "wilson_interval",
]
