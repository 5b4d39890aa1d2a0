"""Every number of a scenario file is vouched for: a cited fact or a stated assumption."""

import re

import pytest

from negotiation_sim.cli import main
from negotiation_sim.scenario.provenance import NumberSource, number_sources
from tests.conftest import SCENARIOS

UKRAINE = SCENARIOS / "ukraine_2022.yaml"


def unsourced(path):
    return [(s.line, s.field) for s in number_sources(path) if s.kind == "unsourced"]


def edited(tmp_path, pattern, replacement):
    text = UKRAINE.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1)
    assert changed != text
    path = tmp_path / "edited.yaml"
    path.write_text(changed, encoding="utf-8")
    return path, changed


def line_of(text, marker):
    return text[: text.index(marker)].count("\n") + 1


def test_every_number_in_the_ukraine_file_is_cited_or_marked():
    found = number_sources(UKRAINE)
    assert len(found) > 50
    assert unsourced(UKRAINE) == []
    troops = next(s for s in found if s.field == "actors.Russia.outside_option.border_troops")
    assert (troops.value, troops.kind) == ("100000", "cited")


def test_a_number_without_its_comment_is_flagged(tmp_path):
    path, text = edited(tmp_path, r"deadline: 30 .*", "deadline: 30")
    assert unsourced(path) == [(line_of(text, "deadline: 30"), "protocol.deadline")]


def test_an_event_comment_covers_its_day_too(tmp_path):
    path, _ = edited(
        tmp_path,
        r"\{nato_troops: 5000\} .*\n(.*)chosen_by: NATO .*\n(.*)cost: 0.01 .*",
        "{nato_troops: 5000}\n\\1chosen_by: NATO\n\\2cost: 0.01",
    )
    name = "events.NATO initial force of about 5,000 deploys"
    assert sorted(field for _, field in unsourced(path)) == [
        f"{name}.changes.nato_troops",
        f"{name}.cost",
        f"{name}.day",
    ]


def test_one_comment_on_a_key_covers_the_numbers_below_it():
    weights = [s for s in number_sources(UKRAINE) if s.field.startswith("actors.NATO.weights.")]
    assert len(weights) == 7 and all(s.kind != "unsourced" for s in weights)


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("[F13] within days", "cited"),
        ("assumption: modest", "assumption"),
        ("illustrative", "assumption"),
        ("[F15]; assumption: arrives in round 3", "cited + assumption"),
        ("", "unsourced"),
    ],
)
def test_kind_follows_the_note(note, kind):
    assert NumberSource("x", 1, "1", note).kind == kind


def test_a_hash_inside_quotes_is_not_a_comment(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text('a: "x # [F1]"\nb: 2\nc: 3  # assumption: fine\n', encoding="utf-8")
    assert [(s.field, s.kind) for s in number_sources(path)] == [
        ("b", "unsourced"),
        ("c", "assumption"),
    ]


def test_every_cited_fact_exists_in_the_fact_sheet():
    sheet = (SCENARIOS.parent / "seeds" / "axios-2022-01-26-us-nato-answer-putin.md").read_text()
    defined = set(re.findall(r"\*\*(F\d+)\.", sheet))
    for path in (UKRAINE, SCENARIOS / "ukraine_2022_no_confidence_building.yaml"):
        text = path.read_text(encoding="utf-8")
        cited = {
            label
            for group in re.findall(r"\[([^\]]*)\]", text)
            for label in re.findall(r"F\d+", group)
        }
        assert cited, path
        assert cited <= defined, (path, sorted(cited - defined))


def test_sources_command_lists_and_checks(tmp_path, capsys):
    assert main(["sources", str(UKRAINE), "--check"]) == 0
    out = capsys.readouterr().out
    assert "actors.Russia.outside_option.border_troops" in out and "[F1]" in out
    assert f"{UKRAINE}: {len(number_sources(UKRAINE))} numbers:" in out
    path, _ = edited(tmp_path, r"deadline: 30 .*", "deadline: 30")
    assert main(["sources", str(path), "--check"]) == 1
    assert "1 unsourced" in capsys.readouterr().out
    assert main(["sources", str(path)]) == 0  # listing alone is not a check
