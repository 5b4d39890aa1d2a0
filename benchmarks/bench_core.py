"""Speed of one negotiation, against the NegMAS 0.16 baseline figure.

Two workloads, each timed as the median over repeats of the mean time per run:

* ``ukraine``: one seeded run of scenarios/ukraine_2022.yaml (model construction
  included, no per-round data collection);
* ``negmas-like``: the NegMAS baseline negotiation (shared/notes/negmas-baseline.md):
  864 packages (six issues of 4, 4, 3, 3, 2 and 3 options), three parties with
  linear additive utilities, reservation values drawn in 0.2..0.6 and a strategy
  drawn from Boulware / linear / conceder per party and run, 100 rounds.

For reference NegMAS 0.16 takes about 34 ms per negotiation of the second kind on
these machines. The last line reads ``ms_per_run=<median ms per negmas-like run>``.

    python benchmarks/bench_core.py [--runs 200] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from negotiation_sim import NegotiationModel, load_scenario
from negotiation_sim.issues import Issue, Option, OutcomeSpace
from negotiation_sim.preferences import Preferences, normalised
from negotiation_sim.scenario import ActorSpec, Protocol, Scenario, StrategySpec

ROOT = Path(__file__).resolve().parent.parent
OPTION_COUNTS = (4, 4, 3, 3, 2, 3)
STRATEGIES = ("boulware", "linear", "conceder")


def negmas_like_space() -> OutcomeSpace:
    return OutcomeSpace(
        tuple(
            Issue(f"issue{i}", tuple(Option(f"o{k}", k / (n - 1)) for k in range(n)))
            for i, n in enumerate(OPTION_COUNTS)
        )
    )


def negmas_like_scenario(space: OutcomeSpace, rng: np.random.Generator) -> Scenario:
    """Fixed-shape random preferences; reservations and strategies drawn per run."""
    actors = []
    for name in ("US", "NATO", "Russia"):
        values = tuple(rng.random(n) for n in OPTION_COUNTS)
        prefs = Preferences(
            normalised(rng.random(len(OPTION_COUNTS))),
            values,
            reservation=float(rng.uniform(0.2, 0.6)),
        )
        strategy = StrategySpec(STRATEGIES[int(rng.integers(len(STRATEGIES)))])
        actors.append(ActorSpec(name, "Negotiator", prefs, strategy))
    return Scenario(
        "negmas-like", space, tuple(actors), Protocol(("US", "NATO", "Russia"), deadline=100)
    )


def time_per_run(make_and_run, runs: int, repeats: int) -> float:
    """Median over ``repeats`` of the mean seconds per run."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for seed in range(runs):
            make_and_run(seed)
        samples.append((time.perf_counter() - start) / runs)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    ukraine = load_scenario(ROOT / "scenarios" / "ukraine_2022.yaml")
    ukraine_s = time_per_run(
        lambda seed: NegotiationModel(ukraine, rng=seed, collect=False).run(),
        args.runs,
        args.repeats,
    )
    with_collection_s = time_per_run(
        lambda seed: NegotiationModel(ukraine, rng=seed).run(), args.runs // 4, args.repeats
    )

    space = negmas_like_space()
    scenarios = [negmas_like_scenario(space, np.random.default_rng(s)) for s in range(args.runs)]
    rounds = []

    def negmas_like(seed: int) -> None:
        rounds.append(NegotiationModel(scenarios[seed], rng=seed, collect=False).run().round)

    negmas_s = time_per_run(negmas_like, args.runs, args.repeats)
    results = [NegotiationModel(s, rng=i, collect=False).run() for i, s in enumerate(scenarios)]
    agreed = sum(r.package is not None for r in results) / len(results)

    print(
        f"ukraine: {ukraine_s * 1e3:.3f} ms/run without data collection, "
        f"{with_collection_s * 1e3:.3f} ms/run with the DataCollector"
    )
    print(
        f"negmas-like (864 packages, 3 parties, 100 rounds): {negmas_s * 1e3:.3f} ms/run, "
        f"agreement rate {agreed:.1%}, mean rounds {statistics.mean(r.round for r in results):.1f}"
    )
    print(f"NegMAS 0.16 reference: 34 ms/run -> ratio {34 / (negmas_s * 1e3):.0f}x")
    print(f"ms_per_run={negmas_s * 1e3:.3f}")


if __name__ == "__main__":
    main()
