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
same ensemble. The command line adds ``source.json`` once the
ensemble is complete: the scenario file it ran, for figures that need its issues.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from negotiation_sim.ensemble.result import Ensemble, typed_frame

FORMAT = "negotiation-sim ensemble, CSV chunks, v1"
MANIFEST = "manifest.json"
SOURCE = "source.json"
"""Where the scenario file of a finished ensemble was (written by the command line), so that
figures needing the scenario's issues can be drawn from the directory alone."""
_TEMP_SUFFIX = ".partial"


class EnsembleDirError(Exception):
    """An output directory that holds something else than the ensemble asked for."""


@dataclass(frozen=True)
class Manifest:
    """What an output directory holds; two runs with equal manifests write the same files."""

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

    @property
    def chunks(self) -> int:
        return -(-self.runs // self.chunk_size)


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
    """
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex}{_TEMP_SUFFIX}")
    try:
        with open(temporary, "xb") if binary else open(temporary, "x", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
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
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise EnsembleDirError(f"{path} does not name a scenario file: {exc}") from None


def remove_partial_files(directory: Path) -> None:
    """Delete temporary files a killed writer left behind (never a finished file)."""
    for leftover in directory.glob(f".*{_TEMP_SUFFIX}"):
        leftover.unlink(missing_ok=True)


def open_directory(directory: Path, manifest: Manifest) -> set[int]:
    """Prepare ``directory`` for ``manifest`` and return the chunks already finished there.

    A new directory gets the manifest; one holding a different ensemble is refused.
    """
    directory.mkdir(parents=True, exist_ok=True)
    remove_partial_files(directory)
    existing = read_manifest(directory)
    if existing is None:
        if any(directory.glob("chunk-*.csv")):
            raise EnsembleDirError(f"{directory} holds chunk files but no {MANIFEST}")
        atomic_write(directory / MANIFEST, lambda f: json.dump(asdict(manifest), f, indent=2))
        return set()
    if existing != manifest:
        different = [k for k, v in asdict(manifest).items() if asdict(existing).get(k) != v]
        raise EnsembleDirError(
            f"{directory} holds another ensemble (different {', '.join(different)}); "
            "use a new directory, or delete this one to start again"
        )
    return {i for i in range(manifest.chunks) if chunk_path(directory, i).exists()}


def read_manifest(directory: Path) -> Manifest | None:
    path = Path(directory) / MANIFEST
    if not path.exists():
        return None
    try:
        fields = json.loads(path.read_text())
        manifest = Manifest(**fields)
    except (json.JSONDecodeError, TypeError) as exc:
        raise EnsembleDirError(f"{path} is not an ensemble manifest: {exc}") from None
    if manifest.format != FORMAT:
        raise EnsembleDirError(f"{path} has format {manifest.format!r}, expected {FORMAT!r}")
    return manifest


def write_chunk(directory: Path, index: int, frame: pd.DataFrame) -> None:
    atomic_write(chunk_path(directory, index), lambda f: frame.to_csv(f, index=False))


def _read_chunk(path: Path, manifest: Manifest) -> pd.DataFrame:
    """One chunk with its recorded column types. Floats are read as text and converted by
    Python's ``float``, which is exact for the shortest repr ``to_csv`` writes (pandas' own
    fast parser is not, before pandas 3)."""
    types = {"str": object, "bool": bool, "int64": "int64", "float64": object}
    frame = pd.read_csv(
        path,
        dtype={name: types[dtype] for name, dtype in manifest.columns.items()},
        keep_default_na=False,
        na_values=[""],
    )
    floats = [name for name, dtype in manifest.columns.items() if dtype == "float64"]
    frame[floats] = frame[floats].astype("float64")
    return frame


def load_ensemble(directory: str | Path) -> Ensemble:
    """Read an ensemble written with ``run_ensemble(..., out=directory)``.

    Raises ``EnsembleDirError`` if it is not one, or if chunks are missing
    (an interrupted run: rerun the same call to finish it).
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest is None:
        raise EnsembleDirError(f"{directory} has no {MANIFEST}: not an ensemble directory")
    missing = [i for i in range(manifest.chunks) if not chunk_path(directory, i).exists()]
    if missing:
        raise EnsembleDirError(
            f"{directory} is unfinished: {len(missing)} of {manifest.chunks} chunks missing; "
            "rerun the same ensemble to complete it"
        )
    parts = [_read_chunk(chunk_path(directory, i), manifest) for i in range(manifest.chunks)]
    frame = pd.concat(parts, ignore_index=True)
    del parts
    return Ensemble(
        typed_frame(frame, manifest.columns),
        manifest.scenario,
        manifest.seed,
        manifest.observed_outcome,
        tuple(manifest.uncertain),
    )
