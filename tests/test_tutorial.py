"""The tutorial notebook runs headless from top to bottom, as a reader would run it."""

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

TUTORIAL = ROOT / "docs" / "tutorial.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    notebook = nbformat.read(TUTORIAL, as_version=4)
    workdir = tmp_path_factory.mktemp("tutorial")  # a fresh folder: shipped names, no paths
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute(
        cwd=str(workdir)
    )  # raises CellExecutionError, naming the cell, if one fails
    return notebook


def outputs(notebook, kind):
    return [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if kind in output.get("data", {}) or output.get("name") == kind
    ]


def test_the_tutorial_is_stored_without_outputs():
    notebook = nbformat.read(TUTORIAL, as_version=4)
    assert all(not c.outputs for c in notebook.cells if c.cell_type == "code")


def test_every_cell_runs_and_nothing_is_written_to_stderr(executed):
    assert outputs(executed, "stderr") == []


def test_results_render_as_tables_and_figures(executed):
    tables = [o["data"]["text/html"] for o in outputs(executed, "text/html")]
    captions = " ".join(tables)
    assert "Ukraine 2022: 1,728 packages, deadline 10 rounds (30 days)" in captions
    assert "Ukraine 2022: 300 runs, seed 2022" in captions  # the ensemble
    assert "300 runs each, seed 1, common random numbers" in captions  # the comparison
    assert len(outputs(executed, "image/png")) == 5


def test_the_strategy_of_a_cell_played_on_two_workers(executed):
    last = executed.cells[-1]
    assert last.source.startswith('@STRATEGIES.register("notebook_folder")')
    (shown,) = last.outputs
    assert "Ukraine 2022: 120 runs, seed 5" in shown["data"]["text/html"]
