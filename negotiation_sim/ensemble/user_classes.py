"""The user's own strategies and actor classes, sent along to worker processes.

A worker process starts with the library's registries and whatever it imports. A class
registered in a notebook cell, in code run with ``python -c``, or in a module the worker
never imports is unknown there, so a scenario naming it would fail on the worker only.
The runner therefore sends every registered class that is not the library's own with
the chunks it gives to other processes: cloudpickle pickles a class defined in
``__main__`` (a notebook, a script) by value, and one from an importable module by
reference. A worker registers each under its name unless it has that name already
(a script's classes, re-imported there as ``__mp_main__``).
"""

from __future__ import annotations

import multiprocessing
import pickle
from typing import Any

import cloudpickle

from negotiation_sim.actors import ACTOR_CLASSES
from negotiation_sim.registry import Registry
from negotiation_sim.strategies import STRATEGIES

REGISTRIES: dict[str, Registry[Any]] = {"strategy": STRATEGIES, "actor class": ACTOR_CLASSES}
WAYS_OUT = (
    "define it at the top level of a module the workers can import (a file on the path or "
    "an installed package), or run in this process with workers=1"
)


class UnsendableClass(RuntimeError):
    """A user class that cannot be pickled for the worker processes."""


def user_classes() -> bytes | None:
    """The registered classes that are not the library's, pickled; None if there are none."""
    sent: dict[str, dict[str, bytes]] = {}
    for kind, registry in REGISTRIES.items():
        for name, cls in registry.items():
            if cls.__module__.startswith("negotiation_sim."):
                continue
            try:
                sent.setdefault(kind, {})[name] = cloudpickle.dumps(cls)
            except Exception as error:
                raise UnsendableClass(
                    f"the {kind} {name!r} ({cls.__module__}.{cls.__qualname__}) cannot be sent "
                    f"to the worker processes ({type(error).__name__}: {error}): {WAYS_OUT}"
                ) from None
    return pickle.dumps(sent) if sent else None


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
