"""An ensemble on disk: a manifest and one CSV file per finished chunk, each written atomically.

Format: CSV, one file per chunk of runs (``chunk-000012.csv``), plus
``manifest.json``. CSV because the results are meant to be shared: every
tool reads it (pandas, R, a spreadsheet, ``grep``), it needs no optional
dependency (pyarrow is not a requirement of this package), and, unlike
pickle, reading it cannot run code. Floats are written with Python's
shortest round-trip repr and read back exactly, and the manifest records each
column's type, so a table read back equals the one computed, bit for bit.

Each file is written to a temporary name in the same directory, flushed to
disk, then renamed over its final name (``os.replace`` is atomic on POSIX),
so a reader, a crash or Ctrl-C sees either the whole file or none of it.
The manifest is written first; it fixes what the directory holds (the
scenario document's hash, seed, runs, chunk size, columns, and the fingerprint
of values given to the runs instead of drawn), so that a rerun resumes only the
same ensemble. After each chunk it is written again with that chunk's record:
its runs, its row count and the SHA-256 of its file. A chunk counts as finished
only when its record is there and the file matches it, so a chunk changed,
truncated or copied over another after it was written is found on resume (and
run again) and by ``load_ensemble`` (and refused); a chunk that matches its
record but not the manifest's seed means the manifest was edited, and is
refused. The command line adds ``source.json`` once the ensemble is complete:
the scenario file it ran, for figures that need its issues.

Writers hold the directory's lock (``ensemble.lock``) while they write.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from negotiation_sim.ensemble.notes import note
from negotiation_sim.ensemble.result import DTYPES, Ensemble, typed_frame
from negotiation_sim.ensemble.seeds import model_seed
from negotiation_sim.scenario.errors import excerpt

FORMAT = "negotiation-sim ensemble, CSV chunks, v2"
OLD_FORMATS = ("negotiation-sim ensemble, CSV chunks, v1",)
MANIFEST = "manifest.json"
SOURCE = "source.json"
"""Where the scenario file of a finished ensemble was (written by the command line), so that
figures needing the scenario's issues can be drawn from the directory alone."""
SWEEP_TABLE, SWEEP_ABOUT = "sweep.csv", "sweep.json"
"""The files of a sweep's directory (see ``ensemble.sweep``)."""
_TEMP_SUFFIX = ".partial"


class EnsembleDirError(Exception):
    """An output directory that holds something else than the ensemble asked for."""


class WriteFailed(OSError):
    """A file that could not be written (disk full, read-only file system): which, and why."""

    def __str__(self) -> str:
        return f"could not write {self.filename}: {self.strerror}"


@dataclass(frozen=True)
class ChunkRecord:
    """What a finished chunk holds: runs ``start`` to ``stop - 1``, as ``rows`` rows, in a
    file whose SHA-256 is ``sha256``."""

    start: int
    stop: int
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What an output directory holds; two runs with equal manifests write the same files.

    ``written`` records the finished chunks by index; it is not part of what the
    directory holds, so it is left out of comparisons.
    """

    scenario: str
    scenario_sha256: str
    seed: int
    runs: int
    chunk_size: int
    columns: dict[str, str]
    observed_outcome: str | None
    uncertain: list[str]
    given_sha256: str | None = None
    """The fingerprint of values given to the runs (a sensitivity design), None when drawn."""
    format: str = FORMAT
    written: dict[int, ChunkRecord] = field(default_factory=dict, compare=False)

    @property
    def chunks(self) -> int:
        return -(-self.runs // self.chunk_size)

    def runs_of(self, index: int) -> tuple[int, int]:
        """First and past-the-last run of chunk ``index``."""
        start = index * self.chunk_size
        return start, min(start + self.chunk_size, self.runs)

    def identity(self) -> dict[str, Any]:
        """The fields that say which ensemble this is (all but ``written``)."""
        return {k: v for k, v in asdict(self).items() if k != "written"}


def document_hash(document: Mapping[str, Any] | None) -> str:
    """SHA-256 of a scenario document in a canonical JSON form (keys sorted)."""
    plain = None if document is None else dict(document)
    text = json.dumps(plain, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def chunk_path(directory: Path, index: int) -> Path:
    return directory / f"chunk-{index:06d}.csv"


def atomic_write(target: Path, write: Callable[[Any], None], binary: bool = False) -> None:
    """Write ``target`` through a temporary file in its directory, then rename it into place.

    ``write`` gets the open file (text, or bytes with ``binary``); if it fails, or the
    process is interrupted, the temporary file is removed and ``target`` is left as it was.
    An operating-system error (disk full, read-only file system) is a ``WriteFailed``
    naming ``target``.
    """
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex}{_TEMP_SUFFIX}")
    try:
        with open(temporary, "xb") if binary else open(temporary, "x", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WriteFailed):
            raise WriteFailed(exc.errno, exc.strerror or str(exc), str(target)) from exc
        raise


def atomic_write_text(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file renamed into place."""
    atomic_write(Path(target), lambda handle: handle.write(text))


def write_source(directory: str | Path, scenario_file: str | Path) -> None:
    """Record in ``directory`` the scenario file its ensemble ran (as an absolute path)."""
    text = json.dumps({"scenario_file": str(Path(scenario_file).resolve())}, indent=2)
    atomic_write_text(Path(directory) / SOURCE, text)


def read_source(directory: str | Path) -> Path | None:
    """The scenario file recorded by ``write_source``, or None if none was recorded."""
    path = Path(directory) / SOURCE
    if not path.exists():
        return None
    try:
        return Path(json.loads(path.read_text())["scenario_file"])
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise EnsembleDirError(f"{path} does not name a scenario file: {exc}") from None


def remove_partial_files(directory: Path) -> None:
    """Delete temporary files a killed writer left behind (never a finished file)."""
    for leftover in directory.glob(f".*{_TEMP_SUFFIX}"):
        leftover.unlink(missing_ok=True)


_KINDS = {"an ensemble": (MANIFEST, "chunk-*.csv"), "a sweep": (SWEEP_ABOUT, SWEEP_TABLE)}


def refuse_other_kind(directory: Path, kind: str) -> None:
    """Refuse to write results of ``kind`` (``"an ensemble"``, ``"a sweep"``) into a
    directory that holds another kind's files."""
    for other, patterns in _KINDS.items():
        if other != kind and any(next(directory.glob(p), None) for p in patterns):
            raise EnsembleDirError(
                f"{directory} holds {other}'s results, not {kind}'s: use another directory"
            )


def open_directory(directory: Path, manifest: Manifest) -> Manifest:
    """Prepare ``directory`` for ``manifest``; return it with the chunks already finished there.

    The caller holds the directory's lock. A new directory gets the manifest; one holding
    a different ensemble, or a sweep, is refused. Each finished chunk is checked against
    its record: a damaged one is forgotten, to be run again, with a note saying so.
    """
    refuse_other_kind(directory, "an ensemble")
    remove_partial_files(directory)
    existing = read_manifest(directory)
    if existing is None:
        if any(directory.glob("chunk-*.csv")):
            raise EnsembleDirError(f"{directory} holds chunk files but no {MANIFEST}")
        write_manifest(directory, manifest)
        return manifest
    if existing != manifest:
        theirs = existing.identity()
        different = [k for k, v in manifest.identity().items() if theirs.get(k) != v]
        raise EnsembleDirError(
            f"{directory} holds another ensemble (different {', '.join(different)}); "
            "use a new directory, or delete this one to start again"
        )
    finished = {}
    for index, record in sorted(existing.written.items()):
        try:
            read_chunk(directory, existing, index)
        except DamagedChunk as damage:
            note(f"{damage}: running its runs again")
            continue
        finished[index] = record
    if finished == existing.written:
        return existing
    checked = dataclasses.replace(existing, written=finished)
    write_manifest(directory, checked)
    return checked


def discard(directory: Path, manifest: Manifest) -> None:
    """Remove an ensemble's files from ``directory`` (the caller holds its lock)."""
    for index in range(manifest.chunks):
        chunk_path(directory, index).unlink(missing_ok=True)
    for name in (SOURCE, MANIFEST):
        (directory / name).unlink(missing_ok=True)


def write_manifest(directory: Path, manifest: Manifest) -> None:
    fields = manifest.identity()
    fields["written"] = {str(i): asdict(r) for i, r in sorted(manifest.written.items())}
    atomic_write(directory / MANIFEST, lambda f: json.dump(fields, f, indent=2))


def read_manifest(directory: Path) -> Manifest | None:
    """The manifest of ``directory``, checked for sense; None if it has none."""
    path = Path(directory) / MANIFEST
    if not path.exists():
        return None
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
        found = fields.get("format")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError) as exc:
        raise EnsembleDirError(f"{path} is not an ensemble manifest: {excerpt(exc)}") from None
    if found in OLD_FORMATS:
        raise EnsembleDirError(
            f"{path} was written by an earlier negotiation-sim ({found!r}), whose chunks carry "
            "no checksums to verify: run the ensemble again into a new directory"
        )
    if found != FORMAT:
        raise EnsembleDirError(f"{path} has format {excerpt(found)}, expected {FORMAT!r}")
    try:
        written = {int(k): ChunkRecord(**v) for k, v in fields.pop("written").items()}
        manifest = Manifest(**fields, written=written)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EnsembleDirError(f"{path} is not an ensemble manifest: {excerpt(exc)}") from None
    problem = _manifest_problem(manifest)
    if problem:
        raise EnsembleDirError(f"{path} is not an ensemble manifest: {problem}")
    return manifest


def _manifest_problem(manifest: Manifest) -> str | None:
    """What makes no sense in a manifest read from disk, if anything."""
    numbers = {"seed": 0, "runs": 1, "chunk_size": 1}
    for name, least in numbers.items():
        value = getattr(manifest, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            return f"{name} is {excerpt(value)}, not a whole number of at least {least}"
    columns = manifest.columns
    if not isinstance(columns, dict) or any(t not in DTYPES for t in columns.values()):
        return f"columns must map names to types ({', '.join(DTYPES)})"
    if not {"run", "seed", "outcome"} <= set(columns):
        return "columns lack run, seed or outcome"
    for index, record in manifest.written.items():
        start, stop = manifest.runs_of(index)
        expected = ChunkRecord(start, stop, stop - start, record.sha256)
        if not 0 <= index < manifest.chunks or record != expected:
            return f"the record of chunk {index} does not match its runs ({start} to {stop - 1})"
        if not (isinstance(record.sha256, str) and len(record.sha256) == 64):
            return f"the record of chunk {index} has no SHA-256"
    return None


_CHANGED = "was changed after it was written (its SHA-256 is not the recorded one)"


class DamagedChunk(EnsembleDirError):
    """A chunk file that no longer holds what was written (changed, truncated, replaced)."""


def write_chunk(directory: Path, manifest: Manifest, index: int, frame: pd.DataFrame) -> Manifest:
    """Write chunk ``index`` and record it in the manifest; returns the updated manifest."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    data = buffer.getvalue().encode()
    atomic_write(chunk_path(directory, index), lambda handle: handle.write(data), binary=True)
    start, stop = manifest.runs_of(index)
    record = ChunkRecord(start, stop, len(frame), hashlib.sha256(data).hexdigest())
    updated = dataclasses.replace(manifest, written={**manifest.written, index: record})
    write_manifest(directory, updated)
    return updated


def read_chunk(directory: Path, manifest: Manifest, index: int) -> pd.DataFrame:
    """Chunk ``index`` with its recorded column types, checked against its record.

    ``DamagedChunk`` if the file is not what was written; ``EnsembleDirError`` if it is,
    but its record or its seeds disagree with the manifest (an edited manifest).
    """
    path, record = chunk_path(directory, index), manifest.written[index]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DamagedChunk(f"{path} is missing") from None
    except OSError as exc:
        raise EnsembleDirError(f"cannot read {path}: {exc.strerror}") from None
    frame, problem = _parse_chunk(data, record, manifest)
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise DamagedChunk(f"{path} {problem or _CHANGED}")
    drawn = manifest.given_sha256 is None  # given runs take the seeds of their streams
    if (
        drawn
        and problem is None
        and frame["seed"].iloc[0] != model_seed(manifest.seed, record.start)
    ):
        problem = f"was not run with the manifest's seed {manifest.seed}"
    if problem is not None:
        raise EnsembleDirError(
            f"{directory / MANIFEST} disagrees with {path}, which {problem}: the manifest "
            "was edited; use a new directory, or delete this one to start again"
        )
    return frame


def _parse_chunk(
    data: bytes, record: ChunkRecord, manifest: Manifest
) -> tuple[pd.DataFrame, str | None]:
    """The chunk's table and what is wrong with it, if anything. Floats are read as text
    and converted by Python's ``float``, which is exact for the shortest repr ``to_csv``
    writes (pandas' own fast parser is not, before pandas 3)."""
    if not data.strip():
        return pd.DataFrame(), "is empty"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return pd.DataFrame(), f"is not text (binary data at byte {exc.start})"
    types = {"str": object, "bool": bool, "int64": "int64", "float64": object}
    columns = manifest.columns
    try:
        header = list(pd.read_csv(io.StringIO(text), nrows=0).columns)
        if header != list(columns):
            missing = [c for c in columns if c not in header]
            return pd.DataFrame(), (
                f"lacks column(s) {', '.join(missing)}"
                if missing
                else "has columns other than the manifest's"
            )
        frame = pd.read_csv(
            io.StringIO(text),
            dtype={name: types[dtype] for name, dtype in columns.items()},
            keep_default_na=False,
            na_values=[""],
        )
        floats = [name for name, dtype in columns.items() if dtype == "float64"]
        frame[floats] = frame[floats].astype("float64")
    except (ValueError, TypeError) as exc:  # pandas' parser and type errors are ValueErrors
        return pd.DataFrame(), f"is not a table of results ({excerpt(exc)})"
    if len(frame) != record.rows:
        return frame, f"holds {len(frame)} rows, not the {record.rows} recorded"
    if frame["run"].tolist() != list(range(record.start, record.stop)):
        return frame, f"does not hold runs {record.start} to {record.stop - 1} in order"
    return frame, None


def load_ensemble(directory: str | Path) -> Ensemble:
    """Read an ensemble written with ``run_ensemble(..., out=directory)``.

    Raises ``EnsembleDirError`` if it is not one, if chunks are missing (an interrupted
    run: rerun the same call to finish it), or if a chunk is not what was written.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest is None:
        raise EnsembleDirError(f"{directory} has no {MANIFEST}: not an ensemble directory")
    missing = [
        i
        for i in range(manifest.chunks)
        if i not in manifest.written or not chunk_path(directory, i).exists()
    ]
    if missing:
        raise EnsembleDirError(
            f"{directory} is unfinished: {len(missing)} of {manifest.chunks} chunks missing; "
            "rerun the same ensemble to complete it"
        )
    try:
        parts = [read_chunk(directory, manifest, i) for i in range(manifest.chunks)]
    except DamagedChunk as damage:
        raise DamagedChunk(f"{damage}: rerun the same ensemble to run it again") from None
    frame = pd.concat(parts, ignore_index=True)
    del parts
    return Ensemble(
        typed_frame(frame, manifest.columns),
        manifest.scenario,
        manifest.seed,
        manifest.observed_outcome,
        tuple(manifest.uncertain),
    )
