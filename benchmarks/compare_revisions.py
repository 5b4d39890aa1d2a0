"""This checkout's speed against an earlier git revision, measured in one call.

Runs ``bench_core.py`` of this checkout and of ``REV`` (checked out in a temporary git
worktree, using this checkout's installed dependencies) in turns, ``--rounds`` times,
so that both see the same machine load, and prints each figure's median and the ratio
(this checkout / REV; above 1 is slower), and the range and median of the ratios of the
two measurements taken one after the other (on a machine whose load swings, these pairs
share it best).

    python benchmarks/compare_revisions.py REV [--rounds 5] [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="git revision to compare with, e.g. HEAD~3 or a hash")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=200)
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


if __name__ == "__main__":
    main()
