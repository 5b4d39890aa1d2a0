"""Killing the command kills its workers: after SIGKILL no process it started survives (checked
by PID), so a caller reading its output is not left waiting; SIGTERM stops it like Ctrl-C.
And a run that fails for its drawn values names its uncertain: entry and leaves nothing."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from negotiation_sim.ensemble import RunFailed, run_ensemble
from tests.conftest import SCENARIOS, command_child

UKRAINE = SCENARIOS / "ukraine_2022.yaml"
PROC = Path("/proc")
pytestmark = [
    pytest.mark.skipif(not (PROC / "self" / "stat").exists(), reason="reads /proc"),
    pytest.mark.slow,
]


def _state_and_parent(pid: int) -> tuple[str, int] | None:
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1])


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (children, theirs, ...)."""
    parents = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (found := _state_and_parent(int(entry.name))):
            parents[int(entry.name)] = found[1]
    family, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        family |= frontier
    return family


def alive(pid: int) -> bool:
    found = _state_and_parent(pid)
    return found is not None and found[0] != "Z"  # a zombie has ended; only its entry is left


def started_ensemble() -> tuple[subprocess.Popen, set[int]]:
    """A `run` on two workers, once its workers are busy, and the processes it started."""
    command = ["run", str(UKRAINE), "--runs", "100000", "--workers", "2", "--no-progress"]
    child = command_child(command)
    deadline = time.monotonic() + 60
    while len(family := descendants(child.pid)) < 4:  # resource tracker, forkserver, 2 workers
        assert child.poll() is None and time.monotonic() < deadline, "no workers started"
        time.sleep(0.1)
    time.sleep(0.5)  # in the middle of their first chunks
    return child, family


def assert_all_end(family: set[int]) -> None:
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in family if alive(pid)], "processes outlived the command"


def test_no_worker_survives_a_sigkill_of_the_command():
    child, family = started_ensemble()
    child.kill()
    started = time.monotonic()
    child.communicate(timeout=30)  # returns once nobody holds the pipes
    assert time.monotonic() - started < 10
    assert child.returncode == -signal.SIGKILL
    assert_all_end(family)


def test_a_worker_killed_under_the_command_is_one_line():
    child, family = started_ensemble()
    parent = {pid: found[1] for pid in family if (found := _state_and_parent(pid))}
    server = next(p for p, up in parent.items() if up == child.pid and "forkserver" in _command(p))
    os.kill(next(p for p, up in parent.items() if up == server), signal.SIGKILL)  # a worker
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 1
    assert stdout == ""
    assert stderr.splitlines() == [
        "negotiation-sim: error: a worker process died (out of memory, killed, or unable to "
        "start: a script that starts workers needs an `if __name__ == '__main__':` guard, and "
        "code read from stdin cannot start any; use workers=1 there)"
    ]
    assert_all_end(family)


def _command(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_sigterm_stops_the_command_like_ctrl_c():
    child, family = started_ensemble()
    os.kill(child.pid, signal.SIGTERM)
    stdout, stderr = child.communicate(timeout=30)
    assert child.returncode == 128 + signal.SIGTERM
    assert stdout == ""
    assert stderr.splitlines() == ["negotiation-sim: interrupted; nothing was written"]
    assert_all_end(family)


def test_a_run_its_draws_make_invalid_names_its_entry_and_leaves_nothing(tmp_path):
    """A drawn deadline of 15 days and the 8,500 drawn to deploy on day 7 to 24 are each
    fine alone, so the file loads; runs that draw both a short deadline and a late day fail."""
    text = UKRAINE.read_text().replace(
        "uncertain:\n",
        "uncertain:\n  protocol.deadline:\n    distribution: choice\n    values: [15, 30]\n"
        "    why: x\n",
        1,
    )
    path = tmp_path / "short.yaml"
    path.write_text(text)
    out = tmp_path / "out"
    with pytest.raises(RunFailed) as failed:
        run_ensemble(path, 400, 1, workers=1, progress=False, out=out, chunk_size=20)
    entry = "  events.8,500 US troops join the NATO force.day:"
    line = text[: text.index(entry)].count("\n") + 1
    message = str(failed.value)
    assert message.startswith(
        f"{path}:{line}: uncertain.events.8,500 US troops join the NATO force.day: run "
    )
    assert "is after the deadline (15 days); it drew protocol.deadline=15, " in message
    assert "events.8,500 US troops join the NATO force.day=" in message
    assert not out.exists()  # no manifest, no chunk, no directory left behind
