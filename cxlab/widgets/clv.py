"""CLV what-if explorer: discount rate, horizon and P(alive) threshold.

The expensive part (expected purchases of every customer in each of the next
``max_horizon`` months, expected spend, P(alive)) is computed once by the pure functions
of :mod:`cxlab.clv`. Moving a slider then only takes a matrix-vector product (CLV = spend x
discounted monthly purchases), re-counts fixed histogram bins, updates the existing bars
and lines and re-renders the figure.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import cxlab.clv as clv
from cxlab.errors import CXLabError
from cxlab.widgets._base import FigureImage, require_ipywidgets

__all__ = ["clv_what_if"]

_AT_RISK = "#d55e00"
_BASE = "#0072b2"


def clv_what_if(summary: pd.DataFrame, *, model: clv.BGNBDFit, spend_model: clv.GammaGammaFit,
                max_horizon: int = 36, horizon: int = 12, discount_rate: float = 0.1,
                p_alive_threshold: float = 0.5, min_value_quantile: float = 0.8, margin: float = 1.0,
                value: str = "historical_value", currency: str = "RUB", bins: int = 30,
                time_unit: Any = None, days_per_month: float = clv.DAYS_PER_MONTH,
                frequency: str = "frequency", recency: str = "recency", T: str = "T",
                monetary_value: str = "monetary_value"):
    """Build the CLV what-if widget (it is returned, not displayed).

    Parameters
    ----------
    summary
        Per-customer summary (frequency, recency, T, monetary_value).
    model, spend_model
        Fitted :class:`cxlab.clv.BGNBDFit` and :class:`cxlab.clv.GammaGammaFit`.
    max_horizon
        Longest horizon offered, in months (pre-computed once).
    horizon, discount_rate, p_alive_threshold
        Initial slider values (horizon in months, annual discount rate).
    min_value_quantile, value
        "Valuable" customers for the at-risk list, as in :func:`cxlab.clv.at_risk_customers`.
    margin
        Share of revenue that is profit.
    currency
        Label for money.
    bins
        Number of CLV histogram bins (fixed log-spaced edges, so bars can be updated in place).
    time_unit, days_per_month, frequency, recency, T, monetary_value
        As for :func:`cxlab.clv.customer_value`.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``discount``, ``horizon``, ``threshold`` (the sliders), ``figure``
        (:class:`~cxlab.widgets._base.FigureImage`), ``info`` (HTML) and ``state`` (a dict:
        ``total_clv``, ``at_risk_count``, ``at_risk_value_at_stake``, ``at_risk_historical_value``,
        ``median_clv``, ``clv_counts``), updated on every change.
    """
    widgets = require_ipywidgets()
    if int(max_horizon) != max_horizon or max_horizon < 1:
        raise CXLabError(f"max_horizon must be a whole number of months >= 1, got {max_horizon!r}",
                         fix="pass e.g. max_horizon=36")
    if not 1 <= horizon <= max_horizon:
        raise CXLabError(f"horizon {horizon!r} must be between 1 and max_horizon={max_horizon}",
                         fix="pick a horizon within the pre-computed range")
    max_horizon = int(max_horizon)
    # --- pre-computation (once) ---
    base = clv.customer_value(summary, model=model, spend_model=spend_model, horizon=1, discount_rate=0.0,
                              margin=margin, time_unit=time_unit, days_per_month=days_per_month,
                              frequency=frequency, recency=recency, T=T, monetary_value=monetary_value)
    monthly = clv.monthly_expected_purchases(summary, model=model, months=max_horizon, time_unit=time_unit,
                                             days_per_month=days_per_month, frequency=frequency, recency=recency,
                                             T=T).to_numpy()
    weighted = margin * base["expected_spend"].to_numpy()[:, None] * monthly  # value per customer and month
    p_alive = base["p_alive"].to_numpy()
    worth = base[value].to_numpy(dtype=float) if value in base.columns else None
    if worth is None:
        raise CXLabError(f"unknown value column {value!r}", column=value,
                         fix="use 'historical_value' (or another column of cxlab.clv.customer_value)")
    valuable = clv._valuable(worth, min_value_quantile)
    undiscounted_max = weighted.sum(axis=1)
    positive = np.concatenate([undiscounted_max[undiscounted_max > 0], weighted[:, 0][weighted[:, 0] > 0]])
    high = positive.max() if len(positive) else 10.0
    low = max(positive.min(), high * 1e-6) if len(positive) else 1.0  # lower values go in the first bin
    edges = np.geomspace(low, high * 1.0001, bins + 1)

    # --- controls and figure ---
    discount = widgets.FloatSlider(value=discount_rate, min=0.0, max=0.5, step=0.01, description="discount / yr",
                                   readout_format=".0%", continuous_update=False)
    horizon_s = widgets.IntSlider(value=int(horizon), min=1, max=max_horizon, step=1, description="months",
                                  continuous_update=False)
    threshold = widgets.FloatSlider(value=p_alive_threshold, min=0.05, max=0.95, step=0.05,
                                    description="P(alive) <", readout_format=".2f", continuous_update=False)
    fig = FigureImage(figsize=(10, 3.8), ncols=2)
    ax_clv, ax_alive = fig.axes
    bars = ax_clv.bar(edges[:-1], np.zeros(bins), width=np.diff(edges), align="edge", color=_BASE,
                      edgecolor="white")
    ax_clv.set_xscale("log")
    median_line = ax_clv.axvline(edges[0], color="#333333", linestyle="--", label="median")
    ax_clv.legend(loc="upper right")
    ax_clv.set(xlabel=f"CLV ({currency})", ylabel="customers", xlim=(edges[0], edges[-1]))
    alive_edges = np.linspace(0.0, 1.0, 21)
    alive_counts, _ = np.histogram(p_alive, bins=alive_edges)
    alive_bars = ax_alive.bar(alive_edges[:-1], alive_counts, width=np.diff(alive_edges), align="edge",
                              color=_BASE, edgecolor="white")
    thr_line = ax_alive.axvline(p_alive_threshold, color=_AT_RISK, linestyle="--")
    ax_alive.set(xlabel="P(alive)", ylabel="customers", xlim=(0, 1), title="P(alive): below the threshold in orange")
    info = widgets.HTML()
    state: dict[str, Any] = {}

    def update(_change=None) -> None:
        months = horizon_s.value
        factors = clv._discount_factors(discount.value, "year", months)
        values = weighted[:, :months] @ factors
        counts, _ = np.histogram(np.clip(values, edges[0], edges[-1] * 0.9999), bins=edges)
        for bar, count in zip(bars, counts, strict=True):
            bar.set_height(count)
        ax_clv.set_ylim(0, max(1, counts.max()) * 1.1)
        median = float(np.median(values))
        median_line.set_xdata([max(median, edges[0])] * 2)
        ax_clv.set_title(f"CLV over {months} months at {discount.value:.0%} a year")
        at_risk = valuable & (p_alive < threshold.value)
        for bar, left in zip(alive_bars, alive_edges[:-1], strict=True):
            bar.set_color(_AT_RISK if left < threshold.value - 1e-12 else _BASE)
        thr_line.set_xdata([threshold.value] * 2)
        _, stake = clv._value_at_stake(values, p_alive)
        state.update(total_clv=float(values.sum()), median_clv=median, at_risk_count=int(at_risk.sum()),
                     at_risk_value_at_stake=float(np.nansum(stake[at_risk])),
                     at_risk_historical_value=float(worth[at_risk].sum()), clv_counts=counts.copy(),
                     horizon=months, discount_rate=float(discount.value), p_alive_threshold=float(threshold.value))
        info.value = (f"<b>Total CLV</b>: {state['total_clv']:,.0f} {currency} over {months} months "
                      f"(median customer {median:,.0f}). <b>At risk</b>: {state['at_risk_count']:,} valuable "
                      f"customers with P(alive) &lt; {threshold.value:.2f}; past repeat revenue "
                      f"{state['at_risk_historical_value']:,.0f} {currency}; value at stake "
                      f"{state['at_risk_value_at_stake']:,.0f} {currency}.")
        fig.refresh()

    for control in (discount, horizon_s, threshold):
        control.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([discount, horizon_s, threshold]), fig.image, info])
    box.discount, box.horizon, box.threshold = discount, horizon_s, threshold
    box.figure, box.info, box.state = fig, info, state
    return box
