"""Starting the command: the package's names load on first use, so ``negotiation_sim.cli``
imports none of numpy, pandas or Mesa, and a Ctrl-C or SIGTERM while the command is still
importing them is one line and status 130 or 143, like one later on."""

import ast
import importlib
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import negotiation_sim
from tests.conftest import ROOT, signalled

ROOT_INIT = Path(negotiation_sim.__file__)
HEAVY = ("numpy", "pandas", "scipy", "mesa", "matplotlib", "numba")
PROC = Path("/proc")


def _type_checking_imports() -> dict[str, str]:
    """Each name the root imports under ``if TYPE_CHECKING:``, and the module it comes from."""
    (block,) = [
        node
        for node in ast.parse(ROOT_INIT.read_text()).body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    return {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


def test_the_lazy_names_are_the_type_checking_imports_and_all():
    lazy = {
        name: f"negotiation_sim.{module}" for name, module in negotiation_sim._MODULE_OF.items()
    }
    assert lazy == _type_checking_imports()
    assert sorted(lazy) == sorted(negotiation_sim.__all__)
    assert len(set(negotiation_sim.__all__)) == len(negotiation_sim.__all__)


@pytest.mark.parametrize("name", negotiation_sim.__all__)
def test_every_name_is_the_object_of_its_module(name):
    module = importlib.import_module(_type_checking_imports()[name])
    assert getattr(negotiation_sim, name) is getattr(module, name)
    assert name in dir(negotiation_sim)


def test_other_names_are_attribute_errors_so_submodules_still_import():
    with pytest.raises(AttributeError) as missing:
        negotiation_sim.nope  # noqa: B018
    assert str(missing.value) == "module 'negotiation_sim' has no attribute 'nope'"
    with pytest.raises(AttributeError):  # so that `from negotiation_sim import kernels` imports it
        negotiation_sim.__getattr__("kernels")
    from negotiation_sim import kernels, limits

    assert kernels.__name__ == "negotiation_sim.kernels" and limits.__name__.endswith("limits")
    from importlib.metadata import version

    assert negotiation_sim.__version__ == version("negotiation-sim")


def _fresh(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()


def test_importing_the_command_line_loads_nothing_heavy():
    loaded = _fresh(
        "import sys, negotiation_sim.cli\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    assert loaded == "[]"


def test_a_fresh_star_import_gives_every_name():
    printed = _fresh(
        "from negotiation_sim import *\n"
        "import negotiation_sim\n"
        "print(all(globals()[name] is getattr(negotiation_sim, name) "
        "for name in negotiation_sim.__all__))"
    )
    assert printed == "True"


def importing_numpy() -> Callable[[subprocess.Popen], bool]:
    """For ``signalled``: whether the child has loaded numpy's core extension, so that it
    is importing the command (for a second or two more: pandas, scipy, Mesa). Without
    /proc, 0.3 s after the start instead."""
    started = time.monotonic()

    def ready(child: subprocess.Popen) -> bool:
        if not (PROC / "self" / "maps").exists():
            return time.monotonic() - started > 0.3
        try:
            return "_multiarray_umath" in (PROC / str(child.pid) / "maps").read_text()
        except OSError:  # it has ended: ``signalled`` says so
            return False

    return ready


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_the_command_imports_is_one_line(signum, status):
    """Sent while the command is still importing numpy and the rest, before it has parsed
    its arguments (where it used to end in a traceback, or SIGTERM's plain kill)."""
    ended = signalled(["run", "ukraine_2022"], signum, importing_numpy())
    assert "Traceback" not in ended.stderr
    assert (ended.returncode, ended.stdout, ended.stderr) == (
        status,
        "",
        "negotiation-sim: interrupted; nothing was written\n",
    )
