"""Each run's drawn values set on the already built scenario, without reading its document again.

``with_changes`` resolves every dotted path, copies the document, validates all of it and
builds every section again, which costs about as much as a Ukraine run. An ensemble sets
the same few paths in every run, so a ``Changer`` resolves them once. Per run it validates
each new value with the schema of the one field it changes (``schema``'s own types), and
builds again, with the loader's own functions and checks, only what the values touch: the
actor (only its preferences or outside option where only those are drawn), event,
protocol or beliefs they are in, then the checks that read them (the events' effect on the
war options, the parties, the reservation values). Every other object is the base
scenario's own, so caches keyed on identity (the actors' rankings) still hit. Values that
repeat from run to run (whole days, names) are built once: an event or protocol drawn
before is reused, and events built from sections seen before are checked again only
against the run's war options.

A path it does not handle (the issues, a name others refer to) and a value that fails a
check go through ``with_changes``, which gives the same scenario or the located error.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, TypeAdapter

from negotiation_sim.identity_cache import IdentityCache
from negotiation_sim.scenario import build
from negotiation_sim.scenario.document import Document, Location, resolve
from negotiation_sim.scenario.errors import ScenarioError
from negotiation_sim.scenario.schema import ActorDoc, BeliefsDoc, EventDoc, ProtocolDoc, ScenarioDoc
from negotiation_sim.scenario.types import ActorSpec, Event, Protocol, Scenario

_SECTIONS: dict[str, type[BaseModel]] = {
    "actors": ActorDoc,
    "events": EventDoc,
    "protocol": ProtocolDoc,
    "beliefs": BeliefsDoc,
}
_NAMES = {"actors": {"name", "class", "coalition"}, "events": {"name", "actor", "chosen_by"}}
"""Fields that other sections refer to or group by: changing one is left to ``with_changes``."""
_MISSING = object()
_Item = tuple[str, int | None]
"""A section (``actors``, ``events``, ``protocol``, ``beliefs``) and the item of a list one."""
REPEATS_KEPT = 4096
"""Section items kept per ``Changer`` for values that repeat: enough for every day of a few
timed entries, few enough to cost nothing."""


@dataclasses.dataclass(frozen=True)
class _Target:
    """Where a dotted path lands: a field of one section item, and the place inside it."""

    section: str
    index: int | None  # the item of a list section (actors, events)
    key: str  # the field as the file spells it
    field: str  # and as the schema names it
    rest: Location  # where inside the field's value


class Changer:
    """Sets values at ``paths`` of ``scenario`` (built from a document) run after run."""

    def __init__(self, scenario: Scenario, paths: Iterable[str]) -> None:
        if scenario.document is None:
            raise ValueError("this scenario was not built from a document; load it from a file")
        self.base = scenario
        # Changes made to the document need no line numbers: it was checked when loaded.
        self.document = Document(scenario.document, {}, str(scenario.path))
        self._model = ScenarioDoc.model_validate(self.document)
        self._targets = {path: _target(self.document, path) for path in paths}
        targets = [t for t in self._targets.values() if t is not None]
        self._adapters = {(t.section, t.key): _adapter(t.section, t.field) for t in targets}
        self._fields = {(t.section, t.key): t.field for t in targets}
        self._whole = IdentityCache()
        self._events = IdentityCache()  # the events built from given sections
        self._repeated: dict[tuple[_Item, tuple[tuple[str, type, Any], ...]], Any] = {}

    def apply(self, changes: Mapping[str, Any]) -> Scenario:
        """The base scenario with ``changes`` (dotted path: value) set, behaving as the one
        ``with_changes`` gives (its ``document`` is None: the values are not written back);
        a ``ScenarioError`` as ``with_changes`` raises it."""
        if not changes:
            return self.base
        try:
            applied = self._applied(changes)
        except (ScenarioError, ValueError, KeyError):
            applied = None  # with_changes finds the same problem and locates it
        return applied if applied is not None else build.with_changes(self.document, changes)

    def _applied(self, changes: Mapping[str, Any]) -> Scenario | None:
        written: dict[_Item, dict[str, Any]] = {}
        drawn: dict[_Item, list[tuple[str, Any]]] = {}
        for path, value in changes.items():
            target = self._targets.get(path)
            if target is None:
                return None
            item = (target.section, target.index)
            values = written.setdefault(item, {})
            old = values[target.key] if target.key in values else self._raw(target)
            values[target.key] = _set(old, target.rest, value)
            drawn.setdefault(item, []).append((path, value))
        whole = {id(v) for v in changes.values() if isinstance(v, list | dict)}
        return self._rebuilt(
            {
                item: self._built(item, values, drawn[item], whole)
                for item, values in written.items()
            }
        )

    def _built(
        self, item: _Item, written: dict[str, Any], drawn: list[tuple[str, Any]], whole: set[int]
    ) -> Any:
        """One section item with its written fields validated and set: an actor built again,
        an event's or the beliefs' section, the protocol built. One whose drawn values are
        whole numbers or names (an event's day, a protocol's deadline) is made once per
        distinct set of values, since those repeat from run to run."""
        key = (item, tuple((path, type(v), v) for path, v in drawn))  # True is not 1 here
        repeats = item[0] != "actors" and all(isinstance(v, int | str) for _, v in drawn)
        if repeats and key in self._repeated:
            return self._repeated[key]
        section, index = item
        fields = {
            self._fields[section, name]: self._validated(section, name, value, whole)
            for name, value in written.items()
        }
        model, doc = self._model, self.document
        built: Any
        if section == "actors":
            assert index is not None  # a list section's target names its item
            built = build._rebuilt_actor(
                doc,
                ("actors", index),
                model.actors[index].model_copy(update=fields),
                self.base.space,
                self.base.actors[index],
                fields.keys(),
            )
        elif section == "events":
            assert index is not None
            built = model.events[index].model_copy(update=fields)
        elif section == "protocol":
            changed = model.protocol.model_copy(update=fields)
            built = build._protocol(doc, changed, [a.name for a in model.actors])
        else:
            built = build._beliefs(model.beliefs.model_copy(update=fields))
        if repeats and len(self._repeated) < REPEATS_KEPT:
            self._repeated[key] = built
        return built

    def _validated(self, section: str, key: str, value: Any, whole: set[int]) -> Any:
        """``value`` validated for the field. A list or mapping that is one of the drawn
        values itself (``whole``: a choice among whole items, such as red lines) is
        validated once, so that what is built from it is reused too."""
        if id(value) not in whole:
            return self._adapters[section, key].validate_python(value)
        found = self._whole.get(section, key, value)
        if found is None:
            found = self._whole.put(
                (section, key, value), self._adapters[section, key].validate_python(value)
            )
        return found

    def _rebuilt(self, built: Mapping[_Item, Any]) -> Scenario:
        """The scenario with the items built again, and the checks that read them together
        (the parties, the events' effect on the war options, the reservation values)."""
        base, doc = self.base, self.document
        actors, events = list(base.actors), list(self._model.events)
        protocol, beliefs = base.protocol, base.beliefs
        for (section, index), item in built.items():
            if section == "actors":
                actors[cast(int, index)] = item
            elif section == "events":
                events[cast(int, index)] = item
            elif section == "protocol":
                protocol = item
            else:
                beliefs = item
        pairs = list(zip(actors, base.actors, strict=True))
        preferred = [
            i for i, (new, old) in enumerate(pairs) if new.preferences is not old.preferences
        ]
        if any(new.strategy is not old.strategy for new, old in pairs):  # rebuilt whole
            build._check_parties(doc, actors)
        touched = {section for section, _ in built}
        timed = (
            self._timed(events, actors, protocol)
            if touched & {"actors", "events", "protocol"}
            else base.events
        )
        scenario = dataclasses.replace(
            base,
            actors=tuple(actors),
            protocol=protocol,
            beliefs=beliefs,
            events=timed,
            document=None,
        )
        build._check_reservations(doc, scenario, preferred)
        return scenario

    def _timed(
        self, events: list[EventDoc], actors: list[ActorSpec], protocol: Protocol
    ) -> tuple[Event, ...]:
        """The events, checked against the actors and the protocol as the loader checks them.
        Events built from the same sections (an event's day that repeats) with the same
        rounds and deadline were checked before against everything but the war options
        and the leak's chooser, so only those are checked again."""
        timing = (protocol.time_unit, protocol.round_length, protocol.deadline)
        found = self._events.get(*events)
        if found is None or found[0] != timing:
            timed = build._timed(
                self.document, events, actors, protocol, build._Problems(collect=False)
            )
            assert timed is not None  # without collecting, a problem has been raised
            self._events.put(tuple(events), (timing, timed))
            return timed
        timed = found[1]
        build._checked_wars(timed, actors)
        if protocol.leak is not None and protocol.leak.chosen_by is not None:
            build._leaker(self.document, protocol.leak.chosen_by, actors)
        return cast(tuple[Event, ...], timed)

    def _raw(self, target: _Target) -> Any:
        """The field's value in the document (``_MISSING`` where the file leaves it out)."""
        node: Any = self.document.get(target.section, {})
        if target.index is not None:
            node = node[target.index]
        return node.get(target.key, _MISSING) if isinstance(node, dict) else _MISSING


def _target(document: Document, path: str) -> _Target | None:
    """Where ``path`` lands in the document, or None if ``Changer`` leaves it to
    ``with_changes`` (an unknown path, the issues, a name, a whole section)."""
    try:
        location = resolve(dict(document), path, lambda m: ScenarioError(m, file=""), fresh=True)
    except ScenarioError:
        return None
    section, *inner = location
    listed = section in ("actors", "events")
    if section not in _SECTIONS or len(inner) < 1 + listed:
        return None
    key, rest = inner[int(listed)], tuple(inner[1 + int(listed) :])
    field = _field_name(section, key)
    if key in _NAMES.get(section, ()) or field is None:
        return None
    return _Target(section, inner[0] if listed else None, key, field, rest)


def _field_name(section: str, key: Any) -> str | None:
    """The schema's name of the field the file spells ``key`` (``class`` is ``actor_class``)."""
    for name, field in _SECTIONS[section].model_fields.items():
        if key == (field.alias or name):
            return name
    return None


@functools.cache
def _adapter(section: str, field: str) -> TypeAdapter[Any]:
    """A validator of one field of a section, with the schema's own type and limits (made
    once per process: making one costs about a millisecond)."""
    info = _SECTIONS[section].model_fields[field]
    annotated = cast(Any, Annotated[info.annotation, info])  # a type made at run time
    return TypeAdapter(annotated, config=ConfigDict(strict=True))


def _set(node: Any, rest: Location, value: Any) -> Any:
    """``node`` with ``value`` at ``rest`` inside it, copying what lies on the way."""
    if not rest:
        return value
    copy: Any = {} if node is _MISSING else type(node)(node)
    inner = copy[rest[0]] if isinstance(copy, list) else copy.get(rest[0], _MISSING)
    copy[rest[0]] = _set(inner, rest[1:], value)
    return copy
