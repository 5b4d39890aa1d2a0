"""A digest of everything a run decides, per shipped scenario: what a speed-up must leave
as it was. Print it before and after a change and compare the two outputs.

    python benchmarks/fingerprint.py [--seeds 150] > before.txt
    ... change ...
    python benchmarks/fingerprint.py [--seeds 150] | diff before.txt -

Per scenario file (``scenarios/`` and ``scenarios/theory/``) and seed, the digest takes
each round's events, offers, replies and escalation pressure, the result, every actor's
floor, best deal, target and believed floors, every belief's posterior weights (bit for
bit), and, for one seed in 25, the data the collector recorded. Set
``NEGOTIATION_SIM_NO_NUMBA=1`` to check the numpy path alike.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from negotiation_sim import NegotiationModel, load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def digest(path: Path, seeds: int) -> str:
    """The first 16 hex digits of the digest of ``seeds`` runs of the scenario at ``path``."""
    scenario = load_scenario(path)
    found = hashlib.sha256()
    for seed in range(seeds):
        model = NegotiationModel(scenario, rng=seed, collect=seed % 25 == 0)
        model.run()
        for record in model.transcript:
            offers = [(o.proposer, o.package, o.replies) for o in record.offers]
            found.update(
                repr((record.round, record.events, offers, record.escalation_pressure)).encode()
            )
        found.update(repr(model.result).encode())
        for actor in model.negotiators.values():
            for _, belief in sorted(actor.types.items()):
                found.update(belief.weights.tobytes())
            held = (
                actor.floor,
                actor.best_deal,
                actor.target,
                sorted(actor.believed_floors.items()),
            )
            found.update(repr(held).encode())
        if model.datacollector is not None:
            found.update(model.datacollector.get_agent_vars_dataframe().to_csv().encode())
            found.update(model.datacollector.get_model_vars_dataframe().to_csv().encode())
    return found.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=150, help="runs per scenario (default 150)")
    args = parser.parse_args()
    for path in sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "theory").glob("*.yaml")):
        print(path.name, digest(path, args.seeds), flush=True)


if __name__ == "__main__":
    main()
