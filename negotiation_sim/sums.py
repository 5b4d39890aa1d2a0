"""Weighted sums with the same bits on every machine.

``@`` and ``ndarray.dot`` hand a product to BLAS, and OpenBLAS picks its kernel for the CPU
at run time (``OPENBLAS_CORETYPE`` overrides the pick): each kernel adds the terms in its
own order, so the last bits of a posterior, and any threshold read from it, would depend on
the machine a run is played on. These sums add the products one after another, in the
order of the first axis, on every CPU: ``np.add.accumulate`` does so by definition (each
partial sum is part of its result), and so do the compiled kernels that stand in for it.
"""

from __future__ import annotations

import numpy as np

from negotiation_sim import kernels


def weighted_total(weights: np.ndarray, values: np.ndarray) -> float:
    """``weights @ values`` for 1-D ``values`` (and at least one weight)."""
    if kernels.COMPILED:
        return kernels.weighted_total(weights, values)
    return float(np.add.accumulate(weights * values)[-1])


def weighted_rows(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``weights @ values`` for 2-D ``values`` (and at least one weight): the sum of its rows,
    each times its weight."""
    if kernels.COMPILED:
        total = np.empty(values.shape[1])
        kernels.weighted_rows(weights, values, total)
        return total
    return np.add.accumulate(weights[:, None] * values, axis=0)[-1]
