"""``negotiation-sim run``: one run with its transcript, or a Monte Carlo ensemble."""

from __future__ import annotations

import argparse
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
    round_count,
)
from negotiation_sim.cli.output import ensemble_json, note, plots_module, print_json, write_figure
from negotiation_sim.ensemble import format_outcome_table, run_ensemble
from negotiation_sim.ensemble.lock import locked
from negotiation_sim.ensemble.runner import fresh_seed
from negotiation_sim.ensemble.storage import write_source
from negotiation_sim.model import NegotiationModel
from negotiation_sim.scenario import load_scenario
from negotiation_sim.scenario.shipped import locate
from negotiation_sim.transcript import format_transcript, transcript_json


def add(commands: Any) -> None:
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
    add_scenario_file(run)
    add_seed(run)
    run.add_argument(
        "--rounds",
        type=round_count,
        default=None,
        metavar="N",
        help="override the deadline, one run only (default: the scenario's deadline)",
    )
    add_json(
        run,
        "the run with its seed, or with --runs N > 1 the outcome distribution, seed and backtest",
    )
    add_ensemble_options(run, runs=1, runs_help="runs (default 1: one run with its transcript)")
    run.add_argument(
        "--out",
        type=results_dir,
        default=None,
        metavar="DIR",
        help="with --runs N > 1: write results to DIR chunk by chunk as they finish; rerunning "
        "the same command after an interruption resumes; read back by `plot DIR`",
    )
    add_figure(
        run, "with --runs 1 the offer trajectories of the run, otherwise the outcome distribution"
    )
    run.set_defaults(handler=execute)


def execute(args: argparse.Namespace) -> int:
    """One run with its transcript, or an ensemble with its outcome table."""
    return _run_once(args) if args.runs == 1 else _run_ensemble(args)


def _run_once(args: argparse.Namespace) -> int:

    for option, value in (("--out", args.out), ("--scheduler", args.scheduler)):
        if value is not None:
            raise UserError(f"{option} needs --runs 2 or more; one run prints its transcript")
    scenario = load_scenario(args.file)
    seed = fresh_seed(args.seed)
    if args.seed is None:
        note(f"seed {seed} (give --seed {seed} to repeat this run)")
    model = NegotiationModel(scenario, rng=seed, rounds=args.rounds)
    model.run()
    if args.json:
        print_json({"seed": seed, **transcript_json(model)})
    else:
        print(format_transcript(model))
    if args.plot:  # after the results are out, so that a failed write loses none of them
        write_figure(plots_module().plot_trajectories(model), args.plot)
    return 0


def _run_ensemble(args: argparse.Namespace) -> int:

    if args.rounds is not None:
        raise UserError(
            "--rounds sets the deadline of one run; for an ensemble, sweep "
            "protocol.deadline or change the scenario file"
        )
    scenario = load_scenario(args.file)
    with cluster(args.scheduler) as client:
        ensemble = run_ensemble(
            scenario,
            runs=args.runs,
            seed=args.seed,
            workers=args.workers,
            client=client,
            progress=args.progress,
            out=args.out,
        )
    if args.json:
        print_json(ensemble_json(ensemble))
    else:
        print(format_outcome_table(ensemble))
    if args.out is not None:
        with locked(args.out):
            write_source(args.out, locate(args.file))
    if args.plot:
        write_figure(plots_module().plot_outcomes(ensemble), args.plot)
    return 0
