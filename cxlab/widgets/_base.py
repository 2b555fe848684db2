"""Shared widget machinery: the :class:`Explorer` base class every explorer derives from.

* :class:`Explorer` — controls, one update path (``render`` then one figure refresh),
  debounce, a small result cache (count tables, fitted results) and a static fallback
  (a PNG of the current figure and a one-line text for renderers without a live kernel).
* :class:`FigureImage` keeps one matplotlib figure alive and shows it in an
  ``ipywidgets.Image``. Explorers update the figure's existing artists through the
  chart objects of :mod:`cxlab.plots` (the same drawing as the static figures), then
  call :meth:`FigureImage.refresh`, which renders the figure to PNG bytes in a few
  milliseconds. It works the same in JupyterLab, in Voilà and in an exported report,
  needs no interactive matplotlib backend, and a test can read ``.image.value``.

An explorer module contains controls and wiring only: what it shows is computed by
public analysis functions and drawn by public :mod:`cxlab.plots` charts.
"""

from __future__ import annotations

import asyncio
import base64
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from cxlab.errors import CXLabError

__all__ = ["require_ipywidgets", "FigureImage", "png_bytes", "html_table", "Explorer"]


def require_ipywidgets():
    """Import ipywidgets or fail with a message that says what to install."""
    try:
        import ipywidgets
    except ImportError:  # pragma: no cover - exercised in the core-install test
        raise CXLabError(
            "the interactive explorers need ipywidgets, which is not installed",
            fix="install the notebook extra: `pip install 'cxlab[notebook]'` (or `make lab`, which installs "
                "everything); the static figures in cxlab.plots work without it",
        ) from None
    return ipywidgets


def _region(artists: Sequence, renderer):
    """Where ``artists`` can paint, in display pixels (their clip box, or their extent when unclipped).

    ``None`` when it cannot be told (then everything above them is treated as overlapping).
    """
    from matplotlib.transforms import Bbox

    boxes = []
    for a in artists:
        try:
            clip = a.get_clip_box() if a.get_clip_on() else None
            boxes.append(clip.frozen() if clip is not None else a.get_window_extent(renderer))
        except Exception:  # noqa: BLE001 - an artist without a measurable extent: assume it covers all
            return None
    return Bbox.union(boxes) if boxes else None


def _may_overlap(artist, region, renderer) -> bool:
    """Whether ``artist`` (drawn above the moving parts) can touch pixels they paint.

    An artist wholly outside their region — segment names left of a heatmap, a legend beside
    the axes — stays in the cached background instead of being drawn again on every change.
    """
    if region is None:
        return True
    try:
        extent = artist.get_window_extent(renderer)
    except Exception:  # noqa: BLE001 - unknown extent: draw it with the moving parts, to be safe
        return True
    if not (np.isfinite(extent.bounds).all() and extent.width >= 0 and extent.height >= 0):
        return True
    # one pixel of margin: anti-aliased edges reach into the neighbouring pixel
    return bool(extent.x0 <= region.x1 + 1 and extent.x1 >= region.x0 - 1
                and extent.y0 <= region.y1 + 1 and extent.y1 >= region.y0 - 1)


class FigureImage:
    """A matplotlib figure shown in an ipywidgets ``Image`` and refreshed in place.

    Parameters
    ----------
    figsize
        Figure size in inches.
    dpi
        Resolution of the rendered PNG.
    nrows, ncols
        Subplot grid, as for ``plt.subplots``.
    """

    def __init__(self, figsize: tuple[float, float] = (7.0, 4.0), dpi: int = 90, nrows: int = 1,
                 ncols: int = 1, **subplot_kw: Any) -> None:
        widgets = require_ipywidgets()
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        # A Figure that is not registered with pyplot: it is never shown twice, never leaks.
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        # drawn on its own Agg canvas and encoded directly: half the time of savefig
        self.canvas = FigureCanvasAgg(self.figure)
        self._frozen = False
        axes = self.figure.subplots(nrows, ncols, **subplot_kw)
        self.axes = axes
        self.dpi = dpi
        # shown at its natural pixel size (never stretched and blurred to the page width)
        width_px = int(round(figsize[0] * dpi))
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width_px}px", max_width="100%"))
        self._dynamic: Callable[[], Sequence] | None = None
        self._static_key: Callable[[], Hashable] | None = None
        self._backgrounds: OrderedDict = OrderedDict()
        self._extras: list = []
        self._overlaps: dict = {}
        self.max_backgrounds = 16
        #: How the last PNG was made: ``"full"`` (whole figure drawn) or ``"blit"`` (cached background
        #: plus the moving parts); read by tests and benchmarks.
        self.last_render = ""

    @property
    def ax(self):
        """The first (or only) Axes."""
        axes = self.axes
        try:
            return axes.flat[0]
        except AttributeError:
            return axes

    def _freeze(self) -> None:
        """Keep where the first draw placed the axes, titles and axis labels.

        Solving the layout and measuring every tick label to place titles and axis labels
        again on each redraw costs more than the drawing itself; an explorer's figure keeps
        its frame while the data change.
        """
        self._frozen = True
        self.figure.set_layout_engine("none")
        for ax in self.figure.axes:
            ax.set_title(ax.get_title(), y=ax.title.get_position()[1])
            to_axes = ax.transAxes.inverted()
            x_label_y = to_axes.transform((0.0, ax.xaxis.label.get_position()[1]))[1]
            y_label_x = to_axes.transform((ax.yaxis.label.get_position()[0], 0.0))[0]
            ax.xaxis.set_label_coords(0.5, x_label_y)
            ax.yaxis.set_label_coords(y_label_x, 0.5)
            legend = ax.get_legend()
            if legend is not None and legend._loc in (0, "best"):
                # "best" searches every line and marker for a free corner on each draw: keep the
                # corner the first draw found (its lower-left corner, in axes coordinates)
                corner = to_axes.transform(legend.get_window_extent().p0)
                legend.set_loc(tuple(float(v) for v in corner))

    def set_dynamic(self, artists: Callable[[], Sequence], static_key: Callable[[], Hashable]) -> None:
        """Redraw only the moving parts: ``artists()`` over a cached bitmap of everything else.

        ``artists()`` returns the artists a control change updates (points, bars, texts, an
        image); everything else (axes, ticks, tick labels, axis labels, legends) is drawn once
        into a background bitmap, kept per ``static_key()`` — a hashable that must change
        whenever anything outside ``artists()`` changes (axis limits, tick labels, ...). A
        refresh then restores the background and draws the moving parts on top: the same
        pixels as a full draw (tests compare the two), at a fraction of its cost, because the
        text of ticks and labels is not laid out and rasterised again.
        """
        self._dynamic, self._static_key = artists, static_key
        self._backgrounds.clear()

    def _encode(self) -> bytes:
        width, height = self.canvas.get_width_height(physical=True)
        return png_bytes(np.asarray(self.canvas.buffer_rgba()).reshape(height, width, 4),
                         alpha=self.figure.get_facecolor()[3] < 1.0)

    def _moving(self) -> list:
        """The moving parts in the order a full draw paints them, plus what a full draw paints over them.

        A full draw paints an Axes' children by zorder; a blit paints the moving parts over the
        finished background. So that both give the same pixels, whatever of that Axes lies above
        the lowest moving part (spines, a legend, static lines or texts; the axis itself only
        when grid lines or inward ticks cross the data area) is painted again with them, in
        the order of ``Axes.draw``. Titles outside the data area are left in the background.
        """
        artists = [a for a in self._dynamic() if a is not None]
        renderer = self.canvas.get_renderer()
        by_axes: dict = {}
        for a in artists:
            by_axes.setdefault(a.axes, []).append(a)
        ordered, extras = [], []
        for ax, own in by_axes.items():
            if ax is None:
                ordered += own
                continue
            low = min(a.get_zorder() for a in own)
            mine = {id(a) for a in own}
            skip = {id(ax.patch), id(ax.title), id(ax._left_title), id(ax._right_title)}
            for axis in (ax.xaxis, ax.yaxis):
                ticks = axis.get_major_ticks()[:1]
                if not (ticks and (ticks[0].gridline.get_visible() or ticks[0]._tickdir in ("in", "inout"))):
                    skip.add(id(axis))
            all_children = ax.get_children()
            # painted after the first moving part of the lowest zorder: above it, or level with it but later
            first = min((i for i, c in enumerate(all_children) if id(c) in mine and c.get_zorder() == low),
                        default=-1)
            region = _region(own, renderer)
            children = [c for i, c in enumerate(all_children)
                        if id(c) in mine or (id(c) not in skip and c.get_visible() and (
                            c.get_zorder() > low or (c.get_zorder() == low and first >= 0 and i > first))
                            and self._may_overlap(c, region, renderer))]
            listed = {id(c) for c in children}
            rest = [a for a in own if id(a) not in listed]
            extras += [c for c in children if id(c) not in mine]
            # children order, then zorder (a stable sort): the order of Axes.draw
            ordered += sorted(children + rest, key=lambda a: a.get_zorder())
        if {id(a) for a in extras} != {id(a) for a in self._extras}:
            for a in self._extras:  # no longer above a moving part: back into the background
                if all(a is not b for b in extras):
                    a.set_animated(False)
            self._extras = extras
        for a in ordered:
            if not a.get_animated():
                a.set_animated(True)  # left out of the background; drawn on top
        return ordered

    def _may_overlap(self, artist, region, renderer) -> bool:
        # a static artist's extent is fixed while the static key is: measured once per key
        key = (self._static_key(), id(artist), None if region is None else tuple(np.round(region.bounds, 1)))
        hit = self._overlaps.get(key)
        if hit is None:
            hit = self._overlaps[key] = _may_overlap(artist, region, renderer)
            if len(self._overlaps) > 4096:
                self._overlaps.clear()
        return hit

    def _key(self) -> tuple:
        # a background is valid for the chart's static state AND for the kind of artists left out
        # of it (what lies above the moving parts is drawn with them, not into the background)
        return (self._static_key(), tuple((type(a).__name__, a.get_zorder()) for a in self._extras))

    def png(self) -> bytes:
        """The figure as PNG bytes (drawn once, lightly compressed: it is shown, not archived).

        With :meth:`set_dynamic`, the background of the current ``static_key`` is drawn once
        and reused; only the moving parts are drawn on every call.
        """
        if self._dynamic is None:
            return self.full_png()
        moving = self._moving()
        key = self._key()
        background = self._backgrounds.get(key)
        if background is None:
            self.canvas.draw()  # everything but the moving parts (they are animated)
            if not self._frozen:
                self._freeze()
                key = self._key()
            background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._backgrounds[key] = background
            while len(self._backgrounds) > self.max_backgrounds:
                self._backgrounds.popitem(last=False)
            self.last_render = "full"
        else:
            self._backgrounds.move_to_end(key)
            self.canvas.restore_region(background)
            self.last_render = "blit"
        renderer = self.canvas.get_renderer()
        for artist in moving:
            if artist.get_visible() and (artist.axes is None or artist.axes.get_visible()):
                artist.draw(renderer)
        return self._encode()

    def full_png(self) -> bytes:
        """The whole figure drawn from scratch (no cached background): the reference a blit must equal."""
        moving = self._moving() if self._dynamic is not None else []
        for a in moving:
            a.set_animated(False)
        try:
            self.canvas.draw()
            if not self._frozen:
                self._freeze()
            self.last_render = "full"
            return self._encode()
        finally:
            for a in moving:
                a.set_animated(True)

    def refresh(self) -> None:
        """Render the figure and push the PNG into the image widget."""
        self.image.value = self.png()


def png_bytes(rgba, *, alpha: bool = False, level: int = 1) -> bytes:
    """Encode an RGBA pixel array (height x width x 4, uint8) as a PNG, quickly.

    Rows unfiltered, zlib level 1: about twice as fast as Pillow's encoder on a figure, for
    a file a little larger (tens of kB). Lossless; without ``alpha`` the alpha channel is
    dropped (an opaque figure carries nothing in it).
    """
    rgba = np.asarray(rgba, dtype=np.uint8)
    height, width = rgba.shape[:2]
    channels = 4 if alpha else 3
    rows = np.empty((height, 1 + channels * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "none" on every row
    rows[:, 1:] = rgba[:, :, :channels].reshape(height, channels * width)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
            + chunk(b"IEND", b""))


def html_table(frame, *, float_format: str = "{:,.1f}", index: bool = False) -> str:
    """Render a small result table as HTML for an ``ipywidgets.HTML`` (formatting only)."""
    return frame.to_html(index=index, float_format=lambda v: float_format.format(v), border=0,
                         classes="cxlab-table", na_rep="–")


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


_widgets = require_ipywidgets()


class Explorer(_widgets.VBox):
    """Base class of the cxlab explorers: controls, figure, debounce, cache, static fallback.

    A subclass builds its controls and its chart (a :mod:`cxlab.plots` chart object on
    ``figure``), passes them here, and implements :meth:`render`, which computes through
    public analysis functions and updates the chart. Every control change calls
    :meth:`update`: ``render()`` then one :meth:`redraw` (a full render of the figure, or a
    blit of the changed artists where an explorer keeps a background).

    Parameters
    ----------
    controls
        The controls by name (``explorer.controls["k"].value = 5`` is how a test or a
        user drives the explorer).
    figure
        The :class:`FigureImage` the chart draws on.
    rows
        Widgets shown above the figure (the controls laid out); default: one per control.
    below
        Widgets shown below the figure (default: the ``status`` HTML).
    children
        The whole layout instead of ``rows`` + figure + ``below`` (it must contain ``figure.image``).
    debounce_ms
        When above 0 and an event loop runs (a live kernel), a burst of changes within
        this many milliseconds is redrawn once, after the last. 0 (default): every change
        redraws at once, which is also what happens without a running loop (tests, scripts).
    cache_size
        How many results :meth:`cached` keeps (least recently used are dropped).
    """

    #: One-line description shown where no live kernel can display the explorer.
    description = "cxlab explorer"

    def __init__(self, controls: Mapping[str, Any], figure: FigureImage, *, rows: Sequence | None = None,
                 below: Sequence | None = None, children: Sequence | None = None, debounce_ms: float = 0.0,
                 cache_size: int = 32) -> None:
        self.controls = dict(controls)
        self.figure = figure
        if not hasattr(self, "status"):
            self.status = _widgets.HTML()
        self._cache_size = int(cache_size)
        self._debounce = float(debounce_ms) / 1000.0
        self._pending = None
        self._held = 0
        self._dirty = False
        if children is None:
            rows = list(rows) if rows is not None else list(self.controls.values())
            below = list(below) if below is not None else [self.status]
            children = [*rows, figure.image, *below]
        super().__init__(children=list(children))
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    # -- the update path -----------------------------------------------------------
    def render(self) -> bool:
        """Recompute and update the chart; return False when nothing should be redrawn."""
        raise NotImplementedError

    def redraw(self) -> None:
        """Show the updated figure (default: render it whole; an explorer may blit instead)."""
        self.figure.refresh()

    def update(self) -> None:
        """Recompute from the current control values and redraw the figure once."""
        self._pending = None
        if self.render() is not False:
            self.redraw()

    def _answer(self) -> None:
        """:meth:`update` for a control change: a setting the analysis refuses is said in the status line.

        In a notebook an exception raised from a control's callback goes to the log, not to the
        page: the user would see a figure that no longer matches the controls. The figure of the
        last valid setting stays, and the status says what is wrong and what to do.
        """
        from cxlab.errors import CXLabError

        try:
            self.update()
        except CXLabError as exc:
            import html

            fix = f" What to do: {exc.fix}" if getattr(exc, "fix", None) else ""
            problem = html.escape(str(exc.problem).rstrip("."))
            self.status.value = (f"<span style='color:#b2182b'>⚠ {problem}.{html.escape(fix)} "
                                 "The figure still shows the last valid setting.</span>")

    def _on_change(self, change=None) -> None:
        if self._held:
            self._dirty = True
            return
        loop = _running_loop() if self._debounce > 0 else None
        if loop is None:
            self._answer()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self._debounce, self._answer)

    @contextmanager
    def hold(self):
        """Change several controls with one redraw at the end: ``with explorer.hold(): ...``."""
        self._held += 1
        try:
            yield self
        finally:
            self._held -= 1
            if not self._held and self._dirty:
                self._dirty = False
                self._answer()

    # -- cache ------------------------------------------------------------------------
    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per ``key`` (count tables per grouping, fitted results per setting)."""
        cache = self.__dict__.setdefault("_cache", OrderedDict())  # usable before __init__ has run
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        value = compute()
        cache[key] = value
        while len(cache) > getattr(self, "_cache_size", 32):
            cache.popitem(last=False)
        return value

    # -- static fallback --------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        # Live front ends render the widget view; everything else (exported reports without
        # widget state, GitHub, nbviewer) falls back to the current figure and a short text.
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = (f"{self.description} (interactive: open the notebook in JupyterLab or Voilà "
                                    "to use it)")
            shown = bytes(self.figure.image.value or b"") or self.figure.png()  # what the explorer shows now
            bundle.setdefault("image/png", base64.b64encode(shown).decode("ascii"))
        return bundle
