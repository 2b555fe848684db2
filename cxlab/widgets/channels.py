"""``channel_audit_explorer``: each channel's gap to the rest, raw or mix-adjusted, live.

The rows are counted once, when the explorer is built: one
:func:`cxlab.channels.metric_cells` table per metric (n, Σy, Σy² per channel × segment ×
region × age cohort — a few thousand cells whatever the number of contacts). Every control
change then reads those cells: :func:`cxlab.channels.standardised_gaps` (direct
standardisation on the chosen covariates, or the raw gap), :func:`cxlab.channels.flag_gaps`
at the chosen tolerance, and the same :class:`cxlab.plots.channels.GapChart` as the static
figure, updated in place and re-rendered once.

Controls: ``metric``, ``adjust_for`` (nothing, one covariate or all), ``tolerance`` (in
standard deviations of the metric), ``channels`` (which channels take part: "the rest" is
the other selected channels).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlab import stats as cxs
from cxlab.channels import METRICS, available_metrics, flag_gaps, metric_cells, standardised_gaps
from cxlab.channels.index import DEFAULT_GAP_TOLERANCE
from cxlab.errors import CXLabError
from cxlab.widgets._base import Explorer, FigureImage, require_ipywidgets

__all__ = ["channel_audit_explorer", "ChannelAuditExplorer"]

widgets = require_ipywidgets()

_ALL = "all of these"


class ChannelAuditExplorer(Explorer):
    """The audit explorer: controls on top, the gap chart, then the table of numbers.

    Attributes
    ----------
    controls
        ``metric``, ``adjust_for``, ``tolerance``, ``channels``.
    cells
        The pre-aggregated cell table of every metric (dict by metric name).
    table
        The flagged gap table currently shown.
    figure
        The :class:`~cxlab.widgets._base.FigureImage` holding the chart.
    status
        ``ipywidgets.HTML`` with the table and any note.
    """

    description = "Channel audit explorer"

    def __init__(self, cells: dict[str, pd.DataFrame], covariates: list[str], channels: list[str], *,
                 tolerance: float, alpha: float, confidence: float, min_base: int, figsize: tuple[float, float]):
        from cxlab.plots.channels import GapChart

        self.cells = cells
        self.covariates = covariates
        self._alpha, self._confidence, self._min_base = alpha, confidence, min_base
        adjust_options = [("nothing (raw gap)", ())] + [(c.replace("_", " "), (c,)) for c in covariates]
        if len(covariates) > 1:
            adjust_options.append((_ALL, tuple(covariates)))
        self.controls = {
            "metric": widgets.Dropdown(options=[(METRICS[m].label, m) for m in cells], description="Metric"),
            "adjust_for": widgets.Dropdown(options=adjust_options, value=adjust_options[-1][1],
                                           description="Adjust for"),
            "tolerance": widgets.FloatSlider(value=tolerance, min=0.0, max=1.0, step=0.05, description="Tolerance",
                                             continuous_update=False, readout_format=".2f"),
            "channels": widgets.SelectMultiple(options=channels, value=tuple(channels), description="Channels",
                                               rows=min(len(channels), 7)),
        }
        figure = FigureImage(figsize=figsize, dpi=80)
        # fixed margins instead of constrained layout: layout solving would double the render time
        figure.figure.set_layout_engine("none")
        figure.ax.set_position([0.17, 0.15, 0.78, 0.77])
        self.chart = GapChart(figure.ax, max_channels=len(channels), animated=True)
        # a change redraws the moving parts over a cached bitmap of the axes, ticks and labels
        figure.set_dynamic(lambda: self.chart.dynamic, self.chart.static_key)
        self.status = widgets.HTML()
        self.table = pd.DataFrame()
        rows = [widgets.HBox([self.controls["metric"], self.controls["adjust_for"]]),
                widgets.HBox([self.controls["tolerance"], self.controls["channels"]])]
        super().__init__(self.controls, figure, rows=rows, below=[self.status])
        self.update()

    def render(self) -> bool:
        """Recompute the gaps from the cells and update the chart (no figure refresh)."""
        metric = self.controls["metric"].value
        strata = list(self.controls["adjust_for"].value)
        chosen = list(self.controls["channels"].value)
        m = METRICS[metric]
        if len(chosen) < 2:
            self.status.value = "<i>Choose at least two channels to compare.</i>"
            return False
        cells = self.cells[metric]
        missing = [s for s in strata if s not in cells.columns]
        strata = [s for s in strata if s in cells.columns]
        gaps = standardised_gaps(cells, strata=strata, channels=chosen, confidence=self._confidence,
                                 min_base=self._min_base)
        gaps["higher_is_better"] = m.higher_is_better
        flagged = flag_gaps(gaps, tolerance=self.controls["tolerance"].value, alpha=self._alpha)
        self.table = flagged
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.nanmedian(np.abs(flagged["gap"] / flagged["effect_size"]))
        band = self.controls["tolerance"].value * sd if np.isfinite(sd) else 0.0
        how = "raw gaps" if not strata else "adjusted for " + ", ".join(s.replace("_", " ") for s in strata)
        self.chart.update(flagged, band=band, unit=m.unit, title=f"{m.label}: each channel vs the rest")
        shown = flagged[["channel", "n", "estimate", "rest", "gap", "ci_low", "ci_high", "p_adjusted", "flagged"]]
        note = f"<b>{m.label}</b>, {how}. "
        note += (f"Not adjusted for {', '.join(missing)}: these rows carry no such column. " if missing else "")
        note += (f"⚑ flagged: significant after Holm (p < {self._alpha}) and at least "
                f"{self.controls['tolerance'].value:.2f} SD ({band:.1f} in the metric's unit) wide.")
        self.status.value = _small_table(shown) + f"<small>{note}</small>"
        return True


def _small_table(frame: pd.DataFrame) -> str:
    """A few rows as HTML, formatted by hand (``DataFrame.to_html`` costs more than the whole update)."""
    def cell(v):
        if isinstance(v, (bool, np.bool_)):
            return "⚑" if v else ""
        if isinstance(v, (int, np.integer)):
            return f"{v:,}"
        if isinstance(v, (float, np.floating)):
            if not np.isfinite(v):
                return "–"
            return "&lt; 0.001" if 0 <= v < 0.001 else f"{v:,.2f}"
        return str(v)

    head = "".join(f"<th>{c.replace('_', ' ')}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>"
                   for r in frame.itertuples(index=False))
    return f"<table class='cxlab-table'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def channel_audit_explorer(survey: pd.DataFrame | None = None, interactions: pd.DataFrame | None = None, *,
                           covariates: Sequence[str] = ("segment", "region", "age_cohort"), channel: str = "channel",
                           metrics: Sequence[str] | None = None, tolerance: float = DEFAULT_GAP_TOLERANCE,
                           alpha: float = 0.05, confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE,
                           figsize: tuple[float, float] = (7.0, 3.6)) -> ChannelAuditExplorer:
    """Build the channel audit explorer (returns the widget; display it yourself).

    Parameters
    ----------
    survey, interactions
        Canonical tables (either may be ``None``), with the ``covariates`` columns where
        available (see :func:`cxlab.channels.respondent_context`).
    covariates
        Columns the "Adjust for" control offers (those present in the survey).
    metrics
        Metrics offered; default every metric whose column is present.
    tolerance, alpha, confidence, min_base
        Starting tolerance (SD), significance level, interval level, minimum base.

    Returns
    -------
    ChannelAuditExplorer
    """
    cells: dict[str, pd.DataFrame] = {}
    cov_present: list[str] = []
    channels: list[str] = []
    for source, frame in (("survey_responses", survey), ("interactions", interactions)):
        if frame is None or len(frame) == 0 or channel not in frame.columns:
            continue
        cov = [c for c in covariates if c in frame.columns]
        if source == "survey_responses":
            cov_present = cov
        for name in available_metrics(frame, source):
            if metrics is not None and name not in metrics:
                continue
            # interaction metrics are offered raw unless the covariates are on the contacts too
            cells[name] = metric_cells(frame, name, channel=channel, strata=cov_present if set(cov_present) <= set(
                frame.columns) else [])
            channels += [c for c in cells[name]["channel"].unique() if c not in channels]
    if not cells:
        raise CXLabError("no metric to explore: the tables have no channel column or no score columns",
                         fix="pass a survey with a channel column and likelihood_to_recommend / csat / ces")
    order = [c for c in pd.unique(pd.Series(channels))]
    return ChannelAuditExplorer(cells, cov_present, order, tolerance=tolerance, alpha=alpha, confidence=confidence,
                                min_base=min_base, figsize=figsize)
