"""Read EUM actor tables from CSV or YAML, with errors that name the file, line and field."""

from __future__ import annotations

import csv
import math
from os import PathLike
from pathlib import Path
from typing import Literal

import yaml

from negotiation_sim.eum.actors import EUMActor, EUMInputError, validate_actors

COLUMNS = ("actor", "capability", "position", "salience")
FileFormat = Literal["csv", "yaml"]

# One actor as read: the line it starts on, and for each field its raw text and line.
RawRow = tuple[int, dict[str, tuple[str | None, int]]]


def load_actors(
    path: str | PathLike[str],
    *,
    salience_scale: float = 1.0,
    file_format: FileFormat | None = None,
) -> list[EUMActor]:
    """Actors from a CSV (columns actor,capability,position,salience) or YAML file.

    Salience must be in [0, 1]. A table on another scale (typically 0..100) is rejected unless
    `salience_scale` says so explicitly (e.g. 100); every salience is then divided by it.
    The format comes from the suffix (.csv, .yaml, .yml) unless `file_format` is given.
    """
    path = Path(path)
    if not salience_scale > 0:
        raise ValueError(f"salience_scale must be > 0, got {salience_scale}")
    file_format = file_format or _format_from_suffix(path)
    rows = _read_csv(path) if file_format == "csv" else _read_yaml(path)
    actors = [_to_actor(path, line, fields, salience_scale) for line, fields in rows]
    validate_actors(actors, source=str(path), lines=[line for line, _ in rows], kind="line")
    return actors


def _format_from_suffix(path: Path) -> FileFormat:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    raise ValueError(f"{path}: cannot tell the format from suffix {suffix!r}; pass file_format")


def _read_csv(path: Path) -> list[RawRow]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader, [])]
        for column in COLUMNS:
            if column not in header:
                raise EUMInputError(
                    str(path), "line 1", column, f"missing column {column!r} (need {COLUMNS})"
                )
        where = {column: header.index(column) for column in COLUMNS}
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            line = reader.line_num
            fields = {
                column: (cells[k] if k < len(cells) else None, line) for column, k in where.items()
            }
            rows.append((line, fields))
    return rows


def _read_yaml(path: Path) -> list[RawRow]:
    """Walk YAML nodes rather than loaded values so each field keeps its line number."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        raise EUMInputError(
            str(path), f"line {line}", "actor", f"invalid YAML: {error.problem}"
        ) from error
    if isinstance(root, yaml.MappingNode):
        root = next((v for k, v in root.value if k.value == "actors"), None)
    if not isinstance(root, yaml.SequenceNode):
        raise EUMInputError(
            str(path), "line 1", "actor", "expected a list of actors (or one under 'actors:')"
        )
    rows = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise EUMInputError(str(path), f"line {line}", "actor", "each actor must be a mapping")
        fields: dict[str, tuple[str | None, int]] = {}
        for key, value in item.value:
            if not isinstance(value, yaml.ScalarNode):
                raise EUMInputError(
                    str(path), f"line {value.start_mark.line + 1}", key.value, "expected a value"
                )
            fields[str(key.value).strip().lower()] = (value.value, value.start_mark.line + 1)
        rows.append((line, {column: fields.get(column, (None, line)) for column in COLUMNS}))
    return rows


def _to_actor(
    path: Path, line: int, fields: dict[str, tuple[str | None, int]], salience_scale: float
) -> EUMActor:
    name, _ = fields["actor"]
    if name is None or not name.strip():
        raise EUMInputError(str(path), f"line {line}", "actor", "actor name is missing")
    numbers = {}
    for column in ("capability", "position", "salience"):
        raw, where = fields[column]
        if raw is None or not raw.strip():
            raise EUMInputError(str(path), f"line {where}", column, f"missing {column}")
        try:
            numbers[column] = float(raw)
        except ValueError:
            numbers[column] = math.nan
        if not math.isfinite(numbers[column]):
            raise EUMInputError(
                str(path), f"line {where}", column, f"expected a finite number, got {raw!r}"
            )
    salience = numbers["salience"] / salience_scale
    if not 0.0 <= salience <= 1.0:
        raw, where = fields["salience"]
        hint = (
            "; if this table uses a 0-100 scale, pass salience_scale=100 to convert it"
            if salience_scale == 1.0
            else f" after dividing by salience_scale={salience_scale:g}"
        )
        problem = f"salience {str(raw).strip()} is outside [0, 1]{hint}"
        raise EUMInputError(str(path), f"line {where}", "salience", problem)
    return EUMActor(name.strip(), numbers["capability"], numbers["position"], salience)
