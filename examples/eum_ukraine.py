"""Forecast each issue of the Ukraine 2022 scenario with the Expected Utility Model.

Usage:
    python examples/eum_ukraine.py [--scenario YAML] [--rounds N] [--out PNG]

Each issue becomes one EUM dimension (see ``negotiation_sim.eum.from_scenario``): the actors'
ideal options are their positions and their weights their saliences. Capabilities are not in
the scenario; this script assumes them equal, which is a choice of ours, not a finding.
It prints every contested issue's trajectory (positions by round, with the weighted median
and mean baselines), then the forecast table, and plots positions by round to a PNG.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from negotiation_sim.eum import forecast_table, issue_models
from negotiation_sim.scenario import load_scenario

DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine_2022.yaml"


def plot_positions(trajectories: dict[str, pd.DataFrame], png: Path) -> None:
    """One panel per issue: each actor's position by round, the weighted median dashed."""
    fig, _ = plt.subplots(len(trajectories), 1, figsize=(7, 2.2 * len(trajectories)))
    for ax, (issue, trajectory) in zip(fig.axes, trajectories.items(), strict=True):
        for column in trajectory.columns.drop(["median", "mean"]):
            ax.plot(trajectory.index, trajectory[column], marker="o", markersize=3, label=column)
        ax.plot(trajectory.index, trajectory["median"], "k--", label="weighted median")
        ax.set_title(issue, fontsize="medium")
        ax.set_ylim(-0.05, 1.05)
        ax.set_ylabel("position")
    fig.axes[-1].set_xlabel("round")
    fig.axes[0].legend(fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.suptitle("EUM forecast per issue (equal capabilities assumed)")
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=DEFAULT_SCENARIO, type=Path)
    parser.add_argument("--rounds", default=8, type=int)
    parser.add_argument("--out", default="eum_ukraine.png", type=Path)
    args = parser.parse_args()

    scenario = load_scenario(args.scenario)
    models = issue_models(scenario)
    trajectories = {}
    for issue, model in models.items():
        model.run(args.rounds)
        trajectories[issue] = model.trajectory()
        print(f"\n{issue}: positions by round (0 = ideal positions)")
        print(trajectories[issue].round(2).to_string())
    print(f"\nForecast after {args.rounds} rounds (option nearest the weighted median):")
    print(forecast_table(scenario, models).round(2).to_string())
    plot_positions(trajectories, args.out)
    print(f"\nplot written to {args.out}")


if __name__ == "__main__":
    main()
