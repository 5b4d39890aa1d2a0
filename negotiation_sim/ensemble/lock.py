"""One writer per results directory: an OS file lock, held while a directory is written.

Two processes writing one directory would mix two ensembles under one manifest, or delete
each other's temporary files. So a writer first takes an exclusive ``flock`` on ``.lock``
in the directory, holding its process id, and a second writer is refused at once (rather
than left waiting an unknown time) with one line naming the directory and that process.

The kernel drops a ``flock`` when its process ends, however it ends, so a lock file left
by a killed writer is stale by construction: the next writer simply takes it. The file is
removed on release while still locked, and a writer checks that the file it locked is
still the one in the directory, so a writer that opened the old file as it was removed
tries again instead of holding a lock nobody else sees. Locks are advisory and local:
they do not cover a directory shared over NFS with other machines.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from negotiation_sim.ensemble.storage import EnsembleDirError

try:
    import fcntl
except ImportError:  # not POSIX (Windows): directories are not locked there
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".lock"


class DirectoryLocked(EnsembleDirError):
    """Another process is writing this results directory."""


@contextmanager
def locked(directory: str | Path) -> Iterator[Path]:
    """Hold ``directory`` (created if missing) for this process's writes; yields it.

    Raises ``DirectoryLocked`` if another process holds it.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield directory
        return
    path = directory / LOCK_FILE
    descriptor = _acquire(directory, path)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield directory
    finally:
        path.unlink(missing_ok=True)  # before unlocking, so nobody locks a removed file
        os.close(descriptor)


def _acquire(directory: Path, path: Path) -> int:
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            os.close(descriptor)
            raise DirectoryLocked(
                f"{directory} is being written by {holder}: wait for it to finish, "
                "or write to another directory"
            ) from None
        if _is_current(descriptor, path):
            return descriptor
        os.close(descriptor)  # its holder removed it as we opened it: lock the new one


def _holder(descriptor: int) -> str:
    """Who holds the lock, as its file says (it may not have written its id yet)."""
    text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    return f"process {text}" if text.isdigit() else "another process"


def _is_current(descriptor: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(descriptor)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)
