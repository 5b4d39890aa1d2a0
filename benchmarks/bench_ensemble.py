"""Speed and memory of Ukraine ensembles: runs/s against the bare model, runs/s at 1 and 2
workers, and the peak memory of ensembles written to disk as they grow.

    python benchmarks/bench_ensemble.py [--runs 2000] [--repeats 3] [--memory 20000,100000]

Runs/s are medians of several repeats in this process, each including the
start of its worker pool. Three rates are timed in turns, so that all see the same load:
the bare model (``NegotiationModel(scenario, rng=seed, collect=False).run()`` on the file's
own values), the model on the very runs of the ensemble, and a 1-worker ensemble.

The model on the ensemble's runs is what the runs themselves cost, since the drawn values
change how long talks last: each run's drawn values are applied beforehand, untimed, and
the run then works out its scenario's utilities, as the first run of any scenario does
(the bare model's runs share those of the file's values; an ensemble's runs cannot). The
issue's goal is the ensemble within 20% of the model's runs per second on the same runs:
the work outside the model under 20% of an ensemble's run. Peak memory is sampled
every 20 ms over the whole process tree (this process, the forkserver and its workers;
Linux /proc), in a fresh process per size, so that a flat curve means the results stream
to disk.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from negotiation_sim import NegotiationModel
from negotiation_sim.ensemble import run_ensemble
from negotiation_sim.ensemble.runner import Job
from negotiation_sim.scenario import load_scenario, uncertainty_of
from negotiation_sim.scenario.apply import Changer

UKRAINE = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine_2022.yaml"
SEED = 2022


def runs_per_second(runs: int, workers: int, repeats: int) -> float:
    scenario = load_scenario(UKRAINE)
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        run_ensemble(scenario, runs, SEED, workers=workers, progress=False)
        rates.append(runs / (time.perf_counter() - started))
    return statistics.median(rates)


def against_bare(runs: int, repeats: int) -> tuple[float, float, float, float]:
    """Runs/s of the bare model on the base scenario, of the model on the ensemble's own runs
    and of a 1-worker ensemble, timed in turns: medians; and the median of the ensemble's
    rate over the model's within each repeat (paired, so that a machine whose speed drifts
    compares like with like)."""
    scenario = load_scenario(UKRAINE)
    job = Job(scenario, uncertainty_of(scenario))
    inputs = [job.inputs(SEED, run) for run in range(runs)]
    changer = Changer(scenario, job.drawn_paths)
    # A copy of each run's scenario keeps none of the utilities the Changer's checks worked
    # out: the timed run computes them again.
    own_runs = [(dataclasses.replace(changer.apply(drawn)), seed) for seed, drawn in inputs]
    bare, own, ensemble = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        for seed in range(runs):
            NegotiationModel(scenario, rng=seed, collect=False).run()
        bare.append(runs / (time.perf_counter() - started))
        started = time.perf_counter()
        for drawn, seed in own_runs:
            NegotiationModel(drawn, rng=seed, collect=False).run()
        own.append(runs / (time.perf_counter() - started))
        started = time.perf_counter()
        run_ensemble(scenario, runs, SEED, workers=1, progress=False)
        ensemble.append(runs / (time.perf_counter() - started))
    paired = statistics.median(e / o for e, o in zip(ensemble, own, strict=True))
    return statistics.median(bare), statistics.median(own), statistics.median(ensemble), paired


def _tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in KiB."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
    return total


def memory_of_one_ensemble(runs: int) -> None:
    """Run one ensemble to a fresh directory and print its time and peak memory (MiB)."""
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(os.getpid()))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        ensemble = run_ensemble(UKRAINE, runs, SEED, workers=2, progress=False, out=out)
        elapsed = time.perf_counter() - started
        frame_mib = ensemble.runs.memory_usage(deep=True).sum() / 2**20
    done.set()
    sampler.join()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{runs} {elapsed:.1f} {peak / 1024:.0f} {own:.0f} {frame_mib:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="runs per timing (default 2000)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory", default="20000,100000", help="ensemble sizes, comma-separated")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a memory measurement
    parser.add_argument("--bare-only", action="store_true", help="only the bare comparison")
    args = parser.parse_args()
    if args.one:
        memory_of_one_ensemble(args.one)
        return

    bare, own, alone, paired = against_bare(args.runs, args.repeats)
    print(
        f"bare model: {bare:7.0f} runs/s, the model on the ensemble's runs {own:7.0f} runs/s, "
        f"1-worker ensemble {alone:7.0f} runs/s (timed in turns): the ensemble at "
        f"{alone / bare:.0%} of the bare rate and {alone / own:.0%} of the model's on its "
        f"runs ({paired:.0%} by the median of paired repeats); its work outside the model "
        f"{1 - paired:.0%} of an ensemble's run (goal: under 20%)"
    )
    if args.bare_only:
        return
    serial = runs_per_second(args.runs, 1, args.repeats)
    parallel = runs_per_second(args.runs * 2, 2, args.repeats)
    print(f"1 worker : {serial:7.0f} runs/s (median of {args.repeats} x {args.runs} runs)")
    print(
        f"2 workers: {parallel:7.0f} runs/s (median of {args.repeats} x {2 * args.runs} runs, "
        f"pool start included); speedup {parallel / serial:.2f}x"
    )
    started = time.perf_counter()
    run_ensemble(UKRAINE, 10_000, SEED, workers=2, progress=False)
    ten_k = time.perf_counter() - started
    print(f"10,000 runs on 2 workers: {ten_k:.1f} s")

    peaks = []
    for runs in (int(n) for n in args.memory.split(",")):
        line = subprocess.run(
            [sys.executable, __file__, "--one", str(runs)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        size, seconds, tree, own, frame = line
        peaks.append((int(size), float(tree)))
        print(
            f"{int(size):>7,} runs to out: {seconds} s, peak {tree} MiB over the process tree, "
            f"{own} MiB in the main process (its final DataFrame: {frame} MiB)"
        )
    memory = ", ".join(f"{n:,} runs {mib:.0f} MiB" for n, mib in peaks)
    print(
        f"SUMMARY: {serial:.0f} runs/s at 1 worker, {parallel:.0f} at 2 "
        f"({parallel / serial:.2f}x); 10k runs {ten_k:.1f} s; peak memory {memory}"
    )


if __name__ == "__main__":
    main()
