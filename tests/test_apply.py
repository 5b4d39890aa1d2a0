"""Drawn values applied to the built scenario (``Changer``) behave as the scenario rebuilt from
the changed document (``with_changes``): the same runs, or the same located error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation_sim.engine import simulate
from negotiation_sim.outside_option import MAX_FORCE
from negotiation_sim.scenario import ScenarioError, load_scenario, shipped_scenarios, with_changes
from negotiation_sim.scenario.apply import Changer
from negotiation_sim.scenario.uncertainty import Choice, Uncertain, uncertainty_of

SEEDS = (0, 1, 2022)
UNCERTAIN = [s.name for s in shipped_scenarios() if uncertainty_of(load_scenario(s.path)).entries]


def test_the_shipped_scenarios_with_uncertain_values_are_all_tried():
    assert "ukraine_2022" in UNCERTAIN and len(UNCERTAIN) >= 4  # the Ukraine file and variants


@st.composite
def values(draw: st.DrawFn, entry: Uncertain) -> object:
    """A value for ``entry``: mostly one it can draw, sometimes one past its range (which
    the scenario may refuse), a choice among its values."""
    d = entry.distribution
    if isinstance(d, Choice):
        return draw(st.sampled_from(d.values))
    if draw(st.booleans()):
        return entry.at(draw(st.floats(0, 1)))
    low, high = d.extremes()[0], d.extremes()[-1]
    value = low + draw(st.floats(-1, 2)) * (high - low)
    return round(value) if entry.integer else value


@st.composite
def changes(draw: st.DrawFn, name: str) -> tuple[str, dict[str, object]]:
    """Values for some of the scenario's uncertain paths (all of them, as a run draws, or a
    few, as a sweep holds the others fixed)."""
    entries = uncertainty_of(_scenario(name)).entries
    chosen = draw(st.lists(st.sampled_from(entries), min_size=1, unique_by=lambda e: e.path))
    if draw(st.booleans()):
        chosen = list(entries)
    return name, {e.path: draw(values(e)) for e in chosen}


_LOADED: dict[str, object] = {}


def _scenario(name: str):
    if name not in _LOADED:
        _LOADED[name] = load_scenario(name)
    return _LOADED[name]


def outcome(make):
    """The runs of the scenario ``make()`` gives, or its error as ``(message, field, line)``."""
    try:
        scenario = make()
    except ScenarioError as error:
        return str(error), error.field, error.line
    return [simulate(scenario, seed) for seed in SEEDS]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(UNCERTAIN).flatmap(changes))
def test_applied_values_run_as_the_rebuilt_scenario(drawn):
    name, values = drawn
    scenario = _scenario(name)
    changer = Changer(scenario, uncertainty_of(scenario).paths)
    assert outcome(lambda: changer.apply(values)) == outcome(
        lambda: with_changes(changer.document, values)
    )


def test_actors_the_values_leave_alone_are_the_scenarios_own(ukraine):
    """So that what is cached by their identity (rankings, utilities) is found again."""
    changer = Changer(ukraine, ["actors.Russia.weights.open_door", "beliefs.noise"])
    applied = changer.apply({"actors.Russia.weights.open_door": 0.2, "beliefs.noise": 0.1})
    assert applied.beliefs.noise == 0.1
    kept = [a for a in applied.actors if a.name != "Russia"]
    assert kept and all(a is ukraine.actor(a.name) for a in kept)
    assert applied.actor("Russia") is not ukraine.actor("Russia")
    assert applied.space is ukraine.space


CORNERED = {  # no opening, and red lines that leave the US no package worth its status quo
    "actors.United States.opening": {},
    "actors.United States.red_lines": [
        {"options": {"open_door": ["open", "case_by_case", "moratorium"]}},
        {"options": {"force_posture": ["reinforce", "current", "freeze"]}},
        {"options": {"offensive_weapons": ["unrestricted", "limited"]}},
    ],
}


@pytest.mark.parametrize(
    "values",
    [
        {"issues.hotline.status_quo": "yes"},  # the outcome space: left to with_changes
        {"actors.Russia.coalition": "CSTO"},  # a name others group by: likewise
        {"actors.NATO.weights.hotline": 0.5},
        {"actors.Russia.outside_option": None},  # refused: its class weighs an outside option
        {
            "actors.NATO.outside_option": {
                "border_troops": 1.0,
                "defender_strength": 1.0,
                "base_cost": 0.1,
            }
        },  # refused: its class has none
        {"protocol.deadline": 20},
        {"events.8,500 US troops join the NATO force.changes.nato_troops": 9000},
        CORNERED,  # refused: nothing is worth the US's no deal
    ],
)
def test_any_path_gives_what_with_changes_gives(ukraine, values):
    changer = Changer(ukraine, values)
    result = outcome(lambda: changer.apply(values))
    assert result == outcome(lambda: with_changes(changer.document, values))
    assert values is not CORNERED or "could never accept anything" in result[0]


def refusal(changer, values) -> str:
    """The error ``changer`` raises for ``values``, checked to be ``with_changes``' own."""
    with pytest.raises(ScenarioError) as applied:
        changer.apply(values)
    with pytest.raises(ScenarioError) as rebuilt:
        with_changes(changer.document, values)
    assert str(applied.value) == str(rebuilt.value)
    return str(applied.value)


def test_a_refused_value_is_the_same_located_error(ukraine):
    changer = Changer(ukraine, ["actors.Russia.outside_option.base_cost"])
    value = {"actors.Russia.outside_option.base_cost": -0.5}
    assert "base_cost must be finite and non-negative" in refusal(changer, value)


def test_the_draws_of_an_ensemble_are_applied_without_rebuilding(ukraine, monkeypatch):
    """The point of ``Changer``: the values the Ukraine file draws never need the document."""
    from negotiation_sim.ensemble import run_seeds
    from negotiation_sim.scenario import apply

    uncertainty = uncertainty_of(ukraine)
    changer = Changer(ukraine, uncertainty.paths)

    def refused(*args):
        raise AssertionError("rebuilt from the document")

    monkeypatch.setattr(apply.build, "with_changes", refused)
    for run in range(50):
        changer.apply(uncertainty.draw(run_seeds(7, run)[1]))


def test_events_checked_before_are_checked_again_with_each_runs_war_options(ukraine):
    """A Changer checks the events built from the same sections once against all but the war
    options; a war option that the events then push out of bounds is still refused."""
    day = "events.8,500 US troops join the NATO force.day"
    troops = "actors.Russia.outside_option.nato_troops"
    changer = Changer(ukraine, [day, troops])
    assert changer.apply({day: 12, troops: 0.0}).events  # checked in full, and kept
    too_many = {day: 12, troops: MAX_FORCE - 1000.0}  # valid itself, not once 8,500 are added
    assert "after this event" in refusal(changer, too_many)
