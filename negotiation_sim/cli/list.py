"""``negotiation-sim list``: the scenarios shipped with the package, a line about each."""

from __future__ import annotations

import argparse
import json
from typing import Any

from negotiation_sim.cli.options import add_json
from negotiation_sim.scenario import shipped_scenarios


def add(commands: Any) -> None:
    parser = commands.add_parser(
        "list",
        help="list the scenarios shipped with the package",
        description="List the scenarios that come with the package, by the name that `run`, "
        "`compare`, `sweep`, `validate` and `sources` accept in place of a file, each with the "
        "first sentence of its description.",
    )
    add_json(parser, "each scenario's name, title, summary, file and fact sheet")
    parser.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:
    shipped = shipped_scenarios()
    if args.json:
        rows = [
            {
                "name": s.name,
                "title": s.title,
                "summary": s.summary,
                "path": str(s.path),
                "fact_sheet": None if s.fact_sheet is None else str(s.fact_sheet),
            }
            for s in shipped
        ]
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(s.name) for s in shipped)
    for s in shipped:
        print(f"{s.name:<{width}}  {s.summary or s.title}")
    return 0
