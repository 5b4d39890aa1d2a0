"""What one actor believes about another's preferences.

Actors know their own preferences exactly and hold a noisy estimate of the
others' (private information, the first of Fearon's 1995 rationalist causes of
war). The estimate is drawn once per run from the model's generator:

* each salience weight and option value is perturbed by Gaussian noise of
  standard deviation ``noise`` (then clipped and renormalised),
* the reservation value likewise,
* each red line is taken for a bluff with probability ``red_line_doubt``.

With both parameters at zero the estimate equals the truth and no random
numbers are drawn, so a run is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from negotiation_sim.preferences import Preferences, normalised


@dataclass(frozen=True)
class BeliefNoise:
    """How wrong actors are about each other (scenario parameters, not facts)."""

    noise: float = 0.0
    red_line_doubt: float = 0.0

    def __post_init__(self) -> None:
        if not (np.isfinite(self.noise) and self.noise >= 0):
            raise ValueError(f"belief noise must be finite and >= 0, got {self.noise}")
        if not 0.0 <= self.red_line_doubt <= 1.0:
            raise ValueError(f"red_line_doubt must lie in [0, 1], got {self.red_line_doubt}")

    @property
    def exact(self) -> bool:
        return self.noise == 0.0 and self.red_line_doubt == 0.0


def estimate(truth: Preferences, noise: BeliefNoise, rng: np.random.Generator) -> Preferences:
    """An observer's estimate of ``truth`` under ``noise``."""
    if noise.exact:
        return truth
    sd = noise.noise
    drawn = np.clip(truth.weights + rng.normal(0.0, sd, truth.weights.shape), 0.0, None)
    weights = normalised(drawn) if drawn.sum() > 0 else truth.weights
    flat = np.concatenate(truth.values)  # one draw for all option values: the same stream
    noisy = np.clip(flat + rng.normal(0.0, sd, flat.shape), 0.0, 1.0)
    values = tuple(np.split(noisy, np.cumsum([len(v) for v in truth.values[:-1]])))
    reservation = float(np.clip(truth.reservation + rng.normal(0.0, sd), 0.0, 1.0))
    kept = rng.random(len(truth.red_lines)) >= noise.red_line_doubt
    red_lines = tuple(line for line, keep in zip(truth.red_lines, kept, strict=True) if keep)
    return Preferences(weights, values, red_lines, reservation)
