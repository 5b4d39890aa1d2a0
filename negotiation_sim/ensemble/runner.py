"""Running an ensemble: a seed per run, runs dealt in chunks, chunks run where the user says.

Seeds. Run ``i`` of an ensemble with seed ``s`` belongs to child ``i`` of
``numpy.random.SeedSequence(s)`` (see ``seeds``). So run ``i`` is the same
whatever the chunking, the number of workers or the backend, and two
scenarios run with one seed share their random numbers run by run (common
random numbers, for comparisons). A job may instead be ``Given`` its values
(a sensitivity design): run ``i`` then takes the values at its given
quantiles and the model seed of its given stream ``k``, child ``k`` of the
same ``SeedSequence``, so that runs meant to share their randomness share it.

Execution. Runs are dealt in chunks of a few hundred to a few thousand: each
chunk travels once to a worker with its scenario (pickled, ~30 kB: cheaper to
unpickle than to re-validate the file) and returns one small DataFrame.
``workers=1`` runs in this process; more use a process pool started once,
with the ``forkserver`` start method (``spawn`` where there is none) taken
from a context, so the program's global start method is left alone; a Dask
``distributed.Client`` gets the same chunks. Workers ignore Ctrl-C: this
process catches it, stops the pool and lets the caller decide. Workers end
when this process ends, however it ends (even by SIGKILL).

Scripts that start worker processes need the usual
``if __name__ == "__main__":`` guard around their top-level code.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from negotiation_sim import limits
from negotiation_sim.engine import simulate
from negotiation_sim.ensemble.lock import locked
from negotiation_sim.ensemble.notes import note
from negotiation_sim.ensemble.progress import Progress, progress_bar
from negotiation_sim.ensemble.result import Ensemble, typed_frame
from negotiation_sim.ensemble.seeds import run_seeds
from negotiation_sim.ensemble.storage import (
    Manifest,
    discard,
    document_hash,
    load_ensemble,
    open_directory,
    read_manifest,
    write_chunk,
)
from negotiation_sim.ensemble.user_classes import missing_class_hint, register_sent, user_classes
from negotiation_sim.scenario import Scenario, ScenarioError, load_scenario, uncertainty_of
from negotiation_sim.scenario.apply import Changer
from negotiation_sim.scenario.document import Document
from negotiation_sim.scenario.errors import excerpt
from negotiation_sim.scenario.uncertainty import SECTION, Uncertainty, value_dtype

if TYPE_CHECKING:
    from distributed import Client

LOG = logging.getLogger(__name__)
CHUNKS_PER_WORKER = 8
"""Chunks per worker by default: enough to balance uneven chunks, few enough to cost nothing."""
BATCH = 32
"""Runs of a chunk made before they are played (see ``run_chunk``): enough to keep each
step's code warm, few enough that the scenarios they hold take little memory."""
MIN_CHUNK, MAX_CHUNK = 50, 2000
"""Bounds on the default chunk: at most a few seconds of work, so the progress bar moves and
an interrupted ensemble loses little."""


class RunFailed(RuntimeError):
    """A run that could not be made, e.g. drawn values the scenario refuses together
    (a drawn event round after a swept deadline). One message, so it crosses processes."""


class WorkerDied(RuntimeError):
    """A local worker process ended in the middle of the ensemble (killed, out of memory)."""


@dataclass(frozen=True)
class Given:
    """Values given to runs instead of drawn: for each run, one quantile per uncertain entry
    (``quantiles[k]`` for run ``first + k``) and the stream its model seed comes from.

    Runs with the same stream get the same model seed: a design pairs them on purpose
    (common random numbers between a point and the point with one value changed).
    """

    quantiles: np.ndarray
    streams: np.ndarray
    first: int = 0

    def __post_init__(self) -> None:
        if self.quantiles.ndim != 2 or len(self.quantiles) != len(self.streams):
            raise ValueError("given quantiles need one row per run, as many as the streams")

    def __len__(self) -> int:
        return len(self.streams)

    def rows(self, start: int, stop: int) -> Given:
        """Runs ``start`` to ``stop - 1`` only (what one chunk carries to its worker)."""
        k = slice(start - self.first, stop - self.first)
        return Given(self.quantiles[k], self.streams[k], start)

    def at(self, run: int) -> tuple[np.ndarray, int]:
        return self.quantiles[run - self.first], int(self.streams[run - self.first])

    def sha256(self) -> str:
        """A fingerprint of the values given, so a results directory resumes only the same."""
        digest = hashlib.sha256(np.ascontiguousarray(self.quantiles, dtype=np.float64).tobytes())
        digest.update(np.ascontiguousarray(self.streams, dtype=np.int64).tobytes())
        return digest.hexdigest()


@dataclass(frozen=True)
class Job:
    """One ensemble to run: a scenario, its uncertain values, and values held fixed.

    ``fixed`` values (a sweep's grid point) are already set in ``scenario``; their
    uncertain entries are still drawn, so that every other value gets the same
    draws at every point, but the draw is not applied. With ``given``, the uncertain
    values and seeds of each run are given rather than drawn (see ``Given``).
    """

    scenario: Scenario
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    fixed: Mapping[str, Any] = field(default_factory=dict)
    given: Given | None = None

    def inputs(self, seed: int, run: int) -> tuple[int, dict[str, Any]]:
        """The model seed of run ``run`` and its uncertain values, drawn or given."""
        if self.given is None:
            model_seed, draws = run_seeds(seed, run)
            return model_seed, self.uncertainty.draw(draws)
        quantiles, stream = self.given.at(run)
        return run_seeds(seed, stream)[0], self.uncertainty.at(quantiles)

    def rows(self, start: int, stop: int) -> Job:
        """This job as runs ``start`` to ``stop - 1`` need it (only their given values)."""
        return self if self.given is None else replace(self, given=self.given.rows(start, stop))

    @property
    def drawn_paths(self) -> tuple[str, ...]:
        """The paths whose drawn values each run sets (not those held ``fixed``)."""
        return tuple(p for p in self.uncertainty.paths if p not in self.fixed)

    @property
    def columns(self) -> dict[str, str]:
        """Name and type of each results column, in order."""
        space = self.scenario.space
        drawn = {e.path: e.dtype for e in self.uncertainty.entries}
        drawn.update({p: value_dtype([v]) or "str" for p, v in self.fixed.items()})
        return {
            "run": "int64",
            "seed": "int64",
            **drawn,
            "outcome": "str",
            "round": "int64",
            **{f"term_{name}": "str" for name in space.issue_names},
            **{f"utility_{name}": "float64" for name in self.scenario.actor_names},
        }

    def ensemble(self, runs: pd.DataFrame, seed: int) -> Ensemble:
        paths = tuple(dict.fromkeys([*self.uncertainty.paths, *self.fixed]))
        return Ensemble(runs, self.scenario.name, seed, self.scenario.observed_outcome, paths)


@dataclass(frozen=True)
class Chunk:
    """Runs ``start`` to ``stop - 1`` of a job, the unit of work sent to a worker."""

    job: Job
    seed: int
    start: int
    stop: int

    def __len__(self) -> int:
        return self.stop - self.start


def run_chunk(chunk: Chunk, classes: bytes | None = None) -> pd.DataFrame:
    """Run a chunk and return its rows (the function every backend executes); ``classes``
    are the user's registered classes, sent to another process (see ``user_classes``).

    Runs are made in batches of ``BATCH``, their scenarios first, then played: the
    code and data of each step stay in the processor's caches over a batch, where
    alternating evicts them (5-11% off a 1-worker ensemble's run, measured against the
    alternating loop with ``benchmarks/compare_revisions.py``).
    A run whose values the scenario refuses fails where it comes, after those before it."""
    register_sent(classes)
    job = chunk.job
    columns = job.columns
    rows: dict[str, list[Any]] = {name: [] for name in columns}
    changer = Changer(job.scenario, job.drawn_paths) if job.drawn_paths else None
    for first in range(chunk.start, chunk.stop, BATCH):
        batch = [
            _made(job, changer, chunk.seed, run)
            for run in range(first, min(first + BATCH, chunk.stop))
        ]
        for run, (model_seed, drawn, changes, scenario) in enumerate(batch, first):
            try:
                if isinstance(scenario, Exception):
                    raise scenario
                row = simulate(scenario, model_seed).as_row()
            except (ScenarioError, ValueError, KeyError) as error:
                failed = _failed(job, run, model_seed, changes, error)
                raise RunFailed(f"{failed}{missing_class_hint(error)}") from None
            row.update(job.uncertainty.record(drawn), **job.fixed, run=run, seed=model_seed)
            for name, values in rows.items():
                values.append(row.get(name))
    return typed_frame(rows, columns)


def _made(
    job: Job, changer: Changer | None, seed: int, run: int
) -> tuple[int, dict[str, Any], dict[str, Any], Scenario | Exception]:
    """Run ``run``'s model seed, drawn values, the changes they make and its scenario, or
    the problem the scenario finds with them."""
    model_seed, drawn = job.inputs(seed, run)
    changes = {p: v for p, v in drawn.items() if p not in job.fixed}
    try:
        scenario = changer.apply(changes) if changer else job.scenario
    except (ScenarioError, ValueError, KeyError) as error:
        return model_seed, drawn, changes, error
    return model_seed, drawn, changes, scenario


def _failed(
    job: Job, run: int, model_seed: int, drawn: Mapping[str, Any], error: Exception
) -> RunFailed:
    """A run whose drawn values the scenario refuses (together, since each alone was checked
    when it was loaded): located at the ``uncertain:`` entry that the problem is about, or
    else at the section, then the problem, then every value the run drew."""
    field = error.field if isinstance(error, ScenarioError) else ""
    problem = f"{field}: {error.message}" if isinstance(error, ScenarioError) else str(error)
    values = ", ".join(f"{p}={_shown(v)}" for p, v in drawn.items()) or "nothing"
    message = f"run {run} (seed {model_seed}): {problem}; it drew {values}"
    document = job.scenario.document
    if isinstance(document, Document):
        about = [p for p in drawn if field == p or field.startswith(f"{p}.")]
        where = (SECTION, about[0]) if about else (SECTION,)
        origin = document.origin(where)
        line = f":{origin.line}" if origin.line is not None else ""
        message = f"{origin.file}{line}: {document.field(where)}: {message}"
    return RunFailed(message)


def _shown(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else excerpt(repr(value), 40)


# --- where chunks run ------------------------------------------------------------------------


def _start_worker(parent: int) -> None:
    """Set up a worker: ignore Ctrl-C (the parent handles it) and end when the parent ends.

    A forkserver's worker is the forkserver's child, not the parent's, and it keeps the
    forkserver alive, so neither a parent-death signal nor the forkserver's own watch
    would end it if the parent were killed: the worker, the forkserver and the resource
    tracker would run on for minutes, holding the caller's output pipes open. So a thread
    of the worker waits for ``parent`` to end and then ends the worker at once.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="parent-watch").start()


def _exit_with(parent: int) -> None:
    """Return never: end this process as soon as process ``parent`` has ended (waiting on
    its pidfd on Linux; elsewhere, checking twice a second that it still exists)."""
    try:
        handle = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfds here
        while _exists(parent):
            time.sleep(0.5)
        os._exit(1)
    select.select([handle], [], [])
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _on_pool(
    chunks: Sequence[Chunk],
    workers: int,
    classes: bytes | None,
    done: Callable[[int, pd.DataFrame], None],
) -> None:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # import the model once in the server, not once per worker
        context.set_forkserver_preload([__name__])
    executor = ProcessPoolExecutor(
        min(workers, len(chunks)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
    pending = {executor.submit(run_chunk, chunk, classes): i for i, chunk in enumerate(chunks)}
    try:
        for future in as_completed(pending):
            done(pending.pop(future), future.result())
    except BrokenProcessPool as exc:
        raise WorkerDied(
            "a worker process died (out of memory, killed, or unable to start: a script "
            "that starts workers needs an `if __name__ == '__main__':` guard, and code read "
            "from stdin cannot start any; use workers=1 there)"
        ) from exc
    except BaseException:
        _stop_workers(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """End the workers now rather than after their current chunk (Python 3.14 has
    ``terminate_workers``; before it, the executor's process table is the only handle)."""
    terminate = getattr(executor, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    for process in list(getattr(executor, "_processes", {}).values()):
        process.terminate()


def _on_dask(
    chunks: Sequence[Chunk],
    client: Client,
    classes: bytes | None,
    done: Callable[[int, pd.DataFrame], None],
) -> None:
    from distributed import as_completed as dask_as_completed

    futures = [client.submit(run_chunk, chunk, classes, pure=False) for chunk in chunks]
    position = {future.key: i for i, future in enumerate(futures)}
    try:
        for future in dask_as_completed(futures):
            done(position[future.key], future.result())
            future.release()
    except BaseException:
        client.cancel(futures)
        raise


def connect(address: str) -> Client:
    """A Dask client for the scheduler at ``address`` (e.g. ``tcp://10.0.0.5:8786``)."""
    try:
        from distributed import Client
    except ImportError:
        raise ImportError(
            "running on a Dask cluster needs the distributed extra: "
            "pip install 'negotiation-sim[distributed]'"
        ) from None
    return Client(address)


def _execute(
    chunks: Sequence[Chunk],
    workers: int,
    client: Client | None,
    progress: Progress,
    done: Callable[[int, pd.DataFrame], None],
    finished_runs: int = 0,
) -> None:
    """Run ``chunks`` on the chosen backend, calling ``done(index, rows)`` as each finishes."""
    total = finished_runs + sum(len(c) for c in chunks)
    where = (
        "a Dask cluster"
        if client
        else "this process"
        if workers == 1
        else f"{workers} worker processes"
    )
    LOG.debug(
        "%d runs to go in %d chunks on %s (%d done before)",
        total - finished_runs,
        len(chunks),
        where,
        finished_runs,
    )
    bar = progress_bar(total, finished_runs, progress)

    def record(index: int, frame: pd.DataFrame) -> None:
        done(index, frame)
        bar.update(len(frame))

    try:
        if not chunks:
            return
        if client is not None:
            _on_dask(chunks, client, user_classes(), record)
        elif workers == 1:
            for index, chunk in enumerate(chunks):
                record(index, run_chunk(chunk))
        else:
            _on_pool(chunks, workers, user_classes(), record)
    finally:
        bar.close()


def _parallelism(workers: int | None, client: Client | None, jobs: Sequence[Job]) -> int:
    """How many runs go at once: the cluster's threads, or local workers (default: the
    cores), at most the cores unless ``NEGOTIATION_SIM_MAX_WORKERS`` allows more, and no
    more than the available memory holds runs of the largest scenario at once."""
    if client is not None:
        return max(1, sum(client.nthreads().values()))
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    cores, cap = limits.cores(), limits.workers_limit()
    wanted = workers or cores
    parallel = min(wanted, cap.value)
    if parallel < wanted:
        note(
            f"using {_count(parallel, 'worker')}, not {wanted}: this process may use "
            f"{_count(cores, 'core')} (set {cap.variable} to use more)"
        )
    need = max(limits.run_memory(len(j.scenario.space), len(j.scenario.actors)) for j in jobs)
    available = limits.available_memory()
    if available is not None and parallel > 1 and parallel * need > available:
        fit = max(1, available // need)
        note(
            f"using {_count(fit, 'worker')}, not {parallel}: each run needs about "
            f"{need / 1e9:.1f} GB and {available / 1e9:.1f} GB are available"
        )
        parallel = fit
    return parallel


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _chunk_size(runs: int, parallel: int) -> int:
    return min(MAX_CHUNK, max(MIN_CHUNK, runs // (parallel * CHUNKS_PER_WORKER)))


def _chunks(job: Job, seed: int, runs: int, size: int) -> list[Chunk]:
    bounds = [(start, min(start + size, runs)) for start in range(0, runs, size)]
    return [Chunk(job.rows(start, stop), seed, start, stop) for start, stop in bounds]


def check_runs_and_seed(runs: int, seed: int | None) -> None:
    """A ``ValueError`` for fewer than one run, more than ``limits.RUNS``, or a negative seed."""
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    limits.RUNS.check(runs)
    if seed is not None and seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")


def fresh_seed(seed: int | None = None) -> int:
    """The given seed, or fresh entropy (recorded with the results, so still reproducible)."""
    if seed is not None:
        return int(seed)
    return cast(int, np.random.SeedSequence().entropy)  # fresh entropy is one int


def run_ensembles(
    jobs: Sequence[Job],
    runs: int,
    seed: int | None = None,
    workers: int | None = None,
    client: Client | None = None,
    progress: Progress = None,
    chunk_size: int | None = None,
) -> list[Ensemble]:
    """Run several jobs with the same seed (common random numbers) on one pool, in memory."""
    check_runs_and_seed(runs * len(jobs), seed)
    seed = fresh_seed(seed)
    parallel = _parallelism(workers, client, jobs)
    size = chunk_size or _chunk_size(runs * len(jobs), parallel)
    chunks = [c for job in jobs for c in _chunks(job, seed, runs, size)]
    frames: list[pd.DataFrame | None] = [None] * len(chunks)

    def keep(index: int, frame: pd.DataFrame) -> None:
        frames[index] = frame

    _execute(chunks, parallel, client, progress, keep)
    per_job = -(-runs // size)
    return [
        job.ensemble(_joined(frames[k * per_job : (k + 1) * per_job]), seed)
        for k, job in enumerate(jobs)
    ]


def _joined(frames: Sequence[pd.DataFrame | None]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True).sort_values("run", kind="stable", ignore_index=True)


def as_scenario(scenario: Scenario | str | Path) -> Scenario:
    """The scenario itself, or the one loaded from a scenario file."""
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def run_ensemble(
    scenario: Scenario | str | Path,
    runs: int = 1000,
    seed: int | None = None,
    workers: int | None = None,
    client: Client | None = None,
    progress: Progress = None,
    out: str | Path | None = None,
    chunk_size: int | None = None,
) -> Ensemble:
    """Run ``runs`` seeded negotiations of ``scenario``, each with its own draw of the
    scenario's uncertain values, and collect one row per run (see ``Ensemble``).

    Args:
        scenario: a ``Scenario`` or the path of a scenario file.
        runs: how many runs.
        seed: the ensemble's seed; the same seed gives the same table whatever
            ``workers``, ``client`` or ``chunk_size``. None draws one (kept in the result).
        workers: local worker processes (default: all cores; 1 runs in this process); at
            most the cores (unless ``NEGOTIATION_SIM_MAX_WORKERS`` allows more) and as many
            as the available memory holds runs of the scenario (an ``EnsembleNote`` says so).
        client: a ``distributed.Client``; runs on its cluster instead of local processes.
        progress: show a progress bar: None (the default) in a terminal or a notebook,
            True also when stderr is a pipe or a file, False never; or a callable
            ``progress(done, total)``, called as runs finish (a page's own indicator).
        out: a directory to write results to, chunk by chunk, as they finish. Rerunning
            the same call resumes an interrupted ensemble (running again any chunk that
            no longer matches its record, with an ``EnsembleNote``); the directory must not
            hold a different one, a sweep, or another process's writes in progress
            (``EnsembleDirError``). Rows then go to disk, not to memory, until the end,
            when the table is read back (``load_ensemble``). A run that fails
            (``RunFailed``) leaves none of the ensemble's files behind.
        chunk_size: runs per chunk (default: about eight chunks per worker, at least 50;
            when resuming, the directory's).
    """
    scenario = as_scenario(scenario)
    job = Job(scenario, uncertainty_of(scenario))
    return run_job(job, runs, seed, workers, client, progress, out, chunk_size)


def run_job(
    job: Job,
    runs: int,
    seed: int | None = None,
    workers: int | None = None,
    client: Client | None = None,
    progress: Progress = None,
    out: str | Path | None = None,
    chunk_size: int | None = None,
) -> Ensemble:
    """Run one job as ``run_ensemble`` runs a scenario (same arguments): in memory, or to and
    resumed from the directory ``out``. A job with ``given`` values runs exactly as many."""
    check_runs_and_seed(runs, seed)
    if job.given is not None and len(job.given) != runs:
        raise ValueError(f"the job gives values for {len(job.given)} runs, not {runs}")
    parallel = _parallelism(workers, client, [job])
    if out is None:
        return run_ensembles([job], runs, seed, parallel, client, progress, chunk_size)[0]
    created = not Path(out).exists()
    try:
        with locked(out) as directory:
            return _run_into(directory, job, runs, seed, chunk_size, parallel, client, progress)
    except RunFailed:
        if created:
            with contextlib.suppress(OSError):
                Path(out).rmdir()
        raise


def _run_into(
    directory: Path,
    job: Job,
    runs: int,
    seed: int | None,
    chunk_size: int | None,
    parallel: int,
    client: Client | None,
    progress: Progress,
) -> Ensemble:
    """``run_ensemble`` into ``directory``, which this process holds (see ``lock``)."""
    scenario = job.scenario
    previous = read_manifest(directory)
    if seed is None:
        seed = previous.seed if previous else fresh_seed()
    if chunk_size is None:
        chunk_size = previous.chunk_size if previous else _chunk_size(runs, parallel)
    manifest = open_directory(
        directory,
        Manifest(
            scenario=scenario.name,
            scenario_sha256=document_hash(scenario.document),
            seed=seed,
            runs=runs,
            chunk_size=chunk_size,
            columns=job.columns,
            observed_outcome=scenario.observed_outcome,
            uncertain=list(job.uncertainty.paths),
            given_sha256=None if job.given is None else job.given.sha256(),
        ),
    )
    chunks = _chunks(job, seed, runs, chunk_size)
    todo = [i for i in range(len(chunks)) if i not in manifest.written]

    def save(index: int, frame: pd.DataFrame) -> None:
        nonlocal manifest
        manifest = write_chunk(directory, manifest, todo[index], frame)

    try:
        _execute(
            [chunks[i] for i in todo],
            parallel,
            client,
            progress,
            save,
            finished_runs=sum(len(chunks[i]) for i in manifest.written),
        )
    except RunFailed:
        discard(directory, manifest)  # it would fail again on every resume: keep none of it
        raise
    return load_ensemble(directory)
