"""What an ensemble tells its caller without stopping: warnings of one category.

A damaged chunk run again on resume, or workers capped at the cores, change nothing in
the results, but the user should hear of them. They are ``EnsembleNote`` warnings, so a
library caller can filter or log them as any warning; the command line prints each as
one line.
"""

from __future__ import annotations

import warnings


class EnsembleNote(UserWarning):
    """Something worth knowing that did not stop the ensemble."""


def note(message: str) -> None:
    """Tell the caller ``message`` (an ``EnsembleNote``), pointing at the caller's caller."""
    warnings.warn(message, EnsembleNote, stacklevel=3)
