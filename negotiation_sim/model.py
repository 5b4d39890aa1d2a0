"""``NegotiationModel``: one Mesa step is one round of offers, replies, events and decisions.

A round runs in this order:

1. the scenario's timed events for the round happen (deployments, deliveries),
   and, in the protocol's leak round, the confidential replies become public;
   an actor with an outside option reads the shifts in power still scheduled
   (Powell 2006, see ``Russia.lasting``), and after news or while such shifts lie
   ahead everyone reads the others' floors again;
2. every actor sets its target utility for the round from its strategy;
3. each proposer in the protocol's order makes an offer and every other actor
   replies; the first offer all accept is the agreement;
4. an actor with an outside option (Russia) decides whether to take it;
5. at the deadline with no agreement the talks end in stalemate.

Relative time ``t`` is the share of the talks' time gone when a round's decisions
are taken, at its end: ``round / deadline``, reaching 1 in the deadline round, the
last chance, whatever the rounds' length (``Protocol.round_length``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import mesa
import numpy as np

from negotiation_sim.actors import ACTOR_CLASSES, Negotiator
from negotiation_sim.display import html_table
from negotiation_sim.issues import OutcomeSpace
from negotiation_sim.limits import ROUNDS
from negotiation_sim.sums import weighted_total

if TYPE_CHECKING:
    from negotiation_sim.scenario.types import Event, Scenario

Outcome = Literal["agreement", "partial_agreement", "stalemate", "escalation"]
OUTCOMES: tuple[Outcome, ...] = ("agreement", "partial_agreement", "stalemate", "escalation")
LEAK_EVENT = "the written replies leak"


@dataclass(slots=True)
class Offer:
    """One offer in the transcript: who proposed which package, the replies, and whether its
    proposer would sign it once all accept (``Negotiator.would_sign``: not if it is worth
    less to it than its floor, so an offer every other party accepts may still end nothing).

    Its terms and worth are derived on demand, so recording an offer costs little.
    """

    proposer: str
    package: int
    replies: dict[str, bool]
    signed: bool
    scenario: Scenario = field(repr=False, compare=False)

    @property
    def terms(self) -> dict[str, str]:
        return self.scenario.space.terms(self.package)

    @property
    def utilities(self) -> dict[str, float]:
        """Its worth to each actor."""
        return {name: float(u[self.package]) for name, u in self.scenario.utilities.items()}


@dataclass
class RoundRecord:
    """What happened in one round: the events, as the transcript prints them (a chosen move
    with its mover's reason); of those, the moves an actor chose to make (a chosen leak
    among them) and who chose each, in ``choices``; the offers; and the escalation pressure
    weighed at its end."""

    round: int
    events: list[str] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    escalation_pressure: float = math.nan
    choices: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunResult:
    """How a run ended.

    ``utilities`` holds each actor's utility of the outcome: of the agreed
    package after an agreement; otherwise its reservation value, except for the
    actor that escalated, which gets its expected value of war.
    An agreement that moves no issue off the status quo counts as a stalemate.
    """

    outcome: Outcome
    round: int
    agreement: dict[str, str] | None
    package: int | None
    utilities: dict[str, float]
    escalated_by: str | None = None

    def __repr__(self) -> str:
        by = f" by {self.escalated_by}" if self.escalated_by else ""
        terms = ", ".join(f"{k}={v}" for k, v in (self.agreement or {}).items())
        utilities = ", ".join(f"{name} {u:.2f}" for name, u in self.utilities.items())
        return (
            f"RunResult({self.outcome.replace('_', ' ')} in round {self.round}{by}; "
            f"{f'terms {terms}; ' if terms else ''}utilities {utilities})"
        )

    def _repr_html_(self) -> str:
        """The outcome, its terms and each actor's utility as a table, for notebooks."""
        by = f" ({self.escalated_by} took its outside option)" if self.escalated_by else ""
        rows = [("terms", issue, option) for issue, option in (self.agreement or {}).items()]
        rows += [("utility", name, f"{u:.3f}") for name, u in self.utilities.items()]
        caption = f"{self.outcome.replace('_', ' ')} in round {self.round}{by}"
        return html_table(caption, ["", "issue or actor", "value"], rows)

    def as_row(self) -> dict[str, Any]:
        """A flat record (one DataFrame row): outcome, round, agreed option per issue, utilities."""
        row: dict[str, Any] = {"outcome": self.outcome, "round": self.round}
        row.update({f"term_{k}": v for k, v in (self.agreement or {}).items()})
        row.update({f"utility_{k}": v for k, v in self.utilities.items()})
        return row

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class OfferUtility:
    """DataCollector reporter: the utility to ``actor`` of an agent's offer this round.

    A small class rather than a lambda, so the collector stays picklable.
    """

    def __init__(self, actor: str) -> None:
        self.actor = actor

    def __call__(self, agent: Negotiator) -> float:
        if agent.offer is None:
            return math.nan
        return float(agent.model.true_utilities[self.actor][agent.offer])


class BelievedFloor:
    """DataCollector reporter: an agent's belief of the least ``actor`` accepts (its floor,
    see ``Negotiator.believed_floor``); NaN for the actor itself. With learning beliefs it
    moves as the agent learns, so it shows beliefs converging over a run."""

    def __init__(self, actor: str) -> None:
        self.actor = actor

    def __call__(self, agent: Negotiator) -> float:
        if agent.name == self.actor:
            return math.nan
        return agent.believed_floor(agent.model.negotiators[self.actor])


class FirmRedLine:
    """DataCollector reporter: the probability an agent gives red line ``line`` of ``actor``
    being firm rather than a bluff (by its posterior over types; 1 for a partner's, which it
    knows; NaN for its own)."""

    def __init__(self, actor: str, line: int) -> None:
        self.actor = actor
        self.line = line

    def __call__(self, agent: Negotiator) -> float:
        belief = agent.types.get(self.actor)
        if belief is None:
            return math.nan if agent.name == self.actor else 1.0
        return weighted_total(belief.weights, belief.firm[:, self.line])


class NegotiationModel(mesa.Model):
    """Multi-party negotiation over a scenario's outcome space.

    Args:
        scenario: a validated ``Scenario`` (see ``load_scenario``).
        rng: an int seed or a ``numpy.random.Generator`` (Mesa 3.5 convention);
            every random draw of the run comes from the model's generator.
        rounds: override of the scenario's deadline, in rounds (a file gives its deadline
            in its time unit, e.g. days; ``scenario.protocol.deadline`` is in rounds).
        collect: record per-round data in ``self.datacollector`` (off for speed).
    """

    def __init__(
        self,
        scenario: Scenario,
        rng: int | np.random.Generator | None = None,
        *,
        rounds: int | None = None,
        collect: bool = True,
    ) -> None:
        super().__init__(rng=rng)
        self.deadline = run_length(scenario, rounds)
        self.negotiation = scenario  # Mesa 3.5 reserves `model.scenario` for its own
        self.space = scenario.space
        self.round = 0
        self.result: RunResult | None = None
        self.escalation_pressure = math.nan
        self.leaked = False
        self.transcript: list[RoundRecord] = []
        self.true_utilities = scenario.utilities
        self.allowed = scenario.allowed
        self.negotiators: dict[str, Negotiator] = {
            spec.name: ACTOR_CLASSES.get(spec.actor_class)(self, spec) for spec in scenario.actors
        }
        everyone = list(self.negotiators.values())
        self.round_length = scenario.protocol.round_length
        for actor in everyone:
            actor.prepare([o for o in everyone if o is not actor])
        self._can_walk_out = [a for a in everyone if a.has_outside_option]
        self._look_ahead()
        for actor in everyone:  # the others' floors exist once all have prepared
            actor.reassess()
        self.proposers = [self.negotiators[name] for name in scenario.protocol.order]
        self._learners = [a for a in everyone if a.learns]
        self._learners_about = {  # who learns from a choice of each actor's (set once prepared)
            a.name: [o for o in self._learners if o.learns_about(a.name)] for a in everyone
        }
        self._t = 0.0
        partners = {
            a.name: [p for p in everyone if p is not a and a.is_partner(p)] for a in everyone
        }
        # for each proposer: who replies, each with the coalition partners it coordinates with
        self._repliers = {
            a.name: [(o, partners[o.name]) for o in everyone if o is not a] for a in everyone
        }
        self._events: dict[int, list[Event]] = {}
        for event in scenario.events:
            if event.chosen_by is None:
                self._events.setdefault(event.round, []).append(event)
        self._moves = [event for event in scenario.events if event.chosen_by is not None]
        self.datacollector = self._make_collector() if collect else None
        if self.datacollector:
            self.datacollector.collect(self)

    def _make_collector(self) -> mesa.DataCollector:
        reporters: dict[str, Any] = {"actor": "name", "offer": "offer", "target": "target"}
        reporters.update({f"utility_to_{name}": OfferUtility(name) for name in self.negotiators})
        reporters.update(
            {f"believed_floor_of_{name}": BelievedFloor(name) for name in self.negotiators}
        )
        reporters.update(
            {
                f"firm_red_line_{k}_of_{name}": FirmRedLine(name, k)
                for name, actor in self.negotiators.items()
                for k in range(len(actor.preferences.red_lines))
            }
        )
        return mesa.DataCollector(
            model_reporters={
                "round": "round",
                "escalation_pressure": "escalation_pressure",
                "leaked": "leaked",
                "outcome": "outcome",  # so that mesa.batch_run reports how each run ended
            },
            agent_reporters=reporters,
        )

    # -- one round -----------------------------------------------------------------

    def step(self) -> None:
        """Play one round (does nothing once the run has ended)."""
        if self.result is not None:
            return
        self.round += 1
        t = self._t = self.round / self.deadline
        record = RoundRecord(self.round)
        self.transcript.append(record)
        self.escalation_pressure = math.nan  # not weighed in a round that ends in agreement
        for event in self._events.get(self.round, ()):
            self.negotiators[event.actor].apply_event(event)
            record.events.append(event.name)
        self._maybe_leak(record)
        self._choose_moves(record)
        news = self._look_ahead() or bool(record.events)  # shifts ahead come closer, or news
        for actor in self.negotiators.values():
            if news or actor.learned:  # it reads the others' floors again
                actor.reassess()
        for actor in self.negotiators.values():
            actor.target = actor.strategy.target(actor, t)
            actor.offer = None
        for proposer in self.proposers:
            if self._turn(proposer, record):
                break
        if self.result is None:
            self._outside_options((self.deadline - self.round) / self.deadline, record)
        if self.result is None and self.round >= self.deadline:
            self._finish("stalemate", None)
        if self.datacollector:
            self.datacollector.collect(self)

    def _look_ahead(self) -> bool:
        """Actors with an outside option read the shifts in power still scheduled (Powell
        2006); True if any floor moves with time, so that it must be read each round."""
        return any([a.look_ahead() for a in self._can_walk_out])

    def _choose_moves(self, record: RoundRecord) -> None:
        """Each move open to an actor from this round on, which it makes or not by its rule
        (``Negotiator.chooses``); the others learn from the choice either way (a costly
        signal, ``Negotiator.observe_choice``), and a move made is news like a scripted
        event."""
        for move in [m for m in self._moves if m.round <= self.round]:
            target = self.negotiators[move.actor]
            mover = self.negotiators[move.chosen_by or ""]  # every move here has its mover
            why = mover.chooses(target, move)
            for observer in self._learners_about[mover.name]:
                observer.observe_choice(mover, target, move, why is not None)
            if why is not None:
                self._moves.remove(move)
                target.apply_event(move)
                record.events.append(f"{move.name} (chosen by {mover.name}: {why})")
                record.choices[move.name] = mover.name

    def _maybe_leak(self, record: RoundRecord) -> None:
        """The replies become public in the protocol's leak round, if it has one; or, for a
        leak an actor chooses, in the first round from then on that it chooses to, a
        signal the others learn from whether it leaks or not (``Negotiator.observe_leak``)."""
        leak = self.negotiation.protocol.leak
        if leak is None or self.leaked or leak.round > self.round:
            return
        event = LEAK_EVENT
        if leak.chosen_by is not None:
            mover = self.negotiators[leak.chosen_by]
            why = mover.ties_hands(leak)
            for observer in self._learners_about[mover.name]:
                observer.observe_leak(mover, leak, why is not None)
            if why is None:
                return
            event = f"{LEAK_EVENT} (leaked by {mover.name}: {why})"
            record.choices[LEAK_EVENT] = mover.name
        self.leaked = True
        record.events.append(event)
        for actor in self.negotiators.values():
            actor.go_public(leak)

    def _turn(self, proposer: Negotiator, record: RoundRecord) -> bool:
        """One proposer's offer and everyone else's reply; True if all accepted it."""
        package = proposer.propose()
        proposer.offer = package
        repliers = self._repliers[proposer.name]
        replies = {other.name: other.reply(package, partners) for other, partners in repliers}
        signed = proposer.would_sign(package)
        noes = len(replies) - sum(replies.values())
        for other, _ in repliers:  # in its hand only if everyone else would sign it
            others_agree = noes == 0 or (noes == 1 and not replies[other.name])
            other.receive(proposer.name, package, signed and others_agree)
        record.offers.append(Offer(proposer.name, package, replies, signed, self.negotiation))
        for observer in self._learners:
            observer.observe(proposer.name, package, replies, self._t)
        if signed and noes == 0:
            self._finish(classify(self.space, package), package)
            return True
        return False

    def _outside_options(self, ahead: float, record: RoundRecord) -> None:
        """Each actor with an outside option weighs it, the most pressed first."""
        if not self._can_walk_out:
            return
        weighed = sorted(
            ((a.escalation_pressure(ahead), a.name) for a in self._can_walk_out), reverse=True
        )
        self.escalation_pressure = record.escalation_pressure = weighed[0][0]
        for pressure, name in weighed:
            if self.negotiators[name].escalates(pressure, ahead == 0, self.round_length):
                self._finish("escalation", None, escalated_by=name)
                return

    def _finish(
        self, outcome: Outcome, package: int | None, escalated_by: str | None = None
    ) -> None:
        if package is not None:
            utilities = {n: float(u[package]) for n, u in self.true_utilities.items()}
        else:
            utilities = {n: a.reservation for n, a in self.negotiators.items()}
        if escalated_by is not None:
            utilities[escalated_by] = self.negotiators[escalated_by].outside_value
        self.result = RunResult(
            outcome=outcome,
            round=self.round,
            agreement=None if package is None else self.space.terms(package),
            package=package,
            utilities=utilities,
            escalated_by=escalated_by,
        )
        self.running = False

    @property
    def outcome(self) -> Outcome | None:
        """How the run ended; None while the talks go on."""
        return None if self.result is None else self.result.outcome

    def run(self) -> RunResult:
        """Step until the talks end; return the result.

        With nothing else on Mesa's event list (no simulator, no scheduled events of a
        user's), the rounds are played straight from here rather than through Mesa's
        step wrapper, which costs a plain run a third of its time (an event, weak
        references and a log call per step); ``steps`` and ``time`` count as Mesa's own
        loop counts them, and stepping on afterwards works as before."""
        schedule = self._default_schedule
        if self._simulator is not None or len(self._event_list) != 1:
            while self.result is None:
                self.step()
            return self.result
        schedule.pause()  # its pending step is replaced by the loop below ...
        while self.result is None:
            self.time += 1.0
            self.steps += 1
            self._user_step()
        schedule.resume()  # ... and scheduled again one time unit on
        return self.result


def classify(space: OutcomeSpace, package: int) -> Outcome:
    """Agreement kind from what it moves: only confidence-building issues -> partial.

    Any agreement ends the run, including one in which Russia pulls back the forces
    on the border (the Ukraine file's ``border_forces``): the run does not go on to
    play what the pull-back would change, a smaller ``border_troops`` and so a lower
    value of war for Russia, which would widen the range of deals it prefers to war.
    """
    moved = space.moved(package)
    if not moved:
        return "stalemate"
    confidence_building = {i.name for i in space.issues if i.confidence_building}
    return "partial_agreement" if set(moved) <= confidence_building else "agreement"


def run_length(scenario: Scenario, rounds: int | None) -> int:
    """The deadline of a run in rounds: ``rounds`` if given (at least 1), else the scenario's;
    within the limit on rounds."""
    if rounds is not None and rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    ROUNDS.check(rounds or scenario.protocol.deadline)
    return rounds or scenario.protocol.deadline
