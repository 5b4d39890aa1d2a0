"""The scenario loader: shipped files load as written, and each kind of mistake in a file
is reported as one line naming the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from negotiation_sim import limits
from negotiation_sim.scenario import ScenarioError, load_scenario, with_changes
from negotiation_sim.scenario.build import scenario_from_document
from negotiation_sim.scenario.document import read_document

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
UKRAINE = SCENARIOS / "ukraine_2022.yaml"
COUNTERFACTUAL = SCENARIOS / "ukraine_2022_no_confidence_building.yaml"
TEXTBOOK = SCENARIOS / "textbook_two_party.yaml"

# A small valid scenario; each error case edits one spot of it.
BASE = """\
name: Test
protocol:
  order: [A, B]
  deadline: 5
issues:
  - name: price
    options: [low, mid, high]
    status_quo: mid
  - name: hotline
    options: ["no", "yes"]
    status_quo: "no"
actors:
  - name: A
    strategy: linear
    no_deal_adjustment: -0.15
    weights: {price: 0.7, hotline: 0.3}
    ideals: {price: low, hotline: "yes"}
  - name: B
    class: Russia
    strategy: boulware
    no_deal_adjustment: -0.55
    weights:
      price: 0.5
      hotline: 0.5
    ideals:
      price: high
      hotline: "no"
    red_lines:
      - options: {price: low}
        why: test
    outside_option:
      border_troops: 100
      defender_strength: 100
      base_cost: 0.1
events:
  - round: 2
    name: build-up
    actor: B
    changes: {border_troops: 50}
"""


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, marker: str) -> int:
    """1-based line where ``marker`` (which may span lines) first starts."""
    assert marker in text, marker
    return text[: text.index(marker)].count("\n") + 1


def edited(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def load_error(tmp_path: Path, text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, text))
    return caught.value


def test_base_is_valid(tmp_path):
    scenario = load_scenario(write(tmp_path, BASE))
    assert scenario.actor_names == ("A", "B")
    assert scenario.space.issue("price").status_quo == 1


# (old text, new text, marker of the line the error must name, field, words in the message)
CASES = {
    "yaml syntax": (
        '    ideals: {price: low, hotline: "yes"}',
        "    ideals: price: low",
        "ideals: price",
        "",
        "invalid YAML",
    ),
    "python tag on a value": (
        "name: Test",
        'name: !!python/object/apply:os.system ["echo owned"]',
        "os.system",
        "name",
        "not allowed",
    ),
    "python tag on a scalar": (
        "    strategy: linear",
        "    strategy: !!python/name:os.system ''",
        "os.system",
        "actors.A.strategy",
        "not allowed",
    ),
    "missing field": (
        "    no_deal_adjustment: -0.15\n    weights: {price: 0.7, hotline: 0.3}\n",
        "    no_deal_adjustment: -0.15\n",
        "- name: A",
        "actors.A.weights",
        "required field is missing",
    ),
    "wrong type": (
        "    weights: {price: 0.7, hotline: 0.3}",
        '    weights: "heavy"',
        "heavy",
        "actors.A.weights",
        "expected a mapping",
    ),
    "reservation contradicting the status quo": (
        "    strategy: linear\n    no_deal_adjustment: -0.15\n",
        "    strategy: linear\n    reservation: 0.3\n",
        "reservation: 0.3",
        "actors.A.reservation",
        "contradicts what no deal is worth to A by its own weights (the status quo goes on, "
        "worth 0.35)",
    ),
    "round length without a time unit": (
        "  deadline: 5",
        "  deadline: 6\n  round_length: 3",
        "protocol:",
        "protocol.time_unit",
        "round_length needs the unit it counts",
    ),
    "round length that does not divide the deadline": (
        "  deadline: 5",
        "  deadline: 5\n  time_unit: day\n  round_length: 3",
        "round_length: 3",
        "protocol.round_length",
        "a round of 3 days does not divide the deadline of 5 days",
    ),
    "event in rounds in a protocol timed in days": (
        "  deadline: 5",
        "  deadline: 6\n  time_unit: day\n  round_length: 3",
        "  - round: 2",
        "events.build-up.round",
        "this protocol counts time in days: give day: instead of round:",
    ),
    "days without a round length": (
        "  deadline: 5",
        "  deadline: 6\n  time_unit: day",
        "protocol:",
        "protocol.round_length",
        "required field is missing",
    ),
    "event in days in a protocol timed in rounds": (
        "  - round: 2",
        "  - day: 2",
        "  - day: 2",
        "events.build-up.day",
        "this protocol counts time in rounds: give round: instead of day:",
    ),
    "a deadline in rounds that is not whole": (
        "  deadline: 5",
        "  deadline: 5.5",
        "deadline: 5.5",
        "protocol.deadline",
        "expected a whole number, got 5.5",
    ),
    "number given as text": (
        "  deadline: 5",
        '  deadline: "5"',
        "deadline",
        "protocol.deadline",
        "expected a number",
    ),
    "unknown field": (
        "  deadline: 5",
        "  deadline: 5\n  dedline: 6",
        "dedline",
        "protocol.dedline",
        "known: order, reply_only, time_unit, round_length, deadline",
    ),
    "unknown actor class": (
        "    class: Russia",
        "    class: Rusia",
        "class: Rusia",
        "actors.B.class",
        "'Rusia' is not a known actor class (known: NATO, Negotiator, Russia, UnitedStates)",
    ),
    "unknown strategy": (
        "    strategy: linear",
        "    strategy: lineal",
        "lineal",
        "actors.A.strategy",
        "'lineal' is not a known strategy",
    ),
    "strategy parameter out of range": (
        "    strategy: boulware",
        "    strategy: {name: boulware, exponent: 3}",
        "exponent: 3",
        "actors.B.strategy",
        "Boulware exponent",
    ),
    "unknown issue in weights": (
        "    weights: {price: 0.7, hotline: 0.3}",
        "    weights: {price: 0.7, hotlin: 0.3}",
        "hotlin:",
        "actors.A.weights.hotlin",
        "'hotlin' is not a known issue (known: price, hotline)",
    ),
    "unknown issue in ideals": (
        '    ideals: {price: low, hotline: "yes"}',
        '    ideals: {prise: low, hotline: "yes"}',
        "prise",
        "actors.A.ideals.prise",
        "'prise' is not a known issue",
    ),
    "unknown issue in values": (
        '    ideals: {price: low, hotline: "yes"}',
        '    ideals: {price: low, hotline: "yes"}\n    values: {hotlin: {"no": 0, "yes": 1}}',
        "values:",
        "actors.A.values.hotlin",
        "'hotlin' is not a known issue",
    ),
    "unknown issue in a red line": (
        "      - options: {price: low}",
        "      - options: {pric: low}",
        "pric:",
        "actors.B.red_lines.0.options.pric",
        "'pric' is not a known issue",
    ),
    "unknown issue in an opening": (
        '    ideals: {price: low, hotline: "yes"}',
        '    ideals: {price: low, hotline: "yes"}\n    opening: {pric: low}',
        "opening",
        "actors.A.opening.pric",
        "'pric' is not a known issue",
    ),
    "unknown option in ideals": (
        "      price: high",
        "      price: highest",
        "highest",
        "actors.B.ideals.price",
        "'highest' is not a known option of price (known: low, mid, high)",
    ),
    "unknown status quo": (
        "    status_quo: mid",
        "    status_quo: middle",
        "middle",
        "issues.price.status_quo",
        "'middle' is not a known option of price",
    ),
    "unknown option in a red line": (
        "      - options: {price: low}",
        "      - options: {price: [low, cheap]}",
        "cheap",
        "actors.B.red_lines.0.options.price",
        "'cheap' is not a known option of price",
    ),
    "unknown option in an opening": (
        '    ideals: {price: low, hotline: "yes"}',
        '    ideals: {price: low, hotline: "yes"}\n    opening: {price: free}',
        "free",
        "actors.A.opening.price",
        "'free' is not a known option of price",
    ),
    "duplicate issue": (
        "  - name: hotline",
        "  - name: price",
        '  - name: price\n    options: ["no"',
        "issues.price.name",
        "issue name 'price' is used twice (first on line 6)",
    ),
    "duplicate option": (
        "    options: [low, mid, high]",
        "    options: [low, mid, low]",
        "[low, mid, low]",
        "issues.price.options.2",
        "option name 'low' is used twice",
    ),
    "duplicate actor": (
        "  - name: B",
        "  - name: A",
        "  - name: A\n    class",
        "actors.A.name",
        "actor name 'A' is used twice (first on line 13)",
    ),
    "duplicate event": (
        "    changes: {border_troops: 50}",
        "    changes: {border_troops: 50}\n"
        "  - {round: 3, name: build-up, actor: B, changes: {border_troops: 5}}",
        "round: 3",
        "events.build-up.name",
        "event name 'build-up' is used twice",
    ),
    "duplicate YAML key": (
        "      hotline: 0.5\n",
        "      hotline: 0.5\n      price: 0.1\n",
        "price: 0.1",
        "actors.B.weights.price",
        "duplicate key 'price' (first on line 23)",
    ),
    "negative weight": (
        "    weights: {price: 0.7, hotline: 0.3}",
        "    weights: {price: -0.7, hotline: 0.3}",
        "-0.7",
        "actors.A.weights.price",
        "greater than or equal to 0",
    ),
    "NaN weight": (
        "      price: 0.5",
        "      price: .nan",
        ".nan",
        "actors.B.weights.price",
        "finite",
    ),
    "infinite weight": (
        "      hotline: 0.5",
        "      hotline: .inf",
        ".inf",
        "actors.B.weights.hotline",
        "finite",
    ),
    "all weights zero": (
        "    weights: {price: 0.7, hotline: 0.3}",
        "    weights: {price: 0, hotline: 0.0}",
        "weights: {price: 0,",
        "actors.A.weights",
        "all weights are zero",
    ),
    "weighted issue with no ideal": (
        '    ideals: {price: low, hotline: "yes"}',
        "    ideals: {price: low}",
        "weights: {price: 0.7",
        "actors.A.weights.hotline",
        "neither an ideal nor values",
    ),
    "one red line rules out everything": (
        "      - options: {price: low}",
        "      - options: {price: [low, mid, high]}",
        "[low, mid, high]}",
        "actors.B.red_lines.0",
        "rules out every package",
    ),
    "reservation above everything the red lines allow": (
        "    no_deal_adjustment: -0.55\n    weights:\n      price: 0.5\n      hotline: 0.5\n"
        "    ideals:\n      price: high",
        # B now wants the price it forbids itself: at best mid (0.5 * 0.5) + hotline (0.5),
        # 0.75, also its status quo; no deal is said to be worth 0.15 more than that
        "    no_deal_adjustment: 0.15\n    weights:\n      price: 0.5\n      hotline: 0.5\n"
        "    ideals:\n      price: low",
        "no_deal_adjustment: 0.15",
        "actors.B.no_deal_adjustment",
        "above the best package its red lines allow (0.750)",
    ),
    "red lines together rule out everything": (
        "        why: test\n",
        "        why: test\n      - options: {price: [mid, high]}\n",
        "red_lines:",
        "actors.B.red_lines",
        "together these red lines rule out every package",
    ),
    "opening crosses own red line": (
        "        why: test\n",
        "        why: test\n    opening: {price: low}\n",
        "opening: {price: low}",
        "actors.B.opening",
        "crosses the actor's own red line (test)",
    ),
    "bare no read as a boolean": (
        '    options: ["no", "yes"]',
        "    options: [no, yes]",
        "[no, yes]",
        "issues.hotline.options.0",
        'quote it if it is a name, e.g. "no"',
    ),
    "bare yes read as a boolean": (
        '      hotline: "no"',
        "      hotline: yes",
        "hotline: yes",
        "actors.B.ideals.hotline",
        'e.g. "yes"',
    ),
    "unknown outside option field": (
        "      base_cost: 0.1",
        "      base_cost: 0.1\n      troops: 5",
        "troops: 5",
        "actors.B.outside_option.troops",
        "'troops' is not a known outside option field",
    ),
    "event after the deadline": (
        "  - round: 2",
        "  - round: 9",
        "round: 9",
        "events.build-up.round",
        "after the deadline (5 rounds)",
    ),
    "discount outside (0, 1)": (
        "      base_cost: 0.1",
        "      base_cost: 0.1\n      discount: 1.0",
        "outside_option:",
        "actors.B.outside_option",
        "discount must lie strictly between 0 and 1",
    ),
    "event changing the discount": (
        "    changes: {border_troops: 50}",
        "    changes: {discount: 0.5}",
        "discount: 0.5",
        "events.build-up.changes.discount",
        "'discount' is not a known outside option field",
    ),
    "cost of a scripted event": (
        "    actor: B\n",
        "    actor: B\n    cost: 0.25\n",
        "cost: 0.25",
        "events.build-up.cost",
        "add chosen_by",
    ),
    "move chosen by an unknown actor": (
        "    actor: B\n",
        "    actor: B\n    chosen_by: C\n    cost: 0.1\n",
        "chosen_by: C",
        "events.build-up.chosen_by",
        "'C' is not a known actor",
    ),
    "leak chosen by an actor without a war option": (
        "  deadline: 5\n",
        "  deadline: 5\n  leak: {round: 2, chosen_by: A}\n",
        "leak: {round: 2, chosen_by: A}",
        "protocol.leak.chosen_by",
        "A has no outside_option",
    ),
    "leak chosen by an unknown actor": (
        "  deadline: 5\n",
        "  deadline: 5\n  leak: {round: 2, chosen_by: C}\n",
        "leak: {round: 2, chosen_by: C}",
        "protocol.leak.chosen_by",
        "'C' is not a known actor",
    ),
    "move without a cost": (
        "    actor: B\n",
        "    actor: B\n    chosen_by: A\n",
        "chosen_by: A",
        "events.build-up.chosen_by",
        "add cost",
    ),
    "event for an actor without an outside option": (
        "    actor: B",
        "    actor: A",
        "actor: A",
        "events.build-up.actor",
        "A has no outside_option",
    ),
    "event leaves the war option invalid": (
        "    changes: {border_troops: 50}",
        "    changes: {border_troops: -500}",
        "-500",
        "events.build-up.changes",
        "border_troops must be finite and non-negative",
    ),
    "actor left out of the order": (
        "  order: [A, B]",
        "  order: [A]",
        "order:",
        "protocol.order",
        "leaves out B",
    ),
    "belief without a type": (
        "  deadline: 5\n",
        "  deadline: 5\nbeliefs:\n  types: 0\n",
        "types: 0",
        "beliefs.types",
        "greater than or equal to 1",
    ),
    "unknown actor in the order": (
        "  order: [A, B]",
        "  order: [A, B, C]",
        "order:",
        "protocol.order.2",
        "'C' is not a known actor",
    ),
    # what validate accepts, run runs
    "a two-party strategy among three actors": (
        "events:\n",
        "  - name: C\n    strategy: zeuthen\n    weights: {price: 1}\n"
        "    ideals: {price: mid}\nevents:\n",
        "strategy: zeuthen",
        "actors.C.strategy",
        "zeuthen is a strategy for 2 parties, and this scenario has 3 actors",
    ),
    "class Russia without an outside option": (
        "    outside_option:\n      border_troops: 100\n      defender_strength: 100\n"
        "      base_cost: 0.1\n",
        "",
        "class: Russia",
        "actors.B.class",
        "class Russia weighs an outside option each round: give the actor an outside_option",
    ),
    "belief noise that means nothing": (
        "issues:\n",
        "beliefs:\n  noise: 1.0e+308\nissues:\n",
        "noise:",
        "beliefs.noise",
        "less than or equal to 1",
    ),
    "a deadline past the cap": (
        "  deadline: 5",
        "  deadline: 1000000000",
        "deadline: 1000000000",
        "protocol.deadline",
        "1,000,000,000 rounds is more than the 10,000 allowed (set NEGOTIATION_SIM_MAX_ROUNDS",
    ),
    # numbers that mean nothing
    "a weight that overflows": (
        "    weights: {price: 0.7, hotline: 0.3}",
        "    weights: {price: 1.0e+308, hotline: 0.3}",
        "1.0e+308",
        "actors.A.weights.price",
        "less than or equal to 1000000",
    ),
    "a war value that means nothing": (
        "      base_cost: 0.1",
        "      base_cost: 0.1\n      win_value: 1.0e+308",
        "outside_option:",
        "actors.B.outside_option",
        "win_value is 1e+308: beyond 10 means nothing on the 0..1 utility scale",
    ),
    "1e-3 read as text by YAML 1.1": (
        "    no_deal_adjustment: -0.15",
        "    no_deal_adjustment: -1e-3",
        "-1e-3",
        "actors.A.no_deal_adjustment",
        "got the text '-1e-3' (YAML reads -1e-3 as text: write -1.0e-3)",
    ),
    "an ideal and values for one issue": (
        '    ideals: {price: low, hotline: "yes"}',
        '    ideals: {price: low, hotline: "yes"}\n    values: {price: {low: 1, mid: 1, high: 0}}',
        "values:",
        "actors.A.values.price",
        "issue 'price' has an ideal (line 17) and values: give one or the other",
    ),
    "an outside option its class ignores": (
        '    ideals: {price: low, hotline: "yes"}',
        '    ideals: {price: low, hotline: "yes"}\n'
        "    outside_option: {border_troops: 1, defender_strength: 1, base_cost: 0.1}",
        "outside_option:",
        "actors.A.outside_option",
        "class Negotiator has no outside option, so this one would be ignored",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_error_names_file_line_and_field(tmp_path, case):
    old, new, marker, field, words = CASES[case]
    text = edited(old, new)
    err = load_error(tmp_path, text)
    line = line_of(text, marker)
    assert (err.line, err.field) == (line, field)
    assert err.file == str(tmp_path / "case.yaml")
    assert words in err.message
    message = str(err)
    assert message.startswith(f"{tmp_path / 'case.yaml'}:{line}: ")
    assert field in message
    assert "\n" not in message


def test_a_move_chosen_by_a_partner_of_the_actor_it_deters_is_an_error(tmp_path):
    text = (
        edited("    actor: B\n", "    actor: B\n    chosen_by: A\n    cost: 0.1\n")
        .replace("    strategy: linear\n", "    strategy: linear\n    coalition: c\n")
        .replace("    class: Russia\n", "    class: Russia\n    coalition: c\n")
    )
    err = load_error(tmp_path, text)
    assert (err.line, err.field) == (line_of(text, "chosen_by: A"), "events.build-up.chosen_by")
    assert "outside the coalition" in err.message


def test_python_tag_is_never_run(tmp_path):
    marker = tmp_path / "ran"
    text = edited("name: Test", f'name: !!python/object/apply:os.system ["touch {marker}"]')
    load_error(tmp_path, text)
    assert not marker.exists()


def test_missing_file_and_non_mapping(tmp_path):
    with pytest.raises(ScenarioError, match="no such file") as caught:
        load_scenario(tmp_path / "nowhere.yaml")
    assert caught.value.file == str(tmp_path / "nowhere.yaml")
    err = load_error(tmp_path, "- just\n- a list\n")
    assert (err.line, err.field) == (1, "")
    assert "not a list" in str(err)
    assert load_error(tmp_path, "# only a comment\n").message == "the file is empty"


# --- variants -----------------------------------------------------------------------------


def test_variant_sets_values_of_its_base(tmp_path):
    write(tmp_path, BASE, "base.yaml")
    variant = write(
        tmp_path,
        "extends: base.yaml\nname: Variant\n"
        "set:\n  protocol.deadline: 8\n  actors.B.no_deal_adjustment: -0.35\n",
        "variant.yaml",
    )
    scenario = load_scenario(variant)
    assert (scenario.name, scenario.protocol.deadline) == ("Variant", 8)
    assert scenario.actor("B").preferences.reservation == pytest.approx(0.4)  # 0.75 - 0.35
    assert scenario.actor("A").preferences.reservation == pytest.approx(0.2)  # 0.35 - 0.15


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ("actors.Nobody.reservation: 0.5", "set.actors.Nobody.reservation", "no item 'Nobody'"),
        ("protocol.deadline: 0", "protocol.deadline", "greater than 0"),
        ("protocol.deadline.days: 3", "set.protocol.deadline.days", "holds a single value"),
        (
            "actors.A.weights.hotlin: 0.3",
            "actors.A.weights.hotlin",
            "'hotlin' is not a known issue",
        ),
        ("nope.x: 1", "nope", "unknown field 'nope'"),  # the key it creates is the variant's
    ],
)
def test_variant_errors_name_the_variant_line(tmp_path, entry, field, words):
    write(tmp_path, BASE, "base.yaml")
    text = f"extends: base.yaml\nset:\n  beliefs.noise: 0.1\n  {entry}\n"
    err = load_error(tmp_path, text)
    assert (err.file, err.line, err.field) == (str(tmp_path / "case.yaml"), 4, field)
    assert words in err.message


def test_variant_of_a_missing_base(tmp_path):
    err = load_error(tmp_path, "name: x\nextends: gone.yaml\n")
    assert (err.line, err.field) == (2, "extends")
    assert "no such file" in err.message


def test_error_in_the_base_names_the_base(tmp_path):
    write(tmp_path, edited("    class: Russia", "    class: Rusia"), "base.yaml")
    err = load_error(tmp_path, "extends: base.yaml\n")
    assert (err.file, err.line) == (str(tmp_path / "base.yaml"), line_of(BASE, "class: Russia"))


# --- changes by path ----------------------------------------------------------------------


def test_with_changes_sets_values_by_path(ukraine):
    deploy = "NATO initial force of about 5,000 deploys"
    changed = with_changes(
        ukraine,
        {
            "actors.Russia.outside_option.base_cost": 0.2,
            "actors.Russia.weights.open_door": 0.0,
            "protocol.deadline": 18,  # days: six rounds of three
            "beliefs.noise": 0.0,
            f"events.{deploy}.changes.nato_troops": 1000,
            "issues.hotline.on_table": False,
            "actors.NATO.opening": {},
        },
    )
    assert changed.actor("Russia").outside_option.base_cost == 0.2
    assert changed.actor("Russia").preferences.weights[0] == 0.0
    assert changed.protocol.deadline == 6
    assert changed.beliefs.noise == 0.0
    assert next(e for e in changed.events if e.name == deploy).changes == {"nato_troops": 1000}
    assert not changed.space.issue("hotline").on_table
    # the original is untouched
    assert ukraine.actor("Russia").outside_option.base_cost == 0.05
    assert ukraine.protocol.deadline == 10
    assert ukraine.space.issue("hotline").on_table


def test_with_changes_refuses_unknown_path_and_bad_value(ukraine):
    with pytest.raises(ScenarioError, match="no item 'Rusia'") as caught:
        with_changes(ukraine, {"actors.Rusia.reservation": 0.1})
    assert caught.value.field == "actors.Rusia.reservation"
    with pytest.raises(ScenarioError) as caught:
        with_changes(ukraine, {"beliefs.noise": -1.0})
    assert (caught.value.file, caught.value.field) == ("with_changes", "beliefs.noise")


def test_plain_mapping_documents_build_too():
    document = yaml.safe_load(BASE)
    scenario = scenario_from_document(document)
    assert scenario.actor("B").outside_option.border_troops == 100
    changed = with_changes(document, {"actors.B.no_deal_adjustment": -0.25, "beliefs.noise": 0.2})
    assert changed.actor("B").preferences.reservation == pytest.approx(0.5)  # 0.75 - 0.25
    assert changed.beliefs.noise == 0.2  # the file has no beliefs: block; the path creates it
    assert "beliefs" not in document


# --- the shipped scenarios ----------------------------------------------------------------


@pytest.mark.parametrize("path", [UKRAINE, COUNTERFACTUAL, TEXTBOOK], ids=lambda p: p.stem)
def test_shipped_scenarios_load(path):
    scenario = load_scenario(path)
    assert scenario.path == path
    assert len(scenario.space) > 1


def test_ukraine_values_match_the_file(ukraine):
    russia = ukraine.actor("Russia")
    assert russia.outside_option.border_troops == 100_000
    assert ukraine.space.terms(russia.opening) == {
        "open_door": "closed",
        "force_posture": "rollback",
        "offensive_weapons": "banned",
        "arms_control": "none",
        "hotline": "no",
        "exercise_transparency": "none",
        "border_forces": "massed",
    }
    door = ukraine.space.issue_names.index("open_door")
    for name in ("United States", "NATO"):
        line = ukraine.actor(name).preferences.red_lines[0]
        assert line.forbidden == ((door, frozenset({0, 1, 2})),)  # closed, moratorium, case_by_case
    assert ukraine.observed_outcome == "escalation"
    assert sum(e.deterrence for e in ukraine.events) == 4


def test_counterfactual_keeps_its_three_issues_at_status_quo(ukraine):
    scenario = load_scenario(COUNTERFACTUAL)
    for name in ("arms_control", "hotline", "exercise_transparency"):
        column = scenario.space.packages[:, scenario.space.issue_names.index(name)]
        assert set(np.unique(column)) == {scenario.space.issue(name).status_quo}
    assert scenario.actor("United States").opening is None
    assert scenario.actor("NATO").opening is None
    russia = scenario.actor("Russia")
    assert scenario.space.terms(russia.opening) == ukraine.space.terms(
        ukraine.actor("Russia").opening
    )
    assert scenario.observed_outcome is None


def test_textbook_values_match_the_file():
    scenario = load_scenario(TEXTBOOK)
    seller = scenario.actor("Seller").preferences
    assert seller.values[2].tolist() == [1.0, 0.8, 0.3]
    assert scenario.space.issue("delivery").positions.tolist() == [0.0, 0.6, 1.0]
    assert scenario.actor("Buyer").strategy.params == {"exponent": 2.0}
    assert read_document(TEXTBOOK)["name"] == scenario.name


def test_scenario_error_survives_pickling():
    """Errors raised in worker processes travel back pickled."""
    import pickle

    err = ScenarioError("bad  value", file="a.yaml", line=3, field="actors.A.reservation")
    back = pickle.loads(pickle.dumps(err))
    assert (back.file, back.line, back.field, back.message) == ("a.yaml", 3, err.field, "bad value")
    assert str(back) == str(err)


def test_an_outcome_space_too_big_for_memory_is_an_error_at_the_issues(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "available_memory", lambda: 8 * 10**9)
    issues = "".join(
        f"  - name: i{k}\n    options: [a, b, c, d, e, f, g, h]\n    status_quo: a\n"
        for k in range(8)
    )
    text = BASE.replace("issues:\n", "issues:\n" + issues, 1)
    err = load_error(tmp_path, text)
    assert (err.line, err.field) == (line_of(text, "issues:"), "issues")
    assert err.message == (
        "100,663,296 packages for 2 actors need about 40.3 GB a run, more than the 8.0 GB "
        "available: take issues off the table or merge options"
    )
