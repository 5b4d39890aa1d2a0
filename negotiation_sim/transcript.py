"""Human-readable and JSON renderings of a run: the round-by-round transcript and outcome."""

from __future__ import annotations

import math
from typing import Any

from negotiation_sim.model import NegotiationModel, Offer, RunResult


def describe_terms(model: NegotiationModel, terms: dict[str, str]) -> str:
    """Only the issues a package moves off the status quo (else 'status quo'): an offer's
    gist, in one line."""
    moved = [
        f"{issue.name}={terms[issue.name]}"
        for issue in model.space.issues
        if terms[issue.name] != issue.options[issue.status_quo].name
    ]
    return ", ".join(moved) or "status quo"


def _offer_line(model: NegotiationModel, offer: Offer) -> str:
    worth = " ".join(f"{name}={u:.2f}" for name, u in offer.utilities.items())
    answers = ", ".join(f"{name} {'yes' if ok else 'no'}" for name, ok in offer.replies.items())
    unsigned = "" if offer.signed else f"; {offer.proposer} would not sign it (below its floor)"
    return (
        f"  {offer.proposer} offers: {describe_terms(model, offer.terms)}\n"
        f"      worth {worth}; replies: {answers}{unsigned}"
    )


def all_terms(model: NegotiationModel, terms: dict[str, str]) -> str:
    """Every issue of an agreement, those left where they were marked ``(status quo)``: what
    was agreed includes what was agreed not to change."""
    return ", ".join(
        f"{issue.name}={terms[issue.name]}"
        + (" (status quo)" if terms[issue.name] == issue.options[issue.status_quo].name else "")
        for issue in model.space.issues
    )


def key(model: NegotiationModel) -> str:
    """One line saying what the transcript's numbers are."""
    walkers = [a.name for a in model.negotiators.values() if a.has_outside_option]
    pressure = (
        f"; escalation pressure: {' or '.join(walkers)}'s value of its outside option minus "
        "its value of negotiating on (above 0 it walks out)"
        if walkers
        else ""
    )
    return (
        "Key: an offer names the issues it moves off the status quo; worth is its utility "
        f"to each actor (0..1){pressure}"
    )


def format_result(model: NegotiationModel, result: RunResult) -> str:
    line = f"Outcome: {result.outcome.replace('_', ' ')} in round {result.round}"
    if result.escalated_by:
        line += f" ({result.escalated_by} takes its outside option)"
    if result.agreement is not None:
        line += f"\n  terms: {all_terms(model, result.agreement)}"
    utilities = ", ".join(f"{name} {u:.2f}" for name, u in result.utilities.items())
    return f"{line}\n  utilities: {utilities}"


def format_transcript(model: NegotiationModel) -> str:
    """The whole run as text: events, offers with their worth and replies, pressure, outcome."""
    lines = [
        f"{model.negotiation.name}: {len(model.space)} packages, deadline {model.deadline}",
        key(model),
    ]
    for record in model.transcript:
        lines.append(f"Round {record.round}")
        lines.extend(f"  event: {name}" for name in record.events)
        lines.extend(_offer_line(model, offer) for offer in record.offers)
        if not math.isnan(record.escalation_pressure):
            lines.append(f"  escalation pressure {record.escalation_pressure:+.3f}")
    if model.result is not None:
        lines.append(format_result(model, model.result))
    return "\n".join(lines)


def transcript_json(model: NegotiationModel) -> dict[str, Any]:
    """The run as plain data (``json.dumps``-able): scenario, rounds and result."""
    rounds = [
        {
            "round": r.round,
            "events": r.events,
            "offers": [
                {
                    "proposer": o.proposer,
                    "package": o.package,
                    "terms": o.terms,
                    "utilities": o.utilities,
                    "replies": o.replies,
                    "signed": o.signed,
                }
                for o in r.offers
            ],
            "escalation_pressure": _finite_or_none(r.escalation_pressure),
            "choices": r.choices,
        }
        for r in model.transcript
    ]
    return {
        "scenario": model.negotiation.name,
        "deadline": model.deadline,
        "rounds": rounds,
        "result": None if model.result is None else model.result.to_dict(),
    }


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None
