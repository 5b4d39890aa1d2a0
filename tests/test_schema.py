"""The JSON Schema of scenario files: what `negotiation-sim schema` prints, the copy shipped
beside the scenarios, and every shipped scenario naming it and keeping to it."""

import json

import jsonschema
import pytest
import yaml

from negotiation_sim.cli import main
from negotiation_sim.scenario.json_schema import MODELINE, SCHEMA_FILE, scenario_json_schema
from tests.conftest import SCENARIOS

SHIPPED = sorted(SCENARIOS.rglob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(scenario_json_schema())


def test_schema_prints_the_json_schema(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == scenario_json_schema()
    assert "ActorDoc" in printed["$defs"] and "class" in printed["$defs"]["ActorDoc"]["properties"]
    jsonschema.Draft202012Validator.check_schema(printed)


def test_the_shipped_copy_is_current():
    shipped = json.loads((SCENARIOS / SCHEMA_FILE).read_text())
    assert shipped == scenario_json_schema(), (
        f"scenarios/{SCHEMA_FILE} is stale: negotiation-sim schema > scenarios/{SCHEMA_FILE}"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(SCENARIOS).as_posix())
def test_each_shipped_scenario_names_the_schema_and_keeps_to_it(path):
    first = path.read_text().splitlines()[0]
    assert first.startswith(MODELINE)
    assert (path.parent / first.removeprefix(MODELINE)).resolve() == SCENARIOS / SCHEMA_FILE
    assert list(VALIDATOR.iter_errors(yaml.safe_load(path.read_text()))) == []


@pytest.mark.parametrize(
    ("old", "new", "word"),
    [
        ("deadline: 30", "dedline: 30", "dedline"),  # a misspelt key
        ("deadline: 30", "deadline: thirty", "thirty"),  # a value of the wrong type
    ],
)
def test_the_schema_catches_what_an_editor_should_flag(old, new, word):
    text = (SCENARIOS / "ukraine_2022.yaml").read_text().replace(old, new, 1)
    errors = list(VALIDATOR.iter_errors(yaml.safe_load(text)))
    assert errors and any(word in str(error.message) for error in errors)
