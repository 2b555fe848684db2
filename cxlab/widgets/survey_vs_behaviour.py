"""``say_do_explorer``: choose the stated/actual pair, a segment and the window; the table and plots update.

The explorer reads a pre-computed :class:`~cxlab.survey_vs_behaviour.SayDoCube` (integer codes
per linked response), never the raw transactions: every change is one ``bincount`` and the
agreement statistics of a small table (:func:`~cxlab.survey_vs_behaviour.cube_agreement`),
drawn with the same functions as the static figures (:mod:`cxlab.plots.survey_vs_behaviour`).
"""

from __future__ import annotations

from cxlab import survey_vs_behaviour as svb
from cxlab.errors import CXLabError
from cxlab.plots.survey_vs_behaviour import draw_agreement_heatmap, draw_claims
from cxlab.widgets._base import FigureImage, html_table, require_ipywidgets

__all__ = ["say_do_explorer", "SayDoExplorer"]

widgets = require_ipywidgets()


class SayDoExplorer(widgets.VBox):
    """The explorer: pair, segment and window controls; heatmap and over/under-claim bars; statistics.

    Attributes
    ----------
    controls
        ``pair`` (Dropdown), ``segment`` (Dropdown, "all" first), ``window`` (SelectionSlider, days).
    figure
        :class:`~cxlab.widgets._base.FigureImage` (axes[0] heatmap, axes[1] claims by segment).
    table
        ``ipywidgets.HTML`` with the statistics of the current selection.
    confusion, statistics, claims
        The current results.
    """

    def __init__(self, cube: svb.SayDoCube, *, pair: str, segment: str, window: int, confidence: float) -> None:
        self._cube = cube
        self._confidence = confidence
        self.controls = {
            "pair": widgets.Dropdown(options=cube.pairs, value=pair, description="pair"),
            "segment": widgets.Dropdown(options=["all", *cube.segments], value=segment, description="segment"),
            "window": widgets.SelectionSlider(options=[(f"{w} d", w) for w in cube.windows], value=window,
                                              description="window", continuous_update=False),
        }
        self.status = widgets.HTML()
        self.figure = FigureImage(figsize=(10.0, 3.8), dpi=72, nrows=1, ncols=2)
        # a fixed layout: constrained layout measures every text twice per redraw (most of the time)
        self.figure.figure.set_layout_engine("none")
        self.figure.axes[0].set_position([0.13, 0.2, 0.33, 0.7])
        self.figure.axes[1].set_position([0.66, 0.2, 0.32, 0.7])
        self.table = widgets.HTML()
        for c in self.controls.values():
            c.observe(self._update, names="value")
        super().__init__([widgets.HBox(list(self.controls.values())), self.status, self.figure.image, self.table])
        self._update()

    def _update(self, change=None) -> None:
        pair = self.controls["pair"].value
        seg = self.controls["segment"].value
        window = self.controls["window"].value
        conf, stats, claims = svb.cube_agreement(self._cube, pair, window=window, segment=seg,
                                                 confidence=self._confidence)
        self.confusion, self.statistics, self.claims = conf, stats, claims
        ax_h, ax_c = self.figure.axes
        ax_h.clear()
        ax_c.clear()
        draw_agreement_heatmap(ax_h, conf, title=f"{pair}: stated vs actual ({seg}, {window} days)", compact=True)
        if self._cube.ordered[pair]:
            draw_claims(ax_c, claims.iloc[::-1] if len(claims) > 1 else claims, title="Over/under-claim by segment")
        else:
            ax_c.text(0.5, 0.5, "no order: only agreement", ha="center", va="center", transform=ax_c.transAxes)
            ax_c.set_axis_off()
        n = int(conf.to_numpy().sum())
        self.status.value = f"{n:,} pairs"
        show = stats[["statistic", "estimate", "ci_low", "ci_high", "test_statistic", "df", "p_value"]]
        self.table.value = html_table(show, float_format="{:,.3f}")
        self.figure.refresh()


def say_do_explorer(cube: svb.SayDoCube, *, pair: str | None = None, segment: str = "all", window: int | None = None,
                    confidence: float = 0.95) -> SayDoExplorer:
    """Interactive say–do explorer (returned, not displayed).

    Parameters
    ----------
    cube
        :func:`cxlab.survey_vs_behaviour.say_do_cube` output.
    pair, segment, window
        Starting selection (default: the first pair, all customers, the longest window).
    confidence
        Level of the intervals.

    Returns
    -------
    SayDoExplorer
        An ``ipywidgets.VBox``; set ``.controls[...].value`` to change it.
    """
    if not isinstance(cube, svb.SayDoCube):
        raise CXLabError("say_do_explorer needs a SayDoCube",
                         fix="build it with cxlab.survey_vs_behaviour.say_do_cube(survey, link, transactions)")
    pair = pair or cube.pairs[0]
    window = window or max(cube.windows)
    return SayDoExplorer(cube, pair=pair, segment=segment, window=window, confidence=confidence)
