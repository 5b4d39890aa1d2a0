"""The ``negotiation-sim`` command: run a scenario once or as a Monte Carlo ensemble, compare
scenarios, sweep a value, rank the uncertain values (sensitivity), draw figures, or validate a
scenario file.

Each sub-command is a module of this package with ``add`` (its options) and
``execute`` (what it does); this module wires them into one parser and turns
every user error into one line.

User errors (a bad scenario file, a bad option, a directory holding something else) print
one line naming what is wrong and exit with status 2; nothing is written. Ctrl-C prints one
line and exits with status 130. Figures are written only after a command succeeded, and
atomically, so a failed or interrupted command never leaves a partial file.

Ensembles may run on local worker processes; the command is importable (``python -m
negotiation_sim.cli``) and keeps its work under the ``__main__`` guard, as they require.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from negotiation_sim import __version__
from negotiation_sim.cli import compare, plot, run, sensitivity, sources, sweep, validate
from negotiation_sim.cli.options import UserError
from negotiation_sim.ensemble import EnsembleDirError, RunFailed
from negotiation_sim.scenario import ScenarioError

PROG = "negotiation-sim"
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other user error."""

    def error(self, message: str) -> NoReturn:
        text = " ".join(message.split())
        self.exit(EXIT_USER_ERROR, f"{PROG}: error: {text} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Simulate multi-party diplomatic negotiations (agent-based, on Mesa): one "
        "run with its transcript, or Monte Carlo ensembles over what the scenario leaves "
        "uncertain.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run.add(commands)
    compare.add(commands)
    sweep.add(commands)
    sensitivity.add(commands)
    plot.add(commands)
    validate.add(commands)
    sources.add(commands)
    return parser


def _interrupted(args: argparse.Namespace) -> str:
    resumable = args.command == "sensitivity" or (args.command == "run" and args.runs > 1)
    if resumable and getattr(args, "out", None) is not None:
        return (
            f"interrupted; finished chunks are kept in {args.out}: rerun the same command to resume"
        )
    return "interrupted; nothing was written"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print(f"{PROG}: {_interrupted(args)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (UserError, ScenarioError, EnsembleDirError, RunFailed) as error:
        print(f"{PROG}: error: {' '.join(str(error).split())}", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
