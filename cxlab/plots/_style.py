"""Shared look of cxlab figures: the fixed palette and an opt-in theme."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from cxlab.schema import CHANNELS

__all__ = ["NPS_PALETTE", "NPS_CLASS_ORDER", "CHANNEL_ORDER", "SEQUENTIAL_CMAP", "ACCENT", "MUTED",
           "set_theme", "get_ax"]

#: Detractor / passive / promoter colours, used by every NPS figure (colour-blind safe).
NPS_PALETTE: dict[str, str] = {"detractor": "#d55e00", "passive": "#bdbdbd", "promoter": "#0072b2"}
NPS_CLASS_ORDER: tuple[str, ...] = ("detractor", "passive", "promoter")
CHANNEL_ORDER: tuple[str, ...] = CHANNELS
SEQUENTIAL_CMAP = "Blues"
ACCENT = "#0072b2"
MUTED = "#7f7f7f"


def set_theme(context: str = "notebook", font_scale: float = 1.0) -> None:
    """Opt-in cxlab look (seaborn whitegrid, readable sizes). Never called on import."""
    import seaborn as sns

    sns.set_theme(context=context, style="whitegrid", font_scale=font_scale)
    plt.rcParams.update({"figure.dpi": 100, "axes.titleweight": "bold", "axes.spines.right": False,
                         "axes.spines.top": False})


def get_ax(ax: Axes | None = None, figsize: tuple[float, float] = (7.0, 4.0)) -> Axes:
    """Return ``ax``, or a new Axes on a new figure of ``figsize``; its number ticks in the active language."""
    if ax is None:
        ax = plt.subplots(figsize=figsize)[1]
    from cxlab.plots._text import localise_numbers

    localise_numbers(ax)
    return ax
