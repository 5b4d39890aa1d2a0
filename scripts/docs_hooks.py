"""MkDocs hooks: pages generated from the code, so that the docs cannot drift from it.

``scenario-format.md`` gets the reference of every key of a scenario file, read from the
JSON Schema (``negotiation_sim.scenario.json_schema``); ``cli.md`` gets the ``--help`` of
every sub-command. Each page marks the place with an HTML comment.
"""

from __future__ import annotations

import os
from typing import Any

SCHEMA_MARK = "<!-- generated: scenario-schema -->"
CLI_MARK = "<!-- generated: cli-help -->"
SECTIONS = {
    "ScenarioDoc": "The file (top level)",
    "ProtocolDoc": "protocol",
    "LeakDoc": "protocol.leak",
    "BeliefsDoc": "beliefs",
    "ObservedOutcomeDoc": "observed_outcome",
    "IssueDoc": "issues (each item)",
    "OptionDoc": "issues.options (an item given a position)",
    "ActorDoc": "actors (each item)",
    "StrategyDoc": "actors.strategy (as a mapping)",
    "RedLineDoc": "actors.red_lines (each item)",
    "EventDoc": "events (each item)",
}


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if SCHEMA_MARK in markdown:
        markdown = markdown.replace(SCHEMA_MARK, schema_reference())
    if CLI_MARK in markdown:
        markdown = markdown.replace(CLI_MARK, cli_reference())
    return markdown


def schema_reference() -> str:
    from negotiation_sim.scenario.json_schema import scenario_json_schema

    definitions = scenario_json_schema()["$defs"]
    parts = []
    for name, title in SECTIONS.items():
        model = definitions[name]
        required = set(model.get("required", []))
        rows = ["| key | holds | required or default |", "| --- | --- | --- |"]
        for key, field in model["properties"].items():
            need = "required" if key in required else f"default `{_default(field)}`"
            rows.append(f"| `{key}` | {_kind(field)} | {need} |")
        extra = model.get("additionalProperties")
        if extra is True:
            rows.append("| *any other key* | passed to the strategy's constructor | |")
        doc = " ".join(model.get("description", "").split()).replace("``", "`")
        parts.append(f"### {title} {{#{name.lower()}}}\n\n{doc}\n\n" + "\n".join(rows))
    return "\n\n".join(parts)


def _default(field: dict[str, Any]) -> str:
    """The default as YAML would write it."""
    value = field.get("default")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    return '""' if value == "" else str(value)


def _kind(field: dict[str, Any]) -> str:
    """A field's JSON Schema in words, with links to the sections of referenced models."""
    if "$ref" in field:
        name = field["$ref"].rsplit("/", 1)[-1]
        return f"[{SECTIONS[name]}](#{name.lower()})"
    for union in ("anyOf", "oneOf"):
        if union in field:
            kinds = [_kind(f) for f in field[union] if f.get("type") != "null"]
            nullable = any(f.get("type") == "null" for f in field[union])
            return " or ".join(kinds) + (" or null" if nullable else "")
    kind = field.get("type")
    if "enum" in field:
        return "one of " + ", ".join(f"`{v}`" for v in field["enum"])
    if "const" in field:
        return f"`{field['const']}`"
    if kind == "array":
        least = f" (at least {field['minItems']})" if "minItems" in field else ""
        return f"list of {_kind(field['items'])}{least}"
    if kind == "object":
        values = field.get("additionalProperties")
        if isinstance(values, dict):
            return f"mapping of name to {_kind(values)}"
        return "mapping"
    words = {
        "string": "text",
        "number": "number",
        "integer": "whole number",
        "boolean": "true/false",
    }
    text = words.get(kind, str(kind))
    low, high = field.get("minimum"), field.get("maximum")
    if low is not None and high is not None:
        text += f" from {low} to {high}"
    elif low is not None:
        text += f", at least {low}"
    return text


def cli_reference() -> str:
    from negotiation_sim.cli.command import build_parser

    os.environ["COLUMNS"] = "88"  # argparse wraps help to the terminal's width
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    parts = [f"```text\n{parser.format_help()}```"]
    for name, sub in commands.choices.items():
        parts.append(f"## `negotiation-sim {name}`\n\n```text\n{sub.format_help()}```")
    return "\n\n".join(parts)
