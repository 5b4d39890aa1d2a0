"""What the sub-commands share on their command lines: options, option values, where to run.

Option values are checked as they are parsed (argparse ``type=``), so a bad value is
one line from the parser, before anything runs.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from negotiation_sim.ensemble import connect
from negotiation_sim.limits import ROUNDS, RUNS, Limit

if TYPE_CHECKING:
    from distributed import Client

DISTRIBUTED_EXTRA = 'pip install "negotiation-sim[distributed]"'


class UserError(Exception):
    """A problem with what the user asked for, reported as one line."""


SCENARIO_HELP = "scenario file (YAML), or the name of a shipped scenario (see `list`)"


def add_verbosity(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--quiet / --verbose, on the command and again on each sub-command (``top=False``,
    where an absent option leaves the command's value alone)."""
    default = 0 if top else argparse.SUPPRESS
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=-1,
        default=default,
        help="print results and errors only: no notes, no progress bar",
    )
    group.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=1,
        default=default,
        help="also say what runs where (chunks, workers, files read)",
    )


def add_scenario_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, metavar="SCENARIO", help=f"{SCENARIO_HELP}, e.g. ukraine_2022"
    )


def add_json(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", action="store_true", help=f"print JSON instead of text: {what}")


def add_seed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seed",
        type=seed_number,
        default=None,
        metavar="S",
        help="random seed: the same seed gives the same results, whatever the workers "
        "(default: a fresh one, printed with the results)",
    )


def add_ensemble_options(parser: argparse.ArgumentParser, runs: int, runs_help: str) -> None:
    """--runs, where to run (--workers or --scheduler) and --progress / --no-progress."""
    group = parser.add_argument_group("ensemble")
    group.add_argument("--runs", type=capped(RUNS), default=runs, metavar="N", help=runs_help)
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        metavar="K",
        help="local worker processes (default: all cores; 1 runs in this process)",
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="run on the Dask cluster of this scheduler instead of local processes (needs "
        f"Dask: {DISTRIBUTED_EXTRA}; default: local)",
    )
    group.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: only when stderr is a terminal; "
        "--progress shows it on a pipe too; --quiet hides it)",
    )


def add_figure(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--plot",
        type=figure_file,
        default=None,
        metavar="PNG",
        help=f"write a figure to PNG: {what} (format from the suffix: png, pdf, svg...)",
    )


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def positive_int(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def capped(limit: Limit) -> Callable[[str], int]:
    """An option type: a whole number from 1 up to ``limit`` (see ``negotiation_sim.limits``)."""

    def parse(text: str) -> int:
        value = positive_int(text)
        problem = limit.problem(value)
        if problem:
            raise argparse.ArgumentTypeError(problem)
        return value

    return parse


round_count = capped(ROUNDS)


def seed_number(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def results_dir(text: str) -> Path:
    """A directory to write results to: one that exists, or can be made, and takes files."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} exists and is not a directory")
    _check_writable(path)
    return path


def _check_writable(path: Path) -> None:
    """Refuse, before anything runs, a place where nothing can be written: under a file,
    on a read-only file system, on a full disk, or not allowed. A probe file is written
    (and removed) in ``path`` or in the nearest folder above it that exists."""
    folder = next((p for p in (path, *path.parents) if p.exists()), Path.cwd())
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"cannot write {path}: {folder} is not a directory")
    try:
        with tempfile.TemporaryFile(dir=folder) as probe:
            probe.write(b"\0" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        raise argparse.ArgumentTypeError(
            f"cannot write to {folder}: {exc.strerror or exc}"
        ) from None


def existing_dir(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"no such directory: {text}")
    return path


def figure_file(text: str) -> Path:
    from matplotlib.backend_bases import FigureCanvasBase

    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a directory, not a figure file")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"no such directory {path.parent} to write {path.name}")
    _check_writable(path.parent)
    suffix = path.suffix.lstrip(".").lower() or "png"
    formats = FigureCanvasBase.get_supported_filetypes()
    if suffix not in formats:
        raise argparse.ArgumentTypeError(
            f"cannot write .{suffix} figures (formats: {', '.join(sorted(formats))})"
        )
    return path


@contextmanager
def cluster(address: str | None) -> Iterator[Client | None]:
    """A Dask client for ``--scheduler``, closed afterwards; None runs locally."""
    if address is None:
        yield None
        return

    try:
        client = connect(address)
    except ImportError:
        raise UserError(f"--scheduler needs Dask: {DISTRIBUTED_EXTRA}") from None
    except (OSError, TimeoutError, ValueError) as error:
        raise UserError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        yield client
    finally:
        client.close()
