"""Properties that must hold for any actor table and any convention (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negotiation_sim.eum import EUMActor, ExpectedUtilityModel

ROUNDS = 10


@st.composite
def actor_tables(draw):
    n = draw(st.integers(min_value=2, max_value=6))
    # Positions on a coarse grid so that shared positions and exact ties get exercised too.
    positions = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    assume(len(set(positions)) > 1)
    capabilities = draw(st.lists(st.floats(0.1, 10.0), min_size=n, max_size=n))
    saliences = draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n))
    return [
        EUMActor(f"a{k}", c, float(5 * x), s)
        for k, (c, x, s) in enumerate(zip(capabilities, positions, saliences, strict=True))
    ]


conventions = st.fixed_dictionaries(
    {
        "q": st.sampled_from([0.5, 1.0]),
        "p_normalisation": st.sampled_from(["global", "dyad"]),
        "challenged_salience": st.sampled_from(["challenged", "printed"]),
        "offer_order": st.sampled_from(["code", "paper"]),
        "risk_perspective": st.sampled_from(["observer", "own"]),
    }
)


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(actors=actor_tables(), options=conventions)
def test_positions_risk_and_median_stay_in_bounds(actors, options):
    model = ExpectedUtilityModel(actors, **options)
    initial = model.positions()
    low, high = initial.min(), initial.max()
    for _ in range(ROUNDS + 1):
        x = model.positions()
        assert np.all(x >= low - 1e-9)
        assert np.all(x <= high + 1e-9)
        assert np.all(model.analysis.risk >= 0.5 - 1e-12)
        assert np.all(model.analysis.risk <= 2.0 + 1e-12)
        assert model.median in set(x)
        assert low - 1e-9 <= model.mean <= high + 1e-9
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == ROUNDS + 2
    assert frame["median"].notna().all()
