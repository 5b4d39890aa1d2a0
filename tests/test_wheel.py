"""The package as a user installs it: sdist and wheel built, the wheel installed into a fresh
virtual environment outside the repository, and the Ukraine case run there by name."""

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from negotiation_sim import run_ensemble
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

RUNTIME_VENV_LIMIT_MB = 437 + 3
"""A fresh runtime install's size (``du``) on the day the package started shipping its data,
plus 3 MB for the package's own growth: a new runtime dependency costs tens of MB."""
SDIST_MUST_HOLD = [
    "pyproject.toml",
    "MANIFEST.in",
    "tests/conftest.py",
    "tests/eum/test_eum_model.py",
    "tests/theory/test_fearon.py",
    "scenarios/ukraine_2022.yaml",
    "scenarios/theory/fearon_crisis.yaml",
    "seeds/axios-2022-01-26-us-nato-answer-putin.md",
    "examples/custom_actor.py",
    "examples/data/eum_example.csv",
]
WHEEL_MUST_HOLD = [
    "negotiation_sim/py.typed",
    "negotiation_sim/scenarios/scenario.schema.json",
    "negotiation_sim/scenarios/ukraine_2022.yaml",
    "negotiation_sim/scenarios/ukraine_2022_no_confidence_building.yaml",
    "negotiation_sim/scenarios/theory/zeuthen_grid.yaml",
    "negotiation_sim/seeds/axios-2022-01-26-us-nato-answer-putin.md",
]


def call(*command: str | Path, cwd: Path) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def size_mb(directory: Path) -> float:
    """Disk use as ``du`` counts it (blocks, not bytes), in MiB."""
    return int(call("du", "-sk", directory, cwd=directory).split()[0]) / 1024


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The sdist built from the repository, and the wheel built from that sdist."""
    out = tmp_path_factory.mktemp("dist")
    call(sys.executable, "-m", "build", "--sdist", "--outdir", out, ROOT, cwd=out)
    (sdist,) = out.glob("*.tar.gz")
    call(sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", out, sdist, cwd=out)
    (wheel,) = out.glob("*.whl")
    return sdist, wheel


def test_the_sdist_holds_what_its_tests_need(built):
    sdist, _ = built
    with tarfile.open(sdist) as archive:
        names = {name.partition("/")[2] for name in archive.getnames()}
    assert [path for path in SDIST_MUST_HOLD if path not in names] == []


def test_the_wheel_holds_the_scenarios_and_fact_sheets_as_files(built):
    _, wheel = built
    with zipfile.ZipFile(wheel) as archive:
        entries = {info.filename: info for info in archive.infolist()}
        assert [path for path in WHEEL_MUST_HOLD if path not in entries] == []
        ukraine = archive.read("negotiation_sim/scenarios/ukraine_2022.yaml").decode()
    assert ukraine == (ROOT / "scenarios" / "ukraine_2022.yaml").read_text()  # not a link


def test_the_wheel_in_a_fresh_venv_runs_the_ukraine_case_by_name(built, tmp_path):
    _, wheel = built
    venv = tmp_path / "venv"
    call(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    call(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    size = size_mb(venv)
    print(f"fresh runtime venv: {size:.0f} MB")
    assert size <= RUNTIME_VENV_LIMIT_MB
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = call(
        venv / "bin" / "python",
        "-c",
        "import negotiation_sim; print(negotiation_sim.__file__)",
        cwd=elsewhere,
    )
    assert Path(where.strip()).is_relative_to(venv)
    printed = call(
        venv / "bin" / "negotiation-sim",
        "run",
        "ukraine_2022",
        "--runs",
        "200",
        "--seed",
        "2022",
        "--workers",
        "2",
        "--json",
        cwd=elsewhere,
    )
    installed = json.loads(printed)
    assert installed["runs"] == 200 and installed["seed"] == 2022
    here = run_ensemble("ukraine_2022", runs=200, seed=2022, workers=2, progress=False)
    counts = here.outcome_distribution()["count"].to_dict()
    assert {o: row["count"] for o, row in installed["outcomes"].items()} == counts
