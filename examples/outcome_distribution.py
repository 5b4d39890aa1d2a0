"""How likely is each outcome of the Ukraine 2022 talks, given what the scenario leaves uncertain?

Usage:
    python examples/outcome_distribution.py [--runs N] [--seed S] [--workers K] [--out PNG]

Each run draws its own values for everything the scenario file marks as uncertain (its
``uncertain:`` section) and plays the talks to an end. The script prints the share of each
outcome with its 95% interval, the probability the model gave to what actually happened (the
scenario records it: escalation on 24 February 2022), and writes the outcome bar chart.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no window: the figure goes to a file

from negotiation_sim import agreement_distances, plots
from negotiation_sim.ensemble import format_outcome_table, run_ensemble
from negotiation_sim.scenario import load_scenario

UKRAINE = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine_2022.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=UKRAINE)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2022, help="same seed, same results")
    parser.add_argument("--workers", type=int, default=None, help="default: all cores")
    parser.add_argument("--out", type=Path, default=Path("outcomes.png"))
    args = parser.parse_args()

    scenario = load_scenario(args.scenario)
    ensemble = run_ensemble(scenario, runs=args.runs, seed=args.seed, workers=args.workers)

    # One line per outcome: runs, share and the 95% (Wilson) interval of that share; then the
    # probability the model gave to what happened. That is a check to read, not a target:
    # nothing in the scenario is tuned to make it come out high.
    print(format_outcome_table(ensemble))

    # ensemble.runs is a plain DataFrame, one row per run: the values drawn, outcome, round,
    # agreed option per issue (term_<issue>) and each actor's utility. For example, when
    # do the talks end?
    rounds = ensemble.runs.groupby("outcome")["round"].agg(["count", "min", "median", "max"])
    print("\nround the talks ended, by outcome:")
    print(rounds.to_string())

    # How far did the agreements (full and partial, as the figures count them) fall from the
    # Nash bargaining point and the Pareto frontier? Distances in utility space, measured
    # with the scenario's stated preferences (each run's drawn values aside). A deal that
    # moves nothing off the status quo has terms too, but counts as a stalemate.
    issues = scenario.space.issue_names
    agreed = ensemble.runs[ensemble.runs["outcome"].isin(plots.AGREEMENTS)]
    packages = [
        scenario.space.index_of({name: row[f"term_{name}"] for name in issues})
        for _, row in agreed.iterrows()
    ]
    distances = agreement_distances(scenario, packages)
    print(f"\nagreements: distance to the Nash point and the Pareto frontier ({len(packages)}):")
    print(distances[["nash", "pareto"]].describe().loc[["mean", "50%", "max"]].round(3).to_string())

    ax = plots.plot_outcomes(ensemble)  # marks the observed outcome when the scenario has one
    plots.save(ax, args.out)
    print(f"figure written to {args.out}")


if __name__ == "__main__":
    main()
