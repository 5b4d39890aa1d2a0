"""The dashboard driven in Debian's headless Chromium with Playwright, as a user would.

Its browser test and its benchmark (``benchmarks/bench_dashboard.py``) share these steps:
serve the page with ``negotiation-sim dashboard`` on a free port, open it, step a run, run
an ensemble from the ensemble tab. Needs ``playwright`` (the test extra) and
``/usr/bin/chromium`` (``apt-get install chromium``); Playwright's own browsers are not used.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",  # as root, as CI runs
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",  # no connections out of a closed network
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT_MS = 60_000
ENSEMBLE_TIMEOUT_MS = 600_000
NOT_CACHED = "Could not load URL"
"""What the server logs when the page asks for a front-end file the cache lacks."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def served(scenario: str, log: Path, start_timeout: float = 90, attempts: int = 5) -> Iterator[str]:
    """``negotiation-sim dashboard SCENARIO`` on a free port, its output in ``log``; yields
    the page's address once it answers, and stops the server afterwards. A port found free
    may be taken before the server binds it (by any process that asks for a free port, such
    as a Dask worker of another test): then the server exits, and another port is tried, up
    to ``attempts`` times."""
    for _ in range(attempts):
        process, url = _start(scenario, log)
        try:
            if _started(process, url, log, time.monotonic() + start_timeout):
                yield url
                return
        finally:
            process.terminate()
            process.wait(timeout=30)
    raise RuntimeError(
        f"the dashboard did not start on any of {attempts} ports:\n{log.read_text()}"
    )


def _start(scenario: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "negotiation_sim.cli", "dashboard", scenario]
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)], stdout=output, stderr=subprocess.STDOUT
        )
    return process, f"http://127.0.0.1:{port}/"


def _started(process: subprocess.Popen[bytes], url: str, log: Path, deadline: float) -> bool:
    """Whether the server answers at ``url``; False if it exited first (its port was taken)."""
    while not _answers(url):
        if process.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise RuntimeError(f"the dashboard did not start:\n{log.read_text()}")
        time.sleep(0.1)
    return True


def _answers(url: str) -> bool:
    """Whether an HTTP server answers ``url`` with its page (not yet, or something else that
    listens there, such as a Dask worker: no)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except (OSError, http.client.HTTPException):
        return False


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright gives it a fresh profile)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, url: str) -> Page:
    """A new page at ``url``, once the sidebar and the first plot have rendered."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.get_by_text("Model Parameters").wait_for()
    page.locator(".ns-trajectories img").wait_for()
    return page


def outcome(page: Page) -> str:
    """The run's status line: its seed and round, or how it ended."""
    return page.locator(".ns-outcome").inner_text()


def step(page: Page) -> None:
    """Click Step and wait until the page shows the next round (or the end)."""
    before = outcome(page)
    page.get_by_role("button", name="Step").click()
    expect(page.locator(".ns-outcome")).not_to_have_text(before)


def reset(page: Page) -> None:
    """Click Reset: a new run with the sidebar's values, at round 0."""
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".ns-outcome")).to_contain_text("round 0 of")


def run_ensemble_in_page(page: Page, runs: int, workers: int = 1) -> None:
    """On the ensemble tab, run ``runs`` runs and wait for their outcome table."""
    page.get_by_role("tab", name=re.compile("Page 1", re.IGNORECASE)).click()
    field = page.get_by_label("runs")
    field.fill(str(runs))
    field.press("Enter")
    if workers != 1:
        page.locator(".v-select", has_text="worker processes").click()
        page.get_by_role("option", name=str(workers), exact=True).click()
    caption = page.locator(".ns-outcomes caption")
    page.get_by_role("button", name="Run ensemble").click()
    expect(caption).to_have_count(0)  # the last results go while the runs run
    expect(caption).to_contain_text(f"{runs:,} runs", timeout=ENSEMBLE_TIMEOUT_MS)
