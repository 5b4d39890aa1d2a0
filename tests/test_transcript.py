"""The transcript a user reads: every term of an agreement, a key to its numbers, and which
offers their proposer would not sign."""

import json

import pytest

from negotiation_sim import NegotiationModel, format_transcript, load_scenario
from negotiation_sim.model import LEAK_EVENT
from negotiation_sim.transcript import transcript_json
from tests.conftest import SCENARIOS

SHIPPED = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "theory").glob("*.yaml"))


def agreed_run(scenario):
    for seed in range(100):
        model = NegotiationModel(scenario, rng=seed)
        if model.run().agreement is not None:
            return model
    raise AssertionError("no agreement in 100 seeds")


def test_the_agreed_terms_name_every_issue_and_mark_the_status_quo(ukraine):
    model = agreed_run(ukraine)
    (line,) = [x for x in format_transcript(model).splitlines() if x.startswith("  terms: ")]
    terms = line.removeprefix("  terms: ").split(", ")
    assert [t.partition("=")[0] for t in terms] == list(ukraine.space.issue_names)
    for term, issue in zip(terms, ukraine.space.issues, strict=True):
        option = model.result.agreement[issue.name]
        at_status_quo = option == issue.options[issue.status_quo].name
        assert term == f"{issue.name}={option}" + (" (status quo)" if at_status_quo else "")
    assert any(t.endswith("(status quo)") for t in terms)  # this run leaves some as they were


def test_the_second_line_is_a_key_to_what_is_printed(ukraine):
    model = NegotiationModel(ukraine, rng=3)
    model.run()
    key = format_transcript(model).splitlines()[1]
    assert key.startswith("Key: an offer names the issues it moves off the status quo;")
    assert "escalation pressure: Russia's value of its outside option minus its value of " in key
    assert "(above 0 it walks out)" in key


def test_without_an_outside_option_the_key_does_not_mention_pressure():
    model = NegotiationModel(load_scenario("textbook_two_party"), rng=1)
    model.run()
    key = format_transcript(model).splitlines()[1]
    assert key.startswith("Key: ") and "pressure" not in key


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_a_run_ends_in_agreement_at_the_first_offer_all_accept_and_its_proposer_signs(path):
    """Over 60 runs of each shipped scenario: an offer every other party accepts closes the
    talks exactly when its proposer signs it, and the transcript says which it was."""
    scenario = load_scenario(path)
    for seed in range(60):
        model = NegotiationModel(scenario, rng=seed, collect=False)
        result = model.run()
        closing = [
            (record.round, offer.package)
            for record in model.transcript
            for offer in record.offers
            if offer.signed and all(offer.replies.values())
        ]
        if result.package is None:
            assert closing == [], seed
        else:
            assert closing == [(result.round, result.package)], seed
            assert model.transcript[-1].offers[-1].signed


def test_an_offer_all_accept_but_its_proposer_would_not_sign_says_so():
    """In the file with only confidence-building measures on the table, Russia offers them
    while war is worth more to it: the others accept, and the talks go on."""
    scenario = load_scenario(SCENARIOS / "ukraine_2022_confidence_building_only.yaml")
    for seed in range(20):
        model = NegotiationModel(scenario, rng=seed, collect=False)
        model.run()
        unsigned = [
            (record.round, k)
            for record in model.transcript
            for k, offer in enumerate(record.offers)
            if all(offer.replies.values()) and not offer.signed
        ]
        if unsigned:
            break
    else:
        raise AssertionError("no offer all accepted went unsigned in 20 runs")
    round_, k = unsigned[0]
    offer = model.transcript[round_ - 1].offers[k]
    data = json.loads(json.dumps(transcript_json(model)))
    assert data["rounds"][round_ - 1]["offers"][k]["signed"] is False
    assert data["rounds"][round_ - 1]["offers"][k]["replies"] == offer.replies
    lines = format_transcript(model).splitlines()
    marked = [line for line in lines if line.endswith(" would not sign it (below its floor)")]
    assert len(marked) == sum(not o.signed for r in model.transcript for o in r.offers)
    assert f"; {offer.proposer} would not sign it" in marked[0]


def test_a_rounds_choices_are_the_moves_chosen_in_it_with_their_mover(ukraine):
    """What the example report reads instead of parsing the events' text: every chosen move
    made (and a chosen leak) with who chose it; no scripted event, no move not made."""
    chosen = {e.name: e.chosen_by for e in ukraine.events if e.chosen_by is not None}
    leak = ukraine.protocol.leak
    assert chosen and leak is not None and leak.chosen_by is not None
    seen = set()
    for seed in range(60):
        model = NegotiationModel(ukraine, rng=seed, collect=False)
        model.run()
        for record in model.transcript:
            for name, mover in record.choices.items():
                seen.add(name)
                verb = "leaked" if name == LEAK_EVENT else "chosen"
                assert mover == (leak.chosen_by if name == LEAK_EVENT else chosen[name])
                (event,) = [e for e in record.events if e.startswith(f"{name} ({verb} by ")]
                assert event.startswith(f"{name} ({verb} by {mover}: ")
            scripted = [
                e for e in record.events if " (chosen by " not in e and " (leaked by " not in e
            ]
            assert len(record.events) == len(record.choices) + len(scripted)
            assert not set(scripted) & set(record.choices)
    assert LEAK_EVENT in seen and seen - {LEAK_EVENT}  # the leak and some move were made
