import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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


def command_child(args: list[str]) -> subprocess.Popen:
    """The command as a user starts it (``python -m negotiation_sim.cli ARGS``, in the
    repository), its output piped.

    A process ignores SIGINT all its life if it starts with SIGINT ignored, as a job that a
    shell starts in the background does (and Python then installs no KeyboardInterrupt), so
    the child is started with SIGINT handled even when this process ignores it.
    """
    ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    if ignored:  # a handled signal is reset to the default in the child, an ignored one is not
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "negotiation_sim.cli", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def signalled(
    args: list[str],
    signum: int,
    ready: Callable[[subprocess.Popen], bool],
    after: float = 0.0,
    timeout: float = 60,
) -> subprocess.CompletedProcess:
    """The command (``command_child``) sent ``signum`` once ``ready(child)`` holds and
    ``after`` seconds more, as Ctrl-C or ``kill`` would; what it printed and its exit
    status."""
    child = command_child(args)
    try:
        deadline = time.monotonic() + timeout
        while not ready(child):
            if child.poll() is not None or time.monotonic() > deadline:
                child.kill()
                stderr = child.communicate()[1]
                pytest.fail(f"never ready for the signal (exit {child.returncode}): {stderr}")
            time.sleep(0.01)
        time.sleep(after)
        child.send_signal(signum)
        stdout, stderr = child.communicate(timeout=timeout)
    finally:
        if child.poll() is None:  # the test failed: it leaves no process behind
            child.kill()
            child.communicate()
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)
