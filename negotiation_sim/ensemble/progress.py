"""The progress bar of a long ensemble, in a terminal or a notebook alike.

``tqdm.auto`` draws a widget under Jupyter and a text bar elsewhere. By default the bar
is shown only where someone watches: stderr is a terminal, or the code runs in a
notebook kernel. A pipe or a log file gets none unless asked for (``progress=True``),
and ``progress=False`` never shows one.
"""

from __future__ import annotations

import sys
from typing import Any


def watched() -> bool:
    """Whether someone sees stderr as it is written: a terminal, or a notebook kernel."""
    return sys.stderr.isatty() or "ipykernel.zmqshell" in sys.modules


def progress_bar(total: int, initial: int, progress: bool | None) -> Any:
    """A bar over ``total`` runs, ``initial`` of them done; shown as ``progress`` says
    (None: when ``watched()``)."""
    from tqdm.auto import tqdm  # chosen at first use, once a notebook kernel is running

    shown = watched() if progress is None else progress
    return tqdm(total=total, initial=initial, unit="run", desc="ensemble", disable=not shown)
