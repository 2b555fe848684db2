"""``segment_explorer``: choose features, method and number of segments; profiles and scatter update.

Computation: :func:`cxlab.segmentation.cluster_customers` with the same defaults as a
direct call (so the explorer and the static table agree at the same settings), cached per
setting. Drawing: :func:`cxlab.plots.segments.draw_profile_heatmap` and
:class:`cxlab.plots.segments.SegmentScatterChart`, the drawings of
:func:`cxlab.plots.segments.plot_cluster_profiles` and :func:`cxlab.plots.segments.plot_segment_scatter`.

The widget works on the per-customer feature table (:func:`cxlab.segmentation.customer_features`),
never on raw transactions. Above ``max_customers`` customers it clusters a fixed random
sample (and says so), so that a change stays interactive.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlab import segmentation as _seg
from cxlab.errors import CXLabError
from cxlab.plots.segments import SegmentScatterChart, draw_profile_heatmap
from cxlab.widgets._base import Explorer, FigureImage, html_table, require_ipywidgets

__all__ = ["segment_explorer", "SegmentExplorer"]

widgets = require_ipywidgets()


class SegmentExplorer(Explorer):
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

    description = "Segment explorer"

    def __init__(self, features: pd.DataFrame, *, columns: Sequence[str] | None, method: str, k: int,
                 k_range: tuple[int, int], max_customers: int, random_state: int) -> None:
        self.sampled = len(features) > max_customers
        total = len(features)
        if self.sampled:
            rng = np.random.default_rng(random_state)
            features = features.iloc[np.sort(rng.choice(len(features), max_customers, replace=False))]
        self._features = features
        self._random_state = random_state
        self._note = (f" · clustered on a random sample of {len(features):,} of {total:,} customers"
                      if self.sampled else "")
        numeric = list(features.select_dtypes("number").columns)
        chosen = list(columns) if columns is not None else _seg.default_cluster_columns(features)
        bad = [c for c in chosen if c not in numeric]
        if bad:
            raise CXLabError(f"feature(s) {', '.join(bad)} are not numeric columns of the table", column=bad[0],
                             fix="pick columns of cxlab.segmentation.customer_features")
        controls = {
            "features": widgets.SelectMultiple(options=numeric, value=tuple(chosen), rows=min(10, len(numeric)),
                                               description="features"),
            "method": widgets.Dropdown(options=[("k-means", "kmeans"), ("Gaussian mixture", "gmm")],
                                       value=method, description="method"),
            "k": widgets.IntSlider(value=k, min=k_range[0], max=k_range[1], description="segments",
                                   continuous_update=False),
        }
        self.status = widgets.HTML()
        figure = FigureImage(figsize=(11.0, 4.2), nrows=1, ncols=2)
        self.scatter = SegmentScatterChart(figure.axes[1])
        self.table = widgets.HTML()
        self.result: _seg.Segmentation | None = None
        rows = [widgets.HBox([controls["features"], widgets.VBox([controls["method"], controls["k"], self.status])])]
        super().__init__(controls, figure, rows=rows, below=[self.table])
        self.update()

    def segmentation(self, columns: tuple[str, ...], method: str, k: int) -> _seg.Segmentation:
        """The clustering at these settings (computed once, then cached)."""
        return self.cached(("clusters", columns, method, k), lambda: _seg.cluster_customers(
            self._features, method=method, k=k, columns=list(columns), random_state=self._random_state))

    def render(self) -> bool:
        cols = tuple(self.controls["features"].value)
        if len(cols) < 2:
            self.status.value = "<i>choose at least two features</i>"
            return False
        res = self.segmentation(cols, self.controls["method"].value, int(self.controls["k"].value))
        self.result = res
        ax_p = self.figure.axes[0]
        ax_p.clear()
        draw_profile_heatmap(ax_p, res.profiles, annotate=len(cols) <= 12)
        self.scatter.update(res.table)
        self.status.value = f"{len(res.table):,} customers · silhouette {res.silhouette:.2f}{self._note}"
        self.table.value = html_table(res.sizes, float_format="{:,.2f}")
        return True


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

    At the same ``columns``, ``method``, ``k`` and ``random_state`` it shows exactly what
    :func:`cxlab.segmentation.cluster_customers` returns (unless the table has more than
    ``max_customers`` customers: then a sample is clustered and the status line says so).

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
    random_state
        Seed of the clustering (and of the sample).

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
