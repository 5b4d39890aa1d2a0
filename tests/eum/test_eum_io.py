"""CSV and YAML actor input: values, conversion of 0..100 salience, located errors."""

import pytest

from negotiation_sim.eum import EUMActor, EUMInputError, ExpectedUtilityModel, load_actors

GOOD_CSV = "actor,capability,position,salience\nA,3,10,0.9\nB,2,55,0.3\nC,1,70,0.6\n"
GOOD_YAML = """\
actors:
  - actor: A
    capability: 3
    position: 10
    salience: 0.9
  - {actor: B, capability: 2, position: 55, salience: 0.3}
  - {actor: C, capability: 1, position: 70, salience: 0.6}
"""
EXPECTED = [
    EUMActor("A", 3.0, 10.0, 0.9),
    EUMActor("B", 2.0, 55.0, 0.3),
    EUMActor("C", 1.0, 70.0, 0.6),
]


def write(tmp_path, text, name="actors.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_loads(tmp_path):
    assert load_actors(write(tmp_path, GOOD_CSV)) == EXPECTED


def test_csv_header_is_trimmed_and_case_insensitive(tmp_path):
    text = " Actor , Capability,POSITION,salience,notes\nA,3,10,0.9,x\nB,2,55,0.3,\nC,1,70,0.6,\n"
    assert load_actors(write(tmp_path, text)) == EXPECTED


def test_yaml_loads_both_layouts(tmp_path):
    assert load_actors(write(tmp_path, GOOD_YAML, "actors.yaml")) == EXPECTED
    bare = GOOD_YAML.replace("actors:\n", "").replace("\n  ", "\n").lstrip()
    assert load_actors(write(tmp_path, bare, "bare.yml")) == EXPECTED


def test_from_csv_and_from_yaml_build_the_same_model(tmp_path):
    from_csv = ExpectedUtilityModel.from_csv(write(tmp_path, GOOD_CSV), q=0.5)
    from_yaml = ExpectedUtilityModel.from_yaml(write(tmp_path, GOOD_YAML, "a.yaml"), q=0.5)
    assert from_csv.conventions.q == 0.5
    assert list(from_csv.positions()) == list(from_yaml.positions()) == [10.0, 55.0, 70.0]


def test_salience_on_0_100_is_rejected_with_a_hint(tmp_path):
    path = write(tmp_path, "actor,capability,position,salience\nA,3,10,90\nB,2,55,30\n")
    with pytest.raises(EUMInputError) as caught:
        load_actors(path)
    message = str(caught.value)
    assert str(path) in message
    assert "line 2" in message
    assert "'salience'" in message
    assert "salience_scale=100" in message


def test_salience_0_100_is_converted_when_asked(tmp_path):
    path = write(tmp_path, "actor,capability,position,salience\nA,3,10,90\nB,2,55,30\n")
    actors = load_actors(path, salience_scale=100)
    assert [a.salience for a in actors] == [0.9, 0.3]
    model = ExpectedUtilityModel.from_csv(path, salience_scale=100)
    assert list(model.saliences) == [0.9, 0.3]


@pytest.mark.parametrize(
    ("text", "line", "field", "phrase"),
    [
        ("actor,capability,position\nA,1,0\nB,1,1\n", "line 1", "salience", "missing column"),
        (GOOD_CSV.replace("B,2,55", "B,lots,55"), "line 3", "capability", "finite number"),
        (GOOD_CSV.replace("C,1,70", "C,1,nan"), "line 4", "position", "finite number"),
        (GOOD_CSV.replace("B,2,55", "B,-2,55"), "line 3", "capability", ">= 0"),
        (GOOD_CSV.replace("0.6", "-0.1"), "line 4", "salience", "outside [0, 1]"),
        (GOOD_CSV.replace("B,2,55,0.3", "B,2,55,"), "line 3", "salience", "missing"),
        (GOOD_CSV.replace("C,1,70,0.6", "C,1"), "line 4", "position", "missing"),
        (GOOD_CSV.replace("C,", ","), "line 4", "actor", "missing"),
        (GOOD_CSV.replace("C,", "A,"), "line 4", "actor", "duplicate actor 'A' (first at line 2)"),
        ("actor,capability,position,salience\nA,1,5,0.5\n", "line 2", "actor", "at least 2"),
        ("actor,capability,position,salience\n", "line 1", "actor", "at least 2"),
        ("actor,capability,position,salience\nA,1,5,0.5\nB,2,5,1\n", "lines 2-3", "position", ""),
        ("actor,capability,position,salience\nA,0,1,0.5\nB,2,5,0\n", "lines 2-3", "capability", ""),
    ],
)
def test_csv_errors_name_file_line_and_field(tmp_path, text, line, field, phrase):
    path = write(tmp_path, text)
    with pytest.raises(EUMInputError) as caught:
        load_actors(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, {line}, field '{field}'")
    assert phrase in message
    assert (caught.value.where, caught.value.field) == (line, field)


def test_blank_csv_rows_keep_file_line_numbers(tmp_path):
    """A blank line 3 is skipped, so the bad capability on file line 4 is reported as line 4."""
    text = "actor,capability,position,salience\nA,3,10,0.9\n\nB,x,55,0.3\n"
    with pytest.raises(EUMInputError, match=r"line 4, field 'capability'"):
        load_actors(write(tmp_path, text))


def test_yaml_errors_point_at_the_value_line(tmp_path):
    """B's salience 30 sits on file line 9 of this document."""
    text = GOOD_YAML.replace(
        "  - {actor: B, capability: 2, position: 55, salience: 0.3}\n",
        "  - actor: B\n    capability: 2\n    position: 55\n    salience: 30\n",
    )
    assert text.splitlines()[8].strip() == "salience: 30"
    with pytest.raises(EUMInputError, match=r"a\.yaml, line 9, field 'salience'.*salience_scale"):
        load_actors(write(tmp_path, text, "a.yaml"))


def test_yaml_missing_field_and_bad_syntax(tmp_path):
    missing = GOOD_YAML.replace(", position: 55", "")  # B's mapping starts on line 6
    with pytest.raises(EUMInputError, match=r"line 6, field 'position': missing"):
        load_actors(write(tmp_path, missing, "m.yaml"))
    with pytest.raises(EUMInputError, match=r"line \d+, field 'actor': invalid YAML"):
        load_actors(write(tmp_path, "actors: [\n  {actor: A\n", "broken.yaml"))


def test_unknown_suffix_needs_an_explicit_format(tmp_path):
    path = write(tmp_path, GOOD_CSV, "actors.txt")
    with pytest.raises(ValueError, match="file_format"):
        load_actors(path)
    assert load_actors(path, file_format="csv") == EXPECTED
