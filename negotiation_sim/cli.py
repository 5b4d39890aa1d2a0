"""The ``negotiation-sim`` command: run a scenario once or as a Monte Carlo ensemble, compare
scenarios, sweep a value, draw figures, or validate a scenario file.

User errors (a bad scenario file, a bad option, a directory holding something else) print
one line naming what is wrong and exit with status 2; nothing is written. Ctrl-C prints one
line and exits with status 130. Figures are written only after a command succeeded, and
atomically, so a failed or interrupted command never leaves a partial file.

Ensembles may run on local worker processes; this module is importable (``python -m
negotiation_sim.cli``) and keeps its work under the ``__main__`` guard, as they require.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from negotiation_sim import __version__
from negotiation_sim.ensemble import EnsembleDirError, RunFailed
from negotiation_sim.errors import ScenarioError

if TYPE_CHECKING:
    from distributed import Client
    from matplotlib.axes import Axes

    from negotiation_sim.ensemble import Ensemble
    from negotiation_sim.scenario import Scenario

PROG = "negotiation-sim"
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
DISTRIBUTED_EXTRA = 'pip install "negotiation-sim[distributed]"'


class UserError(Exception):
    """A problem with what the user asked for, reported as one line."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other user error."""

    def error(self, message: str) -> NoReturn:
        text = " ".join(message.split())
        self.exit(EXIT_USER_ERROR, f"{PROG}: error: {text} (see {self.prog} --help)\n")


# --- the parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Simulate multi-party diplomatic negotiations (agent-based, on Mesa): one "
        "run with its transcript, or Monte Carlo ensembles over what the scenario leaves "
        "uncertain.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_run(commands)
    _add_compare(commands)
    _add_sweep(commands)
    _add_plot(commands)
    _add_validate(commands)
    _add_sources(commands)
    return parser


def _add_run(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="run a scenario once (transcript) or many times (outcome table)",
        description="With --runs 1 (the default), run one seeded negotiation and print the "
        "round-by-round transcript (offers, their worth to each actor, replies, events, "
        "escalation pressure) and the outcome. With --runs N > 1, run a Monte Carlo ensemble, "
        "each run drawing the scenario's uncertain values, and print the share of each outcome "
        "with its 95% interval and, when the scenario records what happened, the probability "
        "the model gave to it.",
    )
    _add_scenario_file(run)
    _add_seed(run)
    run.add_argument(
        "--rounds",
        type=_positive_int,
        default=None,
        metavar="N",
        help="override the deadline (one run only)",
    )
    run.add_argument(
        "--json",
        action="store_true",
        help="print JSON instead of text: the run, or with --runs N > 1 the outcome "
        "distribution and backtest",
    )
    _add_ensemble_options(run, runs=1, runs_help="runs (default 1: one run with its transcript)")
    run.add_argument(
        "--out",
        type=_results_dir,
        default=None,
        metavar="DIR",
        help="with --runs N > 1: write results to DIR chunk by chunk as they finish; rerunning "
        "the same command after an interruption resumes; read back by `plot DIR`",
    )
    _add_figure(
        run, "with --runs 1 the offer trajectories of the run, otherwise the outcome distribution"
    )
    run.set_defaults(handler=_run)


def _add_compare(commands: Any) -> None:
    compare = commands.add_parser(
        "compare",
        help="compare scenarios under common random numbers",
        description="Run an ensemble of each scenario with the same seed, so run i of each "
        "uses the same draws (common random numbers), and print the outcome shares side by "
        "side and each scenario's difference from the first, with paired 95% intervals.",
    )
    compare.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="two or more scenario files (YAML); the first is the base",
    )
    _add_seed(compare)
    _add_ensemble_options(compare, runs=1000, runs_help="runs per scenario (default 1000)")
    _add_figure(compare, "the outcome shares of each scenario side by side")
    compare.set_defaults(handler=_compare)


def _add_sweep(commands: Any) -> None:
    sweep = commands.add_parser(
        "sweep",
        help="outcome shares over a grid of one or two scenario values",
        description="Set one or two scenario values (by dotted path) to each point of a grid "
        "and run an ensemble there, with the same seed at every point, holding a swept value "
        "fixed even where the scenario draws it. Prints the outcome shares at each point.",
    )
    _add_scenario_file(sweep)
    sweep.add_argument(
        "--param",
        type=_grid_axis,
        action="append",
        required=True,
        metavar="PATH=LO:HI:N",
        help="a value to sweep: N evenly spaced values from LO to HI, e.g. "
        "actors.Russia.outside_option.base_cost=0:0.3:7; give one or two",
    )
    _add_seed(sweep)
    _add_ensemble_options(sweep, runs=200, runs_help="runs per grid point (default 200)")
    _add_figure(
        sweep,
        "outcome shares against the value (one --param), or a heat map of the "
        "escalation share (two)",
    )
    sweep.add_argument(
        "--out",
        type=_results_dir,
        default=None,
        metavar="DIR",
        help="save the table to DIR (sweep.csv, sweep.json; replaces an earlier sweep there) "
        "for `plot DIR --kind sensitivity`",
    )
    sweep.set_defaults(handler=_sweep)


def _add_plot(commands: Any) -> None:
    plot = commands.add_parser(
        "plot",
        help="draw a figure from a results directory",
        description="Draw a figure from a directory written by `run --runs N --out DIR` "
        "(--kind outcomes, terms) or `sweep --out DIR` (--kind sensitivity).",
    )
    plot.add_argument("dir", type=_existing_dir, metavar="DIR", help="results directory")
    plot.add_argument(
        "--kind",
        required=True,
        choices=("outcomes", "terms", "sensitivity"),
        help="outcomes: share of each outcome with 95%% intervals; terms: share of each option "
        "per issue among agreements; sensitivity: outcome shares over the swept values",
    )
    plot.add_argument(
        "--out", type=_figure_file, required=True, metavar="PNG", help="figure file to write"
    )
    plot.add_argument(
        "--scenario",
        type=Path,
        default=None,
        metavar="FILE",
        help="for --kind terms: the scenario file the ensemble ran, if it has moved since",
    )
    plot.set_defaults(handler=_plot)


def _add_validate(commands: Any) -> None:
    validate = commands.add_parser(
        "validate",
        help="check a scenario file and report the first problem",
        description="Load and validate a scenario file. Prints a summary if it is valid; "
        "otherwise one line FILE:LINE: FIELD: problem, and exits with status 2.",
    )
    validate.add_argument("file", type=Path, help="scenario file (YAML)")
    validate.set_defaults(handler=_validate)


def _add_sources(commands: Any) -> None:
    sources = commands.add_parser(
        "sources",
        help="list every number of a scenario file with the citation or assumption behind it",
        description="List each number of a scenario file, with the comment that vouches for "
        "it: a citation of the fact sheet ([F1]) or an assumption with its reason. Shows what "
        "a result rests on.",
    )
    _add_scenario_file(sources)
    sources.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 if any number has neither a citation nor an assumption",
    )
    sources.set_defaults(handler=_sources)


# --- options shared by several commands ---------------------------------------------------------


def _add_scenario_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, help="scenario file (YAML), e.g. scenarios/ukraine_2022.yaml"
    )


def _add_seed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seed",
        type=_seed,
        default=None,
        metavar="S",
        help="random seed: the same seed gives the same results, whatever the workers "
        "(default: a fresh one, printed with ensemble results)",
    )


def _add_ensemble_options(parser: argparse.ArgumentParser, runs: int, runs_help: str) -> None:
    """--runs, where to run (--workers or --scheduler) and --no-progress."""
    group = parser.add_argument_group("ensemble")
    group.add_argument("--runs", type=_positive_int, default=runs, metavar="N", help=runs_help)
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="K",
        help="local worker processes (default: all cores; 1 runs in this process)",
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help=f"run on the Dask cluster of this scheduler (needs Dask: {DISTRIBUTED_EXTRA})",
    )
    group.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="no progress bar (it is shown on stderr only when that is a terminal)",
    )


def _add_figure(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--plot",
        type=_figure_file,
        default=None,
        metavar="PNG",
        help=f"write a figure to PNG: {what} (format from the suffix: png, pdf, svg...)",
    )


# --- option values -------------------------------------------------------------------------


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _positive_int(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _grid_axis(text: str) -> tuple[str, list[float | int]]:
    from negotiation_sim.whatif import parse_grid

    try:
        return parse_grid(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _results_dir(text: str) -> Path:
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} exists and is not a directory")
    return path


def _existing_dir(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"no such directory: {text}")
    return path


def _figure_file(text: str) -> Path:
    from matplotlib.backend_bases import FigureCanvasBase

    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a directory, not a figure file")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"no such directory {path.parent} to write {path.name}")
    suffix = path.suffix.lstrip(".").lower() or "png"
    formats = FigureCanvasBase.get_supported_filetypes()
    if suffix not in formats:
        raise argparse.ArgumentTypeError(
            f"cannot write .{suffix} figures (formats: {', '.join(sorted(formats))})"
        )
    return path


# --- commands ------------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    """One run with its transcript, or an ensemble with its outcome table."""
    return _run_once(args) if args.runs == 1 else _run_ensemble(args)


def _run_once(args: argparse.Namespace) -> int:
    from negotiation_sim.loader import load_scenario
    from negotiation_sim.model import NegotiationModel
    from negotiation_sim.transcript import format_transcript, transcript_json

    for option, value in (("--out", args.out), ("--scheduler", args.scheduler)):
        if value is not None:
            raise UserError(f"{option} needs --runs 2 or more; one run prints its transcript")
    scenario = load_scenario(args.file)
    model = NegotiationModel(scenario, rng=args.seed, rounds=args.rounds)
    model.run()
    if args.plot:
        _write_figure(_plots().plot_trajectories(model), args.plot)
    if args.json:
        print(json.dumps(transcript_json(model), indent=2))
    else:
        print(format_transcript(model))
    return 0


def _run_ensemble(args: argparse.Namespace) -> int:
    from negotiation_sim.ensemble import format_outcome_table, run_ensemble
    from negotiation_sim.ensemble.storage import write_source
    from negotiation_sim.loader import load_scenario

    if args.rounds is not None:
        raise UserError(
            "--rounds sets the deadline of one run; for an ensemble, sweep "
            "protocol.deadline or change the scenario file"
        )
    scenario = load_scenario(args.file)
    with _cluster(args.scheduler) as client:
        ensemble = run_ensemble(
            scenario,
            runs=args.runs,
            seed=args.seed,
            workers=args.workers,
            client=client,
            progress=args.progress,
            out=args.out,
        )
    if args.out is not None:
        write_source(args.out, args.file)
    if args.plot:
        _write_figure(_plots().plot_outcomes(ensemble), args.plot)
    print(
        json.dumps(ensemble_json(ensemble), indent=2)
        if args.json
        else format_outcome_table(ensemble)
    )
    return 0


def _compare(args: argparse.Namespace) -> int:
    from negotiation_sim.whatif import compare, format_comparison

    if len(args.files) < 2:
        raise UserError("compare needs two or more scenario files")
    with _cluster(args.scheduler) as client:
        comparison = compare(
            args.files,
            runs=args.runs,
            seed=args.seed,
            workers=args.workers,
            client=client,
            progress=args.progress,
        )
    if args.plot:
        _write_figure(_plots().plot_comparison(comparison), args.plot)
    print(format_comparison(comparison))
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from negotiation_sim.ensemble.runner import fresh_seed
    from negotiation_sim.loader import load_scenario
    from negotiation_sim.whatif import format_sweep, save_sweep, sweep

    grid = _grid(args.param)
    scenario = load_scenario(args.file)
    seed = fresh_seed(args.seed)  # drawn here, so that the table and sweep.json can print it
    with _cluster(args.scheduler) as client:
        table = sweep(
            scenario,
            grid,
            runs_per_point=args.runs,
            seed=seed,
            workers=args.workers,
            client=client,
            progress=args.progress,
        )
    about = {"scenario": scenario.name, "seed": seed, "runs_per_point": args.runs}
    if args.out is not None:
        save_sweep(table, args.out, list(grid), scenario_file=str(args.file.resolve()), **about)
        _note(f"sweep table written to {args.out}")
    if args.plot:
        _write_figure(_sensitivity_figure(table, list(grid)), args.plot)
    print(format_sweep(table, list(grid), scenario.name, seed))
    return 0


def _plot(args: argparse.Namespace) -> int:
    """A figure from a results directory; prints the summary it shows where there is one."""
    from negotiation_sim.ensemble import format_outcome_table, load_ensemble
    from negotiation_sim.whatif import format_sweep, load_sweep

    plots = _plots()
    if args.kind == "sensitivity":
        table, about = load_sweep(args.dir)
        _write_figure(_sensitivity_figure(table, about["paths"]), args.out)
        print(format_sweep(table, about["paths"], about.get("scenario"), about.get("seed")))
        return 0
    ensemble = load_ensemble(args.dir)
    if args.kind == "outcomes":
        _write_figure(plots.plot_outcomes(ensemble), args.out)
        print(format_outcome_table(ensemble))
    else:
        scenario = _scenario_of(args.dir, args.scenario, ensemble)
        _write_figure(plots.plot_terms(ensemble.runs, scenario), args.out)
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


def _sources(args: argparse.Namespace) -> int:
    from collections import Counter

    from negotiation_sim.loader import load_scenario
    from negotiation_sim.provenance import number_sources

    load_scenario(args.file)  # a file that does not load gets the loader's located error
    found = number_sources(args.file)
    kinds = Counter(source.kind for source in found)
    width = max((len(source.field) for source in found), default=5)
    print(f"{'line':>5}  {'field':<{width}}  {'value':>8}  basis")
    for source in found:
        basis = source.note or "(nothing vouches for it)"
        print(f"{source.line:>5}  {source.field:<{width}}  {source.value:>8}  {basis}")
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    print(f"{args.file}: {len(found)} numbers: {summary or 'none'}")
    return 1 if args.check and kinds["unsourced"] else 0


# --- helpers ---------------------------------------------------------------------------------


@contextmanager
def _cluster(address: str | None) -> Iterator[Client | None]:
    """A Dask client for ``--scheduler``, closed afterwards; None runs locally."""
    if address is None:
        yield None
        return
    from negotiation_sim.ensemble import connect

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


def _grid(axes: Sequence[tuple[str, list[float | int]]]) -> dict[str, list[float | int]]:
    """The --param values as a sweep grid: one or two different paths."""
    grid = dict(axes)
    if len(grid) != len(axes):
        raise UserError("each --param must name a different path")
    if len(grid) > 2:
        raise UserError(f"sweep one or two values, not {len(grid)}")
    return grid


def _scenario_of(directory: Path, given: Path | None, ensemble: Ensemble) -> Scenario:
    """The scenario an ensemble directory ran: ``--scenario``, or the file it recorded."""
    from negotiation_sim.ensemble.storage import read_source
    from negotiation_sim.loader import load_scenario

    file = given or read_source(directory)
    if file is None:
        raise UserError(f"{directory} does not record its scenario file; give it with --scenario")
    try:
        scenario = load_scenario(file)
    except ScenarioError as error:
        hint = "" if given else " (the file the ensemble ran; give another with --scenario)"
        raise UserError(f"{error}{hint}") from None
    terms = {c.removeprefix("term_") for c in ensemble.runs.columns if c.startswith("term_")}
    if terms != set(scenario.space.issue_names):
        raise UserError(
            f"{file} has issues {', '.join(scenario.space.issue_names)}, but the ensemble in "
            f"{directory} has {', '.join(sorted(terms))}; give its scenario with --scenario"
        )
    return scenario


def ensemble_json(ensemble: Ensemble) -> dict[str, Any]:
    """The outcome distribution and backtest of an ensemble, as plain JSON values."""
    distribution = ensemble.outcome_distribution()
    backtest = ensemble.observed_probability()
    return {
        "scenario": ensemble.scenario,
        "seed": ensemble.seed,
        "runs": len(ensemble.runs),
        "interval": "95% Wilson score",
        "outcomes": {
            outcome: {
                "count": int(row["count"]),
                "share": float(row["share"]),
                "low": float(row["low"]),
                "high": float(row["high"]),
            }
            for outcome, row in distribution.iterrows()
        },
        "backtest": None
        if backtest is None
        else {
            "observed_outcome": backtest.outcome,
            "count": backtest.count,
            "probability": backtest.probability,
            "low": backtest.low,
            "high": backtest.high,
        },
    }


def _plots() -> Any:
    """The plots module, with matplotlib drawing to files only (no window)."""
    import matplotlib

    matplotlib.use("Agg")
    from negotiation_sim import plots

    return plots


def _sensitivity_figure(table: Any, paths: Sequence[str]) -> Axes:
    plots = _plots()
    if len(paths) == 1:
        return plots.plot_sensitivity(table, paths[0])
    return plots.plot_sensitivity_heatmap(table, paths[0], paths[1])


def _write_figure(ax: Axes, path: Path) -> None:
    import matplotlib.pyplot as plt

    _plots().save(ax, path)
    plt.close(ax.get_figure(root=True))
    _note(f"figure written to {path}")


def _note(text: str) -> None:
    """A line for the user that is not the command's result (stderr, keeping stdout clean)."""
    print(text, file=sys.stderr)


def _interrupted(args: argparse.Namespace) -> str:
    if args.command == "run" and getattr(args, "out", None) is not None and args.runs > 1:
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
