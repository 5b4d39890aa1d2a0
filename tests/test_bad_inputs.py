"""A catalogue of bad scenario files (tests/bad_inputs/), each run through `validate` and `run`:
never a traceback, never a hang, and either one located line (FILE:LINE: ...) with the
expected words, exit 2, or, for a file marked valid, a clean run.

Each file says what to expect in its first lines: ``# expect: <words of the error>`` or
``# expect: valid``, and ``# expect-run: ...`` where `run` finds what `validate` cannot
(values that clash only when drawn together)."""

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from negotiation_sim.cli import main

CATALOGUE = Path(__file__).parent / "bad_inputs"
FILES = sorted(CATALOGUE.glob("*.yaml"))
COMMANDS = {
    "validate": ["validate"],
    "run": ["run", "--runs", "30", "--seed", "1", "--workers", "1", "--no-progress"],
}
SECONDS = 20
LOCATED = re.compile(r"^negotiation-sim: error: (?P<file>[^:]+):(?P<line>\d+): ")


class Hung(BaseException):
    """The command took longer than any bad input should."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def hung(signum, frame):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def expected(path: Path, command: str) -> str:
    """What the file's header expects of ``command``: words of the error, or "valid"."""
    header = {}
    for line in path.read_bytes().decode("latin-1").splitlines():
        found = re.match(r"# (expect(?:-run)?): (.*)", line)
        if found:
            header[found[1]] = found[2].strip()
    return header.get(f"expect-{command}", header["expect"])


def test_the_catalogue_covers_the_issue():
    assert len(FILES) >= 30


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_a_bad_input_is_one_located_line_or_a_clean_run(path, command, capsys):
    with time_limit(SECONDS):
        try:
            status = main([COMMANDS[command][0], str(path), *COMMANDS[command][1:]])
        except SystemExit as stop:
            status = stop.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    expect = expected(path, command)
    if expect == "valid":
        assert status == 0, err
        return
    assert status == 2, err
    (line,) = err.splitlines()
    located = LOCATED.match(line)
    assert located, line
    assert Path(located["file"]).name.endswith(".yaml")
    assert expect in line
