"""The dashboard page: Mesa's SolaraViz around a ``NegotiationModel``, served by solara.

``negotiation-sim dashboard`` runs ``solara run negotiation_sim.dashboard.app`` (see
``launch``), with the scenario to start with in ``NEGOTIATION_SIM_DASHBOARD_SCENARIO``.
Tab "Page 0" plays one run round by round (Step / Play / Reset in the sidebar): its
outcome, transcript and offer trajectories. "Page 1" runs ensembles and what-ifs. Every
figure is drawn by ``negotiation_sim.plots``, so the page shows what the library and the
command line show.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import solara
import solara.lab
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from negotiation_sim import plots
from negotiation_sim.dashboard.launch import SCENARIO_VARIABLE
from negotiation_sim.dashboard.settings import (
    Setting,
    SidebarModel,
    run_tab_ensemble,
    settings_of,
    what_if,
)
from negotiation_sim.ensemble import AGREEMENTS, Ensemble
from negotiation_sim.ensemble.compare import Comparison
from negotiation_sim.limits import cores
from negotiation_sim.scenario import Scenario, ScenarioError, load_scenario, shipped_scenarios
from negotiation_sim.transcript import format_result, format_transcript

DEFAULT_SCENARIO = "ukraine_2022"
DEFAULT_SEED = 2022
DEFAULT_RUNS = 200
SIDEBAR_CHANGES = "the sidebar's changes"
NO_COMPARISON = "nothing"
_UPLOADS = tempfile.TemporaryDirectory(prefix="negotiation-sim-uploads-")
"""Uploaded files, each in a folder of its own, removed when the server stops."""


@functools.cache
def shipped() -> dict[str, Path]:
    """The shipped scenarios' names and files, read once (a render must stay cheap)."""
    return {s.name: s.path for s in shipped_scenarios()}


def _control(setting: Setting) -> dict[str, Any]:
    """A control in the format of Mesa's ``model_params``."""
    kind: dict[str, Any]
    if setting.choices is not None:
        kind = {"type": "Select", "values": list(setting.choices)}
    elif setting.integer:
        kind = {"type": "SliderInt", "min": int(setting.low), "max": int(setting.high), "step": 1}
    else:
        kind = {"type": "SliderFloat", "min": setting.low, "max": setting.high}
        kind["step"] = setting.step
    return {**kind, "value": setting.default, "label": setting.label}


def model_params(scenario: Scenario) -> dict[str, Any]:
    """The sidebar's model parameters: the scenario (fixed), the seed, and its settings."""
    controls = {s.path: _control(s) for s in settings_of(scenario)}
    seed = {"type": "InputText", "value": str(DEFAULT_SEED), "label": "seed"}
    return {"negotiation": scenario, "rng": seed, **controls}


def _figure(draw: Callable[[Axes], Axes], size: tuple[float, float]) -> Figure:
    """A figure drawn by one of the library's plot functions, outside pyplot (no window,
    safe in the server's threads)."""
    figure = Figure(figsize=size, layout="constrained")
    draw(figure.subplots())
    return figure


@solara.component
def Outcome(model: SidebarModel) -> None:
    """How the run ended (the agreed terms, or who escalated), or the round it is in."""
    update_counter.get()
    with solara.Column(classes=["ns-outcome"]):
        result = model.result
        if result is None:
            solara.Info(f"seed {model.seed}: round {model.round} of {model.deadline}, talks go on")
        else:
            show = {"escalation": solara.Error, "stalemate": solara.Warning}
            show.get(result.outcome, solara.Success)(
                f"seed {model.seed}: {format_result(model, result)}"
            )
        if model.changes:
            moved = ", ".join(f"{path}={value}" for path, value in model.changes.items())
            solara.Text(f"changed from the file: {moved}")
        if model.problem:
            solara.Error(model.problem, classes=["ns-problem"])


@solara.component
def Transcript(model: SidebarModel) -> None:
    """The run so far as the command line prints it: events, offers, replies, pressure."""
    update_counter.get()
    solara.Preformatted(format_transcript(model), class_="ns-transcript")


@solara.component
def Trajectories(model: SidebarModel) -> None:
    """Offer trajectories with escalation pressure by round (``plots.plot_trajectories``)."""
    update_counter.get()
    figure = _figure(lambda ax: plots.plot_trajectories(model, ax=ax), (9, 4.5))
    with solara.Column(classes=["ns-trajectories"]):
        solara.FigureMatplotlib(figure, format="png", dpi=80)


@dataclass(frozen=True)
class TabResult:
    """What the ensemble tab shows: the ensemble, and the what-if if one was asked for."""

    scenario: Scenario
    ensemble: Ensemble
    comparison: Comparison | None


def _html(table: str, name: str) -> None:
    """A table the library renders for notebooks (``_repr_html_``), so the page and a
    notebook show the same; not Markdown, whose component loads a diagram library."""
    solara.HTML(tag="div", unsafe_innerHTML=table, classes=[name])


@solara.component
def EnsembleTab(model: SidebarModel) -> None:
    """N runs of the current run's scenario and seed, with a progress bar; then the outcome
    distribution, the backtest, the agreed terms and, if asked, a what-if."""
    runs = solara.use_reactive(DEFAULT_RUNS)
    workers = solara.use_reactive(1)
    hold = solara.use_reactive(False)
    against = solara.use_reactive(NO_COMPARISON)

    def work() -> TabResult:
        def report(done: int, total: int) -> None:
            task.progress = 100 * done / max(total, 1)

        ensemble = run_tab_ensemble(
            model.base,
            model.changes,
            hold=hold.value,
            runs=runs.value,
            seed=model.seed,
            workers=workers.value,
            progress=report,
        )
        comparison = None
        if against.value != NO_COMPARISON:
            other = None if against.value == SIDEBAR_CHANGES else load_scenario(against.value)
            comparison = what_if(
                model.base,
                model.changes,
                other,
                runs=runs.value,
                seed=model.seed,
                workers=workers.value,
            )
        return TabResult(model.base, ensemble, comparison)

    task = solara.lab.use_task(work, dependencies=None, raise_error=False)
    with solara.Card("Ensemble", classes=["ns-ensemble"]):
        solara.Text(
            f"Runs of {model.base.name} with seed {model.seed} and the values of the "
            "current run (Reset applies the sidebar's)."
        )
        solara.InputInt("runs", value=runs)
        solara.Select("worker processes", values=list(range(1, cores() + 1)), value=workers)
        solara.Checkbox(label="hold the uncertain values at the sidebar's", value=hold)
        solara.Select(
            "what-if: compare with",
            values=[NO_COMPARISON, SIDEBAR_CHANGES, *shipped()],
            value=against,
        )
        solara.Button("Run ensemble", color="primary", on_click=task, disabled=task.pending)
        if task.pending:
            done = task.progress or 0.0  # a bar that moves, not an endless animation
            solara.ProgressLinear(done)
            solara.Text(f"{done:.0f}% of {runs.value:,} runs", classes=["ns-progress"])
        elif task.error:
            solara.Error(f"the ensemble did not run: {task.exception}")
        elif task.finished and task.value is not None:
            _Results(task.value)


@solara.component
def _Results(result: TabResult) -> None:
    """The outcome table with the backtest, the outcome and terms plots, and the what-if."""
    ensemble = result.ensemble
    _html(ensemble._repr_html_(), "ns-outcomes")
    solara.FigureMatplotlib(_figure(lambda ax: plots.plot_outcomes(ensemble, ax=ax), (7, 4.5)))
    if ensemble.runs["outcome"].isin(AGREEMENTS).any():
        draw = lambda ax: plots.plot_terms(ensemble.runs, result.scenario, ax=ax)  # noqa: E731
        solara.FigureMatplotlib(_figure(draw, (9, 4.5)))
    comparison = result.comparison
    if comparison is not None:
        _html(comparison._repr_html_(), "ns-comparison")
        figure = _figure(lambda ax: plots.plot_comparison(comparison, ax=ax), (9, 4.5))
        solara.FigureMatplotlib(figure)


@solara.component_vue("upload.vue")
def Upload(event_upload: Callable[[dict[str, str]], None]) -> None:
    """A file input whose file's text is sent to ``event_upload`` as ``{name, text}``."""


def load_upload(name: str, text: str) -> Scenario:
    """The scenario of an uploaded file, saved under its own name so that the loader's
    messages name it; a bad file is a ``ScenarioError`` naming the file, line and field."""
    folder = Path(tempfile.mkdtemp(dir=_UPLOADS.name))
    path = folder / (Path(name).name or "uploaded.yaml")
    path.write_text(text, encoding="utf-8")
    try:
        return load_scenario(path)
    except ScenarioError as error:
        raise ScenarioError(
            error.message, file=path.name, line=error.line, field=error.field
        ) from None


def initial_scenario() -> Scenario:
    """The scenario the command was started with (a shipped name or a file)."""
    return load_scenario(os.environ.get(SCENARIO_VARIABLE) or DEFAULT_SCENARIO)


@solara.component
def ScenarioPicker(scenario: Scenario, on_scenario: Callable[[Scenario], None]) -> None:
    """A shipped scenario by name, or an uploaded file; a bad file's located message."""
    problem = solara.use_reactive("")

    def pick(name: str) -> None:
        problem.set("")
        on_scenario(load_scenario(name))

    def upload(file: dict[str, str]) -> None:
        try:
            uploaded = load_upload(file["name"], file["text"])
        except ScenarioError as error:
            problem.set(str(error))
            return
        problem.set("")
        on_scenario(uploaded)

    with solara.Card("Scenario"):
        shown: Any = next((n for n, path in shipped().items() if path == scenario.path), None)
        solara.Select("shipped scenario", values=list(shipped()), value=shown, on_value=pick)
        Upload(event_upload=upload)
        if problem.value:
            solara.Error(problem.value, classes=["ns-problem"])


@solara.component
def Page() -> None:
    """The page solara serves: the scenario picker, then Mesa's SolaraViz for the scenario."""
    first = solara.use_memo(initial_scenario, [])
    scenario, set_scenario = solara.use_state(first)
    model = solara.use_memo(lambda: SidebarModel(scenario, rng=DEFAULT_SEED), [scenario])
    params = solara.use_memo(lambda: model_params(scenario), [scenario])
    with solara.Sidebar():
        ScenarioPicker(scenario, set_scenario)
    SolaraViz(
        model,
        components=[(Outcome, 0), (Trajectories, 0), (Transcript, 0), (EnsembleTab, 1)],
        model_params=params,
        name=f"negotiation-sim: {scenario.name}",
    ).key(f"{scenario.path}-{id(scenario)}")
