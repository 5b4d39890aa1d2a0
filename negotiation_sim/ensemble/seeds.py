"""Seeds of an ensemble's runs: run ``i`` of seed ``s`` is child ``i`` of ``SeedSequence(s)``.

The child is built directly from its spawn key, so that no chunk needs the others: its
state gives the model's seed (63 bits, to fit an int64 column), and its own first child
feeds the draws of the uncertain values, a stream apart from the model's. Storage reads
the model seeds back to check that a directory's chunks belong to its manifest's seed.
"""

from __future__ import annotations

import numpy as np


def model_seed(seed: int, run: int) -> int:
    """The seed of the model of run ``run`` of an ensemble seeded with ``seed``."""
    return _model_seed(np.random.SeedSequence(seed, spawn_key=(run,)))


def run_seeds(seed: int, run: int) -> tuple[int, np.random.Generator]:
    """The model seed of run ``run`` and the generator its uncertain values are drawn from."""
    sequence = np.random.SeedSequence(seed, spawn_key=(run,))
    return _model_seed(sequence), np.random.default_rng(sequence.spawn(1)[0])


def _model_seed(sequence: np.random.SeedSequence) -> int:
    return int(sequence.generate_state(1, np.uint64)[0] >> np.uint64(1))
