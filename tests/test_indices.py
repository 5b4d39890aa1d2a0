"""Sensitivity designs and indices on functions whose indices are known in closed form."""

import math
import sys

import numpy as np
import pytest

from negotiation_sim.ensemble.indices import analyse, design, require_salib, samples_for

NAMES = ("x1", "x2", "x3")

# The Ishigami function (Ishigami & Homma 1990) on [-pi, pi]^3, a = 7, b = 0.1; its variances
# in closed form (e.g. Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, 4.7).
A, B = 7.0, 0.1
V1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
V2 = A**2 / 8
V13 = 8 * B**2 * math.pi**8 / 225
V = V1 + V2 + V13
ISHIGAMI = {"S1": [V1 / V, V2 / V, 0.0], "ST": [(V1 + V13) / V, V2 / V, V13 / V]}


def ishigami(quantiles: np.ndarray) -> np.ndarray:
    x = -math.pi + 2 * math.pi * quantiles
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_the_closed_form_is_the_one_published():
    assert ISHIGAMI["S1"][:2] == pytest.approx([0.3139, 0.4424], abs=1e-4)
    assert ISHIGAMI["ST"] == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)


def test_sobol_indices_of_ishigami_match_the_closed_form():
    rng = np.random.default_rng(7)
    plan = design("sobol", NAMES, 4096, rng)
    found = analyse(plan, ishigami(plan.quantiles), rng)
    for name in ("S1", "ST"):
        assert found[name].tolist() == pytest.approx(ISHIGAMI[name], abs=0.03)
        assert (found[f"{name}_low"] <= found[name]).all()
        assert (found[name] <= found[f"{name}_high"]).all()


def test_sobol_intervals_cover_the_closed_form():
    """Over independent designs, the 95% intervals hold the true index most of the time."""
    inside = []
    for seed in range(12):
        rng = np.random.default_rng(seed)
        plan = design("sobol", NAMES, 512, rng)
        found = analyse(plan, ishigami(plan.quantiles), rng, resamples=300)
        for name in ("S1", "ST"):
            truth = np.array(ISHIGAMI[name])
            inside += list((found[f"{name}_low"] <= truth) & (truth <= found[f"{name}_high"]))
    assert np.mean(inside) >= 0.85


def test_linear_model_with_known_variances():
    """y = sum c_i * q_i on independent uniform quantiles: S1_i = ST_i = c_i^2 / sum c^2."""
    c = np.array([3.0, 2.0, 0.0])
    rng = np.random.default_rng(3)
    plan = design("sobol", NAMES, 2048, rng)
    found = analyse(plan, plan.quantiles @ c, rng)
    truth = c**2 / (c**2).sum()
    for name in ("S1", "ST"):
        assert (found[f"{name}_low"] <= truth).all() and (truth <= found[f"{name}_high"]).all()
        assert found[name].tolist() == pytest.approx(truth, abs=0.03)
    assert found.loc["x3", "ST"] == 0  # a factor the output ignores: exactly, not about


def test_morris_effects_of_a_linear_model_are_its_slopes():
    """Per unit of quantile, every elementary effect of c_i * q_i is c_i: mu = c, mu* = |c|."""
    c = np.array([2.0, -1.0, 0.0])
    rng = np.random.default_rng(5)
    plan = design("morris", NAMES, 40, rng)
    assert set(np.unique(plan.quantiles)) == {0.125, 0.375, 0.625, 0.875}
    found = analyse(plan, plan.quantiles @ c, rng)
    assert found["mu"].tolist() == pytest.approx(c)
    assert found["mu_star"].tolist() == pytest.approx(abs(c))
    assert found["sigma"].tolist() == pytest.approx([0, 0, 0], abs=1e-12)


def test_same_seed_same_design_and_indices():
    first, second = (np.random.default_rng(11) for _ in range(2))
    a, b = design("sobol", NAMES, 64, first), design("sobol", NAMES, 64, second)
    assert np.array_equal(a.quantiles, b.quantiles)
    pd_a, pd_b = analyse(a, ishigami(a.quantiles), first), analyse(b, ishigami(b.quantiles), second)
    assert pd_a.equals(pd_b)


def test_blocks_streams_and_independent_rows():
    rng = np.random.default_rng(1)
    sobol = design("sobol", NAMES, 8, rng)
    assert sobol.quantiles.shape == (8 * 5, 3) and sobol.block == 5 and sobol.samples == 8
    streams = sobol.streams(2).reshape(8, 5)
    # rows A, AB_1, AB_2 keep A's x3 and share a stream; AB_3 and B take B's x3 and share another
    assert (streams[:, :3] == streams[:, [0]]).all() and (streams[:, 3] == streams[:, 4]).all()
    assert (streams[:, 0] != streams[:, 4]).all() and len(np.unique(streams)) == 16
    assert sobol.independent().reshape(8, 5).tolist() == [[True, False, False, False, True]] * 8
    morris = design("morris", NAMES, 6, rng)
    assert morris.block == 4 and morris.samples == 6
    assert morris.independent().sum() == 6
    assert len(np.unique(morris.streams(2))) == 12  # each trajectory: before and after x3 steps


def test_constant_output_has_no_sobol_indices():
    rng = np.random.default_rng(1)
    plan = design("sobol", NAMES, 16, rng)
    assert analyse(plan, np.ones(len(plan.quantiles)), rng).isna().all().all()


def test_design_sizes_and_bad_arguments():
    assert samples_for("sobol", 6000, 9) == 512  # 512 * 11 = 5,632 runs; 1,024 would not fit
    assert samples_for("morris", 3000, 9) == 300
    with pytest.raises(ValueError, match="needs at least 88 runs"):
        samples_for("sobol", 50, 9)
    with pytest.raises(ValueError, match="unknown method 'fast'"):
        samples_for("fast", 100, 2)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="power of two"):
        design("sobol", NAMES, 100, rng)
    with pytest.raises(ValueError, match="even number"):
        design("morris", NAMES, 10, rng, levels=3)
    plan = design("sobol", NAMES, 8, rng)
    with pytest.raises(ValueError, match="one output per design row"):
        analyse(plan, np.ones(3), rng)


def test_without_salib_the_error_names_the_extra(monkeypatch):
    for name in [m for m in sys.modules if m == "SALib" or m.startswith("SALib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "SALib", None)
    with pytest.raises(ImportError, match=r"negotiation-sim\[sensitivity\]"):
        require_salib()
