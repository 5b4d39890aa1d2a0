"""Ensemble rows computed before ensembles stopped rebuilding the scenario per run (issue
14): the same seed must keep giving them. The scenarios are copies in tests/data, so that
edits to the shipped files do not move the pins; a change to what a round does that moves
them must say so in its commit and pin the new rows."""

from pathlib import Path

import pytest

from negotiation_sim.ensemble import run_ensemble

DATA = Path(__file__).resolve().parent / "data"
RUNS, SEED = 60, 2022
# run: (outcome, round, the agreed option of each issue in file order, or None)
UKRAINE = {
    0: (
        "agreement",
        9,
        ("open", "freeze", "banned", "new_start_successor", "yes", "observers", "pullback"),
    ),
    3: ("agreement", 10, ("open", "freeze", "limited", "talks", "yes", "observers", "massed")),
    5: (
        "agreement",
        10,
        ("open", "current", "banned", "new_start_successor", "yes", "observers", "pullback"),
    ),
    6: ("escalation", 10, None),
    11: ("escalation", 1, None),
    13: ("escalation", 3, None),
    26: ("agreement", 10, ("open", "reinforce", "banned", "talks", "yes", "observers", "pullback")),
    54: ("agreement", 10, ("open", "current", "banned", "talks", "yes", "observers", "massed")),
}
TEXTBOOK = {
    0: ("agreement", 9, ("high", "two_weeks", "none")),
    28: ("stalemate", 10, None),
    54: ("stalemate", 10, None),
    59: ("agreement", 9, ("high", "two_weeks", "none")),
}
COUNTS = {
    "ukraine_2022_pinned.yaml": {"escalation": 31, "agreement": 29},
    "textbook_two_party_pinned.yaml": {"agreement": 58, "stalemate": 2},
}


@pytest.mark.parametrize(
    ("file", "pinned"),
    [("ukraine_2022_pinned.yaml", UKRAINE), ("textbook_two_party_pinned.yaml", TEXTBOOK)],
)
def test_rows_are_the_ones_computed_before(file, pinned):
    runs = run_ensemble(DATA / file, runs=RUNS, seed=SEED, workers=1, progress=False).runs
    assert runs["outcome"].value_counts().to_dict() == COUNTS[file]
    terms = [c for c in runs.columns if c.startswith("term_")]
    for run, (outcome, round_, agreed) in pinned.items():
        row = runs.iloc[run]
        assert (row["run"], row["outcome"], row["round"]) == (run, outcome, round_)
        cells = tuple(row[terms])
        if agreed is None:
            assert all(cell != cell for cell in cells)  # NaN: no terms
        else:
            assert cells == agreed
