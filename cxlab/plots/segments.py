"""Figures of behavioural segmentation. They draw result tables of :mod:`cxlab.segmentation`
and compute nothing (beyond reshaping a long table into the grid a heatmap needs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm

from cxlab.errors import CXLabError
from cxlab.plots._style import ACCENT, MUTED, SEQUENTIAL_CMAP, get_ax
from cxlab.plots._text import N_, _, count, get_language, localise_colorbar, num, pct, vocab

__all__ = ["plot_rfm_heatmap", "plot_segment_sizes", "plot_lorenz", "plot_cluster_profiles",
           "plot_migration", "draw_profile_heatmap", "ProfileHeatmapChart", "plot_segment_scatter",
           "SegmentScatterChart"]


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


#: What an RFM grid cell can be coloured by (the column names of :func:`cxlab.segmentation.rfm_grid`).
_GRID_VALUES = {"n": N_("customers"), "share": N_("share of customers"), "mean_revenue": N_("mean revenue")}


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
    ax.set_xlabel(_("frequency score") if x == "f_score" else _("monetary score") if x == "m_score"
                  else x.replace("_", " "))
    ax.set_ylabel(_("recency score (5 = most recent)"))
    # English keeps the column name ("RFM grid: n"); another language names what is counted
    what = _(_GRID_VALUES[value]) if value in _GRID_VALUES and get_language() != "en" else value.replace("_", " ")
    ax.set_title(_("RFM grid: {value}").format(value=what))
    ax.grid(False)
    if annotate:
        fmt = pct if value == "share" else count
        labels = np.array([[fmt(v) if np.isfinite(v) else "" for v in row] for row in vals])
        _annotate(ax, vals, labels, im)
    localise_colorbar(ax.figure.colorbar(im, ax=ax, shrink=0.8, label=what))
    return ax


def plot_segment_sizes(summary: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Share of customers beside share of revenue for each segment (:func:`segment_summary`)."""
    _need(summary, ["segment", "share", "revenue_share"], "segment_summary")
    ax = get_ax(ax, figsize=(7.0, 0.45 * len(summary) + 1.5))
    y = np.arange(len(summary))
    h = 0.4
    ax.barh(y - h / 2, summary["share"], height=h, color=MUTED, label=_("customers"))
    ax.barh(y + h / 2, summary["revenue_share"], height=h, color=ACCENT, label=_("revenue"))
    ax.set_yticks(y, [vocab(s) for s in summary["segment"]])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(lambda v, _pos: pct(v))
    ax.set_xlabel(_("share of total"))
    ax.set_title(_("Segments: share of customers and of revenue"))
    ax.legend(loc="lower right", frameon=False)
    return ax


def plot_lorenz(lorenz: pd.DataFrame, *, gini: float | None = None, ax: Axes | None = None) -> Axes:
    """Lorenz curve of revenue with the line of equality (:func:`lorenz_curve`)."""
    _need(lorenz, ["customer_share", "revenue_share"], "lorenz_curve")
    ax = get_ax(ax, figsize=(5.0, 5.0))
    ax.plot([0, 1], [0, 1], color=MUTED, linestyle="--", linewidth=1, label=_("equal revenue per customer"))
    ax.plot(lorenz["customer_share"], lorenz["revenue_share"], color=ACCENT, linewidth=2, label=_("Lorenz curve"))
    ax.fill_between(lorenz["customer_share"], lorenz["revenue_share"], lorenz["customer_share"],
                    color=ACCENT, alpha=0.12)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _pos: pct(v))
    ax.yaxis.set_major_formatter(lambda v, _pos: pct(v))
    ax.set_xlabel(_("customers, from lowest to highest revenue"))
    ax.set_ylabel(_("cumulative share of revenue"))
    ax.set_title(_("Revenue concentration") if gini is None else
                 _("Revenue concentration (Gini {gini})").format(gini=num(gini, 2)))
    ax.legend(loc="upper left", frameon=False)
    return ax


def _profile_grid(profiles: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, float]:
    """The segment x feature grid of indices, its log2 colour values and the colour limit."""
    mat = profiles.pivot(index="segment", columns="feature", values="index")
    mat = mat[[f for f in dict.fromkeys(profiles["feature"])]]
    vals = mat.to_numpy(dtype=float)
    # colour on a log scale around 100 (twice the average and half of it look equally strong)
    colour = np.log2(np.clip(vals, 1, None) / 100.0)
    lim = max(1.0, float(np.nanmax(np.abs(colour))) if np.isfinite(colour).any() else 1.0)
    return mat, vals, colour, lim


class ProfileHeatmapChart:
    """Segment profiles as a heatmap of indices (100 = average), redrawn in place.

    :func:`plot_cluster_profiles` draws it once; the segment explorer keeps one and calls
    :meth:`update` with each new profile table. While the segments and features stay the
    same, only the image and the numbers in the cells change.

    Parameters
    ----------
    ax
        Axes to draw on.
    annotate
        Print the index in each cell.
    """

    def __init__(self, ax: Axes, *, annotate: bool = True) -> None:
        self.ax = ax
        self.annotate = annotate
        self.image = None
        self.texts: list = []
        self.row_labels: list = []
        self._row_pool: list = []
        self._cell_pool: list = []
        self.shape: tuple = ()
        self._labels: tuple = ()
        self._title = _("Segment profiles (index, 100 = average)")
        self._segment = _("segment {segment}")

    def update(self, profiles: pd.DataFrame, *, annotate: bool | None = None):
        """Show ``profiles`` (:func:`cxlab.segmentation.profile_table`); returns the image.

        ``annotate`` (default: as constructed) prints the index in each cell.
        """
        from matplotlib.transforms import offset_copy

        _need(profiles, ["segment", "feature", "index"], "profile_table")
        ax = self.ax
        if annotate is not None and bool(annotate) != self.annotate:
            self.annotate = bool(annotate)
            self.shape = ()  # the cell texts are made again below
        mat, vals, colour, lim = _profile_grid(profiles)
        features = tuple(str(c) for c in mat.columns)
        rows = [self._segment.format(segment=s) for s in mat.index]
        norm = TwoSlopeNorm(0.0, -lim, lim)
        if self.image is None or features != self._labels:
            if self.image is not None:  # other features: lay the axes out again
                ax.clear()
            self.image = ax.imshow(colour, cmap="RdBu_r", norm=norm, aspect="auto")
            ax.set_xticks(range(mat.shape[1]), list(features), rotation=45, ha="right")
            # the segment names are texts beside the rows, not tick labels: the number of
            # segments changes them, and the axis (with its slanted feature names) stays
            ax.set_yticks([])
            ax.grid(False)
            ax.set_title(self._title)
            self._row_transform = offset_copy(ax.get_yaxis_transform(), fig=ax.figure, x=-4, y=0, units="points")
            self._row_pool, self._cell_pool = [], []
            self._labels = features
            self.shape = ()
        elif vals.shape != self.shape:
            self.image.remove()
            self.image = ax.imshow(colour, cmap="RdBu_r", norm=norm, aspect="auto")
        else:
            self.image.set_data(colour)
            self.image.set_norm(norm)
        if vals.shape != self.shape:  # another number of segments: one label per row, one number per cell
            n_rows, n_cols = mat.shape
            while len(self._row_pool) < n_rows:  # texts are kept and reused (making them costs more than drawing)
                self._row_pool.append(ax.text(0, len(self._row_pool), "", ha="right", va="center",
                                              transform=self._row_transform))
            self.row_labels = self._row_pool[:n_rows]
            for i, t in enumerate(self._row_pool):
                t.set_visible(i < n_rows)
            cells = n_rows * n_cols if self.annotate else 0
            while len(self._cell_pool) < cells:
                self._cell_pool.append(ax.text(0, 0, "", ha="center", va="center", fontsize=7))
            self.texts = self._cell_pool[:cells]
            for i, t in enumerate(self._cell_pool):
                t.set_visible(i < cells)
            for t, (i, j) in zip(self.texts, np.ndindex(n_rows, n_cols)):
                t.set_position((j, i))
            ax.set_ylim(n_rows - 0.5, -0.5)
            self.shape = vals.shape
        for text, label in zip(self.row_labels, rows):
            text.set_text(label)
        for text, ((i, j), v) in zip(self.texts, np.ndenumerate(vals)):
            if np.isfinite(v):
                text.set_text(f"{v:.0f}")
                text.set_color("white" if abs(colour[i, j]) > 0.6 * lim else "black")
            else:
                text.set_text("")
        return self.image

    @property
    def dynamic(self) -> list:
        """The artists an update changes while features and number of segments stay: image and numbers."""
        return [self.image, *self.texts] if self.image is not None else []

    def static_key(self) -> tuple:
        """What the rest of the drawing depends on: the feature names and the segment names.

        The segment names depend only on the number of segments, so they are kept in the
        background (one per number of segments) rather than drawn on every change: drawing
        a text costs a millisecond or two, more than the image.
        """
        return (self._labels, self.shape[:1])


def draw_profile_heatmap(ax: Axes, profiles: pd.DataFrame, *, annotate: bool = True):
    """Draw the profile heatmap on ``ax`` and return the image (see :class:`ProfileHeatmapChart`)."""
    return ProfileHeatmapChart(ax, annotate=annotate).update(profiles)


class SegmentScatterChart:
    """Customers on their first two principal components, coloured by segment, redrawn in place.

    :func:`plot_segment_scatter` draws it once; the segment explorer keeps one and calls
    :meth:`update` with each new :class:`cxlab.segmentation.Segmentation` table. Each segment
    is one set of markers (a ``Line2D``, segment ``s`` in colour ``tab10(s - 1)``): drawn as
    stamped markers, a few milliseconds for thousands of customers where a scatter collection
    of the same points takes tens.

    Parameters
    ----------
    ax
        Axes to draw on.
    max_segments
        Marker sets kept (segments beyond it share the last colour).
    """

    def __init__(self, ax: Axes, *, max_segments: int = 10) -> None:
        import matplotlib

        self.ax = ax
        cmap = matplotlib.colormaps["tab10"]
        size = np.sqrt(8.0)
        self.lines = [ax.plot([], [], "o", ms=size, mew=1.0, color=cmap(i % 10), alpha=0.7, linestyle="none",
                              label=_("segment {segment}").format(segment=i + 1))[0] for i in range(max_segments)]
        #: Segment of each customer as shown (data order), after :meth:`update`.
        self.segments = np.array([], dtype=np.int64)
        self.legend = None
        self._k = 0
        ax.set_xlabel(_("principal component {k}").format(k=1))
        ax.set_ylabel(_("principal component {k}").format(k=2))
        ax.set_title(_("Customers by segment"))

    def update(self, table: pd.DataFrame) -> Axes:
        """Redraw with ``Segmentation.table`` (columns ``segment``, ``pc1``, ``pc2``)."""
        _need(table, ["segment", "pc1", "pc2"], "cluster_customers(...).table")
        ax = self.ax
        xy = table[["pc1", "pc2"]].to_numpy(dtype=float)
        seg = table["segment"].to_numpy(dtype=np.int64)
        self.segments = seg
        last = len(self.lines)
        for i, line in enumerate(self.lines):
            mine = (seg == i + 1) if i + 1 < last else (seg >= last)
            line.set_data(xy[mine, 0], xy[mine, 1])
        if len(xy):
            low, high = xy.min(axis=0), xy.max(axis=0)
            pad = 0.05 * np.where(high > low, high - low, 1.0)
            limits = ((low[0] - pad[0], high[0] + pad[0]), (low[1] - pad[1], high[1] + pad[1]))
            if limits != (ax.get_xlim(), ax.get_ylim()):
                ax.set_xlim(*limits[0])
                ax.set_ylim(*limits[1])
        k = int(seg.max()) if len(seg) else 0
        if k != self._k or self.legend is None:
            if self.legend is not None:
                self.legend.remove()
            # beside the plot, not over the customers: a fixed place ("best" would search the
            # thousands of markers for a free corner on every draw)
            self.legend = ax.legend(handles=self.lines[:min(k, last)], loc="upper left", bbox_to_anchor=(1.0, 1.0),
                                    fontsize=7, frameon=False, borderaxespad=0.3)
            self._k = k
        return ax

    @property
    def dynamic(self) -> list:
        """The artists an update changes while the features and the number of segments stay: the markers."""
        return list(self.lines)

    def static_key(self) -> tuple:
        """What the rest of the drawing depends on: the axis limits and the legend (the number of segments)."""
        return (self.ax.get_xlim(), self.ax.get_ylim(), self._k)


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
    ax.set_xticks(range(len(order_to)), [vocab(s) for s in order_to], rotation=45, ha="right")
    ax.set_yticks(range(len(order_from)), [vocab(s) for s in order_from])
    ax.set_xlabel(_("segment in the later period"))
    ax.set_ylabel(_("segment in the earlier period"))
    ax.set_title(_("Segment migration (share of the row)") if value == "share" else _("Segment migration"))
    ax.grid(False)
    if annotate:
        fmt = pct if value == "share" else count
        labels = np.array([[fmt(v) if np.isfinite(v) and v > 0 else "" for v in row] for row in vals])
        _annotate(ax, vals, labels, im)
    return ax
