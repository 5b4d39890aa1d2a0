"""The ``negotiation-sim`` command line: ``main`` wires one module per sub-command."""

from negotiation_sim.cli.main import main

__all__ = ["main"]
