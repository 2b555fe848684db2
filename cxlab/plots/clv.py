"""Figures for customer lifetime value (input: the tables of :mod:`cxlab.clv`). Draw only."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from cxlab.errors import CXLabError
from cxlab.plots._style import ACCENT, MUTED, get_ax

__all__ = [
    "plot_p_alive",
    "plot_clv_distribution",
    "plot_tracking",
    "plot_calibration_holdout",
    "plot_frequency_fit",
    "plot_spend_fit",
    "plot_clv_intervals",
]

_ACTUAL = "#333333"


def _need(table: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise CXLabError(f"the table has no column(s) {missing}", column=missing[0],
                         fix=f"pass the table from {what}")


def plot_p_alive(values: pd.DataFrame, *, ax: Axes | None = None, column: str = "p_alive", bins: int = 20,
                 threshold: float | None = None) -> Axes:
    """Histogram of P(alive) (input: :func:`cxlab.clv.customer_value`), with an optional threshold line."""
    _need(values, [column], "cxlab.clv.customer_value")
    ax = get_ax(ax)
    ax.hist(values[column].to_numpy(dtype=float), bins=np.linspace(0, 1, bins + 1), color=ACCENT,
            edgecolor="white")
    if threshold is not None:
        ax.axvline(threshold, color="#d55e00", linestyle="--", label=f"at-risk threshold {threshold:.2f}")
        ax.legend(loc="upper left")
    ax.set(xlabel="P(alive) at the end of the observation period", ylabel="customers",
           title="How likely are customers still active?", xlim=(0, 1))
    return ax


def plot_clv_distribution(values: pd.DataFrame, *, ax: Axes | None = None, column: str = "clv", bins: int = 40,
                          log: bool = True, currency: str = "") -> Axes:
    """Histogram of customer lifetime value (input: :func:`cxlab.clv.customer_value`).

    With ``log=True`` the bins are evenly spaced on a log scale (CLV is very skewed);
    customers with CLV <= 0 are then counted in the lowest bin's label.
    """
    _need(values, [column], "cxlab.clv.customer_value")
    ax = get_ax(ax)
    v = values[column].to_numpy(dtype=float)
    positive = v[v > 0]
    if log and len(positive):
        edges = np.geomspace(positive.min(), positive.max(), bins + 1)
        ax.hist(positive, bins=edges, color=ACCENT, edgecolor="white")
        ax.set_xscale("log")
    else:
        ax.hist(v, bins=bins, color=ACCENT, edgecolor="white")
    unit = f" ({currency})" if currency else ""
    ax.set(xlabel=f"{column.replace('_', ' ')}{unit}", ylabel="customers", title="Customer lifetime value")
    return ax


def plot_tracking(tracking: pd.DataFrame, *, ax: Axes | None = None, cumulative: bool = True) -> Axes:
    """Actual vs predicted repeat purchases over time (input: :func:`cxlab.clv.tracking_series`).

    A dashed vertical line marks the end of the calibration period.
    """
    _need(tracking, ["date", "period", "actual", "predicted", "actual_cumulative", "predicted_cumulative"],
          "cxlab.clv.tracking_series")
    ax = get_ax(ax, figsize=(8, 4))
    suffix = "_cumulative" if cumulative else ""
    ax.plot(tracking["date"], tracking["actual" + suffix], color=_ACTUAL, label="actual")
    ax.plot(tracking["date"], tracking["predicted" + suffix], color=ACCENT, linestyle="--", label="model (BG/NBD)")
    cal = tracking.loc[tracking["period"] == "calibration", "date"]
    if len(cal):
        ax.axvline(cal.max(), color=MUTED, linestyle=":", label="end of calibration")
    ax.legend(loc="upper left")
    ax.set(xlabel="date", ylabel=("cumulative " if cumulative else "") + "repeat purchases",
           title="Tracking: actual vs predicted repeat purchases")
    return ax


def plot_calibration_holdout(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Mean holdout purchases by calibration-period frequency, actual (with 95% CI) vs predicted.

    Input: ``HoldoutCheck.table`` from :func:`cxlab.clv.holdout_check`.
    """
    _need(table, ["label", "n", "actual", "ci_low", "ci_high", "predicted"], "cxlab.clv.holdout_check")
    ax = get_ax(ax)
    shown = table[table["n"] > 0]
    pos = np.arange(len(shown))
    yerr = np.vstack([shown["actual"] - shown["ci_low"], shown["ci_high"] - shown["actual"]])
    yerr = np.nan_to_num(yerr, nan=0.0)
    ax.errorbar(pos, shown["actual"], yerr=yerr, color=_ACTUAL, marker="o", capsize=3, label="actual (95% CI)")
    ax.plot(pos, shown["predicted"], color=ACCENT, marker="s", linestyle="--", label="predicted")
    ax.set_xticks(pos, shown["label"])
    ax.legend(loc="upper left")
    ax.set(xlabel="repeat purchases in the calibration period", ylabel="mean purchases in the holdout",
           title="Holdout check: conditional expectations")
    return ax


def plot_frequency_fit(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Customers by number of repeat purchases, actual vs BG/NBD (input: ``BGNBDFit.frequency_table``)."""
    _need(table, ["label", "actual", "expected"], "cxlab.clv.fit_bgnbd(...).frequency_table")
    ax = get_ax(ax)
    pos = np.arange(len(table))
    width = 0.4
    ax.bar(pos - width / 2, table["actual"], width=width, color=_ACTUAL, label="actual")
    ax.bar(pos + width / 2, table["expected"], width=width, color=ACCENT, label="model")
    ax.set_xticks(pos, table["label"])
    ax.legend()
    ax.set(xlabel="repeat purchases", ylabel="customers", title="BG/NBD fit: purchase frequency")
    return ax


def plot_spend_fit(table: pd.DataFrame, *, ax: Axes | None = None, currency: str = "") -> Axes:
    """Observed vs Gamma-Gamma density of mean repeat spend (input: ``GammaGammaFit.density_table``)."""
    _need(table, ["bin_low", "bin_high", "observed", "expected"], "cxlab.clv.fit_gamma_gamma(...).density_table")
    ax = get_ax(ax)
    width = (table["bin_high"] - table["bin_low"]).to_numpy()
    ax.bar(table["bin_low"], table["observed"], width=width, align="edge", color=MUTED, alpha=0.6, label="observed")
    mid = (table["bin_low"] + table["bin_high"]) / 2
    ax.plot(mid, table["expected"], color=ACCENT, marker=".", label="Gamma-Gamma model")
    ax.legend()
    unit = f" ({currency})" if currency else ""
    ax.set(xlabel=f"mean spend per repeat purchase{unit}", ylabel="density", title="Gamma-Gamma fit: spend")
    return ax


def plot_clv_intervals(table: pd.DataFrame, *, ax: Axes | None = None, measure: str = "clv", top: int = 30) -> Axes:
    """The ``top`` customers by estimate with their bootstrap intervals (input: ``CLVIntervals.table``)."""
    _need(table, ["customer_id", "measure", "estimate", "ci_low", "ci_high"], "cxlab.clv.clv_intervals")
    ax = get_ax(ax, figsize=(7, max(3.0, 0.18 * top)))
    rows = table[table["measure"] == measure].nlargest(top, "estimate").iloc[::-1]
    pos = np.arange(len(rows))
    ax.hlines(pos, rows["ci_low"], rows["ci_high"], color=MUTED, linewidth=2, label="interval")
    ax.plot(rows["estimate"], pos, "o", color=ACCENT, label="estimate")
    ax.set_yticks(pos, rows["customer_id"].astype(str))
    ax.legend(loc="lower right")
    ax.set(xlabel=measure.replace("_", " "), ylabel="customer", title=f"Top {len(rows)} customers: {measure} with interval")
    return ax
