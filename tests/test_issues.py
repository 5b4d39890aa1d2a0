import numpy as np
import pytest

from negotiation_sim import limits
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


def test_an_outcome_space_too_large_for_memory_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "available_memory", lambda: 10**9)
    with pytest.raises(ValueError, match=r"16,777,216 packages for 1 actor need about 3\.4 GB"):
        make_space([8] * 8)


def test_more_options_than_int16_holds_are_coded_exactly():
    space = OutcomeSpace(
        (
            Issue("wide", tuple(Option(f"o{k}", k / 39_999) for k in range(40_000))),
            Issue("yes_no", (Option("no", 0.0), Option("yes", 1.0))),
        )
    )
    assert len(space) == 80_000 and space.packages.dtype == np.int32
    assert space.terms(len(space) - 1) == {"wide": "o39999", "yes_no": "yes"}
    assert space.index_of({"wide": "o39999", "yes_no": "no"}) == 79_998
    assert make_space([3, 4]).packages.dtype == np.int16
