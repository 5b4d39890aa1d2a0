"""Global sensitivity designs and indices (SALib), in quantile space; no model here.

Every factor is uniform on [0, 1]: a design gives each run one quantile per factor,
and the caller turns a quantile into a value through the factor's inverse CDF.
Sobol indices are a property of the variance decomposition of independent inputs,
so they do not change when an input is replaced by any one-to-one (here monotone)
transformation of it, nor when it only enters through a function of it (a
rounded or discrete value): the indices of the quantiles are those of the values.
Morris elementary effects do depend on the scale; here they are in output units
per unit of quantile, the same scale for every factor, which is what makes them
comparable for ranking.

Methods:

* ``sobol``: Saltelli's (2002, 2010) radial design on a scrambled Sobol' sequence
  (``N`` base samples, each a block of ``k + 2`` rows: A, A with column ``j`` from B
  for each ``j``, B), first-order indices by Saltelli et al. (2010) and total
  indices by Jansen's (1999) estimator, as SALib implements them;
* ``morris``: Morris's (1991) one-at-a-time trajectories on a ``p``-level grid
  (blocks of ``k + 1`` rows), with Campolongo, Cariboni & Saltelli's (2007) mu*
  (mean absolute elementary effect) and sigma. Grid level ``i`` stands for the
  quantile ``(i + 0.5) / p``, so no factor is taken at a bound of its distribution
  (an unbounded normal would otherwise be infinite there).

Intervals are SALib's bootstrap: the estimator recomputed on resampled base
samples (Sobol) or elementary effects (Morris), its standard deviation times the
normal quantile of the confidence level, around the estimate.

SALib is an optional dependency (the ``sensitivity`` extra); ``require_salib``
says how to install it.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import pandas as pd

SALIB_EXTRA = 'pip install "negotiation-sim[sensitivity]"'
METHODS = ("sobol", "morris")
SOBOL_COLUMNS = ("S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high")
MORRIS_COLUMNS = ("mu", "mu_star", "mu_star_low", "mu_star_high", "sigma")
MIN_SAMPLES = {"sobol": 8, "morris": 4}
"""The smallest design: base samples (a power of two) or trajectories."""


def require_salib() -> None:
    """Raise ``ImportError`` naming the extra to install when SALib is missing."""
    _salib("sample.sobol")


def _salib(module: str) -> ModuleType:
    try:
        return importlib.import_module(f"SALib.{module}")
    except ImportError:
        raise ImportError(f"sensitivity analysis needs SALib: {SALIB_EXTRA}") from None


@dataclass(frozen=True)
class Design:
    """Where a method wants its outputs: ``quantiles[r]`` holds row ``r``'s quantile of each
    named factor. Rows come in blocks of ``block`` rows (a Sobol base sample, a Morris
    trajectory); ``grid`` is what SALib analyses (for Morris its grid levels)."""

    method: str
    names: tuple[str, ...]
    quantiles: np.ndarray
    grid: np.ndarray
    block: int
    levels: int = 0
    """Morris's grid levels ``p`` (0 for Sobol)."""

    @property
    def samples(self) -> int:
        """Base samples (Sobol) or trajectories (Morris)."""
        return len(self.quantiles) // self.block

    def streams(self, column: int) -> np.ndarray:
        """One number per row, shared by the rows of a block that hold the same quantile in
        ``column``. With ``column`` a factor standing for the model's randomness, rows that
        differ only in other factors then share their random numbers."""
        blocks = np.arange(len(self.quantiles)) // self.block
        keys = np.column_stack([blocks, self.quantiles[:, column]])
        return np.unique(keys, axis=0, return_inverse=True)[1].reshape(-1)

    def independent(self) -> np.ndarray:
        """A mask of rows that are independent draws of all factors (Sobol's A and B rows,
        the first point of each Morris trajectory): the rows to estimate shares from."""
        position = np.arange(len(self.quantiles)) % self.block
        if self.method == "sobol":
            return (position == 0) | (position == self.block - 1)
        return position == 0


def samples_for(method: str, runs: int, factors: int) -> int:
    """The largest design ``runs`` model runs afford: Sobol base samples (a power of two,
    which keeps the Sobol' sequence balanced; ``factors + 2`` runs each) or Morris
    trajectories (``factors + 1`` runs each)."""
    _check_method(method)
    if method == "sobol":
        affordable = runs // (factors + 2)
        samples = 1 << (affordable.bit_length() - 1) if affordable else 0
        cost = factors + 2
    else:
        samples, cost = runs // (factors + 1), factors + 1
    if samples < MIN_SAMPLES[method]:
        raise ValueError(
            f"{method} with {factors} factors needs at least {MIN_SAMPLES[method] * cost} runs, "
            f"got {runs}"
        )
    return samples


def design(
    method: str, names: Sequence[str], samples: int, rng: np.random.Generator, levels: int = 4
) -> Design:
    """A Sobol design of ``samples`` base samples (a power of two) or a Morris design of
    ``samples`` trajectories on ``levels`` grid levels, over the named factors."""
    _check_method(method)
    names = tuple(names)
    problem = _problem(names)
    if method == "sobol":
        if samples < 1 or samples & (samples - 1):
            raise ValueError(f"Sobol base samples must be a power of two, got {samples}")
        rows = _salib("sample.sobol").sample(
            problem, samples, calc_second_order=False, scramble=True, seed=rng
        )
        return Design(method, names, rows, rows, len(names) + 2)
    if levels < 2 or levels % 2:
        raise ValueError(f"Morris needs an even number of grid levels, got {levels}")
    grid = _salib("sample.morris").sample(problem, samples, num_levels=levels, seed=rng)
    quantiles = (np.rint(grid * (levels - 1)) + 0.5) / levels
    return Design(method, names, quantiles, grid, len(names) + 1, levels)


def analyse(
    design: Design,
    outputs: np.ndarray,
    rng: np.random.Generator,
    conf_level: float = 0.95,
    resamples: int = 1000,
) -> pd.DataFrame:
    """The indices of one output (a value per design row), one row per factor.

    Sobol: ``S1`` (first-order) and ``ST`` (total), each with ``_low`` and ``_high``;
    all NaN when the output does not vary over the independent rows (A and B), whose
    variance the estimators divide by: there is none to share out. Morris:
    ``mu``, ``mu_star`` with ``mu_star_low`` and ``mu_star_high``, and ``sigma``, per unit
    of quantile.
    """
    y = np.asarray(outputs, dtype=float)
    if y.shape != (len(design.quantiles),):
        raise ValueError(f"expected one output per design row ({len(design.quantiles)})")
    problem = _problem(design.names)
    index = pd.Index(design.names, name="factor")
    if design.method == "sobol":
        if np.ptp(y[design.independent()]) == 0:  # the estimators' variance, from A and B
            return pd.DataFrame(np.nan, index=index, columns=list(SOBOL_COLUMNS))
        found = _salib("analyze.sobol").analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=resamples,
            conf_level=conf_level,
            seed=int(rng.integers(1, 2**31)),  # SALib ignores a seed of 0
        )
        columns = {}
        for name in ("S1", "ST"):
            value, half = np.asarray(found[name]), np.asarray(found[f"{name}_conf"])
            columns.update({name: value, f"{name}_low": value - half, f"{name}_high": value + half})
        return pd.DataFrame(columns, index=index)
    found = _salib("analyze.morris").analyze(
        problem,
        design.grid,
        y,
        num_resamples=resamples,
        conf_level=conf_level,
        num_levels=design.levels,
        seed=rng,
    )
    per_quantile = design.levels / (design.levels - 1)  # a grid unit is (p - 1) / p quantile
    mu_star, half = (
        per_quantile * np.asarray(found[k], float) for k in ("mu_star", "mu_star_conf")
    )
    return pd.DataFrame(
        {
            "mu": per_quantile * np.asarray(found["mu"], float),
            "mu_star": mu_star,
            "mu_star_low": mu_star - half,
            "mu_star_high": mu_star + half,
            "sigma": per_quantile * np.asarray(found["sigma"], float),
        },
        index=index,
    )


def _problem(names: tuple[str, ...]) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; methods are {', '.join(METHODS)}")
