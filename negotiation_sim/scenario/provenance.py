"""Where each number of a scenario file comes from: a cited fact or a stated assumption.

Scenario files vouch for their numbers in comments: a citation of the fact
sheet (``# [F1]``) or ``# assumption: why`` (or ``illustrative``). A number is vouched for by a
comment on its own line, on the line of a key that encloses it (one comment on
``weights:`` covers the weights below it) or, for a field of a list item, on any
line of that item (an event's ``round`` shares its event's citation). This
module lists every number with the comment that vouches for it, so that a
reader can see what a result rests on, and a test can hold a file to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from negotiation_sim.scenario.errors import ScenarioError

CITATION = re.compile(r"\[F\d+")
ASSUMPTION = re.compile(r"assumption|illustrative", re.IGNORECASE)
NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


@dataclass(frozen=True)
class NumberSource:
    """One number of a scenario file and the comment that vouches for it ("" if none)."""

    field: str
    line: int
    value: str
    note: str

    @property
    def kind(self) -> str:
        """``cited`` (a fact of the source), ``assumption`` (a modelling choice), both when
        the note gives both (an assumption that leans on a fact), or ``unsourced``."""
        kinds = [
            name
            for name, pattern in (("cited", CITATION), ("assumption", ASSUMPTION))
            if pattern.search(self.note)
        ]
        return " + ".join(kinds) or "unsourced"


def number_sources(path: str | Path) -> list[NumberSource]:
    """Every number in the file at ``path``, in file order, with what vouches for it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read the file: {exc}", file=str(path)) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"invalid YAML: {exc}", file=str(path)) from None
    comments = [_comment(line) for line in text.splitlines()]
    found: list[NumberSource] = []

    def note(lines: tuple[int, ...]) -> str:
        return next((comments[n] for n in lines if _vouches(comments[n])), "")

    def visit(node: yaml.Node, field: str, lines: tuple[int, ...]) -> None:
        if isinstance(node, yaml.ScalarNode):
            if node.tag in NUMBER_TAGS:
                here = (node.start_mark.line, *lines)
                found.append(NumberSource(field, node.start_mark.line + 1, node.value, note(here)))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                visit(value, _join(field, key.value), (key.start_mark.line, *lines))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                visit_item(item, _join(field, _item_name(item, index)), lines)

    def visit_item(item: yaml.Node, field: str, lines: tuple[int, ...]) -> None:
        if not isinstance(item, yaml.MappingNode):
            visit(item, field, lines)
            return
        own = tuple(key.start_mark.line for key, _ in item.value)
        for key, value in item.value:
            scalar = isinstance(value, yaml.ScalarNode)
            around = (*own, *lines) if scalar else (key.start_mark.line, *lines)
            visit(value, _join(field, key.value), around)

    if root is not None:
        visit(root, "", ())
    return found


def _comment(line: str) -> str:
    """The comment of a YAML line: text after a ``#`` that is outside quotes."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[i + 1 :].strip()
    return _quoted_note(line)


def _quoted_note(line: str) -> str:
    """``cite:`` and ``why:`` values vouch too, though they are data rather than comments."""
    match = re.match(r"\s*(?:-\s*)?(?:cite|why):\s*(.+)", line)
    return match.group(1).strip("\"' ") if match else ""


def _vouches(comment: str) -> bool:
    return bool(CITATION.search(comment) or ASSUMPTION.search(comment))


def _join(field: str, part: str) -> str:
    return f"{field}.{part}" if field else part


def _item_name(item: yaml.Node, index: int) -> str:
    if isinstance(item, yaml.MappingNode):
        for key, value in item.value:
            if key.value == "name" and isinstance(value, yaml.ScalarNode):
                return value.value
    return str(index)
