"""Tests for cxlab.widgets.nps: set control values, check what is shown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab import nps
from cxlab.widgets.nps import nps_explorer


def make_survey(n=3000, seed=0):
    """Synthetic responses over 18 months, with a weaker phone channel and survey weights."""
    rng = np.random.default_rng(seed)
    channels = ["store", "web", "phone", "chat", "email", "social", "messenger"]
    ch = rng.choice(channels[:4], size=n, p=[0.45, 0.3, 0.2, 0.05])
    ts = pd.Timestamp("2024-07-01") + pd.to_timedelta(rng.integers(0, 548 * 86400, n), unit="s")
    lat = rng.normal(size=n) - 0.9 * (ch == "phone")
    ltr = np.clip(np.round(7.7 + 1.6 * lat), 0, 10).astype(int)
    return pd.DataFrame({
        "submitted_at": np.asarray(ts, dtype="datetime64[ns]"),
        "channel": pd.Categorical(ch, categories=channels),
        "likelihood_to_recommend": pd.array(ltr, dtype="Int8"),
        "weight": rng.uniform(0.6, 1.6, n),
    })


@pytest.fixture(scope="module")
def survey():
    return make_survey(n=4000, seed=4)


def test_explorer_initial_state_matches_nps_table(survey):
    w = nps_explorer(survey, groups=["channel"])
    ref = nps.nps_table(survey[survey["submitted_at"].notna()], by="channel")
    ref = ref[ref["channel"].notna()]
    shown = w.table.set_index("group")
    for _, r in ref.iterrows():
        assert shown.loc[r["channel"], "n"] == r["n"]
        assert shown.loc[r["channel"], "estimate"] == pytest.approx(r["estimate"], nan_ok=True)
    assert w.figure.image.value[:4] == b"\x89PNG"
    assert "store" in w.status.value


def test_group_by_period_and_cutoffs_change_what_is_shown(survey):
    w = nps_explorer(survey, groups=["channel"])
    c = w.controls
    first_png = w.figure.image.value
    c["group_by"].value = "(all responses)"
    assert w.table["group"].tolist() == ["(all responses)"]
    assert w.table["estimate"].iloc[0] == pytest.approx(nps.nps_table(survey)["estimate"].iloc[0])
    assert w.figure.image.value != first_png
    # a period range: equals nps_table on the rows of those months
    c["period"].value = ("2025-04", "2025-06")
    months = survey["submitted_at"].dt.to_period("M")
    sub = survey[(months >= pd.Period("2025-04", "M")) & (months <= pd.Period("2025-06", "M"))]
    assert w.table["n"].iloc[0] == nps.nps_table(sub)["n"].iloc[0]
    assert w.table["estimate"].iloc[0] == pytest.approx(nps.nps_table(sub)["estimate"].iloc[0])
    assert "2025-04" in w.figure.ax.get_title()
    # cut-offs: misreading "below 6" moves the score up
    before = w.table["estimate"].iloc[0]
    c["detractor_max"].value = 5
    ref = nps.nps_table(sub, detractor_max=5)["estimate"].iloc[0]
    assert w.table["estimate"].iloc[0] == pytest.approx(ref) and ref > before
    # invalid cut-offs: a message, the last table stays
    c["detractor_max"].value = 9
    assert "must end below" in w.status.value
    assert w.table["estimate"].iloc[0] == pytest.approx(ref)


def test_min_base_and_interval_method(survey):
    w = nps_explorer(survey, groups=["channel"])
    c = w.controls
    n_chat = int(w.table.set_index("group").loc["chat", "n"])
    c["min_base"].value = (n_chat // 10 + 1) * 10  # above the chat base
    row = w.table.set_index("group").loc["chat"]
    assert row["suppressed"] and np.isnan(row["estimate"])
    assert any("suppressed" in t.get_text() for t in w.figure.ax.texts)
    c["min_base"].value = 0
    c["ci"].value = "wald"
    wald = w.table.set_index("group").loc["store"]
    ref = nps.nps_table(survey, by="channel", ci="wald").set_index("channel").loc["store"]
    assert wald["ci_low"] == pytest.approx(ref["ci_low"])
    c["ci"].value = "bootstrap"
    boot = w.table.set_index("group").loc["store"]
    wald_width = wald["ci_high"] - wald["ci_low"]
    assert boot["ci_high"] - boot["ci_low"] == pytest.approx(wald_width, rel=0.15)
    # the interval lines drawn are the table's intervals
    segs = w._intervals.get_segments()
    ok = w.table[~w.table["suppressed"]]
    assert len(segs) == len(ok)
    np.testing.assert_allclose(sorted(s[0][0] for s in segs), sorted(ok["ci_low"]))


def test_weighted_explorer(survey):
    w = nps_explorer(survey, groups=["channel"], weight="weight")
    ref = nps.nps_table(survey, by="channel", weight="weight").set_index("channel")
    shown = w.table.set_index("group")
    assert shown.loc["web", "estimate"] == pytest.approx(ref.loc["web", "estimate"])
    assert shown.loc["web", "n_effective"] == pytest.approx(ref.loc["web", "n_effective"])


def test_undated_rows_reported():
    df = make_survey(n=500, seed=1)
    df.loc[df.index[:4], "submitted_at"] = pd.NaT
    w = nps_explorer(df)
    assert "4 response(s) without a date" in w.status.value
