"""Plug a user-defined actor class and strategy into a scenario, without editing the library.

* ``DeadlineFolder``: a strategy that holds out for its best package until 80 %
  of the talks have passed, then drops straight to its floor.
* ``CautiousRussia``: a Russia that walks out only when war beats negotiating by a
  clear margin (say, because it fears the uncertainty of war more than our
  default Russia does).

Both are registered by name, then selected in the Ukraine scenario by path,
exactly as a scenario file would name them (``class: CautiousRussia``,
``strategy: deadline_folder``).

    python examples/custom_actor.py [--runs 200]
"""

import argparse
from collections import Counter
from pathlib import Path

from negotiation_sim import (
    ACTOR_CLASSES,
    STRATEGIES,
    Russia,
    Strategy,
    load_scenario,
    simulate,
    with_changes,
)

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine_2022.yaml"


@STRATEGIES.register("deadline_folder")
class DeadlineFolder(Strategy):
    """Hold out for the best package, then fold to the floor late in the talks."""

    def __init__(self, fold_at: float = 0.8) -> None:
        self.fold_at = fold_at

    def target(self, me, t):
        return me.best if t < self.fold_at else me.floor


@ACTOR_CLASSES.register("CautiousRussia")
class CautiousRussia(Russia):
    """Russia, but it escalates only when war beats negotiating by more than ``MARGIN``."""

    MARGIN = 0.05

    def escalation_pressure(self, ahead):
        return super().escalation_pressure(ahead) - self.MARGIN


def outcome_shares(scenario, runs):
    counts = Counter(simulate(scenario, seed).outcome for seed in range(runs))
    return {outcome: counts[outcome] / runs for outcome in sorted(counts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    base = load_scenario(SCENARIO)
    custom = with_changes(
        base,
        {
            "actors.Russia.class": "CautiousRussia",
            "actors.United States.strategy": "deadline_folder",
        },
    )
    print(
        f"Russia played by {custom.actor('Russia').actor_class}, "
        f"the US by strategy {custom.actor('United States').strategy.name}"
    )
    for label, scenario in (("as shipped", base), ("customised", custom)):
        shares = ", ".join(f"{k} {v:.0%}" for k, v in outcome_shares(scenario, args.runs).items())
        print(f"{label:>11}: {shares}")


if __name__ == "__main__":
    main()
