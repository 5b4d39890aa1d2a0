"""``negotiation-sim sources``: each number of a scenario file and what vouches for it."""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from negotiation_sim.cli.options import add_json, add_scenario_file
from negotiation_sim.cli.output import print_json
from negotiation_sim.scenario import load_scenario
from negotiation_sim.scenario.provenance import NumberSource, number_sources
from negotiation_sim.scenario.shipped import locate


def add(commands: Any) -> None:
    sources = commands.add_parser(
        "sources",
        help="list every number of a scenario file with the citation or assumption behind it",
        description="List each number of a scenario file, with the comment that vouches for "
        "it: a citation of the fact sheet ([F1]) or an assumption with its reason. Shows what "
        "a result rests on.",
    )
    add_scenario_file(sources)
    sources.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 if any number has neither a citation nor an assumption",
    )
    add_json(sources, "each number with its line, field, value, basis and kind, and the counts")
    sources.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:
    file = locate(args.file)
    load_scenario(file)  # a file that does not load gets the loader's located error
    found = number_sources(file)
    kinds = Counter(source.kind for source in found)
    if args.json:
        numbers = [{**asdict(source), "kind": source.kind} for source in found]
        print_json({"file": str(file), "numbers": numbers, "counts": dict(sorted(kinds.items()))})
    else:
        _print_table(file, found, kinds)
    return 1 if args.check and kinds["unsourced"] else 0


def _print_table(file: Path, found: list[NumberSource], kinds: Counter[str]) -> None:
    width = max((len(source.field) for source in found), default=5)
    print(f"{'line':>5}  {'field':<{width}}  {'value':>8}  basis")
    for source in found:
        basis = source.note or "(nothing vouches for it)"
        print(f"{source.line:>5}  {source.field:<{width}}  {source.value:>8}  {basis}")
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    print(f"{file}: {len(found)} numbers: {summary or 'none'}")
