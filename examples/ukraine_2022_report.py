"""What the actors of the Ukraine 2022 scenario choose, and what their choices change.

In ``ukraine_2022.yaml`` Russia chooses its move into Belarus (a sunk cost) and whether
to leak the written replies (tying its hands), the US and NATO choose their deterrence
steps, and every actor learns from the others' moves. For ``--runs`` seeded runs this
prints:

1. the outcome distribution and the probability given to what happened (escalation);
2. for each chosen move, the share of runs in which it was made and its day (quartiles);
3. how much each move changes escalation: the ensemble against one in which that move
   is never worth making (a cost of 1, the whole utility scale; for the leak, a first
   day after the deadline), and chosen against scripted moves
   (``ukraine_2022_as_reported.yaml``), all under common random numbers;
4. the United States' belief in Russia's resolve, the probability it gives Russia's
   floor exceeding the most the West can offer: in round one and at the end of the
   talks, by outcome, against the share of runs in which that was true.

Run: ``python examples/ukraine_2022_report.py [--runs 2000] [--seed 2022]``.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np

from negotiation_sim import compare, load_scenario, model_of_run, run_ensemble
from negotiation_sim.ensemble import format_comparison, format_outcome_table
from negotiation_sim.model import LEAK_EVENT, NegotiationModel

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
UKRAINE = SCENARIOS / "ukraine_2022.yaml"
AS_REPORTED = SCENARIOS / "ukraine_2022_as_reported.yaml"
NEVER_LEAKS = {"protocol.leak.day": 42}  # the uncertain range's top: after the 30 days


def resolve(model: NegotiationModel) -> tuple[float, bool]:
    """The US's probability that Russia's floor exceeds the most the West can offer it, and
    whether it does (Russia's true floor against the same most, by the US's reading)."""
    us, russia = model.negotiators["United States"], model.negotiators["Russia"]
    most = us.most_offered(russia)
    belief = us.types["Russia"]
    floors = belief.floors(russia.apparent_war_value, russia.audience_cost)
    return float(belief.weights @ (floors > most)), russia.floor > most


def chosen_moves(model: NegotiationModel) -> dict[str, float]:
    """The day on which each chosen move of a finished run was made."""
    length = model.round_length
    return {name: r.round * length for r in model.transcript for name in r.choices}


def quartiles(days: list[float]) -> str:
    q1, q2, q3 = np.percentile(days, [25, 50, 75])
    return f"days {q1:g} / {q2:g} / {q3:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    scenario = load_scenario(UKRAINE)
    runs, seed = args.runs, args.seed

    print("1. Outcomes\n")
    print(format_outcome_table(run_ensemble(scenario, runs=runs, seed=seed, progress=False)))

    days: dict[str, list[float]] = defaultdict(list)
    beliefs: dict[str, list[tuple[float, float, bool]]] = defaultdict(list)
    for run in range(runs):
        model = model_of_run(scenario, seed, run, collect=False)
        first, _ = resolve(model)
        result = model.run()
        last, true = resolve(model)
        beliefs[result.outcome].append((first, last, true))
        for name, day in chosen_moves(model).items():
            days[name].append(day)

    print("\n2. Chosen moves: share of runs made, and the day (quartiles)\n")
    moves = [e.name for e in scenario.events if e.chosen_by is not None]
    for name in [*moves, LEAK_EVENT]:
        made = days.get(name, [])
        when = quartiles(made) if made else "never"
        print(f"  {name:<50}{len(made) / runs:>7.1%}   {when}")

    print("\n3. Escalation with each move and without it (common random numbers)\n")
    variants: dict[str, object] = {"moves chosen": scenario}
    variants.update({f"without: {name}": {f"events.{name}.cost": 1.0} for name in moves})
    variants["without: the leak"] = NEVER_LEAKS
    variants["moves scripted, as reported"] = AS_REPORTED
    print(format_comparison(compare(variants, runs=runs, seed=seed, progress=False)))

    print("\n4. The US's belief that Russia's floor is beyond what the West can offer\n")
    print(f"  {'outcome':<20}{'runs':>6}{'round one':>12}{'at the end':>12}{'true in':>10}")
    for outcome, rows in sorted(beliefs.items()):
        first, last, true = (np.mean(column) for column in zip(*rows, strict=True))
        print(f"  {outcome:<20}{len(rows):>6}{first:>12.2f}{last:>12.2f}{true:>10.0%}")


if __name__ == "__main__":
    main()
