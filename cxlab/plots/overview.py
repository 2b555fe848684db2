"""Figures for the first look at the data (notebook 00)."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from cxlab.plots._style import CHANNEL_ORDER, get_ax
from cxlab.plots._text import _, date_formatter, vocab

__all__ = ["plot_monthly_activity", "plot_channel_mix"]


def plot_monthly_activity(activity: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Line per table of rows per month (input: :func:`cxlab.overview.monthly_activity`)."""
    ax = get_ax(ax, figsize=(8, 3.5))
    sns.lineplot(data=activity, x="month", y="n", hue="table", marker="o", ax=ax)
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(date_formatter(locator))
    ax.set(xlabel=_("month"), ylabel=_("rows per month"), title=_("Activity over time"))
    _legend_in_language(ax)
    return ax


def plot_channel_mix(mix: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Grouped bars: share of rows by channel in each table (input: :func:`cxlab.overview.channel_mix`)."""
    ax = get_ax(ax, figsize=(8, 3.5))
    seen = set(mix["channel"])
    order = [c for c in CHANNEL_ORDER if c in seen] + sorted(seen - set(CHANNEL_ORDER))  # the user's own last
    sns.barplot(data=mix, x="channel", y="share", hue="table", order=order, ax=ax)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xticks(ax.get_xticks(), [vocab(t.get_text()) for t in ax.get_xticklabels()])
    ax.set(xlabel=_("channel"), ylabel=_("share of rows"), title=_("Where customers meet the company"))
    _legend_in_language(ax)
    return ax


def _legend_in_language(ax: Axes) -> None:
    """The legend seaborn wrote (title ``table``, one entry per table) in the active language."""
    legend = ax.get_legend()
    if legend is None:
        return
    legend.set_title(_("table"))
    for text in legend.get_texts():
        text.set_text(vocab(text.get_text(), readable=True))
