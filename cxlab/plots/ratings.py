"""Rating figures (CSAT, CES, attribute ratings): draw :func:`cxlab.nps.rating_table`; compute nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from cxlab.plots._style import ACCENT, MUTED, get_ax
from cxlab.plots._text import _, num, percent, vocab

__all__ = ["plot_rating_by_group"]


def plot_rating_by_group(table: pd.DataFrame, *, group: str | None = None, value: str = "mean",
                         ax: Axes | None = None, title: str | None = None) -> Axes:
    """A rating's mean (or top-box share) per group as points with interval bars.

    Parameters
    ----------
    table
        Output of :func:`cxlab.nps.rating_table`.
    group
        Column naming the groups (``None``: one overall row labelled "all").
    value
        ``"mean"`` (with ``ci_low``/``ci_high``) or ``"pct_top_box"`` (with
        ``top_box_ci_low``/``top_box_ci_high``).
    ax, title
        Axes to draw on and its title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxlab.nps import rating_table
    >>> df = pd.DataFrame({"csat": [5, 4, 2, 5, 3, 4, 1, 2], "store": list("AABBAABB")})
    >>> t = rating_table(df, score="csat", by="store", min_base=1, low_base=1)
    >>> ax = plot_rating_by_group(t, group="store")
    >>> [tick.get_text() for tick in ax.get_yticklabels()], ax.get_xlabel()
    (['A', 'B'], 'mean on the 1–5 scale')
    """
    ax = get_ax(ax, figsize=(7.0, 0.45 * len(table) + 1.5))
    lo_col, hi_col = ("ci_low", "ci_high") if value == "mean" else ("top_box_ci_low", "top_box_ci_high")
    missing = _("(missing)")
    labels = (table[group].astype(object).map(lambda v: missing if pd.isna(v) else vocab(v)).tolist()
              if group else [_("all")] * len(table))
    y = np.arange(len(table))[::-1]
    est = table[value].to_numpy(dtype=float)
    lo, hi = table[lo_col].to_numpy(dtype=float), table[hi_col].to_numpy(dtype=float)
    shown = ~np.isnan(est)
    ax.hlines(y[shown], lo[shown], hi[shown], color=ACCENT, lw=2.5, alpha=0.6, label=_("confidence interval"))
    ax.plot(est[shown], y[shown], "o", color=ACCENT, ms=7, label=_("mean") if value == "mean" else _("% top-2-box"))
    if len(table):
        s_min, s_max = float(table["scale_min"].iloc[0]), float(table["scale_max"].iloc[0])
    else:
        s_min, s_max = 1.0, 5.0
    left, right = (s_min, s_max) if value == "mean" else (0.0, 100.0)
    for yi, e, h, ni, ok in zip(y, est, hi, table["n"].to_numpy(), shown, strict=True):
        if ok:
            ax.text(h + (right - left) * 0.02, yi, num(e, 2) if value == "mean" else percent(e), va="center",
                    fontsize=9)
        else:
            ax.text((left + right) / 2, yi, _("suppressed (n = {n})").format(n=int(ni)), va="center", ha="center",
                    color=MUTED, fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlim(left, right + (right - left) * 0.12)
    ax.set_xlabel(_("mean on the {low}–{high} scale").format(low=f"{s_min:.0f}", high=f"{s_max:.0f}")
                  if value == "mean" else _("% in the top two points"))
    ax.set_title(title or (_("Mean rating by group") if value == "mean" else _("Top-2-box share by group")))
    return ax
