"""A parsed scenario document in, a validated ``Scenario`` out, every problem located.

Reading a scenario file takes three steps, each reporting a ``ScenarioError``
that names the file, line and field of the problem:

1. read the YAML with a safe loader that keeps the line of every key and list
   item (and refuses duplicate keys and tags that would build Python objects);
2. resolve variants: a file with ``extends: base.yaml`` starts from the base,
   replaces the top-level keys it gives, then sets each ``set: {dotted.path:
   value}`` entry (``with_changes`` does the same from code);
3. check the shape with the pydantic models of ``schema`` and then the meaning
   (names resolve, red lines leave something to accept) while building the
   ``Scenario``.

Steps 1 and 2 live in ``document``; this module is step 3, and ``load`` runs all three.

Fields are named by dotted paths using the names of issues, actors and events
rather than list positions: ``actors.Russia.weights.open_door``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from negotiation_sim.actors import ACTOR_CLASSES
from negotiation_sim.beliefs import BeliefNoise
from negotiation_sim.identity_cache import IdentityCache
from negotiation_sim.issues import Issue, Option, OutcomeSpace
from negotiation_sim.limits import ROUNDS, memory_problem
from negotiation_sim.outside_option import CHANGEABLE, WarOption
from negotiation_sim.preferences import Preferences, RedLine, ideal_values, normalised
from negotiation_sim.scenario.document import (
    Document,
    Location,
    as_document,
    changed,
    describe,
)
from negotiation_sim.scenario.errors import ScenarioError, excerpt, quoted
from negotiation_sim.scenario.schema import (
    ActorDoc,
    BeliefsDoc,
    EventDoc,
    IssueDoc,
    LeakDoc,
    OptionDoc,
    ProtocolDoc,
    ScenarioDoc,
)
from negotiation_sim.scenario.types import ActorSpec, Event, Leak, Protocol, Scenario, StrategySpec
from negotiation_sim.strategies import STRATEGIES


def with_changes(base: Scenario | Mapping[str, Any], changes: Mapping[str, Any]) -> Scenario:
    """A re-validated scenario with values set by dotted path, for what-ifs and Monte Carlo.

    ``with_changes(s, {"actors.Russia.outside_option.base_cost": 0.1, "protocol.deadline": 5})``.
    An unknown path, or a value the file could not hold, is a ``ScenarioError``.
    """
    if isinstance(base, Scenario):
        if base.document is None:
            raise ValueError("this scenario was not built from a document; load it from a file")
        doc, path = as_document(base.document, base.path), base.path
    else:
        doc, path = as_document(base, None), None
    return scenario_from_document(changed(doc, changes, None), path)


def scenario_from_document(doc: Mapping[str, Any], path: str | Path | None = None) -> Scenario:
    """Validate a parsed document (a ``Document`` or a plain mapping) and build its ``Scenario``."""
    scenario = _build(as_document(doc, path), path, _Problems(collect=False))
    assert scenario is not None  # without collecting, a problem has been raised
    return scenario


def document_problems(
    doc: Mapping[str, Any], path: str | Path | None = None
) -> tuple[Scenario | None, list[ScenarioError]]:
    """The scenario and no problem, or None and every problem found, each located.

    Sections that do not depend on each other are all checked: every schema error, the
    issues, each actor, the protocol. A section that needs another (the events need the
    actors' war options) is checked once what it needs is sound.
    """
    problems = _Problems(collect=True)
    scenario = _build(as_document(doc, path), path, problems)
    return (None if problems.found else scenario), problems.found


class _Problems:
    """Where a check's ``ScenarioError`` goes: raised at once (loading) or kept (validating)."""

    def __init__(self, collect: bool) -> None:
        self.collect = collect
        self.found: list[ScenarioError] = []

    def check[T](self, step: Callable[..., T], *args: Any) -> T | None:
        """``step(*args)``, or None after keeping its error."""
        try:
            return step(*args)
        except ScenarioError as error:
            if not self.collect:
                raise
            self.found.append(error)
            return None


def _build(doc: Document, path: str | Path | None, problems: _Problems) -> Scenario | None:
    try:
        model = ScenarioDoc.model_validate(doc)
    except ValidationError as exc:
        errors = _schema_errors(doc, exc)
        if not problems.collect:
            raise errors[0] from None
        problems.found.extend(errors)
        return None
    space = problems.check(_space, doc, model)
    names = [actor.name for actor in model.actors]
    problems.check(_unique_names, doc, "actors", names, "actor")
    actors = [
        problems.check(_built_actor, doc, i, node, a, space)
        for i, (node, a) in enumerate(zip(doc["actors"], model.actors, strict=True))
        if space is not None
    ]
    specs = tuple(actor for actor in actors if actor is not None)
    if space is not None and len(specs) == len(names):  # every actor built
        problems.check(_check_parties, doc, specs)
    protocol = problems.check(_protocol, doc, model.protocol, names)
    if space is None or protocol is None or problems.found:
        return None
    events = _timed(doc, model.events, specs, protocol, problems)
    if events is None:
        return None
    scenario = Scenario(
        name=model.name,
        space=space,
        actors=specs,
        protocol=protocol,
        beliefs=_beliefs(model.beliefs),
        events=events,
        description=model.description.strip(),
        path=Path(path) if path is not None else None,
        observed_outcome=model.observed_outcome.outcome if model.observed_outcome else None,
        document=doc,
    )
    problems.check(_check_reservations, doc, scenario)
    return scenario


def _timed(
    doc: Document,
    events: Sequence[EventDoc],
    actors: Sequence[ActorSpec],
    protocol: Protocol,
    problems: _Problems,
) -> tuple[Event, ...] | None:
    """The events, checked against the actors and the protocol, and then the leak's chooser
    (the checks that read actors and protocol together; ensembles run them per run too)."""
    timed = problems.check(_events, doc, events, actors, protocol)
    if timed is not None and protocol.leak is not None and protocol.leak.chosen_by is not None:
        problems.check(_leaker, doc, protocol.leak.chosen_by, actors)
    return timed


def _beliefs(beliefs: BeliefsDoc) -> BeliefNoise:
    return BeliefNoise(beliefs.noise, beliefs.red_line_doubt, beliefs.types)


def _space(doc: Document, model: ScenarioDoc) -> OutcomeSpace:
    """The outcome space of the issues, reused while the issues section is the same object."""
    space = _BUILT.get(doc["issues"])
    if space is None:
        _unique_names(doc, "issues", [issue.name for issue in model.issues], "issue")
        issues = tuple(_issue(doc, ("issues", i), doc_) for i, doc_ in enumerate(model.issues))
        too_big = memory_problem(OutcomeSpace.size_of(issues), len(model.actors))
        if too_big:
            raise doc.error(("issues",), too_big)
        space = OutcomeSpace(issues)
        _BUILT.put((doc["issues"],), space)
    return space


def _built_actor(
    doc: Document, i: int, node: Any, actor: ActorDoc, space: OutcomeSpace
) -> ActorSpec:
    """Actor ``i``, reused while its section and the outcome space are the same objects."""
    return _BUILT.get(node, space) or _BUILT.put(
        (node, space), _actor(doc, ("actors", i), actor, space)
    )


_BUILT = IdentityCache()  # the issues and actors built from unchanged document sections


def _check_parties(doc: Document, actors: Sequence[ActorSpec]) -> None:
    """A strategy made for a number of parties (Rubinstein's and Zeuthen's: two) plays only
    in a scenario with that many actors."""
    for i, actor in enumerate(actors):
        parties = STRATEGIES.get(actor.strategy.name).parties
        if parties is not None and parties != len(actors):
            raise doc.error(
                ("actors", i, "strategy"),
                f"{actor.strategy.name} is a strategy for {parties} parties, and this scenario "
                f"has {len(actors)} actors",
            )


def _check_reservations(
    doc: Document, scenario: Scenario, changed: Sequence[int] | None = None
) -> None:
    """Each actor can accept something: its reservation value is within its reach
    (checked for the actors at ``changed`` alone, where only their preferences changed).

    Uses the scenario's utilities, which the model reuses, so nothing is computed twice.
    """
    for i in range(len(scenario.actors)) if changed is None else changed:
        actor = scenario.actors[i]
        reachable = scenario.utilities[actor.name][scenario.allowed[actor.name]]
        best, reservation = float(reachable.max()), actor.preferences.reservation
        if reservation > best:
            given = [k for k in ("reservation", "no_deal_adjustment") if k in doc["actors"][i]]
            raise doc.error(
                ("actors", i, *given[:1]),
                f"no deal is worth {reservation:.4g} to {actor.name} (its status quo"
                f"{', adjusted' if given else ''}), above the best package its red lines "
                f"allow ({best:.3f}): it could never accept anything",
            )


_EXPECTED = {
    "string_type": "a name (text)",
    "float_type": "a number",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "list_type": "a list",
}


def _schema_errors(doc: Document, exc: ValidationError) -> list[ScenarioError]:
    """Each pydantic error as one located line (once, though a union may report it twice)."""
    errors = [_schema_error(doc, error) for error in exc.errors(include_url=False)]
    return list({str(error): error for error in errors}.values())


def _schema_error(doc: Document, error: Any) -> ScenarioError:
    kind, value = error["type"], error.get("input")
    path = _document_path(doc, error["loc"])
    if kind == "missing":
        return doc.error((*path, error["loc"][-1]), "required field is missing")
    if kind == "unknown_field":
        return doc.error((*path, error["ctx"]["key"]), error["msg"])
    if kind == "string_type" and isinstance(value, bool):
        example = "yes" if value else "no"
        return doc.error(
            path,
            f"got the boolean {str(value).lower()}: YAML reads bare yes/no/on/off as booleans;"
            f' quote it if it is a name, e.g. "{example}"',
        )
    if kind in _EXPECTED:
        return doc.error(path, f"expected {_EXPECTED[kind]}, got {describe(value)}")
    return doc.error(path, f"{error['msg'].removeprefix('Input ')}, got {quoted(value)}")


def _document_path(data: Any, loc: Sequence[Any]) -> Location:
    """The part of a pydantic error location that exists in the document (drops union tags)."""
    path: list[Any] = []
    node = data
    for part in loc:
        if _holds(node, part):
            node = node[part]
            path.append(part)
    return tuple(path)


def _holds(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _index(doc: Document, at: Location, known: Sequence[str], name: str, kind: str) -> int:
    """Position of ``name`` among ``known``, or an error at ``at`` listing the known names."""
    if name in known:
        return known.index(name)
    known_names = excerpt(", ".join(known), 200)
    raise doc.error(at, f"{quoted(name)} is not a known {kind} (known: {known_names})")


def _unique(doc: Document, paths: Sequence[Location], names: Sequence[str], kind: str) -> None:
    """Refuse a name used twice, pointing at the second use."""
    first: dict[str, Location] = {}
    for path, name in zip(paths, names, strict=True):
        if name in first:
            line = doc.origin(first[name]).line
            also = f" (first on line {line})" if line is not None else ""
            raise doc.error(path, f"{kind} name {quoted(name)} is used twice{also}")
        first[name] = path


def _unique_names(doc: Document, section: str, names: Sequence[str], kind: str) -> None:
    _unique(doc, [(section, i, "name") for i in range(len(names))], names, kind)


def _option(doc: Document, at: Location, issue: Issue, name: str) -> int:
    return _index(doc, at, issue.option_names, name, f"option of {issue.name}")


def _issue(doc: Document, at: Location, issue: IssueDoc) -> Issue:
    located = [isinstance(o, OptionDoc) for o in issue.options]
    if any(located) and not all(located):
        raise doc.error((*at, "options"), "give every option a position, or none of them")
    if all(located):
        placed = [o for o in issue.options if isinstance(o, OptionDoc)]  # all of them
        names = [o.name for o in placed]
        positions = [o.position for o in placed]
        name_paths = [(*at, "options", k, "name") for k in range(len(names))]
        for k in range(1, len(positions)):
            if positions[k] <= positions[k - 1]:
                raise doc.error(
                    (*at, "options", k, "position"),
                    f"positions must increase: {positions[k]} comes after {positions[k - 1]}",
                )
    else:
        names = [o for o in issue.options if isinstance(o, str)]  # all of them
        positions = list(np.linspace(0.0, 1.0, len(names))) if len(names) > 1 else [0.0]
        name_paths = [(*at, "options", k) for k in range(len(names))]
    _unique(doc, name_paths, names, "option")
    status_quo = _index(
        doc, (*at, "status_quo"), names, issue.status_quo, f"option of {issue.name}"
    )
    options = tuple(Option(n, float(p)) for n, p in zip(names, positions, strict=True))
    return Issue(issue.name, options, status_quo, issue.confidence_building, issue.on_table)


def _actor(doc: Document, at: Location, actor: ActorDoc, space: OutcomeSpace) -> ActorSpec:
    walks_out = _actor_class(doc, at, actor).has_outside_option
    if walks_out and actor.outside_option is None:
        raise doc.error(
            (*at, "class"),
            f"class {actor.actor_class} weighs an outside option each round: give the actor "
            "an outside_option",
        )
    if not walks_out and actor.outside_option is not None:
        raise doc.error(
            (*at, "outside_option"),
            f"class {actor.actor_class} has no outside option, so this one would be ignored: "
            "use a class that has one (Russia) or remove it",
        )
    preferences = _preferences(doc, at, actor, space)
    return ActorSpec(
        name=actor.name,
        actor_class=actor.actor_class,
        preferences=preferences,
        strategy=_strategy(doc, (*at, "strategy"), actor.strategy),
        opening=_kept_opening(doc, at, actor, space, preferences),
        coalition=actor.coalition,
        outside_option=_outside_option(doc, (*at, "outside_option"), actor.outside_option),
    )


def _actor_class(doc: Document, at: Location, actor: ActorDoc) -> type[Any]:
    """The registered class of the actor (checked again whenever an actor is rebuilt: a
    worker process knows only the classes registered where it can import them)."""
    _index(doc, (*at, "class"), ACTOR_CLASSES.names(), actor.actor_class, "actor class")
    return ACTOR_CLASSES.get(actor.actor_class)


_PREFERENCE_FIELDS = frozenset(
    {"weights", "ideals", "values", "red_lines", "reservation", "no_deal_adjustment"}
)
"""The fields of an actor that only its preferences read (and its opening's check against
its red lines)."""


def _rebuilt_actor(
    doc: Document,
    at: Location,
    actor: ActorDoc,
    space: OutcomeSpace,
    base: ActorSpec,
    fields: AbstractSet[str],
) -> ActorSpec:
    """Actor ``base`` once the ``fields`` of its section are ``actor``'s: where only its
    preferences and outside option can have changed (what an ensemble draws), only those
    are built again, with the checks that read them; otherwise all of it."""
    if not fields <= _PREFERENCE_FIELDS | {"outside_option"} or (actor.outside_option is None) != (
        base.outside_option is None
    ):  # its class may no longer fit it
        return _actor(doc, at, actor, space)
    _actor_class(doc, at, actor)  # what _actor checks first
    parts: dict[str, Any] = {}
    if "outside_option" in fields:
        parts["outside_option"] = _outside_option(
            doc, (*at, "outside_option"), actor.outside_option
        )
    if fields & _PREFERENCE_FIELDS:
        preferences = _preferences(doc, at, actor, space)
        parts["preferences"] = preferences
        parts["opening"] = _kept_opening(doc, at, actor, space, preferences)
    return dataclasses.replace(base, **parts)


def _kept_opening(
    doc: Document, at: Location, actor: ActorDoc, space: OutcomeSpace, preferences: Preferences
) -> int | None:
    """``_opening``, reused while its sources are the same objects (an ensemble's draws
    change the red lines among a few choices at most)."""
    sources = (actor.opening, space, preferences.red_lines)
    opening = _BUILT.get(*sources) or _BUILT.put(
        sources, (_opening(doc, (*at, "opening"), actor.opening, space, preferences),)
    )
    return opening[0]


def _strategy(doc: Document, at: Location, entry: Any) -> StrategySpec:
    """A strategy by name, checked by building it once with its parameters."""
    if isinstance(entry, str):
        name, params, name_at = entry, {}, at
    else:
        name, params, name_at = entry.name, dict(entry.model_extra or {}), (*at, "name")
    _index(doc, name_at, STRATEGIES.names(), name, "strategy")
    try:
        STRATEGIES.get(name)(**params)
    except (TypeError, ValueError) as exc:
        raise doc.error(at, f"cannot build strategy {name!r}: {exc}") from None
    return StrategySpec(name, params)


def _preferences(doc: Document, at: Location, actor: ActorDoc, space: OutcomeSpace) -> Preferences:
    issues = space.issue_names
    weights = np.zeros(len(issues))
    for name, weight in actor.weights.items():
        weights[_index(doc, (*at, "weights", name), issues, name, "issue")] = weight
    if weights.sum() <= 0:
        raise doc.error((*at, "weights"), "all weights are zero: give some issue a positive weight")
    sources = (actor.ideals, actor.values, space)  # the same objects while an ensemble
    found = _BUILT.get(*sources)  # draws only weights or red lines
    if found is None:
        found = _BUILT.put(sources, _option_values(doc, at, actor, space))
    values, valued = found
    for i, name in enumerate(issues):
        if weights[i] > 0 and i not in valued:
            raise doc.error(
                (*at, "weights", name), f"issue {name!r} has weight but neither an ideal nor values"
            )
    red_lines = _BUILT.get(actor.red_lines, space)
    if red_lines is None:
        red_lines = _BUILT.put(
            (actor.red_lines, space), _red_lines(doc, (*at, "red_lines"), actor, space)
        )
    preferences = Preferences(normalised(weights), values, red_lines)
    return dataclasses.replace(
        preferences, reservation=_no_deal(doc, at, actor, preferences, space)
    )


def _option_values(
    doc: Document, at: Location, actor: ActorDoc, space: OutcomeSpace
) -> tuple[tuple[np.ndarray, ...], frozenset[int]]:
    """Each issue's option values (from its ideal, its table of values, or zero for an issue
    the actor does not care about), read-only, and the issues given an ideal or values."""
    issues = space.issue_names
    ideals: dict[int, float] = {}
    for name, option in actor.ideals.items():
        i = _index(doc, (*at, "ideals", name), issues, name, "issue")
        issue = space.issues[i]
        ideals[i] = issue.options[_option(doc, (*at, "ideals", name), issue, option)].position
    tables: dict[int, np.ndarray] = {}
    for name, table in actor.values.items():
        i = _index(doc, (*at, "values", name), issues, name, "issue")
        if i in ideals:
            line = doc.origin((*at, "ideals", name)).line
            raise doc.error(
                (*at, "values", name),
                f"issue {name!r} has an ideal (line {line}) and values: give one or the other",
            )
        tables[i] = _value_table(doc, (*at, "values", name), space.issues[i], table)
    from_ideals = ideal_values(space, [ideals.get(i, 0.0) for i in range(len(issues))])
    values = tuple(
        tables[i]
        if i in tables
        else from_ideals[i]
        if i in ideals
        else np.zeros(len(issue.options))
        for i, issue in enumerate(space.issues)
    )
    for option_values in values:
        option_values.setflags(write=False)  # shared by preferences built from these sections
    return values, frozenset(ideals) | frozenset(tables)


def _no_deal(
    doc: Document, at: Location, actor: ActorDoc, preferences: Preferences, space: OutcomeSpace
) -> float:
    """What no deal is worth to the actor: its utility of the status quo, which goes on when
    the talks fail, plus ``no_deal_adjustment`` where the file states a reason (a standoff
    that is costly to keep up, an alternative partner). An explicit ``reservation`` must
    agree, so a number cannot quietly contradict the actor's own weights."""
    status_quo = preferences.utility([issue.status_quo for issue in space.issues])
    value = status_quo + actor.no_deal_adjustment
    if actor.reservation is not None and abs(actor.reservation - value) > 1e-9:
        raise doc.error(
            (*at, "reservation"),
            f"{actor.reservation:g} contradicts what no deal is worth to {actor.name} by its "
            f"own weights ({_worth(actor, status_quo, value)}). Drop reservation, or state "
            "why no deal is worth more or less than the status quo as no_deal_adjustment "
            "(marked assumption: with its reason)",
        )
    if not 0.0 <= value <= 1.0:
        raise doc.error(
            (*at, "no_deal_adjustment"),
            f"no deal would be worth {value:.4g} to {actor.name} "
            f"({_worth(actor, status_quo, value)}), outside the utility scale 0..1",
        )
    return value


def _worth(actor: ActorDoc, status_quo: float, value: float) -> str:
    """How ``_no_deal`` came to ``value``, for its errors."""
    worth = f"the status quo goes on, worth {status_quo!r}"
    if actor.no_deal_adjustment:
        worth += f", with no_deal_adjustment {actor.no_deal_adjustment:g}: {value!r}"
    return worth


def _value_table(
    doc: Document, at: Location, issue: Issue, table: Mapping[str, float]
) -> np.ndarray:
    values = np.full(len(issue.options), np.nan)
    for option, value in table.items():
        values[_option(doc, (*at, option), issue, option)] = value
    missing = [issue.options[k].name for k in np.flatnonzero(np.isnan(values))]
    if missing:
        raise doc.error(
            at, f"no value for option(s) {', '.join(missing)}: give every option a value"
        )
    return values


def _red_lines(
    doc: Document, at: Location, actor: ActorDoc, space: OutcomeSpace
) -> tuple[RedLine, ...]:
    lines = []
    for j, entry in enumerate(actor.red_lines):
        here = (*at, j, "options")
        if not entry.options:
            raise doc.error(here, "a red line names at least one issue and its forbidden options")
        forbidden = []
        for name, chosen in entry.options.items():
            i = _index(doc, (*here, name), space.issue_names, name, "issue")
            listed = [chosen] if isinstance(chosen, str) else chosen
            if not listed:
                raise doc.error((*here, name), "a red line forbids at least one option")
            codes = frozenset(_option(doc, (*here, name), space.issues[i], o) for o in listed)
            forbidden.append((i, codes))
        line = RedLine(tuple(forbidden), entry.why or "")
        if line.crossed_by(space.packages).all():
            raise doc.error(
                (*at, j), "this red line rules out every package: nothing is acceptable"
            )
        lines.append(line)
    allowed = np.ones(len(space), dtype=bool)
    for line in lines:
        allowed &= ~line.crossed_by(space.packages)
    if not allowed.any():
        raise doc.error(
            at, "together these red lines rule out every package: nothing is acceptable"
        )
    return tuple(lines)


def _opening(
    doc: Document,
    at: Location,
    opening: Mapping[str, str] | None,
    space: OutcomeSpace,
    prefs: Preferences,
) -> int | None:
    """Package index of the opening offer; an empty or absent opening leaves it to the strategy."""
    if not opening:
        return None
    codes = [issue.status_quo for issue in space.issues]
    for name, option in opening.items():
        i = _index(doc, (*at, name), space.issue_names, name, "issue")
        codes[i] = _option(doc, (*at, name), space.issues[i], option)
        if not space.issues[i].on_table and codes[i] != space.issues[i].status_quo:
            raise doc.error(
                (*at, name), f"issue {name!r} is off the table, so an opening cannot move it"
            )
    index = space.index_of(codes)
    for line in prefs.red_lines:
        if line.crossed_by(space.packages[[index]])[0]:
            why = f" ({line.label})" if line.label else ""
            raise doc.error(at, f"the opening crosses the actor's own red line{why}")
    return index


_WAR_FIELDS = sorted(CHANGEABLE)
_OPTION_FIELDS = sorted(f.name for f in dataclasses.fields(WarOption))
_OPTION_FIELD_SET = frozenset(_OPTION_FIELDS)
_WAR_REQUIRED = [f.name for f in dataclasses.fields(WarOption) if f.default is dataclasses.MISSING]


def _outside_option(
    doc: Document, at: Location, entry: Mapping[str, float] | None
) -> WarOption | None:
    if entry is None:
        return None
    for name in entry:
        if name not in _OPTION_FIELD_SET:
            _index(doc, (*at, name), _OPTION_FIELDS, name, "outside option field")
    for name in _WAR_REQUIRED:
        if name not in entry:
            raise doc.error((*at, name), "required field is missing")
    try:
        return WarOption(**entry)
    except ValueError as exc:
        raise doc.error(at, str(exc)) from None


def _protocol(doc: Document, protocol: ProtocolDoc, actors: Sequence[str]) -> Protocol:
    """The protocol, checked against the actors' names (so that it needs no built actor)."""
    order, reply_only = protocol.order, protocol.reply_only
    if not order:
        raise doc.error(("protocol", "order"), "at least one actor proposes")
    paths = [("protocol", "order", j) for j in range(len(order))]
    paths += [("protocol", "reply_only", j) for j in range(len(reply_only))]
    for path, name in zip(paths, [*order, *reply_only], strict=True):
        _index(doc, path, actors, name, "actor")
    _unique(doc, paths, [*order, *reply_only], "actor")
    left_out = [name for name in actors if name not in order and name not in reply_only]
    if left_out:
        raise doc.error(
            ("protocol", "order"),
            f"every actor takes a turn or is listed in reply_only; the order leaves out "
            f"{', '.join(left_out)}",
        )
    unit, length = _time_unit(doc, protocol)
    rounds = protocol.deadline / length
    if unit == "round" and rounds != int(rounds):
        raise doc.error(("protocol", "deadline"), f"expected a whole number, got {rounds:g}")
    if abs(rounds - round(rounds)) > 1e-9 or round(rounds) < 1:
        raise doc.error(
            ("protocol", "round_length"),
            f"a round of {length:g} {unit}s does not divide the deadline of "
            f"{protocol.deadline:g} {unit}s into whole rounds",
        )
    too_long = ROUNDS.problem(round(rounds))
    if too_long:
        raise doc.error(("protocol", "deadline"), too_long)
    leak = protocol.leak
    return Protocol(
        tuple(order),
        round(rounds),
        None
        if leak is None
        else Leak(
            _round_of(doc, ("protocol", "leak"), leak, unit, length),
            leak.audience_cost,
            leak.pretext,
            leak.chosen_by,
        ),
        round_length=length,
        time_unit=unit,
    )


def _time_unit(doc: Document, protocol: ProtocolDoc) -> tuple[str, float]:
    """The protocol's unit of time and a round's length in it (one round, by default)."""
    if protocol.time_unit is None:
        if protocol.round_length is not None:
            raise doc.error(
                ("protocol", "time_unit"),
                "round_length needs the unit it counts: add time_unit: day",
            )
        return "round", 1.0
    if protocol.time_unit == "round" and protocol.round_length not in (None, 1):
        raise doc.error(
            ("protocol", "round_length"),
            "a round lasts one round; with time_unit: day, a round may last several days",
        )
    if protocol.time_unit == "day" and protocol.round_length is None:
        raise doc.error(("protocol", "round_length"), "required field is missing")
    return protocol.time_unit, float(protocol.round_length or 1.0)


def _leaker(doc: Document, name: str, actors: Sequence[ActorSpec]) -> None:
    """A leak chosen by an actor: one with a war option, since it goes public when war beats
    the deal it hopes for (``Russia.ties_hands``)."""
    at = ("protocol", "leak", "chosen_by")
    _index(doc, at, [actor.name for actor in actors], name, "actor")
    if next(a for a in actors if a.name == name).outside_option is None:
        raise doc.error(
            at,
            f"{name} has no outside_option: only an actor that may go to war "
            "chooses to tie its hands by a leak",
        )


def _round_of(
    doc: Document, at: Location, timed: EventDoc | LeakDoc, unit: str, length: float
) -> int:
    """The round in which something timed in the protocol's unit happens: the first whose
    decisions (taken at the round's end) come on or after it."""
    other = "day" if unit == "round" else "round"
    if getattr(timed, other) is not None:
        raise doc.error(
            (*at, other),
            f"this protocol counts time in {unit}s: give {unit}: instead of {other}:",
        )
    if unit == "round":
        if timed.round is None:
            raise doc.error((*at, "round"), "required field is missing")
        return timed.round
    if timed.day is None:
        raise doc.error((*at, "day"), "required field is missing")
    return max(1, math.ceil(timed.day / length - 1e-9))


def _events(
    doc: Document, events: Sequence[EventDoc], actors: Sequence[ActorSpec], protocol: Protocol
) -> tuple[Event, ...]:
    """Timed events, checked to leave each war option valid once they have all happened."""
    _unique_names(doc, "events", [event.name for event in events], "event")
    wars = {actor.name: actor.outside_option for actor in actors}
    coalitions = {actor.name: actor.coalition for actor in actors}
    unit, length = protocol.time_unit, protocol.round_length
    rounds = [_round_of(doc, ("events", i), e, unit, length) for i, e in enumerate(events)]
    for i in sorted(range(len(events)), key=lambda k: rounds[k]):
        event, at = events[i], ("events", i)
        if rounds[i] > protocol.deadline:
            when = getattr(event, unit)
            raise doc.error(
                (*at, unit),
                f"{unit} {when:g} is after the deadline ({protocol.horizon:g} {unit}s)",
            )
        if event.actor not in wars:
            _index(doc, (*at, "actor"), list(wars), event.actor, "actor")
        war = wars[event.actor]
        if war is None:
            raise doc.error(
                (*at, "actor"), f"{event.actor} has no outside_option for this event to change"
            )
        for name in event.changes:
            if name not in CHANGEABLE:
                _index(doc, (*at, "changes", name), _WAR_FIELDS, name, "outside option field")
        _chooser(doc, at, event, coalitions)
        try:
            wars[event.actor] = war.changed(event.changes)
        except ValueError as exc:
            raise doc.error((*at, "changes"), f"after this event, {exc}") from None
    return tuple(
        Event(r, e.name, e.actor, dict(e.changes), e.deterrence, e.chosen_by, e.cost or 0.0)
        for r, e in zip(rounds, events, strict=True)
    )


def _checked_wars(events: Sequence[Event], actors: Sequence[ActorSpec]) -> None:
    """That the events leave each war option valid once they have all happened, checked in
    the order ``_events`` checks them, for events ``_events`` passed with other war options
    (an ensemble's draws); a ``ValueError``, not located, otherwise."""
    wars = {actor.name: actor.outside_option for actor in actors}
    for event in sorted(events, key=lambda e: e.round):
        war = wars[event.actor]
        if war is None:
            raise ValueError(f"{event.actor} has no outside_option for an event to change")
        wars[event.actor] = war.changed(event.changes)


def _chooser(
    doc: Document, at: Location, event: EventDoc, coalitions: Mapping[str, str | None]
) -> None:
    """A chosen move names its mover: the actor it changes (a build-up of its own forces)
    or one outside that actor's coalition (partners know each other exactly and deter no
    one among them); and it says what it costs the mover."""
    if event.chosen_by is None:
        if event.cost is not None:
            raise doc.error((*at, "cost"), "a cost is for a move some actor chooses: add chosen_by")
        return
    _index(doc, (*at, "chosen_by"), list(coalitions), event.chosen_by, "actor")
    coalition = coalitions[event.actor]
    if event.chosen_by != event.actor and (
        coalition is not None and coalitions[event.chosen_by] == coalition
    ):
        raise doc.error(
            (*at, "chosen_by"),
            "a deterrence move is chosen by an actor outside the coalition of the one it "
            "deters (or, as a build-up, by that actor itself)",
        )
    if event.cost is None:
        raise doc.error((*at, "chosen_by"), "a chosen move costs its mover something: add cost")
