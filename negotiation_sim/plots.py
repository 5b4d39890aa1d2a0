"""Figures of ensembles, sweeps and single runs (matplotlib only, no backend chosen here).

Every function draws on the Axes it is given, or on a new figure when ``ax`` is None, and
returns that Axes. Shares are shown in percent of runs, utilities on the 0..1 scale of the
scenario, time in negotiation rounds. ``save`` writes a figure atomically.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_rgb
from matplotlib.patches import Patch

from negotiation_sim.analysis import nash_point, pareto_frontier
from negotiation_sim.ensemble.result import AGREEMENTS, agreed_terms
from negotiation_sim.ensemble.sensitivity import SEED
from negotiation_sim.ensemble.storage import atomic_write
from negotiation_sim.issues import Issue, OutcomeSpace
from negotiation_sim.model import OUTCOMES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure

    from negotiation_sim.ensemble.compare import Comparison
    from negotiation_sim.ensemble.sensitivity import Sensitivity
    from negotiation_sim.model import NegotiationModel
    from negotiation_sim.scenario.types import Scenario

OUTCOME_COLOURS = {
    "agreement": "#1b9e77",
    "partial_agreement": "#7fc97f",
    "stalemate": "#9e9e9e",
    "escalation": "#d62728",
}
SHARE_LABEL = "share of runs (%)"
WHAT_HAPPENED = "what happened"
TERMS_COLOURS = "coolwarm"
TERMS_KEY = "option's place on its issue's scale"
PRESSURE_LABEL = "escalation pressure: value of war − of talking on"
WALKS_OUT = "walks out above 0 (right)"
UTILITY_LABEL = "utility (0..1)"


def plot_outcomes(
    ensemble_or_distribution: Any, ax: Axes | None = None, observed: str | None = None
) -> Axes:
    """Bars of the four outcome shares with their 95% intervals.

    Takes an ``Ensemble`` or its ``outcome_distribution()`` table (``share``, ``low``,
    ``high`` as fractions, indexed by outcome). ``observed`` (by default the outcome the
    ensemble's scenario records) is hatched, and the probability the model gave it is stated
    under the title.
    """
    table = _distribution(ensemble_or_distribution)
    observed = observed or _observed_outcome(ensemble_or_distribution)
    ax = _axes(ax, (7, 4.5))
    bars, (share, low, high) = _outcome_bars(ax, table, [OUTCOME_COLOURS[o] for o in OUTCOMES])
    ax.bar_label(bars, labels=[f"{s:.1f}%" for s in share], padding=3)
    title = _outcomes_title(ensemble_or_distribution, table)
    if observed is not None:
        k = OUTCOMES.index(observed)
        bars[k].set_hatch("//")
        bars[k].set_edgecolor("black")
        what_happened = Patch(facecolor="white", edgecolor="black", hatch="//", label=WHAT_HAPPENED)
        ax.legend(handles=[what_happened], fontsize="small", loc="upper left")
        title += (
            f"\nobserved: {observed.replace('_', ' ')}; "
            f"model gave P(observed)={share[k]:.1f}% [{low[k]:.1f}%, {high[k]:.1f}%]"
        )
    return _label(ax, title, "outcome", SHARE_LABEL)


def plot_comparison(comparison: Comparison, ax: Axes | None = None) -> Axes:
    """Outcome shares of the variants of a ``compare`` side by side, with 95% intervals.

    The bars of each later variant are labelled with the change from the first (the base) in
    percentage points, in bold where the change's paired 95% interval excludes zero.
    """
    labels = comparison.labels
    differences = comparison.differences()
    width = 0.8 / len(labels)
    ax = _axes(ax, (2.5 + 1.6 * len(labels), 4.5))
    for k, (label, ensemble) in enumerate(zip(labels, comparison.ensembles, strict=True)):
        offset = (k - (len(labels) - 1) / 2) * width
        bars, (share, _, _) = _outcome_bars(ax, _distribution(ensemble), f"C{k}", offset, width)
        bars.set_label(label)
        if k == 0:
            ax.bar_label(bars, [f"{s:.0f}%" for s in share], padding=2, fontsize="x-small")
            continue
        change = differences.loc[label].reindex(list(OUTCOMES))
        texts = ax.bar_label(
            bars, [f"{100 * d:+.1f}" for d in change["difference"]], padding=2, fontsize="x-small"
        )
        for text, low, high in zip(texts, change["low"], change["high"], strict=True):
            text.set_fontweight("bold" if excludes_zero(low, high) else "normal")
    ax.legend(fontsize="small")
    title = (
        f"Outcomes under common random numbers ({len(comparison.ensembles[0].runs):,} runs each)"
        f"\nerror bars: 95% interval; labels: change from {labels[0]!r} in percentage points"
        "\n(bold: the change's paired 95% interval excludes 0)"
    )
    return _label(ax, title, "outcome", SHARE_LABEL)


def plot_terms(
    runs: pd.DataFrame,
    issues_or_space: OutcomeSpace | Scenario | Sequence[Issue],
    ax: Axes | None = None,
) -> Axes:
    """Among agreements (full and partial), the share of each option on each issue.

    One stacked bar per issue; segments follow the issue's option order and are coloured by
    the option's position on the issue's 0..1 axis, with the option name written on
    segments wide enough to hold it.
    """
    issues = _issues(issues_or_space)
    agreed = runs[runs["outcome"].isin(AGREEMENTS)]
    terms = agreed_terms(runs, issues)
    ax = _axes(ax, (8, 0.6 * len(issues) + 1.5))
    colours = colormaps[TERMS_COLOURS]
    for row, issue in enumerate(issues):
        widths = 100 * terms[issue.name].to_numpy() / max(len(agreed), 1)
        lefts = np.concatenate(([0.0], np.cumsum(widths)[:-1]))
        fills = colours(issue.positions)
        bars = ax.barh(row, widths, left=lefts, color=fills, edgecolor="white", height=0.7)
        names = [
            f"{o}\n{w:.0f}%" if w >= 12 else ""
            for o, w in zip(issue.option_names, widths, strict=True)
        ]
        texts = ax.bar_label(bars, labels=names, label_type="center", fontsize="x-small")
        for text, fill in zip(texts, fills, strict=True):
            text.set_color(_ink_on(fill))
    ax.set_yticks(range(len(issues)), [i.name for i in issues])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    key = ScalarMappable(Normalize(0, 1), colours)
    bar = ax.figure.colorbar(key, ax=ax, pad=0.02, ticks=[0, 0.5, 1])
    bar.set_label(TERMS_KEY, fontsize="small")
    bar.ax.set_yticklabels(["first", "middle", "last"], fontsize="x-small")
    return _label(
        ax, f"Agreed terms among {len(agreed)} agreements", "share of agreements (%)", "issue"
    )


def plot_trajectories(model: NegotiationModel, ax: Axes | None = None) -> Axes:
    """Utility of every actor's offer to every actor, by round, for one collected run.

    Colour tells the proposer and line style the actor whose utility is shown. Escalation
    pressure (outside value minus the value of negotiating on; above zero means walking out)
    is on the right axis, read from the transcript so that a round settled by agreement,
    where nobody weighed walking out, has none. The round the talks ended is marked. An
    actor that only replies (``protocol.reply_only``) makes no offer, so it has no lines.
    """
    if model.datacollector is None:
        raise ValueError("the model ran with collect=False: no per-round data to plot")
    agents = model.datacollector.get_agent_vars_dataframe().reset_index()
    rounds = model.datacollector.get_model_vars_dataframe()
    agents = agents.merge(rounds[["round"]], left_on="Step", right_index=True)
    agents = agents[agents["round"] > 0]
    ax = _axes(ax, (9, 5))
    actors = list(model.negotiators)
    proposers = {p.name for p in model.proposers}
    styles = ["-", "--", ":", "-."]
    for k, proposer in enumerate(actors):
        if proposer not in proposers:
            continue  # its colour stays its own, so a figure's colours match across runs
        offers = agents[agents["actor"] == proposer]
        for j, evaluated in enumerate(actors):
            ax.plot(
                offers["round"],
                offers[f"utility_to_{evaluated}"],
                color=f"C{k}",
                linestyle=styles[j % len(styles)],
                marker="o",
                markersize=3,
                label=f"{proposer}'s offer → {evaluated}",
            )
    pressure_ax = ax.twinx()
    pressure_ax.plot(
        [record.round for record in model.transcript],
        [record.escalation_pressure for record in model.transcript],
        color="black",
        marker="x",
        linewidth=2,
        label="escalation pressure (right)",
    )
    pressure_ax.axhline(0.0, color="black", linewidth=0.8, linestyle=(0, (1, 3)), label=WALKS_OUT)
    pressure_ax.set_ylabel(PRESSURE_LABEL)
    if model.result is not None:
        end = model.result
        ax.axvline(
            end.round,
            color=OUTCOME_COLOURS[end.outcome],
            linewidth=6,
            alpha=0.3,
            label=f"{end.outcome.replace('_', ' ')} in round {end.round}",
        )
    ax.set_ylim(0, 1.02)
    ax.set_xticks(range(1, model.round + 1))
    handles, labels = ax.get_legend_handles_labels()
    more_handles, more_labels = pressure_ax.get_legend_handles_labels()
    ax.legend(
        handles + more_handles,
        labels + more_labels,
        fontsize="x-small",
        loc="upper left",
        bbox_to_anchor=(1.12, 1.0),
    )
    return _label(ax, f"Offers in one run of {model.negotiation.name}", "round", UTILITY_LABEL)


def plot_beliefs(model: NegotiationModel, actor: str, ax: Axes | None = None) -> Axes:
    """Each other party's belief of ``actor``'s floor by round, for one collected run, with
    ``actor``'s true floor at the end as a dashed line: beliefs that learn converge on it."""
    if model.datacollector is None:
        raise ValueError("the model ran with collect=False: no per-round data to plot")
    agents = model.datacollector.get_agent_vars_dataframe().reset_index()
    rounds = model.datacollector.get_model_vars_dataframe()
    agents = agents.merge(rounds[["round"]], left_on="Step", right_index=True)
    ax = _axes(ax, (8, 4.5))
    for k, observer in enumerate(name for name in model.negotiators if name != actor):
        seen = agents[agents["actor"] == observer]
        ax.plot(
            seen["round"], seen[f"believed_floor_of_{actor}"], color=f"C{k}", marker="o",
            markersize=3, label=f"{observer}'s belief",
        )  # fmt: skip
    ax.axhline(model.negotiators[actor].floor, color="black", linestyle="--", label="true floor")
    ax.legend(fontsize=8)
    return _label(ax, f"What the others believe {actor} accepts", "round", f"{actor}'s floor")


def plot_utility_space(
    scenario: Scenario,
    actor_a: str,
    actor_b: str,
    runs: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Every package's utility to two actors, with the Pareto frontier and Nash point.

    Utilities are the scenario's stated preferences (not any run's drawn values). The
    frontier and the Nash bargaining point (over the two reservation values) are taken
    among the packages neither actor's red lines forbid. With ``runs``, the packages
    agreed in the ensemble are drawn sized by how often they were agreed.
    """
    space = scenario.space
    names = (actor_a, actor_b)
    reservation = np.array([scenario.actor(name).preferences.reservation for name in names])
    table = np.column_stack([scenario.utilities[name] for name in names])
    allowed = np.logical_and(*(scenario.allowed[name] for name in names))
    ax = _axes(ax, (6.5, 6))
    forbidden_x, forbidden_y = table[~allowed].T
    ax.scatter(
        forbidden_x,
        forbidden_y,
        s=14,
        color="#d62728",
        marker="x",
        alpha=0.35,
        label="crosses a red line",
    )
    allowed_x, allowed_y = table[allowed].T
    ax.scatter(allowed_x, allowed_y, s=12, color="0.6", label="package")
    frontier = pareto_frontier(table, allowed)
    frontier = frontier[np.argsort(table[frontier, 0])]
    ax.plot(*table[frontier].T, color="black", marker="o", markersize=4, label="Pareto frontier")
    ax.axvline(reservation[0], color="0.3", linestyle="--", linewidth=0.8)
    ax.axhline(
        reservation[1], color="0.3", linestyle="--", linewidth=0.8, label="reservation values"
    )
    nash = nash_point(table, reservation, allowed)
    if nash is not None:
        ax.scatter(
            table[nash, 0],
            table[nash, 1],
            s=220,
            marker="*",
            color="gold",
            edgecolor="black",
            zorder=4,
            label="Nash bargaining point",
        )
    if runs is not None:
        _agreements(ax, runs, space, table)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize="x-small", loc="lower left")
    title = f"Packages valued by {actor_a} and {actor_b}"
    if nash is None:
        title += "\n(no package both prefer to no deal: no Nash point)"
    return _label(ax, title, f"{actor_a} {UTILITY_LABEL}", f"{actor_b} {UTILITY_LABEL}")


def plot_sensitivity(sweep_frame: pd.DataFrame, path: str, ax: Axes | None = None) -> Axes:
    """Share of each outcome against one swept scenario value, with 95% interval bands."""
    frame = sweep_frame.sort_values(path)
    ax = _axes(ax, (7, 4.5))
    x = frame[path].to_numpy(dtype=float)
    for outcome in OUTCOMES:
        share, low, high = _shares(frame, outcome)
        colour = OUTCOME_COLOURS[outcome]
        ax.plot(x, share, color=colour, marker="o", label=outcome.replace("_", " "))
        ax.fill_between(x, low, high, color=colour, alpha=0.2, linewidth=0)
    ax.set_ylim(0, 100)
    ax.legend(fontsize="small")
    runs = f"{int(frame['runs'].iloc[0]):,} runs per value; " if "runs" in frame else ""
    return _label(ax, f"Outcome shares ({runs}bands: 95% interval)", path, SHARE_LABEL)


def plot_sensitivity_heatmap(
    sweep_frame: pd.DataFrame,
    path_x: str,
    path_y: str,
    outcome: str = "escalation",
    ax: Axes | None = None,
) -> Axes:
    """Share of one outcome over a grid of two swept values, as a heat map in percent."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; outcomes are {OUTCOMES}")
    frame = sweep_frame.assign(_share=_shares(sweep_frame, outcome)[0])
    grid = frame.pivot_table(index=path_y, columns=path_x, values="_share", aggfunc="mean")
    ax = _axes(ax, (7, 5.5))
    image = ax.imshow(grid.to_numpy(), origin="lower", aspect="auto", cmap="Reds", vmin=0, vmax=100)
    ax.set_xticks(range(grid.shape[1]), [_tick(v) for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [_tick(v) for v in grid.index])
    if grid.size <= 100:
        for (row, col), value in np.ndenumerate(grid.to_numpy()):
            shade = "white" if value > 60 else "black"
            ax.text(col, row, f"{value:.0f}%", ha="center", va="center", color=shade)
    ax.figure.colorbar(image, ax=ax, label=f"{outcome.replace('_', ' ')} {SHARE_LABEL}")
    _label(ax, f"Share of {outcome.replace('_', ' ')}", path_x, path_y)
    ax.grid(False)
    return ax


SEED_COLOUR = "0.6"
INDEX_COLOURS = {"S1": "#9ecae1", "ST": "#08519c", "mu_star": "#08519c"}


def plot_indices(result: Sensitivity, output: str | None = None, ax: Axes | None = None) -> Axes:
    """A tornado chart of one output's sensitivity indices, most influential value on top.

    Sobol: a bar per value for the first-order (S1, light) and total (ST, dark) index, with
    their intervals; Morris: mu* with its interval, and sigma as a marker. The seed (each
    run's own randomness) is drawn grey, and for Sobol the title says how much of the
    variance the uncertain values explain at all.
    """
    output = output or result.outcome
    table = result.ranked(output)
    factors = list(table.index)
    ax = _axes(ax, (8, 0.55 * len(factors) + 1.8))
    rows = np.arange(len(factors))
    columns = ("S1", "ST") if result.method == "sobol" else ("mu_star",)
    height = 0.8 / len(columns)
    names = {"S1": "first-order S1", "ST": "total ST", "mu_star": "mu*"}
    for k, column in enumerate(columns):
        value, low, high = (
            table[c].to_numpy(float) for c in (column, f"{column}_low", f"{column}_high")
        )
        colours = [SEED_COLOUR if f == SEED else INDEX_COLOURS[column] for f in factors]
        ax.barh(
            rows + (k - (len(columns) - 1) / 2) * height,
            value,
            height,
            xerr=np.clip(np.vstack([value - low, high - value]), 0, None),
            capsize=3,
            color=colours,
            label=names[column],
        )
    handles: list[Any] = [Patch(color=INDEX_COLOURS[c], label=names[c]) for c in columns]
    if result.method == "morris":
        handles.append(
            ax.scatter(table["sigma"], rows, marker="x", color="black", zorder=3, label="sigma")
        )
    ax.set_yticks(rows, [f if f != SEED else "seed (each run's noise)" for f in factors])
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.legend(handles=handles, fontsize="small", loc="lower right")
    name = output.replace("_", " ")
    title = (
        f"{result.scenario}: what drives {name}\n{result.method.capitalize()}, {result.runs:,} runs"
    )
    level = f"{result.conf_level:.0%}"
    explained = result.explained()
    if explained is not None and not np.isnan(explained.loc[output, "share"]):
        share = explained.loc[output]
        title += (
            f"; the uncertain values explain {100 * share['share']:.0f}% "
            f"[{100 * share['low']:.0f}, {100 * share['high']:.0f}] of its variance"
        )
    xlabel = (
        f"Sobol index (share of the variance of {name} in a run; bars: {level} interval)"
        if result.method == "sobol"
        else f"change of {name} per unit of quantile (bars: {level} interval)"
    )
    return _label(ax, title, xlabel, "uncertain value")


def plot_top_pair(
    result: Sensitivity, output: str | None = None, bins: int = 5, ax: Axes | None = None
) -> Axes:
    """The share of an outcome over the joint range of the two most influential values,
    as the sweep heat map, from the analysis's own independent runs (no new runs)."""
    output = output or result.outcome
    if output not in OUTCOMES:
        raise ValueError(f"a heat map shows an outcome's share; {output!r} is not an outcome")
    top = result.top(2, output)
    if len(top) < 2:
        raise ValueError("a heat map of the top two values needs two uncertain values")
    path_x, path_y = top
    table = result.joint_shares(path_x, path_y, bins)
    ax = plot_sensitivity_heatmap(table, path_x, path_y, output, ax)
    ax.set_title(
        f"Share of {output.replace('_', ' ')} over the top two values"
        f"\n({int(table['runs'].sum()):,} independent runs; the rest averaged over)",
        fontsize="medium",
    )
    return ax


def save(fig_or_ax: Figure | Axes, path: str | os.PathLike, dpi: int = 150) -> Path:
    """Write the figure to ``path`` (format from its suffix, PNG by default) atomically.

    The image goes to a temporary file in the same directory, renamed over ``path`` only
    once complete, so an error or interruption never leaves a half-written file.
    """
    figure = fig_or_ax.get_figure(root=True)
    if figure is None:
        raise ValueError("these Axes belong to no figure: nothing to save")
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower() or "png"
    atomic_write(
        target,
        lambda handle: figure.savefig(handle, format=fmt, dpi=dpi, bbox_inches="tight"),
        binary=True,
    )
    return target


# -- helpers ---------------------------------------------------------------------------


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """The given Axes, or the Axes of a new figure of ``size`` inches."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=size, layout="constrained")[1]


def _tick(value: Any) -> str:
    """A tick label: numbers in their shortest form, anything else as written."""
    return f"{value:g}" if isinstance(value, int | float | np.number) else str(value)


def _label(ax: Axes, title: str, xlabel: str, ylabel: str) -> Axes:
    """The shared finish of every plot: title, axis labels with units, light grid."""
    ax.set_title(title, fontsize="medium")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3, linewidth=0.5)
    ax.set_axisbelow(True)
    return ax


def _outcome_bars(
    ax: Axes, table: pd.DataFrame, colour: Any, offset: float = 0.0, width: float = 0.8
) -> tuple[BarContainer, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """One bar per outcome class with its 95% interval; returns the bars and the shares in %."""
    share, low, high = (100 * table[c].to_numpy(dtype=float) for c in ("share", "low", "high"))
    drawn = ax.get_ylim()[1] if ax.containers else 0.0  # earlier variants on the same Axes
    bars = ax.bar(
        np.arange(len(OUTCOMES)) + offset,
        share,
        width,
        yerr=np.clip(np.vstack([share - low, high - share]), 0, None),  # float noise at 0
        capsize=4,
        color=colour,
    )
    ax.set_xticks(range(len(OUTCOMES)), [o.replace("_", " ") for o in OUTCOMES])
    ax.set_ylim(0, max(drawn, share_axis_top(float(np.max(high)))))
    return bars, (share, low, high)


def share_axis_top(highest: float) -> float:
    """Top of a share axis in %: room above the highest interval for its label and a
    legend, in steps of 10, never above 100 (an axis to 100% over short bars wastes half)."""
    return float(min(100.0, 10 * np.ceil((1.15 * highest + 6) / 10)))


def excludes_zero(low: float, high: float) -> bool:
    """Whether an interval of shares excludes zero as printed, to 0.1 percentage point, so
    that a difference shown as significant never prints an interval that touches zero."""
    return round(100 * low, 1) > 0 or round(100 * high, 1) < 0


def _ink_on(fill: Any) -> str:
    """Black or white text, whichever reads on ``fill`` (by its relative luminance)."""
    r, g, b = to_rgb(fill)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else "black"


def _distribution(source: Any) -> pd.DataFrame:
    """The outcome table (``share``, ``low``, ``high`` as fractions) in ``OUTCOMES`` order."""
    table = source.outcome_distribution() if hasattr(source, "outcome_distribution") else source
    return table.reindex(list(OUTCOMES)).fillna(0.0)


def _outcomes_title(source: Any, table: pd.DataFrame) -> str:
    """ "<scenario>: outcomes of <n> runs", as far as the source tells them."""
    name = getattr(source, "scenario", None)
    title = f"{name}: outcomes" if isinstance(name, str) else "Outcomes"
    if "count" in table:
        title += f" of {int(table['count'].sum()):,} runs"
    return title + " (error bars: 95% interval)"


def _observed_outcome(source: Any) -> str | None:
    """The observed outcome an ``Ensemble`` carries from its scenario, if any."""
    return getattr(source, "observed_outcome", None)


def _shares(frame: pd.DataFrame, outcome: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share of ``outcome`` per sweep row and its 95% interval, in percent."""
    share, low, high = (
        100 * frame[column].to_numpy(dtype=float)
        for column in (outcome, f"{outcome}_low", f"{outcome}_high")
    )
    return share, low, high


def _issues(source: OutcomeSpace | Scenario | Sequence[Issue]) -> tuple[Issue, ...]:
    if isinstance(source, OutcomeSpace):
        return source.issues
    if hasattr(source, "space"):
        return source.space.issues
    return tuple(source)


def _agreements(ax: Axes, runs: pd.DataFrame, space: OutcomeSpace, table: np.ndarray) -> None:
    """Packages agreed in the ensemble, as circles whose area grows with their count."""
    columns = [f"term_{name}" for name in space.issue_names]
    agreed = runs.loc[runs["outcome"].isin(AGREEMENTS), columns]
    if agreed.empty:
        return
    counts = agreed.value_counts()
    packages = [
        space.index_of(dict(zip(space.issue_names, terms, strict=True))) for terms in counts.index
    ]
    sizes = 40 + 400 * counts.to_numpy() / counts.max()
    agreed_x, agreed_y = table[packages].T
    ax.scatter(
        agreed_x,
        agreed_y,
        s=sizes,
        facecolor="none",
        edgecolor="#1f78b4",
        linewidth=1.5,
        zorder=3,
        label=f"agreed in ensemble ({len(agreed)} runs)",
    )
