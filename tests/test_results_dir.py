"""A results directory has one writer at a time and trusts nothing it has not checked:
each chunk is verified against the manifest's record on resume (a damaged one is run again,
and said so) and by load_ensemble (refused, naming the file); an edited manifest is refused."""

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from negotiation_sim.cli import main
from negotiation_sim.ensemble import EnsembleDirError, load_ensemble, run_ensemble, save_sweep
from negotiation_sim.ensemble.lock import LOCK_FILE, DirectoryLocked, locked
from negotiation_sim.ensemble.notes import EnsembleNote
from negotiation_sim.ensemble.storage import MANIFEST, DamagedChunk
from negotiation_sim.model import OUTCOMES
from negotiation_sim.scenario import load_scenario
from tests.conftest import ROOT, SCENARIOS

UKRAINE = SCENARIOS / "ukraine_2022.yaml"
RUNS, SEED, CHUNK = 120, 31, 20
FORK = multiprocessing.get_context("forkserver")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(UKRAINE)


@pytest.fixture(scope="module")
def finished(scenario, tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """A finished ensemble directory (6 chunks of 20 runs) and its table."""
    out = tmp_path_factory.mktemp("results") / "out"
    written = run_ensemble(scenario, RUNS, SEED, workers=1, progress=False, out=out, chunk_size=20)
    return out, written.runs


@pytest.fixture
def copy(finished, tmp_path) -> Path:
    """A private copy of the finished directory, to damage."""
    target = tmp_path / "copy"
    shutil.copytree(finished[0], target)
    return target


def chunk(directory: Path, index: int) -> Path:
    return directory / f"chunk-{index:06d}.csv"


def rerun(scenario, directory: Path, seed: int = SEED):
    return run_ensemble(scenario, RUNS, seed, workers=1, progress=False, out=directory)


# --- one writer per directory ------------------------------------------------------------------


def _hold(directory: str, ready, release) -> None:
    with locked(directory):
        ready.wait()
        release.wait()


def holding(directory: Path):
    """Another process holding ``directory``'s lock until the returned event is set."""
    ready, release = FORK.Barrier(2), FORK.Event()
    holder = FORK.Process(target=_hold, args=(str(directory), ready, release))
    holder.start()
    ready.wait(timeout=30)
    return holder, release


@pytest.mark.slow
def test_a_second_writer_is_refused_naming_the_directory_and_the_holder(scenario, tmp_path):
    out = tmp_path / "out"
    holder, release = holding(out)
    try:
        with pytest.raises(DirectoryLocked) as refused:
            rerun(scenario, out)
        assert str(refused.value) == (
            f"{out} is being written by process {holder.pid}: wait for it to finish, "
            "or write to another directory"
        )
        assert not (out / MANIFEST).exists()
    finally:
        release.set()
        holder.join(timeout=30)
    assert len(rerun(scenario, out).runs) == RUNS  # free again once the holder is done
    assert not (out / LOCK_FILE).exists()


@pytest.mark.slow
def test_the_lock_of_a_killed_writer_is_stale_and_taken_over(scenario, tmp_path):
    out = tmp_path / "out"
    holder, _ = holding(out)
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(timeout=30)
    assert (out / LOCK_FILE).read_text().strip() == str(holder.pid)  # left behind
    assert len(rerun(scenario, out).runs) == RUNS


def _cli_at_barrier(barrier, args: list[str], results) -> None:
    import contextlib
    import io

    barrier.wait()
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(args)
    except BaseException as escaped:  # a traceback: report it rather than hang the test
        code = repr(escaped)
    results.put((args[-1], code, err.getvalue()))


@pytest.mark.slow
def test_two_writers_started_together_never_mix_their_tables(scenario, tmp_path):
    out = tmp_path / "out"
    barrier, results = FORK.Barrier(2), FORK.Queue()
    common = ["run", str(UKRAINE), "--runs", "400", "--workers", "1", "--no-progress"]
    writers = [
        FORK.Process(
            target=_cli_at_barrier,
            args=(barrier, [*common, "--out", str(out), "--seed", str(seed)], results),
        )
        for seed in (1, 2)
    ]
    for writer in writers:
        writer.start()
    outcome = dict(
        (int(seed), (code, err)) for seed, code, err in (results.get(timeout=60) for _ in writers)
    )
    for writer in writers:
        writer.join(timeout=30)
    winners = [seed for seed, (code, _) in outcome.items() if code == 0]
    assert len(winners) == 1, outcome
    (loser,) = set(outcome) - set(winners)
    code, err = outcome[loser]
    assert code == 2 and len(err.splitlines()) == 1
    # the holder's pid is named once it has written it; a writer that comes in the
    # instant between its lock and its pid is told "another process"
    assert "is being written by" in err or "another ensemble" in err
    expected = run_ensemble(scenario, 400, winners[0], workers=1, progress=False)
    pd.testing.assert_frame_equal(load_ensemble(out).runs, expected.runs, check_exact=True)


def test_ensembles_and_sweeps_do_not_share_a_directory(finished, tmp_path, capsys):
    sweep_dir = tmp_path / "sweep"
    table = pd.DataFrame({"protocol.deadline": [5], "runs": [1], **{o: [0.25] for o in OUTCOMES}})
    save_sweep(table, sweep_dir, ["protocol.deadline"])
    run = ["run", str(UKRAINE), "--runs", "40", "--workers", "1", "--out", str(sweep_dir)]
    assert main(run) == 2
    assert "holds a sweep's results, not an ensemble's" in capsys.readouterr().err
    before = sorted(p.name for p in finished[0].iterdir())
    sweep = [
        "sweep",
        str(UKRAINE),
        "--param",
        "actors.Russia.outside_option.base_cost=0:0.1:2",
        "--runs",
        "5",
        "--workers",
        "1",
        "--out",
        str(finished[0]),
    ]
    assert main(sweep) == 2
    captured = capsys.readouterr()
    assert "holds an ensemble's results, not a sweep's" in captured.err
    assert captured.out == ""  # refused before running
    assert sorted(p.name for p in finished[0].iterdir()) == before


# --- nothing on disk is trusted unchecked ---------------------------------------------------------


def _truncate(directory: Path) -> None:
    """Cut after the header and ten rows, half-way through the eleventh."""
    lines = chunk(directory, 2).read_bytes().splitlines(keepends=True)
    chunk(directory, 2).write_bytes(b"".join(lines[:11]) + lines[11][: len(lines[11]) // 2])


def _cut_at_a_row(directory: Path) -> None:
    lines = chunk(directory, 2).read_bytes().splitlines(keepends=True)
    chunk(directory, 2).write_bytes(b"".join(lines[:11]))


def _duplicate(directory: Path) -> None:
    shutil.copy(chunk(directory, 0), chunk(directory, 1))


def _edit_outcome(directory: Path) -> None:
    text = chunk(directory, 3).read_text()
    chunk(directory, 3).write_text(text.replace(",escalation,", ",agreement,", 1))


def _empty(directory: Path) -> None:
    chunk(directory, 4).write_bytes(b"")


def _binary(directory: Path) -> None:
    chunk(directory, 4).write_bytes(bytes(range(256)) * 4)


def _drop_column(directory: Path) -> None:
    frame = pd.read_csv(chunk(directory, 5))
    frame.drop(columns="outcome").to_csv(chunk(directory, 5), index=False)


DAMAGE = {
    "truncated in a row": (_truncate, 2, ""),  # whether the cut row parses depends on the cut
    "truncated after a row": (_cut_at_a_row, 2, "holds 10 rows, not the 20 recorded"),
    "copied over another": (_duplicate, 1, "does not hold runs 20 to 39 in order"),
    "edited": (_edit_outcome, 3, "was changed after it was written"),
    "empty": (_empty, 4, "is empty"),
    "binary": (_binary, 4, "is not text (binary data at byte 128)"),
    "column missing": (_drop_column, 5, "lacks column(s) outcome"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_chunk_is_refused_on_load_and_run_again_on_resume(case, scenario, finished, copy):
    damage, index, reason = DAMAGE[case]
    damage(copy)
    with pytest.raises(DamagedChunk) as refused:
        load_ensemble(copy)
    message = str(refused.value)
    assert message.startswith(f"{chunk(copy, index)} {reason}")
    assert message.endswith(": rerun the same ensemble to run it again")
    with pytest.warns(EnsembleNote, match="running its runs again") as notes:
        resumed = rerun(scenario, copy)
    assert [str(n.message) for n in notes] == [
        message.replace("rerun the same ensemble to run it again", "running its runs again")
    ]
    pd.testing.assert_frame_equal(resumed.runs, finished[1], check_exact=True)
    pd.testing.assert_frame_equal(load_ensemble(copy).runs, finished[1], check_exact=True)


def _manifest(directory: Path) -> dict:
    return json.loads((directory / MANIFEST).read_text())


def test_a_manifest_whose_seed_was_edited_is_refused(scenario, copy):
    fields = _manifest(copy)
    fields["seed"] = SEED + 1
    (copy / MANIFEST).write_text(json.dumps(fields))
    message = f"{copy / MANIFEST} disagrees with {chunk(copy, 0)}, which was not run with"
    with pytest.raises(EnsembleDirError, match="manifest was edited") as refused:
        load_ensemble(copy)
    assert str(refused.value).startswith(message)
    with pytest.raises(EnsembleDirError, match="manifest was edited"):
        rerun(scenario, copy, seed=SEED + 1)


def test_a_manifest_record_that_does_not_fit_its_chunk_is_refused(copy):
    fields = _manifest(copy)
    fields["written"]["2"]["stop"] = 50
    (copy / MANIFEST).write_text(json.dumps(fields))
    with pytest.raises(EnsembleDirError, match="the record of chunk 2 does not match its runs"):
        load_ensemble(copy)


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "is not an ensemble manifest"),
        ('{"format": "negotiation-sim ensemble, CSV chunks, v1"}', "earlier negotiation-sim"),
        ("[1, 2]", "is not an ensemble manifest"),
        ("\udcff", "is not an ensemble manifest"),
    ],
)
def test_a_manifest_that_is_not_one_is_one_clear_error(copy, text, message):
    (copy / MANIFEST).write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(EnsembleDirError, match=message):
        load_ensemble(copy)


def test_each_chunk_is_recorded_with_its_runs_rows_and_checksum(finished):
    import hashlib

    written = _manifest(finished[0])["written"]
    assert sorted(written, key=int) == [str(i) for i in range(6)]
    for index, record in written.items():
        data = chunk(finished[0], int(index)).read_bytes()
        start = int(index) * CHUNK
        assert record == {
            "start": start,
            "stop": start + CHUNK,
            "rows": CHUNK,
            "sha256": hashlib.sha256(data).hexdigest(),
        }


def test_tampered_directories_give_one_line_from_the_command_line(copy, tmp_path):
    _binary(copy)
    figure = tmp_path / "x.png"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "negotiation_sim.cli",
            "plot",
            str(copy),
            "--kind",
            "outcomes",
            "--out",
            str(figure),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"negotiation-sim: error: {chunk(copy, 4)} is not text (binary data at byte 128): "
        "rerun the same ensemble to run it again"
    ]
    assert not figure.exists()
