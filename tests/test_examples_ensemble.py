"""The ensemble examples run headless on a few runs, print their table and write their figure."""

import subprocess
import sys
from pathlib import Path

import pytest

from negotiation_sim.model import OUTCOMES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize(
    "script",
    ["outcome_distribution.py", "what_if_confidence_building.py", "sensitivity_war_cost.py"],
)
def test_example_prints_the_outcomes_and_writes_its_figure(script, tmp_path):
    png = tmp_path / "figure.png"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--runs", "60", "--out", str(png)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert png.read_bytes().startswith(b"\x89PNG")
    for outcome in OUTCOMES:
        assert outcome.replace("_", " ") in done.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["figure.png"]  # nothing else left behind
