"""``nps_explorer``: NPS by group with intervals, live, on millions of responses.

Computation: :func:`cxlab.nps.score_counts` counts the rows once per grouping (by month and
score 0–10, cached); every control change adds up a few hundred count rows with
:func:`cxlab.nps.sum_counts` and computes the NPS with :func:`cxlab.nps.nps_from_counts`.
Drawing: :class:`cxlab.plots.nps.NPSByGroupChart`, the drawing of
:func:`cxlab.plots.nps.plot_nps_by_group`, updated in place. Tens of milliseconds per
change whatever the number of responses.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cxlab import nps as _nps
from cxlab._checks import require_columns
from cxlab.errors import CXLabError
from cxlab.plots.nps import NPSByGroupChart
from cxlab.widgets._base import Explorer, FigureImage, html_table, require_ipywidgets

__all__ = ["nps_explorer", "NPSExplorer"]

widgets = require_ipywidgets()

_ALL = "(all responses)"


class NPSExplorer(Explorer):
    """The explorer widget: controls on top, the figure, then the table of numbers.

    Attributes
    ----------
    controls
        Dict of the controls: ``group_by``, ``period``, ``min_base``, ``ci``,
        ``detractor_max``, ``promoter_min``.
    table
        The table currently shown (output of :func:`cxlab.nps.nps_from_counts`, the group
        in a column ``group``).
    chart
        The :class:`cxlab.plots.nps.NPSByGroupChart` it draws with.
    figure
        The :class:`~cxlab.widgets._base.FigureImage` holding the chart.
    status
        ``ipywidgets.HTML`` with the table and any message.
    """

    description = "NPS explorer"

    def __init__(self, data: pd.DataFrame, *, score: str, date: str, groups: Sequence[str], weight: str | None,
                 min_base: int, ci: str, n_resamples: int, seed: int, figsize: tuple[float, float]):
        self._data, self._score, self._date, self._weight = data, score, date, weight
        self._n_resamples, self._seed = n_resamples, seed
        self.table = pd.DataFrame()
        self.note = ""
        self.status = widgets.HTML()
        overall = self.counts(_ALL)
        months = pd.period_range(overall["period"].min(), overall["period"].max(), freq="M")
        labels = [str(m) for m in months]
        options = [_ALL, *groups]
        controls = {
            "group_by": widgets.Dropdown(options=options, value=options[1] if len(options) > 1 else _ALL,
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
        figure = FigureImage(figsize=figsize, dpi=80)
        # fixed margins instead of constrained layout: layout solving would double the render time
        figure.figure.set_layout_engine("none")
        figure.ax.set_position([0.24, 0.14, 0.73, 0.76])
        self.chart = NPSByGroupChart(figure.ax, sticky=True)
        # a change redraws the points, intervals, value labels and title over a cached bitmap of
        # the axes, ticks and group labels (redrawn only when the groups or the x range change)
        figure.set_dynamic(lambda: self.chart.dynamic, self.chart.static_key)
        self._intervals = self.chart.intervals
        c = controls
        rows = [widgets.HBox([c["group_by"], c["ci"]]), c["period"], widgets.HBox([c["min_base"]]),
                widgets.HBox([c["detractor_max"], c["promoter_min"]])]
        super().__init__(controls, figure, rows=rows, below=[self.status])
        self.update()

    def counts(self, group: str) -> pd.DataFrame:
        """The monthly count table of one grouping (counted once, then cached)."""
        def count():
            by = None if group == _ALL else group
            counts = _nps.score_counts(self._data, score=self._score, by=by, period="M", date=self._date,
                                       weight=self._weight)
            return counts[counts["period"].notna()]
        return self.cached(("counts", group), count)

    def render(self) -> bool:
        """Recompute the table from the cached counts and update the chart."""
        c = self.controls
        dmax, pmin = int(c["detractor_max"].value), int(c["promoter_min"].value)
        if dmax >= pmin:
            self.status.value = ("<b>Detractors must end below where promoters start</b> "
                                 f"(now ≤ {dmax} and ≥ {pmin}); nothing recomputed.")
            return False
        group = c["group_by"].value
        lo_label, hi_label = c["period"].value
        by = None if group == _ALL else group
        # the summed counts depend on the grouping and the period only: cut-offs, interval method
        # and minimum base reuse them
        counts = self.cached(("sum", group, lo_label, hi_label), lambda: _nps.sum_counts(
            self.counts(group), by=by, periods=(lo_label, hi_label)))
        min_base = int(c["min_base"].value)
        table = _nps.nps_from_counts(counts, detractor_max=dmax, promoter_min=pmin, ci=c["ci"].value,
                                     min_base=min_base, low_base=max(min_base, 100),
                                     n_resamples=self._n_resamples, seed=self._seed, progress=False)
        if by is None:
            table.insert(0, "group", _ALL)
        else:
            labels = table.pop(by).astype(object)
            table.insert(0, "group", [("(missing)" if pd.isna(v) else str(v)) for v in labels])
        self.table = table[table["n"] + table["n_missing"] > 0].reset_index(drop=True)
        self.chart.update(self.table, group="group", title=f"NPS by {group}, {lo_label} … {hi_label}")
        shown = self.table[["group", "n", "estimate", "ci_low", "ci_high", "pct_promoters", "pct_detractors",
                            "low_base", "suppressed"]]
        self.status.value = html_table(shown) + self.note
        return True


def nps_explorer(data: pd.DataFrame, *, score: str = _nps.DEFAULT_SCORE, date: str = "submitted_at",
                 groups: Sequence[str] | None = None, weight: str | None = None, min_base: int = 30,
                 ci: str = "adjusted_wald", n_resamples: int = 1000, seed: int = 0,
                 figsize: tuple[float, float] = (7.0, 3.8)) -> NPSExplorer:
    """Interactive NPS explorer: group-by, period range, minimum base, interval method, cut-offs.

    Parameters
    ----------
    data
        Survey responses (any size: the rows are counted once per grouping).
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
    explorer = NPSExplorer(data, score=score, date=date, groups=groups, weight=weight, min_base=min_base, ci=ci,
                           n_resamples=n_resamples, seed=seed, figsize=figsize)
    undated = int(data[date].isna().sum())
    explorer.note = (f"<p><i>{undated} response(s) without a date are left out of this explorer.</i></p>"
                     if undated else "")
    explorer.update()
    return explorer
