"""The JSON Schema of a scenario file, for editors that complete and check keys as one types.

It is pydantic's schema of ``schema.ScenarioDoc``, with one addition: a file that
``extends:`` a base (a variant) may give any top-level key of a scenario, none of them
required, plus ``set:``. Shipped scenarios name the schema in their first line
(``# yaml-language-server: $schema=scenario.schema.json``), which the YAML language
server (VS Code's YAML extension, and other editors using it) reads. Only the shape is
in a schema; what names mean (an ideal naming an option of its issue) is for
``negotiation-sim validate``.
"""

from __future__ import annotations

from typing import Any

from negotiation_sim.scenario.schema import ScenarioDoc

SCHEMA_FILE = "scenario.schema.json"
"""Its name beside the shipped scenarios (``scenarios/scenario.schema.json``)."""
MODELINE = "# yaml-language-server: $schema="


def scenario_json_schema() -> dict[str, Any]:
    """The schema as a JSON value (draft 2020-12, as pydantic writes it)."""
    whole = ScenarioDoc.model_json_schema()
    definitions = whole.pop("$defs")
    definitions["ScenarioDoc"] = whole
    variant = {
        "type": "object",
        "description": "A variant: its base file's scenario, with these keys replaced and "
        "then each `set:` entry (dotted.path: value) applied.",
        "properties": {
            "extends": {"type": "string", "minLength": 1, "description": "the base file"},
            "set": {"type": "object", "description": "dotted.path: value changes"},
            **whole["properties"],
        },
        "required": ["extends"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "negotiation-sim scenario file",
        "if": {"type": "object", "required": ["extends"]},
        "then": variant,
        "else": {"$ref": "#/$defs/ScenarioDoc"},
        "$defs": definitions,
    }
