"""Shared widget machinery: a guarded ipywidgets import and a figure shown as an image.

:class:`FigureImage` keeps one matplotlib figure alive and shows it in an
``ipywidgets.Image``. Callbacks update the figure's existing artists, then call
:meth:`FigureImage.refresh`, which renders the figure to PNG bytes in a few tens of
milliseconds. It works the same in JupyterLab, in Voilà and in an exported report, needs
no interactive matplotlib backend, and a test can read ``.image.value`` to see what is shown.
"""

from __future__ import annotations

import io
from typing import Any

from cxlab.errors import CXLabError

__all__ = ["require_ipywidgets", "FigureImage", "html_table"]


def require_ipywidgets():
    """Import ipywidgets or fail with a message that says what to install."""
    try:
        import ipywidgets
    except ImportError:  # pragma: no cover - ipywidgets is a core dependency
        raise CXLabError(
            "the interactive explorers need ipywidgets, which is not installed",
            fix="run `pip install ipywidgets` (or `make lab`, which installs everything)",
        ) from None
    return ipywidgets


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
        from matplotlib.figure import Figure

        # A Figure that is not registered with pyplot: it is never shown twice, never leaks.
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        axes = self.figure.subplots(nrows, ncols, **subplot_kw)
        self.axes = axes
        self.dpi = dpi
        # shown at its natural pixel size (never stretched and blurred to the page width)
        width_px = int(round(figsize[0] * dpi))
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width_px}px", max_width="100%"))

    @property
    def ax(self):
        """The first (or only) Axes."""
        axes = self.axes
        try:
            return axes.flat[0]
        except AttributeError:
            return axes

    def refresh(self) -> None:
        """Render the figure and push the PNG into the image widget."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=self.dpi)
        self.image.value = buf.getvalue()


def html_table(frame, *, float_format: str = "{:,.1f}", index: bool = False) -> str:
    """Render a small result table as HTML for an ``ipywidgets.HTML`` (formatting only)."""
    return frame.to_html(index=index, float_format=lambda v: float_format.format(v), border=0,
                         classes="cxlab-table", na_rep="–")
