"""``negotiation-sim validate``: load a scenario file and summarise it, or say what is wrong."""

from __future__ import annotations

import argparse
from typing import Any

from negotiation_sim.cli.options import add_scenario_file
from negotiation_sim.scenario import load_scenario


def add(commands: Any) -> None:
    validate = commands.add_parser(
        "validate",
        help="check a scenario file and report the first problem",
        description="Load and validate a scenario file. Prints a summary if it is valid; "
        "otherwise one line FILE:LINE: FIELD: problem, and exits with status 2.",
    )
    add_scenario_file(validate)
    validate.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:

    scenario = load_scenario(args.file)
    print(
        f"{args.file}: valid. {scenario.name}: {len(scenario.space.issues)} issues, "
        f"{len(scenario.space)} packages, actors {', '.join(scenario.actor_names)}, "
        f"deadline {scenario.protocol.deadline} rounds"
    )
    return 0
