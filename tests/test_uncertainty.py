"""The uncertain: section: draws stay within their distributions, bad entries are located errors."""

from pathlib import Path

import numpy as np
import pytest

from negotiation_sim.scenario import load_scenario, with_changes
from negotiation_sim.scenario.errors import ScenarioError
from negotiation_sim.scenario.uncertainty import Choice, Normal, ranged, uncertainty_of

UKRAINE = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine_2022.yaml"
CERTAIN = UKRAINE.read_text(encoding="utf-8").split("\nuncertain:")[0] + "\n"


def scenario_with(tmp_path, section: str):
    """The Ukraine scenario with ``section`` as its uncertain: block."""
    path = tmp_path / "scenario.yaml"
    path.write_text(CERTAIN + "uncertain:\n" + section, encoding="utf-8")
    return load_scenario(path), path


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line and n > 150)


BAD = [
    # (entry, the line's text, field, part of the message)
    (
        "  actors.Rusia.no_deal_adjustment: {distribution: uniform, low: 0.1, high: 0.2, why: x}\n",
        "actors.Rusia",
        "uncertain.actors.Rusia.no_deal_adjustment",
        "no item 'Rusia'",
    ),
    (
        "  actors.Russia.outside_option.base_cots:\n"
        "    {distribution: uniform, low: 0.1, high: 0.2, why: x}\n",
        "base_cots",
        "uncertain.actors.Russia.outside_option.base_cots",
        "not a known outside option field",
    ),
    (
        "  beliefs.noise:\n    distribution: uniform\n    low: 0.2\n    high: 0.1\n    why: x\n",
        "high: 0.1",
        "uncertain.beliefs.noise.high",
        "low (0.2) must be below high (0.1)",
    ),
    (
        "  beliefs.noise:\n    distribution: normal\n    mean: 0.1\n    sd: 0\n    why: x\n",
        "sd: 0",
        "uncertain.beliefs.noise.sd",
        "must be positive",
    ),
    (
        "  beliefs.noise:\n    distribution: triangular\n    low: 0.1\n    mode: 0.5\n"
        "    high: 0.2\n    why: x\n",
        "mode: 0.5",
        "uncertain.beliefs.noise.mode",
        "must lie in [0.1, 0.2]",
    ),
    (
        "  beliefs.noise:\n    distribution: lognormal\n    low: 0.1\n    why: x\n",
        "distribution: lognormal",
        "uncertain.beliefs.noise.distribution",
        "unknown distribution 'lognormal'",
    ),
    (
        "  beliefs.noise:\n    distribution: uniform\n    low: 0.1\n    hihg: 0.2\n    why: x\n",
        "hihg",
        "uncertain.beliefs.noise.hihg",
        "unknown key for uniform",
    ),
    (
        "  beliefs.noise: {distribution: uniform, low: 0.1, high: 0.2}\n",
        "beliefs.noise",
        "uncertain.beliefs.noise",
        "needs 'why'",
    ),
    (
        "  actors.Russia.no_deal_adjustment:\n    distribution: uniform\n    low: 0.5\n"
        "    high: 1.5\n    why: x\n",
        "actors.Russia.no_deal_adjustment",
        "uncertain.actors.Russia.no_deal_adjustment",
        "cannot set 1.5",
    ),
    (
        "  protocol.deadline:\n    distribution: uniform\n    low: 8.2\n    high: 8.8\n"
        "    why: x\n",
        "low: 8.2",
        "uncertain.protocol.deadline.low",
        "no whole number",
    ),
    (
        "  beliefs.noise:\n    distribution: choice\n    values: [0.1, 0.2]\n"
        "    weights: [1]\n    why: x\n",
        "weights: [1]",
        "uncertain.beliefs.noise.weights",
        "one weight per value",
    ),
    (
        "  beliefs.noise:\n    distribution: normal\n    mean: 0.1\n    sd: 0.01\n"
        "    low: 0.5\n    why: x\n",
        "mean: 0.1",
        "uncertain.beliefs.noise.mean",
        "under 1%",
    ),
]


@pytest.mark.parametrize(("entry", "text", "field", "message"), BAD)
def test_bad_entry_is_a_located_scenario_error(tmp_path, entry, text, field, message):
    path = tmp_path / "scenario.yaml"
    path.write_text(CERTAIN + "uncertain:\n" + entry, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    error = caught.value
    assert (error.file, error.field) == (str(path), field)
    assert error.line == line_of(path, text)
    assert message in error.message


def test_the_section_must_be_a_mapping(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(CERTAIN + "uncertain: [beliefs.noise]\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="expected a mapping"):
        load_scenario(path)


SECTION = """\
  beliefs.noise: {distribution: uniform, low: 0.05, high: 0.2, why: x}
  beliefs.red_line_doubt: {distribution: normal, mean: 0.2, sd: 0.2, low: 0.1, high: 0.3, why: x}
  actors.Russia.no_deal_adjustment: {distribution: beta, a: 2, b: 5, low: 0.3, high: 0.4, why: x}
  actors.Russia.outside_option.base_cost:
    {distribution: triangular, low: 0.02, mode: 0.05, high: 0.12, why: x}
  events.Five US military helicopters for Ukraine.day:
    {distribution: uniform, low: 8, high: 11, why: x}
  actors.Russia.outside_option.defender_strength:
    {distribution: normal, mean: 150000, sd: 30000, low: 120000, high: 160000, why: x}
  events.More US weapons arrive in Kyiv.deterrence:
    {distribution: choice, values: [true, false], weights: [3, 1], why: x}
"""


def test_draws_stay_within_bounds_with_the_file_types(tmp_path):
    scenario, _ = scenario_with(tmp_path, SECTION)
    uncertainty = uncertainty_of(scenario)
    rng = np.random.default_rng(2024)
    draws = [uncertainty.draw(rng) for _ in range(3000)]

    def values(path):
        return np.array([d[path] for d in draws])

    assert values("beliefs.noise").min() >= 0.05 and values("beliefs.noise").max() <= 0.2
    doubt = values("beliefs.red_line_doubt")
    assert doubt.min() >= 0.1 and doubt.max() <= 0.3
    assert not np.isin(doubt, [0.1, 0.3]).any()  # resampled, not clipped onto the bounds
    reservation = values("actors.Russia.no_deal_adjustment")
    assert reservation.min() >= 0.3 and reservation.max() <= 0.4
    assert np.mean(reservation) == pytest.approx(0.3 + 0.1 * 2 / 7, abs=0.003)  # beta mean
    cost = values("actors.Russia.outside_option.base_cost")
    assert cost.min() >= 0.02 and cost.max() <= 0.12
    assert np.mean(cost) == pytest.approx((0.02 + 0.05 + 0.12) / 3, abs=0.002)
    deadlines = [d["events.Five US military helicopters for Ukraine.day"] for d in draws]
    assert all(type(v) is int for v in deadlines)
    assert sorted(set(deadlines)) == [8, 9, 10, 11]  # ends drawn as often as the middle
    assert min(np.bincount(deadlines)[8:]) > 650
    strengths = [d["actors.Russia.outside_option.defender_strength"] for d in draws]
    assert all(type(v) is int and 120000 <= v <= 160000 for v in strengths)
    hotline = values("events.More US weapons arrive in Kyiv.deterrence")
    assert hotline.dtype == bool and np.mean(hotline) == pytest.approx(0.75, abs=0.03)
    for drawn in draws[:20]:  # every draw is a valid scenario
        with_changes(scenario, drawn)


def test_draws_depend_only_on_the_generator(tmp_path):
    scenario, _ = scenario_with(tmp_path, SECTION)
    uncertainty = uncertainty_of(scenario)
    first = [uncertainty.draw(np.random.default_rng(7)) for _ in range(3)]
    again = [uncertainty.draw(np.random.default_rng(7)) for _ in range(3)]
    assert first == again
    assert first[0] != uncertainty.draw(np.random.default_rng(8))


def test_whole_items_are_drawn_and_recorded_by_index():
    scenario = load_scenario(UKRAINE)
    entry = next(e for e in uncertainty_of(scenario).entries if e.path == "actors.Russia.red_lines")
    drawn = [entry.draw(np.random.default_rng(seed)) for seed in range(400)]
    assert {len(d) for d in drawn} == {0, 1}
    recorded = [entry.distribution.record(d) for d in drawn]
    assert set(recorded) == {0, 1} and entry.dtype == "int64"
    assert np.mean(recorded) == pytest.approx(0.3, abs=0.07)
    firm = with_changes(scenario, {"actors.Russia.red_lines": drawn[recorded.index(0)]})
    assert len(firm.actor("Russia").preferences.red_lines) == 1


@pytest.mark.parametrize("weights", [(0.7, 0.3), (1.0, 2.0, 0.5), (0.0, 3.0, 1.0, 0.25)])
def test_a_weighted_choice_draws_what_generator_choice_draws(weights):
    """Its draws, and the stream after them, are numpy's own (``Choice.index`` skips only
    its checks), so ensembles keep their tables."""
    choice = Choice(tuple(range(len(weights))), weights)
    p = np.asarray(weights) / sum(weights)
    for seed in range(300):
        ours, numpy = np.random.default_rng(seed), np.random.default_rng(seed)
        drawn = [choice.index(ours) for _ in range(3)]
        assert drawn == [int(numpy.choice(len(p), p=p)) for _ in range(3)]
        assert ours.random() == numpy.random()


def test_ukraine_section_has_a_reason_for_every_range():
    uncertainty = uncertainty_of(load_scenario(UKRAINE))
    assert len(uncertainty.entries) >= 6
    assert all(e.why.startswith("assumption:") for e in uncertainty.entries)


def test_a_scenario_without_the_section_has_no_uncertainty(tmp_path):
    path = tmp_path / "certain.yaml"
    path.write_text(CERTAIN, encoding="utf-8")
    assert not uncertainty_of(load_scenario(path))


# --- values at given quantiles (sensitivity designs) ------------------------------------------


def test_values_at_quantiles_follow_each_distribution(tmp_path):
    """The inverse CDFs against scipy's; spread quantiles give the shares draws would."""
    from scipy import stats

    scenario, _ = scenario_with(tmp_path, SECTION)
    entries = {e.path: e for e in uncertainty_of(scenario).entries}
    q = np.linspace(0, 1, 41)
    expected = {
        "beliefs.noise": stats.uniform(0.05, 0.15).ppf(q),
        "beliefs.red_line_doubt": stats.truncnorm(-0.5, 0.5, loc=0.2, scale=0.2).ppf(q),
        "actors.Russia.no_deal_adjustment": stats.beta(2, 5, loc=0.3, scale=0.1).ppf(q),
        "actors.Russia.outside_option.base_cost": stats.triang(0.3, loc=0.02, scale=0.1).ppf(q),
    }
    for path, values in expected.items():
        assert [entries[path].at(p) for p in q] == pytest.approx(values, abs=1e-9), path

    spread = (np.arange(4000) + 0.5) / 4000
    deadlines = [
        entries["events.Five US military helicopters for Ukraine.day"].at(p) for p in spread
    ]
    assert all(type(v) is int for v in deadlines)
    assert np.bincount(deadlines)[8:].tolist() == [1000] * 4  # each whole number alike
    strengths = [entries["actors.Russia.outside_option.defender_strength"].at(p) for p in spread]
    assert all(type(v) is int and 120000 <= v <= 160000 for v in strengths)
    assert strengths == sorted(strengths)  # monotone in the quantile
    deterrence = [entries["events.More US weapons arrive in Kyiv.deterrence"].at(p) for p in spread]
    assert np.mean(deterrence) == 0.75 and deterrence[0] is True and deterrence[-1] is False


def test_an_unbounded_normal_is_finite_at_quantiles_0_and_1():
    bell = Normal(0.0, 1.0)
    assert bell.quantile(0.5) == pytest.approx(0.0)
    assert -8 < bell.quantile(0.0) < -7 and 7 < bell.quantile(1.0) < 8


def test_uncertainty_at_sets_every_path_in_order(tmp_path):
    scenario, _ = scenario_with(tmp_path, SECTION)
    uncertainty = uncertainty_of(scenario)
    values = uncertainty.at([0.5] * len(uncertainty.entries))
    assert list(values) == list(uncertainty.paths)
    assert values["events.Five US military helicopters for Ukraine.day"] in (9, 10)
    with_changes(scenario, values)
    with pytest.raises(ValueError):
        uncertainty.at([0.5])  # one quantile per entry


def test_a_fixed_value_made_uncertain_over_a_range():
    scenario = load_scenario(UKRAINE)
    no_deal = ranged(scenario, "actors.NATO.no_deal_adjustment", -0.1, 0.1)
    assert not no_deal.integer and no_deal.at(0.5) == pytest.approx(0.0)
    days = ranged(scenario, "protocol.deadline", 24, 36)
    assert days.integer and [days.at(q) for q in (0, 0.5, 0.99)] == [24, 30, 36]
    for path, low, high, message in [
        ("beliefs.noise", 0.0, 0.3, "already uncertain"),
        ("protocol.deadlin", 5, 9, r"protocol.deadlin: cannot set 5\.0: unknown field 'deadlin'"),
        ("actors.NATO.no_deal_adjustment", 0.5, 0.3, r"low \(0.5\) must be below high \(0.3\)"),
        ("actors.NATO.no_deal_adjustment", -0.1, 1.5, "cannot set 1.5"),
    ]:
        with pytest.raises(ValueError, match=message):
            ranged(scenario, path, low, high)
