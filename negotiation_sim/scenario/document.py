"""A scenario file as parsed YAML that remembers where every value was written.

Reading keeps the line of every key and list item (with a safe loader that
refuses duplicate keys and tags that would build Python objects); variants
(``extends: base.yaml`` plus ``set: {dotted.path: value}``) and changes made in
code produce new documents whose values still know their file and line, so
that ``loader`` can report any problem as ``FILE:LINE: FIELD: message``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from negotiation_sim.limits import FILE_BYTES
from negotiation_sim.scenario.errors import ScenarioError, excerpt, quoted

Location = tuple[Any, ...]
"""A location in a document: mapping keys and list indices from the top."""


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where a value was written: a file and a 1-based line (None for values set in code)."""

    file: str
    line: int | None


# --- 1. the document, with the origin of every value --------------------------------------


class Document(dict[str, Any]):
    """A parsed scenario file: its plain data (as a dict, so it serialises like one), plus
    the origin of each key and list item. Changes make a new document (``with_changes``);
    treat one as read-only, since the loader reuses what it built from sections it has seen.
    """

    def __init__(self, data: Mapping[str, Any], origins: dict[Location, Origin], file: str) -> None:
        super().__init__(data)
        self.origins = origins
        self.file = file

    def origin(self, path: Location) -> Origin:
        """Origin of ``path``, or of its nearest enclosing value (a missing key is reported
        on the line of the mapping that lacks it)."""
        for end in range(len(path), -1, -1):
            found = self.origins.get(path[:end])
            if found is not None:
                return found
        return Origin(self.file, None)

    def field(self, path: Location) -> str:
        """Dotted name of ``path``, naming list items by their ``name`` where they have one."""
        parts: list[str] = []
        node: Any = self
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                name = node[part].get("name") if isinstance(node[part], dict) else None
                parts.append(name if isinstance(name, str) and name else str(part))
                node = node[part]
            else:
                parts.append(str(part))
                node = node.get(part) if isinstance(node, dict) else None
        return ".".join(parts)

    def error(self, path: Location, message: str) -> ScenarioError:
        where = self.origin(path)
        return ScenarioError(message, file=where.file, line=where.line, field=self.field(path))


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_MERGE_TAG = "tag:yaml.org,2002:merge"


MAX_DEPTH = 32
"""Deepest nesting of mappings and lists read (the Ukraine file nests 8 deep)."""


class _LineLoader(yaml.SafeLoader):
    """PyYAML's safe loader, building mappings and lists itself to keep each value's line.

    Scalars go through the safe constructors, which refuse unknown tags such as
    ``!!python/object/apply``; mappings and lists tagged as anything but plain
    data are refused here. Duplicate keys (which PyYAML would silently resolve
    to the last one) are refused too. Problems are collected while building and
    the first is reported once the data is complete, so its field can be named.

    Aliases (``*name``) are refused as they are read: a scenario needs none, and
    expanded they let a few kilobytes become gigabytes (nested aliases) or an endless
    value (an alias inside its own anchor). Nesting deeper than ``MAX_DEPTH`` is
    refused too, before it can exhaust Python's stack.
    """

    def __init__(self, text: str, file: str) -> None:
        super().__init__(text)
        self.file = file
        self.origins: dict[Location, Origin] = {}
        self.problems: list[tuple[Location, Origin, str]] = []
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise ScenarioError(
                f"aliases (*{excerpt(event.anchor, 30)}) are not allowed: write the value out",
                file=self.file,
                line=line,
            )
        if self.depth >= MAX_DEPTH:
            raise ScenarioError(
                f"values nested more than {MAX_DEPTH} deep: a scenario needs far fewer levels",
                file=self.file,
                line=line,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def document(self) -> Document:
        try:
            node = self.get_single_node()
        finally:
            self.dispose()
        if node is None:
            raise ScenarioError("the file is empty", file=self.file, line=1)
        self.origins[()] = self._origin(node)
        data = self._build(node, ())
        doc = Document(data if isinstance(data, dict) else {}, self.origins, self.file)
        if self.problems:
            path, where, message = self.problems[0]
            raise ScenarioError(message, file=where.file, line=where.line, field=doc.field(path))
        if not isinstance(data, dict):
            raise ScenarioError(
                f"a scenario file is a mapping of fields (name:, protocol:, issues:, actors:),"
                f" not {describe(data)}",
                file=self.file,
                line=self.origins[()].line,
            )
        return doc

    def _origin(self, node: yaml.Node) -> Origin:
        return Origin(self.file, node.start_mark.line + 1)

    def _build(self, node: yaml.Node, path: Location) -> Any:
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.construct_object(node)
            except yaml.constructor.ConstructorError:
                self.problems.append((path, self._origin(node), _refused_tag(node)))
                return None
        if node.tag not in _PLAIN_TAGS:
            self.problems.append((path, self._origin(node), _refused_tag(node)))
            return None
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.origins[(*path, index)] = self._origin(item)
                items.append(self._build(item, (*path, index)))
            return items
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            here = self._origin(key_node)
            if key_node.tag == _MERGE_TAG:
                self.problems.append(
                    (path, here, "merge keys (<<) are not supported: write it out")
                )
                continue
            key = self._build(key_node, path)
            if not isinstance(key, str | int | float | bool | None):
                self.problems.append((path, here, "a key must be a plain name, not a collection"))
                continue
            where = (*path, key)
            if key in mapping:
                first = self.origins[where].line
                message = (
                    f"duplicate key {quoted(key)} (first on line {first}); YAML keeps the last"
                )
                self.problems.append((where, here, message))
                continue
            self.origins[where] = here
            mapping[key] = self._build(value_node, where)
        return mapping


def _refused_tag(node: yaml.Node) -> str:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return f"the YAML tag {tag} is not allowed: scenario files hold plain data only"


SHIPPED = Path(__file__).resolve().parents[2] / "scenarios"
"""The scenarios that come with the package, which any file may extend."""


def read_document(path: str | Path) -> Document:
    """Read a scenario file (and any base it ``extends``) into a located document."""
    path = Path(path)
    return _read(path, (), path.resolve().parent)


def _read(path: Path, chain: tuple[Path, ...], tree: Path) -> Document:
    file = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(FILE_BYTES.value + 1)
    except FileNotFoundError:
        raise ScenarioError("no such file", file=file) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror}", file=file) from None
    if len(raw) > FILE_BYTES.value:
        size = max(len(raw), path.stat().st_size)
        raise ScenarioError(f"too large for a scenario: {FILE_BYTES.problem(size)}", file=file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError("the file is not UTF-8 text", file=file, line=line) from None
    try:
        doc = _LineLoader(text, file).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        at = mark.line + 1 if mark else None
        raise ScenarioError(f"invalid YAML: {problem}", file=file, line=at) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise ScenarioError(f"invalid YAML: {exc.reason}", file=file, line=line) from None
    return _derived(doc, path, chain, tree)


# --- 2. variants and changes by dotted path -----------------------------------------------


def _derived(variant: Document, path: Path, chain: tuple[Path, ...], tree: Path) -> Document:
    """The document itself, or, if it ``extends`` a base, the base with its overrides and sets.

    A base is a YAML file in the folder tree of the file first read (``tree``) or among the
    shipped scenarios: a scenario file from elsewhere cannot make the loader read, and
    quote, other files of the machine.
    """
    if "extends" not in variant and "set" not in variant:
        return variant
    base_name = variant.get("extends")
    if not isinstance(base_name, str) or not base_name:
        raise variant.error(("extends",), "a variant names its base file: extends: base.yaml")
    base_path = path.parent / base_name
    shown = excerpt(base_name, 80)
    resolved = base_path.resolve()
    if resolved.suffix not in (".yaml", ".yml"):
        raise variant.error(("extends",), f"{shown} is not a scenario file (.yaml or .yml)")
    if not any(resolved.is_relative_to(root) for root in (tree, SHIPPED)):
        raise variant.error(
            ("extends",),
            f"{shown} is outside {tree}, the folder of the file read, and outside the "
            "shipped scenarios: a base must be in one of them",
        )
    if resolved in (*chain, path.resolve()):
        raise variant.error(("extends",), f"{shown} extends this file again (a cycle)")
    if not base_path.is_file():
        raise variant.error(("extends",), f"no such file {shown} (relative to this file)")
    base = _read(base_path, (*chain, path.resolve()), tree)
    data, origins = _copied(dict(base)), dict(base.origins)
    for key, value in variant.items():
        if key not in ("extends", "set"):
            data[key] = _copied(value)
            _replace_origins(origins, (key,), variant, (key,))
    merged = Document(data, origins, variant.file)
    changes = variant.get("set", {})
    if not isinstance(changes, dict):
        raise variant.error(
            ("set",), f"set: holds dotted.path: value lines, not {describe(changes)}"
        )
    return changed(merged, changes, variant)


def _copied(node: Any) -> Any:
    """A copy of a parsed YAML tree (mappings, lists, scalars): what ``copy.deepcopy`` does
    for it, several times faster, which matters when an ensemble changes a document per run."""
    if isinstance(node, dict):
        return {key: _copied(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_copied(value) for value in node]
    return node


def changed(doc: Document, changes: Mapping[Any, Any], source: Document | None) -> Document:
    """A new document with each ``dotted.path: value`` of ``changes`` set.

    ``source`` is the variant file whose ``set:`` block holds the changes, so
    that errors in them point there; None for changes made in code.
    """
    data, origins = dict(doc), dict(doc.origins)
    for dotted, value in changes.items():

        def fail(message: str, dotted: Any = dotted) -> ScenarioError:
            if source is not None:
                return source.error(("set", dotted), message)
            return ScenarioError(message, file="with_changes", field=str(dotted))

        if not isinstance(dotted, str) or not dotted:
            raise fail("a path is dotted text such as actors.Russia.reservation")
        target = resolve(data, dotted, fail, fresh=True)
        here = (
            source.origin(("set", dotted)) if source is not None else Origin("with_changes", None)
        )
        for end in range(1, len(target)):  # a key the path created is the change's, too
            origins.setdefault(target[:end], here)
        parent = data
        for part in target[:-1]:
            parent = parent[part]
        parent[target[-1]] = _copied(value)
        if source is not None:
            _replace_origins(origins, target, source, ("set", dotted))
        else:
            _replace_origins(origins, target, None, ())
            origins[target] = Origin("with_changes", None)
    return Document(data, origins, doc.file)


def _replace_origins(
    origins: dict[Location, Origin],
    target: Location,
    source: Document | None,
    source_path: Location,
) -> None:
    """Forget the origins under ``target`` and take those under ``source_path`` in ``source``."""
    for path in [p for p in origins if p[: len(target)] == target]:
        del origins[path]
    if source is not None:
        for path, origin in source.origins.items():
            if path[: len(source_path)] == source_path:
                origins[target + path[len(source_path) :]] = origin


def resolve(
    data: dict[str, Any],
    dotted: str,
    fail: Callable[[str], ScenarioError],
    *,
    fresh: bool = False,
) -> Location:
    """The document path a dotted path names, creating missing mapping keys on the way.

    List items are found by ``name`` (which may itself contain dots) or by index.
    With ``fresh``, every container on the way is replaced by a shallow copy
    first, so that setting the value changes no other document: the sections
    off the path stay shared (and the loader reuses what it built from them).
    """
    parts = dotted.split(".")
    path: list[Any] = []
    node: Any = data
    start = 0
    while start < len(parts):
        step = next(
            (
                (key, end)
                for end in range(len(parts), start, -1)
                if (key := _child(node, ".".join(parts[start:end]))) is not None
            ),
            None,
        )
        if step is None:
            here = ".".join(parts[:start])
            if isinstance(node, list):
                known = excerpt(", ".join(_item_names(node)), 200)
                raise fail(f"no item {quoted(parts[start])} in {here} (known: {known})")
            if not isinstance(node, dict):
                raise fail(f"{here} holds a single value, so it has no {quoted(parts[start])}")
            node[parts[start]] = {} if start + 1 < len(parts) else None
            step = (parts[start], start + 1)
        key, start = step
        path.append(key)
        if fresh and isinstance(node[key], dict | list):
            node[key] = type(node[key])(node[key])
        node = node[key]
    return tuple(path)


def _child(node: Any, label: str) -> Any:
    """Key or index of the child of ``node`` that ``label`` names, else None."""
    if isinstance(node, dict):
        return label if label in node else None
    if isinstance(node, list):
        names = _item_names(node)
        if label in names:
            return names.index(label)
        if label.isdigit() and int(label) < len(node):
            return int(label)
    return None


def _item_names(items: list[Any]) -> list[str]:
    return [
        str(item.get("name")) if isinstance(item, dict) else str(i) for i, item in enumerate(items)
    ]


def as_document(doc: Mapping[str, Any], path: str | Path | None) -> Document:
    if isinstance(doc, Document):
        return doc
    file = str(path) if path is not None else "<document>"
    if not isinstance(doc, Mapping):
        raise ScenarioError(f"a scenario is a mapping of fields, not {describe(doc)}", file=file)
    plain = Document(_copied(dict(doc)), {}, file)
    where = Path(path) if path is not None else Path("<document>")
    return _derived(plain, where, (), where.resolve().parent)


def describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {excerpt(repr(value))}{number_hint(value)}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def number_hint(text: str) -> str:
    """A hint for text that is a number to a reader but not to YAML 1.1, whose floats need a
    dot and a signed exponent (``1e-3`` and ``1.0e3`` are text); empty for other text."""
    written = text.strip()
    mantissa, e, exponent = written.lower().partition("e")
    try:
        float(written)
    except ValueError:
        return ""
    if not e:
        return ""
    mantissa = mantissa if "." in mantissa else f"{mantissa}.0"
    exponent = exponent if exponent[:1] in ("+", "-") else f"+{exponent}"
    return f" (YAML reads {written} as text: write {mantissa}e{exponent})"
