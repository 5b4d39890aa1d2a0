"""The model's weighted sums (``negotiation_sim.sums``) add their products one after another,
compiled or not, so that a seed plays the same run on every machine: checked against the
sum written out by hand, and by playing the shipped scenarios under two of OpenBLAS's CPU
kernels."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation_sim import kernels
from negotiation_sim.sums import weighted_rows, weighted_total

ROOT = Path(__file__).resolve().parent.parent
GRID = [0.0, -0.0, 0.1, 1 / 3, 0.5, 0.7, 1.0, 1e-300, 1e300, np.inf, -np.inf]


@st.composite
def terms(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Weights and a matrix of values (a row per weight) of a dtype the model passes: a
    coarse grid of values, infinite and signed zeros among them, or random ones."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows, columns = draw(st.integers(1, 40)), draw(st.integers(1, 12))
    weights = rng.random(rows)
    if draw(st.booleans()):
        values = rng.choice(np.array(GRID), size=(rows, columns))
    else:
        values = rng.normal(size=(rows, columns))
    kind = draw(st.sampled_from(["float64", "float32", "bool"]))
    with np.errstate(over="ignore"):  # 1e300 as float32: infinite, as meant
        values = values > 0.4 if kind == "bool" else values.astype(kind)
    if draw(st.booleans()):  # as the model passes a type's saliences: the transpose of a matrix
        values = np.ascontiguousarray(values.T).T
    return weights, values


def by_hand(weights: np.ndarray, column: np.ndarray) -> float:
    total = float(weights[0]) * float(column[0])
    for weight, value in zip(weights[1:].tolist(), column[1:].tolist(), strict=True):
        total += weight * float(value)
    return total


def same(found: float | np.ndarray, expected: float | np.ndarray) -> bool:
    """Equal to the bit, NaN and the sign of zero included."""
    found, expected = np.asarray(found, dtype=float), np.asarray(expected, dtype=float)
    return found.shape == expected.shape and found.tobytes() == expected.tobytes()


@pytest.mark.parametrize("compiled", [False, True])
@settings(max_examples=300, deadline=None)
@given(case=terms())
def test_the_sums_add_the_products_in_order_of_the_first_axis(compiled, case):
    weights, values = case
    with pytest.MonkeyPatch.context() as patch, np.errstate(invalid="ignore"):  # inf - inf
        patch.setattr(kernels, "COMPILED", compiled)
        rows = weighted_rows(weights, values)
        total = weighted_total(weights, values[:, 0])
    expected = [by_hand(weights, values[:, j]) for j in range(values.shape[1])]
    assert same(rows, np.array(expected))
    assert isinstance(total, float)
    assert same(total, expected[0])


FINGERPRINT = ROOT / "benchmarks" / "fingerprint.py"


def digests_under(core: str | None, seeds: int = 25) -> tuple[list[str], str]:
    """``benchmarks/fingerprint.py``'s digest per shipped scenario of ``seeds`` runs (every
    transcript, result, floor and posterior to the bit), played with OpenBLAS's kernel for
    ``core`` (None: the one it picks for this CPU), and the kernel OpenBLAS says it used."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS")}
    env |= {"OPENBLAS_VERBOSE": "2", "PYTHONHASHSEED": "0"}
    if core is not None:
        env["OPENBLAS_CORETYPE"] = core
    done = subprocess.run(
        [sys.executable, str(FINGERPRINT), "--seeds", str(seeds)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    used = re.search(r"Core: (\w+)", done.stdout + done.stderr)
    assert used, f"numpy's OpenBLAS did not say which kernel it used:\n{done.stderr}"
    lines = [line for line in done.stdout.splitlines() if not line.startswith("Core:")]
    assert any(line.startswith("ukraine_2022.yaml ") for line in lines), done.stdout
    return lines, used.group(1)


def test_a_seed_plays_the_same_run_under_every_blas_kernel():
    """This machine's own kernel and Nehalem's (SSE4.2: the oldest of the x86-64 level numpy
    itself needs), which add the terms of a product in different orders: with BLAS
    products, the posteriors differed in their last bits between the two."""
    native, native_core = digests_under(None)
    oldest, oldest_core = digests_under("Nehalem")
    assert oldest_core == "Nehalem"
    assert native_core != oldest_core, "this CPU's kernel is Nehalem's: nothing to compare"
    assert native == oldest
