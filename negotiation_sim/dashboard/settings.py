"""What the dashboard's sidebar sets: a scenario's deadline, belief noise and uncertain values.

Each ``Setting`` is one control, over the range its ``uncertain:`` entry can draw (for a
value the file fixes, a range around it), starting at the value the file holds. Only values
moved off the file's are applied (``with_changes``), so a run with the controls untouched
is exactly ``NegotiationModel(scenario, rng=seed)``. This module does not import solara:
it is the page's logic, tested without a browser.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from negotiation_sim.ensemble import Ensemble, compare
from negotiation_sim.ensemble.compare import Comparison
from negotiation_sim.ensemble.progress import Progress
from negotiation_sim.ensemble.runner import Job, fresh_seed, run_job
from negotiation_sim.model import NegotiationModel
from negotiation_sim.scenario import Scenario, ScenarioError, uncertainty_of, with_changes
from negotiation_sim.scenario.document import resolve
from negotiation_sim.scenario.uncertainty import Choice, Uncertain

DEADLINE, NOISE = "protocol.deadline", "beliefs.noise"
AS_IN_FILE = "as in the file"
"""The choice a list of alternatives starts at when the file holds none of them."""


@dataclass(frozen=True)
class Setting:
    """One control of the sidebar: a value of the scenario at a dotted path."""

    path: str
    label: str
    default: Any
    """The file's value (a number), or the label of its choice."""
    low: float = 0.0
    high: float = 0.0
    integer: bool = False
    choices: Mapping[str, Any] | None = None
    """For a choice entry: each label and the value it sets (None: the file's own)."""
    uncertain: bool = False

    @property
    def decimals(self) -> int:
        """A slider's steps are a power of ten, about a hundredth of its range, so that the
        file's value (a round number) lies on a step and the slider starts on it."""
        span = self.high - self.low
        if self.integer or self.choices is not None or span <= 0:
            return 0
        return max(0, 2 - math.floor(math.log10(span)))

    @property
    def step(self) -> float:
        return 10.0**-self.decimals

    def value(self, shown: Any) -> Any:
        """What a control showing ``shown`` sets in the scenario (a number on its steps)."""
        if self.choices is not None:
            if shown not in self.choices:
                raise ValueError(f"{self.label}: {shown!r} is not one of its choices")
            return self.choices[shown]
        number = round(float(shown), self.decimals)
        return round(number) if self.integer else number


def file_value(scenario: Scenario, path: str) -> Any:
    """The value the scenario's file holds at ``path``, or None where it holds none."""
    node: Any = dict(scenario.document or {})
    try:
        location = resolve(node, path, lambda message: ScenarioError(message, file=""), fresh=True)
        for step in location:
            node = node[step]
    except (ScenarioError, KeyError, IndexError, TypeError):
        return None
    return node


def short_name(path: str) -> str:
    """A control's short name: ``Russia: base_cost`` for
    ``actors.Russia.outside_option.base_cost``, ``leak.day`` for ``protocol.leak.day``."""
    for section in ("actors.", "events."):
        if path.startswith(section):
            name, _, rest = path.removeprefix(section).partition(".")
            return f"{name}: {rest.removeprefix('outside_option.')}"
    return path.removeprefix("protocol.")


def _choice_setting(entry: Uncertain, held: Any) -> Setting:
    assert isinstance(entry.distribution, Choice)  # the caller checked
    choices: dict[str, Any] = {}
    default = AS_IN_FILE
    for k, value in enumerate(entry.distribution.values):
        text = json.dumps(value, ensure_ascii=False)
        label = f"{k}: {text if len(text) <= 48 else text[:45] + '...'}"
        choices[label] = value
        if value == held:
            default = label
    if default == AS_IN_FILE:
        choices = {AS_IN_FILE: held, **choices}
    return Setting(entry.path, short_name(entry.path), default, choices=choices, uncertain=True)


def _ranged(path: str, label: str, held: Any, low: float, high: float, **more: Any) -> Setting:
    """A numeric setting whose range also holds the file's value (so it starts there)."""
    integer = isinstance(held, int) and not isinstance(held, bool)
    default = held if isinstance(held, int | float) else (low + high) / 2
    low, high = min(low, default), max(high, default)
    return Setting(path, label, default, float(low), float(high), integer, **more)


def settings_of(scenario: Scenario) -> list[Setting]:
    """The sidebar's controls for ``scenario``: its deadline, its belief noise, then each
    uncertain value in file order (the noise once, over its uncertain range if it has one)."""
    uncertain = {entry.path: entry for entry in uncertainty_of(scenario).entries}
    deadline = file_value(scenario, DEADLINE)
    unit = file_value(scenario, "protocol.time_unit") or "rounds"
    settings = [_ranged(DEADLINE, f"deadline ({unit})", deadline, 1, 3 * deadline)]
    noise = file_value(scenario, NOISE) or 0.0
    low, high = uncertain[NOISE].distribution.support if NOISE in uncertain else (0.0, 0.5)
    settings.append(_ranged(NOISE, "belief noise", noise, low, high, uncertain=NOISE in uncertain))
    for path, entry in uncertain.items():
        held = file_value(scenario, path)
        if isinstance(entry.distribution, Choice):
            settings.append(_choice_setting(entry, held))
        elif path != NOISE:
            extremes = entry.distribution.extremes()
            if held is None:
                held = entry.at(0.5)
            low, high = min(extremes), max(extremes)
            settings.append(_ranged(path, short_name(path), held, low, high, uncertain=True))
    return settings


def changes(scenario: Scenario, shown: Mapping[str, Any]) -> dict[str, Any]:
    """The values the controls move off the file's, as ``with_changes`` takes them."""
    known = {s.path: s for s in settings_of(scenario)}
    unknown = sorted(set(shown) - set(known))
    if unknown:
        raise ValueError(f"no such setting: {', '.join(unknown)}")
    moved = {}
    for path, value in shown.items():
        setting = known[path]
        if setting.value(value) != setting.value(setting.default):
            moved[path] = setting.value(value)
    return moved


def seed_of(text: Any) -> int:
    """The seed a user typed: a whole number, 0 or more."""
    try:
        seed = int(str(text).strip())
    except ValueError:
        raise ValueError(f"the seed must be a whole number, not {text!r}") from None
    if seed < 0:
        raise ValueError(f"the seed must be 0 or more, not {seed}")
    return seed


class SidebarModel(NegotiationModel):
    """A ``NegotiationModel`` of a scenario with the sidebar's values: Mesa's SolaraViz
    builds the model again from keyword arguments on Reset, one per control (its dotted
    path), so the negotiation's scenario and the seed come in the same way.

    A seed that is not a whole number, or values the scenario refuses together, are not
    applied: the run uses a fresh seed or the file's values, and ``problem`` says why, for
    the page to show (Reset is Mesa's, and an error there would be a traceback in the page).

    SolaraViz also passes ``scenario``, an empty ``mesa.experimental.scenarios.Scenario``
    (Mesa's name for a model's parameters), which this model has no use for: its
    parameters are the negotiation's scenario and the controls.
    """

    def __init__(
        self, negotiation: Scenario, rng: Any = None, scenario: Any = None, **shown: Any
    ) -> None:
        problems = []
        try:
            self.seed = fresh_seed(None if rng is None else seed_of(rng))
        except ValueError as bad:
            self.seed = fresh_seed()
            problems.append(f"{bad}; this run has seed {self.seed}")
        try:
            self.changes = changes(negotiation, shown)
            changed = with_changes(negotiation, self.changes) if self.changes else negotiation
        except (ValueError, ScenarioError) as bad:  # ScenarioError is not a ValueError
            self.changes, changed = {}, negotiation
            problems.append(f"the sidebar's values were not applied: {bad}")
        self.problem = "; ".join(problems) or None
        super().__init__(changed, rng=self.seed)
        self.base = negotiation


def ensemble_job(scenario: Scenario, moved: Mapping[str, Any], hold: bool) -> Job:
    """The ensemble the ensemble tab runs: ``scenario`` with the controls' changes to values
    it fixes; its uncertain values drawn run by run or, with ``hold``, held where the controls
    show them (every uncertain value, moved or not)."""
    uncertainty = uncertainty_of(scenario)
    held = {}
    if hold:
        shown = {s.path: s.value(s.default) for s in settings_of(scenario) if s.uncertain}
        held = {**shown, **{p: v for p, v in moved.items() if p in uncertainty.paths}}
    fixed = {p: v for p, v in moved.items() if p not in uncertainty.paths}
    applied = {**fixed, **held}
    base = with_changes(scenario, applied) if applied else scenario
    return Job(base, uncertainty, held)


def run_tab_ensemble(
    scenario: Scenario,
    moved: Mapping[str, Any],
    *,
    hold: bool,
    runs: int,
    seed: int,
    workers: int,
    progress: Progress = None,
) -> Ensemble:
    """The ensemble tab's runs (see ``ensemble_job``): with nothing moved or held, exactly
    ``run_ensemble(scenario, runs, seed)``."""
    job = ensemble_job(scenario, moved, hold)
    return run_job(job, runs, seed, workers=workers, progress=progress)


def what_if(
    scenario: Scenario,
    moved: Mapping[str, Any],
    other: Scenario | None,
    *,
    runs: int,
    seed: int,
    workers: int,
    progress: Progress = None,
) -> Comparison:
    """The file's scenario against ``other`` or, without one, against the controls' changes,
    under common random numbers (``compare``)."""
    if other is None:
        if not moved:
            raise ValueError("move a value in the sidebar, or pick a scenario to compare with")
        variants: list[Any] = [scenario, dict(moved)]
    else:
        variants = [scenario, other]
    return compare(variants, runs=runs, seed=seed, workers=workers, progress=progress)
