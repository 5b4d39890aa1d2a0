"""The progress of a long ensemble: a bar in a terminal or a notebook, or a callback.

``tqdm.auto`` draws a widget under Jupyter and a text bar elsewhere. By default the bar
is shown only where someone watches: stderr is a terminal, or the code runs in a
notebook kernel. A pipe or a log file gets none unless asked for (``progress=True``),
and ``progress=False`` never shows one. A callable ``progress(done, total)`` is called
instead after each chunk, so that a page (the dashboard) can draw its own indicator.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

Progress = bool | Callable[[int, int], None] | None
"""How an ensemble reports its progress: see ``progress_bar``."""


class _Reported:
    """A stand-in for a bar that tells ``report(done, total)`` each time runs finish."""

    def __init__(self, report: Callable[[int, int], None], total: int, initial: int) -> None:
        self.report, self.total, self.done = report, total, initial
        report(initial, total)

    def update(self, runs: int) -> None:
        self.done += runs
        self.report(self.done, self.total)

    def close(self) -> None:
        """Nothing to close: the callback's owner draws what it reported."""


def watched() -> bool:
    """Whether someone sees stderr as it is written: a terminal, or a notebook kernel."""
    return sys.stderr.isatty() or "ipykernel.zmqshell" in sys.modules


def progress_bar(total: int, initial: int, progress: Progress) -> Any:
    """A bar over ``total`` runs, ``initial`` of them done; shown as ``progress`` says
    (None: when ``watched()``), or reported to ``progress`` if it is a callable."""
    if callable(progress):
        return _Reported(progress, total, initial)
    from tqdm.auto import tqdm  # chosen at first use, once a notebook kernel is running

    shown = watched() if progress is None else progress
    return tqdm(total=total, initial=initial, unit="run", desc="ensemble", disable=not shown)
