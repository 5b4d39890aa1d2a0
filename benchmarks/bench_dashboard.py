"""Speed of the dashboard in a real browser (Debian's headless Chromium, driven by Playwright):
cold start to the first rendered page, the round trip of a Step click, and an ensemble run
from the page against the same ``run_ensemble`` call in Python.

    python benchmarks/bench_dashboard.py [--repeats 3] [--runs 1000]

Needs the test and dashboard extras, the front-end files and /usr/bin/chromium (``make test``
sets them up). Each number is the median of ``--repeats``. Cold start runs from starting
``negotiation-sim dashboard`` to the first plot drawn in a browser that was already running
(a new server each time; its Python imports are warm in the OS's file cache after the first).
A Step round trip is a click until the page shows the next round: the model's step, the
transcript and the plot drawn again, sent and shown. The page's ensemble is timed from the
click on "Run ensemble" to its outcome table.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from negotiation_sim.dashboard.browser import (
    chromium,
    open_page,
    outcome,
    reset,
    run_ensemble_in_page,
    served,
    step,
)
from negotiation_sim.ensemble import run_ensemble
from negotiation_sim.scenario import load_scenario

SCENARIO = "ukraine_2022"
PAGE_SEED = 2022  # the seed the page starts with


def timed(action: Callable[..., object], *args: object, **kwargs: object) -> float:
    """Seconds that ``action(*args, **kwargs)`` takes."""
    start = time.perf_counter()
    action(*args, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    scenario = load_scenario(SCENARIO)
    cold: list[float] = []
    up: list[float] = []
    steps: list[float] = []
    page_ensemble: dict[int, list[float]] = {1: [], 2: []}
    with chromium() as browser, tempfile.TemporaryDirectory() as scratch:
        for repeat in range(args.repeats):
            start = time.perf_counter()
            with served(SCENARIO, Path(scratch, f"server-{repeat}.log")) as url:
                up.append(time.perf_counter() - start)
                page = open_page(browser, url)
                cold.append(time.perf_counter() - start)
                reset(page)
                while "Outcome:" not in outcome(page):
                    steps.append(timed(step, page))
                for workers, times in page_ensemble.items():
                    times.append(timed(run_ensemble_in_page, page, args.runs, workers))
                page.context.close()
    python = {
        workers: [
            timed(run_ensemble, scenario, args.runs, PAGE_SEED, workers=workers, progress=False)
            for _ in range(args.repeats)
        ]
        for workers in page_ensemble
    }
    median = statistics.median
    print(f"dashboard of {SCENARIO}, medians of {args.repeats} repeats")
    print(f"cold start to the first rendered page   {median(cold):6.2f} s")
    print(f"  of which the server's start           {median(up):6.2f} s")
    print(f"Step click round trip ({len(steps)} clicks)      {1000 * median(steps):6.0f} ms")
    for workers, times in page_ensemble.items():
        print(
            f"{args.runs:,}-run ensemble, {workers} worker(s): page {median(times):6.2f} s, "
            f"Python {median(python[workers]):6.2f} s"
        )


if __name__ == "__main__":
    main()
