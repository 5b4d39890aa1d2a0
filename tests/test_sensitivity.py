"""Sensitivity analysis of a scenario: indices that can be checked, runs that reproduce, the
seed rules of the ensemble runner, and the noise of each run accounted for."""

import json
from pathlib import Path

import pandas as pd
import pytest

from negotiation_sim.engine import simulate
from negotiation_sim.ensemble import EnsembleDirError, sensitivity
from negotiation_sim.ensemble.runner import run_seeds
from negotiation_sim.ensemble.sensitivity import SEED, format_sensitivity, sensitivity_json
from negotiation_sim.model import OUTCOMES
from negotiation_sim.scenario import load_scenario, uncertainty_of, with_changes

UKRAINE = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine_2022.yaml"
CERTAIN = UKRAINE.read_text(encoding="utf-8").split("\nuncertain:")[0] + "\n"
COST, NOISE, LEAK = "actors.Russia.outside_option.base_cost", "beliefs.noise", "protocol.leak.day"
# The talks end by day 30 (the deadline), so a leak drawn for days 31 to 34 never happens:
# a value with provably no effect.
SECTION = f"""\
  {COST}: {{distribution: uniform, low: 0.0, high: 0.3, why: x}}
  {NOISE}: {{distribution: uniform, low: 0.05, high: 0.2, why: x}}
  {LEAK}: {{distribution: uniform, low: 31, high: 34, why: "x: after the deadline, never"}}
"""
RUNS, SEED_ = 400, 31  # Sobol: 64 base samples of 6 rows (three values and the seed)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    return load_scenario(write(tmp_path_factory.mktemp("s"), CERTAIN + "uncertain:\n" + SECTION))


@pytest.fixture(scope="module")
def analysis(scenario):
    return sensitivity(scenario, runs=RUNS, seed=SEED_, workers=1, progress=False)


def test_a_value_without_effect_has_a_total_index_of_zero(analysis):
    assert analysis.runs == 64 * 6 and analysis.factors == (COST, NOISE, LEAK, SEED)
    for output in ("escalation", "agreement", "utility_Russia"):
        table = analysis.ranked(output)
        assert table.loc[LEAK, "ST_low"] <= 0 <= table.loc[LEAK, "ST_high"]
        assert table.loc[LEAK, "ST"] == pytest.approx(0, abs=1e-12)
        assert table.loc[COST, "ST_low"] > 0  # the analysis does tell an effect apart
    assert set(analysis.top(2)) == {COST, NOISE}  # both values with an effect rank above it


def test_same_seed_same_indices_on_one_and_two_workers(scenario, analysis):
    pooled = sensitivity(scenario, runs=RUNS, seed=SEED_, workers=2, progress=False)
    pd.testing.assert_frame_equal(pooled.indices, analysis.indices, check_exact=True)
    pd.testing.assert_frame_equal(pooled.ensemble.runs, analysis.ensemble.runs, check_exact=True)
    other = sensitivity(scenario, runs=RUNS, seed=SEED_ + 1, workers=1, progress=False)
    assert not other.indices.equals(analysis.indices)


def test_a_dask_cluster_gives_the_same_indices(scenario, analysis):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = sensitivity(scenario, runs=RUNS, seed=SEED_, client=client, progress=False)
    pd.testing.assert_frame_equal(on_dask.indices, analysis.indices, check_exact=True)


def test_each_row_runs_the_values_at_its_quantiles(scenario, analysis):
    runs, plan = analysis.ensemble.runs, analysis.design
    factors = uncertainty_of(scenario)
    streams = plan.streams(len(plan.names) - 1)
    for row in (0, 3, 4, 17, 200):
        values = factors.at(plan.quantiles[row, :-1])
        assert {path: runs.loc[row, path] for path in values} == pytest.approx(values)
        seed = run_seeds(SEED_, int(streams[row]))[0]
        assert runs.loc[row, "seed"] == seed
        result = simulate(with_changes(scenario, values), seed)
        assert (result.outcome, result.round) == (runs.loc[row, "outcome"], runs.loc[row, "round"])
    block = runs.iloc[:6]  # A, A with each of cost, noise, leak from B, A with B's seed, B
    assert block["seed"].nunique() == 2 and (block["seed"].iloc[:4] == block["seed"].iloc[0]).all()


def test_without_belief_noise_the_values_explain_all_the_variance(tmp_path):
    calm = (
        CERTAIN.replace("  noise: 0.1 ", "  noise: 0.0 ")
        .replace("  red_line_doubt: 0.25", "  red_line_doubt: 0.0")
        .replace("      escalation_rate: 1.0", "      # escalation_rate: 1.0")
    )  # no belief noise and no escalation hazard: nothing left to the seed
    assert calm.count("# escalation_rate") == 1
    # With complete information the war cost alone no longer decides anything (a deal all
    # prefer always exists: Fearon's law); a weak enough Ukraine leaves none.
    defence = "actors.Russia.outside_option.defender_strength"
    section = f"  {defence}: {{distribution: uniform, low: 20000, high: 200000, why: x}}\n"
    scenario = load_scenario(write(tmp_path, calm + "uncertain:\n" + section))
    result = sensitivity(scenario, runs=200, seed=3, workers=1, progress=False)
    seed = result.indices.xs(SEED, level="factor")
    assert (seed["ST"].dropna() == 0).all()
    explained = result.explained().dropna()
    assert len(explained) >= 2 and (explained["share"] == 1).all()


def test_with_noise_the_seed_takes_its_share(analysis):
    explained = analysis.explained()
    escalation = explained.loc["escalation"]
    seed = analysis.ranked("escalation").loc[SEED]
    assert escalation["share"] == pytest.approx(1 - seed["ST"])
    assert 0 <= escalation["low"] <= escalation["share"] <= escalation["high"] < 1
    assert escalation["share"] > 0  # the drawn values explain some of it


def test_an_interrupted_analysis_resumes_and_a_different_design_is_refused(
    tmp_path, scenario, analysis
):
    out = tmp_path / "runs"
    sensitivity(scenario, runs=RUNS, seed=SEED_, workers=1, progress=False, out=out)
    chunks = sorted(out.glob("chunk-*.csv"))
    assert len(chunks) > 1
    chunks[1].unlink()
    resumed = sensitivity(scenario, runs=RUNS, seed=SEED_, workers=2, progress=False, out=out)
    pd.testing.assert_frame_equal(resumed.indices, analysis.indices, check_exact=True)
    assert json.loads((out / "manifest.json").read_text())["given_sha256"]
    morris = {"method": "morris", "runs": 400, "seed": SEED_, "workers": 1, "progress": False}
    sensitivity(scenario, **morris, levels=4, out=tmp_path / "morris")
    with pytest.raises(EnsembleDirError, match="different given_sha256"):
        sensitivity(scenario, **morris, levels=6, out=tmp_path / "morris")


def test_morris_screens_the_same_values(scenario):
    result = sensitivity(scenario, method="morris", runs=400, seed=SEED_, workers=1, progress=False)
    assert result.runs == 80 * 5 and result.explained() is None
    table = result.ranked()
    assert table.loc[LEAK, "mu_star"] == 0 and table.loc[LEAK, "sigma"] == 0
    assert table.loc[COST, "mu_star_low"] > 0 and result.top(1) == [COST]
    assert "mu*" in format_sensitivity(result)


def test_a_fixed_value_given_a_range_joins_the_analysis(scenario):
    no_deal = "actors.NATO.no_deal_adjustment"
    result = sensitivity(
        scenario, runs=250, seed=2, workers=1, progress=False, extra={no_deal: (-0.1, 0.1)}
    )
    assert result.factors == (COST, NOISE, LEAK, no_deal, SEED)
    drawn = result.ensemble.runs[no_deal]
    assert drawn.min() >= -0.1 and drawn.max() <= 0.1 and drawn.nunique() > 20


def test_joint_shares_over_two_values(analysis):
    table = analysis.joint_shares(COST, LEAK, bins=5)
    independent = analysis.ensemble.runs[analysis.design.independent()]
    assert table["runs"].sum() == len(independent) == 2 * 64
    assert sorted(table[LEAK].unique()) == [31, 32, 33, 34]  # few values: one cell each
    assert table[COST].nunique() == 5  # many: five cells of equal probability
    cell = table.iloc[0]
    inside = independent[
        (independent[LEAK] == cell[LEAK]) & (independent[COST] <= 0.06)  # the lowest fifth
    ]
    assert cell["runs"] == len(inside)
    assert cell["escalation"] == pytest.approx((inside["outcome"] == "escalation").mean())
    assert table[list(OUTCOMES)].sum(axis=1).tolist() == pytest.approx([1.0] * len(table))
    with pytest.raises(ValueError, match="not an uncertain value"):
        analysis.joint_shares(COST, SEED)


def test_the_table_ranks_and_the_json_holds_every_output(analysis):
    text = format_sensitivity(analysis)
    assert "explain" in text and "seed (noise)" in text
    lines = text.splitlines()
    ranked = [line.split()[1] for line in lines[3:] if line.split()[0] != "-"]
    assert ranked == [f for f in analysis.ranked().index if f != SEED]
    plain = json.loads(json.dumps(sensitivity_json(analysis), allow_nan=False))
    assert set(plain["outputs"]) == {*OUTCOMES, "utility_Russia", "utility_United States",
                                     "utility_NATO"}  # fmt: skip
    first = plain["outputs"]["escalation"]["indices"][0]
    assert first["factor"] == analysis.ranked().index[0] and "ST_high" in first


def test_bad_arguments(scenario, tmp_path):
    with pytest.raises(ValueError, match="unknown outcome 'war'"):
        sensitivity(scenario, outcome="war", runs=RUNS, seed=1)
    with pytest.raises(
        ValueError, match=r"needs at least 48 runs, got 40 \(3 values and the seed\)"
    ):
        sensitivity(scenario, runs=40, seed=1)
    with pytest.raises(ValueError, match="unknown method"):
        sensitivity(scenario, method="fast", runs=RUNS, seed=1)
    with pytest.raises(ValueError, match="seed must be a non-negative"):
        sensitivity(scenario, runs=RUNS, seed=-1)
    certain = load_scenario(write(tmp_path, CERTAIN))
    with pytest.raises(ValueError, match="no uncertain values"):
        sensitivity(certain, runs=RUNS, seed=1)
