"""Run the Ukraine 2022 scenario once, as a library user would.

Loads the scenario file, plays one seeded negotiation, prints the round-by-round
transcript, then the per-round data Mesa's DataCollector recorded.

    python examples/run_ukraine_2022.py [--seed 2022]
"""

import argparse
from pathlib import Path

import pandas as pd

from negotiation_sim import NegotiationModel, format_transcript, load_scenario

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine_2022.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()

    scenario = load_scenario(SCENARIO)
    model = NegotiationModel(scenario, rng=args.seed)
    result = model.run()
    print(format_transcript(model))

    # One row per round and actor: its offer (package index), its target utility,
    # and what that offer is worth to every actor.
    offers = model.datacollector.get_agent_vars_dataframe()
    with pd.option_context("display.width", 120, "display.max_columns", 10):
        print("\nDataCollector, agent variables:")
        print(offers.round(3).to_string())
        print("\nDataCollector, model variables:")
        print(model.datacollector.get_model_vars_dataframe().round(3).to_string())
    print(f"\nResult: {result.outcome} in round {result.round}")


if __name__ == "__main__":
    main()
