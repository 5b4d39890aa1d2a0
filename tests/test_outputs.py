"""Outputs fail early and lose nothing: a place that cannot take files is refused before
anything runs (exit 2); a write that fails afterwards prints the results first, then one
line saying what could not be written and why (exit 1), and leaves no partial file.

Read-only and full file systems are real ones (small tmpfs mounts) where this process may
mount them; elsewhere those tests are skipped, and a simulated failed write still runs."""

import errno
import subprocess
from pathlib import Path

import matplotlib
import pytest

from negotiation_sim.cli import main
from tests.conftest import SCENARIOS

matplotlib.use("Agg")

UKRAINE = str(SCENARIOS / "ukraine_2022.yaml")
ENSEMBLE = ["run", UKRAINE, "--runs", "40", "--seed", "3", "--workers", "1", "--no-progress"]
PREFIX = "negotiation-sim: error: "


@pytest.fixture
def mount(tmp_path):
    """``mount(options)``: a fresh tmpfs with these mount options; skips where none can be made."""
    mounted: list[Path] = []

    def make(options: str) -> Path:
        target = tmp_path / f"mnt{len(mounted)}"
        target.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(target)
        return target

    yield make
    for target in mounted:
        subprocess.run(["umount", "-l", str(target)], check=False)


def fill(directory: Path) -> None:
    """Write into ``directory`` until its file system is full."""
    with open(directory / "filler", "wb", buffering=0) as handle:
        with pytest.raises(OSError) as full:
            while True:
                handle.write(b"\0" * 4096)
        assert full.value.errno == errno.ENOSPC


def table_of(capsys, args: list[str]) -> str:
    assert main(args) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def exit_status(args: list[str]) -> int:
    """What the command returns, or the status it exits with (argparse exits)."""
    try:
        return main(args)
    except SystemExit as stop:
        return stop.code


def refused_early(capsys, args: list[str]) -> str:
    """The one error line of a command refused before it ran anything."""
    assert exit_status(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing ran
    (line,) = captured.err.splitlines()
    assert line.startswith(PREFIX)
    return line.removeprefix(PREFIX)


def test_out_under_a_regular_file_is_refused_before_running(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    error = refused_early(capsys, [*ENSEMBLE, "--out", str(tmp_path / "file" / "d")])
    assert error == (
        f"argument --out: cannot write {tmp_path / 'file' / 'd'}: {tmp_path / 'file'} "
        "is not a directory (see negotiation-sim run --help)"
    )


def test_a_read_only_file_system_is_refused_before_running(mount, capsys):
    read_only = mount("ro,size=64k")
    for option, target in (("--out", read_only / "d"), ("--plot", read_only / "x.png")):
        error = refused_early(capsys, [*ENSEMBLE, option, str(target)])
        assert f"cannot write to {read_only}: Read-only file system" in error
    assert list(read_only.iterdir()) == []


def test_a_full_disk_is_refused_before_running(mount, capsys):
    full = mount("size=64k")
    fill(full)
    error = refused_early(capsys, [*ENSEMBLE, "--out", str(full / "d")])
    assert f"cannot write to {full}: No space left on device" in error
    assert sorted(p.name for p in full.iterdir()) == ["filler"]


def test_a_disk_that_fills_while_writing_chunks_keeps_the_finished_ones(mount, capsys):
    small = mount("size=48k")  # the manifest and two chunks of 50 runs; not eight
    out = small / "d"
    args = ["run", UKRAINE, "--runs", "400", "--seed", "3", "--workers", "1", "--out", str(out)]
    assert main(args) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith(f"{PREFIX}could not write {out}/")
    assert line.endswith(
        f": No space left on device; finished chunks are kept in {out}: "
        "rerun the same command to resume"
    )
    assert not [p.name for p in out.iterdir() if p.name.endswith(".partial")]


def test_a_figure_that_cannot_be_written_after_the_run_loses_no_result(mount, capsys):
    tiny = mount("size=8k")  # room for the probe, not for a figure
    figure = tiny / "outcomes.png"
    expected = table_of(capsys, ENSEMBLE)
    assert main([*ENSEMBLE, "--plot", str(figure)]) == 1
    captured = capsys.readouterr()
    assert captured.out == expected  # the table, printed before the figure failed
    assert captured.err == f"{PREFIX}could not write {figure}: No space left on device\n"
    assert list(tiny.iterdir()) == []


def test_a_failed_write_is_simulated_where_nothing_can_be_mounted(tmp_path, monkeypatch, capsys):
    from matplotlib.figure import Figure

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    figure = tmp_path / "trajectories.png"
    expected = table_of(capsys, ["run", UKRAINE, "--seed", "5"])
    monkeypatch.setattr(Figure, "savefig", disk_full)
    assert main(["run", UKRAINE, "--seed", "5", "--plot", str(figure)]) == 1
    captured = capsys.readouterr()
    assert captured.out == expected  # the transcript is printed, not lost
    assert captured.err == f"{PREFIX}could not write {figure}: No space left on device\n"
    assert list(tmp_path.iterdir()) == []
