import pytest

from negotiation_sim.outside_option import WarOption


def war(**kw):
    base = dict(border_troops=100_000, defender_strength=100_000, base_cost=0.1)
    return WarOption(**{**base, **kw})


def test_fearon_expected_value():
    # p = 100k / (100k + 100k) = 0.5; EV = 0.5 * 1 + 0.5 * 0 - 0.1 = 0.4
    assert war().value() == pytest.approx(0.4)


def test_belarus_forces_raise_p_with_their_multiplier():
    # A = 100k + 2 * 50k = 200k, D = 100k: p = 2/3
    assert war(belarus_troops=50_000, belarus_multiplier=2).win_probability() == pytest.approx(
        2 / 3
    )


def test_deliveries_lower_p_and_nato_troops_raise_cost():
    armed = war().changed({"deliveries": 10, "per_delivery": 10_000})
    assert armed.win_probability() == pytest.approx(100 / 300)
    deployed = war(cost_per_1000_nato_troops=0.01).changed({"nato_troops": 5000})
    assert deployed.cost == pytest.approx(0.15)
    assert deployed.value() < war().value()


def test_misperceived_defence_changes_the_estimate():
    assert war().value(defender_scale=0.5) > war().value()


def test_unknown_or_bad_inputs_are_rejected():
    with pytest.raises(KeyError, match="unknown war input"):
        war().changed({"tanks": 3})
    with pytest.raises(ValueError, match="base_cost"):
        war(base_cost=-1)
    with pytest.raises(ValueError, match="border_troops"):
        war(border_troops=float("nan"))


def test_a_change_is_checked_like_a_new_option_and_starts_its_own_values():
    """``changed`` checks only what it changes, and the copy equals the option built anew."""
    before = war()
    assert before.value() == pytest.approx(0.4)  # kept in the original's memo
    after = before.changed({"border_troops": 100_000, "base_cost": 0.05})
    assert after == war(border_troops=200_000, base_cost=0.1 + 0.05)
    assert after.value() == pytest.approx(2 / 3 - 0.15)  # not the original's kept value
    assert before.value() == pytest.approx(0.4)
    with pytest.raises(ValueError, match="border_troops must be finite and non-negative"):
        before.changed({"border_troops": -200_000})
    with pytest.raises(ValueError, match="nato_troops is 1e\\+13: beyond"):
        before.changed({"nato_troops": 1e13})
    with pytest.raises(ValueError, match="forces are both zero"):
        before.changed({"border_troops": -100_000, "defender_strength": -100_000})


def test_a_shared_option_keeps_few_values_however_many_runs_read_it():
    """Every run of a scenario reads its war option at its own drawn defence scale: the
    option keeps only the last few, and a value dropped is worked out again the same."""
    option = war()
    first = option.value(0.5)
    for k in range(1000):
        assert option.value(1.0 + k / 1000) == war().value(1.0 + k / 1000)
    assert len(option._values) <= 4
    assert option.value(0.5) == first
