"""How the ``negotiation-sim`` command ends: the name it signs its messages with, its exit
statuses, and the one line that Ctrl-C or SIGTERM prints.

The standard library only, on purpose: ``negotiation_sim.cli`` imports this before the
command itself, so that it can report an interruption while numpy, pandas and Mesa are still
being imported.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from typing import Any

PROG = "negotiation-sim"
EXIT_FAILED = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM
NOTHING_KEPT = "nothing was written"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so that it stops everything the same way."""


@contextlib.contextmanager
def terminate_like_ctrl_c() -> Iterator[None]:
    """Within this block SIGTERM raises ``Terminated``; the previous handler is restored
    after it. In a thread other than the main one, signals are not ours to handle: then
    SIGTERM is left as it is."""

    def terminate(signum: int, frame: Any) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def interrupted(stop: KeyboardInterrupt, kept: str | None = None) -> int:
    """Say in one line on stderr that the command was interrupted, and what of its work is
    kept (``kept``; by default nothing); return the exit status, 143 after SIGTERM (see
    ``terminate_like_ctrl_c``) and 130 after Ctrl-C."""
    print(f"{PROG}: interrupted; {kept or NOTHING_KEPT}", file=sys.stderr)
    return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED
