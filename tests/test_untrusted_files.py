"""A scenario file from anywhere cannot hang the loader, exhaust memory or read the machine:
aliases and deep nesting are refused in well under a second with their line, `extends:`
stays in the file's folder tree (or the shipped scenarios), and errors quote short excerpts."""

import time
from pathlib import Path

import pytest

from negotiation_sim.scenario import ScenarioError, load_scenario
from negotiation_sim.scenario.errors import MAX_MESSAGE
from tests.conftest import SCENARIOS

UKRAINE = SCENARIOS / "ukraine_2022.yaml"


def refused(path: Path) -> tuple[ScenarioError, float]:
    """The loader's error for ``path`` and how long it took to give it (seconds)."""
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value, time.perf_counter() - started


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def alias_bomb(levels: int = 12) -> str:
    """Each level nine aliases of the one before: 9**12 strings once expanded (3.6 KB here)."""
    lines = ["name: Bomb", 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, levels):
        lines.append(f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


CASES = {
    "nested aliases": (alias_bomb(), 3, "aliases (*l0) are not allowed: write the value out"),
    "an alias inside its own anchor": ("name: &me [*me]\n", 1, "aliases (*me) are not allowed"),
    "600 nested brackets": ("name: " + "[" * 600 + "]" * 600 + "\n", 1, "nested more than 32"),
    "deep block nesting": (
        "".join(f"{'  ' * k}k{k}:\n" for k in range(60)) + "  " * 60 + "end\n",
        32,
        "values nested more than 32 deep",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_inputs_that_would_blow_up_are_refused_fast_with_their_line(tmp_path, case):
    text, line, words = CASES[case]
    error, seconds = refused(write(tmp_path, text))
    assert seconds < 1.0
    assert (error.file, error.line) == (str(tmp_path / "case.yaml"), line)
    assert words in error.message


def test_a_file_larger_than_any_scenario_is_refused_unread(tmp_path):
    path = write(tmp_path, "name: big\n" + "# padding\n" * 200_000)
    error, seconds = refused(path)
    assert seconds < 1.0
    assert error.message == (
        "too large for a scenario: 2,000,010 bytes is more than the 1,000,000 allowed "
        "(set NEGOTIATION_SIM_MAX_FILE_BYTES to raise the limit)"
    )


SECRET = "TOP-SECRET:x:0:0:credentials of this machine\n" * 300


@pytest.mark.parametrize(
    "extends, words",
    [
        ("../outside/passwd", "../outside/passwd is not a scenario file (.yaml or .yml)"),
        ("../outside/secret.yaml", "../outside/secret.yaml is outside"),
        ("/etc/passwd", "/etc/passwd is not a scenario file"),
    ],
)
def test_extends_stays_in_the_folder_tree_and_never_echoes_a_foreign_file(tmp_path, extends, words):
    write(tmp_path, SECRET, "outside/passwd")
    write(tmp_path, SECRET, "outside/secret.yaml")
    error, _ = refused(write(tmp_path, f"extends: {extends}\nname: V\n", "tree/variant.yaml"))
    assert (error.line, error.field) == (1, "extends")
    assert words in error.message
    assert "TOP-SECRET" not in str(error)


def test_extends_reaches_the_folder_tree_and_the_shipped_scenarios(tmp_path):
    base = UKRAINE.read_text().replace("name: Ukraine 2022", "name: Copied", 1)
    write(tmp_path, base, "tree/bases/base.yaml")
    inside = write(tmp_path, "extends: bases/base.yaml\nname: Inside\n", "tree/inside.yaml")
    assert load_scenario(inside).name == "Inside"
    shipped = write(tmp_path, f"extends: {UKRAINE}\nname: Shipped\n", "elsewhere/v.yaml")
    assert load_scenario(shipped).name == "Shipped"


def test_a_file_that_is_one_long_text_is_quoted_in_an_excerpt(tmp_path):
    error, _ = refused(write(tmp_path, SECRET))
    assert "not the text 'TOP-SECRET:x:0:0:credentials" in error.message
    assert len(error.message) < 200


def test_no_error_quotes_more_than_a_short_excerpt_of_a_value(tmp_path):
    huge, ukraine = "A" * 100_000, UKRAINE.read_text()
    for old, new in (
        ("deadline: 30 ", f"deadline: {huge} "),
        ("strategy: boulware", f"strategy: {huge}"),
        ("name: Ukraine 2022", f"name: Ukraine\n{huge}: 1"),
    ):
        assert old in ukraine
        error, _ = refused(write(tmp_path, ukraine.replace(old, new, 1)))
        assert len(str(error)) < len(str(tmp_path)) + MAX_MESSAGE + 20
        assert "A" * 100 not in str(error)
