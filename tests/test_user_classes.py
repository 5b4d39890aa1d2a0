"""A strategy or actor class defined where worker processes cannot import it (a notebook
cell, ``python -c``, ``__main__``) still plays in their runs, or fails saying why."""

import pickle
import subprocess
import sys
import threading

import pytest

from negotiation_sim import ACTOR_CLASSES, STRATEGIES, Strategy, load_scenario, run_ensemble
from negotiation_sim.ensemble.user_classes import UnsendableClass, register_sent, user_classes
from tests.conftest import ROOT

NOTEBOOK_CELLS = """
from negotiation_sim import ACTOR_CLASSES, STRATEGIES, Russia, Strategy, load_scenario
from negotiation_sim import run_ensemble, with_changes

@STRATEGIES.register("nb_folder")
class NotebookFolder(Strategy):
    def target(self, me, t):
        return me.best if t < 0.5 else me.floor

@ACTOR_CLASSES.register("NotebookRussia")
class NotebookRussia(Russia):
    def escalation_pressure(self, ahead):
        return super().escalation_pressure(ahead) - 0.02

scenario = with_changes(
    load_scenario("ukraine_2022"),
    {"actors.United States.strategy": "nb_folder", "actors.Russia.class": "NotebookRussia"},
)
tables = [
    run_ensemble(scenario, runs=120, seed=3, workers=k, progress=False).runs for k in (1, 2)
]
assert tables[0].equals(tables[1])
print(tables[0]["outcome"].value_counts().to_dict())
"""


def test_classes_of_a_notebook_cell_play_in_a_two_worker_ensemble():
    """``python -c`` runs code with no file behind ``__main__``, as a notebook kernel does:
    the workers cannot re-import it, so only classes sent along reach them."""
    done = subprocess.run(
        [sys.executable, "-c", NOTEBOOK_CELLS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "escalation" in done.stdout


def test_without_cloudpickle_a_notebook_class_fails_naming_the_workers_and_the_ways_out():
    """cloudpickle comes with the notebook extra; without it a class of a notebook cell
    travels by reference, which the workers cannot resolve, and the run says what to do."""
    hidden = "import sys\nsys.modules['cloudpickle'] = None  # as if not installed\n"
    done = subprocess.run(
        [sys.executable, "-c", hidden + NOTEBOOK_CELLS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode != 0
    (last,) = done.stderr.strip().splitlines()[-1:]
    assert last.startswith("negotiation_sim.ensemble.runner.RunFailed: ")
    assert "is not a known" in last and "(in a worker process: " in last
    assert "workers=1" in last and 'pip install "negotiation-sim[notebook]"' in last


def test_a_class_that_cannot_be_pickled_fails_naming_the_workers_and_both_ways_out(monkeypatch):
    class Locked(Strategy):
        guard = threading.Lock()  # a lock cannot be pickled, so the class cannot travel

        def target(self, me, t):
            return me.best

    Locked.__module__ = "__main__"  # as if defined in a notebook: pickled by value
    monkeypatch.setitem(STRATEGIES._items, "locked", Locked)
    scenario = load_scenario("textbook_two_party")
    with pytest.raises(UnsendableClass) as error:
        run_ensemble(scenario, runs=60, seed=1, workers=2, progress=False)
    message = str(error.value)
    assert "the strategy 'locked'" in message and "worker processes" in message
    assert "a module the workers can import" in message and "workers=1" in message
    run_ensemble(scenario, runs=60, seed=1, workers=1, progress=False)  # one way out


def test_a_worker_keeps_a_class_it_already_knows_by_that_name(monkeypatch):
    class Sent(Strategy):
        def target(self, me, t):
            return me.best

    class Known(Sent):
        pass

    monkeypatch.setitem(STRATEGIES._items, "twice", Sent)
    payload = user_classes()
    monkeypatch.setitem(STRATEGIES._items, "twice", Known)  # the worker's own, re-imported
    register_sent(payload)
    assert STRATEGIES.get("twice") is Known
    monkeypatch.delitem(STRATEGIES._items, "twice")
    register_sent(payload)
    assert STRATEGIES.get("twice").__name__ == "Sent"


def test_nothing_is_sent_when_every_class_is_the_library_s(monkeypatch):
    for registry in (STRATEGIES, ACTOR_CLASSES):
        own = {n: c for n, c in registry.items() if c.__module__.startswith("negotiation_sim.")}
        monkeypatch.setattr(registry, "_items", own)  # other tests register classes of theirs
    assert user_classes() is None


def test_a_class_a_worker_cannot_load_is_left_out(monkeypatch):
    sent = {
        "strategy": {"gone": pickle.dumps(Strategy).replace(b"negotiation_sim", b"nowhere_sim")}
    }
    register_sent(pickle.dumps(sent))
    assert "gone" not in STRATEGIES
