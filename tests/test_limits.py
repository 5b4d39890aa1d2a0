"""Sizes are bounded by what the machine can do: rounds, runs, sweep grids and workers are
capped at documented values (an environment variable raises each), refused at once with a
line that says how; an outcome space is refused when its runs would not fit in memory."""

import time

import pytest

from negotiation_sim import limits
from negotiation_sim.cli import main
from negotiation_sim.ensemble import parse_grid, run_ensemble, sweep
from negotiation_sim.ensemble.notes import EnsembleNote
from negotiation_sim.scenario import ScenarioError, load_scenario
from tests.conftest import SCENARIOS

UKRAINE = SCENARIOS / "ukraine_2022.yaml"
TEXTBOOK = SCENARIOS / "textbook_two_party.yaml"  # counts time in rounds
COST = "actors.Russia.outside_option.base_cost"


def cli_error(capsys, *args: str) -> str:
    """The one line a command refused at once prints. "At once" is bounded loosely: a loaded
    machine may take a second or two to load a scenario, while a command that began the
    run it was asked for (a billion rounds, a trillion runs) would not end for hours."""
    started = time.perf_counter()
    try:
        status = main(list(args))
    except SystemExit as stop:  # refused by the option parser
        status = stop.code
    assert time.perf_counter() - started < 30.0
    assert status == 2
    (line,) = capsys.readouterr().err.splitlines()
    return line


def test_rounds_and_runs_past_their_caps_are_refused_on_the_command_line(capsys):
    assert cli_error(capsys, "run", str(UKRAINE), "--rounds", "1000000000") == (
        "negotiation-sim: error: argument --rounds: 1,000,000,000 rounds is more than the "
        "10,000 allowed (set NEGOTIATION_SIM_MAX_ROUNDS to raise the limit) "
        "(see negotiation-sim run --help)"
    )
    line = cli_error(capsys, "run", str(UKRAINE), "--runs", "1000000000000")
    assert "1,000,000,000,000 runs is more than the 1,000,000 allowed" in line
    assert "NEGOTIATION_SIM_MAX_RUNS" in line


def test_an_uncertain_deadline_past_the_cap_is_refused_at_its_entry(tmp_path):
    text = TEXTBOOK.read_text() + (
        "uncertain:\n  protocol.deadline:\n    distribution: uniform\n    low: 10\n"
        "    high: 100000\n    why: x\n"
    )
    path = tmp_path / "long.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.field == "uncertain.protocol.deadline"
    assert caught.value.line == text[: text.index("  protocol.deadline:\n")].count("\n") + 1
    assert "cannot set 100000: 100,000 rounds is more than the 10,000 allowed" in str(caught.value)


def test_an_environment_variable_raises_a_cap(tmp_path, monkeypatch):
    text = TEXTBOOK.read_text().replace("deadline: 10 ", "deadline: 12000 ", 1)
    path = tmp_path / "long.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match="12,000 rounds is more than the 10,000 allowed"):
        load_scenario(path)
    monkeypatch.setenv("NEGOTIATION_SIM_MAX_ROUNDS", "20_000")
    assert load_scenario(path).protocol.deadline == 12000


def test_runs_and_grids_past_their_caps_allocate_nothing(ukraine):
    started = time.perf_counter()
    with pytest.raises(ValueError, match="1,000,000,000,000 runs is more than"):
        run_ensemble(ukraine, runs=10**12, seed=1, workers=1, progress=False)
    with pytest.raises(ValueError, match="1,000,000,000 grid points is more than the 10,000"):
        parse_grid(f"{COST}=0:1:1000000000")
    grid = {COST: [0.1] * 200, "beliefs.noise": [0.1] * 200}
    with pytest.raises(ValueError, match="40,000 grid points is more than the 10,000"):
        sweep(ukraine, grid, runs_per_point=1, seed=1, workers=1, progress=False)
    with pytest.raises(ValueError, match="2,000,000 runs is more than the 1,000,000"):
        sweep(ukraine, {COST: [0.1] * 10_000}, runs_per_point=200, seed=1, workers=1)
    # no chunk list, no grid, no job was built: any of them would take hours or all memory
    assert time.perf_counter() - started < 30.0


def test_a_sweep_of_more_runs_than_allowed_is_refused_before_running(capsys):
    line = cli_error(
        capsys, "sweep", str(UKRAINE), "--param", f"{COST}=0:0.3:100",
        "--param", "beliefs.noise=0:0.5:100", "--runs", "200",
    )  # fmt: skip
    assert line == (
        "negotiation-sim: error: --param: 2,000,000 runs is more than the 1,000,000 allowed "
        "(set NEGOTIATION_SIM_MAX_RUNS to raise the limit)"
    )


def test_workers_are_capped_at_the_cores_unless_the_variable_allows_more(ukraine, monkeypatch):
    monkeypatch.setattr(limits, "cores", lambda: 1)
    reference = run_ensemble(ukraine, 60, 4, workers=1, progress=False)
    with pytest.warns(EnsembleNote) as notes:
        capped = run_ensemble(ukraine, 60, 4, workers=8, progress=False)
    assert [str(n.message) for n in notes] == [
        "using 1 worker, not 8: this process may use 1 core "
        "(set NEGOTIATION_SIM_MAX_WORKERS to use more)"
    ]
    assert capped.runs.equals(reference.runs)
    monkeypatch.setenv("NEGOTIATION_SIM_MAX_WORKERS", "8")
    assert limits.workers_limit().value == 8


def test_workers_are_capped_by_the_memory_their_runs_need(ukraine, monkeypatch):
    need = limits.run_memory(len(ukraine.space), len(ukraine.actors))
    monkeypatch.setattr(limits, "cores", lambda: 2)
    monkeypatch.setattr(limits, "available_memory", lambda: need * 3 // 2)
    with pytest.warns(EnsembleNote, match="using 1 worker, not 2: each run needs about"):
        run_ensemble(ukraine, 20, 4, workers=2, progress=False)


def test_the_outcome_space_limit_counts_the_actors(tmp_path, monkeypatch):
    """Two million packages fit 4 GB for two actors (0.8 GB a run) but not for twenty (8 GB)."""
    monkeypatch.setattr(limits, "available_memory", lambda: 4 * 10**9)
    assert limits.memory_problem(2_000_000, 2) is None
    issues = "".join(
        f"  - name: i{k}\n    options: [{', '.join(f'o{j}' for j in range(10))}]\n"
        "    status_quo: o0\n"
        for k in range(6)
    )
    actors = "".join(
        f"  - name: A{a}\n    strategy: linear\n    weights: {{i0: 1}}\n    ideals: {{i0: o1}}\n"
        for a in range(20)
    )
    order = ", ".join(f"A{a}" for a in range(20))
    path = tmp_path / "crowd.yaml"
    path.write_text(
        f"name: Crowd\nprotocol:\n  order: [{order}]\n  deadline: 3\nissues:\n{issues}"
        f"  - name: yes_no\n    options: [a, b]\n    status_quo: a\nactors:\n{actors}"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert (caught.value.line, caught.value.field) == (5, "issues")
    assert caught.value.message.startswith(
        "2,000,000 packages for 20 actors need about 8.0 GB a run, more than the 4.0 GB available"
    )


def test_available_memory_keeps_within_a_containers_limit(tmp_path, monkeypatch):
    (tmp_path / "memory.max").write_text("1000000000\n")
    (tmp_path / "memory.current").write_text("400000000\n")
    monkeypatch.setattr(limits, "CGROUP", tmp_path)
    assert limits.available_memory() == 600_000_000
    (tmp_path / "memory.max").write_text("max\n")
    assert limits.available_memory() > 600_000_000  # the system's, unbounded container
