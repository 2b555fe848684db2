"""Tests for cxlab.plots.nps: what was drawn (points, intervals, bars, labels)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PolyCollection

from cxlab import nps, text
from cxlab.plots import NPS_PALETTE
from cxlab.plots import nps as pn


@pytest.fixture(scope="module")
def survey():
    rng = np.random.default_rng(8)
    n = 2500
    ch = rng.choice(["store", "web", "phone"], size=n, p=[0.5, 0.35, 0.15])
    ts = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")
    base = rng.normal(size=(n, 3))
    ltr = np.clip(np.round(7.5 + 1.5 * (base @ [0.8, 0.4, 0.2]) - 2 * (ch == "phone")), 0, 10).astype(int)
    df = pd.DataFrame({"channel": pd.Categorical(ch), "submitted_at": np.asarray(ts, dtype="datetime64[ns]"),
                       "likelihood_to_recommend": ltr})
    for i, a in enumerate(["attr_quality", "attr_staff", "attr_price"]):
        df[a] = np.clip(np.round(3.3 + base[:, i]), 1, 5).astype(int)
    df["comment"] = np.where(ltr <= 6, "Delivery was late", np.where(ltr >= 9, "Great selection", "ok"))
    return df


def test_nps_by_group_draws_points_and_intervals(survey):
    small = survey.assign(channel=survey["channel"].astype(object))
    small.loc[small.index[:20], "channel"] = "tiny"
    t = nps.nps_table(small, by="channel")
    ax = pn.plot_nps_by_group(t, group="channel")
    shown = t[~t["suppressed"]]
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    segs = lines[0].get_segments()
    assert len(segs) == len(shown)
    np.testing.assert_allclose(sorted(s[0][0] for s in segs), sorted(shown["ci_low"]))
    np.testing.assert_allclose(sorted(ax.lines[0].get_xdata()), sorted(shown["estimate"]))
    assert [lab.get_text() for lab in ax.get_yticklabels()] == t["channel"].astype(str).tolist()
    assert any("suppressed (n = 20)" in tx.get_text() for tx in ax.texts)


def test_nps_by_group_letters(survey):
    res = nps.nps_pairwise(survey, by="channel")
    ax = res.plot()
    labels = [lab.get_text() for lab in ax.get_yticklabels()]
    assert all("(" in lab for lab in labels)
    texts = " ".join(t.get_text() for t in ax.texts)
    for beats in res.table["higher_than"]:
        if beats:
            assert beats in texts


def test_distribution_stacks_to_100(survey):
    t = nps.nps_table(survey, by="channel")
    ax = pn.plot_nps_distribution(t, group="channel")
    assert len(ax.patches) == 3 * len(t)
    widths = np.array([p.get_width() for p in ax.patches]).reshape(3, len(t))
    np.testing.assert_allclose(widths.sum(axis=0), 100.0)
    colours = {tuple(np.round(p.get_facecolor()[:3], 3)) for p in ax.patches[: len(t)]}
    from matplotlib.colors import to_rgb
    assert colours == {tuple(np.round(to_rgb(NPS_PALETTE["detractor"]), 3))}


def test_trend_band_and_markers(survey):
    df = survey.copy()
    late = df["submitted_at"] >= "2025-07-01"
    df.loc[late, "likelihood_to_recommend"] = np.clip(df.loc[late, "likelihood_to_recommend"] - 3, 0, 10)
    tr = nps.nps_trend(df, period="Q")
    ax = pn.plot_nps_trend(tr)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    assert len(ax.lines[0].get_xdata()) == len(tr)
    falls = [ln for ln in ax.lines if ln.get_label() == "significant fall"]
    assert falls and len(falls[0].get_xdata()) == int((tr["significant"] & (tr["change"] < 0)).sum()) >= 1
    assert pn.plot_nps_trend(nps.nps_trend(df, period="Q", by="channel"), group="channel").get_legend()


def test_driver_quadrant(survey):
    res = nps.key_drivers(survey, drivers=["attr_quality", "attr_staff", "attr_price"], ordered_logit=False)
    ax = res.plot()
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 1], res.table["importance"])
    np.testing.assert_allclose(offsets[:, 0], res.table["performance_pct"])
    assert {t.get_text() for t in ax.texts} >= {"quality", "staff", "price"}
    # the dashed boundaries are exactly the cut points the analysis classified with
    xs = {round(float(line.get_xdata()[0]), 9) for line in ax.get_lines()}
    ys = {round(float(line.get_ydata()[0]), 9) for line in ax.get_lines()}
    assert round(float(res.table["performance_cut"].iloc[0]), 9) in xs
    assert round(float(res.table["importance_cut"].iloc[0]), 9) in ys


def test_theme_lift_bars(survey):
    t = text.theme_lift(survey)
    ax = pn.plot_theme_lift(t)
    assert len(ax.patches) == 2 * len(t)
    labels = [lab.get_text() for lab in ax.get_yticklabels()]
    assert any(lab.endswith("*") for lab in labels)


def test_cutoff_sensitivity_bars(survey):
    t = nps.nps_cutoff_sensitivity(survey)
    ax = pn.plot_cutoff_sensitivity(t)
    assert len(ax.patches) == len(t)
    np.testing.assert_allclose([p.get_width() for p in ax.patches], t["estimate"])


def test_plots_use_given_axes(survey):
    fig, ax = plt.subplots()
    assert pn.plot_nps_by_group(nps.nps_table(survey, by="channel"), ax=ax) is ax
