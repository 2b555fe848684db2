"""Findings that compare groups: which group is behind (only with a significant test behind it), and
whether a gap remains once the customer mix is taken into account.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxlab.findings.format import fmt_count, fmt_p, fmt_pct, fmt_signed, readable_label
from cxlab.findings.i18n import _, fmt_number, get_language, ngettext
from cxlab.findings.nps.base import Finding, MISSING_LABEL, NO_EVIDENCE, _ci, _g, _n_needed, _noun, _num, _ok, _shown

__all__ = ["group_differences", "mix_gap"]


# --------------------------------------------------------------------------- groups
def group_differences(comparison, *, grouping: str, confidence: float = 0.95, min_base: int = 30,
                      p_promoter: float | None = None, p_detractor: float | None = None,
                      power: float = 0.8, left_out: int = 0) -> Finding:
    """Do the groups differ? From an ``NPSComparison`` (``cxlab.nps.nps_pairwise``).

    The lowest group is only named as behind when a Holm-adjusted pairwise NPS test puts
    it below at least one other group (those tests control the family-wise error by
    themselves; the chi-square of the whole detractor/passive/promoter mix is reported
    beside them). When neither the chi-square nor any pairwise test is significant, the
    finding says there is no evidence of a difference at this sample size and, given the
    overall promoter and detractor shares, how many responses per group a two-sided test
    with the given power would need to tell two groups apart by the observed gap, at a
    significance level Bonferroni-corrected for the number of pairs
    (:func:`cxlab.nps.nps_sample_size`).

    Parameters
    ----------
    comparison
        Result of :func:`cxlab.nps.nps_pairwise`.
    grouping
        What a group is, in words (``"channel"``, ``"country"``).
    confidence, min_base
        As used for the comparison (alpha is ``comparison.alpha``).
    p_promoter, p_detractor, power
        Overall shares (fractions) and power for the responses-needed figure.
    left_out
        Answers without a value in the grouping column, removed before the comparison
        (said in the finding).

    Returns
    -------
    Finding
        ``details``: ``shown`` (groups with a value), ``suppressed``, ``significant``
        (chi-square), ``lowest``, ``highest``, ``lowest_established``, ``below_count``,
        ``gap``, ``n_needed`` (per group, or None).

    Examples
    --------
    >>> from cxlab.nps import nps_pairwise
    >>> df = pd.DataFrame({"channel": ["web"] * 60 + ["shop"] * 60,
    ...                    "likelihood_to_recommend": [10, 9, 8, 3] * 15 + [10, 7, 7, 2] * 15})
    >>> print(group_differences(nps_pairwise(df, by="channel"), grouping="channel"))
    The mix of detractors, passives and promoters differs between channels (chi-square = 10.0 on 2 df, p = 0.007,
    Cramér's V = 0.29). No single pair differs after Holm correction. **shop** has the lowest NPS, 0 (95 % CI
    −18 to +18, n = 60), but it is not significantly below any other channel.
    """
    table, pw, om = comparison.table, comparison.pairwise, comparison.omnibus.iloc[0]
    alpha = comparison.alpha
    shown = _shown(table)
    hidden = table[table["suppressed"].astype(bool) & (table["group"].astype(str) != MISSING_LABEL)]
    missing = table[table["group"].astype(str) == MISSING_LABEL]
    base = {"grouping": grouping, "shown": len(shown), "suppressed": len(hidden), "significant": False,
            "lowest": None,
            "highest": None, "lowest_established": False, "below_count": 0, "gap": None, "n_needed": None}
    tail = _left_out(len(hidden), int(missing["n"].sum()) + int(left_out), grouping, min_base)
    if len(shown) == 0:
        return Finding(_("No {group} has at least {min_base} answers, so NPS by {grouping} is not shown and no test "
                         "is run.").format(group=_noun(grouping, 1), min_base=min_base,
                                           grouping=readable_label(grouping)), details=base)
    if len(shown) == 1:
        only = shown.iloc[0]
        return Finding(_("Only one {group} ({name}) has at least {min_base} answers, so there is nothing to compare "
                         "it with.").format(group=grouping if get_language() == "en" else _noun(grouping, 1),
                                            name=_g(only["group"]), min_base=min_base) + tail, details=base)
    lowest = shown.loc[shown["estimate"].idxmin()]
    highest = shown.loc[shown["estimate"].idxmax()]
    gap = float(highest["estimate"] - lowest["estimate"])
    base.update(lowest=str(lowest["group"]), highest=str(highest["group"]), gap=gap,
                lowest_estimate=float(lowest["estimate"]), highest_estimate=float(highest["estimate"]))
    chi = _("chi-square = {statistic} on {dof} df, {p}").format(statistic=_num(om["statistic"], 1),
                                                                 dof=int(om["dof"]), p=fmt_p(om["p_value"]))
    significant = _ok(om["p_value"]) and float(om["p_value"]) < alpha
    sig = pw[pw["significant"].astype(bool)] if len(pw) else pw
    below = sig[((sig["group_a"] == lowest["group"]) & (sig["estimate"] < 0))
                | ((sig["group_b"] == lowest["group"]) & (sig["estimate"] > 0))]
    k = len(below)
    adjust = _(comparison.adjust.capitalize())
    base.update(significant=bool(significant), below_count=k, pairs_significant=len(sig))
    if not significant and not len(sig):
        return _no_group_difference(shown, lowest, highest, gap, chi, base, tail, grouping=grouping,
                                    confidence=confidence, p_promoter=p_promoter, p_detractor=p_detractor,
                                    power=power, adjust=adjust)
    return _groups_differ(shown, lowest, highest, sig, k, om, chi, significant, base, tail, grouping=grouping,
                          confidence=confidence, adjust=adjust)


def _left_out(n_hidden: int, n_missing: int, grouping: str, min_base: int) -> str:
    """The sentences saying which groups and answers are not in the comparison ("" when none)."""
    notes = []
    if n_hidden:
        notes.append(ngettext("{k} {groups} with fewer than {min_base} answers is not shown and not tested.",
                              "{k} {groups} with fewer than {min_base} answers are not shown and not tested.",
                              n_hidden).format(k=n_hidden, min_base=min_base,
                                               groups=_noun(grouping, n_hidden, counted=True)))
    if n_missing:
        notes.append(ngettext("{n} answer without a {grouping} is left out of the comparison.",
                              "{n} answers without a {grouping} are left out of the comparison.",
                              n_missing).format(n=fmt_count(n_missing), grouping=readable_label(grouping)))
    return (" " + " ".join(notes)) if notes else ""


def _no_group_difference(shown: pd.DataFrame, lowest: pd.Series, highest: pd.Series, gap: float, chi: str,
                         base: dict[str, Any], tail: str, *, grouping: str, confidence: float,
                         p_promoter: float | None, p_detractor: float | None, power: float, adjust: str) -> Finding:
    """No test finds a difference: say so, and how many answers per group would tell the gap seen apart."""
    n_pairs = len(shown) * (len(shown) - 1) // 2
    need = _n_needed(gap, p_promoter, p_detractor, power, 1 - (1 - confidence) / max(n_pairs, 1))
    base["n_needed"] = need
    text = _("Across the {k} {groups} shown there is **{no_evidence}** ({chi}).").format(
        k=len(shown), groups=_noun(grouping, len(shown), "gen", counted=True), no_evidence=_(NO_EVIDENCE),
        chi=chi)
    if gap < 1:
        text += _(" Their NPS are within a point of each other ({estimate}).").format(
            estimate=fmt_signed(lowest["estimate"]))
    else:
        text += _(" Their NPS range from {low} ({low_group}) to {high} ({high_group}), within what chance alone "
                  "produces with about {n} answers per {group}.").format(
            low=fmt_signed(lowest["estimate"]), low_group=_g(lowest["group"]),
            high=fmt_signed(highest["estimate"]), high_group=_g(highest["group"]),
            n=fmt_count(shown["n"].median()), group=_noun(grouping, 1, "acc"))
    if need is not None:
        text += ngettext(" Telling two of them apart by a {gap}-point gap with {power} power, in tests corrected for "
                         "the {pairs} pairs, would need about {n} answer per {group}.",
                         " Telling two of them apart by a {gap}-point gap with {power} power, in tests corrected for "
                         "the {pairs} pairs, would need about {n} answers per {group}.", int(need)).format(
            gap=fmt_number(gap, 0), power=fmt_pct(power), pairs=n_pairs, n=fmt_count(need),
            group=_noun(grouping, 1, "acc"))
    return Finding(text + tail, evidence=False, details=base,
                   title=_("No evidence that {groups} differ in NPS").format(groups=_noun(grouping, 2)),
                   n=int(shown["n"].sum()),
                   method=_("chi-square test of the detractor/passive/promoter mix; pairwise z-tests, "
                            "{adjust}-adjusted").format(adjust=adjust))


def _groups_differ(shown: pd.DataFrame, lowest: pd.Series, highest: pd.Series, sig: pd.DataFrame, k: int, om,
                   chi: str, significant: bool, base: dict[str, Any], tail: str, *, grouping: str,
                   confidence: float, adjust: str) -> Finding:
    """A test finds a difference: name the lowest group as behind only when a pairwise test puts it below."""
    desc = _("**{group}** has the lowest NPS, {estimate} ({ci}, n = {n})").format(
        group=_g(lowest["group"]), estimate=fmt_signed(lowest["estimate"]),
        ci=_ci(confidence, fmt_signed(lowest["ci_low"]), fmt_signed(lowest["ci_high"])), n=fmt_count(lowest["n"]))
    if significant:
        lead = _("The mix of detractors, passives and promoters differs between {groups} ({chi}, Cramér's V = "
                 "{v}).").format(groups=_noun(grouping, 2, "ins"), chi=chi, v=_num(om["effect_size"], 2))
    else:
        lead = _("The chi-square test of the whole detractor/passive/promoter mix finds no overall difference "
                 "between {groups} ({chi}), but the pairwise NPS tests do find some.").format(
            groups=_noun(grouping, 2, "ins"), chi=chi)
    method = _("chi-square test; pairwise z-tests, {adjust}-adjusted").format(adjust=adjust)
    if k == 0:
        pairs = [_("{higher} above {lower} ({points} points, adjusted {p})").format(
                     higher=_g(r.group_a if r.estimate > 0 else r.group_b),
                     lower=_g(r.group_b if r.estimate > 0 else r.group_a),
                     points=fmt_signed(abs(r.estimate)), p=fmt_p(r.p_adjusted))
                 for r in sig.head(3).itertuples()]
        text = lead + (_(" After {adjust} correction: ").format(adjust=adjust) + "; ".join(pairs) + "." if pairs
                       else _(" No single pair differs after {adjust} correction.").format(adjust=adjust))
        text += _(" {desc}, but it is not significantly below any other {group}.").format(
            desc=desc, group=_noun(grouping, 1, "gen"))
        return Finding(text + tail, evidence=True, details=base,
                       title=_("The {groups} differ in NPS, none clearly lowest").format(groups=_noun(grouping, 2)),
                       n=int(shown["n"].sum()), method=method)
    base["lowest_established"] = True
    text = _("{lead} {desc}, significantly below {k} of the other {others} {groups} after {adjust} correction; the "
             "highest is {highest} at {high}.").format(
        lead=lead, desc=desc, k=k, others=len(shown) - 1,
        groups=_noun(grouping, len(shown) - 1, "gen", counted=True), adjust=adjust, highest=_g(highest["group"]),
        high=fmt_signed(highest["estimate"]))
    return Finding(text + tail, evidence=True, details=base,
                   title=_("{group} has the lowest NPS of the {groups}").format(
                       group=_g(lowest["group"]), groups=_noun(grouping, 2, "gen")),
                   n=int(lowest["n"]),
                   interval=_ci(confidence, fmt_signed(lowest["ci_low"]), fmt_signed(lowest["ci_high"])),
                   method=method)


def mix_gap(mix: pd.DataFrame, *, group: str, stratum: str, target: str | None, min_base: int = 30,
            established: bool = False) -> Finding:
    """Is a group's gap still there within strata (e.g. within each price tier)?

    Parameters
    ----------
    mix
        ``nps_table(data, by=[stratum, group])``.
    group, stratum
        The two columns.
    target
        The group examined (the lowest one), or ``None`` when no group was found to be
        behind (then the table is descriptive only).
    min_base
        The minimum base used (for the sentence).
    established
        Whether :func:`group_differences` established the target as behind.

    Returns
    -------
    Finding
        ``details``: ``all_suppressed``, ``consistent`` (behind in every stratum compared),
        ``gaps`` {stratum: points}.

    Examples
    --------
    >>> mix = pd.DataFrame({"tier": ["low", "low", "high", "high"], "channel": ["web", "shop"] * 2,
    ...                     "estimate": [-10.0, 5.0, 2.0, 20.0], "suppressed": [False] * 4})
    >>> print(mix_gap(mix, group="channel", stratum="tier", target="web", established=True))
    Within each tier where it can be compared (2 of 2), web is −18 to −15 points from the other channels' average,
    so its gap is not only a matter of which customers use it (descriptive: these cells are small).
    """
    g_name, s_name = readable_label(group), readable_label(stratum)
    shown = mix[~mix["suppressed"].astype(bool) & mix["estimate"].notna()
                & mix[group].notna() & mix[stratum].notna()]
    details: dict[str, Any] = {"all_suppressed": len(shown) == 0, "consistent": False, "gaps": {},
                               "stratum": stratum}
    if not len(shown):
        return Finding(_("Every {group} × {stratum} cell has fewer than {min_base} answers, so the NPS within each "
                         "{stratum_one} is not shown and {groups} cannot be compared within {strata} at this sample "
                         "size.").format(group=g_name, stratum=s_name, min_base=min_base,
                                         stratum_one=_noun(stratum, 1, "gen"), groups=_noun(group, 2),
                                         strata=_noun(stratum, 2, "gen")), details=details)
    if target is None or not established:
        return Finding(ngettext("{k} {group} × {stratum} cell has at least {min_base} answers. With no {group_one} "
                                "established as behind overall, the table is descriptive: it shows where the {group} "
                                "NPS stand within each {stratum_one}.",
                                "{k} {group} × {stratum} cells have at least {min_base} answers. With no {group_one} "
                                "established as behind overall, the table is descriptive: it shows where the {group} "
                                "NPS stand within each {stratum_one}.", len(shown)).format(
                           k=len(shown), group=g_name, stratum=s_name, min_base=min_base,
                           group_one=_noun(group, 1), stratum_one=_noun(stratum, 1, "gen")), details=details)
    gaps = {}
    for s, part in shown.groupby(stratum, observed=True):
        t = part[part[group].astype(str) == str(target)]
        others = part[part[group].astype(str) != str(target)]
        if len(t) and len(others):
            gaps[str(s)] = float(t["estimate"].iloc[0] - others["estimate"].mean())
    details["gaps"] = gaps
    if not gaps:
        return Finding(_("Within {strata}, {target} cannot be compared with the other {groups}: too few answers in "
                         "its cells (minimum base {min_base}).").format(
                           strata=_noun(stratum, 2, "gen"), target=_g(target), groups=_noun(group, 2, "ins"),
                           min_base=min_base), details=details)
    lo, hi = min(gaps.values()), max(gaps.values())
    if hi < 0:
        details["consistent"] = True
        text = _("Within each {stratum} where it can be compared ({k} of {total}), {target} is {low} to {high} "
                 "points from the other {groups}' average, so its gap is not only a matter of which customers use it "
                 "(descriptive: these cells are small).").format(
            stratum=_noun(stratum, 1, "gen"), k=len(gaps), total=mix[stratum].dropna().nunique(), target=_g(target),
            low=fmt_signed(lo), high=fmt_signed(hi), groups=_noun(group, 2, "gen"))
    else:
        text = _("Within {strata}, {target} ranges from {low} to {high} points against the other {groups}' average: "
                 "it is not behind in every {stratum}, so part of its overall gap may come from which customers use "
                 "it.").format(strata=_noun(stratum, 2, "gen"), target=_g(target), low=fmt_signed(lo),
                               high=fmt_signed(hi), groups=_noun(group, 2, "gen"), stratum=_noun(stratum, 1, "loc"))
    return Finding(text, details=details)
