"""``say_do_explorer``: choose the stated/actual pair, a segment and the window; the table and plots update.

The explorer reads a pre-computed :class:`~cxlab.survey_vs_behaviour.SayDoCube` (integer codes
per linked response), never the raw transactions: every change is one ``bincount`` and the
agreement statistics of a small table (:func:`~cxlab.survey_vs_behaviour.cube_agreement`),
drawn with the same functions as the static figures (:mod:`cxlab.plots.survey_vs_behaviour`).
"""

from __future__ import annotations

import numpy as np

from cxlab import survey_vs_behaviour as svb
from cxlab.errors import CXLabError
from cxlab.plots.survey_vs_behaviour import (
    draw_agreement_heatmap,
    draw_claims,
    update_agreement_heatmap,
    update_claims,
)
from cxlab.widgets._base import Explorer, FigureImage, html_table, png_bytes, require_ipywidgets

__all__ = ["say_do_explorer", "SayDoExplorer"]

widgets = require_ipywidgets()


class SayDoExplorer(Explorer):
    """The explorer: pair, segment and window controls; heatmap and claim bars by segment; statistics.

    Attributes
    ----------
    controls
        ``pair`` (Dropdown), ``segment`` (Dropdown, "all" first), ``window`` (SelectionSlider, days).
    figure
        :class:`~cxlab.widgets._base.FigureImage` (axes[0] heatmap, axes[1] shares by segment).
    table
        ``ipywidgets.HTML`` with the counts and the statistics of the current selection.
    confusion, statistics, claims
        The current results.

    Notes
    -----
    The count tables of every pair and window are made once (one ``bincount`` each, cached in
    the cube); a change then computes the statistics of one small table and updates the existing
    artists (image data, bar widths, interval lines) and blits them onto a bitmap of the static parts
    (axes, ticks, titles) rendered once per question when the explorer is built. The numbers are
    shown in the HTML table beside the figure.
    """

    def __init__(self, cube: svb.SayDoCube, *, pair: str, segment: str, window: int, confidence: float) -> None:
        self._cube = cube
        self._confidence = confidence
        for p in cube.pairs:  # pre-compute the count tables (one bincount per pair and window)
            for w in cube.windows:
                cube.counts(p, w)
        controls = self.controls = {
            "pair": widgets.Dropdown(options=cube.pairs, value=pair, description="pair"),
            "segment": widgets.Dropdown(options=["all", *cube.segments], value=segment, description="segment"),
            "window": widgets.SelectionSlider(options=[(f"{w} d", w) for w in cube.windows], value=window,
                                              description="window", continuous_update=False),
        }
        self.status = widgets.HTML()
        self.figure = FigureImage(figsize=(10.0, 3.8), dpi=72, nrows=1, ncols=2)
        fig = self.figure.figure
        # a fixed layout: constrained layout measures every text twice per redraw
        fig.set_layout_engine("none")
        for ax in self.figure.axes:
            ax.remove()
        self.table = widgets.HTML()
        # one pair of Axes per question, drawn and rendered once: a change only blits
        self._views = {}
        for p in cube.pairs:
            conf, _, claims = svb.cube_agreement(cube, p, window=window, confidence=confidence)
            ax_h = fig.add_axes([0.16, 0.2, 0.31, 0.7])
            ax_c = fig.add_axes([0.62, 0.14, 0.36, 0.76])
            draw_agreement_heatmap(ax_h, conf, title=f"{p}: row % of those who said it", annotate=False)
            title = "Over/under-claim by segment" if cube.ordered[p] else "Agreement by segment"
            bars = draw_claims(ax_c, claims.iloc[1:] if len(claims) > 1 else claims, series=self._series(p),
                               show_n=False, title=title)
            ax_c.set_xlim(0, 100)
            self._views[p] = {"axes": (ax_h, ax_c), "bars": bars, "background": None}
        for p in cube.pairs:
            self._show(p)
            self._background_of(p)
        super().__init__(controls, self.figure, children=[widgets.HBox(list(controls.values())), self.status,
                                                          widgets.HBox([self.figure.image, self.table])])
        self.update()

    def _series(self, pair: str) -> tuple[str, ...]:
        return ("over", "under") if self._cube.ordered[pair] else ("agree",)

    def _show(self, pair: str) -> None:
        for p, view in self._views.items():
            for ax in view["axes"]:
                ax.set_visible(p == pair)
        self.figure.axes = list(self._views[pair]["axes"])

    def _canvas(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = self.figure.figure
        return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)

    def _background_of(self, pair: str):
        view = self._views[pair]
        if view["background"] is None:
            for a in self._dynamic(pair):
                a.set_animated(True)
            canvas = self._canvas()
            canvas.draw()
            view["background"] = canvas.copy_from_bbox(self.figure.figure.bbox)
        return view["background"]

    description = "Say–do explorer"

    def render(self) -> bool:
        pair = self.controls["pair"].value
        seg = self.controls["segment"].value
        window = self.controls["window"].value
        conf, stats, claims = svb.cube_agreement(self._cube, pair, window=window, segment=seg,
                                                 confidence=self._confidence)
        self.confusion, self.statistics, self.claims = conf, stats, claims
        self._show(pair)
        view = self._views[pair]
        update_agreement_heatmap(view["axes"][0], conf)
        update_claims(view["bars"], claims.iloc[1:] if len(claims) > 1 else claims, series=self._series(pair))
        n = int(conf.to_numpy().sum())
        self.status.value = f"<b>{pair}</b> · {seg} · {window} days before the survey · {n:,} pairs"
        show = stats[["statistic", "estimate", "ci_low", "ci_high", "p_value"]]
        self.table.value = (html_table(conf.reset_index(), float_format="{:,.0f}")
                            + html_table(show, float_format="{:,.3f}"))
        return True

    def redraw(self) -> None:
        self._render(self.controls["pair"].value)

    def _dynamic(self, pair: str) -> list:
        view = self._views[pair]
        arts = [view["axes"][0].images[0]]
        for cont in view["bars"]:
            arts += list(cont.patches)
            arts += list(cont.errorbar.lines[2]) + list(cont.errorbar.lines[1])
        return arts

    def _render(self, pair: str) -> None:
        """Blit: the static parts (axes, ticks, labels) of each question were rendered once and kept
        as a bitmap; a change only redraws the image and the bars on top of it, then encodes the PNG."""
        canvas = self._canvas()
        canvas.restore_region(self._background_of(pair))
        for a in self._dynamic(pair):
            self.figure.figure.draw_artist(a)
        width, height = canvas.get_width_height(physical=True)
        self.figure.image.value = png_bytes(np.asarray(canvas.buffer_rgba()).reshape(height, width, 4))


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
