import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

# On CI (CI=true) property tests draw the same examples every time, so a red build
# is reproducible; on a developer's machine they keep exploring new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def ukraine():
    from negotiation_sim.scenario import load_scenario

    return load_scenario(SCENARIOS / "ukraine_2022.yaml")


@pytest.fixture
def captured_axes(monkeypatch) -> list:
    """Every Axes a command saves, so a test can check what was drawn."""
    from negotiation_sim import plots

    axes = []
    save = plots.save

    def keep(ax, path, **options):
        axes.append(ax)
        return save(ax, path, **options)

    monkeypatch.setattr(plots, "save", keep)
    return axes


def interrupt_after_chunks(monkeypatch, kept: int) -> None:
    """Ctrl-C while the ensemble writes its chunk number ``kept + 1``: ``kept`` stay on disk."""
    import negotiation_sim.ensemble.runner as runner

    write = runner.write_chunk

    def interrupted(directory, manifest, index, frame):
        if len(list(directory.glob("chunk-*.csv"))) == kept:
            raise KeyboardInterrupt
        return write(directory, manifest, index, frame)

    monkeypatch.setattr(runner, "write_chunk", interrupted)
