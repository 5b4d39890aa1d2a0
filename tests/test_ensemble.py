"""Ensembles: the same seed gives the same table on every backend; interrupted runs resume;
outcome shares come with Wilson intervals."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from negotiation_sim.engine import simulate
from negotiation_sim.ensemble import (
    Ensemble,
    EnsembleDirError,
    RunFailed,
    format_outcome_table,
    load_ensemble,
    paired_difference_interval,
    run_ensemble,
    run_seeds,
    runner,
    wilson_interval,
)
from negotiation_sim.ensemble.notes import EnsembleNote
from negotiation_sim.model import OUTCOMES
from negotiation_sim.scenario import load_scenario, with_changes

ROOT = Path(__file__).resolve().parents[1]
UKRAINE = ROOT / "scenarios" / "ukraine_2022.yaml"
RUNS, SEED, CHUNK = 120, 20260126, 20


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(UKRAINE)


@pytest.fixture(scope="module")
def reference(scenario):
    """The uncomplicated run: in this process, in memory."""
    return run_ensemble(scenario, RUNS, SEED, workers=1, progress=False, chunk_size=CHUNK)


def assert_same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right, check_exact=True)


def files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def assert_complete_files(directory: Path) -> None:
    """Every file that is not a leftover temporary parses whole."""
    manifest = json.loads((directory / "manifest.json").read_text())
    for path in directory.glob("chunk-*.csv"):
        rows = pd.read_csv(path)
        start = int(path.stem.split("-")[1]) * manifest["chunk_size"]
        stop = min(start + manifest["chunk_size"], manifest["runs"])
        assert list(rows["run"]) == list(range(start, stop))


# --- seeds and rows ----------------------------------------------------------------------


def test_run_seeds_are_the_spawned_children_of_the_seed():
    children = np.random.SeedSequence(SEED).spawn(5)
    for run, child in enumerate(children):
        model_seed, draws = run_seeds(SEED, run)
        assert model_seed == int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
        expected = np.random.default_rng(child.spawn(1)[0]).random()
        assert draws.random() == expected
    assert len({run_seeds(SEED, run)[0] for run in range(1000)}) == 1000


def test_each_row_reproduces_its_run(scenario, reference):
    runs = reference.runs
    assert list(runs["run"]) == list(range(RUNS))
    drawn_columns = slice(2, 2 + len(reference.uncertain))
    assert list(runs.columns[drawn_columns]) == list(reference.uncertain)
    for _, row in runs.iloc[[0, 7, 55]].iterrows():
        drawn = {
            p: v.item() if isinstance(v, np.generic) else v for p, v in row[drawn_columns].items()
        }
        red_lines = scenario.document["uncertain"]["actors.Russia.red_lines"]["values"]
        drawn["actors.Russia.red_lines"] = red_lines[row["actors.Russia.red_lines"]]
        result = simulate(with_changes(scenario, drawn), int(row["seed"]))
        assert result.outcome == row["outcome"] and result.round == row["round"]
        for name, utility in result.utilities.items():
            assert row[f"utility_{name}"] == utility


def test_a_failing_run_is_reported_before_a_later_one_of_its_batch(monkeypatch):
    """Runs' scenarios are made a batch at a time before they are played: a run that fails
    when played is still the one reported, not a later one of its batch whose drawn values
    the scenario refuses (run 7 of this file, seed 7)."""
    clash = ROOT / "tests" / "bad_inputs" / "uncertain_draws_that_clash.yaml"
    played = runner.simulate
    planted = run_seeds(7, 2)[0]

    def simulate_failing_run_2(scenario, seed):
        if seed == planted:
            raise ValueError("planted in run 2")
        return played(scenario, seed)

    with pytest.raises(RunFailed, match="run 7 "):
        run_ensemble(clash, 20, 7, workers=1, progress=False)
    monkeypatch.setattr(runner, "simulate", simulate_failing_run_2)
    with pytest.raises(RunFailed, match=r"run 2 \(seed \d+\): planted in run 2; it drew"):
        run_ensemble(clash, 20, 7, workers=1, progress=False)


def test_same_seed_same_table_whatever_the_chunks(scenario, reference):
    other = run_ensemble(scenario, RUNS, SEED, workers=1, progress=False, chunk_size=7)
    assert_same(other.runs, reference.runs)
    different = run_ensemble(scenario, 20, SEED + 1, workers=1, progress=False)
    assert list(different.runs["seed"]) != list(reference.runs["seed"][:20])


def test_a_progress_callable_hears_each_chunk_and_the_table_is_unchanged(scenario, reference):
    heard: list[tuple[int, int]] = []
    ensemble = run_ensemble(
        scenario, RUNS, SEED, workers=1, progress=lambda *done: heard.append(done), chunk_size=50
    )
    assert heard == [(0, RUNS), (50, RUNS), (100, RUNS), (RUNS, RUNS)]
    assert_same(ensemble.runs, reference.runs)


def test_two_worker_processes_give_the_same_table(scenario, reference):
    pooled = run_ensemble(scenario, RUNS, SEED, workers=2, progress=False, chunk_size=CHUNK)
    assert_same(pooled.runs, reference.runs)


def test_a_dask_cluster_gives_the_same_table(scenario, reference):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = run_ensemble(
            scenario, RUNS, SEED, client=client, progress=False, chunk_size=CHUNK
        )
    assert_same(on_dask.runs, reference.runs)


# --- results on disk -----------------------------------------------------------------------


def test_written_results_read_back_equal(tmp_path, scenario, reference):
    out = tmp_path / "out"
    written = run_ensemble(
        scenario, RUNS, SEED, workers=2, progress=False, out=out, chunk_size=CHUNK
    )
    assert_same(written.runs, reference.runs)
    assert_same(load_ensemble(out).runs, reference.runs)
    assert files(out) == [f"chunk-{i:06d}.csv" for i in range(6)] + ["manifest.json"]
    assert load_ensemble(out).observed_outcome == "escalation"


def test_a_rerun_skips_finished_chunks_and_refuses_another_ensemble(tmp_path, scenario, reference):
    out = tmp_path / "out"
    run_ensemble(scenario, RUNS, SEED, workers=1, progress=False, out=out, chunk_size=CHUNK)
    (out / "chunk-000003.csv").unlink()
    kept = out / "chunk-000001.csv"
    os.utime(kept, (1, 1))
    with pytest.raises(EnsembleDirError, match="unfinished: 1 of 6 chunks missing"):
        load_ensemble(out)
    with pytest.warns(EnsembleNote, match=r"chunk-000003\.csv is missing: running its runs again"):
        resumed = run_ensemble(scenario, RUNS, workers=1, progress=False, out=out)  # seed from disk
    assert_same(resumed.runs, reference.runs)
    assert kept.stat().st_mtime == 1
    with pytest.raises(EnsembleDirError, match="different seed"):
        run_ensemble(scenario, RUNS, SEED + 1, workers=1, progress=False, out=out)
    changed = with_changes(scenario, {"protocol.deadline": 27})  # days: 9 rounds
    with pytest.raises(EnsembleDirError, match="different scenario_sha256"):
        run_ensemble(changed, RUNS, SEED, workers=1, progress=False, out=out)


KILLED_SCRIPT = """
import sys
from negotiation_sim.ensemble import run_ensemble

if __name__ == "__main__":
    run_ensemble(sys.argv[1], runs=int(sys.argv[2]), seed=int(sys.argv[3]), workers=1,
                 progress=False, out=sys.argv[4], chunk_size=20)
"""


def test_a_killed_ensemble_resumes_to_the_uninterrupted_table(tmp_path, scenario, reference):
    script = tmp_path / "ensemble.py"
    script.write_text(KILLED_SCRIPT)
    out = tmp_path / "out"
    runs = RUNS * 4
    child = subprocess.Popen([sys.executable, script, UKRAINE, str(runs), str(SEED), out])
    deadline = time.monotonic() + 60
    while len(list(out.glob("chunk-*.csv"))) < 3 and time.monotonic() < deadline:
        assert child.poll() is None, "the ensemble ended before it could be killed"
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    finished = len(list(out.glob("chunk-*.csv")))
    assert 3 <= finished < runs // 20
    assert_complete_files(out)

    resumed = run_ensemble(scenario, runs, SEED, workers=2, progress=False, out=out)
    uninterrupted = run_ensemble(scenario, runs, SEED, workers=1, progress=False)
    assert_same(resumed.runs, uninterrupted.runs)
    assert_same(resumed.runs.iloc[:RUNS], reference.runs)
    assert not [name for name in files(out) if name.startswith(".")]
    assert_complete_files(out)


def test_ctrl_c_while_writing_leaves_only_whole_files(tmp_path, monkeypatch, scenario, reference):
    out = tmp_path / "out"
    write = pd.DataFrame.to_csv
    calls = []

    def interrupted_on_third_chunk(frame, handle, **options):
        calls.append(1)
        if len(calls) == 3:
            handle.write(write(frame, None, **options)[:300])  # half a file on disk, then ^C
            raise KeyboardInterrupt
        return write(frame, handle, **options)

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted_on_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        run_ensemble(scenario, RUNS, SEED, workers=1, progress=False, out=out, chunk_size=CHUNK)
    assert files(out) == ["chunk-000000.csv", "chunk-000001.csv", "manifest.json"]
    assert_complete_files(out)
    monkeypatch.undo()
    resumed = run_ensemble(scenario, RUNS, SEED, workers=1, progress=False, out=out)
    assert_same(resumed.runs, reference.runs)


def test_ctrl_c_stops_the_worker_pool_promptly(tmp_path, monkeypatch, scenario):
    import negotiation_sim.ensemble.runner as runner

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "write_chunk", interrupt)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_ensemble(scenario, 4000, SEED, workers=2, progress=False, out=tmp_path, chunk_size=50)
    assert time.monotonic() - started < 10  # 4,000 runs would take longer
    assert files(tmp_path) == ["manifest.json"]


# --- what the runs say ------------------------------------------------------------------------


def test_wilson_interval_against_published_values():
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I.
    for (count, total), expected in {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0, 0.1611),
        (1, 29): (0.0061, 0.1718),
    }.items():
        assert wilson_interval(count, total) == pytest.approx(expected, abs=5e-5)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 2000)[0] == 0.0  # exactly, not a rounding speck
    assert wilson_interval(2000, 2000)[1] == 1.0


def test_paired_difference_interval_by_hand():
    # First never, second in 5 of 10 pairs: the correlation is undefined and taken as 0, so
    # low = 0.5 - sqrt((0.5 - 0.2366)^2 + (0.2775 - 0)^2), high = 0.5 + (0.7634 - 0.5).
    diff, low, high = paired_difference_interval(np.zeros(10, bool), np.arange(10) < 5)
    assert (diff, low, high) == pytest.approx((0.5, 0.1174, 0.7634), abs=5e-5)
    same = np.arange(50) % 3 == 0
    diff, low, high = paired_difference_interval(same, same)
    assert diff == 0 and low < 0 < high


def test_outcome_distribution_and_backtest():
    outcomes = ["escalation"] * 6 + ["agreement"] * 3 + ["stalemate"]
    ensemble = Ensemble(pd.DataFrame({"outcome": outcomes}), "toy", 1, "escalation")
    table = ensemble.outcome_distribution()
    assert list(table.index) == list(OUTCOMES)
    assert list(table["count"]) == [3, 0, 1, 6]
    assert table.loc["escalation", "share"] == 0.6
    assert tuple(table.loc["partial_agreement", ["low", "high"]]) == wilson_interval(0, 10)
    backtest = ensemble.observed_probability()
    assert (backtest.count, backtest.runs, backtest.probability) == (6, 10, 0.6)
    assert (backtest.low, backtest.high) == wilson_interval(6, 10)
    text = format_outcome_table(ensemble)
    assert "partial agreement" in text and "60.0%" in text and "escalation" in text.splitlines()[-1]
    no_history = Ensemble(pd.DataFrame({"outcome": outcomes}), "toy", 1, None)
    assert no_history.observed_probability() is None
    assert "probability" not in format_outcome_table(no_history)


def test_bad_arguments(scenario, tmp_path):
    with pytest.raises(ValueError, match="runs must be at least 1"):
        run_ensemble(scenario, 0, SEED)
    with pytest.raises(ValueError, match="workers must be at least 1"):
        run_ensemble(scenario, 5, SEED, workers=0)
    (tmp_path / "chunk-000000.csv").write_text("run\n0\n")
    with pytest.raises(EnsembleDirError, match=r"no manifest\.json"):
        run_ensemble(scenario, 5, SEED, workers=1, progress=False, out=tmp_path)
