"""``negotiation-sim sensitivity``: which uncertain values the outcome depends on most."""

from __future__ import annotations

import argparse
import json
from typing import Any

from negotiation_sim.cli.options import (
    UserError,
    add_ensemble_options,
    add_figure,
    add_scenario_file,
    add_seed,
    cluster,
    results_dir,
)
from negotiation_sim.cli.output import indices_figure, note, write_figure
from negotiation_sim.ensemble import format_sensitivity, sensitivity
from negotiation_sim.ensemble.indices import METHODS, require_salib
from negotiation_sim.ensemble.sensitivity import check_analysis, sensitivity_json
from negotiation_sim.scenario import load_scenario


def add(commands: Any) -> None:
    analysis = commands.add_parser(
        "sensitivity",
        help="rank the uncertain values by how much the outcome depends on them",
        description="Global sensitivity analysis of the scenario's uncertain values (its "
        "uncertain: section, and --extra ranges): a Sobol or Morris design, each value taken "
        "from its own distribution, run as an ensemble. Prints the values ranked by their "
        "total Sobol index (or Morris mu*) for one outcome, with bootstrap intervals, and how "
        "much of the run-to-run variance the values explain at all; the rest is each run's "
        "own randomness (the seed, analysed as a factor). Needs SALib: "
        'pip install "negotiation-sim[sensitivity]".',
    )
    add_scenario_file(analysis)
    analysis.add_argument(
        "--method",
        choices=METHODS,
        default="sobol",
        help="sobol: first-order and total indices (the default); morris: a cheaper "
        "screening by elementary effects",
    )
    analysis.add_argument(
        "--outcome",
        default="escalation",
        metavar="OUTPUT",
        help="what to rank the values for: agreement, partial_agreement, stalemate, "
        "escalation (the default) or utility_<actor>; --json holds them all",
    )
    analysis.add_argument(
        "--extra",
        type=_extra_range,
        action="append",
        default=[],
        metavar="PATH=LO:HI",
        help="also vary a value the scenario fixes, uniformly from LO to HI (whole numbers "
        "where the file has one), e.g. protocol.deadline=8:12; repeatable (default: none)",
    )
    add_seed(analysis)
    add_ensemble_options(
        analysis,
        runs=6000,
        runs_help="budget of model runs (default 6000); Sobol uses the largest design of a "
        "power of two base samples that fits, Morris as many trajectories as fit",
    )
    analysis.add_argument(
        "--out",
        type=results_dir,
        default=None,
        metavar="DIR",
        help="keep the runs in DIR chunk by chunk as they finish; rerunning the same command "
        "after an interruption resumes",
    )
    add_figure(
        analysis,
        "the indices as a tornado chart, beside the outcome's share over the two most "
        "influential values",
    )
    analysis.add_argument(
        "--json",
        action="store_true",
        help="print JSON: the design, then every outcome's and utility's ranked indices",
    )
    analysis.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:
    try:
        require_salib()
    except ImportError as error:
        raise UserError(str(error)) from None
    extra = dict(args.extra)
    if len(extra) != len(args.extra):
        raise UserError("each --extra must name a different path")
    scenario = load_scenario(args.file)
    try:
        check_analysis(scenario, args.method, args.runs, args.seed, args.outcome, extra)
    except ValueError as error:
        raise UserError(str(error)) from None
    with cluster(args.scheduler) as client:
        result = sensitivity(
            scenario,
            method=args.method,
            runs=args.runs,
            seed=args.seed,
            outcome=args.outcome,
            workers=args.workers,
            client=client,
            progress=args.progress,
            out=args.out,
            extra=extra,
        )
    if args.out is not None:
        note(f"runs kept in {args.out}")
    if args.plot:
        write_figure(indices_figure(result), args.plot)
    print(
        json.dumps(sensitivity_json(result), indent=2) if args.json else format_sensitivity(result)
    )
    return 0


def _extra_range(text: str) -> tuple[str, tuple[float, float]]:
    """``PATH=LO:HI`` as a path and its range."""
    path, sep, spec = text.partition("=")
    parts = spec.split(":")
    if not sep or not path or len(parts) != 2:
        raise argparse.ArgumentTypeError(f"expected PATH=LO:HI, got {text!r}")
    try:
        return path, (float(parts[0]), float(parts[1]))
    except ValueError:
        raise argparse.ArgumentTypeError(f"LO and HI must be numbers, got {spec!r}") from None
