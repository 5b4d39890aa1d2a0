"""Each plot draws what it claims: bars, points, lines and labels are read back from the Axes."""

import dataclasses

import matplotlib

matplotlib.use("Agg")

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.container import ErrorbarContainer

from negotiation_sim import plots
from negotiation_sim.analysis import nash_point, pareto_frontier
from negotiation_sim.beliefs import BeliefNoise
from negotiation_sim.ensemble import compare, run_ensemble
from negotiation_sim.issues import Issue, Option, OutcomeSpace
from negotiation_sim.model import OUTCOMES, NegotiationModel
from negotiation_sim.outside_option import WarOption
from negotiation_sim.preferences import Preferences, RedLine
from negotiation_sim.scenario import load_scenario, with_changes
from negotiation_sim.scenario.types import ActorSpec, Protocol, Scenario, StrategySpec


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def issue(name, options, status_quo=0, confidence_building=False):
    step = 1 / (len(options) - 1)
    return Issue(
        name, tuple(Option(o, k * step) for k, o in enumerate(options)), status_quo,
        confidence_building,
    )  # fmt: skip


SPACE = OutcomeSpace(
    (
        issue("border", ["closed", "limited", "open"], status_quo=2),
        issue("weapons", ["banned", "limited", "any"], status_quo=2),
        issue("hotline", ["no", "yes"], confidence_building=True),
    )
)


def actor(name, cls, ideals, reservation, red_lines=(), coalition=None, war=None):
    prefs = Preferences.from_ideals(SPACE, [0.5, 0.3, 0.2], ideals, red_lines, reservation)
    return ActorSpec(
        name, cls, prefs, StrategySpec("linear"), coalition=coalition, outside_option=war
    )


SCENARIO = Scenario(
    "toy",
    SPACE,
    (
        actor(
            "East",
            "Russia",
            [0, 0, 1],
            0.35,
            war=WarOption(border_troops=100, defender_strength=150, base_cost=0.05),
        ),
        actor("West", "Negotiator", [1, 1, 1], 0.4, [RedLine(((0, frozenset({0})),))], "west"),
        actor("Ally", "Negotiator", [1, 0.5, 1], 0.3, [RedLine(((1, frozenset({0})),))], "west"),
    ),
    Protocol(("East", "West", "Ally"), deadline=6),
    BeliefNoise(noise=0.1, red_line_doubt=0.2),
)


def distribution():
    return pd.DataFrame(
        {"share": [0.2, 0.1, 0.08, 0.62], "low": [0.17, 0.08, 0.06, 0.581],
         "high": [0.23, 0.12, 0.1, 0.657]},
        index=list(OUTCOMES),
    )  # fmt: skip


def runs_frame():
    """Six runs: three agreements on two packages, one partial, a stalemate and an escalation."""
    rows = [
        ("agreement", "limited", "limited", "yes"),
        ("agreement", "limited", "limited", "yes"),
        ("agreement", "open", "banned", "yes"),
        ("partial_agreement", "open", "any", "yes"),
        ("stalemate", "open", "any", "no"),  # an agreement that moves nothing: not counted
        ("escalation", None, None, None),
    ]
    return pd.DataFrame(rows, columns=["outcome", "term_border", "term_weapons", "term_hotline"])


# -- outcome distribution -------------------------------------------------------------


def test_outcome_bars_heights_intervals_and_names():
    ax = plots.plot_outcomes(distribution())
    assert len(ax.patches) == len(OUTCOMES)
    assert [p.get_height() for p in ax.patches] == pytest.approx([20, 10, 8, 62])
    assert [t.get_text() for t in ax.get_xticklabels()] == [o.replace("_", " ") for o in OUTCOMES]
    errorbars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(errorbars) == 1
    segments = errorbars[0].lines[2][0].get_segments()
    ends = np.array([(s[0][1], s[1][1]) for s in segments])
    assert ends == pytest.approx(np.array([(17, 23), (8, 12), (6, 10), (58.1, 65.7)]))
    assert "%" in ax.get_ylabel() and "P(observed)" not in ax.get_title()


def test_outcome_plot_marks_the_observed_outcome():
    ax = plots.plot_outcomes(distribution(), observed="escalation")
    assert "P(observed)=62.0% [58.1%, 65.7%]" in ax.get_title()
    assert [bool(p.get_hatch()) for p in ax.patches] == [False, False, False, True]


def test_outcome_plot_takes_an_ensemble_and_its_recorded_outcome():
    class FakeEnsemble:
        observed_outcome = "stalemate"

        def outcome_distribution(self):
            return distribution()

    ax = plots.plot_outcomes(FakeEnsemble())
    assert "P(observed)=8.0% [6.0%, 10.0%]" in ax.get_title()


# -- agreed terms ---------------------------------------------------------------------


def test_terms_one_bar_row_per_issue_and_widths_sum_to_100():
    ax = plots.plot_terms(runs_frame(), SPACE)
    rows = {}
    for patch in ax.patches:
        rows.setdefault(round(patch.get_y() + patch.get_height() / 2), []).append(patch)
    assert sorted(rows) == list(range(len(SPACE.issues)))
    for patches in rows.values():
        assert sum(p.get_width() for p in patches) == pytest.approx(100)
    border = [p.get_width() for p in rows[0]]  # closed, limited, open among 4 agreements
    assert border == pytest.approx([0, 50, 50])
    hotline = [p.get_width() for p in rows[2]]
    assert hotline == pytest.approx([0, 100])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["border", "weapons", "hotline"]
    assert "4 agreements" in ax.get_title()


# -- one run's trajectories -----------------------------------------------------------


def test_trajectories_one_line_per_proposer_and_actor_and_the_end_marked():
    model = NegotiationModel(SCENARIO, rng=3)
    result = model.run()
    ax = plots.plot_trajectories(model)
    offers = [line for line in ax.get_lines() if "→" in line.get_label()]
    assert len(offers) == len(SCENARIO.actors) ** 2
    assert all(list(line.get_xdata()) == list(range(1, result.round + 1)) for line in offers)
    first = next(line for line in offers if line.get_label() == "East's offer → West")
    assert first.get_ydata()[0] == pytest.approx(model.transcript[0].offers[0].utilities["West"])
    end = [line for line in ax.get_lines() if f"round {result.round}" in line.get_label()]
    assert len(end) == 1 and list(end[0].get_xdata()) == [result.round] * 2
    (pressure_ax,) = [other for other in ax.figure.axes if other is not ax]
    pressure = [line for line in pressure_ax.get_lines() if "pressure" in line.get_label()]
    expected = [r.escalation_pressure for r in model.transcript]
    assert list(pressure[0].get_ydata()) == pytest.approx(expected, nan_ok=True)


def test_an_actor_that_only_replies_has_no_offer_lines():
    replying = dataclasses.replace(
        SCENARIO, protocol=dataclasses.replace(SCENARIO.protocol, order=("West", "Ally"))
    )  # East only answers
    model = NegotiationModel(replying, rng=3)
    model.run()
    labels = [line.get_label() for line in plots.plot_trajectories(model).get_lines()]
    proposers = {label.split("'s offer")[0] for label in labels if "→" in label}
    assert proposers == {"West", "Ally"}
    assert sum("→" in label for label in labels) == 2 * len(SCENARIO.actors)


def test_trajectories_need_collected_data():
    model = NegotiationModel(SCENARIO, rng=3, collect=False)
    model.run()
    with pytest.raises(ValueError, match="collect=False"):
        plots.plot_trajectories(model)


# -- utility space --------------------------------------------------------------------


def test_utility_space_points_frontier_nash_and_agreements():
    runs = runs_frame()
    ax = plots.plot_utility_space(SCENARIO, "East", "West", runs=runs)
    packages = SPACE.packages
    table = np.column_stack(
        [SCENARIO.actor(n).preferences.utilities(packages) for n in ("East", "West")]
    )
    allowed = SCENARIO.actor("West").preferences.allowed(packages)  # East has no red line
    scatters = {
        c.get_label(): c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)
    }
    assert len(scatters["package"]) + len(scatters["crosses a red line"]) == len(SPACE)
    assert len(scatters["crosses a red line"]) == (~allowed).sum() > 0
    (frontier_line,) = [line for line in ax.get_lines() if line.get_label() == "Pareto frontier"]
    frontier = pareto_frontier(table, allowed)
    expected = table[frontier][np.argsort(table[frontier, 0])]
    assert np.column_stack(frontier_line.get_data()) == pytest.approx(expected)
    nash = nash_point(table, [0.35, 0.4], allowed)
    assert nash is not None
    assert np.asarray(scatters["Nash bargaining point"][0]) == pytest.approx(table[nash])
    agreed = scatters["agreed in ensemble (4 runs)"]
    sizes = next(c.get_sizes() for c in ax.collections if c.get_label().startswith("agreed"))
    twice = SPACE.index_of({"border": "limited", "weapons": "limited", "hotline": "yes"})
    once = SPACE.index_of({"border": "open", "weapons": "any", "hotline": "yes"})
    assert len(agreed) == 3  # three distinct packages among the four agreements
    where = [
        int(np.flatnonzero((np.asarray(agreed) == table[k]).all(axis=1))[0]) for k in (twice, once)
    ]
    assert sizes[where[0]] > sizes[where[1]]


# -- sweeps ---------------------------------------------------------------------------

PATH = "actors.East.outside_option.base_cost"


def sweep_frame(values_x, values_y=None):
    """Shares rising with x (and y) for escalation, the rest split evenly."""
    rows = []
    for y in values_y if values_y is not None else [None]:
        for x in values_x:
            escalation = min(0.9, 0.1 + x + (y or 0))
            row = {PATH: x, "y": y, "escalation": escalation}
            for outcome in OUTCOMES[:-1]:
                row[outcome] = (1 - escalation) / 3
            for outcome in OUTCOMES:
                row[f"{outcome}_low"] = row[outcome] - 0.02
                row[f"{outcome}_high"] = row[outcome] + 0.02
            rows.append(row)
    return pd.DataFrame(rows).sample(frac=1, random_state=0)  # shuffled: the plot must sort


def test_sensitivity_lines_per_outcome_over_the_swept_values():
    values = [0.0, 0.1, 0.2, 0.4]
    ax = plots.plot_sensitivity(sweep_frame(values), PATH)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == [o.replace("_", " ") for o in OUTCOMES]
    assert all(list(line.get_xdata()) == values for line in lines)
    assert list(lines[-1].get_ydata()) == pytest.approx([10, 20, 30, 50])
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == len(OUTCOMES)
    assert ax.get_xlabel() == PATH


def test_heatmap_grid_shape_values_and_colour_bar():
    xs, ys = [0.0, 0.1, 0.2], [0.0, 0.3]
    ax = plots.plot_sensitivity_heatmap(sweep_frame(xs, ys), PATH, "y")
    (image,) = ax.get_images()
    array = image.get_array()
    assert array.shape == (len(ys), len(xs))
    assert array[1, 2] == pytest.approx(60)  # 0.1 + 0.2 + 0.3
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "0.1", "0.2"]
    colour_bar = [a for a in ax.figure.axes if a is not ax]
    assert len(colour_bar) == 1 and "%" in colour_bar[0].get_ylabel()
    with pytest.raises(ValueError, match="unknown outcome"):
        plots.plot_sensitivity_heatmap(sweep_frame(xs, ys), PATH, "y", outcome="war")


# -- saving ---------------------------------------------------------------------------


def test_save_writes_a_png_and_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "outcomes.png"
    ax = plots.plot_outcomes(distribution())
    assert plots.save(ax, target) == target
    first = target.read_bytes()
    assert first.startswith(b"\x89PNG")

    def half_write(self, handle, **kwargs):
        handle.write(b"\x89PNG half")
        raise KeyboardInterrupt

    monkeypatch.setattr(type(ax.figure), "savefig", half_write)
    with pytest.raises(KeyboardInterrupt):
        plots.save(ax, target)
    assert target.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["outcomes.png"]


# -- on a real ensemble of the Ukraine scenario ---------------------------------------


WAR_COST = "actors.Russia.outside_option.base_cost"


@pytest.fixture(scope="module")
def ukraine_ensemble():
    scenario = load_scenario(Path(__file__).resolve().parents[1] / "scenarios/ukraine_2022.yaml")
    return scenario, run_ensemble(scenario, runs=80, seed=11, workers=1, progress=False)


def test_plots_of_a_real_ensemble(ukraine_ensemble):
    scenario, ensemble = ukraine_ensemble
    distribution = ensemble.outcome_distribution()
    ax = plots.plot_outcomes(ensemble)
    assert [p.get_height() for p in ax.patches] == pytest.approx(100 * distribution["share"])
    backtest = ensemble.observed_probability()
    assert f"P(observed)={100 * backtest.probability:.1f}%" in ax.get_title()

    agreed = ensemble.runs[ensemble.runs["outcome"].isin(plots.AGREEMENTS)]
    assert len(agreed) > 0
    ax = plots.plot_terms(ensemble.runs, scenario)
    widths = np.array([p.get_width() for p in ax.patches])
    sizes = [len(i.options) for i in scenario.space.issues]
    assert [row.sum() for row in np.split(widths, np.cumsum(sizes)[:-1])] == pytest.approx(
        [100] * len(sizes)
    )

    ax = plots.plot_utility_space(scenario, "Russia", "NATO", runs=ensemble.runs)
    (circles,) = [c for c in ax.collections if c.get_label().startswith("agreed in ensemble")]
    terms = agreed[[f"term_{name}" for name in scenario.space.issue_names]]
    assert len(circles.get_offsets()) == len(terms.drop_duplicates())


def test_comparison_bars_per_variant_with_changes_labelled(ukraine_ensemble):
    scenario, _ = ukraine_ensemble
    comparison = compare([scenario, {WAR_COST: 0.5}], runs=60, seed=3, workers=1, progress=False)
    ax = plots.plot_comparison(comparison)
    assert len(ax.patches) == 2 * len(OUTCOMES)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(comparison.labels)
    later = [c for c in ax.containers if c.get_label() == comparison.labels[1]]
    heights = [p.get_height() for p in later[0]]
    shares = comparison.ensembles[1].outcome_distribution()["share"]
    assert heights == pytest.approx(100 * shares)
    change = comparison.differences().loc[comparison.labels[1], "difference"]
    labels = [t.get_text() for t in ax.texts if t.get_text().startswith(("+", "-"))]
    assert labels == [f"{100 * d:+.1f}" for d in change]
    bold = [t for t in ax.texts if t.get_text() == f"{100 * change['escalation']:+.1f}"]
    assert bold[0].get_fontweight() == "bold"  # a costly war cuts escalation for sure


def test_outcome_title_names_the_scenario_and_runs(ukraine_ensemble):
    _, ensemble = ukraine_ensemble
    title = plots.plot_outcomes(ensemble).get_title()
    assert title.startswith("Ukraine 2022: outcomes of 80 runs")
    assert plots.plot_outcomes(distribution()).get_title().startswith("Outcomes (")


# -- sensitivity indices --------------------------------------------------------------


@pytest.fixture(scope="module")
def analyses(ukraine_ensemble):
    from negotiation_sim.ensemble import sensitivity

    scenario, _ = ukraine_ensemble
    options = {"seed": 5, "workers": 1, "progress": False}
    return (
        sensitivity(scenario, runs=400, **options),
        sensitivity(scenario, method="morris", runs=200, **options),
    )


def bars_by_label(ax, label):
    (bars,) = [c for c in ax.containers if c.get_label() == label]
    return bars


def test_tornado_bars_are_the_ranked_indices_with_their_intervals(analyses):
    sobol, _ = analyses
    ax = plots.plot_indices(sobol)
    table = sobol.ranked()
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "seed (each run's noise)" if f == "seed" else f for f in table.index
    ]
    for label, column in (("first-order S1", "S1"), ("total ST", "ST")):
        bars = bars_by_label(ax, label)
        assert [p.get_width() for p in bars] == pytest.approx(table[column].tolist())
        ends = np.array([(s[0][0], s[1][0]) for s in bars.errorbar.lines[2][0].get_segments()])
        expected = table[[f"{column}_low", f"{column}_high"]].to_numpy()
        assert ends == pytest.approx(expected)
    seed_row = list(table.index).index("seed")
    colours = [p.get_facecolor() for p in bars_by_label(ax, "total ST")]
    assert colours[seed_row] != colours[seed_row - 1 if seed_row else 1]  # the seed stands out
    share = sobol.explained().loc["escalation", "share"]
    assert f"explain {100 * share:.0f}%" in ax.get_title()


def test_tornado_of_morris_shows_mu_star_and_sigma(analyses):
    _, morris = analyses
    ax = plots.plot_indices(morris, output="utility_Russia")
    table = morris.ranked("utility_Russia")
    assert [p.get_width() for p in bars_by_label(ax, "mu*")] == pytest.approx(table["mu_star"])
    (sigma,) = [c for c in ax.collections if c.get_label() == "sigma"]
    assert np.asarray(sigma.get_offsets())[:, 0].tolist() == pytest.approx(table["sigma"].tolist())
    assert "explain" not in ax.get_title() and "utility Russia" in ax.get_title()


def test_top_pair_heat_map_is_the_joint_share_of_the_top_two(analyses):
    sobol, _ = analyses
    ax = plots.plot_top_pair(sobol, bins=3)
    path_x, path_y = sobol.top(2)
    assert (ax.get_xlabel(), ax.get_ylabel()) == (path_x, path_y)
    table = sobol.joint_shares(path_x, path_y, bins=3)
    grid = table.pivot_table(index=path_y, columns=path_x, values="escalation")
    (image,) = ax.get_images()
    shown = np.ma.filled(image.get_array().astype(float), np.nan)
    assert shown.shape == grid.shape
    assert shown.ravel().tolist() == pytest.approx(100 * grid.to_numpy().ravel(), nan_ok=True)
    assert f"{int(table['runs'].sum()):,} independent runs" in ax.get_title()
    with pytest.raises(ValueError, match="not an outcome"):
        plots.plot_top_pair(sobol, output="utility_NATO")


def test_plot_beliefs_draws_each_observers_belief_and_the_truth():
    ukraine = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "ukraine_2022.yaml")
    model = NegotiationModel(with_changes(ukraine, {"beliefs.types": 200}), rng=3)
    model.run()
    ax = plots.plot_beliefs(model, "Russia")
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"United States's belief", "NATO's belief", "true floor"}
    agents = model.datacollector.get_agent_vars_dataframe()
    us = agents[agents["actor"] == "United States"]["believed_floor_of_Russia"]
    np.testing.assert_allclose(lines["United States's belief"].get_ydata(), us.to_numpy())
    assert lines["true floor"].get_ydata()[0] == pytest.approx(model.negotiators["Russia"].floor)
    with pytest.raises(ValueError, match="collect=False"):
        plots.plot_beliefs(NegotiationModel(ukraine, rng=0, collect=False), "Russia")


# -- the fixes of issue 10, read back from the Axes -------------------------------------


def test_the_hatched_bar_has_a_legend_entry():
    ax = plots.plot_outcomes(distribution(), observed="escalation")
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [plots.WHAT_HAPPENED]
    assert legend.legend_handles[0].get_hatch() == ax.patches[3].get_hatch() == "//"
    assert plots.plot_outcomes(distribution()).get_legend() is None  # nothing hatched


def test_the_share_axis_stops_above_the_highest_interval():
    low = pd.DataFrame(
        {"share": [0.2, 0.1, 0.08, 0.3], "low": [0.17, 0.08, 0.06, 0.27],
         "high": [0.23, 0.12, 0.1, 0.33]},
        index=list(OUTCOMES),
    )  # fmt: skip
    top = plots.plot_outcomes(low).get_ylim()[1]
    assert 33 * 1.1 < top <= 50  # room for the label, and no empty top half
    assert plots.plot_outcomes(distribution()).get_ylim()[1] == 90
    assert plots.share_axis_top(95) == 100


def test_terms_key_their_colours_and_write_light_on_dark():
    ax = plots.plot_terms(runs_frame(), SPACE)
    (key,) = [other for other in ax.figure.axes if other is not ax]
    assert key.get_ylabel() == plots.TERMS_KEY
    assert [t.get_text() for t in key.get_yticklabels()] == ["first", "middle", "last"]
    assert len(ax.texts) == len(ax.patches)  # one label per segment, in the same order
    for text, patch in zip(ax.texts, ax.patches, strict=True):
        r, g, b, _ = patch.get_facecolor()
        dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5
        assert text.get_color() == ("white" if dark else "black")
    assert {t.get_color() for t in ax.texts if t.get_text()} == {"white", "black"}
    colours = [plots._ink_on(c) for c in ("#3b4cc0", "#f7f7f7", "#b40426")]
    assert colours == ["white", "black", "white"]  # the ends of coolwarm are dark


def test_the_walk_out_line_is_labelled_on_the_pressure_axis():
    model = NegotiationModel(SCENARIO, rng=3)
    model.run()
    ax = plots.plot_trajectories(model)
    (pressure_ax,) = [other for other in ax.figure.axes if other is not ax]
    (zero,) = [line for line in pressure_ax.get_lines() if line.get_label() == plots.WALKS_OUT]
    assert list(zero.get_ydata()) == [0, 0]
    assert plots.WALKS_OUT in [t.get_text() for t in ax.get_legend().get_texts()]
    assert "value of war" in pressure_ax.get_ylabel()


def test_comparison_is_bold_only_where_the_printed_interval_excludes_zero(ukraine_ensemble):
    scenario, _ = ukraine_ensemble
    comparison = compare([scenario, {WAR_COST: 0.5}], runs=40, seed=3, workers=1, progress=False)
    label = comparison.labels[1]
    rows = [(label, o) for o in OUTCOMES]
    crafted = pd.DataFrame(
        {"difference": [0.05, 0.05, -0.05, 0.0], "low": [0.0004, 0.002, -0.1, -0.01],
         "high": [0.1, 0.1, -0.0004, 0.01]},
        index=pd.MultiIndex.from_tuples(rows, names=["variant", "outcome"]),
    )  # fmt: skip
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(type(comparison), "differences", lambda self: crafted)
    try:
        ax = plots.plot_comparison(comparison)
    finally:
        monkeypatch.undo()
    later = [t for t in ax.texts if t.get_text().startswith(("+", "-"))]
    # +0.04 and -0.04 points print as intervals touching 0.0: not bold
    assert [t.get_fontweight() for t in later] == ["normal", "bold", "normal", "normal"]
