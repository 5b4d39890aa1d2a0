"""The transcript a user reads: every term of an agreement, and a key to its numbers."""

from negotiation_sim import NegotiationModel, format_transcript, load_scenario


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
