"""The ensemble examples run headless on a few runs, print their table and write their figure."""

import subprocess
import sys
from pathlib import Path

import pytest

from negotiation_sim.model import OUTCOMES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SMALL = ["--runs", "60", "--workers", "1", "--out"]


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


def test_outcome_distribution_reports_how_far_agreements_fell_from_nash(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(EXAMPLES / "outcome_distribution.py"),
            *SMALL,
            str(tmp_path / "f.png"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    block = done.stdout.split("distance to the Nash point and the Pareto frontier")[1]
    rows = dict(line.split(None, 1) for line in block.splitlines()[2:5])
    nash_mean, pareto_mean = map(float, rows["mean"].split())
    assert 0 <= pareto_mean <= nash_mean  # the Nash point lies on the frontier


def test_the_ukraine_report_prints_each_section_from_the_same_runs(tmp_path):
    """Section 1's escalation share is the chosen-moves column of section 3 (same runs,
    same seed), and every chosen move gets a line in section 2."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "ukraine_2022_report.py"), "--runs", "24"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for heading in ("1. Outcomes", "2. Chosen moves", "3. Escalation", "4. The US's belief"):
        assert heading in out
    first, _, rest = out.partition("2. Chosen moves")
    moves, _, comparison = rest.partition("3. Escalation")
    for move in ("move into Belarus", "NATO initial force", "8,500 US troops", "leak"):
        assert move in moves
    share = next(line for line in first.splitlines() if line.startswith("escalation")).split()[2]
    column = next(line for line in comparison.splitlines() if line.startswith("escalation"))
    assert column.split()[1] == share
