from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def ukraine():
    from negotiation_sim.loader import load_scenario

    return load_scenario(SCENARIOS / "ukraine_2022.yaml")
