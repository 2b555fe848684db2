"""Tests for the CLV what-if widget: moving a control changes what is shown, correctly."""

from __future__ import annotations

import importlib.resources
import io

import pandas as pd
import pytest

import cxlab.clv as clv
from cxlab.errors import CXLabError
from cxlab.widgets.clv import clv_what_if

pytest.importorskip("lifetimes")  # the CDNOW data ship inside lifetimes


@pytest.fixture(scope="module")
def setup():
    text = (importlib.resources.files("lifetimes") / "datasets" / "cdnow_customers_summary_with_transactions.csv")
    d = pd.read_csv(io.StringIO(text.read_text())).set_index("ID")
    d = d.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})
    return d, clv.fit_bgnbd(d, time_unit="W"), clv.fit_gamma_gamma(d)


def _expected(d, bg, gg, horizon, rate, threshold):
    # the pure functions, called directly: what the widget must show
    values = clv.customer_value(d, model=bg, spend_model=gg, horizon=horizon, discount_rate=rate)
    risk = clv.at_risk_customers(values, p_alive_threshold=threshold, min_value_quantile=0.8)
    return values, risk


def test_widget_matches_pure_functions_and_updates(setup):
    d, bg, gg = setup
    w = clv_what_if(d, model=bg, spend_model=gg, max_horizon=24, horizon=12, discount_rate=0.1,
                    p_alive_threshold=0.5, currency="USD")
    values, risk = _expected(d, bg, gg, 12, 0.1, 0.5)
    assert w.state["total_clv"] == pytest.approx(values["clv"].sum(), rel=1e-10)
    assert w.state["at_risk_count"] == len(risk)
    assert w.state["at_risk_value_at_stake"] == pytest.approx(risk["value_at_stake"].sum(), rel=1e-8)
    assert "USD" in w.info.value
    first_image = w.figure.image.value
    assert first_image[:4] == b"\x89PNG"

    w.horizon.value = 24
    values24, _ = _expected(d, bg, gg, 24, 0.1, 0.5)
    assert w.state["total_clv"] == pytest.approx(values24["clv"].sum(), rel=1e-10)
    assert w.state["total_clv"] > values["clv"].sum()
    assert w.figure.image.value != first_image
    assert w.figure.ax.get_title() == "CLV over 24 months at 10% a year"
    bar_heights = [p.get_height() for p in w.figure.ax.patches]
    assert sum(bar_heights) == len(d)  # every customer counted (out-of-range values in the end bins)

    w.discount.value = 0.3
    values_d, _ = _expected(d, bg, gg, 24, 0.3, 0.5)
    assert w.state["total_clv"] == pytest.approx(values_d["clv"].sum(), rel=1e-10)
    assert w.state["median_clv"] == pytest.approx(values_d["clv"].median(), rel=1e-10)

    w.threshold.value = 0.2
    _, risk_low = _expected(d, bg, gg, 24, 0.3, 0.2)
    assert w.state["at_risk_count"] == len(risk_low) < len(risk)
    assert w.state["at_risk_historical_value"] == pytest.approx(risk_low["historical_value"].sum())
    threshold_line = w.figure.axes[1].lines[0]
    assert threshold_line.get_xdata()[0] == pytest.approx(0.2)
    assert str(len(risk_low)) in w.info.value


def test_widget_rejects_bad_settings(setup):
    d, bg, gg = setup
    with pytest.raises(CXLabError, match="between 1 and max_horizon"):
        clv_what_if(d, model=bg, spend_model=gg, max_horizon=6, horizon=12)
    with pytest.raises(CXLabError, match="unknown value column"):
        clv_what_if(d, model=bg, spend_model=gg, value="nope")
