"""Interactive explorers (ipywidgets, the ``notebook`` extra). Each factory returns a widget; it never displays it.

Widgets are thin: every explorer derives from :class:`cxlab.widgets._base.Explorer`
(controls, one update path, debounce, cache, static fallback), computes through the public
analysis functions a user would call, and draws through the chart objects of
:mod:`cxlab.plots` that also make the static figures. A callback reads a small
pre-aggregated table (count tables, a monthly value matrix), so it stays fast on millions
of rows.

* :func:`cxlab.widgets.nps.nps_explorer`
* :func:`cxlab.widgets.segments.segment_explorer`
* :func:`cxlab.widgets.clv.clv_what_if`
* :func:`cxlab.widgets.survey_vs_behaviour.say_do_explorer`
* :func:`cxlab.widgets.channels.channel_audit_explorer`
* :func:`cxlab.widgets.identity.threshold_explorer` (and the clerical :func:`~cxlab.widgets.identity.review_widget`)

A change redraws only what moved: :meth:`cxlab.widgets._base.FigureImage.set_dynamic` keeps
a bitmap of the axes, ticks and labels and paints the moving artists over it (the same pixels
as a full draw; ``benchmarks/bench_widgets.py`` measures every control).
"""

__all__: list[str] = []
