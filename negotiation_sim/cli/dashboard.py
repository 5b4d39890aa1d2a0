"""``negotiation-sim dashboard``: the interactive page (Mesa's SolaraViz) in a browser."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from negotiation_sim.cli.options import SCENARIO_HELP, UserError
from negotiation_sim.dashboard import launch
from negotiation_sim.scenario import load_scenario

DEFAULT_PORT = 8765


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (argparse ``type=``)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535, not {port}")
    return port


def add(commands: Any) -> None:
    parser = commands.add_parser(
        "dashboard",
        help="serve the interactive page: one run round by round, ensembles, what-ifs",
        description="Serve a local page built on Mesa's SolaraViz and open it in a browser: "
        "pick a shipped scenario or upload a file; set the seed, the deadline, the belief "
        "noise and each uncertain value in the sidebar; step one run round by round "
        "(transcript, offer trajectories, escalation pressure, outcome); run ensembles with "
        "their outcome distribution, backtest and agreed terms, and what-ifs under common "
        "random numbers. Needs the dashboard extra: pip install "
        '"negotiation-sim[dashboard]"; it works offline once its front-end files are fetched.',
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=Path("ukraine_2022"),
        metavar="SCENARIO",
        help=f"the scenario the page starts with: {SCENARIO_HELP} (default: ukraine_2022)",
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"the port to serve on (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to serve on (default 127.0.0.1: this machine only)",
    )
    parser.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:
    """Check the scenario and what the page needs, then become its server."""
    load_scenario(args.file)  # a bad file is one located line before any server starts
    problem = launch.problem(args.host, args.port)
    if problem is not None:
        raise UserError(problem)
    launch.serve(args.file, args.host, args.port)
