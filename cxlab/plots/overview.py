"""Figures for the first look at the data (notebook 00)."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from cxlab.plots._style import CHANNEL_ORDER, get_ax

__all__ = ["plot_monthly_activity", "plot_channel_mix"]


def plot_monthly_activity(activity: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Line per table of rows per month (input: :func:`cxlab.overview.monthly_activity`)."""
    ax = get_ax(ax, figsize=(8, 3.5))
    sns.lineplot(data=activity, x="month", y="n", hue="table", marker="o", ax=ax)
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set(xlabel="month", ylabel="rows per month", title="Activity over time")
    return ax


def plot_channel_mix(mix: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Grouped bars: share of rows by channel in each table (input: :func:`cxlab.overview.channel_mix`)."""
    ax = get_ax(ax, figsize=(8, 3.5))
    seen = set(mix["channel"])
    order = [c for c in CHANNEL_ORDER if c in seen] + sorted(seen - set(CHANNEL_ORDER))  # the user's own last
    sns.barplot(data=mix, x="channel", y="share", hue="table", order=order, ax=ax)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set(xlabel="channel", ylabel="share of rows", title="Where customers meet the company")
    return ax
