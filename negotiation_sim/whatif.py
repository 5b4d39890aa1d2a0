"""Deprecated since 0.2.0: compare and sweep are in ``negotiation_sim.ensemble``."""

from negotiation_sim._moved import warn_moved
from negotiation_sim.ensemble import (
    Comparison,
    compare,
    format_comparison,
    format_sweep,
    load_sweep,
    parse_grid,
    save_sweep,
    sweep,
)

__all__ = [
    "Comparison",
    "compare",
    "format_comparison",
    "format_sweep",
    "load_sweep",
    "parse_grid",
    "save_sweep",
    "sweep",
]

warn_moved(__name__, "negotiation_sim.ensemble")
