"""Comparative statics of the Ukraine 2022 scenario: one assumption moved at a time.

It runs the scenario on the timeline as reported (``ukraine_2022_as_reported.yaml``), in
which the leak and the deployments come on their days, so that moving a day moves the
event; in ``ukraine_2022.yaml`` the actors choose them (see ``ukraine_2022_report.py``).
Each row compares the scenario with one value held low and high (or a strategy
swapped), under common random numbers, and prints the change in the escalation
share with its paired 95% interval (Newcombe 1998), beside the direction the
bargaining theory the model cites expects:

- more attacking force (border troops, Belarus) raises Russia's p and its value of war,
  so the range of deals it prefers to war shrinks: more war (Fearon 1995);
- a stronger defence lowers p: less war;
- noisier beliefs are more private information: more war (Fearon 1995);
- an early leak adds audience costs and a pretext: more war (Fearon 1994);
- earlier deterrence raises the cost of war sooner: less war;
- a Boulware (hard) Russia holds out longer, so a deal comes later and the hazard
  of war has longer to act: more war; a conceding one, less;
- the length of a round should not matter (time has a unit).

Run: ``python examples/comparative_statics.py [--runs 2000] [--seed 2022]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from negotiation_sim import compare, load_scenario
from negotiation_sim.ensemble import paired_difference_interval

UKRAINE = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine_2022_as_reported.yaml"
WAR = "actors.Russia.outside_option"
DEPLOY = "events.8,500 US troops join the NATO force.day"

# label, low variant, high variant, expected sign of (high - low) in escalation
ROWS = [
    ("border troops 80,000 -> 120,000", {f"{WAR}.border_troops": 80000},
     {f"{WAR}.border_troops": 120000}, "+"),
    ("Belarus troops 15,000 -> 45,000", {f"{WAR}.belarus_troops": 15000},
     {f"{WAR}.belarus_troops": 45000}, "+"),
    ("Ukraine's defence 125,000 -> 175,000", {f"{WAR}.defender_strength": 125000},
     {f"{WAR}.defender_strength": 175000}, "-"),
    ("belief noise 0.05 -> 0.20", {"beliefs.noise": 0.05}, {"beliefs.noise": 0.2}, "+"),
    ("leak on day 42 (never) -> day 6", {"protocol.leak.day": 42}, {"protocol.leak.day": 6}, "+"),
    ("8,500 deploy on day 24 -> day 7", {DEPLOY: 24}, {DEPLOY: 7}, "-"),
    ("Russia boulware -> conceder", {}, {"actors.Russia.strategy": "conceder"}, "-"),
    ("US linear -> boulware", {}, {"actors.United States.strategy": "boulware"}, "+"),
    ("rounds of 3 -> 6 days", {}, {"protocol.round_length": 6}, "0"),
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    base = load_scenario(UKRAINE)
    print(f"{args.runs:,} runs per variant, seed {args.seed}, common random numbers")
    print(f"{'moved':<40}{'escalation':>22}{'change (95%)':>28}   theory  agrees")
    for label, low, high, expected in ROWS:
        # A changed value is held only in a variant given as changes (the base draws it),
        # so a row with a low value runs the base too and compares the two variants.
        variants = {"low": low, "high": high} if low else {"high": high}
        comparison = compare({"base": base, **variants}, runs=args.runs, seed=args.seed)
        runs = dict(zip(comparison.labels, comparison.ensembles, strict=True))
        before = runs["low" if low else "base"].runs["outcome"].to_numpy() == "escalation"
        after = runs["high"].runs["outcome"].to_numpy() == "escalation"
        change, lo, hi = paired_difference_interval(before, after)
        sign = "+" if lo > 0 else "-" if hi < 0 else "0"
        print(
            f"{label:<40}{before.mean():>10.1%} -> {after.mean():<9.1%}"
            f"{100 * change:+7.1f} ({100 * lo:+.1f} to {100 * hi:+.1f})"
            f"      {expected:>2}     {'yes' if sign == expected else 'no'}"
        )


if __name__ == "__main__":
    main()
