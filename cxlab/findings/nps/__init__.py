"""Plain-language findings for the NPS notebook, each claiming only what its test supports.

Every function takes result tables of the analysis modules (:mod:`cxlab.nps`,
:mod:`cxlab.nps.ratings`, :mod:`cxlab.nps.changes`, :mod:`cxlab.text`) and returns a
:class:`Finding`: a Markdown sentence (``.text``), whether a significant test stands
behind its claim (``.evidence``) and the numbers it used (``.details``), which the
to-do list (:func:`todo_list`) reads instead of re-deciding.

Rules kept throughout:

* a group is only called "lowest" or "behind" when the test across groups is
  significant and at least one Holm-adjusted pairwise test puts it below another group;
  otherwise the finding says there is **no evidence of a difference at this sample size**
  and how many responses per group would be needed to detect the gap observed;
* groups without a value (``(missing)``) and suppressed groups (below the minimum base)
  are never named as highest or lowest;
* a table whose cells are all below the minimum base says so;
* one period means no trend, and the finding says so;
* no sentence contains ``nan``: missing numbers are written as words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxlab.findings.format import fmt_count, fmt_p, fmt_pct, fmt_signed, readable_label, value_label
from cxlab.findings.i18n import N_, _, fmt_decimal, fmt_number, get_language, ngettext, noun_phrase

__all__ = [
    "Finding",
    "NO_EVIDENCE",
    "score_label",
    "cutoff_sensitivity",
    "overall_nps",
    "group_differences",
    "mix_gap",
    "trend",
    "period_change",
    "sample_size",
    "drivers",
    "themes",
    "enps",
    "rating_overall",
    "rating_groups",
    "todo_list",
]

NO_EVIDENCE = N_("no evidence of a difference at this sample size")
MISSING_LABEL = "(missing)"


@dataclass(frozen=True)
class Finding:
    """A plain-language finding: Markdown text, whether a test supports it, the numbers used."""

    text: str
    evidence: bool = False
    details: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    n: int | None = None
    method: str | None = None
    interval: str | None = None

    def _repr_markdown_(self) -> str:
        return self.text

    def key(self):
        """This finding as a headline (:func:`cxlab.findings.key_finding`) for the report and the slides.

        Examples
        --------
        >>> f = Finding("**NPS is +22** (95 % CI +20 to +24).", title="NPS is +22", n=3895, method="adjusted Wald")
        >>> print(f.key().footnote())
        n = 3,895; adjusted Wald
        """
        from cxlab.findings.key import key_finding

        return key_finding(self.title or _("Finding"), self.text.replace("**", ""), n=self.n, method=self.method,
                           interval=self.interval, theme="nps")

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- helpers
def _ok(v) -> bool:
    return v is not None and v is not pd.NA and not (isinstance(v, float) and math.isnan(v))


def _num(v, digits: int = 0) -> str:
    return _("not available") if not _ok(v) else fmt_number(v, digits)


def _pct(confidence: float) -> str:
    text = f"{confidence * 100:g}"
    return _("{value} %").format(value=text if get_language() == "en" else text.replace(".", ","))


def _g(value) -> str:
    """A group's name as shown: the user's own value unchanged, cxlab's vocabulary translated."""
    return value_label(value)


def _ci(confidence: float, low: str, high: str) -> str:
    return _("{level} CI {low} to {high}").format(level=_pct(confidence), low=low, high=high)


def score_label(score: str) -> str:
    """How a score column is named in a sentence.

    Examples
    --------
    >>> score_label("likelihood_to_recommend"), score_label("csat"), score_label("attr_staff")
    ('NPS', 'CSAT', 'staff')
    """
    return {"likelihood_to_recommend": "NPS", "csat": "CSAT", "ces": "CES"}.get(score, readable_label(score))


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"


#: Grouping columns that read as nouns ("3 channels"); any other column reads as "3 remote groups".
_NOUNS = {"channel", "country", "region", "store", "shop", "department", "city", "segment", "team", "product",
          "brand", "branch", "office", "site", "market", "tier", "category", "platform", "agent", "language"}


def _noun(grouping: str, n: int, case: str = "nom", *, counted: bool = False) -> str:
    """How ``n`` groups of a grouping column are called.

    English reads ``n`` as singular (1) or plural (any other); Russian declines the noun in
    ``case`` and, when ``counted``, agrees it with the number ``n`` (1 канал, 2 канала,
    5 каналов); a column that is not a known noun reads as groups of that column.

    Examples
    --------
    >>> _noun("channel", 3), _noun("country", 1), _noun("remote", 2), _noun("stated_price_tier", 2)
    ('channels', 'country', 'remote groups', 'stated price tiers')
    >>> from cxlab.findings.i18n import use_language
    >>> with use_language("ru"):
    ...     print(_noun("channel", 5, counted=True), "|", _noun("channel", 2, "ins"), "|", _noun("remote", 21, counted=True))
    каналов | каналами | группа «remote»
    """
    if get_language() != "en":
        word = readable_label(grouping)
        key = str(grouping).lower()
        number = n if counted else None
        many = None if counted else n != 1
        if key in _NOUNS:
            return noun_phrase(key, number, case=case, plural=many)
        return f"{noun_phrase('group', number, case=case, plural=many)} «{word}»"
    word = readable_label(grouping)
    last = word.split(" ")[-1]
    if last.lower() in _NOUNS:
        return _plural(word, n)
    return f"{word} {_plural('group', n)}"


def _shown(table: pd.DataFrame, group: str = "group") -> pd.DataFrame:
    """Rows with a value: not suppressed, not the missing-value group, estimate present."""
    t = table[~table["suppressed"].astype(bool)]
    t = t[t[group].astype(str) != MISSING_LABEL]
    t = t[t[group].notna()]
    return t[t["estimate"].notna()]


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
    notes = []
    if len(hidden):
        notes.append(ngettext("{k} {groups} with fewer than {min_base} answers is not shown and not tested.",
                              "{k} {groups} with fewer than {min_base} answers are not shown and not tested.",
                              len(hidden)).format(k=len(hidden), min_base=min_base,
                                                  groups=_noun(grouping, len(hidden), counted=True)))
    n_missing = int(missing["n"].sum()) + int(left_out)
    if n_missing:
        notes.append(ngettext("{n} answer without a {grouping} is left out of the comparison.",
                              "{n} answers without a {grouping} are left out of the comparison.",
                              n_missing).format(n=fmt_count(n_missing), grouping=readable_label(grouping)))
    tail = (" " + " ".join(notes)) if notes else ""
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
            text += _(" Telling two of them apart by a {gap}-point gap with {power} power, in tests corrected for the "
                      "{pairs} pairs, would need about {n} answers per {group}.").format(
                gap=fmt_number(gap, 0), power=fmt_pct(power), pairs=n_pairs, n=fmt_count(need),
                group=_noun(grouping, 1, "acc"))
        return Finding(text + tail, evidence=False, details=base,
                       title=_("No evidence that {groups} differ in NPS").format(groups=_noun(grouping, 2)),
                       n=int(shown["n"].sum()),
                       method=_("chi-square test of the detractor/passive/promoter mix; pairwise z-tests, "
                                "{adjust}-adjusted").format(adjust=adjust))
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


def _n_needed(gap, p_promoter, p_detractor, power, confidence) -> int | None:
    if p_promoter is None or p_detractor is None or not _ok(gap) or gap < 1:
        return None
    from cxlab.nps import nps_sample_size

    plan = nps_sample_size([round(float(gap), 1)], p_promoter=float(p_promoter), p_detractor=float(p_detractor),
                           power=power, confidence=confidence)
    return int(plan["n_per_group"].iloc[0])


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


# --------------------------------------------------------------------------- periods
_PERIOD_NAMES = {"W": "week", "M": "month", "Q": "quarter", "Y": "year", "D": "day"}


def _period(name: str, case: str = "nom", plural: bool = False) -> str:
    return (_plural(name, 2) if plural else name) if get_language() == "en" else noun_phrase(
        name, case=case, plural=plural)


def trend(trend_table: pd.DataFrame, *, period: str = "Q", confidence: float = 0.95) -> Finding:
    """The latest period against the one before, and every significant fall (from ``nps_trend``).

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2025Q1"], "n": [480], "estimate": [12.0], "ci_low": [4.0], "ci_high": [20.0],
    ...                   "suppressed": [False], "change": [float("nan")], "p_value": [float("nan")],
    ...                   "p_adjusted": [float("nan")], "significant": [False]})
    >>> print(trend(t))
    All answers fall in one quarter (2025Q1), so there is no trend to show: a trend needs answers from at least two
    quarters.
    """
    name = _PERIOD_NAMES.get(period, "period")
    details: dict[str, Any] = {"periods": len(trend_table), "falls": [], "one_period": len(trend_table) < 2}
    if len(trend_table) == 0:
        return Finding(_("No answer has a date, so there is no trend by {period}.").format(
            period=_period(name, "dat", True)), details=details)
    if len(trend_table) < 2:
        return Finding(_("All answers fall in one {period} ({label}), so there is no trend to show: a trend needs "
                         "answers from at least two {periods}.").format(
                           period=_period(name, "acc"), label=trend_table["period"].iloc[0],
                           periods=noun_phrase(name, 2, case="gen") if get_language() != "en" else _plural(name, 2)),
                       details=details)
    last, prev = trend_table.iloc[-1], trend_table.iloc[-2]
    compared = int(trend_table["change"].notna().sum())
    details["compared"] = compared
    if bool(last["suppressed"]) or not _ok(last["estimate"]):
        n_last = int(last["n"])
        text = ngettext("The latest {period} ({label}) has {n} answer, fewer than the minimum base: its NPS is not "
                        "shown.",
                        "The latest {period} ({label}) has {n} answers, fewer than the minimum base: its NPS is not "
                        "shown.", n_last).format(period=_period(name), label=last["period"], n=fmt_count(n_last))
    elif not _ok(last["change"]):
        text = _("**Latest {period} ({label}): NPS is {estimate}** ({ci}); the {period} before has too few answers "
                 "to compare.").format(period=_period(name), label=last["period"],
                                       estimate=fmt_signed(last["estimate"]),
                                       ci=_ci(confidence, fmt_signed(last["ci_low"]), fmt_signed(last["ci_high"])))
    else:
        verdict = _("significant") if bool(last["significant"]) else _("not significant")
        template = (_("**Latest {period} ({label}): NPS is {estimate}** ({ci}), {change} points above {previous}, "
                      "{p} ({verdict} after Holm adjustment).") if last["change"] > 0 else
                    _("**Latest {period} ({label}): NPS is {estimate}** ({ci}), {change} points below {previous}, "
                      "{p} ({verdict} after Holm adjustment)."))
        text = template.format(period=_period(name), label=last["period"], estimate=fmt_signed(last["estimate"]),
                               ci=_ci(confidence, fmt_signed(last["ci_low"]), fmt_signed(last["ci_high"])),
                               change=fmt_number(abs(last["change"]), 0, group=False), previous=prev["period"],
                               p=fmt_p(last["p_value"]), verdict=verdict)
    falls = trend_table[trend_table["significant"].astype(bool) & (trend_table["change"] < 0)]
    for r in falls.itertuples():
        text += _(" **{label}** shows a significant fall: {estimate}, {change} points below the {period} before "
                  "(adjusted {p}).").format(label=r.period, estimate=fmt_signed(r.estimate),
                                            change=fmt_number(abs(r.change), 0, group=False),
                                            period=_period(name, "gen"), p=fmt_p(r.p_adjusted))
        details["falls"].append({"period": str(r.period), "change": float(r.change),
                                 "p_adjusted": float(r.p_adjusted)})
    if not compared:
        text += _(" No two consecutive {periods} have enough answers to be compared.").format(
            periods=_period(name, "nom", True))
        return Finding(text, details=details)
    if not len(falls):
        text += _(" No {period}-on-{period} fall is significant after Holm adjustment.").format(period=_period(name))
        title = _("No significant fall in NPS between {periods}").format(periods=_period(name, "ins", True))
    else:
        title = _("NPS fell significantly in {label}").format(label=falls["period"].iloc[0])
    return Finding(text, evidence=bool(len(falls)), details=details, title=title, n=int(trend_table["n"].sum()),
                   method=_("two-sample z-tests of each change, Holm-adjusted"))


def period_change(period_label: str, ratings: pd.DataFrame | None, themes: pd.DataFrame | None, *,
                  scale: str = "1–5") -> Finding:
    """What changed in a falling period: ratings (``rating_shift``) and themes (``theme_shift``).

    A rating or theme is named as having fallen or grown only when its Holm-adjusted
    test is significant.

    Examples
    --------
    >>> r = pd.DataFrame({"attribute": ["attr_delivery"], "difference": [-1.1], "p_adjusted": [0.0001],
    ...                   "significant": [True]})
    >>> print(period_change("2025Q2", r, None))
    In 2025Q2 the rating that fell most is **delivery** (−1.10 on the 1–5 scale, adjusted p < 0.001). That is the
    first place to look for the cause.
    """
    parts, details = [], {"period": period_label, "attribute": None, "theme": None}
    if ratings is not None and len(ratings):
        worst = ratings.iloc[0]
        if bool(worst["significant"]) and worst["difference"] < 0:
            details["attribute"] = str(worst["attribute"])
            details["attribute_change"] = float(worst["difference"])
            parts.append(_("the rating that fell most is **{attribute}** ({change} on the {scale} scale, adjusted "
                           "{p})").format(attribute=readable_label(worst["attribute"]),
                                          change=fmt_signed(worst["difference"], 2), scale=scale,
                                          p=fmt_p(worst["p_adjusted"])))
        else:
            parts.append(_("no attribute rating differs significantly from the other periods (largest fall: "
                           "{attribute}, {change}, adjusted {p})").format(
                attribute=readable_label(worst["attribute"]), change=fmt_signed(worst["difference"], 2),
                p=fmt_p(worst["p_adjusted"])))
    if themes is not None and len(themes):
        top = themes.iloc[0]
        if bool(top["significant"]) and top["difference"] > 0:
            details["theme"] = str(top["label"]).lower()
            parts.append(_("among that period's detractors the comment theme that grew most is **{theme}** ({inside} % "
                           "of detractors against {outside} % in other periods, adjusted {p})").format(
                theme=str(top["label"]).lower(), inside=fmt_number(top["pct_in"], 0),
                outside=fmt_number(top["pct_out"], 0), p=fmt_p(top["p_adjusted"])))
        else:
            parts.append(_("no comment theme grew significantly among detractors"))
    if not parts:
        return Finding(_("No attribute ratings or comments to examine what changed in {period}.").format(
            period=period_label), details=details)
    evidence = details["attribute"] is not None or details["theme"] is not None
    text = _("In {period} ").format(period=period_label) + "; ".join(parts) + "."
    if evidence:
        text += _(" That is the first place to look for the cause.")
    return Finding(text, evidence=evidence, details=details)


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


# --------------------------------------------------------------------------- drivers and themes
def drivers(analysis, *, alpha: float = 0.05) -> Finding:
    """Key drivers (a ``DriverAnalysis``): the order of importance and whether the top one is significant."""
    t = analysis.table.sort_values("importance", ascending=False)
    top = t.iloc[0]
    names = [readable_label(d) for d in t["driver"]]
    agree = list(t["driver"]) == list(analysis.table.sort_values("ologit_coef", ascending=False)["driver"])
    prio = [readable_label(d) for d in t[t["quadrant"] == "priority to improve"]["driver"]]
    sig = _ok(top.get("p_value")) and float(top["p_value"]) < alpha
    text = (_("The {k} attribute ratings explain {share} of the variance in the likelihood to recommend (n = {n}; "
              "{dropped} responses with gaps left out). The order of importance is {order}; ").format(
        k=len(t), share=fmt_pct(analysis.r_squared), n=fmt_count(analysis.n), dropped=fmt_count(analysis.n_dropped),
        order=", ".join(names))
        + (_("the ordered logit ranks them the same way.") if agree
           else _("the ordered logit ranks them slightly differently.")))
    if sig:
        text += _(" The strongest driver is **{driver}** ({importance} % of the explained variance, {p}).").format(
            driver=names[0], importance=fmt_number(top["importance"], 0), p=fmt_p(top["p_value"]))
    else:
        text += _(" No attribute is a significant driver at this sample size ({driver}: {p}).").format(
            driver=names[0], p=fmt_p(top["p_value"]))
    if prio and sig:
        text += _(" Important but rated below average: {drivers}.").format(drivers=", ".join(prio))
    return Finding(text, evidence=bool(sig), details={"top": names[0] if sig else None,
                                                        "importance": float(top["importance"]),
                                                        "priority": prio if sig else []},
                   title=(_("{driver} moves the score most").format(driver=names[0][:1].upper() + names[0][1:])
                          if sig else _("No attribute stands out as a driver")),
                   n=int(analysis.n), method=_("Johnson's relative weights; standardised regression; ordered logit"))


def themes(lift: pd.DataFrame, coded: pd.DataFrame) -> Finding:
    """Which comment themes lean to detractors or promoters (Fisher's test, from ``theme_lift``)."""
    n_comments = int(coded["has_comment"].sum())
    if n_comments == 0:
        return Finding(_("No respondent left a comment."), details={"detractor_themes": [], "promoter_themes": []})
    det = lift[lift["leans"] == "detractors"].sort_values("estimate", ascending=False)
    pro = lift[lift["leans"] == "promoters"].sort_values("estimate")
    share_ru = (coded["language"] == "ru").sum() / n_comments
    text = _("{share} of respondents left a comment ({share_ru} in Russian).").format(
        share=fmt_pct(coded["has_comment"].mean()), share_ru=fmt_pct(share_ru))
    if len(det):
        text += _(" Detractors mention significantly more often: ") + ", ".join(
            _("{theme} ({detractors} % of detractors vs {promoters} % of promoters)").format(
                theme=str(r.label).lower(), detractors=fmt_number(r.pct_detractors, 0),
                promoters=fmt_number(r.pct_promoters, 0)) for r in det.head(4).itertuples()) + "."
    if len(pro):
        text += _(" Promoters: ") + ", ".join(_("{theme} ({promoters} % vs {detractors} %)").format(
            theme=str(r.label).lower(), promoters=fmt_number(r.pct_promoters, 0),
            detractors=fmt_number(r.pct_detractors, 0)) for r in pro.head(3).itertuples()) + "."
    if "pct_all" in lift and not (lift["pct_all"] > 0).any():
        text += _(" None of the comments mentions a theme of the lexicon (see and extend it with "
                  "cxlab.text.load_lexicon).")
    elif not len(det) and not len(pro):
        text += _(" No theme is mentioned significantly more by detractors than by promoters, or the other way "
                  "round, at this sample size.")
    return Finding(text, evidence=bool(len(det) or len(pro)),
                   details={"detractor_themes": [str(x).lower() for x in det["label"]],
                            "promoter_themes": [str(x).lower() for x in pro["label"]]})


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


# --------------------------------------------------------------------------- ratings (CSAT, CES)
def rating_overall(row: Mapping, *, score: str, confidence: float = 0.95, min_base: int = 30) -> Finding:
    """A rating's mean and top-2-box share with intervals (a row of ``cxlab.nps.rating_table``).

    Examples
    --------
    >>> row = {"n": 900, "mean": 3.87, "ci_low": 3.81, "ci_high": 3.93, "pct_top_box": 70.4,
    ...        "top_box_ci_low": 67.4, "top_box_ci_high": 73.3, "scale_min": 1, "scale_max": 5, "suppressed": False}
    >>> print(rating_overall(row, score="csat"))
    **Mean CSAT is 3.87** on its 1–5 scale (95 % CI 3.81 to 3.93); **70 % answer 4 or 5** (95 % CI 67 % to 73 %), n
    = 900.
    """
    label = score_label(score)
    lo, hi = int(row["scale_min"]), int(row["scale_max"])
    if bool(row.get("suppressed", False)) or not _ok(row["mean"]):
        return Finding(ngettext("Only {n} answer to {label}, fewer than the minimum base of {min_base}: not "
                                "reported.",
                                "Only {n} answers to {label}, fewer than the minimum base of {min_base}: not "
                                "reported.", int(row["n"])).format(n=fmt_count(row["n"]), label=label,
                                                                    min_base=min_base))
    return Finding(_("**Mean {label} is {mean}** on its {lo}–{hi} scale ({ci}); **{top} % answer {hi_1} or {hi}** "
                     "({top_ci}), n = {n}.").format(
                       label=label, mean=fmt_decimal(row["mean"], 2), lo=lo, hi=hi, hi_1=hi - 1,
                       ci=_ci(confidence, fmt_decimal(row["ci_low"], 2), fmt_decimal(row["ci_high"], 2)),
                       top=fmt_number(row["pct_top_box"], 0),
                       top_ci=_ci(confidence, fmt_number(row["top_box_ci_low"], 0) + _(" %"),
                                  fmt_number(row["top_box_ci_high"], 0) + _(" %")), n=fmt_count(row["n"])),
                   details={"mean": float(row["mean"])},
                   title=_("Mean {label} is {mean} of {hi}").format(label=label, mean=fmt_decimal(row["mean"], 2),
                                                                     hi=hi), n=int(row["n"]),
                   interval=_ci(confidence, fmt_decimal(row["ci_low"], 2), fmt_decimal(row["ci_high"], 2)),
                   method=_("t interval of the mean; Wilson interval of the top-2-box share"))


def rating_groups(table: pd.DataFrame, tests: pd.DataFrame, *, score: str, group: str, alpha: float = 0.05,
                  min_base: int = 30) -> Finding:
    """Do groups differ on a rating? (``cxlab.nps.rating_table`` by group and ``compare_ratings``.)

    A group is named as lowest only when the Kruskal–Wallis test across groups is
    significant; otherwise the finding says there is no evidence of a difference.
    """
    label, g = score_label(score), readable_label(group)
    shown = table[~table["suppressed"].astype(bool) & table["mean"].notna() & table[group].notna()]
    if len(shown) < 2:
        return Finding(_("Fewer than two {groups} have at least {min_base} answers: {label} by {grouping} is not "
                         "compared.").format(groups=_noun(group, 2, "gen"), min_base=min_base, label=label,
                                             grouping=g), details={"significant": False, "group": group,
                                                                   "score": label})
    kw = tests.set_index("test").loc["kruskal_wallis"]
    chi = tests.set_index("test").loc["chi_square_top_box"]
    lo, hi = shown.loc[shown["mean"].idxmin()], shown.loc[shown["mean"].idxmax()]
    sig = _ok(kw["p_value"]) and float(kw["p_value"]) < alpha
    stats_txt = _("Kruskal–Wallis {p}; top-2-box chi-square {p_chi}").format(p=fmt_p(kw["p_value"]),
                                                                              p_chi=fmt_p(chi["p_value"]))
    method = _("Kruskal–Wallis test; chi-square test of top-2-box")
    if not sig:
        return Finding(_("Across the {k} {groups} shown there is **{no_evidence}** in {label} ({tests}); means range "
                         "from {low} ({low_group}) to {high} ({high_group}).").format(
                           k=len(shown), groups=_noun(group, len(shown), "gen", counted=True),
                           no_evidence=_(NO_EVIDENCE), label=label, tests=stats_txt, low=fmt_decimal(lo["mean"], 2),
                           low_group=_g(lo[group]), high=fmt_decimal(hi["mean"], 2), high_group=_g(hi[group])),
                       details={"significant": False, "group": group, "score": label},
                       title=_("No evidence that {groups} differ in {label}").format(groups=_noun(group, 2),
                                                                                     label=label),
                       n=int(shown["n"].sum()), method=method)
    return Finding(_("{label} differs between {groups} ({tests}). Lowest: **{low_group}** (mean {low}, {low_top} % "
                     "top-2-box, n = {n}); highest: {high_group} (mean {high}, {high_top} %).").format(
                       label=label, groups=_noun(group, 2, "ins"), tests=stats_txt, low_group=_g(lo[group]),
                       low=fmt_decimal(lo["mean"], 2), low_top=fmt_number(lo["pct_top_box"], 0),
                       n=fmt_count(lo["n"]), high_group=_g(hi[group]), high=fmt_decimal(hi["mean"], 2),
                       high_top=fmt_number(hi["pct_top_box"], 0)),
                   evidence=True, details={"significant": True, "lowest": str(lo[group]), "group": group,
                                           "score": label},
                   title=_("{group} has the lowest {label} of the {groups}").format(
                       group=_g(lo[group]), label=label, groups=_noun(group, 2, "gen")), n=int(lo["n"]),
                   method=method)


# --------------------------------------------------------------------------- what to do
def todo_list(*, groups: Sequence[Finding] = (), mix: Finding | None = None, trend_finding: Finding | None = None,
              change: Finding | None = None, driver_finding: Finding | None = None,
              theme_finding: Finding | None = None, low_group_themes: Sequence[str] = (),
              plan: Finding | None = None, ratings: Sequence[Finding] = (), min_base: int = 30) -> Finding:
    """The numbered "what to do" list, built only from findings whose tests support them.

    Parameters
    ----------
    groups
        :func:`group_differences` findings, one per grouping; each finding's grouping
        name is in ``details["grouping"]`` when the caller set it (``todo_list`` reads the
        text otherwise unchanged).
    mix, trend_finding, change, driver_finding, theme_finding, plan, ratings
        The other findings (any may be None).
    low_group_themes
        Detractor themes in the lowest group, already computed (descriptive).
    min_base
        The minimum base, for the last item.

    Returns
    -------
    Finding
        ``text`` is a numbered Markdown list; ``details["items"]`` the items.

    Examples
    --------
    >>> g = Finding("...", details={"grouping": "channel", "shown": 6, "lowest_established": False,
    ...                             "n_needed": 163, "gap": 22.0})
    >>> print(todo_list(groups=[g]))
    1. **Do not act on differences between channels yet:** no evidence of a difference at this sample size (6
    channels compared); about 163 answers per channel would be needed to detect the 22-point gap seen.
    2. **Report every score with its interval and base**, and never below 30 responses.
    """
    items: list[str] = []
    named: dict[tuple[str, str], int] = {}  # (grouping, group) -> index of the item that names it
    if trend_finding is not None and trend_finding.details.get("falls"):
        fall = trend_finding.details["falls"][0]
        item = _("**Find what changed in {period}.** NPS fell {change} points (adjusted {p})").format(
            period=fall["period"], change=fmt_number(abs(fall["change"]), 0, group=False), p=fmt_p(fall["p_adjusted"]))
        if change is not None and change.evidence:
            what = []
            if change.details.get("attribute"):
                what.append(_("{attribute} ratings fell").format(
                    attribute=readable_label(change.details["attribute"])))
            if change.details.get("theme"):
                what.append(_("detractors' comments about {theme} grew").format(theme=change.details["theme"]))
            item += "; " + _(" and ").join(what) + _(". Check operations for that period and track these monthly.")
        else:
            item += _("; no single rating or comment theme explains it at this sample size. Check operations for "
                      "that period.")
        items.append(item)
    for g in groups:
        d = g.details
        name = d.get("grouping", "group")
        if d.get("lowest_established"):
            item = _("**Look into the {group} experience.** At {estimate} it is significantly below {k} other "
                     "{groups}").format(group=_g(d["lowest"]), estimate=fmt_signed(d["lowest_estimate"]),
                                        k=d["below_count"], groups=_noun(name, d["below_count"], "gen", counted=True))
            if mix is not None and d is groups[0].details:
                stratum = mix.details.get("stratum", "group")
                if mix.details.get("all_suppressed"):
                    item += _(" (whether it stays behind within {strata} needs more answers per cell)").format(
                        strata=_noun(stratum, 2, "gen"))
                elif mix.details.get("consistent"):
                    item += _(" and stays behind within every one of the {strata} that can be compared").format(
                        strata=_noun(stratum, 2, "gen"))
                elif mix.details.get("gaps"):
                    item += _(", though not within every one of the {strata}, so part of the gap may be mix").format(
                        strata=_noun(stratum, 2, "gen"))
            item += "."
            named[(name, str(d["lowest"]))] = len(items)
            if low_group_themes and d is groups[0].details:
                item += _(" Its detractors mention most often {themes}.").format(
                    themes=_join(list(low_group_themes)[:2]))
            items.append(item)
        elif d.get("shown", 0) >= 2 and (d.get("significant") or d.get("pairs_significant")):
            items.append(_("**Check the {groups}' detractor and promoter shares before acting:** their mix differs, "
                           "but no {group} is significantly behind another in NPS after Holm correction.").format(
                groups=_noun(name, 2, "gen"), group=_noun(name, 1)))
        elif d.get("shown", 0) >= 2:
            item = _("**Do not act on differences between {groups} yet:** {no_evidence} ({k} {groups_k} "
                     "compared)").format(groups=_noun(name, 2, "ins"), no_evidence=_(NO_EVIDENCE), k=d["shown"],
                                         groups_k=_noun(name, d["shown"], counted=True))
            if d.get("n_needed"):
                item += _("; about {n} answers per {group} would be needed to detect the {gap}-point gap "
                          "seen").format(n=fmt_count(d["n_needed"]),
                                         group=name if get_language() == "en" else _noun(name, 1, "acc"),
                                         gap=fmt_number(d["gap"], 0, group=False))
            items.append(item + ".")
    lows: dict[tuple[str, str], list[str]] = {}
    for r in ratings:
        if r.evidence and r.details.get("lowest"):
            lows.setdefault((r.details["group"], r.details["lowest"]), []).append(r.details["score"])
    for (grp, low), scores in lows.items():
        if (grp, low) in named:
            i = named[(grp, low)]
            items[i] += _(" It also has the lowest {scores} (the differences are significant).").format(
                scores=_join(scores))
        else:
            items.append(_("**Look into {group}:** it has the lowest {scores} of the {groups}, and the difference "
                           "between them is significant (Kruskal–Wallis).").format(
                group=_g(low), scores=_join(scores), groups=_noun(grp, 2, "gen")))
    if driver_finding is not None and driver_finding.evidence:
        item = _("**Invest where it moves the score:** {driver} carries {importance} % of the explained "
                 "variance").format(driver=driver_finding.details["top"],
                                    importance=fmt_number(driver_finding.details["importance"], 0))
        prio = driver_finding.details.get("priority") or []
        if prio:
            item += ngettext("; {drivers} is important but rated below average",
                             "; {drivers} are important but rated below average", len(prio)).format(
                drivers=", ".join(prio))
        items.append(item + ".")
    if theme_finding is not None and theme_finding.details.get("promoter_themes"):
        items.append(_("**Keep what promoters praise:** ") + ", ".join(theme_finding.details["promoter_themes"][:3])
                     + ".")
    last = _("**Report every score with its interval and base**, and never below {min_base} responses").format(
        min_base=min_base)
    if plan is not None and plan.details.get("n_per_group"):
        last = _("**Size the next waves for the question asked:** about {n} responses per wave to see a 5-point "
                 "change; report every NPS with its interval and base, and never below {min_base} "
                 "responses").format(n=fmt_count(plan.details["n_per_group"]), min_base=min_base)
    items.append(last + ".")
    return Finding("\n".join(f"{i}. {t}" for i, t in enumerate(items, 1)), details={"items": items})
