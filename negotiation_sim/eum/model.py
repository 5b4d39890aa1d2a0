"""Bueno de Mesquita's Expected Utility Model as a Mesa model, following Scholz, Calbert & Smith
(2011), "Unravelling Bueno de Mesquita's group decision model" (ICAART 2011, pp. 18-30;
J. Theoretical Politics 23(4):510-531).
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import Any

import mesa
import numpy as np
import pandas as pd

from negotiation_sim.eum.actors import EUMActor, validate_actors
from negotiation_sim.eum.conventions import (
    ChallengedSalience,
    Conventions,
    OfferOrder,
    RiskPerspective,
)
from negotiation_sim.eum.decisions import offers_to, select_offer
from negotiation_sim.eum.equations import PNormalisation, weighted_mean
from negotiation_sim.eum.io import load_actors
from negotiation_sim.eum.rounds import RoundAnalysis, analyse_round

DYAD_COLUMNS = ["actor", "other", "eu_challenge", "eu_challenged", "octant"]


class ActorAgent(mesa.Agent):
    """One actor: capability, salience, current position and current risk exponent r_i."""

    def __init__(self, model: ExpectedUtilityModel, index: int, actor: EUMActor) -> None:
        super().__init__(model)
        self.index = index
        self.name = actor.name
        self.capability = float(actor.capability)
        self.salience = float(actor.salience)
        self.position = float(actor.position)
        self.next_position = self.position

    @property
    def risk(self) -> float:
        """r_i this round, from the model's current analysis (eqs. 32-34)."""
        return float(self.model.analysis.risk[self.index])

    def step(self) -> None:
        """Pick the offer to accept this round; positions change together in `advance`."""
        model = self.model
        analysis = model.analysis
        x = model.positions()
        offers = offers_to(
            self.index, x, analysis.eu_challenge, analysis.eu_challenged, analysis.octants
        )
        chosen = select_offer(offers, x, model.conventions.offer_order)
        self.next_position = self.position if chosen is None else chosen.target

    def advance(self) -> None:
        self.position = self.next_position


class ExpectedUtilityModel(mesa.Model):
    """The EUM on one issue dimension; each `step()` is one round of challenges and offers.

    Per round every actor's risk exponent comes from a first pass with r = 1 (security levels,
    eqs. 32-34), the expected utilities of every dyad are recomputed with those exponents, each
    dyad is placed in a Fig. 6 octant, and every actor accepts at most one of the offers it
    receives. All actors move at once. There is no convergence rule ("in general the results do
    not stabilise", p. 28): run a fixed number of rounds.

    Conventions (keyword options, sources in `negotiation_sim.eum.conventions`): defaults follow
    the code that reproduces the published results -- q=1.0, p_normalisation="global",
    challenged_salience="challenged", offer_order="code", risk_perspective="observer".

    The issue width R is the initial range of positions and stays fixed; positions never leave it.
    The model is deterministic: `rng` only seeds Mesa's generators.

    Data: `datacollector` has model reporters "median" (c*s-weighted median, the Condorcet
    winner) and "mean" (c*s-weighted mean), agent reporters "actor", "position" and "risk", and a
    table "dyads" (DYAD_COLUMNS plus "round"). Row/round 0 is the initial state.
    """

    def __init__(
        self,
        actors: Sequence[EUMActor],
        *,
        q: float = Conventions.q,
        p_normalisation: PNormalisation = Conventions.p_normalisation,
        challenged_salience: ChallengedSalience = Conventions.challenged_salience,
        offer_order: OfferOrder = Conventions.offer_order,
        risk_perspective: RiskPerspective = Conventions.risk_perspective,
        rng: int | np.random.Generator | np.random.SeedSequence | None = None,
    ) -> None:
        super().__init__(rng=rng)
        actors = list(actors)
        validate_actors(actors)
        self.conventions = Conventions(
            q=q,
            p_normalisation=p_normalisation,
            challenged_salience=challenged_salience,
            offer_order=offer_order,
            risk_perspective=risk_perspective,
        )
        self.actors = [ActorAgent(self, index, actor) for index, actor in enumerate(actors)]
        self.capabilities = np.array([a.capability for a in self.actors])
        self.saliences = np.array([a.salience for a in self.actors])
        initial = self.positions()
        self.span = float(initial.max() - initial.min())
        self.datacollector = mesa.DataCollector(
            model_reporters={"median": "median", "mean": "mean"},
            agent_reporters={"actor": "name", "position": "position", "risk": "risk"},
            tables={"dyads": ["round", *DYAD_COLUMNS]},
        )
        self._observe()

    @classmethod
    def from_csv(
        cls, path: str | PathLike[str], *, salience_scale: float = 1.0, **options: Any
    ) -> ExpectedUtilityModel:
        """Build from a CSV with columns actor,capability,position,salience."""
        return cls(load_actors(path, salience_scale=salience_scale, file_format="csv"), **options)

    @classmethod
    def from_yaml(
        cls, path: str | PathLike[str], *, salience_scale: float = 1.0, **options: Any
    ) -> ExpectedUtilityModel:
        """Build from YAML: a list of actor mappings, or such a list under the key `actors`."""
        return cls(load_actors(path, salience_scale=salience_scale, file_format="yaml"), **options)

    def positions(self) -> np.ndarray:
        return np.array([agent.position for agent in self.actors])

    @property
    def weights(self) -> np.ndarray:
        return self.capabilities * self.saliences

    @property
    def median(self) -> float:
        """The c*s-weighted median at the current positions, as this round's analysis found it."""
        return self._analysis.median

    @property
    def mean(self) -> float:
        return weighted_mean(self.positions(), self.weights)

    @property
    def analysis(self) -> RoundAnalysis:
        """The current round's beliefs about every dyad (recomputed after each move)."""
        return self._analysis

    def _observe(self) -> None:
        self._analysis = analyse_round(
            self.positions(), self.capabilities, self.saliences, self.span, self.conventions
        )
        self.datacollector.collect(self)
        for row in self.dyad_table().itertuples(index=False):
            self.datacollector.add_table_row("dyads", {"round": self.steps, **row._asdict()})

    def step(self) -> None:
        """One round: every actor picks an offer from the same analysis, then all move."""
        self.agents.do("step")
        self.agents.do("advance")
        self._observe()

    def run(self, rounds: int) -> None:
        """Run a fixed number of rounds (the EUM has no convergence rule)."""
        if rounds < 0:
            raise ValueError(f"rounds must be >= 0, got {rounds}")
        for _ in range(rounds):
            self.step()

    def dyad_table(self) -> pd.DataFrame:
        """Every ordered dyad at the current positions: actor i, other j, E^i(U_ij), E(U_ji)
        as the chosen conventions compute it, and the Fig. 6 octant that drives the next round.
        """
        n = len(self.actors)
        i, j = np.nonzero(~np.eye(n, dtype=bool))
        names = np.array([agent.name for agent in self.actors], dtype=object)
        a = self._analysis
        return pd.DataFrame(
            {
                "actor": names[i],
                "other": names[j],
                "eu_challenge": a.eu_challenge[i, j],
                "eu_challenged": a.eu_challenged[i, j],
                "octant": [str(o) for o in a.octants[i, j]],
            }
        )

    def trajectory(self) -> pd.DataFrame:
        """Positions by round, one column per actor, with the "median" and "mean" baselines."""
        records = self.datacollector.get_agent_vars_dataframe().reset_index()
        wide = records.pivot(index="Step", columns="actor", values="position")
        wide = wide[[agent.name for agent in self.actors]]
        wide.index = wide.index.astype(int)
        baselines = self.datacollector.get_model_vars_dataframe()
        baselines.index = wide.index
        table = wide.join(baselines)
        table.index.name = "round"
        table.columns.name = None
        return table
