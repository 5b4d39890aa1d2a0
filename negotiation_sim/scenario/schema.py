"""The shape of a scenario file, as pydantic models: which keys exist and what type each holds.

Only the shape is checked here (strict types, ranges, no unknown keys, so a
typo is caught rather than ignored); whether names resolve (an ideal names an
option of that issue, an event names an actor) is checked by the loader,
which knows the whole document. Strict mode keeps YAML's loose typing out:
``"0.3"`` is not a number and ``no`` (a YAML boolean) is not a name.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator
from pydantic_core import PydanticCustomError

from negotiation_sim.scenario.errors import quoted

Name = Annotated[str, Field(min_length=1)]
Number = Annotated[float, Field(allow_inf_nan=False)]
Unit = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Salience = Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)]
"""A salience weight: relative, so any scale up to a million will do (beyond it, a weight
means nothing more, and near 1e308 their sum overflows)."""
Outcome = Literal["agreement", "partial_agreement", "stalemate", "escalation"]


def _shape(value: Any) -> str:
    """Discriminator for fields written either as a bare name or as a mapping."""
    return "mapping" if isinstance(value, dict) else "bare"


class Strict(BaseModel):
    """Base: strict types, and an unknown key is an error that lists the known ones."""

    model_config = ConfigDict(strict=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and cls.model_config.get("extra") == "forbid":
            known = [f.alias or name for name, f in cls.model_fields.items()]
            for key in data:
                if key not in known:
                    raise PydanticCustomError(
                        "unknown_field",
                        "unknown field {shown}; known: {known}",
                        {"shown": quoted(key), "known": ", ".join(known), "key": key},
                    )
        return data


class OptionDoc(Strict):
    name: Name
    position: Unit


class IssueDoc(Strict):
    """Options are bare names (spread evenly over 0..1 in order) or ``{name, position}``."""

    name: Name
    label: str | None = None
    options: Annotated[
        list[
            Annotated[
                Annotated[Name, Tag("bare")] | Annotated[OptionDoc, Tag("mapping")],
                Discriminator(_shape),
            ]
        ],
        Field(min_length=1),
    ]
    status_quo: Name
    confidence_building: bool = False
    on_table: bool = True
    cite: str | None = None


class StrategyDoc(Strict):
    """A strategy with constructor parameters: every key but ``name`` is passed on."""

    model_config = ConfigDict(strict=True, extra="allow")
    name: Name


class RedLineDoc(Strict):
    """Forbidden options per issue; crossed when every issue named picks a forbidden one."""

    options: dict[Name, Name | list[Name]]
    why: str | None = None


class ActorDoc(Strict):
    """``class`` is a Python keyword, hence the alias; unlisted issues weigh zero."""

    name: Name
    actor_class: Name = Field("Negotiator", alias="class")
    coalition: Name | None = None
    strategy: Annotated[
        Annotated[Name, Tag("bare")] | Annotated[StrategyDoc, Tag("mapping")],
        Discriminator(_shape),
    ]
    reservation: Unit | None = None  # by default its utility of the status quo
    no_deal_adjustment: Annotated[float, Field(ge=-1, le=1, allow_inf_nan=False)] = 0.0
    weights: dict[Name, Salience]
    ideals: dict[Name, Name] = {}
    values: dict[Name, dict[Name, Unit]] = {}
    red_lines: list[RedLineDoc] = []
    opening: dict[Name, Name] | None = None
    outside_option: dict[Name, Number] | None = None


Time = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class EventDoc(Strict):
    """When: ``round`` (protocols timed in rounds) or ``day`` (protocols timed in days); with
    ``chosen_by``, the earliest time the named actor may choose to make it, at ``cost``."""

    round: Annotated[int, Field(ge=1)] | None = None
    day: Time | None = None
    name: Name
    actor: Name
    changes: dict[Name, Number]
    deterrence: bool = False
    chosen_by: Name | None = None
    cost: Unit | None = None
    cite: str | None = None


class LeakDoc(Strict):
    """Confidential replies that may become public (see ``scenario.Leak``); with
    ``chosen_by``, from ``round`` or ``day`` on, when the named actor chooses."""

    round: Annotated[int, Field(ge=1)] | None = None
    day: Time | None = None
    audience_cost: Unit = 0.0
    pretext: Weight = 0.0
    chosen_by: Name | None = None
    cite: str | None = None


class ProtocolDoc(Strict):
    """``deadline`` in the protocol's ``time_unit``; a round lasts ``round_length`` of them."""

    order: list[Name]
    reply_only: list[Name] = []
    time_unit: Literal["round", "day"] | None = None
    round_length: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    deadline: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    leak: LeakDoc | None = None


class BeliefsDoc(Strict):
    """``noise`` is a standard deviation on the 0..1 utility scale: above 1 it means nothing."""

    noise: Unit = 0.0
    red_line_doubt: Unit = 0.0
    types: Annotated[int, Field(ge=1, le=100_000)] = 1  # particles per belief (see beliefs)


class ObservedOutcomeDoc(Strict):
    outcome: Outcome
    cite: str | None = None


class ScenarioDoc(Strict):
    """A whole scenario file, after any ``extends``/``set`` has been applied."""

    name: Name
    description: str = ""
    source: str | None = None
    observed_outcome: ObservedOutcomeDoc | None = None
    protocol: ProtocolDoc
    beliefs: BeliefsDoc = BeliefsDoc()
    issues: Annotated[list[IssueDoc], Field(min_length=1)]
    actors: Annotated[list[ActorDoc], Field(min_length=2)]
    events: list[EventDoc] = []
    uncertain: dict[str, Any] | None = None  # checked by negotiation_sim.scenario.uncertainty
