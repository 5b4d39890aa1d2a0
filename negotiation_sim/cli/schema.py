"""``negotiation-sim schema``: the JSON Schema of scenario files, for editors."""

from __future__ import annotations

import argparse
from typing import Any

from negotiation_sim.cli.output import print_json
from negotiation_sim.scenario.json_schema import SCHEMA_FILE, scenario_json_schema


def add(commands: Any) -> None:
    parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of scenario files",
        description="Print the JSON Schema of scenario files (always JSON). Editors that "
        "use the YAML language server complete and check the keys of a file whose first "
        f"line is `# yaml-language-server: $schema=PATH`, as the shipped scenarios do "
        f"with the copy beside them ({SCHEMA_FILE}). Only the shape is in a schema; "
        "`validate` checks what the names mean.",
    )
    parser.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:
    print_json(scenario_json_schema())
    return 0
