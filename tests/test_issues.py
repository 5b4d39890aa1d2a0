import numpy as np
import pytest

from negotiation_sim.issues import Issue, Option, OutcomeSpace
from tests.factories import make_space


def test_space_enumerates_every_combination_once():
    space = make_space([4, 4, 3, 3, 2, 3])
    assert len(space) == 4 * 4 * 3 * 3 * 2 * 3 == 864
    assert space.packages.dtype.kind == "i"
    assert len({tuple(row) for row in space.packages}) == 864


def test_index_of_and_terms_round_trip():
    space = make_space([3, 2, 4])
    for k in range(len(space)):
        assert space.index_of(space.terms(k)) == k
        assert space.index_of(space.packages[k]) == k


def test_missing_issues_stay_at_status_quo():
    space = make_space([3, 2])
    index = space.index_of({"i0": "o2"})
    assert space.terms(index) == {"i0": "o2", "i1": "o0"}
    assert space.moved(index) == ("i0",)
    assert space.moved(space.status_quo_index) == ()


def test_issue_off_the_table_only_offers_its_status_quo():
    on = Issue("a", (Option("x", 0.0), Option("y", 1.0)))
    off = Issue("b", (Option("p", 0.0), Option("q", 0.5), Option("r", 1.0)), 1, on_table=False)
    space = OutcomeSpace((on, off))
    assert len(space) == 2
    assert set(space.packages[:, 1]) == {1}
    with pytest.raises(KeyError, match="not in the outcome space"):
        space.index_of({"b": "r"})


def test_unknown_names_are_reported():
    space = make_space([2])
    with pytest.raises(KeyError, match="no option 'o9'"):
        space.index_of({"i0": "o9"})
    with pytest.raises(KeyError, match="unknown issue"):
        space.index_of({"nope": "o0"})


def test_packages_cannot_be_modified():
    space = make_space([2, 2])
    with pytest.raises(ValueError):
        space.packages[0, 0] = 1
    assert np.all(space.packages >= 0)


def test_an_outcome_space_too_large_to_enumerate_is_refused():
    with pytest.raises(ValueError, match="16,777,216 packages is more than"):
        make_space([8] * 8)
