"""What a user sees of the objects they hold: a short repr in a terminal, a table in a
notebook (``_repr_html_``), and the outcome of each run from ``mesa.batch_run``."""

from html.parser import HTMLParser

import mesa
import pytest

from negotiation_sim import NegotiationModel, compare, run_ensemble, simulate


class Cells(HTMLParser):
    """The text of every table cell of an HTML fragment, and whether the tags balance."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        if tag in ("td", "th"):
            self.cells.append("")

    def handle_endtag(self, tag):
        assert self.open.pop() == tag

    def handle_data(self, data):
        if self.open and self.open[-1] in ("td", "th"):
            self.cells[-1] += data


@pytest.fixture(scope="module")
def ensemble(ukraine):
    return run_ensemble(ukraine, runs=100, seed=7, workers=1, progress=False)


def test_a_scenario_shows_its_size_and_actors(ukraine):
    text = repr(ukraine)
    size = f"{len(ukraine.space.issues)} issues, {len(ukraine.space):,} packages"
    assert text.startswith(f"Scenario('Ukraine 2022': {size}, actors Russia, United States")
    assert len(text) < 250
    cells = Cells(ukraine._repr_html_())
    assert cells.open == []
    assert (
        "open_door" in cells.cells and "[open]" in cells.cells[cells.cells.index("open_door") + 1]
    )
    reservation = f"{ukraine.actor('Russia').preferences.reservation:.2f}"
    assert {"Russia", "boulware", reservation, "confidence-building"} <= set(cells.cells)


def test_a_run_result_shows_its_outcome_terms_and_utilities(ukraine):
    agreed = next(r for r in map(lambda s: simulate(ukraine, s), range(50)) if r.agreement)
    text = repr(agreed)
    assert text.startswith(f"RunResult({agreed.outcome.replace('_', ' ')} in round {agreed.round};")
    assert "open_door=" in text and "utilities Russia" in text
    cells = Cells(agreed._repr_html_()).cells
    assert "hotline" in cells and "United States" in cells


def test_an_ensemble_shows_its_shares_not_its_table(ensemble):
    text = repr(ensemble)
    assert text.startswith("Ensemble('Ukraine 2022': 100 runs, seed 7; agreement ")
    assert "escalation" in text and len(text) < 200
    cells = Cells(ensemble._repr_html_()).cells
    assert cells[:4] == ["outcome", "runs", "share", "95% interval (Wilson)"]
    assert "partial agreement" in cells


def test_a_comparison_shows_its_variants_and_differences():
    comparison = compare(
        ["ukraine_2022", "ukraine_2022_no_confidence_building"],
        runs=60,
        seed=2,
        workers=1,
        progress=False,
    )
    assert repr(comparison).startswith("Comparison(60 runs each, seed 2: [0] Ukraine 2022, [1]")
    cells = Cells(comparison._repr_html_()).cells
    assert "[1] - [0], points" in cells and len(cells) == 4 * 4 + 4


def test_html_escapes_what_a_scenario_file_says(ukraine):
    from negotiation_sim.display import html_table

    assert "&lt;script&gt;" in html_table("<script>", ["a"], [["b"]])


def test_batch_run_reports_how_each_run_ended(ukraine):
    rows = mesa.batch_run(
        NegotiationModel,
        parameters={"scenario": ukraine},
        rng=[1, 2, 3],
        max_steps=20,
        display_progress=False,
    )
    ended = {row["RunId"]: row["outcome"] for row in rows}  # a row per agent, one per run
    assert list(ended.values()) == [simulate(ukraine, s).outcome for s in (1, 2, 3)]
