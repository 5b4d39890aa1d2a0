"""How does the chance of escalation depend on what Russia expected a war to cost it?

Usage:
    python examples/sensitivity_war_cost.py [--runs N] [--seed S] [--workers K] [--out PNG]

Sweeps Russia's base cost of war (sanctions and losses, on the 0..1 utility scale of the
scenario; the file's value is 0.05 and its uncertainty section draws it from 0.02 to 0.12)
from 0 to 0.3. At each value the Ukraine 2022 ensemble runs ``--runs`` times with the cost
held there and everything else uncertain drawn as usual, with the same seeds at every value
(common random numbers), so the curves move only with the cost. Prints the outcome shares per
value and writes the shares with their 95% interval bands.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")  # no window: the figure goes to a file

from negotiation_sim import plots
from negotiation_sim.ensemble import sweep
from negotiation_sim.model import OUTCOMES

UKRAINE = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine_2022.yaml"
WAR_COST = "actors.Russia.outside_option.base_cost"  # a dotted path into the scenario file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="runs per swept value (7 values)")
    parser.add_argument("--seed", type=int, default=2022, help="same seed, same results")
    parser.add_argument("--workers", type=int, default=None, help="default: all cores")
    parser.add_argument("--out", type=Path, default=Path("sensitivity_war_cost.png"))
    args = parser.parse_args()

    costs = np.round(np.linspace(0.0, 0.3, 7), 3).tolist()
    table = sweep(
        UKRAINE, {WAR_COST: costs}, runs_per_point=args.runs, seed=args.seed, workers=args.workers
    )

    # One row per swept value: the value, the runs, and per outcome its share (a column named
    # by the outcome) with the 95% Wilson interval in <outcome>_low and <outcome>_high.
    shares = table.set_index(WAR_COST)[list(OUTCOMES)].mul(100).round(1)
    shares.columns = [f"{o.replace('_', ' ')} %" for o in OUTCOMES]
    shares.index.name = "base cost of war"
    print(f"outcome shares by Russia's base cost of war ({args.runs:,} runs per value)")
    print(shares.to_string())

    ax = plots.plot_sensitivity(table, WAR_COST)
    ax.set_xlabel("Russia's base cost of war (utility, 0..1 scale)")
    plots.save(ax, args.out)
    print(f"figure written to {args.out}")


if __name__ == "__main__":
    main()
