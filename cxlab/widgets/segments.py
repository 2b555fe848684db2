"""``segment_explorer``: choose features, method and number of segments; profiles and scatter update.

The widget works on the per-customer feature table (:func:`cxlab.segmentation.customer_features`),
never on raw transactions. For large customer bases it clusters a fixed random sample of
customers (``max_customers``), so each change takes well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlab import segmentation as _seg
from cxlab.segmentation.clusters import _default_columns
from cxlab.errors import CXLabError
from cxlab.plots.segments import draw_profile_heatmap
from cxlab.widgets._base import FigureImage, html_table, require_ipywidgets

__all__ = ["segment_explorer", "SegmentExplorer"]

widgets = require_ipywidgets()


class SegmentExplorer(widgets.VBox):
    """The explorer: controls on top, profile heatmap and scatter, then the segment sizes.

    Attributes
    ----------
    controls
        Dict of the controls: ``features`` (SelectMultiple), ``method`` (Dropdown), ``k`` (IntSlider).
    figure
        The :class:`~cxlab.widgets._base.FigureImage` (``figure.axes[0]``: profiles,
        ``figure.axes[1]``: scatter of the first two principal components).
    table
        ``ipywidgets.HTML`` with the segment sizes.
    result
        The current :class:`cxlab.segmentation.Segmentation`.
    """

    def __init__(self, features: pd.DataFrame, *, columns: Sequence[str] | None, method: str, k: int,
                 k_range: tuple[int, int], max_customers: int, random_state: int) -> None:
        if len(features) > max_customers:
            rng = np.random.default_rng(random_state)
            features = features.iloc[np.sort(rng.choice(len(features), max_customers, replace=False))]
        self._features = features
        self._random_state = random_state
        numeric = list(features.select_dtypes("number").columns)
        chosen = list(columns) if columns is not None else _default_columns(features)
        bad = [c for c in chosen if c not in numeric]
        if bad:
            raise CXLabError(f"feature(s) {', '.join(bad)} are not numeric columns of the table", column=bad[0],
                             fix="pick columns of cxlab.segmentation.customer_features")
        self.controls = {
            "features": widgets.SelectMultiple(options=numeric, value=tuple(chosen), rows=min(10, len(numeric)),
                                               description="features"),
            "method": widgets.Dropdown(options=[("k-means", "kmeans"), ("Gaussian mixture", "gmm")],
                                       value=method, description="method"),
            "k": widgets.IntSlider(value=k, min=k_range[0], max=k_range[1], description="segments",
                                   continuous_update=False),
        }
        self.status = widgets.HTML()
        self.figure = FigureImage(figsize=(11.0, 4.2), nrows=1, ncols=2)
        self.table = widgets.HTML()
        ax_s = self.figure.axes[1]
        self._scatter = ax_s.scatter([], [], c=[], s=8, cmap="tab10", vmin=0.5, vmax=10.5, alpha=0.7)
        ax_s.set_xlabel("principal component 1")
        ax_s.set_ylabel("principal component 2")
        ax_s.set_title("Customers by segment")
        self._legend = None
        self.result: _seg.Segmentation | None = None
        for c in self.controls.values():
            c.observe(self._update, names="value")
        super().__init__([widgets.HBox([self.controls["features"],
                                        widgets.VBox([self.controls["method"], self.controls["k"], self.status])]),
                          self.figure.image, self.table])
        self._update()

    def _update(self, change=None) -> None:
        cols = list(self.controls["features"].value)
        if len(cols) < 2:
            self.status.value = "<i>choose at least two features</i>"
            return
        res = _seg.cluster_customers(self._features, method=self.controls["method"].value,
                                     k=int(self.controls["k"].value), columns=cols,
                                     random_state=self._random_state, n_init=4)
        self.result = res
        ax_p, ax_s = self.figure.axes
        ax_p.clear()
        draw_profile_heatmap(ax_p, res.profiles, annotate=len(cols) <= 12)
        self._scatter.set_offsets(res.table[["pc1", "pc2"]].to_numpy())
        self._scatter.set_array(res.table["segment"].to_numpy(dtype=float))
        ax_s.relim(visible_only=False)
        ax_s.update_datalim(res.table[["pc1", "pc2"]].to_numpy())
        ax_s.autoscale_view()
        if self._legend is not None:
            self._legend.remove()
        handles = [ax_s.scatter([], [], color=self._scatter.cmap(self._scatter.norm(s)), s=20, label=f"segment {s}")
                   for s in range(1, res.k + 1)]
        self._legend = ax_s.legend(handles=handles, loc="best", fontsize=7, frameon=False)
        for h in handles:
            h.remove()
        self.status.value = (f"{len(res.table):,} customers · silhouette {res.silhouette:.2f}")
        self.table.value = html_table(res.sizes, float_format="{:,.2f}")
        self.figure.refresh()


def segment_explorer(
    features: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    method: str = "kmeans",
    k: int = 5,
    k_range: tuple[int, int] = (2, 10),
    max_customers: int = 5_000,
    random_state: int = 0,
) -> SegmentExplorer:
    """Interactive segmentation explorer (returned, not displayed).

    Parameters
    ----------
    features
        Per-customer features, e.g. :func:`cxlab.segmentation.customer_features`.
    columns
        Features selected at the start (default: RFM plus category and channel mix).
    method, k
        Starting method (``"kmeans"`` or ``"gmm"``) and number of segments.
    k_range
        Range of the segments slider.
    max_customers
        Cluster a fixed random sample of at most this many customers (keeps it interactive).

    Returns
    -------
    SegmentExplorer
        An ``ipywidgets.VBox``; set ``.controls[...].value`` to change it, read ``.result``.
    """
    if not isinstance(features, pd.DataFrame) or len(features) < 10:
        raise CXLabError("segment_explorer needs a per-customer feature table with at least 10 customers",
                         fix="build it with cxlab.segmentation.customer_features(transactions)")
    if method not in ("kmeans", "gmm"):
        raise CXLabError(f"method={method!r} is not known", fix="use 'kmeans' or 'gmm'")
    if not k_range[0] <= k <= k_range[1]:
        raise CXLabError(f"k={k} is outside k_range={k_range}", fix="choose k inside the slider range")
    return SegmentExplorer(features, columns=columns, method=method, k=k, k_range=k_range,
                           max_customers=max_customers, random_state=random_state)
