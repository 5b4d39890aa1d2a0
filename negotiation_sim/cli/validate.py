"""``negotiation-sim validate``: check a scenario file and summarise it, or list every problem."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from negotiation_sim.cli.exits import EXIT_USER_ERROR, PROG
from negotiation_sim.cli.options import add_json, add_scenario_file
from negotiation_sim.scenario import ScenarioError, load_scenario, scenario_problems


def add(commands: Any) -> None:
    validate = commands.add_parser(
        "validate",
        help="check a scenario file and report every problem",
        description="Load and validate a scenario file. Prints a summary if it is valid; "
        "otherwise the number of problems and one line FILE:LINE: FIELD: problem for each "
        "(every independent section is checked: the schema, the issues, each actor, the "
        "protocol), and exits with status 2.",
    )
    add_scenario_file(validate)
    add_json(validate, "the summary, or every problem with its file, line and field")
    validate.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:
    problems = scenario_problems(args.file)
    if problems:
        _report(args, problems)
        return EXIT_USER_ERROR
    scenario = load_scenario(args.file)
    if args.json:
        summary = {
            "file": str(args.file),
            "valid": True,
            "scenario": scenario.name,
            "issues": len(scenario.space.issues),
            "packages": len(scenario.space),
            "actors": list(scenario.actor_names),
            "deadline": scenario.protocol.deadline,
        }
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"{args.file}: valid. {scenario.name}: {len(scenario.space.issues)} issues, "
        f"{len(scenario.space)} packages, actors {', '.join(scenario.actor_names)}, "
        f"deadline {scenario.protocol.deadline} rounds"
    )
    return 0


def _report(args: argparse.Namespace, problems: list[ScenarioError]) -> None:
    if args.json:
        located = [
            {"file": p.file, "line": p.line, "field": p.field, "message": p.message}
            for p in problems
        ]
        print(json.dumps({"file": str(args.file), "valid": False, "problems": located}, indent=2))
        return
    if len(problems) == 1:
        print(f"{PROG}: error: {problems[0]}", file=sys.stderr)
        return
    print(f"{PROG}: error: {args.file}: {len(problems)} problems", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
