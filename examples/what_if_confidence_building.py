"""What were the West's confidence-building proposals worth to the chance of a deal in 2022?

Usage:
    python examples/what_if_confidence_building.py [--runs N] [--seed S] [--workers K] [--out PNG]

Runs the Ukraine 2022 scenario and its counterfactual without the arms-control, hotline and
exercise-transparency proposals (scenarios/ukraine_2022_no_confidence_building.yaml) with
common random numbers: run i of both uses the same seed and the same draws of every uncertain
value, so the two differ only by the proposals. Prints the outcome shares side by side and
each change with its paired 95% interval, and writes a grouped bar chart.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no window: the figure goes to a file

from negotiation_sim import plots
from negotiation_sim.ensemble import compare, format_comparison

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="runs per scenario")
    parser.add_argument("--seed", type=int, default=2022, help="same seed, same results")
    parser.add_argument("--workers", type=int, default=None, help="default: all cores")
    parser.add_argument("--out", type=Path, default=Path("what_if_confidence_building.png"))
    args = parser.parse_args()

    # The first scenario is the base; the labels name the bars and the table's columns.
    comparison = compare(
        {
            "with proposals (as in 2022)": SCENARIOS / "ukraine_2022.yaml",
            "without proposals": SCENARIOS / "ukraine_2022_no_confidence_building.yaml",
        },
        runs=args.runs,
        seed=args.seed,
        workers=args.workers,
    )
    print(format_comparison(comparison))

    # The same numbers as DataFrames, for further work: shares side by side, and
    # differences from the base with their paired (Newcombe 1998) intervals.
    without = comparison.differences().loc["without proposals"]
    significant = without[(without["low"] > 0) | (without["high"] < 0)]
    print(f"\noutcomes whose share changes significantly: {', '.join(significant.index) or 'none'}")

    ax = plots.plot_comparison(comparison)
    plots.save(ax, args.out)
    print(f"figure written to {args.out}")


if __name__ == "__main__":
    main()
