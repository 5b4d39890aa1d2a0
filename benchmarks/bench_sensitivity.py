"""Time of a sensitivity analysis of the Ukraine scenario, at 1 and 2 workers.

    python benchmarks/bench_sensitivity.py [--method sobol] [--runs 6000] [--repeats 3]

Prints, per worker count, the median wall time of the whole call (design, runs including
the start of the worker pool, and the indices of every output) and its model runs per
second; then the time of the indices alone (SALib's estimators and their bootstrap) on
the last call's runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from negotiation_sim.ensemble import sensitivity
from negotiation_sim.ensemble.indices import analyse
from negotiation_sim.ensemble.sensitivity import output_values, outputs_of
from negotiation_sim.scenario import load_scenario

UKRAINE = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine_2022.yaml"
SEED = 2022


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", default="sobol", choices=("sobol", "morris"))
    parser.add_argument("--runs", type=int, default=6000, help="the run budget")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    scenario = load_scenario(UKRAINE)
    for workers in (1, 2):
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            result = sensitivity(
                scenario, args.method, args.runs, SEED, workers=workers, progress=False
            )
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print(
            f"{args.method}, {result.runs:,} runs, {workers} worker(s): {median:.1f} s "
            f"({result.runs / median:,.0f} runs/s, median of {args.repeats})"
        )
    outputs = outputs_of(scenario)
    started = time.perf_counter()
    for output in outputs:
        values = output_values(result.ensemble.runs, output)
        analyse(result.design, values, np.random.default_rng(1))
    print(f"indices of {len(outputs)} outputs alone: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
