"""This checkout's speed against an earlier git revision, measured in one call.

Runs ``bench_core.py`` of this checkout and of ``REV`` (checked out in a temporary git
worktree, using this checkout's installed dependencies) in turns, ``--rounds`` times,
so that both see the same machine load, and prints each figure's median and the ratio
(this checkout / REV; above 1 is slower), and the range and median of the ratios of the
two measurements taken one after the other.

On a machine whose load swings by tens of per cent within a minute, measurements half a
minute apart still differ by that much. So the Ukraine runs are also timed in one
process: ``REV``'s package is imported beside this checkout's, under another name (a copy
whose imports of ``negotiation_sim`` are renamed), and the two play the same seeds in
alternating batches of ``--batch`` runs, each taking the lead in turn. The median of those
paired ratios, with its quartiles, is the steadier figure. The same is done for 1-worker
ensembles of ``--ensemble-batch`` runs (``run_ensemble``, each run with its own drawn
values, as the README's main job plays them): an ensemble's draws change Russia's
preferences in every run, so what a run's set-up finds kept from the last one differs
from the bare runs of one scenario, where everything shared is found again.

    python benchmarks/compare_revisions.py REV [--rounds 5] [--runs 200] [--batch 25]
        [--ensemble-batch 100]
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
FIGURES = {
    "ukraine ms/run": re.compile(r"ukraine: ([\d.]+) ms/run"),
    "baseline ms/run": re.compile(r"ms_per_run=([\d.]+)"),
}


def measure(tree: Path, runs: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}  # that tree's package, these dependencies
    out = subprocess.run(
        [sys.executable, str(tree / "benchmarks" / "bench_core.py"), "--runs", str(runs)],
        capture_output=True, text=True, check=True, env=env, cwd=tree / "benchmarks",
    ).stdout  # fmt: skip
    return {name: float(pattern.search(out).group(1)) for name, pattern in FIGURES.items()}


def renamed_copy(tree: Path, name: str, scratch: Path) -> ModuleType:
    """``tree``'s package, copied into ``scratch`` as the package ``name`` (every identifier
    ``negotiation_sim`` in its Python files renamed) and imported."""
    copy = scratch / name
    shutil.copytree(tree / "negotiation_sim", copy, ignore=shutil.ignore_patterns("__pycache__"))
    identifier = re.compile(r"\bnegotiation_sim\b")
    for source in copy.rglob("*.py"):
        source.write_text(identifier.sub(name, source.read_text()))
    sys.path.insert(0, str(scratch))
    return importlib.import_module(name)


def packages(rev_tree: Path, scratch: Path) -> list[tuple[ModuleType, object]]:
    """This checkout's package and ``rev_tree``'s (renamed), each with its Ukraine scenario."""
    sys.path.insert(0, str(ROOT))
    now = importlib.import_module("negotiation_sim")
    rev = renamed_copy(rev_tree, "negotiation_sim_rev", scratch)
    return [
        (package, package.load_scenario(tree / "scenarios" / "ukraine_2022.yaml"))
        for package, tree in ((now, ROOT), (rev, rev_tree))
    ]


def bare_runs(package: ModuleType, scenario: object, seeds: range) -> None:
    for seed in seeds:
        package.NegotiationModel(scenario, rng=seed, collect=False).run()


def ensemble(package: ModuleType, scenario: object, seeds: range) -> None:
    """A 1-worker ensemble of as many runs as ``seeds``, seeded by the first: each run with
    its own drawn values, as the README's main job plays them."""
    package.run_ensemble(scenario, len(seeds), seeds.start, workers=1, progress=False)


def interleaved(
    played: list[tuple[ModuleType, object]],
    play: Callable[[ModuleType, object, range], None],
    runs: int,
    batch: int,
    rounds: int,
) -> list[float]:
    """Paired ratios (this checkout / the revision) of ms per Ukraine run as ``play`` plays
    them, in this process: seeds 0 to ``runs - 1`` in batches of (at most) ``batch`` runs,
    the two packages alternating per batch, ``rounds`` times over, the one that goes first
    changing each time."""

    def ms(which: int, first: int) -> float:
        package, scenario = played[which]
        seeds = range(first, min(first + batch, runs))
        start = time.perf_counter()
        play(package, scenario, seeds)
        return (time.perf_counter() - start) / len(seeds) * 1e3

    for first in range(0, runs, batch):  # warm-up, the kernels' compilation included
        ms(0, first)
        ms(1, first)
    ratios = []
    for round_ in range(rounds):
        for first in range(0, runs, batch):
            if round_ % 2:
                rev_ms, now_ms = ms(1, first), ms(0, first)
            else:
                now_ms, rev_ms = ms(0, first), ms(1, first)
            ratios.append(now_ms / rev_ms)
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="git revision to compare with, e.g. HEAD~3 or a hash")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--batch", type=int, default=25, help="runs per batch in one process")
    parser.add_argument(
        "--ensemble-batch", type=int, default=100, help="runs per ensemble in one process"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        before = Path(scratch) / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before), args.rev],
            check=True, capture_output=True,
        )  # fmt: skip
        try:
            samples: dict[str, list[dict[str, float]]] = {"now": [], "rev": []}
            for _ in range(args.rounds):
                samples["rev"].append(measure(before, args.runs))
                samples["now"].append(measure(ROOT, args.runs))
            played = packages(before, Path(scratch))
            ratios = {
                f"ukraine ms/run in one process, batches of {args.batch} runs": interleaved(
                    played, bare_runs, args.runs, args.batch, args.rounds
                ),
                f"ukraine ensembles (1 worker) in one process, batches of {args.ensemble_batch} "
                "runs": interleaved(played, ensemble, args.runs, args.ensemble_batch, args.rounds),
            }
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)],
                check=True, capture_output=True,
            )  # fmt: skip
    for name in FIGURES:
        now = statistics.median(s[name] for s in samples["now"])
        rev = statistics.median(s[name] for s in samples["rev"])
        pairs = zip(samples["now"], samples["rev"], strict=True)
        paired = sorted(n[name] / r[name] for n, r in pairs)
        print(
            f"{name}: {args.rev} {rev:.3f}, now {now:.3f}, ratio {now / rev:.2f}; paired "
            f"ratios {paired[0]:.2f} to {paired[-1]:.2f}, median {statistics.median(paired):.2f}"
        )
    for name, paired_ratios in ratios.items():
        low, middle, high = statistics.quantiles(paired_ratios)
        print(
            f"{name} ({len(paired_ratios)} pairs): ratio median {middle:.3f}, quartiles "
            f"{low:.3f} to {high:.3f}"
        )


if __name__ == "__main__":
    main()
