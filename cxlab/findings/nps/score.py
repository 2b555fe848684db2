"""Findings about the score itself: the overall NPS with its interval, employee NPS, how much the
cut-offs matter, and how many responses a wanted precision needs.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cxlab.findings.format import fmt_count, fmt_signed, readable_label
from cxlab.findings.i18n import _, fmt_decimal, fmt_number, ngettext
from cxlab.findings.nps.base import Finding, _PERIOD_NAMES, _ci, _g, _num, _ok, _period

__all__ = ["cutoff_sensitivity", "overall_nps", "sample_size", "enps"]


# --------------------------------------------------------------------------- the score
def cutoff_sensitivity(sens: pd.DataFrame) -> Finding:
    """How far the NPS moves when the cut-offs are read loosely (from ``nps_cutoff_sensitivity``).

    Examples
    --------
    >>> s = pd.DataFrame({"variant": ["standard", "'below 6' read as 0–5 detractors"],
    ...                   "estimate": [22.0, 33.1], "difference": [0.0, 11.1]})
    >>> print(cutoff_sensitivity(s))
    With the standard cut-offs the NPS is **+22**. Reading *'below 6' read as 0–5 detractors* gives +33, a shift of
    +11 points. State the cut-offs whenever you report an NPS.
    """
    s = sens[sens["estimate"].notna()]
    if not len(s) or not _ok(sens["estimate"].iloc[0]):
        return Finding(_("Too few answers with a score to show how the cut-offs move the NPS."))
    std = sens.iloc[0]
    worst = s.loc[s["difference"].abs().idxmax()]
    return Finding(_("With the standard cut-offs the NPS is **{standard}**. Reading *{variant}* gives {estimate}, a "
                     "shift of {shift} points. State the cut-offs whenever you report an NPS.").format(
                       standard=fmt_signed(std["estimate"]), variant=_g(worst["variant"]),
                       estimate=fmt_signed(worst["estimate"]), shift=fmt_signed(worst["difference"])),
                   details={"standard": float(std["estimate"]), "largest_shift": float(worst["difference"])})


def overall_nps(overall: Mapping, *, confidence: float = 0.95, unweighted: Mapping | None = None,
                intervals: pd.DataFrame | None = None, min_base: int = 30) -> Finding:
    """The overall NPS with its interval and base (a row of ``nps_table``).

    Examples
    --------
    >>> row = {"estimate": 21.6, "ci_low": 18.9, "ci_high": 24.2, "pct_promoters": 45.2, "pct_detractors": 23.6,
    ...        "n": 3895, "n_effective": 3895.0, "suppressed": False}
    >>> print(overall_nps(row))
    **NPS is +22** (95 % CI +19 to +24; 45 % promoters, 24 % detractors, n = 3,895).
    >>> print(overall_nps({**row, "n": 12, "estimate": float("nan"), "suppressed": True}))
    Only 12 answers have a score, fewer than the minimum base of 30: no NPS is reported.
    """
    n = int(overall["n"])
    if bool(overall.get("suppressed", False)) or not _ok(overall["estimate"]):
        return Finding(ngettext("Only {n} answer has a score, fewer than the minimum base of {min_base}: no NPS is "
                                "reported.",
                                "Only {n} answers have a score, fewer than the minimum base of {min_base}: no NPS is "
                                "reported.", n).format(n=fmt_count(n), min_base=min_base),
                       details={"n": n, "reported": False})
    text = _("**NPS is {estimate}** ({ci}; {promoters} % promoters, {detractors} % detractors, n = {n}).").format(
        estimate=fmt_signed(overall["estimate"]),
        ci=_ci(confidence, fmt_signed(overall["ci_low"]), fmt_signed(overall["ci_high"])),
        promoters=_num(overall["pct_promoters"]), detractors=_num(overall["pct_detractors"]), n=fmt_count(n))
    if unweighted is not None and _ok(unweighted.get("estimate")):
        text += _(" Weighted it is {weighted} against {unweighted} unweighted; the weights reduce the effective "
                  "sample from {n} to {n_effective}.").format(
            weighted=fmt_signed(overall["estimate"], 1), unweighted=fmt_signed(unweighted["estimate"], 1),
            n=fmt_count(n), n_effective=fmt_count(overall["n_effective"]))
    if intervals is not None and len(intervals) and intervals[["ci_low", "ci_high"]].notna().all().all():
        spread = max(intervals["ci_low"].max() - intervals["ci_low"].min(),
                     intervals["ci_high"].max() - intervals["ci_high"].min())
        text += _(" The three interval methods agree to within {spread} points at this sample size; they differ "
                  "more for small groups.").format(spread=fmt_decimal(spread, 1))
    return Finding(text, details={"n": n, "reported": True, "estimate": float(overall["estimate"])},
                   title=_("NPS is {estimate}").format(estimate=fmt_signed(overall["estimate"])), n=n,
                   interval=_ci(confidence, fmt_signed(overall["ci_low"]), fmt_signed(overall["ci_high"])),
                   method=_("share of promoters (9–10) minus share of detractors (0–6)"))


# --------------------------------------------------------------------------- planning
def sample_size(plan: pd.DataFrame, *, margin: float, per_period: float, period: str = "Q",
                change: float = 5.0) -> Finding:
    """Responses needed per wave and the current margin of error (from the planning tables).

    Examples
    --------
    >>> plan = pd.DataFrame({"change": [3.0, 5.0], "n_per_group": [9655, 3446]})
    >>> print(sample_size(plan, margin=7.4, per_period=649))
    With about 649 responses per quarter, a single quarter's NPS is known to ±7 points. Detecting a 5-point change
    needs about 3,446 responses in each of the two periods compared.
    """
    name = _PERIOD_NAMES.get(period, "period")
    row = plan[np.isclose(plan["change"], change)]
    need = int(row["n_per_group"].iloc[0]) if len(row) else None
    text = _("With about {n} responses per {period}, a single {period}'s NPS is known to ±{margin} points.").format(
        n=fmt_count(per_period), period=_period(name, "acc"), margin=fmt_number(margin, 0))
    if need is not None:
        text += _(" Detecting a {change}-point change needs about {n} responses in each of the two periods "
                  "compared.").format(change=fmt_number(change, 0), n=fmt_count(need))
    return Finding(text, details={"n_per_group": need, "margin": float(margin)})


def enps(table: pd.DataFrame, overall: Mapping, *, group: str | None, confidence: float = 0.95,
         min_base: int = 30, lift: pd.DataFrame | None = None) -> Finding:
    """Employee NPS overall and by group (``nps_table`` of the employee survey)."""
    if bool(overall.get("suppressed", False)) or not _ok(overall["estimate"]):
        return Finding(ngettext("The employee survey has {n} answer with a score, fewer than the minimum base of "
                                "{min_base}: no eNPS is reported.",
                                "The employee survey has {n} answers with a score, fewer than the minimum base of "
                                "{min_base}: no eNPS is reported.", int(overall["n"])).format(
            n=fmt_count(overall["n"]), min_base=min_base))
    text = _("**eNPS is {estimate}** ({ci}, n = {n}).").format(
        estimate=fmt_signed(overall["estimate"]),
        ci=_ci(confidence, fmt_signed(overall["ci_low"]), fmt_signed(overall["ci_high"])), n=fmt_count(overall["n"]))
    if group is not None and table is not None and len(table):
        shown = table[~table["suppressed"].astype(bool) & table[group].notna() & table["estimate"].notna()]
        hidden = table[table["suppressed"].astype(bool) & table[group].notna()]
        if len(shown) >= 2:
            lo, hi = shown.loc[shown["estimate"].idxmin()], shown.loc[shown["estimate"].idxmax()]
            text += _(" By {grouping} (descriptive): from {low} ({low_group}) to {high} ({high_group}).").format(
                grouping=readable_label(group), low=fmt_signed(lo["estimate"]), low_group=_g(lo[group]),
                high=fmt_signed(hi["estimate"]), high_group=_g(hi[group]))
        if len(hidden):
            text += (_(" Not shown (fewer than {min_base} answers): ").format(min_base=min_base)
                     + ", ".join(f"{_g(v)} (n = {fmt_count(n)})" for v, n in zip(hidden[group], hidden["n"],
                                                                                strict=True)) + ".")
    if lift is not None and len(lift):
        det = lift[lift["leans"] == "detractors"].sort_values("estimate", ascending=False)
        if len(det):
            text += _(" Detractor comments are about {themes}.").format(
                themes=", ".join(det["label"].str.lower().head(3)))
    return Finding(text, details={"estimate": float(overall["estimate"])})
