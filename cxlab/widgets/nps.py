"""``nps_explorer``: NPS by group with intervals, live, on millions of responses.

The rows are counted once, when the widget is built (one :func:`cxlab.nps.score_counts`
table per grouping choice, by month and score 0–10). Every control change then sums a
few hundred count rows, recomputes the NPS from counts with
:func:`cxlab.nps.nps_from_counts`, moves the existing points and interval lines of one
figure and re-renders it: tens of milliseconds whatever the number of responses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlab import nps as _nps
from cxlab._checks import require_columns
from cxlab.nps.counts import _COUNT_COLS, _WEIGHT_COLS
from cxlab.errors import CXLabError
from cxlab.widgets._base import FigureImage, html_table, require_ipywidgets

__all__ = ["nps_explorer", "NPSExplorer"]

widgets = require_ipywidgets()

_ALL = "(all responses)"


class _Cube:
    """Counts of one grouping choice: rows = group × month, columns = scores 0..10."""

    def __init__(self, counts: pd.DataFrame, group: str | None, weighted: bool):
        self.group = group
        months = pd.PeriodIndex(counts["period"])
        self.month = months.asi8
        if group is None:
            self.codes = np.zeros(len(counts), dtype=np.int64)
            self.labels = [_ALL]
        else:
            codes, uniques = pd.factorize(counts[group].astype(object).fillna("(missing)"), sort=False)
            if isinstance(counts[group].dtype, pd.CategoricalDtype):
                order = [c for c in counts[group].cat.categories if c in set(uniques)]
                order += [u for u in uniques if u not in order]
                remap = {u: i for i, u in enumerate(order)}
                codes = np.array([remap[u] for u in uniques])[codes]
                uniques = order
            self.codes = codes.astype(np.int64)
            self.labels = [str(u) for u in uniques]
        self.counts = counts[_COUNT_COLS].to_numpy(dtype=np.float64)
        self.missing = counts["count_missing"].to_numpy(dtype=np.float64)
        self.weighted = weighted
        if weighted:
            self.weights = counts[_WEIGHT_COLS].to_numpy(dtype=np.float64)
            self.weight_sq = counts["weight_sq"].to_numpy(dtype=np.float64)

    def table(self, lo: int, hi: int) -> pd.DataFrame:
        """Count table (one row per group) for months with ordinals lo..hi."""
        keep = (self.month >= lo) & (self.month <= hi)
        g = len(self.labels)
        onehot = np.zeros((g, int(keep.sum())))
        onehot[self.codes[keep], np.arange(onehot.shape[1])] = 1.0
        c = onehot @ self.counts[keep]
        frame = pd.DataFrame(c, columns=_COUNT_COLS)
        frame.insert(0, "group", self.labels)
        frame["count_missing"] = onehot @ self.missing[keep]
        if self.weighted:
            w = onehot @ self.weights[keep]
            for j, col in enumerate(_WEIGHT_COLS):
                frame[col] = w[:, j]
            frame["weight_sq"] = onehot @ self.weight_sq[keep]
        return frame


class NPSExplorer(widgets.VBox):
    """The explorer widget: controls on top, the figure, then the table of numbers.

    Attributes
    ----------
    controls
        Dict of the controls: ``group_by``, ``period``, ``min_base``, ``ci``,
        ``detractor_max``, ``promoter_min``.
    table
        The table currently shown (output of :func:`cxlab.nps.nps_from_counts`).
    figure
        The :class:`~cxlab.widgets._base.FigureImage` holding the chart.
    status
        ``ipywidgets.HTML`` with the table and any message.
    """

    def __init__(self, cubes: dict, months: pd.PeriodIndex, *, min_base: int, ci: str, n_resamples: int,
                 seed: int, figsize: tuple[float, float]):
        self._cubes = cubes
        self._months = months
        self._n_resamples = n_resamples
        self._seed = seed
        labels = [str(m) for m in months]
        self.controls = {
            "group_by": widgets.Dropdown(options=list(cubes), value=list(cubes)[1] if len(cubes) > 1 else _ALL,
                                         description="Group by"),
            "period": widgets.SelectionRangeSlider(options=labels, index=(0, len(labels) - 1),
                                                   description="Period", continuous_update=False,
                                                   layout=widgets.Layout(width="520px")),
            "min_base": widgets.IntSlider(value=min_base, min=0, max=300, step=10, description="Min. base",
                                          continuous_update=False),
            "ci": widgets.Dropdown(options=[("adjusted Wald (Rocks)", "adjusted_wald"), ("Wald", "wald"),
                                            ("bootstrap BCa", "bootstrap")], value=ci, description="Interval"),
            "detractor_max": widgets.IntSlider(value=6, min=0, max=9, description="Detractors ≤",
                                               continuous_update=False),
            "promoter_min": widgets.IntSlider(value=9, min=1, max=10, description="Promoters ≥",
                                              continuous_update=False),
        }
        self.figure = FigureImage(figsize=figsize, dpi=80)
        # fixed margins instead of constrained layout: layout solving would double the render time
        self.figure.figure.set_layout_engine("none")
        self.figure.ax.set_position([0.24, 0.14, 0.73, 0.76])
        self.status = widgets.HTML()
        self.table = pd.DataFrame()
        self.note = ""
        ax = self.figure.ax
        from matplotlib.collections import LineCollection

        from cxlab.plots._style import ACCENT, MUTED

        self._intervals = LineCollection([], colors=ACCENT, linewidths=3, alpha=0.55)
        ax.add_collection(self._intervals)
        (self._points,) = ax.plot([], [], "o", color=ACCENT, ms=7)
        (self._low_points,) = ax.plot([], [], "o", mfc="white", mec=ACCENT, ms=7)
        ax.axvline(0, color=MUTED, lw=0.8)
        ax.set_xlabel("NPS (−100 … +100)")
        ax.set_xticks([-100, -75, -50, -25, 0, 25, 50, 75, 100])  # fixed ticks: no relayout per change
        self._texts: list = []
        rows = [widgets.HBox([self.controls["group_by"], self.controls["ci"]]), self.controls["period"],
                widgets.HBox([self.controls["min_base"]]),
                widgets.HBox([self.controls["detractor_max"], self.controls["promoter_min"]])]
        super().__init__(children=[*rows, self.figure.image, self.status])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        # a short text fallback (reports without a live kernel show this, not the widget tree)
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = "NPS explorer (interactive: open the notebook in JupyterLab or Voilà to use it)"
        return bundle

    # -- callbacks ---------------------------------------------------------------
    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the table from the count cube and redraw the existing artists."""
        c = self.controls
        dmax, pmin = int(c["detractor_max"].value), int(c["promoter_min"].value)
        if dmax >= pmin:
            self.status.value = ("<b>Detractors must end below where promoters start</b> "
                                 f"(now ≤ {dmax} and ≥ {pmin}); nothing recomputed.")
            return
        lo_label, hi_label = c["period"].value
        lo = pd.Period(lo_label, freq="M").ordinal
        hi = pd.Period(hi_label, freq="M").ordinal
        cube = self._cubes[c["group_by"].value]
        counts = cube.table(lo, hi)
        table = _nps.nps_from_counts(counts, detractor_max=dmax, promoter_min=pmin, ci=c["ci"].value,
                                     min_base=int(c["min_base"].value),
                                     low_base=max(int(c["min_base"].value), 100), n_resamples=self._n_resamples,
                                     seed=self._seed, progress=False)
        table = table[table["n"] + table["n_missing"] > 0].reset_index(drop=True)
        self.table = table
        self._draw(table, f"{c['group_by'].value}, {lo_label} … {hi_label}")
        shown = table[["group", "n", "estimate", "ci_low", "ci_high", "pct_promoters", "pct_detractors",
                       "low_base", "suppressed"]]
        self.status.value = html_table(shown) + self.note

    def _draw(self, table: pd.DataFrame, title: str) -> None:
        ax = self.figure.ax
        k = len(table)
        y = np.arange(k)[::-1].astype(float)
        est = table["estimate"].to_numpy(dtype=float)
        lo = table["ci_low"].to_numpy(dtype=float)
        hi = table["ci_high"].to_numpy(dtype=float)
        ok = ~np.isnan(est)
        low = table["low_base"].to_numpy(dtype=bool) & ok
        self._intervals.set_segments([[(a, yy), (b, yy)] for a, b, yy in zip(lo[ok], hi[ok], y[ok], strict=True)])
        self._points.set_data(est[ok & ~low], y[ok & ~low])
        self._low_points.set_data(est[low], y[low])
        for t in self._texts:
            t.remove()
        self._texts = []
        for yy, e, h, n, good in zip(y, est, hi, table["n"], ok, strict=True):
            if good:
                self._texts.append(ax.text(h + 2, yy, f"{e:+.0f}", va="center", fontsize=9))
            else:
                self._texts.append(ax.text(0, yy, f"suppressed (n = {int(n)})", va="center", ha="center",
                                           fontsize=8, color="#7f7f7f"))
        ax.set_yticks(y, table["group"].tolist())
        ax.set_ylim(-0.7, max(k - 0.3, 0.7))
        finite = np.r_[lo[ok], hi[ok]]
        left = max(-100.0, min(-10.0, finite.min() - 5)) if finite.size else -100.0
        right = min(110.0, max(10.0, finite.max() + 15)) if finite.size else 100.0
        ax.set_xlim(left, right)
        ax.set_title(f"NPS by {title}", fontsize=10)
        self.figure.refresh()


def nps_explorer(data: pd.DataFrame, *, score: str = _nps.DEFAULT_SCORE, date: str = "submitted_at",
                 groups: Sequence[str] | None = None, weight: str | None = None, min_base: int = 30,
                 ci: str = "adjusted_wald", n_resamples: int = 1000, seed: int = 0,
                 figsize: tuple[float, float] = (7.0, 3.8)) -> NPSExplorer:
    """Interactive NPS explorer: group-by, period range, minimum base, interval method, cut-offs.

    Parameters
    ----------
    data
        Survey responses (any size: the rows are counted once here).
    score, date
        Score (0–10) and timestamp columns.
    groups
        Columns offered in "Group by"; default: the categorical columns of ``data`` with at
        most 50 categories.
    weight
        Optional survey-weight column.
    min_base
        Initial minimum base.
    ci
        Initial interval method.
    n_resamples, seed
        Bootstrap settings (when the bootstrap method is chosen).
    figsize
        Figure size.

    Returns
    -------
    NPSExplorer
        The widget (not displayed): display it, or set its ``controls[...]`` values and
        read ``.table`` / ``.figure.image.value``.
    """
    require_columns(data, [score, date] + ([weight] if weight else []), "the survey table")
    if groups is None:
        groups = [c for c in data.columns if isinstance(data[c].dtype, pd.CategoricalDtype)
                  and len(data[c].cat.categories) <= 50]
    groups = list(groups)
    require_columns(data, groups, "the survey table")
    if data[date].notna().sum() == 0:
        raise CXLabError("no response has a date", column=date, fix="check the date column")
    cubes: dict = {}
    overall = _nps.score_counts(data, score=score, period="M", date=date, weight=weight)
    overall = overall[overall["period"].notna()]
    cubes[_ALL] = _Cube(overall, None, weight is not None)
    for g in groups:
        counts = _nps.score_counts(data, score=score, by=g, period="M", date=date, weight=weight)
        cubes[g] = _Cube(counts[counts["period"].notna()], g, weight is not None)
    months = pd.period_range(overall["period"].min(), overall["period"].max(), freq="M")
    explorer = NPSExplorer(cubes, months, min_base=min_base, ci=ci, n_resamples=n_resamples, seed=seed,
                           figsize=figsize)
    undated = int(data[date].isna().sum())
    explorer.note = (f"<p><i>{undated} response(s) without a date are left out of this explorer.</i></p>"
                     if undated else "")
    explorer.update()
    return explorer
