"""Tests for cxlab.plots.clv: each figure draws what its table says."""

from __future__ import annotations

import importlib.resources
import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import cxlab.clv as clv
from cxlab.errors import CXLabError
from cxlab.plots import clv as plots

pytest.importorskip("lifetimes")  # the CDNOW data ship inside lifetimes


@pytest.fixture(scope="module")
def cdnow():
    text = (importlib.resources.files("lifetimes") / "datasets" / "cdnow_customers_summary_with_transactions.csv")
    d = pd.read_csv(io.StringIO(text.read_text())).set_index("ID")
    return d.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})


@pytest.fixture(scope="module")
def fitted(cdnow):
    bg, gg = clv.fit_bgnbd(cdnow, time_unit="W"), clv.fit_gamma_gamma(cdnow)
    return bg, gg, clv.customer_value(cdnow, model=bg, spend_model=gg, time_unit="W")


def _heights(ax):
    return np.array([p.get_height() for p in ax.patches])


def test_p_alive_histogram_counts_every_customer(fitted):
    _, _, values = fitted
    ax = plots.plot_p_alive(values, bins=10, threshold=0.4)
    assert _heights(ax).sum() == len(values)
    np.testing.assert_array_equal(_heights(ax), np.histogram(values["p_alive"], bins=np.linspace(0, 1, 11))[0])
    assert any(np.allclose(line.get_xdata(), 0.4) for line in ax.lines)  # threshold line
    assert ax.get_xlabel().startswith("P(alive)")


def test_clv_distribution_log_and_linear(fitted):
    _, _, values = fitted
    ax = plots.plot_clv_distribution(values, bins=25, currency="USD")
    assert ax.get_xscale() == "log" and len(ax.patches) == 25
    assert _heights(ax).sum() == (values["clv"] > 0).sum()
    assert "USD" in ax.get_xlabel()
    _, ax2 = plt.subplots()
    assert plots.plot_clv_distribution(values, ax=ax2, log=False, bins=10) is ax2
    assert _heights(ax2).sum() == len(values)


def test_tracking_plot_draws_both_series_and_calibration_end():
    tracking = pd.DataFrame({
        "date": pd.date_range("2024-01-07", periods=6, freq="W"),
        "period": ["calibration"] * 4 + ["holdout"] * 2,
        "actual": [1.0, 2, 3, 4, 5, 6], "predicted": [1.5, 2, 2.5, 4, 5, 5.5],
    })
    tracking["actual_cumulative"] = tracking["actual"].cumsum()
    tracking["predicted_cumulative"] = tracking["predicted"].cumsum()
    ax = plots.plot_tracking(tracking)
    actual, predicted, cal_end = ax.lines
    np.testing.assert_array_equal(actual.get_ydata(), tracking["actual_cumulative"])
    np.testing.assert_array_equal(predicted.get_ydata(), tracking["predicted_cumulative"])
    assert cal_end.get_xdata()[0] == tracking["date"].iloc[3]
    ax = plots.plot_tracking(tracking, cumulative=False)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), tracking["actual"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["actual", "model (BG/NBD)", "end of calibration"]


def test_calibration_holdout_plot_has_intervals_and_labels():
    table = pd.DataFrame({"frequency_cal": [0, 1, 2], "label": ["0", "1", "2+"], "n": [10, 5, 0],
                          "actual": [0.2, 0.8, np.nan], "se": [0.1, 0.2, np.nan], "ci_low": [0.0, 0.4, np.nan],
                          "ci_high": [0.4, 1.2, np.nan], "predicted": [0.25, 0.7, 1.1]})
    ax = plots.plot_calibration_holdout(table)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1"]  # empty bucket not drawn
    np.testing.assert_allclose(ax.lines[-1].get_ydata(), [0.25, 0.7])
    segments = ax.collections[0].get_segments()  # the error bars
    np.testing.assert_allclose([s[:, 1] for s in segments], [[0.0, 0.4], [0.4, 1.2]])


def test_frequency_and_spend_fit_plots(fitted):
    bg, gg, _ = fitted
    ax = bg.plot()
    heights = _heights(ax)
    np.testing.assert_allclose(heights[: len(bg.frequency_table)], bg.frequency_table["actual"])
    np.testing.assert_allclose(heights[len(bg.frequency_table):], bg.frequency_table["expected"])
    assert ax.get_xticklabels()[-1].get_text() == "7+"
    ax = gg.plot()
    np.testing.assert_allclose(_heights(ax), gg.density_table["observed"])
    np.testing.assert_allclose(ax.lines[0].get_ydata(), gg.density_table["expected"])


def test_clv_intervals_plot_shows_top_customers(fitted, cdnow):
    bg, gg, _ = fitted
    res = clv.clv_intervals(cdnow.iloc[:200], model=bg, spend_model=gg, n_draws=50, progress=False, time_unit="W")
    ax = res.plot()
    rows = res.table[res.table["measure"] == "clv"].nlargest(30, "estimate")
    np.testing.assert_allclose(sorted(ax.lines[0].get_xdata()), sorted(rows["estimate"]))
    assert len(ax.get_yticklabels()) == 30


def test_plot_rejects_wrong_table():
    with pytest.raises(CXLabError, match="cxlab.clv.tracking_series"):
        plots.plot_tracking(pd.DataFrame({"date": []}))
