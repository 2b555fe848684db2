"""Figures for customer lifetime value (input: the tables of :mod:`cxlab.clv`). Draw only."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from cxlab.errors import CXLabError
from cxlab.plots._style import ACCENT, MUTED, get_ax
from cxlab.plots._text import N_, _, get_language, ngettext, num

__all__ = [
    "PAliveChart",
    "CLVHistogramChart",
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


_AT_RISK = "#d55e00"

#: The per-customer measures of :mod:`cxlab.clv` (their column names), as a reader calls them.
_MEASURES = {"clv": N_("CLV"), "p_alive": N_("P(alive)"), "expected_purchases": N_("expected purchases"),
             "expected_spend": N_("expected spend per purchase")}


def _measure(column: str) -> str:
    """A measure's name on an axis: the column name in English (as ever), the reader's word in another language."""
    if get_language() == "en" or column not in _MEASURES:
        return column.replace("_", " ")
    return _(_MEASURES[column])


class PAliveChart:
    """Histogram of P(alive) with an at-risk threshold; bars below the threshold coloured.

    :func:`plot_p_alive` draws it once; the CLV what-if explorer keeps one and moves the
    threshold with :meth:`update`. The bars and the threshold line are created once.

    Parameters
    ----------
    ax
        Axes to draw on.
    p_alive
        P(alive) of every customer (counted once into ``bins`` equal bins on 0..1).
    bins
        Number of bins.
    title
        Axes title.
    """

    def __init__(self, ax: Axes, p_alive, *, bins: int = 20, title: str | None = None) -> None:
        self.ax = ax
        self.edges = np.linspace(0.0, 1.0, bins + 1)
        counts = np.histogram(np.asarray(p_alive, dtype=float), bins=self.edges)[0]
        self.bars = ax.bar(self.edges[:-1], counts, width=np.diff(self.edges), align="edge", color=ACCENT,
                           edgecolor="white")
        self.threshold = ax.axvline(0.5, color=_AT_RISK, linestyle="--", visible=False)
        self._threshold_label = _("at-risk threshold {threshold}")
        ax.set(xlabel=_("P(alive) at the end of the observation period"), ylabel=_("customers"), xlim=(0, 1),
               title=title or _("How likely are customers still active?"))

    @property
    def dynamic(self) -> list:
        """The artists an update changes: the bars (their colour) and the threshold line."""
        return [*self.bars, self.threshold]

    def update(self, threshold: float | None) -> Axes:
        """Move the threshold (``None`` hides it) and colour the bars below it."""
        for bar, left in zip(self.bars, self.edges[:-1], strict=True):
            below = threshold is not None and left < threshold - 1e-12
            bar.set_color(_AT_RISK if below else ACCENT)
            bar.set_edgecolor("white")
        self.threshold.set_visible(threshold is not None)
        if threshold is not None:
            self.threshold.set_xdata([threshold, threshold])
            self.threshold.set_label(self._threshold_label.format(threshold=num(threshold, 2)))
        return self.ax


def plot_p_alive(values: pd.DataFrame, *, ax: Axes | None = None, column: str = "p_alive", bins: int = 20,
                 threshold: float | None = None) -> Axes:
    """Histogram of P(alive) (input: :func:`cxlab.clv.customer_value`), with an optional threshold line.

    See Also
    --------
    PAliveChart : the same drawing, kept for redrawing (used by the CLV what-if explorer).
    """
    _need(values, [column], "cxlab.clv.customer_value")
    ax = PAliveChart(get_ax(ax), values[column].to_numpy(dtype=float), bins=bins).update(threshold)
    if threshold is not None:
        ax.legend(loc="upper left")
    return ax


class CLVHistogramChart:
    """Histogram of customer values on fixed bin edges, with a median line, redrawn in place.

    :func:`plot_clv_distribution` draws it once; the CLV what-if explorer keeps one and
    calls :meth:`update` with the values at each setting.

    Parameters
    ----------
    ax
        Axes to draw on.
    edges
        Bin edges (log-spaced ones draw on a log axis).
    log
        Log-scaled value axis.
    clip
        Count values beyond the edges in the end bins (so every customer is counted);
        otherwise they are left out, as ``numpy.histogram`` does.
    median
        Draw a dashed line at the median value.
    xlabel
        Label of the value axis.
    sticky
        Keep the count axis while the tallest bar fills between 2/3 and 97 % of it (the
        explorer then redraws the bars only, not the axis); otherwise it is set to 1.1 times
        the tallest bar on every update.
    """

    def __init__(self, ax: Axes, edges, *, log: bool = True, clip: bool = False, median: bool = False,
                 xlabel: str = "CLV", sticky: bool = False) -> None:
        self.ax = ax
        self.sticky = sticky
        self._top: float | None = None
        self.edges = np.asarray(edges, dtype=float)
        self.clip = clip
        self.bars = ax.bar(self.edges[:-1], np.zeros(len(self.edges) - 1), width=np.diff(self.edges),
                           align="edge", color=ACCENT, edgecolor="white")
        if log:
            ax.set_xscale("log")
            ax.minorticks_off()  # decades are enough; dozens of minor ticks would be measured on every redraw
        self.median = ax.axvline(self.edges[0], color="#333333", linestyle="--", label=_("median")) if median else None
        if median:
            ax.legend(loc="upper right")
        ax.set(xlabel=xlabel, ylabel=_("customers"), xlim=(self.edges[0], self.edges[-1]),
               title=_("Customer lifetime value"))

    def update(self, values, *, title: str | None = None) -> np.ndarray:
        """Count ``values`` into the bins, set the bar heights (and median); return the counts."""
        values = np.asarray(values, dtype=float)
        shown = np.clip(values, self.edges[0], self.edges[-1] * 0.9999) if self.clip else values
        counts = np.histogram(shown, bins=self.edges)[0]
        for bar, count in zip(self.bars, counts, strict=True):
            bar.set_height(count)
        tallest = max(1, counts.max())
        if not (self.sticky and self._top is not None and tallest <= 0.97 * self._top
                and tallest >= self._top / 1.5):
            self._top = tallest * 1.1
            self.ax.set_ylim(0, self._top)
        if self.median is not None and len(values):
            self.median.set_xdata([max(float(np.median(values)), self.edges[0])] * 2)
        if title:
            self.ax.set_title(title)
        return counts

    @property
    def dynamic(self) -> list:
        """The artists an update changes: bars, median line, title."""
        return [*self.bars, self.median, self.ax.title]

    def static_key(self) -> tuple:
        """What the rest of the drawing depends on: the axis limits."""
        return (self.ax.get_xlim(), self.ax.get_ylim())


def plot_clv_distribution(values: pd.DataFrame, *, ax: Axes | None = None, column: str = "clv", bins: int = 40,
                          log: bool = True, currency: str = "") -> Axes:
    """Histogram of customer lifetime value (input: :func:`cxlab.clv.customer_value`).

    With ``log=True`` the bins are evenly spaced on a log scale (CLV is very skewed) and
    customers with CLV <= 0 are left out.

    See Also
    --------
    CLVHistogramChart : the same drawing, kept for redrawing (used by the CLV what-if explorer).
    """
    _need(values, [column], "cxlab.clv.customer_value")
    ax = get_ax(ax)
    v = values[column].to_numpy(dtype=float)
    positive = v[v > 0]
    log = log and len(positive) > 0
    edges = np.geomspace(positive.min(), positive.max(), bins + 1) if log else np.histogram_bin_edges(v, bins=bins)
    unit = f" ({currency})" if currency else ""
    chart = CLVHistogramChart(ax, edges, log=log, xlabel=f"{_measure(column)}{unit}")
    chart.update(positive if log else v)
    return ax


def plot_tracking(tracking: pd.DataFrame, *, ax: Axes | None = None, cumulative: bool = True) -> Axes:
    """Actual vs predicted repeat purchases over time (input: :func:`cxlab.clv.tracking_series`).

    A dashed vertical line marks the end of the calibration period.
    """
    _need(tracking, ["date", "period", "actual", "predicted", "actual_cumulative", "predicted_cumulative"],
          "cxlab.clv.tracking_series")
    ax = get_ax(ax, figsize=(8, 4))
    suffix = "_cumulative" if cumulative else ""
    ax.plot(tracking["date"], tracking["actual" + suffix], color=_ACTUAL, label=_("actual"))
    ax.plot(tracking["date"], tracking["predicted" + suffix], color=ACCENT, linestyle="--",
            label=_("model (BG/NBD)"))
    cal = tracking.loc[tracking["period"] == "calibration", "date"]
    if len(cal):
        ax.axvline(cal.max(), color=MUTED, linestyle=":", label=_("end of calibration"))
    ax.legend(loc="upper left")
    ax.set(xlabel=_("date"), ylabel=_("cumulative repeat purchases") if cumulative else _("repeat purchases"),
           title=_("Tracking: actual vs predicted repeat purchases"))
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
    ax.errorbar(pos, shown["actual"], yerr=yerr, color=_ACTUAL, marker="o", capsize=3, label=_("actual (95% CI)"))
    ax.plot(pos, shown["predicted"], color=ACCENT, marker="s", linestyle="--", label=_("predicted"))
    ax.set_xticks(pos, shown["label"])
    ax.legend(loc="upper left")
    ax.set(xlabel=_("repeat purchases in the calibration period"), ylabel=_("mean purchases in the holdout"),
           title=_("Holdout check: conditional expectations"))
    return ax


def plot_frequency_fit(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Customers by number of repeat purchases, actual vs BG/NBD (input: ``BGNBDFit.frequency_table``)."""
    _need(table, ["label", "actual", "expected"], "cxlab.clv.fit_bgnbd(...).frequency_table")
    ax = get_ax(ax)
    pos = np.arange(len(table))
    width = 0.4
    ax.bar(pos - width / 2, table["actual"], width=width, color=_ACTUAL, label=_("actual"))
    ax.bar(pos + width / 2, table["expected"], width=width, color=ACCENT, label=_("model"))
    ax.set_xticks(pos, table["label"])
    ax.legend()
    ax.set(xlabel=_("repeat purchases"), ylabel=_("customers"), title=_("BG/NBD fit: purchase frequency"))
    return ax


def plot_spend_fit(table: pd.DataFrame, *, ax: Axes | None = None, currency: str = "") -> Axes:
    """Observed vs Gamma-Gamma density of mean repeat spend (input: ``GammaGammaFit.density_table``)."""
    _need(table, ["bin_low", "bin_high", "observed", "expected"], "cxlab.clv.fit_gamma_gamma(...).density_table")
    ax = get_ax(ax)
    width = (table["bin_high"] - table["bin_low"]).to_numpy()
    ax.bar(table["bin_low"], table["observed"], width=width, align="edge", color=MUTED, alpha=0.6,
           label=_("observed"))
    mid = (table["bin_low"] + table["bin_high"]) / 2
    ax.plot(mid, table["expected"], color=ACCENT, marker=".", label=_("Gamma-Gamma model"))
    ax.legend()
    unit = f" ({currency})" if currency else ""
    ax.set(xlabel=_("mean spend per repeat purchase") + unit, ylabel=_("density"), title=_("Gamma-Gamma fit: spend"))
    return ax


def plot_clv_intervals(table: pd.DataFrame, *, ax: Axes | None = None, measure: str = "clv", top: int = 30) -> Axes:
    """The ``top`` customers by estimate with their bootstrap intervals (input: ``CLVIntervals.table``)."""
    _need(table, ["customer_id", "measure", "estimate", "ci_low", "ci_high"], "cxlab.clv.clv_intervals")
    ax = get_ax(ax, figsize=(7, max(3.0, 0.18 * top)))
    rows = table[table["measure"] == measure].nlargest(top, "estimate").iloc[::-1]
    pos = np.arange(len(rows))
    ax.hlines(pos, rows["ci_low"], rows["ci_high"], color=MUTED, linewidth=2, label=_("interval"))
    ax.plot(rows["estimate"], pos, "o", color=ACCENT, label=_("estimate"))
    ax.set_yticks(pos, rows["customer_id"].astype(str))
    ax.legend(loc="lower right")
    title = ngettext("Top {n} customer: {measure} with interval", "Top {n} customers: {measure} with interval",
                     len(rows)).format(n=len(rows), measure=measure if get_language() == "en" else _measure(measure))
    ax.set(xlabel=_measure(measure), ylabel=_("customer"), title=title)
    return ax
