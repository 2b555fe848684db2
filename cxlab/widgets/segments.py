"""``segment_explorer``: choose features, method and number of segments; profiles and scatter update.

Computation: :func:`cxlab.segmentation.cluster_customers` with the same defaults as a
direct call (so the explorer and the static table agree at the same settings), fitted once
per setting, and ahead of time — in a separate low-priority worker process
(:class:`cxlab.widgets._fitworker.FitWorker`), so that the answers to the user's changes are not slowed —
for the settings likely to be chosen next. The silhouette width, the costly part of a fit,
follows the figure: the status line shows it a moment later. Drawing: :class:`cxlab.plots.segments.ProfileHeatmapChart` and
:class:`cxlab.plots.segments.SegmentScatterChart`, the drawings of
:func:`cxlab.plots.segments.plot_cluster_profiles` and :func:`cxlab.plots.segments.plot_segment_scatter`.

The widget works on the per-customer feature table (:func:`cxlab.segmentation.customer_features`),
never on raw transactions. Above ``max_customers`` customers it clusters a fixed random
sample (and says so), so that a change stays interactive.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from cxlab import segmentation as _seg
from cxlab.errors import CXLabError
from cxlab.plots.segments import ProfileHeatmapChart, SegmentScatterChart
from cxlab.widgets._fitworker import FitWorker
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
    heatmap, scatter
        The :class:`cxlab.plots.segments.ProfileHeatmapChart` and
        :class:`cxlab.plots.segments.SegmentScatterChart` it draws with.
    table
        ``ipywidgets.HTML`` with the segment sizes.
    profile_table
        ``ipywidgets.HTML`` with the profile indices the heatmap colours (100 = average).
    result
        The current :class:`cxlab.segmentation.Segmentation`.

    Notes
    -----
    Each clustering is fitted once per (features, method, k) and kept. From a user's first
    change on (or after :meth:`prefetch`), a worker process fits the settings a user is
    likely to choose next (the nearest numbers of segments, the other method, one feature
    more or less), so that those changes only redraw. The worker runs on one core at a
    lower priority, so it does not slow the answer to a change; where no process can be
    started, a background thread fits instead. Changing the number of segments or the
    method never refits a setting already fitted; the figure keeps its axes and labels and
    redraws only the image, the numbers and the markers. A setting fitted on the spot shows
    its segments at once and its silhouette width a moment later.
    """

    description = "Segment explorer"

    def __init__(self, features: pd.DataFrame, *, columns: Sequence[str] | None, method: str, k: int,
                 k_range: tuple[int, int], max_customers: int, random_state: int, precompute: bool) -> None:
        self.sampled = len(features) > max_customers
        total = len(features)
        if self.sampled:
            rng = np.random.default_rng(random_state)
            features = features.iloc[np.sort(rng.choice(len(features), max_customers, replace=False))]
        self._features = features
        self._random_state = random_state
        self._k_range = (int(k_range[0]), int(k_range[1]))
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
        # the indices are printed in the table under the figure, not in the cells: two dozen
        # numbers drawn on every change would take longer than everything else together
        self.heatmap = ProfileHeatmapChart(figure.axes[0], annotate=False)
        self.scatter = SegmentScatterChart(figure.axes[1], max_segments=max(10, k_range[1]))
        figure.set_dynamic(lambda: [*self.heatmap.dynamic, *self.scatter.dynamic],
                           lambda: (self.heatmap.static_key(), self.scatter.static_key()))
        self.table = widgets.HTML()
        self.profile_table = widgets.HTML()
        self._tables: dict = {}  # HTML of the sizes and profiles, by fitted setting
        self.result: _seg.Segmentation | None = None
        self._fits = _Fits(self._fit, background=precompute,
                           worker=lambda: FitWorker(self._features, self._random_state))
        self._armed = False
        self._silhouette_thread: threading.Thread | None = None
        rows = [widgets.HBox([controls["features"], widgets.VBox([controls["method"], controls["k"], self.status])])]
        super().__init__(controls, figure, rows=rows, below=[self.table, self.profile_table])
        self.update()

    def _fit(self, key: tuple) -> _seg.Segmentation:
        columns, method, k = key
        return _seg.cluster_customers(self._features, method=method, k=k, columns=list(columns),
                                      random_state=self._random_state)

    def segmentation(self, columns: tuple[str, ...], method: str, k: int) -> _seg.Segmentation:
        """The clustering at these settings (fitted once, then kept)."""
        return self._fits.get((tuple(columns), method, int(k)))

    def _likely_next(self, columns: tuple[str, ...], method: str, k: int) -> list[tuple]:
        """Settings worth fitting in the background, most likely first."""
        lo, hi = self._k_range
        other = "gmm" if method == "kmeans" else "kmeans"
        # a step of the slider or the other method first, then further steps, then a feature
        # more or less (each refits everything, so they come after the cheap neighbours)
        ranked = [(abs(v - k), 0, v, (columns, method, v)) for v in range(lo, hi + 1)]
        ranked += [(abs(v - k) + 1, 1, v, (columns, other, v)) for v in range(lo, hi + 1)]
        options = list(self.controls["features"].options)
        for i, f in enumerate(options):  # one feature more or less, in the order the list shows them
            cols = tuple(c for c in options if (c in columns) != (c == f))
            if len(cols) >= 2:
                ranked.append((2.5, 2, i, (cols, method, k)))
        return [key for *_, key in sorted(ranked, key=lambda r: r[:3])]

    def render(self) -> bool:
        cols = tuple(self.controls["features"].value)
        if len(cols) < 2:
            self.status.value = "<i>choose at least two features</i>"
            return False
        method, k = self.controls["method"].value, int(self.controls["k"].value)
        res = self.segmentation(cols, method, k)
        self.result = res
        self.heatmap.update(res.profiles)
        self.scatter.update(res.table)
        self._show_status(res)
        self.table.value, self.profile_table.value = self._html(res)
        if self._armed:
            self._fits.prefetch(self._likely_next(cols, method, k))
        return True

    def _html(self, res: _seg.Segmentation) -> tuple[str, str]:
        key = id(res)
        if key not in self._tables:
            grid = res.profiles.pivot(index="segment", columns="feature", values="index")
            grid = grid.reindex(columns=list(res.columns)).rename(index=lambda s: f"segment {s}")
            grid.index.name = None
            self._tables[key] = (html_table(res.sizes, float_format="{:,.2f}"),
                                 "<b>Profiles</b> (index, 100 = average)"
                                 + html_table(grid, float_format="{:,.0f}", index=True))
        return self._tables[key]

    def _show_status(self, res: _seg.Segmentation) -> None:
        if res.silhouette_known:
            self.status.value = f"{len(res.table):,} customers · silhouette {res.silhouette:.2f}{self._note}"
            return
        # the pairwise distances of the silhouette take longer than the fit: the segments are
        # shown now, the silhouette when it is ready (unless the user has moved on)
        self.status.value = f"{len(res.table):,} customers · silhouette …{self._note}"

        def fill() -> None:
            res.silhouette  # noqa: B018 - computed (and kept) here, off the answering thread
            if self.result is res:
                self._show_status(res)

        self._silhouette_thread = threading.Thread(target=fill, name="cxlab-silhouette", daemon=True)
        self._silhouette_thread.start()

    def _on_change(self, change=None) -> None:
        # fitting ahead starts with the first change a user makes: a notebook run for a report
        # (nobody at the controls) spends no CPU on settings nobody will choose
        self._armed = True
        super()._on_change(change)

    def prefetch(self) -> None:
        """Start fitting the likely next settings in the background now (not only after a first change)."""
        self._armed = True
        cols = tuple(self.controls["features"].value)
        if len(cols) >= 2:
            self._fits.prefetch(self._likely_next(cols, self.controls["method"].value, int(self.controls["k"].value)))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until the background fits and the silhouette shown are done (True) or ``timeout`` seconds passed."""
        thread = self._silhouette_thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return False
        return self._fits.wait_idle(timeout)

    def close(self) -> None:
        """Stop the background fitting, then close the widget."""
        self._fits.stop()
        super().close()


class _Fits:
    """Fitted clusterings by setting: computed once, on demand or ahead of time.

    The main thread asks :meth:`get` (fitted here, at once, if nobody has fitted it yet); a
    setting being fitted ahead is waited for rather than fitted twice. :meth:`prefetch`
    replaces the queue of guesses (a new control value makes the old guesses stale); one
    background thread works through it, handing each fit to the ``worker`` process
    (:class:`cxlab.widgets._fitworker.FitWorker`) or, where none can start, fitting it itself.
    """

    def __init__(self, fit: Callable, *, background: bool, worker: Callable[[], FitWorker] | None = None) -> None:
        self._fit = fit
        self._background = background
        self._start_worker = worker
        self._worker: FitWorker | None = None
        self._done: dict = {}
        self._running: dict = {}
        self._queue: list = []
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._stopped = False

    def get(self, key):
        with self._lock:
            if key in self._done:
                return self._done[key]
            event = self._running.get(key)
            if event is None:
                event = self._running[key] = threading.Event()
                mine = True
            else:
                mine = False
        if not mine:
            event.wait()
            with self._lock:
                if key in self._done:
                    return self._done[key]
            return self.get(key)  # the background fit failed: fit here, and let its error show
        try:
            value = self._fit(key)
            with self._lock:
                self._done[key] = value
            return value
        finally:
            with self._lock:
                self._running.pop(key, None)
                self._wake.notify_all()
            event.set()

    def prefetch(self, keys) -> None:
        if not self._background or self._stopped:
            return
        with self._lock:
            self._queue = [k for k in keys if k not in self._done]
            self._wake.notify_all()
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="cxlab-segment-fits", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._stopped and not any(k not in self._done and k not in self._running
                                                    for k in self._queue):
                    self._wake.notify_all()  # idle: wake wait_idle()
                    self._wake.wait()
                if self._stopped:
                    return
                key = next(k for k in self._queue if k not in self._done and k not in self._running)
                self._queue.remove(key)
                event = self._running[key] = threading.Event()
            try:
                value = self._fit_ahead(key)
            except Exception:  # noqa: BLE001 - a guess that fails is simply not kept; get() will show the error
                value = None
            with self._lock:
                if value is not None:
                    self._done[key] = value
                self._running.pop(key, None)
            event.set()

    def _fit_ahead(self, key):
        if self._start_worker is not None:
            try:
                if self._worker is None:
                    self._worker = self._start_worker()
                return self._worker.fit(key)
            except (OSError, EOFError, pickle.PickleError):
                # no worker process here (a sandbox, a frozen app, a killed worker): fit in this process
                self._start_worker = None
                self._shutdown_worker()
        return self._fit(key)

    def _shutdown_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.close()

    def wait_idle(self, timeout: float | None = None) -> bool:
        with self._lock:
            return self._wake.wait_for(lambda: self._stopped or not self._running and not any(
                k not in self._done for k in self._queue), timeout)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._queue = []
            self._wake.notify_all()
        self._shutdown_worker()


def segment_explorer(
    features: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    method: str = "kmeans",
    k: int = 5,
    k_range: tuple[int, int] = (2, 10),
    max_customers: int = 5_000,
    random_state: int = 0,
    precompute: bool = True,
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
    precompute
        From the first control change on, fit the settings likely to be chosen next in a
        low-priority worker process (other numbers of segments, the other method, one
        feature more or less), so that choosing them only redraws (``.prefetch()`` starts it
        at once). ``False``: fit each setting when it is first chosen.

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
    # no more segments than customers allow (cluster_customers takes k up to n - 1 and 30)
    k_range = (k_range[0], min(k_range[1], len(features) - 1, 30))
    if k > k_range[1]:
        raise CXLabError(f"k={k} segments cannot be made from {len(features):,} customers",
                         fix=f"choose k from {k_range[0]} to {k_range[1]}")
    return SegmentExplorer(features, columns=columns, method=method, k=k, k_range=k_range,
                           max_customers=max_customers, random_state=random_state, precompute=precompute)
