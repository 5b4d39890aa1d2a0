"""Start the dashboard's server: ``solara run`` on the page module, or say what is missing.

The server replaces this process (``os.execv``), so that stopping the command (Ctrl-C, a
signal) stops the server, and no server outlives it. Worker processes of the page's
ensembles end with their parent, as everywhere in the package.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
from pathlib import Path
from typing import NoReturn

from negotiation_sim.dashboard.assets import CACHE_VARIABLE, FETCH_COMMAND, cache_directory, missing

APP = "negotiation_sim.dashboard.app"
SCENARIO_VARIABLE = "NEGOTIATION_SIM_DASHBOARD_SCENARIO"
"""The scenario the page starts with, as the command was given it (a name or a file)."""
EXTRA = 'pip install "negotiation-sim[dashboard]"'
NEEDED = ("solara", "ipyvuetify", "mesa.visualization")


def problem(host: str, port: int) -> str | None:
    """What keeps the page from starting here, in one line, or None."""
    absent = [name for name in NEEDED if not _importable(name)]
    if absent:
        return f"the dashboard needs {', '.join(absent)}, which are not installed: {EXTRA}"
    lacking = missing()
    if lacking:
        return (
            f"the page's front-end files ({', '.join(lacking)}) are not in {cache_directory()}: "
            f"run `{FETCH_COMMAND}` once (it downloads them from the npm registry; "
            f"`make` does it in a checkout), or point {CACHE_VARIABLE} at a filled copy"
        )
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            return f"cannot serve on {host}:{port}: {error.strerror} (choose another with --port)"
    return None


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # its parent package is missing
        return False


def serve(scenario: str | Path, host: str, port: int) -> NoReturn:
    """Become the server of the page at http://host:port/, starting with ``scenario``."""
    os.environ[SCENARIO_VARIABLE] = str(scenario)
    os.environ[CACHE_VARIABLE] = str(cache_directory())
    print(f"dashboard of {scenario} at http://{host}:{port}/ (Ctrl-C stops it)", flush=True)
    command = [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port)]
    os.execv(sys.executable, [*command, "--production", "--no-open"])
