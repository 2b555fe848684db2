"""Figures for every theme (seaborn / matplotlib). Plot functions draw; they compute nothing.

Every ``plot_*`` function takes a tidy result table (from the analysis modules) first,
accepts ``ax=None`` and returns the matplotlib ``Axes`` it drew on. The theme is opt-in::

    import cxlab.plots
    cxlab.plots.set_theme()
"""

from cxlab.plots._style import (
    CHANNEL_ORDER,
    NPS_CLASS_ORDER,
    NPS_PALETTE,
    SEQUENTIAL_CMAP,
    get_ax,
    set_theme,
)

__all__ = ["CHANNEL_ORDER", "NPS_CLASS_ORDER", "NPS_PALETTE", "SEQUENTIAL_CMAP", "get_ax", "set_theme"]
