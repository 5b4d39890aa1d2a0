"""``negotiation-sim sweep``: outcome shares over a grid of one or two scenario values."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import Any

from negotiation_sim.cli.options import (
    UserError,
    add_ensemble_options,
    add_figure,
    add_json,
    add_scenario_file,
    add_seed,
    cluster,
    results_dir,
)
from negotiation_sim.cli.output import (
    note,
    print_json,
    sensitivity_figure,
    sweep_json,
    write_figure,
)
from negotiation_sim.ensemble import format_sweep, parse_grid, save_sweep, sweep
from negotiation_sim.ensemble.runner import fresh_seed
from negotiation_sim.ensemble.storage import refuse_other_kind
from negotiation_sim.limits import GRID_POINTS, RUNS
from negotiation_sim.scenario import Scenario, ScenarioError, load_scenario, with_changes
from negotiation_sim.scenario.shipped import locate


def add(commands: Any) -> None:
    sweep = commands.add_parser(
        "sweep",
        help="outcome shares over a grid of one or two scenario values",
        description="Set one or two scenario values (by dotted path) to each point of a grid "
        "and run an ensemble there, with the same seed at every point, holding a swept value "
        "fixed even where the scenario draws it. Prints the outcome shares at each point.",
    )
    add_scenario_file(sweep)
    sweep.add_argument(
        "--param",
        type=_grid_axis,
        action="append",
        required=True,
        metavar="PATH=LO:HI:N",
        help="a value to sweep: N evenly spaced values from LO to HI, e.g. "
        "actors.Russia.outside_option.base_cost=0:0.3:7; give one or two",
    )
    add_seed(sweep)
    add_ensemble_options(sweep, runs=200, runs_help="runs per grid point (default 200)")
    add_figure(
        sweep,
        "outcome shares against the value (one --param), or a heat map of the "
        "escalation share (two)",
    )
    sweep.add_argument(
        "--out",
        type=results_dir,
        default=None,
        metavar="DIR",
        help="save the table to DIR (sweep.csv, sweep.json; replaces an earlier sweep there) "
        "for `plot DIR --kind sensitivity`",
    )
    add_json(sweep, "the outcome shares at each grid point, with the seed")
    sweep.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:

    scenario = load_scenario(args.file)
    grid = _grid(args.param, scenario, args.runs)
    if args.out is not None and args.out.exists():
        refuse_other_kind(args.out, "a sweep")  # before running, not after
    seed = fresh_seed(args.seed)  # drawn here, so that the table and sweep.json can print it
    with cluster(args.scheduler) as client:
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
    if args.json:
        print_json(sweep_json(table, list(grid), **about))
    else:
        print(format_sweep(table, list(grid), scenario.name, seed))
    if args.out is not None:
        file = str(locate(args.file).resolve())  # a shipped name is recorded as its file
        save_sweep(table, args.out, list(grid), scenario_file=file, **about)
        note(f"sweep table written to {args.out}")
    if args.plot:
        write_figure(sensitivity_figure(table, list(grid)), args.plot)
    return 0


def _grid_axis(text: str) -> tuple[str, list[float | int]]:

    try:
        return parse_grid(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _grid(
    axes: Sequence[tuple[str, list[float | int]]], scenario: Scenario, runs: int
) -> dict[str, list[float | int]]:
    """The --param values as a sweep grid: one or two different paths of the scenario, each
    checked at its first value, within the caps on grid points and runs."""
    grid = dict(axes)
    if len(grid) != len(axes):
        raise UserError("each --param must name a different path")
    if len(grid) > 2:
        raise UserError(f"sweep one or two values, not {len(grid)}")
    for path, values in grid.items():
        try:
            with_changes(scenario, {path: values[0]})
        except ScenarioError as error:
            field = f"{error.field}: " if error.field and error.field != path else ""
            raise UserError(f"--param {path}={values[0]}: {field}{error.message}") from None
    points = math.prod(len(values) for values in grid.values())
    problem = GRID_POINTS.problem(points) or RUNS.problem(points * runs)
    if problem:
        raise UserError(f"--param: {problem}")
    return grid
