"""The ``negotiation-sim`` command: run a scenario, or validate a scenario file.

User errors (a bad scenario file, a bad option) print one line naming what is
wrong and where, and exit with status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from negotiation_sim.errors import ScenarioError

EXIT_USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="negotiation-sim",
        description="Simulate multi-party diplomatic negotiations (agent-based, on Mesa).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run a scenario and print what happened",
        description="Run one seeded negotiation of a scenario file and print the "
        "round-by-round transcript (offers, their worth to each actor, replies, "
        "events, escalation pressure) and the outcome.",
    )
    run.add_argument(
        "file", type=Path, help="scenario file (YAML), e.g. scenarios/ukraine_2022.yaml"
    )
    run.add_argument("--seed", type=int, default=None, help="random seed (same seed, same run)")
    run.add_argument("--rounds", type=_positive_int, default=None, help="override the deadline")
    run.add_argument("--json", action="store_true", help="print the run as JSON instead of text")
    run.set_defaults(handler=_run)

    validate = commands.add_parser(
        "validate",
        help="check a scenario file and report the first problem",
        description="Load and validate a scenario file. Prints a summary if it is valid; "
        "otherwise one line FILE:LINE: FIELD: problem, and exits with status 2.",
    )
    validate.add_argument("file", type=Path, help="scenario file (YAML)")
    validate.set_defaults(handler=_validate)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _run(args: argparse.Namespace) -> int:
    from negotiation_sim.loader import load_scenario
    from negotiation_sim.model import NegotiationModel
    from negotiation_sim.transcript import format_transcript, transcript_json

    scenario = load_scenario(args.file)
    model = NegotiationModel(scenario, rng=args.seed, rounds=args.rounds)
    model.run()
    if args.json:
        print(json.dumps(transcript_json(model), indent=2))
    else:
        print(format_transcript(model))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from negotiation_sim.loader import load_scenario

    scenario = load_scenario(args.file)
    print(
        f"{args.file}: valid. {scenario.name}: {len(scenario.space.issues)} issues, "
        f"{len(scenario.space)} packages, actors {', '.join(scenario.actor_names)}, "
        f"deadline {scenario.protocol.deadline} rounds"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ScenarioError as error:
        print(f"negotiation-sim: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
