"""How the cost of a negotiation grows: with packages, with parties, with rounds.

Each negotiation is a random scenario made as the NegMAS baseline's (see
``negmas_baseline.py``): linear additive utilities with random weights and option values,
reservation values in 0.2..0.6, a Boulware, linear or conceder strategy per party, the
generic ``Negotiator`` for every party. Each is played as a batch plays it (``simulate``:
the round engine, ``negotiation_sim.engine``). Set-up is making its ``Run`` (utilities,
red lines, rankings, beliefs, concession tables: all that is done once per run, on a
scenario whose utilities are not yet computed); run is ``Run.play()``. Each figure is the median
over ``--repeats`` scenarios (10^6 packages: one) of this process's CPU time, which other
work on a shared machine disturbs less than the wall clock.

    python benchmarks/bench_scaling.py [--repeats 5] [--write]

``--write`` puts the tables into benchmarks/README.md, between its scaling markers.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import time
from pathlib import Path

import numpy as np

from negotiation_sim.engine import Run
from negotiation_sim.issues import Issue, Option, OutcomeSpace
from negotiation_sim.preferences import Preferences, normalised
from negotiation_sim.scenario.types import ActorSpec, Protocol, Scenario, StrategySpec

README = Path(__file__).resolve().parent / "README.md"
BEGIN, END = "<!-- scaling tables: begin -->", "<!-- scaling tables: end -->"
STRATEGIES = ("boulware", "linear", "conceder")
OPTIONS = 10  # per issue: 10^k packages are k issues of 10 options


def scenario(packages: int, parties: int, rounds: int, seed: int) -> Scenario:
    """A random negotiation over ``packages`` packages (a power of ten)."""
    rng = np.random.default_rng(seed)
    issues = round(np.log10(packages))
    space = OutcomeSpace(
        tuple(
            Issue(f"issue{i}", tuple(Option(f"o{k}", k / (OPTIONS - 1)) for k in range(OPTIONS)))
            for i in range(issues)
        )
    )
    names = tuple(f"party{p}" for p in range(parties))
    actors = tuple(
        ActorSpec(
            name,
            "Negotiator",
            Preferences(
                normalised(rng.random(issues)),
                tuple(rng.random(OPTIONS) for _ in range(issues)),
                reservation=float(rng.uniform(0.2, 0.6)),
            ),
            StrategySpec(STRATEGIES[int(rng.integers(len(STRATEGIES)))]),
        )
        for name in names
    )
    return Scenario("scaling", space, actors, Protocol(names, deadline=rounds))


def measure(packages: int, parties: int, rounds: int, repeats: int) -> tuple[float, float, float]:
    """Median set-up and run seconds, and the median number of rounds played."""
    setups, runs, played = [], [], []
    for seed in range(repeats):
        negotiation = scenario(packages, parties, rounds, seed)
        gc.collect()  # the last run's arrays are freed now, not inside this set-up
        started = time.process_time()
        run = Run(negotiation, seed)
        ready = time.process_time()
        result = run.play()
        runs.append(time.process_time() - ready)
        setups.append(ready - started)
        played.append(result.round)
    return statistics.median(setups), statistics.median(runs), statistics.median(played)


def table(
    title: str, detail: str, header: str, rows: list[tuple[str, tuple[float, float, float]]]
) -> str:
    lines = [
        f"**{title}** ({detail})",
        "",
        f"| {header} | set-up (ms) | run (ms) | rounds played | run per round (µs) |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, (setup, run, played) in rows:
        per_round = run / max(played, 1) * 1e6
        lines.append(
            f"| {label} | {setup * 1e3:.2f} | {run * 1e3:.2f} | {played:g} | {per_round:.1f} |"
        )
    return "\n".join(lines)


def tables(repeats: int) -> str:
    by_packages = [
        (f"10^{k}", measure(10**k, 3, 100, 1 if k == 6 else repeats)) for k in range(2, 7)
    ]
    by_parties = [(str(n), measure(1000, n, 100, repeats)) for n in (2, 3, 4, 6, 8, 12)]
    by_rounds = [(str(r), measure(1000, 3, r, repeats)) for r in (10, 100, 1000)]
    return "\n\n".join(
        [
            table("Packages", "3 parties, 100 rounds", "packages", by_packages),
            table("Parties", "1,000 packages, 100 rounds", "parties", by_parties),
            table("Rounds", "1,000 packages, 3 parties; the deadline", "rounds", by_rounds),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args()
    text = tables(args.repeats)
    print(text)
    if args.write:
        readme = README.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{text}\n{END}"
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
        README.write_text(pattern.sub(lambda _: block, readme), encoding="utf-8")


if __name__ == "__main__":
    main()
