"""Figures of the say–do gap. Each takes a result table of :mod:`cxlab.survey_vs_behaviour`; none computes.

``draw_*`` functions draw on a given Axes and are what the explorer widget reuses; the
``plot_*`` functions create the Axes when none is given and return it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from cxlab.plots._style import ACCENT, MUTED, NPS_PALETTE, SEQUENTIAL_CMAP, get_ax
from cxlab.plots._text import N_, _, count, get_language, pct, signed, vocab

__all__ = ["plot_coverage", "plot_love", "plot_agreement_heatmap", "draw_agreement_heatmap",
           "update_agreement_heatmap", "plot_claims", "draw_claims", "update_claims", "plot_bland_altman", "plot_calibration", "plot_outcome_by_class", "plot_driver_triad",
           "plot_offer_backtest", "OVER_COLOUR", "UNDER_COLOUR"]

OVER_COLOUR = "#d55e00"
UNDER_COLOUR = "#0072b2"


def _label(text: str) -> str:
    return str(text).replace("_", " ")


#: The answers of the canonical survey a say-do table compares (``stated_<x>`` against ``actual_<x>``).
_SAY_DO = {"price_tier": N_("price tier"), "frequency": N_("purchase frequency"),
           "favourite_category": N_("favourite category"), "favourite": N_("favourite category")}


def _side(name: str, side: str) -> str:
    """An axis name of a stated × actual table: ``actual price tier`` in English, "ценовой сегмент" in Russian."""
    if get_language() == "en":
        return _label(name)
    part = str(name).removeprefix(f"{side}_")
    return _(_SAY_DO[part]) if part in _SAY_DO else _label(name)


def plot_coverage(coverage: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of the linking coverage report (:attr:`SurveyLink.coverage`)."""
    ax = get_ax(ax, (7, 0.5 + 0.45 * len(coverage)))
    colours = [ACCENT if o == "linked" else MUTED for o in coverage["outcome"]]
    labels = [f"{vocab(o)}: {vocab(d, readable=True)}" for o, d in zip(coverage["outcome"], coverage["detail"])]
    y = np.arange(len(coverage))[::-1]
    ax.barh(y, coverage["share"] * 100, color=colours)
    for yi, (n, s) in zip(y, zip(coverage["n"], coverage["share"])):
        ax.text(s * 100, yi, f" {count(n)}", va="center", fontsize=8)
    ax.set_yticks(y, labels)
    ax.set_xlabel(_("% of responses"))
    ax.set_title(_("How survey responses were linked to customers"))
    return ax


def plot_love(balance: pd.DataFrame, ax: Axes | None = None, *, threshold: float = 0.1) -> Axes:
    """Love plot: standardised mean differences before (and after) weighting (:func:`balance_table`)."""
    ax = get_ax(ax, (7, 0.6 + 0.28 * len(balance)))
    y = np.arange(len(balance))[::-1]
    ax.scatter(balance["smd"], y, color=MUTED, label=_("respondents, unweighted"), zorder=3)
    if "smd_weighted" in balance.columns:
        ax.scatter(balance["smd_weighted"], y, color=ACCENT, marker="D", label=_("respondents, weighted"), zorder=3)
    for x in (-threshold, threshold):
        ax.axvline(x, color="#999999", ls="--", lw=0.8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, [_label(v) for v in balance["variable"]], fontsize=8)
    ax.set_xlabel(_("standardised mean difference vs the customer base"))
    ax.set_title(_("Are respondents like the customer base?"))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return ax


def _row_shares(confusion: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    counts = confusion.to_numpy(dtype=float)
    rows = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return counts, np.where(rows > 0, counts / rows, 0.0)


def draw_agreement_heatmap(ax: Axes, confusion: pd.DataFrame, *, title: str | None = None,
                           annotate: bool = True) -> None:
    """Draw a stated × actual count table as a row-normalised heatmap, with counts and row % when ``annotate``."""
    counts, share = _row_shares(confusion)
    ax.imshow(share, cmap=SEQUENTIAL_CMAP, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    k = counts.shape[0]
    for i in range(k if annotate else 0):
        for j in range(counts.shape[1]):
            ax.text(j, i, f"{count(counts[i, j])}\n{pct(share[i, j])}", ha="center", va="center", fontsize=8,
                    color="white" if share[i, j] > 0.6 else "black")
    ax.set_xticks(range(counts.shape[1]), [_label(c) for c in confusion.columns], fontsize=8, rotation=20)
    ax.set_yticks(range(k), [_label(c) for c in confusion.index], fontsize=8)
    xname, yname = confusion.columns.name, confusion.index.name
    ax.set_xlabel(_("actual") if xname in (None, "actual")
                  else _("actual ({what})").format(what=_side(xname, "actual")))
    ax.set_ylabel(_("stated") if yname in (None, "stated")
                  else _("stated ({what})").format(what=_side(yname, "stated")))
    ax.set_title(title or _("Stated vs actual (row %: of those who said it)"))
    ax.grid(False)


def update_agreement_heatmap(ax: Axes, confusion: pd.DataFrame) -> None:
    """Refresh the colours of a heatmap drawn by :func:`draw_agreement_heatmap` (same levels) in place."""
    ax.images[0].set_data(_row_shares(confusion)[1])


def plot_agreement_heatmap(confusion: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Heatmap of the stated × actual table (:attr:`Agreement.confusion`); the diagonal is agreement."""
    ax = get_ax(ax, (5.5, 4.2))
    draw_agreement_heatmap(ax, confusion, title=title)
    return ax


_CLAIM_SERIES = {"over": (OVER_COLOUR, N_("over-claim (said more)")),
                 "under": (UNDER_COLOUR, N_("under-claim (said less)")), "agree": (ACCENT, N_("agree"))}


def _claim_values(c: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray]:
    est = np.nan_to_num(c[col].to_numpy(dtype=float) * 100)
    err = np.vstack([est - c[f"{col}_low"].to_numpy(dtype=float) * 100, c[f"{col}_high"].to_numpy(dtype=float) * 100 - est])
    return est, np.clip(np.nan_to_num(err), 0, None)


def draw_claims(ax: Axes, claims: pd.DataFrame, *, title: str | None = None, series=("over", "under"),
                show_n: bool = True) -> list:
    """Shares with intervals, one group of bars per row of ``claims`` (default over- and under-claim).

    Returns the bar containers, which :func:`update_claims` refreshes in place.
    """
    c = claims.dropna(subset=[series[0]]) if show_n else claims
    y = np.arange(len(c))[::-1]
    h = 0.8 / len(series)
    containers = []
    for i, col in enumerate(series):
        colour, lab = _CLAIM_SERIES[col]
        est, err = _claim_values(c, col)
        off = h * (len(series) - 1) / 2 - i * h
        containers.append(ax.barh(y + off, est, height=h, color=colour, label=_(lab), xerr=err,
                                  error_kw={"lw": 0.8, "capsize": 2}))
    labels = ([f"{vocab(g)} (n={count(n)})" for g, n in zip(c["group"], c["n"])] if show_n
              else [vocab(g) for g in c["group"]])
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(_("% of respondents"))
    ax.set_title(title or _("Direction of the gap"))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return containers


def update_claims(containers: list, claims: pd.DataFrame, *, series=("over", "under")) -> None:
    """Refresh bars drawn by :func:`draw_claims` (``show_n=False``, same rows) in place: widths and intervals."""
    for cont, col in zip(containers, series):
        est, err = _claim_values(claims, col)
        for rect, e in zip(cont.patches, est):
            rect.set_width(e)
        lines = cont.errorbar.lines[2][0]
        y = np.array([r.get_y() + r.get_height() / 2 for r in cont.patches])
        lines.set_segments([[(e - lo, yy), (e + hi, yy)] for e, lo, hi, yy in zip(est, err[0], err[1], y)])
        caps = cont.errorbar.lines[1]
        if len(caps) == 2:
            caps[0].set_data(est - err[0], y)
            caps[1].set_data(est + err[1], y)


def plot_claims(claims: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Over/under-claim bars by group with intervals (:attr:`Agreement.claims`)."""
    ax = get_ax(ax, (7, 0.8 + 0.45 * len(claims)))
    draw_claims(ax, claims, title=title)
    return ax


def plot_bland_altman(result, ax: Axes | None = None) -> Axes:
    """Bland–Altman plot: difference (stated − actual) against the pair mean, bias and limits."""
    ax = get_ax(ax, (7, 4.2))
    pts, st = result.points, result.statistics.set_index("statistic")
    ax.scatter(pts["mean"], pts["difference"], s=8, alpha=0.25, color=MUTED, rasterized=True)
    names = ({k: _label(k) for k in ("bias", "loa_low", "loa_high")} if get_language() == "en" else
             {"bias": _("bias"), "loa_low": _("lower limit of agreement"), "loa_high": _("upper limit of agreement")})
    for name, style in (("bias", "-"), ("loa_low", "--"), ("loa_high", "--")):
        r = st.loc[name]
        ax.axhline(r.estimate, color=ACCENT, ls=style, lw=1.2)
        ax.axhspan(r.ci_low, r.ci_high, color=ACCENT, alpha=0.12, lw=0)
        ax.text(pts["mean"].max(), r.estimate, f" {names[name]} {signed(r.estimate, 2)}", va="bottom", ha="right",
                fontsize=8, color=ACCENT)
    ax.axhline(0, color="black", lw=0.6)
    scale = " (log10(1 + x))" if getattr(result, "log", False) else ""
    ax.set_xlabel(_("mean of stated and actual") + scale)
    ax.set_ylabel(_("stated − actual") + scale)
    ax.set_title(_("Bland–Altman: how far stated is from actual"))
    return ax


def plot_calibration(calibration: pd.DataFrame, ax: Axes | None = None, *, x: str = "predicted",
                     y: str = "observed", xlabel: str | None = None, ylabel: str | None = None,
                     title: str | None = None) -> Axes:
    """Predicted (or stated) against observed with intervals, and the diagonal of perfect agreement.

    ``xlabel``, ``ylabel``, ``title`` default to "predicted probability", "observed share" and
    "Calibration" in the active language.
    """
    ax = get_ax(ax, (5, 4.5))
    xv, yv = calibration[x].to_numpy(float), calibration[y].to_numpy(float)
    err = np.clip(np.nan_to_num(np.vstack([yv - calibration["ci_low"].to_numpy(float),
                                           calibration["ci_high"].to_numpy(float) - yv])), 0, None)
    lo, hi = np.nanmin([xv.min(), np.nanmin(calibration["ci_low"])]), np.nanmax([xv.max(), np.nanmax(calibration["ci_high"])])
    ax.plot([lo, hi], [lo, hi], color="#999999", ls="--", lw=0.8, label=_("perfect agreement"))
    ax.errorbar(xv, yv, yerr=err, fmt="o-", color=ACCENT, ms=4, capsize=2, label=_("observed (interval)"))
    ax.set_xlabel(_("predicted probability") if xlabel is None else xlabel)
    ax.set_ylabel(_("observed share") if ylabel is None else ylabel)
    ax.set_title(_("Calibration") if title is None else title)
    ax.legend(fontsize=8, frameon=False)
    return ax


def plot_outcome_by_class(table: pd.DataFrame, ax: Axes | None = None, *, column: str = "repurchase",
                          ylabel: str | None = None) -> Axes:
    """Repurchase (or revenue) by NPS class with intervals (:func:`outcome_by_nps_class`).

    ``ylabel`` defaults to "bought again (%)" in the active language.
    """
    ax = get_ax(ax, (5, 4))
    scale = 100 if column == "repurchase" else 1
    low, high = ("repurchase_low", "repurchase_high") if column == "repurchase" else ("value_low", "value_high")
    est = table[column].to_numpy(float) * scale
    err = np.clip(np.nan_to_num(np.vstack([est - table[low].to_numpy(float) * scale,
                                           table[high].to_numpy(float) * scale - est])), 0, None)
    x = np.arange(len(table))
    ax.bar(x, est, color=[NPS_PALETTE.get(c, MUTED) for c in table["nps_class"]], yerr=err, capsize=3)
    ax.set_xticks(x, [f"{vocab(c)}\n(n={count(n)})" for c, n in zip(table["nps_class"], table["n"])])
    ax.set_ylabel(_("bought again (%)") if ylabel is None else ylabel)
    ax.set_title(_("What each NPS class did next"))
    return ax


def plot_driver_triad(triad: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Say-importance next to do-importance per attribute, with intervals (:func:`driver_triad`)."""
    ax = get_ax(ax, (7, 0.8 + 0.55 * len(triad)))
    t = triad.sort_values("say")
    y = np.arange(len(t))
    h = 0.38
    for off, col, colour, lab in ((h / 2, "say", MUTED, _("drives likelihood to recommend (β, SD units)")),
                                  (-h / 2, "do", ACCENT, _("drives actual repurchase (log-odds per SD)"))):
        est = t[col].to_numpy(float)
        err = np.clip(np.vstack([est - t[f"{col}_low"].to_numpy(float), t[f"{col}_high"].to_numpy(float) - est]), 0, None)
        ax.barh(y + off, est, height=h, color=colour, xerr=err, label=lab, error_kw={"lw": 0.8, "capsize": 2})
    ax.axvline(0, color="black", lw=0.6)
    ax.set_yticks(y, [_label(d) for d in t["driver"]])
    ax.set_title(_("What drives what they say vs what they do"))
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    return ax


def plot_offer_backtest(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Share who would have bought the offered category, by offer strategy (:class:`OfferBacktest`)."""
    ax = get_ax(ax, (5, 3.5))
    est = summary["rate"].to_numpy(float) * 100
    err = np.clip(np.vstack([est - summary["ci_low"].to_numpy(float) * 100,
                             summary["ci_high"].to_numpy(float) * 100 - est]), 0, None)
    x = np.arange(len(summary))
    ax.bar(x, est, color=[MUTED, ACCENT][: len(summary)], yerr=err, capsize=4)
    offer = {"stated": _("offer the stated favourite"), "revealed": _("offer the revealed favourite")}
    ax.set_xticks(x, [offer.get(s) or _("offer the {strategy} favourite").format(strategy=s)
                      for s in summary["strategy"]])
    ax.set_ylabel(_("bought it in the test window (%)"))
    ax.set_title(_("Offer back-test"))
    return ax
