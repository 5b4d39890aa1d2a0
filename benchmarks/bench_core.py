"""Speed of one negotiation: the Ukraine scenario, and the NegMAS baseline negotiation.

* ``ukraine``: one seeded run of scenarios/ukraine_2022.yaml (model construction
  included), without and with per-round data collection, and without data collection
  by the numpy code alone (as ``NEGOTIATION_SIM_NO_NUMBA=1`` runs it);
* the NegMAS baseline negotiation (see ``negmas_baseline.py``: 864 packages,
  three parties, Boulware / linear / conceder, 100 rounds), building its
  scenario and running it, every run with fresh draws: played by the agent
  model (``NegotiationModel(...).run()``) and as a batch plays it (``simulate``,
  the round engine of ``negotiation_sim.engine``), with the numba kernels of
  ``negotiation_sim.kernels`` (if numba is installed) and by the numpy code alone.

Each figure is the median over repeats of the mean time per run. The last line
reads ``ms_per_run=<median ms per baseline negotiation by simulate>``, with the kernels
if they are on (the first line says). For the ratio to
NegMAS measured in one process, see ``bench_vs_negmas.py``.

    python benchmarks/bench_core.py [--runs 200] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from negmas_baseline import ours, ours_agent_model, seconds_per_run

from negotiation_sim import NegotiationModel, kernels, load_scenario

ROOT = Path(__file__).resolve().parent.parent


def ukraine_ms(runs: int, repeats: int, collect: bool) -> float:
    scenario = load_scenario(ROOT / "scenarios" / "ukraine_2022.yaml")
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for seed in range(runs):
            NegotiationModel(scenario, rng=seed, collect=collect).run()
        samples.append((time.perf_counter() - start) / runs * 1e3)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    compiled = kernels.COMPILED
    print(
        f"numba kernels: {'on' if compiled else 'off (numba missing or NEGOTIATION_SIM_NO_NUMBA)'}"
    )
    bare = ukraine_ms(args.runs, args.repeats, collect=False)
    collected = ukraine_ms(args.runs // 4, args.repeats, collect=True)
    print(f"ukraine: {bare:.3f} ms/run without data collection, {collected:.3f} with it")
    kernels.COMPILED = False
    plain = ukraine_ms(args.runs, args.repeats, collect=False)
    print(f"  numpy alone: {plain:.3f} ms/run without data collection")
    print("NegMAS baseline negotiation (864 packages, 3 parties, 100 rounds):")
    model_seconds, model_agreed = seconds_per_run(ours_agent_model, args.runs, args.repeats)
    print(f"  agent model:          {model_seconds * 1e3:.3f} ms/run, agreement {model_agreed:.0%}")
    numpy_seconds, numpy_agreed = seconds_per_run(ours, args.runs, args.repeats)
    print(f"  simulate, numpy:      {numpy_seconds * 1e3:.3f} ms/run, agreement {numpy_agreed:.0%}")
    kernels.COMPILED = compiled
    seconds, agreed = seconds_per_run(ours, args.runs, args.repeats)
    print(f"  simulate, as set up:  {seconds * 1e3:.3f} ms/run, agreement {agreed:.0%}")
    print(f"ms_per_run={seconds * 1e3:.3f}")


if __name__ == "__main__":
    main()
