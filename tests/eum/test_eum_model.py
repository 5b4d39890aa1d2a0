"""The Mesa model: one hand-computed round per convention (two actors) and a three-actor round,
data collection, determinism.

TWO actors in most tests: i at 0 (c = 1, s = 0.6) and j at 1 (c = 1, s = 0.4), R = 1, median 0.
Votes on i over j: +0.6 from i, -0.4 from j (risk exponents do not matter: distances are 0 or 1).
Global P: denominator 2 * (0.6 + 0.4) = 2, so P(i, j) = 0.3, P(j, i) = 0.2.
Dyad P: P(i, j) = 0.6, P(j, i) = 0.4. With d = R: U_s = 2, U_f = -2 for every r.
U_sq = 2 - 4 * 0.5^r: 0 for r = 1, 1 for r = 2, 2 - 2 sqrt(2) = -0.828427 for r = 0.5.
"""

import numpy as np
import pandas as pd
import pytest

from negotiation_sim.eum import EUMActor, EUMInputError, ExpectedUtilityModel
from negotiation_sim.eum.conventions import Conventions
from negotiation_sim.eum.rounds import dyad_utilities

TWO = [EUMActor("i", 1.0, 0.0, 0.6), EUMActor("j", 1.0, 1.0, 0.4)]
SQ_HALF = 2 - 2 * np.sqrt(2)  # U_sq at r = 0.5


def table(model):
    return model.dyad_table().set_index(["actor", "other"])


def test_default_round_two_actors():
    """Defaults: global P, challenged salience, Q = 1, observer perspective, code order.

    Risk pass (r = 1): S_i = E(U_ji) = 0.6 (0.2*2 - 0.8*2) + 0.4*2 = 0.08,
    S_j = E(U_ij) = 0.4 (0.3*2 - 0.7*2) + 0.6*2 = 0.88, so r_i = 2 and r_j = 0.5.
    Row (i, j) with r_i = 2 (U_sq = 1): a = -0.32 + 1.2 - 1 = -0.12; b = -0.72 + 0.8 - 1 = -0.92
    -> stalemate. Row (j, i) with r_j = 0.5: a = E(U_ji) = 0.08 - U_sq = 0.908427;
    b = E(U_ij) = 0.88 - U_sq = 1.708427 -> b > a > 0, confrontation-: j moves to x_i = 0.
    """
    model = ExpectedUtilityModel(TWO)
    np.testing.assert_allclose(model.analysis.risk, [2.0, 0.5])
    dyads = table(model)
    assert dyads.loc[("i", "j"), "eu_challenge"] == pytest.approx(-0.12)
    assert dyads.loc[("i", "j"), "eu_challenged"] == pytest.approx(-0.92)
    assert dyads.loc[("i", "j"), "octant"] == "stalemate"
    assert dyads.loc[("j", "i"), "eu_challenge"] == pytest.approx(0.08 - SQ_HALF)
    assert dyads.loc[("j", "i"), "eu_challenged"] == pytest.approx(0.88 - SQ_HALF)
    assert dyads.loc[("j", "i"), "octant"] == "confrontation-"
    model.step()
    np.testing.assert_allclose(model.positions(), [0.0, 0.0])


THREE = [EUMActor("A", 1.0, 0.0, 1.0), EUMActor("B", 1.0, 0.5, 0.5), EUMActor("C", 1.0, 1.0, 1.0)]


def test_three_actor_round_by_hand():
    """THREE: A at 0 (s = 1), B at 0.5 (s = 0.5), C at 1 (s = 1), c = 1, R = 1; defaults.

    Risk pass (r = 1, U_sq = 0, U_s = 2d, U_f = -2d), so E(U_ij) = 2d (1 - 2 s_j (1 - P_ij)).
    Global P over a denominator of 9 (see test_eum_equations): P_AB = 0.5/9, P_BA = 0.75/9,
    P_AC = P_CA = 1/9, P_BC = 0.75/9, P_CB = 0.5/9.
      E(A->B) = E(C->B) = 1 - 2*0.5*(17/18) = 1/18;  E(B->A) = E(B->C) = 1 - 2*(11/12) = -5/6;
      E(A->C) = E(C->A) = 2 (1 - 2*(8/9)) = -14/9.
    S_A = -5/6 - 14/9 = -43/18 = S_C, S_B = 2/18: R = (-1, 1, -1), r = (2, 0.5, 2).
    Second pass: voter k weighs distances as (|x_k - x|/R)^r_k, so A sees B at 0.25 and C at 1,
    B sees A and C at sqrt(0.5), C sees B at 0.25 and A at 1. Votes A over B: +0.25 (A),
    -sqrt(0.5)/2 (B), -0.75 (C); A over C: +1, 0, -1; B over C mirrors B over A.
    Denominator G = 2 (2 (1 + sqrt(2)/4) + 2) = 8 + sqrt(2); P_AB = 0.25/G,
    P_BA = (0.75 + sqrt(2)/4)/G, P_AC = P_CA = 1/G.
    Row A (r = 2: U_s = 1.75, U_f = -0.25 at d = 0.5; 2, -2 at d = 1; U_sq = 1):
      E^A(U_AB) = 0.5 (1.75 P_AB - 0.25 (1 - P_AB)) + 0.5*1.75 - 1 = P_AB - 0.25;
      E^A(U_BA) = 1.75 P_BA - 0.25 (1 - P_BA) - 1 = 2 P_BA - 1.25: stalemate;
      E^A(U_AC) = E^A(U_CA) = 4/G - 3: stalemate. C's row mirrors A's.
    Row B (r = 0.5: U_s = 0, U_f = 2 - 2 sqrt(3) at d = 0.5; U_sq = 2 - 2 sqrt(2)):
      a = E^B(U_BA) = (1 - P_BA)(2 - 2 sqrt(3)) - (2 - 2 sqrt(2)) = -0.464050;
      b = E^B(U_AB) = 0.5 (1 - P_AB)(2 - 2 sqrt(3)) - (2 - 2 sqrt(2)) = 0.115816:
      b > 0 > a with |a| > |b|, compel-, and the same against C.
    The code order takes no compel offer: nobody moves. The paper order does: B's two offers
    are equally enforceable (same b) and equally far, so it joins the first, A at 0.
    """
    g = 8 + np.sqrt(2)
    p_ab, p_ba = 0.25 / g, (0.75 + np.sqrt(2) / 4) / g
    u_f_half = 2 - 2 * np.sqrt(3)  # U_f at d = 0.5, r = 0.5
    model = ExpectedUtilityModel(THREE)
    np.testing.assert_allclose(model.analysis.risk, [2.0, 0.5, 2.0])
    dyads = table(model)
    a_vs_b = (p_ab - 0.25, 2 * p_ba - 1.25, "stalemate")  # also C against B
    a_vs_c = (4 / g - 3, 4 / g - 3, "stalemate")  # also C against A
    b_vs_a = ((1 - p_ba) * u_f_half - SQ_HALF, 0.5 * (1 - p_ab) * u_f_half - SQ_HALF, "compel-")
    expected = {
        ("A", "B"): a_vs_b,
        ("A", "C"): a_vs_c,
        ("B", "A"): b_vs_a,
        ("B", "C"): b_vs_a,
        ("C", "A"): a_vs_c,
        ("C", "B"): a_vs_b,
    }
    for dyad, (challenge, challenged, octant) in expected.items():
        assert dyads.loc[dyad, "eu_challenge"] == pytest.approx(challenge), dyad
        assert dyads.loc[dyad, "eu_challenged"] == pytest.approx(challenged), dyad
        assert dyads.loc[dyad, "octant"] == octant, dyad
    assert dyads.loc[("B", "A"), "eu_challenge"] == pytest.approx(-0.464050, abs=1e-6)
    assert dyads.loc[("B", "A"), "eu_challenged"] == pytest.approx(0.115816, abs=1e-6)
    model.step()
    np.testing.assert_allclose(model.positions(), [0.0, 0.5, 1.0])
    paper = ExpectedUtilityModel(THREE, offer_order="paper")
    paper.step()
    np.testing.assert_allclose(paper.positions(), [0.0, 0.0, 1.0])


def test_own_risk_perspective_changes_the_round():
    """With each side's own r, row (i, j) pairs a = -0.12 (r_i) with b = 0.908427 (r_j):
    compromise-, so i moves 1 * 0.12 / 0.908427 = 0.132096 toward j, and j (compromise+ in its
    own row) stays.
    """
    model = ExpectedUtilityModel(TWO, risk_perspective="own")
    assert table(model).loc[("i", "j"), "octant"] == "compromise-"
    model.step()
    np.testing.assert_allclose(model.positions(), [0.12 / (0.08 - SQ_HALF), 1.0])


def test_dyad_p_normalisation_changes_the_round():
    """Dyad P. Risk pass: S_i = 0.6 (0.4*2 - 0.6*2) + 0.8 = 0.56, S_j = 1.36 -> r = (2, 0.5).
    Row (i, j), r_i = 2: a = 0.4 (0.6*2 - 0.4*2) + 1.2 - 1 = 0.36, b = 0.56 - 1 = -0.44, compel+.
    Row (j, i), r_j = 0.5: a = 0.56 - U_sq = 1.388427, b = 1.36 - U_sq = 2.188427,
    confrontation-.
    """
    model = ExpectedUtilityModel(TWO, p_normalisation="dyad")
    dyads = table(model)
    assert dyads.loc[("i", "j"), "eu_challenge"] == pytest.approx(0.36)
    assert dyads.loc[("i", "j"), "eu_challenged"] == pytest.approx(-0.44)
    assert dyads.loc[("i", "j"), "octant"] == "compel+"
    assert dyads.loc[("j", "i"), "eu_challenge"] == pytest.approx(0.56 - SQ_HALF)
    assert dyads.loc[("j", "i"), "octant"] == "confrontation-"


def test_challenged_salience_changes_only_the_challenged_side():
    """At r = 1 with global P. E^i(U_ij) uses s_j under both conventions: 0.88 and 0.08.
    E(U_ji) in row (i, j): "challenged" uses s_i = 0.6 -> 0.08; "printed" uses s_j = 0.4 ->
    0.4 (0.2*2 - 0.8*2) + 0.6*2 = 0.72. Row (j, i): "challenged" 0.88; "printed" uses
    s_i = 0.6 -> 0.6 (0.3*2 - 0.7*2) + 0.4*2 = 0.32.
    """
    x, c, s = np.array([0.0, 1.0]), np.ones(2), np.array([0.6, 0.4])
    results = {}
    for convention in ("challenged", "printed"):
        conventions = Conventions(challenged_salience=convention)
        results[convention] = dyad_utilities(x, c, s, 1.0, 0.0, np.ones(2), conventions)
    for challenge, _ in results.values():
        np.testing.assert_allclose(challenge, [[0.0, 0.88], [0.08, 0.0]], atol=1e-12)
    np.testing.assert_allclose(results["challenged"][1], [[0.0, 0.08], [0.88, 0.0]], atol=1e-12)
    np.testing.assert_allclose(results["printed"][1], [[0.0, 0.72], [0.32, 0.0]], atol=1e-12)


def test_printed_salience_changes_the_round():
    """Printed: S_i = 0.72, S_j = 0.32, so now r_i = 0.5 and r_j = 2.
    Row (j, i), r_j = 2: a = 0.08 - 1 = -0.92, b = 0.32 - 1 = -0.68: stalemate. Row (i, j),
    r_i = 0.5: a = 0.88 - U_sq > b = 0.72 - U_sq > 0: confrontation+, where i does not move.
    Nobody moves, unlike the default where j joins i.
    """
    model = ExpectedUtilityModel(TWO, challenged_salience="printed")
    np.testing.assert_allclose(model.analysis.risk, [0.5, 2.0])
    assert table(model).loc[("i", "j"), "octant"] == "confrontation+"
    model.step()
    np.testing.assert_allclose(model.positions(), [0.0, 1.0])


def test_q_half_changes_the_round():
    """Q = 0.5, global P. Risk pass (r = 1, U_sq = 0): T(i, j) = 1 with U_b = 1, T(j, i) = 0
    with U_w = -2. S_i = E(U_ji) = 0.08 + 1 = 1.08, S_j = E(U_ij) = 0.88 - 0.5 = 0.38 ->
    r_i = 0.5, r_j = 2.
    Row (i, j), r_i = 0.5 (U_sq = -0.828427, U_b = 2 - 4 * 0.25^0.5 = 0, U_w = -2):
    a = 0.88 + 0.414214 - 0 = 1.294214; b = 0.08 + 0.414214 + 1 = 1.494214 -> confrontation-,
    i moves to 1. Row (j, i), r_j = 2 (U_sq = 1, U_w = -2, U_b = 2 - 4 * 0.0625 = 1.75):
    a = 0.08 - 0.5 + 1 = 0.58; b = 0.88 - 0.5 - 0.875 = -0.495 -> compromise+, j stays.
    """
    model = ExpectedUtilityModel(TWO, q=0.5)
    dyads = table(model)
    assert dyads.loc[("i", "j"), "eu_challenge"] == pytest.approx(0.88 - SQ_HALF / 2)
    assert dyads.loc[("i", "j"), "eu_challenged"] == pytest.approx(1.08 - SQ_HALF / 2)
    assert dyads.loc[("j", "i"), "eu_challenge"] == pytest.approx(0.58)
    assert dyads.loc[("j", "i"), "eu_challenged"] == pytest.approx(-0.495)
    model.step()
    np.testing.assert_allclose(model.positions(), [1.0, 1.0])


def test_offer_order_changes_the_trajectory():
    """The option must reach the agents: on this five-actor table the orders diverge within
    three rounds (the rules themselves are checked in test_eum_decisions)."""
    actors = [
        EUMActor("A", 90, 20, 0.8),
        EUMActor("B", 70, 85, 0.9),
        EUMActor("C", 50, 45, 0.4),
        EUMActor("D", 25, 60, 0.3),
        EUMActor("E", 40, 40, 0.25),
    ]
    code = ExpectedUtilityModel(actors, offer_order="code")
    paper = ExpectedUtilityModel(actors, offer_order="paper")
    code.run(3)
    paper.run(3)
    assert not np.allclose(code.positions(), paper.positions())


def test_datacollector_rows_and_columns():
    model = ExpectedUtilityModel(TWO)
    model.run(rounds=3)
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == ["median", "mean"]
    assert len(frame) == 4
    # Round 0: median 0 (i holds 0.6 of the weight), mean (0.6*0 + 0.4*1)/1 = 0.4.
    assert frame.loc[0, "median"] == 0.0
    assert frame.loc[0, "mean"] == pytest.approx(0.4)
    agents = model.datacollector.get_agent_vars_dataframe()
    assert len(agents) == 4 * 2
    assert set(agents.columns) == {"actor", "position", "risk"}
    dyads = model.datacollector.get_table_dataframe("dyads")
    assert list(dyads["round"]) == [0, 0, 1, 1, 2, 2, 3, 3]
    trajectory = model.trajectory()
    assert list(trajectory.columns) == ["i", "j", "median", "mean"]
    assert list(trajectory.loc[1, ["i", "j"]]) == [0.0, 0.0]  # j joined i in round 1


def test_dyad_table_columns():
    dyads = ExpectedUtilityModel(TWO).dyad_table()
    assert list(dyads.columns) == ["actor", "other", "eu_challenge", "eu_challenged", "octant"]
    assert list(zip(dyads["actor"], dyads["other"], strict=True)) == [("i", "j"), ("j", "i")]


def test_same_input_same_output_whatever_the_seed():
    actors = [
        EUMActor("A", 3.0, 10.0, 0.9),
        EUMActor("B", 2.0, 55.0, 0.3),
        EUMActor("C", 1.0, 70.0, 0.6),
        EUMActor("D", 2.5, 95.0, 0.5),
    ]
    runs = []
    for seed in (1, 2):
        model = ExpectedUtilityModel(actors, rng=seed)
        model.run(6)
        runs.append(model)
    pd.testing.assert_frame_equal(runs[0].trajectory(), runs[1].trajectory())
    pd.testing.assert_frame_equal(runs[0].dyad_table(), runs[1].dyad_table())


def test_constructor_validates_actors():
    with pytest.raises(EUMInputError, match=r"item 1, field 'actor'.*at least 2"):
        ExpectedUtilityModel([EUMActor("solo", 1.0, 0.0, 0.5)])
    with pytest.raises(EUMInputError, match=r"item 2, field 'salience'"):
        ExpectedUtilityModel([EUMActor("a", 1.0, 0.0, 0.5), EUMActor("b", 1.0, 1.0, 50.0)])


@pytest.mark.parametrize(
    "options",
    [{"q": 1.5}, {"p_normalisation": "voter"}, {"offer_order": "random"}, {"risk_perspective": 1}],
)
def test_unknown_conventions_are_rejected(options):
    with pytest.raises(ValueError):
        ExpectedUtilityModel(TWO, **options)


def test_negative_rounds_rejected():
    with pytest.raises(ValueError, match="rounds"):
        ExpectedUtilityModel(TWO).run(-1)
