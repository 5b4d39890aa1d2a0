"""The example script runs headless and prints the trajectory with its baselines."""

import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "eum_forecast.py"
DATA = ROOT / "examples" / "data" / "eum_example.csv"


def test_example_script_prints_trajectory_and_writes_png(tmp_path):
    png = tmp_path / "positions.png"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(png), "--rounds", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert png.exists()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = done.stdout.splitlines()
    header = next(line for line in lines if "median" in line and "mean" in line)
    for name in pd.read_csv(DATA)["actor"]:
        assert name in header
    rounds = [line.split()[0] for line in lines if line[:1].isdigit()]
    assert rounds == ["0", "1", "2", "3", "4", "5"]
