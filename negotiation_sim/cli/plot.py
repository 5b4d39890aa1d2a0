"""``negotiation-sim plot``: a figure from a results directory (ensemble or sweep)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation_sim.cli.options import UserError, add_json, existing_dir, figure_file
from negotiation_sim.cli.output import (
    ensemble_json,
    plots_module,
    print_json,
    sensitivity_figure,
    sweep_json,
    terms_json,
    write_figure,
)
from negotiation_sim.ensemble import format_outcome_table, format_sweep, load_ensemble, load_sweep
from negotiation_sim.ensemble.storage import read_source
from negotiation_sim.scenario import ScenarioError, load_scenario

if TYPE_CHECKING:
    from negotiation_sim.ensemble import Ensemble
    from negotiation_sim.scenario import Scenario


def add(commands: Any) -> None:
    plot = commands.add_parser(
        "plot",
        help="draw a figure from a results directory",
        description="Draw a figure from a directory written by `run --runs N --out DIR` "
        "(--kind outcomes, terms) or `sweep --out DIR` (--kind sensitivity).",
    )
    plot.add_argument("dir", type=existing_dir, metavar="DIR", help="results directory")
    plot.add_argument(
        "--kind",
        required=True,
        choices=("outcomes", "terms", "sensitivity"),
        help="outcomes: share of each outcome with 95%% intervals; terms: share of each option "
        "per issue among agreements; sensitivity: outcome shares over the swept values",
    )
    plot.add_argument(
        "--out", type=figure_file, required=True, metavar="PNG", help="figure file to write"
    )
    plot.add_argument(
        "--scenario",
        type=Path,
        default=None,
        metavar="FILE",
        help="for --kind terms: the scenario file the ensemble ran, if it has moved since",
    )
    add_json(plot, "the summary the figure shows (outcome shares, agreed terms or sweep table)")
    plot.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:
    """A figure from a results directory; prints the summary it shows where there is one."""

    plots = plots_module()
    if args.kind == "sensitivity":
        table, about = load_sweep(args.dir)
        paths = about.pop("paths")
        if args.json:
            print_json(sweep_json(table, paths, **about))
        else:
            print(format_sweep(table, paths, about.get("scenario"), about.get("seed")))
        write_figure(sensitivity_figure(table, paths), args.out)
        return 0
    ensemble = load_ensemble(args.dir)
    if args.kind == "outcomes":
        if args.json:
            print_json(ensemble_json(ensemble))
        else:
            print(format_outcome_table(ensemble))
        write_figure(plots.plot_outcomes(ensemble), args.out)
    else:
        scenario = _scenario_of(args.dir, args.scenario, ensemble)
        if args.json:
            print_json(terms_json(ensemble, scenario))
        write_figure(plots.plot_terms(ensemble.runs, scenario), args.out)
    return 0


def _scenario_of(directory: Path, given: Path | None, ensemble: Ensemble) -> Scenario:
    """The scenario an ensemble directory ran: ``--scenario``, or the file it recorded."""

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
