"""Channel-audit figures. Each draws a result table of :mod:`cxlab.channels`; none computes a statistic.

* :class:`GapChart` / :func:`plot_channel_gaps` — each channel's gap to the rest with its
  interval, the tolerance band, flagged channels highlighted (the explorer updates the same
  chart in place);
* :func:`plot_raw_vs_adjusted` — raw and mix-adjusted gaps side by side, with a known
  (planted) value when there is one;
* :func:`plot_consistency_heatmap` — channel × metric, coloured by the standardised gap
  (red = worse than the rest), flagged cells marked;
* :func:`plot_funnel` — funnel plot of a metric against n with control limits;
* :func:`plot_tone_profile` — channel × tone feature shares, flagged channels marked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from cxlab.plots._style import ACCENT, MUTED, get_ax
from cxlab.plots._text import N_, _, get_language, localise_colorbar, num, vocab

__all__ = ["GapChart", "plot_channel_gaps", "plot_raw_vs_adjusted", "plot_consistency_heatmap", "plot_funnel",
           "plot_tone_profile", "FLAG_COLOUR"]

#: Colour of flagged (material and significant) gaps.
FLAG_COLOUR = "#d55e00"
_UNITS = {"points": N_("NPS points"), "%": N_("percentage points"), "scale": N_("scale points"),
          "seconds": N_("seconds")}


def _unit(unit: str) -> str:
    """A unit code (``points``, ``%``...) as words in the active language; another unit as given."""
    return _(_UNITS[unit]) if unit in _UNITS else unit


def _gap(value: float, digits: int) -> str:
    """A signed gap with a true minus sign (``+3.5``, ``−2.0``; Russian ``−2,0``)."""
    if get_language() == "en":
        return f"{value:+.{digits}f}"
    return ("+" if value >= 0 else "") + num(value, digits)


def _need(table: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in table.columns]
    if missing:
        from cxlab.errors import CXLabError

        raise CXLabError(f"{what} needs the column(s) {', '.join(missing)}",
                         fix="pass the table returned by the matching cxlab.channels function")


def _nice(x: float) -> float:
    """The next 'round' number at or above ``x`` (1, 2, 2.5, 5 × 10^k)."""
    if not np.isfinite(x) or x <= 0:
        return 1.0
    k = 10 ** np.floor(np.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if m * k >= x:
            return float(m * k)
    return float(10 * k)


class GapChart:
    """Gaps of each channel to the rest, drawn once and updated in place.

    The x range only changes when the data outgrow it (or shrink well inside it), so
    successive updates usually change the moving parts only — the explorer then redraws
    just those (``dynamic``) over a cached background.

    Parameters
    ----------
    ax
        Axes to draw on.
    max_channels
        Rows reserved (the explorer's channel filter only hides rows).
    animated
        Mark the moving parts as animated (drawn by the caller over a cached background).
    """

    def __init__(self, ax: Axes, *, max_channels: int = 7, animated: bool = False):
        self.ax = ax
        self._band = ax.axvspan(0, 0, color=MUTED, alpha=0.15, lw=0, label=_("tolerance"))
        # the words of the chart, looked up once (not on every update)
        self._words = {"not_tested": _("not tested (n = {n})"), "gap": _("gap to the rest"),
                       "gap_unit": _("gap to the rest of the company ({unit})"),
                       "units": {k: _(v) for k, v in _UNITS.items()}}
        ax.axvline(0, color=MUTED, lw=0.8)
        self._lines = LineCollection([], linewidths=3, alpha=0.6)
        ax.add_collection(self._lines)
        self._points = ax.scatter([], [], s=45, zorder=3)
        self._texts = [ax.text(0, 0, "", va="center", fontsize=8) for _row in range(max_channels)]

        self._max = max_channels
        self._labels: list[str] = []
        self._width = None
        ax.set_ylim(-0.7, max_channels - 0.3)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(5))
        #: The artists that change on every update.
        self.dynamic = [self._band, self._lines, self._points, *self._texts]
        for a in self.dynamic:
            a.set_animated(animated)

    def update(self, table: pd.DataFrame, *, band: float | None = None, unit: str = "", title: str = "") -> None:
        """Show ``table`` (``channel``, ``gap``, ``ci_low``, ``ci_high``, optional ``flagged``, ``n``)."""
        t = table.head(self._max)
        k = len(t)
        y = (self._max - 1 - np.arange(k)).astype(float)  # from the top row down
        gap = t["gap"].to_numpy(dtype=float)
        lo = t["ci_low"].to_numpy(dtype=float)
        hi = t["ci_high"].to_numpy(dtype=float)
        flagged = t["flagged"].to_numpy(dtype=bool) if "flagged" in t else np.zeros(k, bool)
        ok = np.isfinite(gap)
        colours = np.where(flagged, FLAG_COLOUR, ACCENT)
        self._lines.set_segments([[(a, b), (c, b)] for a, c, b, o in zip(lo, hi, y, ok, strict=True) if o])
        self._lines.set_color([c for c, o in zip(colours, ok, strict=True) if o])
        self._points.set_offsets(np.column_stack([gap[ok], y[ok]]) if ok.any() else np.empty((0, 2)))
        self._points.set_color(colours[ok])
        width = float(np.nanmax(np.abs(np.r_[lo[ok], hi[ok], 1e-9]))) if ok.any() else 1.0
        if self._width is None or width > self._width or width < 0.4 * self._width:
            self._width = _nice(1.1 * width)
            self.ax.set_xlim(-1.2 * self._width, 1.3 * self._width)
        n = t["n"].to_numpy() if "n" in t else np.full(k, np.nan)
        digits = 2 if unit == "scale" else 1
        pad = 0.03 * self._width
        for i, txt in enumerate(self._texts):
            if i < k:
                label = (_gap(gap[i], digits).replace("-", "−") + ("  ⚑" if flagged[i] else "")
                         if ok[i] else self._words["not_tested"].format(n=int(n[i])))
                txt.set_text(label)
                txt.set_position((hi[i] + pad if ok[i] else 0.0, y[i]))
            else:
                txt.set_text("")
        b = band or 0.0
        if hasattr(self._band, "set_width"):  # matplotlib >= 3.9 returns a Rectangle
            self._band.set_x(-b)
            self._band.set_width(2 * b)
        else:  # pragma: no cover - older matplotlib: a Polygon
            self._band.set_xy([[-b, 0], [-b, 1], [b, 1], [b, 0], [-b, 0]])
        labels = [vocab(c) for c in t["channel"]]
        if labels != self._labels:  # channel names are tick labels: they change only with the filter
            self.ax.set_yticks(y, labels)
            self.ax.set_ylim(-0.7, self._max - 0.3)
            self._labels = labels
        words = self._words
        xlabel = words["gap_unit"].format(unit=words["units"].get(unit, unit)) if unit else words["gap"]
        if self.ax.get_xlabel() != xlabel:
            self.ax.set_xlabel(xlabel)
        if self.ax.get_title(loc="left") != title:
            self.ax.set_title(title, loc="left", fontsize=10)

    def static_key(self) -> tuple:
        """What the background depends on: when it is unchanged, only ``dynamic`` needs drawing."""
        return (self.ax.get_xlim(), tuple(self._labels), self.ax.get_xlabel(), self.ax.get_title(loc="left"))


def plot_channel_gaps(gaps: pd.DataFrame, *, ax: Axes | None = None, band: float | None = None, unit: str = "",
                      title: str | None = None) -> Axes:
    """Each channel's gap to the rest with its interval; flagged gaps highlighted.

    Parameters
    ----------
    gaps
        Rows of :func:`cxlab.channels.flag_gaps` (or :func:`~cxlab.channels.standardised_gaps`)
        for one metric: ``channel``, ``gap``, ``ci_low``, ``ci_high``, optional ``flagged``.
    band
        Half-width of the tolerance band, in the metric's unit.
    unit
        ``"points"``, ``"%"``, ``"scale"``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    _need(gaps, ["channel", "gap", "ci_low", "ci_high"], "plot_channel_gaps")
    ax = get_ax(ax, figsize=(7.0, 0.45 * len(gaps) + 1.6))
    chart = GapChart(ax, max_channels=max(len(gaps), 1))
    chart.update(gaps, band=band, unit=unit, title=title or "")
    return ax


def plot_raw_vs_adjusted(table: pd.DataFrame, *, ax: Axes | None = None, truth: dict | None = None,
                         unit: str = "points", title: str | None = None) -> Axes:
    """Raw and mix-adjusted gap of each channel, side by side, with known values if any.

    Parameters
    ----------
    table
        Output of :func:`cxlab.channels.mix_adjusted_gaps` (``raw_gap``, ``adjusted_gap``,
        ``standardised_gap`` and their intervals).
    truth
        Optional known values to mark, e.g. ``{"phone": (-30.8, -20.8)}`` (raw, adjusted) —
        on the demo company, the planted gaps.
    """
    _need(table, ["channel", "raw_gap", "raw_ci_low", "raw_ci_high", "adjusted_gap", "adjusted_ci_low",
                  "adjusted_ci_high"], "plot_raw_vs_adjusted")
    ax = get_ax(ax, figsize=(7.5, 0.55 * len(table) + 1.6))
    y = np.arange(len(table))[::-1].astype(float)
    series = [(_("raw"), "raw_gap", "raw_ci_low", "raw_ci_high", MUTED, 0.18),
              (_("adjusted for mix (regression, HC3)"), "adjusted_gap", "adjusted_ci_low", "adjusted_ci_high", ACCENT,
               0.0)]
    if "standardised_gap" in table:
        series.append((_("direct standardisation"), "standardised_gap", "standardised_ci_low", "standardised_ci_high",
                       "#009e73", -0.18))
    for label, est, lo, hi, colour, off in series:
        e = table[est].to_numpy(dtype=float)
        ax.hlines(y + off, table[lo], table[hi], color=colour, lw=2.5, alpha=0.6)
        ax.plot(e, y + off, "o", color=colour, ms=6, label=label)
    if truth:
        for i, ch in enumerate(table["channel"]):
            if ch in truth:
                vals = truth[ch] if isinstance(truth[ch], (tuple, list)) else (truth[ch],)
                for v, off in zip(vals, (0.18, 0.0), strict=False):
                    if v is not None:
                        ax.plot(v, y[i] + off, marker="|", color="black", ms=14, mew=2)
        ax.plot([], [], marker="|", color="black", ls="", ms=12, mew=2, label=_("planted (demo truth)"))
    ax.axvline(0, color=MUTED, lw=0.8)
    ax.set_yticks(y, [vocab(c) for c in table["channel"]])
    ax.set_xlabel(_("gap to the rest of the company ({unit})").format(unit=_unit(unit)))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    if title:
        ax.set_title(title, loc="left")
    return ax


def plot_consistency_heatmap(gaps: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
                             limit: float = 0.6) -> Axes:
    """Channel × metric heatmap of standardised gaps (red: worse than the rest), flags marked.

    Each cell prints the gap in the metric's own unit (percentage points, ``pp``, for
    percentages), in white on the darkest cells so that the largest gaps stay readable.

    Parameters
    ----------
    gaps
        Output of :func:`cxlab.channels.flag_gaps` on :func:`~cxlab.channels.audit_gaps`.
    limit
        Colour scale limit, in standard deviations.
    """
    _need(gaps, ["metric", "channel", "gap", "effect_size", "flagged"], "plot_consistency_heatmap")
    g = gaps.copy()
    hib = g["higher_is_better"].to_numpy(dtype=bool) if "higher_is_better" in g else np.ones(len(g), bool)
    g["good"] = np.where(hib, 1.0, -1.0) * g["effect_size"].to_numpy(dtype=float)
    label = g["label"] if "label" in g else g["metric"]
    g["metric_label"] = label.map(vocab)
    metrics = list(dict.fromkeys(g["metric_label"]))
    channels = list(dict.fromkeys(g["channel"]))
    val = g.pivot(index="channel", columns="metric_label", values="good").reindex(index=channels, columns=metrics)
    gap = g.pivot(index="channel", columns="metric_label", values="gap").reindex(index=channels, columns=metrics)
    flag = g.pivot(index="channel", columns="metric_label", values="flagged").reindex(
        index=channels, columns=metrics).fillna(False).astype(bool)
    # a gap in a percentage is in percentage points: said in the cell
    units = (g.drop_duplicates("metric_label").set_index("metric_label")["unit"].reindex(metrics)
             if "unit" in g else pd.Series("", index=metrics))
    shade = val.to_numpy(dtype=float)
    ax = get_ax(ax, figsize=(1.25 * len(metrics) + 2.5, 0.5 * len(channels) + 1.8))
    im = ax.imshow(val.to_numpy(dtype=float), cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto")
    points = " " + _("pp")  # percentage points
    for i in range(len(channels)):
        for j in range(len(metrics)):
            v = gap.iat[i, j]
            if pd.isna(v):
                ax.text(j, i, "–", ha="center", va="center", color=MUTED, fontsize=8)
                continue
            text = _gap(v, 1) + (points if units.iat[j] == "%" else "") + (" ⚑" if flag.iat[i, j] else "")
            dark = np.isfinite(shade[i, j]) and abs(shade[i, j]) > 0.55 * limit  # white on the darkest cells
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white" if dark else "black",
                    fontweight="bold" if flag.iat[i, j] else "normal")
    ax.set_xticks(range(len(metrics)), metrics, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(channels)), [vocab(c) for c in channels])
    ax.grid(False)
    cbar = ax.figure.colorbar(im, ax=ax, shrink=0.8)
    cbar.set_label(_("gap in SD (blue better, red worse)"))
    localise_colorbar(cbar)
    ax.set_title(title or _("Gap to the rest of the company (⚑ significant and material)"), loc="left", fontsize=10)
    return ax


def plot_funnel(points: pd.DataFrame, limits: pd.DataFrame, *, ax: Axes | None = None, unit: str = "",
                title: str | None = None) -> Axes:
    """Funnel plot: each channel's value against its n, with the control limits.

    Parameters
    ----------
    points, limits
        Output of :func:`cxlab.channels.funnel_limits`.
    """
    _need(points, ["channel", "n", "estimate", "target"], "plot_funnel")
    ax = get_ax(ax, figsize=(7.0, 4.2))
    lows = [c for c in limits.columns if c.startswith("low_")]
    styles = ["--", ":"]
    for k, low in enumerate(lows):
        tag = low[4:]
        ax.plot(limits["n"], limits[low], styles[k % 2], color=MUTED, lw=1,
                label=_("{level}% limits").format(level=tag if get_language() == "en" else tag.replace(".", ",")))
        ax.plot(limits["n"], limits[f"high_{tag}"], styles[k % 2], color=MUTED, lw=1)
    ax.axhline(points["target"].iloc[0], color=MUTED, lw=0.8)
    out_cols = [c for c in points.columns if c.startswith("outside_")]
    outside = points[out_cols[-1]].to_numpy(dtype=bool) if out_cols else np.zeros(len(points), bool)
    ax.scatter(points["n"], points["estimate"], c=np.where(outside, FLAG_COLOUR, ACCENT), s=40, zorder=3)
    for _row, r in points.iterrows():
        ax.annotate(vocab(r["channel"]), (r["n"], r["estimate"]), textcoords="offset points", xytext=(5, 3),
                    fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel(_("answers (n, log scale)"))
    ax.set_ylabel(_unit(unit) or _("value"))
    ax.legend(fontsize=8, frameon=False)
    if title:
        ax.set_title(title, loc="left")
    return ax


def plot_tone_profile(profile: pd.DataFrame, *, divergence: pd.DataFrame | None = None, ax: Axes | None = None,
                      title: str | None = None) -> Axes:
    """Channel × tone feature: % of messages with each feature; flagged channels marked ⚑.

    Parameters
    ----------
    profile
        Output of :func:`cxlab.channels.tone_profile`.
    divergence
        Optional output of :func:`cxlab.channels.tone_divergence` (adds the score and flag
        to each channel's label).
    """
    _need(profile, ["channel", "feature", "estimate"], "plot_tone_profile")
    p = profile[profile["feature"] != "words"]
    wide = p.pivot(index="channel", columns="feature", values="estimate")
    wide = wide.reindex(index=list(dict.fromkeys(p["channel"])), columns=list(dict.fromkeys(p["feature"])))
    labels = [vocab(c) for c in wide.index]
    if divergence is not None and len(divergence):
        d = divergence.set_index("channel")
        labels = [f"{vocab(c)}  ({num(d.at[c, 'divergence'], 2)}{' ⚑' if bool(d.at[c, 'flagged']) else ''})"
                  if c in d.index and pd.notna(d.at[c, "divergence"]) else vocab(c) for c in wide.index]
    ax = get_ax(ax, figsize=(0.75 * wide.shape[1] + 3, 0.45 * wide.shape[0] + 1.8))
    ax.imshow(wide.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=100, aspect="auto")
    for i in range(wide.shape[0]):
        for j in range(wide.shape[1]):
            v = wide.iat[i, j]
            ax.text(j, i, "–" if pd.isna(v) else f"{v:.0f}", ha="center", va="center", fontsize=8,
                    color="white" if (not pd.isna(v) and v > 60) else "black")
    ax.set_xticks(range(wide.shape[1]), [vocab(c, readable=True) for c in wide.columns], rotation=30, ha="right")
    ax.set_yticks(range(wide.shape[0]), labels)
    ax.grid(False)
    ax.set_title(title or _("Tone of outgoing messages (% of messages; divergence, ⚑ off-brand)"), loc="left",
                 fontsize=10)
    return ax
