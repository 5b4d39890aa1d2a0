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

With ``types`` above one, what an observer believes of another's private values (its
no-deal value, its war value, the firmness of each of its red lines and its salience
weights) is a particle
belief (``TypeBelief``): that many weighted types around the estimate, updated by Bayes'
rule after every move the other makes (``move_likelihood``). One type is the point
estimate above, which does not learn.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, compress, pairwise, starmap
from typing import Literal, cast

import numpy as np

from negotiation_sim import kernels
from negotiation_sim.identity_cache import IdentityCache, KeptFor
from negotiation_sim.preferences import Preferences
from negotiation_sim.sums import weighted_rows, weighted_total


@dataclass(frozen=True)
class BeliefNoise:
    """How wrong actors are about each other (scenario parameters, not facts)."""

    noise: float = 0.0
    red_line_doubt: float = 0.0
    types: int = 1  # particles per belief about another party (1: a point estimate)

    def __post_init__(self) -> None:
        if self.types < 1:
            raise ValueError(f"a belief needs at least one type, got {self.types}")
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
    laid_out, issues = _laid_out(truth)
    # one draw for the weights, the option values and the reservation value: the stream of
    # one draw for each (``Generator.normal`` fills an array one value after another)
    normals = rng.normal(0.0, noise.noise, len(laid_out))
    drawn, weights = perturbed(laid_out, normals, len(truth.weights))
    if weights is None:  # the draw left no weight (``normalised`` refuses that): the truth's
        weights = truth.weights
    values = tuple(map(drawn.__getitem__, issues))
    kept = rng.random(len(truth.red_lines)) >= noise.red_line_doubt
    red_lines = tuple(compress(truth.red_lines, kept))
    return Preferences(weights, values, red_lines, float(drawn[-1]))


def perturbed(
    laid_out: np.ndarray, normals: np.ndarray, weights: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """``estimate``'s draw: ``laid_out`` (see ``_laid_out``) plus ``normals``, none below
    zero and, past the first ``weights`` (the salience weights), none above one; and those
    weights divided by their sum, added in issue order (None if they sum to zero).
    ``kernels.perturbed`` if ``kernels.COMPILED``."""
    if kernels.COMPILED:
        drawn, normalised = np.empty(len(laid_out)), np.empty(weights)
        summed = kernels.perturbed(laid_out, normals, weights, drawn, normalised)
        return drawn, normalised if summed else None
    drawn = laid_out + normals
    np.maximum(drawn, 0.0, out=drawn)  # what ``np.clip(drawn, 0.0, None)`` calls
    drawn_weights, rest = drawn[:weights], drawn[weights:]
    # the option and reservation values within [0, 1]: ``np.clip``'s result for any number
    # but -0.0, which no sum with a normal draw (0.0 + sd * z) is
    np.minimum(rest, 1.0, out=rest)
    total = np.add.accumulate(drawn_weights)[-1]
    return drawn, drawn_weights / total if total > 0 else None


_LAYOUTS = IdentityCache()


def _laid_out(truth: Preferences) -> tuple[np.ndarray, tuple[slice, ...]]:
    """``truth``'s weights, option values and reservation value end to end (read-only), and
    where each issue's values lie there: what ``estimate`` perturbs, once per preferences."""
    found = _LAYOUTS.get(truth)
    if found is None:
        laid_out = np.concatenate((truth.weights, *truth.values, [truth.reservation]))
        laid_out.setflags(write=False)
        ends = accumulate((len(v) for v in truth.values), initial=len(truth.weights))
        found = _LAYOUTS.put((truth,), (laid_out, tuple(starmap(slice, pairwise(ends)))))
    return cast(tuple[np.ndarray, tuple[slice, ...]], found)


TREMBLE = 0.05
"""Chance that a type makes a move its values rule out (a tremble, Selten 1975): it keeps
one contrary move from ruling a type out for good. An assumption of ours."""

Move = Literal["offer", "accept", "reject"]


@dataclass
class TypeBelief:
    """A particle belief over another party's private values: ``n`` types, each a no-deal
    value, an error in reading its war value, a firmness for each of its red lines and,
    optionally, salience weights over the issues, with posterior ``weights``. Hindriks &
    Tykhonov (2008), "Opponent modelling in automated multi-issue negotiation using
    Bayesian learning" (AAMAS): a finite set of hypotheses about the opponent, its issue
    weights among them, reweighted by Bayes' rule after each of its moves."""

    reservations: np.ndarray  # (n,) its no-deal value, per type
    war_errors: np.ndarray  # (n,) the observer's error in reading its war value, per type
    firm: np.ndarray  # (n, lines) whether each of its red lines is firm, per type
    weights: np.ndarray  # (n,) posterior probabilities, summing to one
    saliences: np.ndarray | None = None  # (n, issues) its weights, per type (None: not doubted)
    counted: set[bytes] = field(default_factory=set, repr=False, compare=False)
    """The likelihoods it has already applied (see ``update``)."""
    weighed: set[Hashable] = field(default_factory=set, repr=False, compare=False)
    """The evidence it has already weighed (see ``is_new``)."""
    _read: KeptFor[float] = field(default_factory=KeptFor, init=False, repr=False, compare=False)
    """The floors read under the current ``weights`` (see ``floor``)."""
    _floors: dict[tuple[float | None, float], np.ndarray] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """The types' floors per public facts (see ``floors``)."""
    _open: dict[bytes, np.ndarray] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Per pattern of red lines crossed, the types that hold none of them firm."""

    @classmethod
    def point(cls, reservation: float, war_error: float, firm: np.ndarray) -> TypeBelief:
        """A single type held for sure: it learns nothing."""
        return cls(np.array([reservation]), np.array([war_error]), firm[None, :], np.ones(1))

    @property
    def salience(self) -> np.ndarray | None:
        """The posterior mean of its salience weights: with linear additive utilities, the
        weights of its expected utility (None if the types do not differ in them)."""
        return None if self.saliences is None else weighted_rows(self.weights, self.saliences)

    @property
    def learns(self) -> bool:
        return len(self.weights) > 1

    def floors(self, war: float | None, audience_cost: float) -> np.ndarray:
        """Per type, the least the other accepts: the better of its no-deal value and its
        war value (``war`` read from public facts, None without a war option), plus its
        audience cost (see ``Negotiator.believed_floor``). Read-only, and kept: the types are
        fixed, and the observers read them for the same facts move after move."""
        found = self._floors.get((war, audience_cost))
        if found is None:
            alternative = (
                self.reservations
                if war is None
                else np.maximum(self.reservations, war + self.war_errors)
            )
            found = self._floors[war, audience_cost] = alternative + audience_cost
            found.setflags(write=False)
        return found

    def floor(self, war: float | None, audience_cost: float) -> float:
        """Its believed floor: the posterior mean of the types' floors (kept until the
        weights move: the actors read it every round, mostly for the same facts)."""
        known = self._read.table(self.weights)
        found = known.get((war, audience_cost))
        if found is None:
            found = known[war, audience_cost] = weighted_total(
                self.weights, self.floors(war, audience_cost)
            )
        return found

    @cached_property
    def firm_patterns(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct rows of ``firm`` and, per type, the index of its row: types that
        hold the same lines firm read some moves alike (see ``Negotiator.observe_choice``).
        The rows come in the order types first hold them. ``kernels.firm_patterns`` if
        ``kernels.COMPILED``."""
        if kernels.COMPILED:
            return cast(tuple[np.ndarray, np.ndarray], kernels.firm_patterns(self.firm))
        seen: dict[tuple[bool, ...], int] = {}  # each row's index, in the order first held
        inverse = [seen.setdefault(row, len(seen)) for row in map(tuple, self.firm.tolist())]
        return np.array(list(seen), dtype=bool), np.array(inverse, dtype=np.intp)

    def firm_lines(self) -> np.ndarray:
        """The red lines it takes for firm: those with posterior probability above 1/2."""
        return weighted_rows(self.weights, self.firm) > 0.5

    def acceptable(
        self,
        worth: float | np.ndarray,
        crossed: np.ndarray,
        war: float | None,
        audience_cost: float,
    ) -> np.ndarray:
        """Per type: whether it would take a package worth ``worth`` to it (by the observer's
        estimate of its utilities, one value or one per type) that crosses the red lines
        ``crossed``."""
        key = crossed.tobytes()
        held_open = self._open.get(key)
        if held_open is None:
            held_open = self._open[key] = ~(self.firm & crossed).any(axis=1)
        return (worth >= self.floors(war, audience_cost)) & held_open

    def likelihood(
        self,
        move: Move,
        t: float,
        option_values: np.ndarray,
        codes: np.ndarray,
        package: int,
        crossed: np.ndarray,
        war: float | None,
        audience_cost: float,
    ) -> np.ndarray:
        """Per type with its own ``saliences``, the likelihood of ``move`` on ``package`` at
        relative time ``t`` (``move_likelihood``): whether the package is ``acceptable`` to
        the type, worth to it the sum over issues of its salience weight times the option's
        value by the observer's estimate (``option_values``, every issue's options end to
        end; per issue and package, ``codes`` says where its option lies there), with the
        red lines it crosses (``crossed``, per package and line). One pass of
        ``kernels.move_likelihoods`` if ``kernels.COMPILED``."""
        saliences = cast(np.ndarray, self.saliences)
        if kernels.COMPILED:
            likelihood = np.empty(len(self.weights))
            kernels.move_likelihoods(
                option_values,
                codes,
                package,
                saliences,
                self.floors(war, audience_cost),
                self.firm,
                crossed,
                move == "reject",
                t >= 1.0,
                TREMBLE,
                likelihood,
            )
            return likelihood
        worth = weighted_rows(option_values[codes[:, package]], saliences.T)
        return move_likelihood(
            self.acceptable(worth, crossed[package], war, audience_cost), move, t
        )

    def update(self, likelihood: np.ndarray) -> None:
        """Bayes' rule: posterior proportional to prior times the move's likelihood.

        Each likelihood counts once. The types' rules are deterministic, so a likelihood seen
        before (the same move, or the same move not made, where every type would choose as
        it did then) splits the types as it did then and says nothing new; counting it again
        would let the number of rounds, not what happened, decide how sure the observer
        gets, and the tremble, there to keep one surprise from ruling a type out, would
        compound. A move no type would have made (a signal without tremble, see
        ``signals``) contradicts the observer's model of the other rather than informing
        it: the belief stays as it was. In one pass of ``kernels.posterior`` if
        ``kernels.COMPILED`` (up to ``kernels.PAIRWISE_BLOCK`` types)."""
        key = likelihood.tobytes()
        if key in self.counted:
            return
        self.counted.add(key)
        if kernels.COMPILED and len(self.weights) <= kernels.PAIRWISE_BLOCK:
            posterior = np.empty(len(self.weights))
            if kernels.posterior(self.weights, likelihood, posterior) > 0:
                self.weights = posterior
            return
        posterior = self.weights * likelihood
        total = np.add.reduce(posterior)  # ``.sum``, as in estimate
        if total > 0:
            self.weights = posterior / total

    def is_new(self, evidence: Hashable) -> bool:
        """Whether ``evidence`` has not been weighed before (from now on, it has). Evidence
        that holds everything a likelihood depends on besides the types, which are fixed,
        gives the same likelihood each time it is seen, which counts once (``update``):
        checking this first spares working a repeated move's likelihood out again."""
        if evidence in self.weighed:
            return False
        self.weighed.add(evidence)
        return True


def move_likelihood(acceptable: np.ndarray, move: Move, t: float) -> np.ndarray:
    """Per type, the probability of the observed move, given whether the package was
    acceptable to that type, at relative time ``t`` of the talks:

    * ``offer`` or ``accept``: 1 if acceptable, else ``TREMBLE``. A party proposes and
      accepts only what beats its floor (Zeng & Sycara 1998, "Bayesian learning in
      negotiation", *Int. J. Human-Computer Studies* 48: an offer bounds the proposer's
      reservation price);
    * ``reject``: in the deadline round (``t`` = 1) ``TREMBLE`` if acceptable, else 1; before
      it, 1 for every type. A party refuses what beats its floor while its target is still
      above it, and a conceding party's target reaches its floor only at the deadline
      (time-dependent tactics, Faratin, Sierra & Jennings 1998); the observer does not know
      how fast the other concedes, so an earlier rejection says nothing of its floor (a
      rejection read as "below its floor" at every round pushes the belief up, towards
      types that refuse everything). A coalition's common answer counts as each member's.
    """
    if move == "reject":
        return np.where(acceptable & (t >= 1.0), TREMBLE, 1.0)
    return np.where(acceptable, 1.0, TREMBLE)


def draw_types(
    center: Preferences,
    kept: np.ndarray,
    war_error: float,
    noise: BeliefNoise,
    rng: np.random.Generator,
) -> TypeBelief:
    """An observer's prior over another party's private values, around its estimate
    ``center`` and ``war_error``: ``noise.types`` types with no-deal values and war errors
    spread by ``noise.noise``, each of the party's red lines firm with probability
    ``1 - red_line_doubt / 2`` if the estimate kept it (``kept``, see ``kept_lines``) and
    ``red_line_doubt / 2`` if it took it for a bluff (so the prior leans the estimate's way,
    with the doubt as its uncertainty). Complete information, or one type, is a point mass
    on the estimate (the truth, when exact). Each type's salience weights are the
    estimate's, spread by ``noise.noise`` like the estimate's own (see ``estimate``) and
    renormalised."""
    if noise.exact or noise.types == 1:
        return TypeBelief.point(center.reservation, war_error, kept)
    n, sd = noise.types, noise.noise
    drawn = rng.normal(0.0, sd, 2 * n)  # the no-deal values' and war errors' draws (see estimate)
    uniforms = rng.random((n, len(kept)))
    normals = rng.normal(0.0, sd, (n, len(center.weights)))
    reservations, war_errors, firm, saliences = spread_types(
        center.reservation,
        war_error,
        drawn,
        uniforms,
        kept,
        noise.red_line_doubt,
        center.weights,
        normals,
    )
    return TypeBelief(reservations, war_errors, firm, np.full(n, 1.0 / n), saliences)


def spread_types(
    reservation: float,
    war_error: float,
    drawn: np.ndarray,
    uniforms: np.ndarray,
    kept: np.ndarray,
    doubt: float,
    weights: np.ndarray,
    normals: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``draw_types``' types from its draws: per type, its no-deal value (``reservation``
    plus the first half of ``drawn``, clipped to [0, 1]) and war error (``war_error`` plus
    the second half), which red lines it holds firm (``uniforms`` below the chance of a
    firm line), and its salience weights (``weights`` plus ``normals``, cut at zero and
    divided by their sum, added in issue order). ``kernels.spread_types``
    if ``kernels.COMPILED``."""
    n = len(drawn) // 2
    if kernels.COMPILED:
        types = np.empty(n), np.empty(n), np.empty(uniforms.shape, bool), np.empty(normals.shape)
        kernels.spread_types(
            reservation, war_error, drawn, uniforms, kept, doubt, weights, normals, *types
        )
        return types
    reservations = reservation + drawn[:n]
    np.minimum(np.maximum(reservations, 0.0, out=reservations), 1.0, out=reservations)  # clip
    war_errors = war_error + drawn[n:]
    firm = uniforms < np.where(kept, 1.0 - doubt / 2, doubt / 2)
    spread = weights + normals
    np.maximum(spread, 0.0, out=spread)
    totals = np.add.accumulate(spread, axis=1)[:, -1:]  # each type's, in issue order
    saliences = np.empty_like(spread)
    saliences[...] = weights  # what a type keeps if the spread left it no weight
    np.divide(spread, totals, out=saliences, where=totals > 0)
    return reservations, war_errors, firm, saliences


def kept_lines(estimate: Preferences, truth: Preferences) -> np.ndarray:
    """Which of ``truth``'s red lines ``estimate`` kept (the others it takes for bluffs): the
    very objects, found by their ids (unique among the objects alive)."""
    held = set(map(id, estimate.red_lines))
    return np.array([id(line) in held for line in truth.red_lines], bool)
