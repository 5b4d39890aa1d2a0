"""The ``negotiation-sim`` command: run a scenario once or as a Monte Carlo ensemble, compare
scenarios, sweep a value, rank the uncertain values (sensitivity), draw figures, or validate a
scenario file.

Each sub-command is a module of this package with ``add`` (its options) and
``execute`` (what it does); this module wires them into one parser and turns
every user error into one line.

User errors (a bad scenario file, a bad option, a directory holding something else, an
output that cannot be written) print one line naming what is wrong and exit with status 2,
before anything runs; nothing is written. Results are printed before any file is written,
so if writing fails afterwards (a disk that fills up), they are not lost: one line says
what could not be written and why, and the exit status is 1 (as when a worker process
dies). Files are written atomically,
so a failed or interrupted command never leaves a partial one. Ctrl-C, and SIGTERM alike,
stop the workers, print one line and exit with status 130 (143 for SIGTERM). Notes that
stop nothing (a damaged chunk run again, workers capped at the cores) are one line each.

Ensembles may run on local worker processes; the command is importable (``python -m
negotiation_sim.cli``) and keeps its work under the ``__main__`` guard, as they require.

``negotiation_sim.cli.main`` is the entry point: it imports this module inside its guard
against Ctrl-C and SIGTERM (which it sets up), and that guard reports an interruption that
comes before the arguments are parsed; ``main`` here reports the later ones, with what the
command keeps of its work (see ``negotiation_sim.cli.exits``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from negotiation_sim import __version__
from negotiation_sim.cli import (
    compare,
    dashboard,
    plot,
    run,
    schema,
    sensitivity,
    sources,
    sweep,
    validate,
)
from negotiation_sim.cli import list as list_command
from negotiation_sim.cli.exits import EXIT_FAILED, EXIT_USER_ERROR, PROG, interrupted
from negotiation_sim.cli.options import UserError, add_verbosity
from negotiation_sim.cli.output import LOGGER, set_verbosity
from negotiation_sim.ensemble import EnsembleDirError, RunFailed, WorkerDied
from negotiation_sim.ensemble.notes import EnsembleNote
from negotiation_sim.ensemble.storage import WriteFailed
from negotiation_sim.scenario import ScenarioError


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
    add_verbosity(parser, top=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = (
        run,
        compare,
        sweep,
        sensitivity,
        plot,
        validate,
        sources,
        list_command,
        schema,
        dashboard,
    )
    for module in modules:
        module.add(commands)
    for sub in commands.choices.values():
        add_verbosity(sub, top=False)
    return parser


def _kept(args: argparse.Namespace) -> str | None:
    """Where an ensemble stopped early keeps its finished chunks, if it writes any."""
    resumable = args.command == "sensitivity" or (args.command == "run" and args.runs > 1)
    if resumable and getattr(args, "out", None) is not None:
        return f"finished chunks are kept in {args.out}: rerun the same command to resume"
    return None


@contextlib.contextmanager
def _notes_as_lines() -> Iterator[None]:
    """Show each ``EnsembleNote`` as one line on stderr (a logging warning), every time."""
    with warnings.catch_warnings():
        warnings.simplefilter("always", EnsembleNote)
        shown = warnings.showwarning

        def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
            if issubclass(category, EnsembleNote):  # a warning: shown even with --quiet
                LOGGER.warning(f"{PROG}: note: {message}")
            else:
                shown(message, category, *args, **kwargs)

        warnings.showwarning = show
        yield


def main(argv: Sequence[str] | None = None) -> int:
    """The command on ``argv``; its exit status. Run it through ``negotiation_sim.cli.main``,
    which makes SIGTERM stop it like Ctrl-C."""
    args = build_parser().parse_args(argv)
    set_verbosity(args.verbosity)
    if args.verbosity < 0 and getattr(args, "progress", False) is None:
        args.progress = False  # --quiet hides the bar unless --progress asks for it
    try:
        with _notes_as_lines():
            return args.handler(args)
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (see negotiation_sim.cli.main)
        return interrupted(stop, _kept(args))
    except (WriteFailed, WorkerDied) as error:  # the machine's trouble, not the input's
        kept = _kept(args)
        print(f"{PROG}: error: {error}" + (f"; {kept}" if kept else ""), file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (UserError, ScenarioError, EnsembleDirError, RunFailed) as error:
        print(f"{PROG}: error: {' '.join(str(error).split())}", file=sys.stderr)
        return EXIT_USER_ERROR
