"""``Deferred``: an entry left to be worked out is made once, when first read."""

import pytest

from negotiation_sim.deferred import Deferred


def test_a_deferred_entry_is_worked_out_once_on_first_read():
    calls = []

    def work(a, b):
        calls.append((a, b))
        return a + b

    entries = Deferred({"kept": 1})
    entries.defer("later", work, 2, 3)
    assert calls == [] and list(entries) == ["kept", "later"] and len(entries) == 2
    assert entries["later"] == 5 and entries["later"] == 5
    assert calls == [(2, 3)]


def test_deferring_again_replaces_the_recipe_and_setting_replaces_the_entry():
    entries: Deferred[int] = Deferred()
    entries.defer("x", int, "1")
    entries.defer("x", int, "2")
    assert entries["x"] == 2
    entries["x"] = 7
    entries.defer("y", int, "not a number")  # never read: never worked out
    del entries["y"]
    assert dict(entries) == {"x": 7}
    with pytest.raises(KeyError):
        entries["y"]
