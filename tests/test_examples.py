"""The core examples run as a user would run them."""

import subprocess
import sys

from tests.conftest import ROOT


def run_example(name, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "examples" / name), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    ).stdout


def test_run_ukraine_2022_prints_transcript_and_frames():
    out = run_example("run_ukraine_2022.py", "--seed", "3")
    assert "Round 1" in out
    assert "DataCollector, agent variables" in out
    assert "utility_to_Russia" in out
    assert "Result: " in out


def test_custom_actor_plugs_in_without_editing_the_library():
    out = run_example("custom_actor.py", "--runs", "30")
    assert "Russia played by CautiousRussia, the US by strategy deadline_folder" in out
    assert "customised:" in out and "as shipped:" in out
