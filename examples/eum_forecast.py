"""Forecast one issue with the Expected Utility Model and plot positions by round.

Usage:
    python examples/eum_forecast.py [PNG] [--data CSV] [--rounds N] [--q Q]

The default data, examples/data/eum_example.csv, is an invented, purely illustrative table:
eight fictional parties to a river-basin water-sharing treaty, the issue being the share of
dry-season flow guaranteed downstream (0 = none, 100 = all). Capability, position and salience
numbers were made up for this example and describe no real actors.

The script prints the forecast trajectory (each actor's position per round) with the
capability-salience weighted mean and weighted median beside it, as the forecasting literature
recommends reporting those baselines, then writes a line plot to PNG (default eum_positions.png).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from negotiation_sim.eum import ExpectedUtilityModel

DEFAULT_DATA = Path(__file__).parent / "data" / "eum_example.csv"


def plot_positions(trajectory: pd.DataFrame, png: Path) -> None:
    """Positions by round, with the two baselines drawn dashed."""
    fig, ax = plt.subplots(figsize=(8, 5))
    for column in trajectory.columns:
        baseline = column in ("median", "mean")
        ax.plot(
            trajectory.index,
            trajectory[column],
            linestyle="--" if baseline else "-",
            linewidth=2.5 if baseline else 1.2,
            marker=None if baseline else "o",
            markersize=3,
            label=f"weighted {column}" if baseline else column,
        )
    ax.set_xlabel("round")
    ax.set_ylabel("position")
    ax.set_title("EUM forecast (Scholz et al. 2011 reconstruction)")
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("png", nargs="?", default="eum_positions.png", type=Path)
    parser.add_argument("--data", default=DEFAULT_DATA, type=Path)
    parser.add_argument("--rounds", default=8, type=int)
    parser.add_argument("--q", default=1.0, type=float)
    args = parser.parse_args()

    model = ExpectedUtilityModel.from_csv(args.data, q=args.q)
    model.run(rounds=args.rounds)
    trajectory = model.trajectory()
    print(f"EUM forecast for {args.data.name}, {args.rounds} rounds, {model.conventions}")
    print(trajectory.round(1).to_string())
    final = trajectory.iloc[-1]
    print(f"\nround {args.rounds}: weighted median {final['median']:.1f}, mean {final['mean']:.1f}")
    plot_positions(trajectory, args.png)
    print(f"plot written to {args.png}")


if __name__ == "__main__":
    main()
