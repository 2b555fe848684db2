"""Figures of behavioural segmentation. They draw result tables of :mod:`cxlab.segmentation`
and compute nothing (beyond reshaping a long table into the grid a heatmap needs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm

from cxlab.errors import CXLabError
from cxlab.plots._style import ACCENT, MUTED, SEQUENTIAL_CMAP, get_ax

__all__ = ["plot_rfm_heatmap", "plot_segment_sizes", "plot_lorenz", "plot_cluster_profiles",
           "plot_migration", "draw_profile_heatmap", "plot_segment_scatter", "SegmentScatterChart"]


def _need(table: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in table.columns]
    if missing:
        raise CXLabError(f"the table lacks column(s) {', '.join(missing)}", column=missing[0],
                         fix=f"pass the output of cxlab.segmentation.{what}")


def _annotate(ax: Axes, values: np.ndarray, labels: np.ndarray, im) -> None:
    norm = im.norm
    for (i, j), text in np.ndenumerate(labels):
        if text == "":
            continue
        v = values[i, j]
        dark = np.isfinite(v) and norm(v) > 0.6
        ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white" if dark else "black")


def plot_rfm_heatmap(grid: pd.DataFrame, *, value: str = "n", x: str = "f_score", ax: Axes | None = None,
                     annotate: bool = True) -> Axes:
    """Heatmap of the R x F score grid (:func:`cxlab.segmentation.rfm_grid`).

    Parameters
    ----------
    grid
        ``r_score``, ``f_score`` (or ``x``) and the value column.
    value
        Column to colour by: ``"n"`` (customers), ``"share"`` or ``"mean_revenue"``.
    """
    _need(grid, ["r_score", x, value], "rfm_grid")
    ax = get_ax(ax, figsize=(6.0, 5.0))
    mat = grid.pivot(index="r_score", columns=x, values=value).sort_index(ascending=False)
    vals = mat.to_numpy(dtype=float)
    im = ax.imshow(vals, cmap=SEQUENTIAL_CMAP, aspect="auto")
    ax.set_xticks(range(mat.shape[1]), [f"{c:g}" for c in mat.columns])
    ax.set_yticks(range(mat.shape[0]), [f"{r:g}" for r in mat.index])
    ax.set_xlabel("frequency score" if x == "f_score" else x.replace("_", " "))
    ax.set_ylabel("recency score (5 = most recent)")
    ax.set_title(f"RFM grid: {value.replace('_', ' ')}")
    ax.grid(False)
    if annotate:
        fmt = "{:.0%}" if value == "share" else "{:,.0f}"
        labels = np.array([[fmt.format(v) if np.isfinite(v) else "" for v in row] for row in vals])
        _annotate(ax, vals, labels, im)
    ax.figure.colorbar(im, ax=ax, shrink=0.8, label=value.replace("_", " "))
    return ax


def plot_segment_sizes(summary: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Share of customers beside share of revenue for each segment (:func:`segment_summary`)."""
    _need(summary, ["segment", "share", "revenue_share"], "segment_summary")
    ax = get_ax(ax, figsize=(7.0, 0.45 * len(summary) + 1.5))
    y = np.arange(len(summary))
    h = 0.4
    ax.barh(y - h / 2, summary["share"], height=h, color=MUTED, label="customers")
    ax.barh(y + h / 2, summary["revenue_share"], height=h, color=ACCENT, label="revenue")
    ax.set_yticks(y, summary["segment"].astype(str))
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel("share of total")
    ax.set_title("Segments: share of customers and of revenue")
    ax.legend(loc="lower right", frameon=False)
    return ax


def plot_lorenz(lorenz: pd.DataFrame, *, gini: float | None = None, ax: Axes | None = None) -> Axes:
    """Lorenz curve of revenue with the line of equality (:func:`lorenz_curve`)."""
    _need(lorenz, ["customer_share", "revenue_share"], "lorenz_curve")
    ax = get_ax(ax, figsize=(5.0, 5.0))
    ax.plot([0, 1], [0, 1], color=MUTED, linestyle="--", linewidth=1, label="equal revenue per customer")
    ax.plot(lorenz["customer_share"], lorenz["revenue_share"], color=ACCENT, linewidth=2, label="Lorenz curve")
    ax.fill_between(lorenz["customer_share"], lorenz["revenue_share"], lorenz["customer_share"],
                    color=ACCENT, alpha=0.12)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel("customers, from lowest to highest revenue")
    ax.set_ylabel("cumulative share of revenue")
    ax.set_title("Revenue concentration" + (f" (Gini {gini:.2f})" if gini is not None else ""))
    ax.legend(loc="upper left", frameon=False)
    return ax


def draw_profile_heatmap(ax: Axes, profiles: pd.DataFrame, *, annotate: bool = True):
    """Draw the profile heatmap on ``ax`` and return the image (used by the widget too)."""
    mat = profiles.pivot(index="segment", columns="feature", values="index")
    mat = mat[[f for f in dict.fromkeys(profiles["feature"])]]
    vals = mat.to_numpy(dtype=float)
    # colour on a log scale around 100 (twice the average and half of it look equally strong)
    colour = np.log2(np.clip(vals, 1, None) / 100.0)
    lim = max(1.0, float(np.nanmax(np.abs(colour))) if np.isfinite(colour).any() else 1.0)
    im = ax.imshow(colour, cmap="RdBu_r", norm=TwoSlopeNorm(0.0, -lim, lim), aspect="auto")
    ax.set_xticks(range(mat.shape[1]), [str(c) for c in mat.columns], rotation=45, ha="right")
    ax.set_yticks(range(mat.shape[0]), [f"segment {s}" for s in mat.index])
    ax.grid(False)
    ax.set_title("Segment profiles (index, 100 = average)")
    if annotate:
        for (i, j), v in np.ndenumerate(vals):
            if np.isfinite(v):
                strong = abs(colour[i, j]) > 0.6 * lim
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7,
                        color="white" if strong else "black")
    return im


class SegmentScatterChart:
    """Customers on their first two principal components, coloured by segment, redrawn in place.

    :func:`plot_segment_scatter` draws it once; the segment explorer keeps one and calls
    :meth:`update` with each new :class:`cxlab.segmentation.Segmentation` table.

    Parameters
    ----------
    ax
        Axes to draw on.
    """

    def __init__(self, ax: Axes) -> None:
        self.ax = ax
        self.points = ax.scatter([], [], c=[], s=8, cmap="tab10", vmin=0.5, vmax=10.5, alpha=0.7)
        self.legend = None
        ax.set_xlabel("principal component 1")
        ax.set_ylabel("principal component 2")
        ax.set_title("Customers by segment")

    def update(self, table: pd.DataFrame) -> Axes:
        """Redraw with ``Segmentation.table`` (columns ``segment``, ``pc1``, ``pc2``)."""
        _need(table, ["segment", "pc1", "pc2"], "cluster_customers(...).table")
        ax = self.ax
        xy = table[["pc1", "pc2"]].to_numpy(dtype=float)
        self.points.set_offsets(xy)
        self.points.set_array(table["segment"].to_numpy(dtype=float))
        ax.relim(visible_only=False)
        ax.update_datalim(xy)
        ax.autoscale_view()
        if self.legend is not None:
            self.legend.remove()
        k = int(table["segment"].max()) if len(table) else 0
        colour = self.points.cmap
        handles = [ax.scatter([], [], color=colour(self.points.norm(s)), s=20, label=f"segment {s}")
                   for s in range(1, k + 1)]
        self.legend = ax.legend(handles=handles, loc="best", fontsize=7, frameon=False)
        for h in handles:
            h.remove()
        return ax


def plot_segment_scatter(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Customers on the first two principal components, coloured by segment (``Segmentation.table``).

    See Also
    --------
    SegmentScatterChart : the same drawing, kept for redrawing (used by the segment explorer).
    """
    return SegmentScatterChart(get_ax(ax, figsize=(6.0, 5.0))).update(table)


def plot_cluster_profiles(profiles: pd.DataFrame, *, ax: Axes | None = None, annotate: bool = True) -> Axes:
    """Heatmap of segment means as an index of the overall mean (:func:`profile_table`).

    Red: above average, blue: below; colour on a log2 scale so that 200 and 50 are
    equally strong. Each cell shows the index.
    """
    _need(profiles, ["segment", "feature", "index"], "profile_table")
    n_feat = profiles["feature"].nunique()
    ax = get_ax(ax, figsize=(max(6.0, 0.5 * n_feat + 2), 0.5 * profiles["segment"].nunique() + 2))
    draw_profile_heatmap(ax, profiles, annotate=annotate)
    return ax


def plot_migration(migration: pd.DataFrame, *, value: str = "share", ax: Axes | None = None,
                   annotate: bool = True) -> Axes:
    """Heatmap of movements between segments (:func:`migration_matrix`): rows = from, columns = to."""
    _need(migration, ["from_segment", "to_segment", value], "migration_matrix")
    order_from = list(dict.fromkeys(migration["from_segment"]))
    order_to = list(dict.fromkeys(migration["to_segment"]))
    mat = migration.pivot(index="from_segment", columns="to_segment", values=value).reindex(
        index=order_from, columns=order_to)
    ax = get_ax(ax, figsize=(0.6 * len(order_to) + 3, 0.45 * len(order_from) + 2))
    vals = mat.to_numpy(dtype=float)
    im = ax.imshow(vals, cmap=SEQUENTIAL_CMAP, aspect="auto", vmin=0)
    ax.set_xticks(range(len(order_to)), order_to, rotation=45, ha="right")
    ax.set_yticks(range(len(order_from)), order_from)
    ax.set_xlabel("segment in the later period")
    ax.set_ylabel("segment in the earlier period")
    ax.set_title("Segment migration" + (" (share of the row)" if value == "share" else ""))
    ax.grid(False)
    if annotate:
        fmt = "{:.0%}" if value == "share" else "{:,.0f}"
        labels = np.array([[fmt.format(v) if np.isfinite(v) and v > 0 else "" for v in row] for row in vals])
        _annotate(ax, vals, labels, im)
    return ax
