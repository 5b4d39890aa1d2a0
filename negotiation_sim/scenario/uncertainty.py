"""The ``uncertain:`` section of a scenario file: what we do not know, as distributions.

Each entry maps a dotted path of the scenario (as ``with_changes`` accepts it,
e.g. ``actors.Russia.outside_option.base_cost`` or ``protocol.deadline``) to a
distribution and a one-line reason::

    uncertain:
      actors.Russia.outside_option.base_cost:
        distribution: triangular
        low: 0.02
        mode: 0.05
        high: 0.15
        why: "assumption: sanctions were announced but their size was not"

Distributions and their keys:

* ``uniform``: ``low``, ``high``;
* ``normal``: ``mean``, ``sd``, optional ``low`` and ``high``. Bounds truncate it by
  resampling (a draw outside is drawn again), so it keeps its shape inside them
  rather than piling mass on the bounds as clipping would; the bounds must keep
  at least 1% of the mass;
* ``beta``: ``a``, ``b``, optional ``low`` (0) and ``high`` (1), the range it is scaled to;
* ``triangular``: ``low``, ``mode``, ``high``;
* ``choice``: ``values`` (a list of anything the path accepts: a number, a name,
  a boolean, a whole item such as a red line) and optional ``weights``.

A path whose value in the file is an integer (the deadline, an event's round)
gets integers: a uniform draws each integer from ``low`` to ``high`` alike, the
others are rounded to the nearest integer inside their bounds.

Each run draws its values from a generator of its own, entries in file order,
so a run's values depend only on its seed. A design that chooses the values
instead (sensitivity analysis) gives each entry a quantile in [0, 1] and takes
the value there from the distribution's inverse CDF (``Uncertain.at``), so the
values keep the distribution they would be drawn from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, ClassVar, cast

import numpy as np
from scipy.special import betaincinv

from negotiation_sim.scenario.build import with_changes
from negotiation_sim.scenario.document import Document, number_hint, resolve
from negotiation_sim.scenario.errors import ScenarioError, quoted
from negotiation_sim.scenario.types import Scenario

SECTION = "uncertain"
MIN_NORMAL_MASS = 0.01
"""A bounded normal must keep this much probability inside its bounds."""
REACH = 8
"""How far an unbounded normal is checked, in standard deviations: it draws beyond that
about once in 10^15 draws."""


class _Invalid(ValueError):
    """A bad entry, with the key inside the entry that is wrong (``""`` for the whole entry)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _number(params: Mapping[str, Any], key: str, default: float | None = None) -> float:
    if key not in params:
        if default is None:
            raise _Invalid("", f"missing {key!r}")
        return default
    value = params[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        hint = number_hint(value) if isinstance(value, str) else ""
        raise _Invalid(key, f"must be a finite number, got {quoted(value)}{hint}")
    return float(value)


def _ordered(low: float, high: float, key: str = "high") -> None:
    if not low < high:
        raise _Invalid(key, f"low ({low:g}) must be below high ({high:g})")


class Distribution:
    """A distribution of one scenario value; subclasses are built from the entry's keys."""

    keys: ClassVar[tuple[str, ...]]
    dtype: str = "float64"
    """How a drawn value is stored in a results table."""

    @classmethod
    def build(cls, params: Mapping[str, Any]) -> Distribution:
        """The distribution an entry's keys describe; ``_Invalid`` names a bad key."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator) -> Any:
        raise NotImplementedError

    @property
    def support(self) -> tuple[float, float]:
        """Smallest and largest value it can draw (infinite when unbounded)."""
        raise NotImplementedError

    def quantile(self, q: float) -> Any:
        """The value at quantile ``q`` in [0, 1] (the inverse CDF): a uniform ``q`` gives
        values distributed as ``sample`` draws them."""
        raise NotImplementedError

    def sample_integer(self, rng: np.random.Generator) -> int:
        """An integer draw: the nearest integer to a draw, kept inside the support."""
        return self._whole(self.sample(rng))

    def quantile_integer(self, q: float) -> int:
        """The integer at quantile ``q``, rounded as ``sample_integer`` rounds a draw."""
        return self._whole(self.quantile(q))

    def _whole(self, value: float) -> int:
        low, high = self.support
        return int(min(max(round(value), math.ceil(low)), math.floor(high)))

    def extremes(self) -> list[Any]:
        """Values that, if the scenario accepts them, show every draw fits it."""
        return [v for v in self.support if math.isfinite(v)]

    def record(self, value: Any) -> Any:
        """What the results table holds for a drawn ``value``."""
        return value


@dataclass(frozen=True)
class Uniform(Distribution):
    low: float
    high: float
    keys: ClassVar = ("low", "high")

    @classmethod
    def build(cls, params: Mapping[str, Any]) -> Uniform:
        low, high = _number(params, "low"), _number(params, "high")
        _ordered(low, high)
        return cls(low, high)

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    def sample_integer(self, rng: np.random.Generator) -> int:
        return int(rng.integers(math.ceil(self.low), math.floor(self.high), endpoint=True))

    def quantile(self, q: float) -> float:
        return self.low + q * (self.high - self.low)

    def quantile_integer(self, q: float) -> int:
        """Each integer from ``low`` to ``high`` over an equal share of [0, 1]."""
        first, count = math.ceil(self.low), math.floor(self.high) - math.ceil(self.low) + 1
        return first + min(int(q * count), count - 1)

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high


@dataclass(frozen=True)
class Normal(Distribution):
    mean: float
    sd: float
    low: float = -math.inf
    high: float = math.inf
    keys: ClassVar = ("mean", "sd", "low", "high")

    @classmethod
    def build(cls, params: Mapping[str, Any]) -> Normal:
        mean, sd = _number(params, "mean"), _number(params, "sd")
        if sd <= 0:
            raise _Invalid("sd", f"must be positive, got {sd:g}")
        low, high = _number(params, "low", -math.inf), _number(params, "high", math.inf)
        _ordered(low, high, "high" if "high" in params else "low")
        bell = NormalDist(mean, sd)
        if bell.cdf(high) - bell.cdf(low) < MIN_NORMAL_MASS:
            raise _Invalid(
                "mean", f"bounds [{low:g}, {high:g}] keep under 1% of normal({mean:g}, {sd:g})"
            )
        return cls(mean, sd, low, high)

    def sample(self, rng: np.random.Generator) -> float:
        while True:
            value = float(rng.normal(self.mean, self.sd))
            if self.low <= value <= self.high:
                return value

    def quantile(self, q: float) -> float:
        """The truncated normal's inverse CDF; ``q`` of 0 or 1 gives an infinite bound's value
        at one in 10^12 from it, not infinity."""
        bell = NormalDist(self.mean, self.sd)
        below, inside = bell.cdf(self.low), bell.cdf(self.high) - bell.cdf(self.low)
        p = min(max(below + q * inside, 1e-12), 1 - 1e-12)
        return min(max(bell.inv_cdf(p), self.low), self.high)

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def extremes(self) -> list[float]:
        """Its bounds, an unbounded side taken at ``REACH`` standard deviations from the
        mean: the scenario must accept what the normal draws in practice, not only its mean."""
        reach = REACH * self.sd
        return [max(self.low, self.mean - reach), min(self.high, self.mean + reach)]


@dataclass(frozen=True)
class Beta(Distribution):
    a: float
    b: float
    low: float = 0.0
    high: float = 1.0
    keys: ClassVar = ("a", "b", "low", "high")

    @classmethod
    def build(cls, params: Mapping[str, Any]) -> Beta:
        a, b = _number(params, "a"), _number(params, "b")
        for key, value in (("a", a), ("b", b)):
            if value <= 0:
                raise _Invalid(key, f"must be positive, got {value:g}")
        low, high = _number(params, "low", 0.0), _number(params, "high", 1.0)
        _ordered(low, high, "high" if "high" in params else "low")
        return cls(a, b, low, high)

    def sample(self, rng: np.random.Generator) -> float:
        return self.low + (self.high - self.low) * float(rng.beta(self.a, self.b))

    def quantile(self, q: float) -> float:
        return self.low + (self.high - self.low) * float(betaincinv(self.a, self.b, q))

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high


@dataclass(frozen=True)
class Triangular(Distribution):
    low: float
    mode: float
    high: float
    keys: ClassVar = ("low", "mode", "high")

    @classmethod
    def build(cls, params: Mapping[str, Any]) -> Triangular:
        low, mode, high = (_number(params, k) for k in cls.keys)
        _ordered(low, high)
        if not low <= mode <= high:
            raise _Invalid("mode", f"must lie in [{low:g}, {high:g}], got {mode:g}")
        return cls(low, mode, high)

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.triangular(self.low, self.mode, self.high))

    def quantile(self, q: float) -> float:
        low, mode, high = self.low, self.mode, self.high
        if q * (high - low) < mode - low:
            return low + math.sqrt(q * (high - low) * (mode - low))
        return high - math.sqrt((1 - q) * (high - low) * (high - mode))

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high


@dataclass(frozen=True)
class Choice(Distribution):
    """A discrete choice among values, equally likely unless weighted.

    The results table holds the drawn value itself when the values are all
    booleans, all numbers or all names, else the index of the drawn value.
    """

    values: tuple[Any, ...]
    weights: tuple[float, ...] | None = None
    keys: ClassVar = ("values", "weights")
    _p: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)
    _cdf: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, params: Mapping[str, Any]) -> Choice:
        values = params.get("values")
        if not isinstance(values, list) or not values:
            raise _Invalid(
                "values" if "values" in params else "", "needs a non-empty list 'values'"
            )
        weights = params.get("weights")
        if weights is not None:
            if not isinstance(weights, list) or len(weights) != len(values):
                raise _Invalid("weights", f"needs one weight per value ({len(values)})")
            numbers = [_number({"weights": w}, "weights") for w in weights]
            if min(numbers) < 0 or sum(numbers) <= 0:
                raise _Invalid("weights", "must be non-negative with a positive sum")
            weights = tuple(numbers)
        return cls(tuple(values), weights)

    def __post_init__(self) -> None:
        if self.weights is not None:
            p = np.asarray(self.weights) / sum(self.weights)
            object.__setattr__(self, "_p", p)
            cdf = p.cumsum()
            object.__setattr__(self, "_cdf", cdf / cdf[-1])

    def index(self, rng: np.random.Generator) -> int:
        """A drawn index: ``rng.choice(len(values), p=p)``'s own (one uniform, placed in the
        normalised cumulative weights), without its checks of ``p``, which cost 20 µs a draw."""
        if self._cdf is None:
            return int(rng.integers(len(self.values)))
        return int(np.searchsorted(self._cdf, rng.random(), side="right"))

    def sample(self, rng: np.random.Generator) -> Any:
        return self.values[self.index(rng)]

    def quantile(self, q: float) -> Any:
        """The values in their order, each over a share of [0, 1] equal to its probability."""
        p = np.full(len(self.values), 1 / len(self.values)) if self._p is None else self._p
        k = int(np.searchsorted(np.cumsum(p), q, side="right"))
        return self.values[min(k, len(self.values) - 1)]

    def extremes(self) -> list[Any]:
        return list(self.values)

    @property
    def dtype(self) -> str:  # type: ignore[override]
        return value_dtype(self.values) or "int64"

    def record(self, value: Any) -> Any:
        return value if value_dtype(self.values) else self.values.index(value)


def value_dtype(values: Sequence[Any]) -> str | None:
    """The column type that holds these values themselves, if one does."""
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if any(isinstance(v, bool) for v in values):
        return None
    if all(isinstance(v, int) for v in values):
        return "int64"
    if all(isinstance(v, int | float) for v in values):
        return "float64"
    if all(isinstance(v, str) for v in values):
        return "str"
    return None


DISTRIBUTIONS: dict[str, type[Distribution]] = {
    "uniform": Uniform,
    "normal": Normal,
    "beta": Beta,
    "triangular": Triangular,
    "choice": Choice,
}


@dataclass(frozen=True)
class Uncertain:
    """One uncertain value: where it is, how it is distributed, why."""

    path: str
    distribution: Distribution
    why: str
    integer: bool = False

    def draw(self, rng: np.random.Generator) -> Any:
        d = self.distribution
        return d.sample_integer(rng) if self.integer else d.sample(rng)

    def at(self, q: float) -> Any:
        """The value at quantile ``q`` of its distribution (integers where ``draw`` gives them)."""
        d = self.distribution
        return d.quantile_integer(q) if self.integer else d.quantile(q)

    @property
    def dtype(self) -> str:
        return "int64" if self.integer else self.distribution.dtype


@dataclass(frozen=True)
class Uncertainty:
    """All uncertain values of a scenario, in file order."""

    entries: tuple[Uncertain, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(e.path for e in self.entries)

    def draw(self, rng: np.random.Generator) -> dict[str, Any]:
        """One value per path, drawn from ``rng`` in file order."""
        return {e.path: e.draw(rng) for e in self.entries}

    def at(self, quantiles: Sequence[float] | np.ndarray) -> dict[str, Any]:
        """One value per path, at the quantile given for it (one per entry, in order)."""
        return {e.path: e.at(float(q)) for e, q in zip(self.entries, quantiles, strict=True)}

    def record(self, drawn: Mapping[str, Any]) -> dict[str, Any]:
        """The drawn values as results-table cells (see ``Choice``)."""
        return {e.path: e.distribution.record(drawn[e.path]) for e in self.entries}

    def __bool__(self) -> bool:
        return bool(self.entries)


def uncertainty_of(scenario: Scenario) -> Uncertainty:
    """The scenario's ``uncertain:`` section, checked; empty if it has none.

    Every entry must name a distribution with sound parameters, and its path
    must exist and take every value the distribution can draw (its bounds, or
    each choice; an unbounded normal ``REACH`` standard deviations out), as
    ``with_changes`` judges them.
    Problems are a ``ScenarioError`` at the entry's line and field.
    """
    if scenario.document is None or scenario.document.get(SECTION) is None:
        return Uncertainty()
    document = cast(Document, scenario.document)  # what the loader keeps is a Document
    uncertainty = _parse(document)
    for entry in uncertainty.entries:
        refused = _refused(scenario, entry)
        if refused is not None:
            value, bad = refused
            raise document.error(
                (SECTION, entry.path), f"cannot set {quoted(value)}: {bad.message}"
            )
    return uncertainty


def ranged(scenario: Scenario, path: str, low: float, high: float) -> Uncertain:
    """A value the scenario fixes, made uniform over [low, high] for a sensitivity analysis
    (whole numbers where the file holds a whole number), checked as an ``uncertain:`` entry is.

    A bad range, a path the scenario already draws, or a bound the scenario refuses is a
    ``ValueError`` naming the path.
    """
    document = scenario.document
    if document is None:
        raise ValueError("this scenario was not built from a document; load it from a file")
    if path in uncertainty_of(scenario).paths:
        raise ValueError(
            f"{path} is already uncertain in the scenario; its own distribution is used"
        )
    try:
        distribution = Uniform.build({"low": low, "high": high})
    except _Invalid as bad:
        raise ValueError(f"{path}: {bad}") from None
    integer = _is_integer(cast(Document, document), path)  # the loader keeps a Document
    entry = Uncertain(path, distribution, "a range given to the analysis", integer)
    refused = _refused(scenario, entry)
    if refused is not None:
        value, problem = refused
        raise ValueError(f"{path}: cannot set {value!r}: {problem.message}")
    return entry


def _refused(scenario: Scenario, entry: Uncertain) -> tuple[Any, ScenarioError] | None:
    """The first value ``entry`` can take that the scenario refuses, with the reason."""
    for extreme in entry.distribution.extremes():
        value = round(extreme) if entry.integer else extreme
        try:
            with_changes(scenario, {entry.path: value})
        except ScenarioError as bad:
            return value, bad
    return None


def _parse(document: Document) -> Uncertainty:
    section = document[SECTION]
    if not isinstance(section, Mapping):
        raise document.error((SECTION,), "must map scenario paths to distributions")
    return Uncertainty(tuple(_entry(document, path, spec) for path, spec in section.items()))


def _entry(document: Document, path: Any, spec: Any) -> Uncertain:
    where = (SECTION, path)
    if not isinstance(path, str) or not path:
        raise document.error(where, "a path is dotted text such as protocol.deadline")
    if not isinstance(spec, Mapping):
        raise document.error(where, "needs a mapping: distribution, its parameters, why")
    name = spec.get("distribution")
    kind = DISTRIBUTIONS.get(name) if isinstance(name, str) else None
    if kind is None:
        at = (*where, "distribution") if "distribution" in spec else where
        raise document.error(
            at, f"unknown distribution {quoted(name)}; known: {', '.join(DISTRIBUTIONS)}"
        )
    why = spec.get("why")
    if not isinstance(why, str) or not why.strip() or "\n" in why.strip():
        at = (*where, "why") if "why" in spec else where
        raise document.error(at, "needs 'why': a one-line reason for the range")
    params = {k: v for k, v in spec.items() if k not in ("distribution", "why")}
    for key in params:
        if key not in kind.keys:
            known = ", ".join(("distribution", *kind.keys, "why"))
            raise document.error((*where, key), f"unknown key for {name}; known: {known}")
    try:
        distribution = kind.build(params)
        integer = not isinstance(distribution, Choice) and _is_integer(document, path)
        if integer and math.ceil(distribution.support[0]) > distribution.support[1]:
            raise _Invalid("low", "no whole number lies between low and high")
    except _Invalid as bad:
        raise document.error((*where, bad.key) if bad.key else where, str(bad)) from None
    return Uncertain(path, distribution, why.strip(), integer)


def _is_integer(document: Document, path: str) -> bool:
    """Whether the file holds a whole number at ``path`` (such values get whole draws).

    An unknown path is not an error here: ``uncertainty_of`` reports it with the reason
    ``with_changes`` gives. Resolving adds missing keys, so it works on fresh copies of the
    containers along the path, leaving the document as it was.
    """
    node: Any = dict(document)
    try:
        location = resolve(node, path, lambda message: ScenarioError(message, file=""), fresh=True)
    except ScenarioError:
        return False
    for step in location:
        node = node[step]
    return isinstance(node, int) and not isinstance(node, bool)
