"""The NegMAS baseline negotiation, run by NegMAS and by negotiation-sim in one process.

See ``negmas_baseline.py`` for the negotiation; both libraries get the very
same draws for each seed. Reported: the median over repeats of the mean time
per negotiation (building and running it), and, as the last line, the ratio of the two
libraries: ``ratio=<NegMAS time / negotiation-sim time>``.

NegMAS (AGPL-3.0) is not a dependency of ours: install it beside the project in
a separate environment to run this, e.g.::

    python3.12 -m venv /tmp/bench && /tmp/bench/bin/pip install -e . "negmas==0.16.0"
    /tmp/bench/bin/python benchmarks/bench_vs_negmas.py
"""

from __future__ import annotations

import argparse
import sys

from negmas_baseline import ours, seconds_per_run, theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    try:
        import negmas
    except ImportError:
        sys.exit("NegMAS is not installed here; see this script's docstring for how to add it.")

    our_s, our_rate = seconds_per_run(ours, args.runs, args.repeats)
    their_s, their_rate = seconds_per_run(theirs, args.runs, args.repeats)
    print(f"negotiation-sim: {our_s * 1e3:7.2f} ms per negotiation, agreement {our_rate:.0%}")
    print(
        f"NegMAS {negmas.__version__}: {their_s * 1e3:7.2f} ms per negotiation, "
        f"agreement {their_rate:.0%}"
    )
    print(f"ratio={their_s / our_s:.1f}  (NegMAS time / negotiation-sim time, build and run)")


if __name__ == "__main__":
    main()
