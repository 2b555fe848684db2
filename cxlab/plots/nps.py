"""NPS figures. Each function draws a result table from :mod:`cxlab.nps` or
:mod:`cxlab.text`; none computes a statistic."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from cxlab.plots._style import ACCENT, MUTED, NPS_CLASS_ORDER, NPS_PALETTE, get_ax
from cxlab.plots._text import _, percent, signed, vocab

__all__ = [
    "NPSByGroupChart",
    "plot_nps_by_group",
    "plot_nps_distribution",
    "plot_nps_trend",
    "plot_driver_quadrant",
    "plot_theme_lift",
    "plot_cutoff_sensitivity",
]

_META = {"n", "n_missing", "n_effective", "detractors", "passives", "promoters", "pct_detractors", "pct_passives",
         "pct_promoters", "estimate", "se", "ci_low", "ci_high", "suppressed", "low_base", "letter", "higher_than",
         "complementary"}


def _group_labels(table: pd.DataFrame, group: str | list[str] | None, *, words: dict | None = None) -> list[str]:
    """The row labels: the group values (cxlab's own words, e.g. canonical channels, in the active language)."""
    words = words or _words()
    if group is None:
        group = [c for c in table.columns if c not in _META and c != "period_start"]
    if isinstance(group, str):
        group = [group]
    if not group:
        return [words["all"]] * len(table)
    missing = words["missing"]
    parts = [table[g].astype(object).map(lambda v: missing if pd.isna(v) else vocab(v)) for g in group]
    out = parts[0]
    for p in parts[1:]:
        out = out + " · " + p
    return out.tolist()


def _words() -> dict:
    """The words of the NPS-by-group drawing in the active language (looked up once per chart)."""
    return {"all": _("all"), "missing": _("(missing)"), "suppressed": _("suppressed (n = {n})"),
            "title": _("NPS by group with confidence intervals")}


class NPSByGroupChart:
    """The NPS-by-group drawing, kept alive so that it can be redrawn with a new table.

    :func:`plot_nps_by_group` draws it once; the NPS explorer keeps one and calls
    :meth:`update` on every control change, so the static figure and the explorer are the
    same drawing. The artists are created once (points, low-base points, interval lines)
    and only their data change.

    Parameters
    ----------
    ax
        Axes to draw on.
    """

    #: fixed ticks: no tick relayout on every redraw
    XTICKS = (-100, -50, 0, 50, 100)

    def __init__(self, ax: Axes, *, sticky: bool = False) -> None:
        self.ax = ax
        self.sticky = sticky
        self.words = _words()
        (self.points,) = ax.plot([], [], "o", color=ACCENT, ms=7, label="NPS")
        (self.low_points,) = ax.plot([], [], "o", mfc="white", mec=ACCENT, ms=7, label=_("low base"))
        self.intervals = LineCollection([], colors=ACCENT, linewidths=2.5, alpha=0.6, label=_("confidence interval"))
        ax.add_collection(self.intervals)
        ax.axvline(0, color=MUTED, lw=0.8, zorder=1.6)  # under the points and intervals
        ax.set_xticks(self.XTICKS)
        ax.set_xlabel("NPS (−100 … +100)")
        self.texts: list = []
        self._labels: list[str] | None = None

    @property
    def dynamic(self) -> list:
        """The artists an update changes (everything else stays while the groups and the x range stay)."""
        return [self.points, self.low_points, self.intervals, *self.texts, self.ax.title]

    def static_key(self) -> tuple:
        """What the rest of the drawing depends on: the group labels and the axis limits."""
        return (tuple(self._labels or ()), self.ax.get_xlim(), self.ax.get_ylim())

    def _xlim(self, left: float, right: float, data_low: float, data_high: float) -> tuple[float, float]:
        """With ``sticky``, keep the current x range while the data fit it comfortably."""
        if self.sticky and self._labels is not None:
            cur_left, cur_right = self.ax.get_xlim()
            fits = cur_left <= data_low - 2 and cur_right >= data_high + 10
            snug = (cur_right - cur_left) <= 1.5 * (right - left)
            if fits and snug:
                return cur_left, cur_right
            # round outwards to tens: the next small change is likely to fit
            left = max(-100.0, 10.0 * np.floor(left / 10.0))
            right = min(110.0, 10.0 * np.ceil(right / 10.0))
        return left, right

    def update(self, table: pd.DataFrame, *, group: str | list[str] | None = None, letters: str | None = None,
               title: str | None = None) -> Axes:
        """Redraw with ``table`` (an NPS table); arguments as in :func:`plot_nps_by_group`."""
        ax = self.ax
        labels = _group_labels(table, group, words=self.words)
        y = np.arange(len(table))[::-1].astype(float)
        est = table["estimate"].to_numpy(dtype=float)
        lo = table["ci_low"].to_numpy(dtype=float)
        hi = table["ci_high"].to_numpy(dtype=float)
        shown = ~np.isnan(est)
        low = (table["low_base"].to_numpy(dtype=bool) if "low_base" in table else np.zeros(len(table), bool)) & shown
        self.intervals.set_segments([[(a, yy), (b, yy)] for a, b, yy in zip(lo[shown], hi[shown], y[shown],
                                                                           strict=True)])
        self.points.set_data(est[shown], y[shown])
        self.low_points.set_data(est[low], y[low])
        for text in self.texts:
            text.remove()
        self.texts = []
        n = table["n"].to_numpy() if "n" in table else np.full(len(table), np.nan)
        for i, (yi, e, h, ni, ok) in enumerate(zip(y, est, hi, n, shown, strict=True)):
            if not ok:
                self.texts.append(ax.text(0, yi, self.words["suppressed"].format(n=int(ni)), va="center", ha="center",
                                          color=MUTED, fontsize=9))
                continue
            text = signed(e)
            if letters and letters in table and str(table[letters].iloc[i]):
                text += f"  {table[letters].iloc[i]}"
            self.texts.append(ax.text(h + 1.5, yi, text, va="center", fontsize=9))
        if letters and "letter" in table:
            labels = [f"{lab} ({let})" for lab, let in zip(labels, table["letter"], strict=True)]
        finite = np.r_[lo[shown], hi[shown]]
        left = min(-10.0, np.nanmin(finite) - 5) if finite.size else -100
        right = max(10.0, np.nanmax(finite) + 15) if finite.size else 100
        left, right = max(-100, left), min(110, right)
        if finite.size:
            left, right = self._xlim(left, right, float(np.nanmin(finite)), float(np.nanmax(finite)))
        if (left, right) != tuple(ax.get_xlim()):
            ax.set_xlim(left, right)
        if labels != self._labels:  # tick labels are laid out again only when the groups change
            ax.set_yticks(y, labels)
            ax.set_ylim(-0.7, max(len(table) - 0.3, 0.7))
            self._labels = list(labels)
        ax.set_title(title or self.words["title"])
        return ax


def plot_nps_by_group(table: pd.DataFrame, *, group: str | list[str] | None = None, ax: Axes | None = None,
                      letters: str | None = None, title: str | None = None) -> Axes:
    """NPS per group as points with interval bars (suppressed groups marked, not drawn).

    Parameters
    ----------
    table
        Output of :func:`cxlab.nps.nps_table` (or ``NPSComparison.table``).
    group
        Column(s) naming the groups; default: the non-statistic columns.
    ax
        Axes to draw on.
    letters
        Column with significance letters to print beside each point (e.g. ``"higher_than"``).
    title
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    See Also
    --------
    NPSByGroupChart : the same drawing, kept for redrawing (used by the NPS explorer).
    """
    ax = get_ax(ax, figsize=(7.0, 0.45 * len(table) + 1.5))
    return NPSByGroupChart(ax).update(table, group=group, letters=letters, title=title)


def plot_nps_distribution(table: pd.DataFrame, *, group: str | list[str] | None = None, ax: Axes | None = None,
                          title: str | None = None) -> Axes:
    """Stacked bars of detractor / passive / promoter shares per group.

    Parameters
    ----------
    table
        Output of :func:`cxlab.nps.nps_table` (``pct_*`` columns).
    group, ax, title
        As in :func:`plot_nps_by_group`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = get_ax(ax, figsize=(7.0, 0.45 * len(table) + 1.5))
    labels = _group_labels(table, group)
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    for cls in NPS_CLASS_ORDER:
        share = table[f"pct_{cls}s"].to_numpy(dtype=float)
        share = np.nan_to_num(share)
        bars = ax.barh(y, share, left=left, color=NPS_PALETTE[cls], label=vocab(f"{cls}s"), height=0.7)
        for rect, s in zip(bars, share, strict=True):
            if s >= 7:
                ax.text(rect.get_x() + rect.get_width() / 2, rect.get_y() + rect.get_height() / 2, percent(s),
                        ha="center", va="center", fontsize=8, color="white" if cls != "passive" else "black")
        left = left + share
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("% of responses"))
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    ax.set_title(title or _("Detractors, passives and promoters"), pad=24)
    return ax


def plot_nps_trend(trend: pd.DataFrame, *, group: str | None = None, ax: Axes | None = None,
                   title: str | None = None) -> Axes:
    """NPS by period with its interval band; significant period-over-period changes marked.

    Parameters
    ----------
    trend
        Output of :func:`cxlab.nps.nps_trend`.
    group
        Column with one line per group (optional).
    ax, title
        Axes and title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = get_ax(ax, figsize=(8.0, 4.0))
    parts = [(None, trend)] if group is None else list(trend.groupby(group, observed=True, sort=False))
    for i, (name, part) in enumerate(parts):
        x = pd.to_datetime(part["period_start"]).to_numpy()
        est = part["estimate"].to_numpy(dtype=float)
        color = ACCENT if group is None else f"C{i}"
        ax.fill_between(x, part["ci_low"].to_numpy(dtype=float), part["ci_high"].to_numpy(dtype=float),
                        color=color, alpha=0.18, lw=0)
        ax.plot(x, est, "-o", color=color, ms=4, label="NPS" if name is None else vocab(name))
        sig = part["significant"].to_numpy(dtype=bool)
        if sig.any():
            up = sig & (part["change"].to_numpy(dtype=float) > 0)
            down = sig & ~up
            ax.plot(x[down], est[down], "v", color=NPS_PALETTE["detractor"], ms=10, ls="none",
                    label=_("significant fall") if i == 0 else None)
            ax.plot(x[up], est[up], "^", color="#009e73", ms=10, ls="none",
                    label=_("significant rise") if i == 0 else None)
    ax.axhline(0, color=MUTED, lw=0.8)
    ax.set_ylabel("NPS")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title or _("NPS over time (band: confidence interval)"))
    return ax


def plot_driver_quadrant(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Importance-versus-performance chart of the key drivers.

    Parameters
    ----------
    table
        ``DriverAnalysis.table`` from :func:`cxlab.nps.key_drivers` (``importance``,
        ``performance_pct``, ``driver``, ``quadrant``, ``importance_cut``, ``performance_cut``).
    ax, title
        Axes and title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = get_ax(ax, figsize=(7.0, 5.0))
    imp = table["importance"].to_numpy(dtype=float)
    perf = table["performance_pct"].to_numpy(dtype=float)
    colors = {"priority to improve": NPS_PALETTE["detractor"], "key strength": NPS_PALETTE["promoter"],
              "secondary strength": "#009e73", "low priority": MUTED}
    ax.scatter(perf, imp, s=90, c=[colors.get(q, MUTED) for q in table["quadrant"]], zorder=3)
    for x, y, name in zip(perf, imp, table["driver"], strict=True):
        ax.annotate(str(name).removeprefix("attr_"), (x, y), xytext=(6, 4), textcoords="offset points", fontsize=9)
    # the quadrant boundaries the analysis used (never recomputed here)
    ax.axvline(float(table["performance_cut"].iloc[0]), color=MUTED, ls="--", lw=1)
    ax.axhline(float(table["importance_cut"].iloc[0]), color=MUTED, ls="--", lw=1)
    ax.set_xlabel(_("performance (mean rating, 0–100)"))
    ax.set_ylabel(_("importance (% of explained variance)"))
    ax.text(0.01, 0.98, vocab("priority to improve"), transform=ax.transAxes, va="top",
            color=NPS_PALETTE["detractor"])
    ax.text(0.99, 0.98, vocab("key strength"), transform=ax.transAxes, va="top", ha="right",
            color=NPS_PALETTE["promoter"])
    ax.set_title(title or _("Key drivers: importance versus performance"))
    return ax


def plot_theme_lift(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Share of detractors and of promoters mentioning each theme (significant ones starred).

    Parameters
    ----------
    table
        Output of :func:`cxlab.text.theme_lift`.
    ax, title
        Axes and title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    t = table.sort_values("estimate")
    ax = get_ax(ax, figsize=(7.0, 0.5 * len(t) + 1.5))
    y = np.arange(len(t))
    h = 0.38
    ax.barh(y + h / 2, t["pct_detractors"].to_numpy(dtype=float), height=h, color=NPS_PALETTE["detractor"],
            label=vocab("detractors"))
    ax.barh(y - h / 2, t["pct_promoters"].to_numpy(dtype=float), height=h, color=NPS_PALETTE["promoter"],
            label=vocab("promoters"))
    labels = [f"{lab} *" if lean != "neither" else str(lab)
              for lab, lean in zip(t["label"], t.get("leans", ["neither"] * len(t)), strict=True)]
    ax.set_yticks(y, labels)
    ax.set_xlabel(_("% of commenters mentioning the theme"))
    ax.legend(frameon=False, loc="lower right")
    ax.set_title(title or _("Themes in comments: detractors versus promoters (* significant)"))
    return ax


def plot_cutoff_sensitivity(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """NPS under each reading of the cut-offs (one overall row per variant).

    Parameters
    ----------
    table
        Output of :func:`cxlab.nps.nps_cutoff_sensitivity` without groups.
    ax, title
        Axes and title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = get_ax(ax, figsize=(7.0, 0.55 * len(table) + 1.5))
    y = np.arange(len(table))[::-1]
    est = table["estimate"].to_numpy(dtype=float)
    colors = [ACCENT] + [MUTED] * (len(table) - 1)
    ax.barh(y, est, color=colors, height=0.6)
    ax.errorbar(est, y, xerr=[est - table["ci_low"].to_numpy(dtype=float),
                              table["ci_high"].to_numpy(dtype=float) - est], fmt="none", ecolor="black", lw=1)
    for yi, e, d in zip(y, est, table["difference"].to_numpy(dtype=float), strict=True):
        ax.text(max(e, 0) + 2, yi, signed(e) + ("" if d == 0 else f" ({signed(d)})"), va="center", fontsize=9)
    ax.set_yticks(y, [vocab(v) for v in table["variant"]])
    ax.axvline(0, color=MUTED, lw=0.8)
    ax.set_xlabel("NPS")
    ax.set_title(title or _("How the NPS moves when the cut-offs are misread"))
    return ax
