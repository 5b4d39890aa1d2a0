"""The dashboard in a real browser: Debian's headless Chromium, driven by Playwright, against
``negotiation-sim dashboard`` served on this machine.

Each test loads the page afresh and checks what a user sees against the library: a run
stepped to its end against ``NegotiationModel(scenario, rng=seed).run()``, an ensemble's
shares against ``run_ensemble``, an uploaded broken file against the loader's message.
Screenshots of each state go to a temporary folder (printed with ``-s``).

Without /usr/bin/chromium these tests are skipped, except under CI (``CI`` set), where
that is a failure: ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from negotiation_sim.ensemble import run_ensemble
from negotiation_sim.model import OUTCOMES, NegotiationModel
from negotiation_sim.scenario import ScenarioError, load_scenario

SCENARIO = "ukraine_2022"
PAGE_SEED = 2022  # the seed the page starts with
SEED = 7  # the seed a test types in
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.slow

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs {CHROMIUM}: apt-get install -y chromium (see .ci/run)")
    pytest.skip(f"no {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from negotiation_sim.dashboard.browser import (  # noqa: E402
    NOT_CACHED,
    chromium,
    open_page,
    outcome,
    reset,
    run_ensemble_in_page,
    served,
    step,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``negotiation-sim dashboard ukraine_2022`` on a free port; its address."""
    log = tmp_path_factory.mktemp("dashboard-server") / "server.log"
    with served(SCENARIO, log) as url:
        yield url
    assert NOT_CACHED not in log.read_text(), "the page asked for a file the cache lacks"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard-screens")
    print(f"screenshots in {folder}")
    return folder


@pytest.fixture
def page(server: str, browser: Browser) -> Iterator[Page]:
    """The page, loaded: the sidebar and the first plot are there."""
    page = open_page(browser, server)
    yield page
    page.context.close()


def plot_bytes(page: Page) -> bytes:
    """The trajectory plot's image as the browser holds it (a blob, new at every render)."""
    image = page.locator(".ns-trajectories img")
    expect(image).to_have_attribute("src", re.compile("^blob:"))
    data = image.evaluate(
        "async img => Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer()))"
    )
    return bytes(data)


def run_three_rounds(page: Page) -> bytes:
    """Reset, step three rounds, and return the plot."""
    reset(page)
    for _ in range(3):
        step(page)
    return plot_bytes(page)


def set_seed(page: Page, seed: int) -> None:
    field = page.get_by_label("seed")
    field.fill(str(seed))
    field.press("Enter")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".ns-outcome")).to_contain_text(f"seed {seed}: round 0 of")


def test_the_page_shows_the_scenario_and_steps_to_the_librarys_outcome(page: Page, screens):
    sidebar = page.locator(".v-navigation-drawer")
    for label in ("seed", "deadline (day)", "belief noise", "Russia: base_cost", "leak.day"):
        expect(sidebar.get_by_text(label, exact=False).first).to_be_visible()
    assert plot_bytes(page).startswith(b"\x89PNG")
    page.screenshot(path=screens / "1-loaded.png", full_page=True)

    set_seed(page, SEED)
    expected = NegotiationModel(load_scenario(SCENARIO), rng=SEED).run()
    for _ in range(expected.round):
        step(page)
    ended = outcome(page)
    assert f"{expected.outcome.replace('_', ' ')} in round {expected.round}" in ended
    if expected.escalated_by:
        assert f"{expected.escalated_by} takes its outside option" in ended
    for issue, option in (expected.agreement or {}).items():
        assert f"{issue}={option}" in ended
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    assert f"Round {expected.round}" in page.locator(".ns-transcript").inner_text()
    page.screenshot(path=screens / "2-run-ended.png", full_page=True)


def test_moving_a_slider_changes_the_run_and_its_plot(page: Page, screens):
    before = run_three_rounds(page)
    assert run_three_rounds(page) == before  # the same values and seed draw the same plot
    noise = page.locator(".v-input", has_text="belief noise").get_by_role("slider")
    noise.focus()
    noise.press("End")
    after = run_three_rounds(page)
    expect(page.locator(".ns-outcome")).to_contain_text("changed from the file: beliefs.noise=")
    assert after != before
    page.screenshot(path=screens / "3-slider-moved.png", full_page=True)


def shown_shares(page: Page) -> dict[str, tuple[int, str]]:
    """The outcome table the page shows: outcome -> (runs, share as printed)."""
    rows = page.locator(".ns-outcomes table tbody tr")
    shown: dict[str, tuple[int, str]] = {}
    for k in range(rows.count()):
        cells = [c.strip() for c in rows.nth(k).locator("td").all_inner_texts()]
        shown[cells[0]] = (int(cells[1].replace(",", "")), cells[2])
    return shown


def test_a_200_run_ensemble_shows_run_ensembles_shares(page: Page, screens):
    run_ensemble_in_page(page, 200)
    expected = run_ensemble(load_scenario(SCENARIO), runs=200, seed=PAGE_SEED, workers=1)
    table = expected.outcome_distribution()
    wanted: dict[str, Any] = {
        o.replace("_", " "): (int(table.loc[o, "count"]), f"{100 * table.loc[o, 'share']:.1f}%")
        for o in OUTCOMES
    }
    assert shown_shares(page) == wanted
    backtest = expected.observed_probability()
    assert backtest is not None
    expect(page.locator(".ns-outcomes")).to_contain_text(
        f"had probability {100 * backtest.probability:.1f}% in the model"
    )
    page.screenshot(path=screens / "4-ensemble.png", full_page=True)


def test_an_uploaded_broken_file_shows_the_located_error(page: Page, screens, tmp_path):
    text = load_scenario(SCENARIO).path.read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(re.sub(r"(?m)^  noise: 0\.1\b", "  noise: 7", text), encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(broken)
    error = raised.value
    assert error.field == "beliefs.noise" and error.line is not None
    page.locator(".ns-upload input[type=file]").set_input_files(broken)
    problem = page.locator(".ns-problem")
    expect(problem).to_contain_text(f"broken.yaml:{error.line}: {error.field}: {error.message}")
    assert "Traceback" not in page.locator("body").inner_text()
    page.screenshot(path=screens / "5-broken-upload.png", full_page=True)
