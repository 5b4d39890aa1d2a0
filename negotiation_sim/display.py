"""How results show in a notebook: small HTML tables for ``_repr_html_``.

Jupyter renders an object by its ``_repr_html_`` where it has one, and by ``repr``
otherwise; the classes a user holds (``Scenario``, ``RunResult``, ``Ensemble``,
``Comparison``) give a short ``repr`` and a table built here. Every cell is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any


def html_table(
    caption: str, header: Sequence[str], rows: Iterable[Sequence[Any]], note: str = ""
) -> str:
    """A captioned table with a header row, and an optional note under it."""
    head = "".join(f"<th>{escape(str(cell))}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    after = f"<p>{escape(note)}</p>" if note else ""
    return (
        f"<table><caption><b>{escape(caption)}</b></caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{after}"
    )


def percent(share: float) -> str:
    return f"{share:.1%}"
