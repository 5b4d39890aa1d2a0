"""``negotiation-sim compare``: scenarios side by side under common random numbers."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from negotiation_sim.cli.options import (
    UserError,
    add_ensemble_options,
    add_figure,
    add_json,
    add_seed,
    cluster,
)
from negotiation_sim.cli.output import comparison_json, plots_module, print_json, write_figure
from negotiation_sim.ensemble import compare, format_comparison


def add(commands: Any) -> None:
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
        metavar="SCENARIO",
        help="two or more scenario files (YAML) or shipped scenario names; the first is the base",
    )
    add_seed(compare)
    add_ensemble_options(compare, runs=1000, runs_help="runs per scenario (default 1000)")
    add_figure(compare, "the outcome shares of each scenario side by side")
    add_json(compare, "each scenario's outcome shares and difference from the first, and the seed")
    compare.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:

    if len(args.files) < 2:
        raise UserError("compare needs two or more scenarios")
    with cluster(args.scheduler) as client:
        comparison = compare(
            args.files,
            runs=args.runs,
            seed=args.seed,
            workers=args.workers,
            client=client,
            progress=args.progress,
        )
    if args.json:
        print_json(comparison_json(comparison))
    else:
        print(format_comparison(comparison))
    if args.plot:
        write_figure(plots_module().plot_comparison(comparison), args.plot)
    return 0
