"""The user's own strategies and actor classes, sent along to worker processes.

A worker process starts with the library's registries and whatever it imports. A class
registered in a notebook cell, in code run with ``python -c``, or in a module the worker
never imports is unknown there, so a scenario naming it would fail on the worker only.
The runner therefore sends every registered class that is not the library's own with
the chunks it gives to other processes: cloudpickle, where it is installed (the
``notebook`` and ``distributed`` extras bring it), pickles a class defined in
``__main__`` (a notebook, a script) by value; without it, or for a class from an
importable module, a class travels by reference, which a script's workers resolve (they
re-import it) and a notebook's cannot. A worker registers each class under its name unless
it has that name already (a script's classes, re-imported there as ``__mp_main__``), and
leaves out one it cannot load: a scenario naming it then fails with the ways out.
"""

from __future__ import annotations

import multiprocessing
import pickle
from typing import Any

from negotiation_sim.actors import ACTOR_CLASSES
from negotiation_sim.registry import Registry
from negotiation_sim.strategies import STRATEGIES

REGISTRIES: dict[str, Registry[Any]] = {"strategy": STRATEGIES, "actor class": ACTOR_CLASSES}
WAYS_OUT = (
    "define it at the top level of a module the workers can import (a file on the path or "
    "an installed package), or run in this process with workers=1; a class defined in a "
    'notebook travels to workers with cloudpickle: pip install "negotiation-sim[notebook]"'
)


class UnsendableClass(RuntimeError):
    """A user class that cannot be pickled for the worker processes."""


def user_classes() -> bytes | None:
    """The registered classes that are not the library's, pickled; None if there are none."""
    dumps = _pickler()
    sent: dict[str, dict[str, bytes]] = {}
    for kind, registry in REGISTRIES.items():
        for name, cls in registry.items():
            if cls.__module__.startswith("negotiation_sim."):
                continue
            try:
                sent.setdefault(kind, {})[name] = dumps(cls)
            except Exception as error:
                raise UnsendableClass(
                    f"the {kind} {name!r} ({cls.__module__}.{cls.__qualname__}) cannot be sent "
                    f"to the worker processes ({type(error).__name__}: {error}): {WAYS_OUT}"
                ) from None
    return pickle.dumps(sent) if sent else None


def _pickler() -> Any:
    """cloudpickle's ``dumps`` (classes of ``__main__`` by value), else pickle's (by reference)."""
    try:
        import cloudpickle
    except ImportError:
        return pickle.dumps
    return cloudpickle.dumps


def register_sent(payload: bytes | None) -> None:
    """In a worker: register the classes ``user_classes`` sent, keeping names already known."""
    if payload is None:
        return
    for kind, classes in pickle.loads(payload).items():
        registry = REGISTRIES[kind]
        for name, pickled in classes.items():
            if name in registry:
                continue
            try:
                cls = pickle.loads(pickled)
            except Exception:  # e.g. its module cannot be imported here: a scenario that
                continue  # names it fails as an unknown name, with the ways out
            registry.register(name)(cls)


def missing_class_hint(error: Exception) -> str:
    """For a strategy or actor class unknown in a worker process, the ways out; else ""."""
    unknown = isinstance(error, KeyError) or "is not a known" in str(error)
    in_worker = multiprocessing.parent_process() is not None  # the pool's or a Dask nanny's
    return f" (in a worker process: {WAYS_OUT})" if unknown and in_worker else ""
