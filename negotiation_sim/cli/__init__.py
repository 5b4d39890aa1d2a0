"""The ``negotiation-sim`` command line: ``main`` is its entry point, and ``command`` the
command itself (one parser wiring one module per sub-command).

``main`` imports ``command``, and with it numpy, pandas and Mesa (about two seconds), only
inside its guard against Ctrl-C and SIGTERM, so that an interruption while the command is
still starting up, or parsing its arguments, is one line and status 130 (143 for SIGTERM)
like one later on, rather than a traceback. That import is deferred for start-up's sake
alone, not to break a circle: ``command`` imports nothing from this module. What Python does
before this module runs (tens of milliseconds) is not covered: a Ctrl-C there still ends in
Python's own traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

from negotiation_sim.cli.exits import interrupted, terminate_like_ctrl_c

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command on ``argv`` (by default the process's arguments); its exit status."""
    try:
        with terminate_like_ctrl_c():
            from negotiation_sim.cli import command  # here, not at the top: see above

            return command.main(argv)
    except KeyboardInterrupt as stop:  # before the command had its arguments
        return interrupted(stop)
