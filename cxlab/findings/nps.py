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

from cxlab.findings.format import fmt_count, fmt_p, fmt_signed, readable_label

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

NO_EVIDENCE = "no evidence of a difference at this sample size"
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

        return key_finding(self.title or "Finding", self.text.replace("**", ""), n=self.n, method=self.method,
                           interval=self.interval, theme="nps")

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- helpers
def _ok(v) -> bool:
    return v is not None and v is not pd.NA and not (isinstance(v, float) and math.isnan(v))


def _num(v, digits: int = 0) -> str:
    return "not available" if not _ok(v) else f"{float(v):,.{digits}f}"


def _pct(confidence: float) -> str:
    return f"{confidence * 100:g} %"


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
    return ", ".join(items[:-1]) + " and " + items[-1]


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"


#: Grouping columns that read as nouns ("3 channels"); any other column reads as "3 remote groups".
_NOUNS = {"channel", "country", "region", "store", "shop", "department", "city", "segment", "team", "product",
          "brand", "branch", "office", "site", "market", "tier", "category", "platform", "agent", "language"}


def _noun(grouping: str, n: int) -> str:
    """How ``n`` groups of a grouping column are called.

    Examples
    --------
    >>> _noun("channel", 3), _noun("country", 1), _noun("remote", 2), _noun("stated_price_tier", 2)
    ('channels', 'country', 'remote groups', 'stated price tiers')
    """
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
        return Finding("Too few answers with a score to show how the cut-offs move the NPS.")
    std = sens.iloc[0]
    worst = s.loc[s["difference"].abs().idxmax()]
    return Finding(f"With the standard cut-offs the NPS is **{fmt_signed(std['estimate'])}**. Reading "
                   f"*{worst['variant']}* gives {fmt_signed(worst['estimate'])}, a shift of "
                   f"{fmt_signed(worst['difference'])} points. State the cut-offs whenever you report an NPS.",
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
        return Finding(f"Only {fmt_count(n)} answers have a score, fewer than the minimum base of {min_base}: "
                       f"no NPS is reported.", details={"n": n, "reported": False})
    text = (f"**NPS is {fmt_signed(overall['estimate'])}** ({_pct(confidence)} CI {fmt_signed(overall['ci_low'])} "
            f"to {fmt_signed(overall['ci_high'])}; {_num(overall['pct_promoters'])} % promoters, "
            f"{_num(overall['pct_detractors'])} % detractors, n = {fmt_count(n)}).")
    if unweighted is not None and _ok(unweighted.get("estimate")):
        text += (f" Weighted it is {fmt_signed(overall['estimate'], 1)} against "
                 f"{fmt_signed(unweighted['estimate'], 1)} unweighted; the weights reduce the effective sample "
                 f"from {fmt_count(n)} to {fmt_count(overall['n_effective'])}.")
    if intervals is not None and len(intervals) and intervals[["ci_low", "ci_high"]].notna().all().all():
        spread = max(intervals["ci_low"].max() - intervals["ci_low"].min(),
                     intervals["ci_high"].max() - intervals["ci_high"].min())
        text += (f" The three interval methods agree to within {spread:.1f} points at this sample size; "
                 f"they differ more for small groups.")
    return Finding(text, details={"n": n, "reported": True, "estimate": float(overall["estimate"])},
                   title=f"NPS is {fmt_signed(overall['estimate'])}", n=n,
                   interval=(f"{_pct(confidence)} CI {fmt_signed(overall['ci_low'])} to "
                             f"{fmt_signed(overall['ci_high'])}"),
                   method="share of promoters (9–10) minus share of detractors (0–6)")


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
        notes.append(f"{len(hidden)} {_noun(grouping, len(hidden))} with fewer than {min_base} answers "
                     f"{'is' if len(hidden) == 1 else 'are'} not shown and not tested.")
    n_missing = int(missing["n"].sum()) + int(left_out)
    if n_missing:
        notes.append(f"{fmt_count(n_missing)} answers without a {readable_label(grouping)} are left out of the "
                     f"comparison.")
    tail = (" " + " ".join(notes)) if notes else ""
    if len(shown) == 0:
        return Finding(f"No {_noun(grouping, 1)} has at least {min_base} answers, so NPS by "
                       f"{readable_label(grouping)} is not shown and no test is run.", details=base)
    if len(shown) == 1:
        only = shown.iloc[0]
        return Finding(f"Only one {grouping} ({only['group']}) has at least {min_base} answers, so there is "
                       f"nothing to compare it with.{tail}", details=base)
    lowest = shown.loc[shown["estimate"].idxmin()]
    highest = shown.loc[shown["estimate"].idxmax()]
    gap = float(highest["estimate"] - lowest["estimate"])
    base.update(lowest=str(lowest["group"]), highest=str(highest["group"]), gap=gap,
                lowest_estimate=float(lowest["estimate"]), highest_estimate=float(highest["estimate"]))
    chi = (f"chi-square = {_num(om['statistic'], 1)} on {int(om['dof'])} df, {fmt_p(om['p_value'])}")
    significant = _ok(om["p_value"]) and float(om["p_value"]) < alpha
    sig = pw[pw["significant"].astype(bool)] if len(pw) else pw
    below = sig[((sig["group_a"] == lowest["group"]) & (sig["estimate"] < 0))
                | ((sig["group_b"] == lowest["group"]) & (sig["estimate"] > 0))]
    k = len(below)
    adjust = comparison.adjust.capitalize()
    base.update(significant=bool(significant), below_count=k, pairs_significant=len(sig))
    if not significant and not len(sig):
        n_pairs = len(shown) * (len(shown) - 1) // 2
        need = _n_needed(gap, p_promoter, p_detractor, power, 1 - (1 - confidence) / max(n_pairs, 1))
        base["n_needed"] = need
        text = f"Across the {len(shown)} {_noun(grouping, len(shown))} shown there is **{NO_EVIDENCE}** ({chi})."
        if gap < 1:
            text += f" Their NPS are within a point of each other ({fmt_signed(lowest['estimate'])})."
        else:
            text += (f" Their NPS range from {fmt_signed(lowest['estimate'])} ({lowest['group']}) to "
                     f"{fmt_signed(highest['estimate'])} ({highest['group']}), within what chance alone produces "
                     f"with about {fmt_count(shown['n'].median())} answers per {_noun(grouping, 1)}.")
        if need is not None:
            text += (f" Telling two of them apart by a {gap:.0f}-point gap with {power:.0%} power, in tests "
                     f"corrected for the {n_pairs} pairs, would need about {fmt_count(need)} answers per "
                     f"{_noun(grouping, 1)}.")
        return Finding(text + tail, evidence=False, details=base,
                       title=f"No evidence that {_noun(grouping, 2)} differ in NPS", n=int(shown["n"].sum()),
                       method="chi-square test of the detractor/passive/promoter mix; pairwise z-tests, "
                              f"{adjust}-adjusted")
    desc = (f"**{lowest['group']}** has the lowest NPS, {fmt_signed(lowest['estimate'])} ({_pct(confidence)} CI "
            f"{fmt_signed(lowest['ci_low'])} to {fmt_signed(lowest['ci_high'])}, n = {fmt_count(lowest['n'])})")
    if significant:
        lead = (f"The mix of detractors, passives and promoters differs between {_noun(grouping, 2)} ({chi}, "
                f"Cramér's V = {_num(om['effect_size'], 2)}).")
    else:
        lead = (f"The chi-square test of the whole detractor/passive/promoter mix finds no overall difference "
                f"between {_noun(grouping, 2)} ({chi}), but the pairwise NPS tests do find some.")
    method = "chi-square test; pairwise z-tests, " + f"{adjust}-adjusted"
    if k == 0:
        pairs = [f"{r.group_a if r.estimate > 0 else r.group_b} above {r.group_b if r.estimate > 0 else r.group_a} "
                 f"({fmt_signed(abs(r.estimate))} points, adjusted {fmt_p(r.p_adjusted)})"
                 for r in sig.head(3).itertuples()]
        text = lead + (f" After {adjust} correction: " + "; ".join(pairs) + "." if pairs
                       else f" No single pair differs after {adjust} correction.")
        text += f" {desc}, but it is not significantly below any other {_noun(grouping, 1)}."
        return Finding(text + tail, evidence=True, details=base,
                       title=f"The {_noun(grouping, 2)} differ in NPS, none clearly lowest", n=int(shown["n"].sum()),
                       method=method)
    base["lowest_established"] = True
    text = (f"{lead} {desc}, significantly below {k} of the other {len(shown) - 1} "
            f"{_noun(grouping, len(shown) - 1)} after {adjust} correction; the highest is {highest['group']} at "
            f"{fmt_signed(highest['estimate'])}.")
    return Finding(text + tail, evidence=True, details=base,
                   title=f"{lowest['group']} has the lowest NPS of the {_noun(grouping, 2)}", n=int(lowest["n"]),
                   interval=(f"{_pct(confidence)} CI {fmt_signed(lowest['ci_low'])} to "
                             f"{fmt_signed(lowest['ci_high'])}"),
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
        return Finding(f"Every {g_name} × {s_name} cell has fewer than {min_base} answers, so the NPS within "
                       f"each {_noun(stratum, 1)} is not shown and {_noun(group, 2)} cannot be compared within "
                       f"{_noun(stratum, 2)} at this sample size.", details=details)
    if target is None or not established:
        return Finding(f"{len(shown)} {g_name} × {s_name} cells have at least {min_base} answers. With no "
                       f"{_noun(group, 1)} established as behind overall, the table is descriptive: it shows where "
                       f"the {g_name} NPS stand within each {_noun(stratum, 1)}.", details=details)
    gaps = {}
    for s, part in shown.groupby(stratum, observed=True):
        t = part[part[group].astype(str) == str(target)]
        others = part[part[group].astype(str) != str(target)]
        if len(t) and len(others):
            gaps[str(s)] = float(t["estimate"].iloc[0] - others["estimate"].mean())
    details["gaps"] = gaps
    if not gaps:
        return Finding(f"Within {_noun(stratum, 2)}, {target} cannot be compared with the other "
                       f"{_noun(group, 2)}: too few answers in its cells (minimum base {min_base}).",
                       details=details)
    lo, hi = min(gaps.values()), max(gaps.values())
    if hi < 0:
        details["consistent"] = True
        text = (f"Within each {_noun(stratum, 1)} where it can be compared ({len(gaps)} of "
                f"{mix[stratum].dropna().nunique()}), {target} is {fmt_signed(lo)} to {fmt_signed(hi)} points from "
                f"the other {_noun(group, 2)}' average, so its gap is not only a matter of which customers "
                f"use it (descriptive: these cells are small).")
    else:
        text = (f"Within {_noun(stratum, 2)}, {target} ranges from {fmt_signed(lo)} to {fmt_signed(hi)} points "
                f"against the other {_noun(group, 2)}' average: it is not behind in every {_noun(stratum, 1)}, so part "
                f"of its overall gap may come from which customers use it.")
    return Finding(text, details=details)


# --------------------------------------------------------------------------- periods
_PERIOD_NAMES = {"W": "week", "M": "month", "Q": "quarter", "Y": "year", "D": "day"}


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
        return Finding(f"No answer has a date, so there is no trend by {name}.", details=details)
    if len(trend_table) < 2:
        return Finding(f"All answers fall in one {name} ({trend_table['period'].iloc[0]}), so there is no trend "
                       f"to show: a trend needs answers from at least two {_plural(name, 2)}.", details=details)
    last, prev = trend_table.iloc[-1], trend_table.iloc[-2]
    compared = int(trend_table["change"].notna().sum())
    details["compared"] = compared
    if bool(last["suppressed"]) or not _ok(last["estimate"]):
        n_last = int(last["n"])
        text = (f"The latest {name} ({last['period']}) has {fmt_count(n_last)} answer{'s' if n_last != 1 else ''}, "
                f"fewer than the minimum base: its NPS is not shown.")
    elif not _ok(last["change"]):
        text = (f"**Latest {name} ({last['period']}): NPS is {fmt_signed(last['estimate'])}** ({_pct(confidence)} "
                f"CI {fmt_signed(last['ci_low'])} to {fmt_signed(last['ci_high'])}); the {name} before has too few "
                f"answers to compare.")
    else:
        verdict = "significant" if bool(last["significant"]) else "not significant"
        direction = "above" if last["change"] > 0 else "below"
        text = (f"**Latest {name} ({last['period']}): NPS is {fmt_signed(last['estimate'])}** ({_pct(confidence)} "
                f"CI {fmt_signed(last['ci_low'])} to {fmt_signed(last['ci_high'])}), {abs(last['change']):.0f} "
                f"points {direction} {prev['period']}, {fmt_p(last['p_value'])} ({verdict} after Holm "
                f"adjustment).")
    falls = trend_table[trend_table["significant"].astype(bool) & (trend_table["change"] < 0)]
    for r in falls.itertuples():
        text += (f" **{r.period}** shows a significant fall: {fmt_signed(r.estimate)}, {abs(r.change):.0f} points "
                 f"below the {name} before (adjusted {fmt_p(r.p_adjusted)}).")
        details["falls"].append({"period": str(r.period), "change": float(r.change),
                                 "p_adjusted": float(r.p_adjusted)})
    if not compared:
        text += f" No two consecutive {_plural(name, 2)} have enough answers to be compared."
        return Finding(text, details=details)
    if not len(falls):
        text += f" No {name}-on-{name} fall is significant after Holm adjustment."
        title = f"No significant fall in NPS between {_plural(name, 2)}"
    else:
        title = f"NPS fell significantly in {falls['period'].iloc[0]}"
    return Finding(text, evidence=bool(len(falls)), details=details, title=title, n=int(trend_table["n"].sum()),
                   method="two-sample z-tests of each change, Holm-adjusted")


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
            parts.append(f"the rating that fell most is **{readable_label(worst['attribute'])}** "
                         f"({fmt_signed(worst['difference'], 2)} on the {scale} scale, adjusted "
                         f"{fmt_p(worst['p_adjusted'])})")
        else:
            parts.append(f"no attribute rating differs significantly from the other periods (largest fall: "
                         f"{readable_label(worst['attribute'])}, {fmt_signed(worst['difference'], 2)}, adjusted "
                         f"{fmt_p(worst['p_adjusted'])})")
    if themes is not None and len(themes):
        top = themes.iloc[0]
        if bool(top["significant"]) and top["difference"] > 0:
            details["theme"] = str(top["label"]).lower()
            parts.append(f"among that period's detractors the comment theme that grew most is "
                         f"**{str(top['label']).lower()}** ({top['pct_in']:.0f} % of detractors against "
                         f"{top['pct_out']:.0f} % in other periods, adjusted {fmt_p(top['p_adjusted'])})")
        else:
            parts.append("no comment theme grew significantly among detractors")
    if not parts:
        return Finding(f"No attribute ratings or comments to examine what changed in {period_label}.",
                       details=details)
    evidence = details["attribute"] is not None or details["theme"] is not None
    text = f"In {period_label} " + "; ".join(parts) + "."
    if evidence:
        text += " That is the first place to look for the cause."
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
    text = (f"With about {fmt_count(per_period)} responses per {name}, a single {name}'s NPS is known to "
            f"±{margin:.0f} points.")
    if need is not None:
        text += (f" Detecting a {change:.0f}-point change needs about {fmt_count(need)} responses in each of the "
                 f"two periods compared.")
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
    text = (f"The {len(t)} attribute ratings explain {analysis.r_squared:.0%} of the variance in the likelihood to "
            f"recommend (n = {fmt_count(analysis.n)}; {fmt_count(analysis.n_dropped)} responses with gaps left out). "
            f"The order of importance is {', '.join(names)}; the ordered logit "
            f"{'ranks them the same way' if agree else 'ranks them slightly differently'}.")
    if sig:
        text += (f" The strongest driver is **{names[0]}** ({top['importance']:.0f} % of the explained variance, "
                 f"{fmt_p(top['p_value'])}).")
    else:
        text += f" No attribute is a significant driver at this sample size ({names[0]}: {fmt_p(top['p_value'])})."
    if prio and sig:
        text += f" Important but rated below average: {', '.join(prio)}."
    return Finding(text, evidence=bool(sig), details={"top": names[0] if sig else None,
                                                        "importance": float(top["importance"]),
                                                        "priority": prio if sig else []},
                   title=(f"{names[0].capitalize()} moves the score most" if sig
                          else "No attribute stands out as a driver"),
                   n=int(analysis.n), method="Johnson's relative weights; standardised regression; ordered logit")


def themes(lift: pd.DataFrame, coded: pd.DataFrame) -> Finding:
    """Which comment themes lean to detractors or promoters (Fisher's test, from ``theme_lift``)."""
    n_comments = int(coded["has_comment"].sum())
    if n_comments == 0:
        return Finding("No respondent left a comment.", details={"detractor_themes": [], "promoter_themes": []})
    det = lift[lift["leans"] == "detractors"].sort_values("estimate", ascending=False)
    pro = lift[lift["leans"] == "promoters"].sort_values("estimate")
    share_ru = (coded["language"] == "ru").sum() / n_comments
    text = f"{coded['has_comment'].mean():.0%} of respondents left a comment ({share_ru:.0%} in Russian)."
    if len(det):
        text += " Detractors mention significantly more often: " + ", ".join(
            f"{str(r.label).lower()} ({r.pct_detractors:.0f} % of detractors vs {r.pct_promoters:.0f} % of "
            f"promoters)" for r in det.head(4).itertuples()) + "."
    if len(pro):
        text += " Promoters: " + ", ".join(f"{str(r.label).lower()} ({r.pct_promoters:.0f} % vs "
                                           f"{r.pct_detractors:.0f} %)" for r in pro.head(3).itertuples()) + "."
    if "pct_all" in lift and not (lift["pct_all"] > 0).any():
        text += (" None of the comments mentions a theme of the lexicon (see and extend it with "
                 "cxlab.text.load_lexicon).")
    elif not len(det) and not len(pro):
        text += (" No theme is mentioned significantly more by detractors than by promoters, or the other way "
                 "round, at this sample size.")
    return Finding(text, evidence=bool(len(det) or len(pro)),
                   details={"detractor_themes": [str(x).lower() for x in det["label"]],
                            "promoter_themes": [str(x).lower() for x in pro["label"]]})


def enps(table: pd.DataFrame, overall: Mapping, *, group: str | None, confidence: float = 0.95,
         min_base: int = 30, lift: pd.DataFrame | None = None) -> Finding:
    """Employee NPS overall and by group (``nps_table`` of the employee survey)."""
    if bool(overall.get("suppressed", False)) or not _ok(overall["estimate"]):
        return Finding(f"The employee survey has {fmt_count(overall['n'])} answers with a score, fewer than the "
                       f"minimum base of {min_base}: no eNPS is reported.")
    text = (f"**eNPS is {fmt_signed(overall['estimate'])}** ({_pct(confidence)} CI "
            f"{fmt_signed(overall['ci_low'])} to {fmt_signed(overall['ci_high'])}, n = {fmt_count(overall['n'])}).")
    if group is not None and table is not None and len(table):
        shown = table[~table["suppressed"].astype(bool) & table[group].notna() & table["estimate"].notna()]
        hidden = table[table["suppressed"].astype(bool) & table[group].notna()]
        if len(shown) >= 2:
            lo, hi = shown.loc[shown["estimate"].idxmin()], shown.loc[shown["estimate"].idxmax()]
            text += (f" By {readable_label(group)} (descriptive): from {fmt_signed(lo['estimate'])} ({lo[group]}) to "
                     f"{fmt_signed(hi['estimate'])} ({hi[group]}).")
        if len(hidden):
            text += (f" Not shown (fewer than {min_base} answers): "
                     + ", ".join(f"{v} (n = {n})" for v, n in zip(hidden[group], hidden["n"], strict=True)) + ".")
    if lift is not None and len(lift):
        det = lift[lift["leans"] == "detractors"].sort_values("estimate", ascending=False)
        if len(det):
            text += " Detractor comments are about " + ", ".join(det["label"].str.lower().head(3)) + "."
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
        return Finding(f"Only {fmt_count(row['n'])} answers to {label}, fewer than the minimum base of {min_base}: "
                       f"not reported.")
    return Finding(f"**Mean {label} is {row['mean']:.2f}** on its {lo}–{hi} scale ({_pct(confidence)} CI "
                   f"{row['ci_low']:.2f} to {row['ci_high']:.2f}); **{row['pct_top_box']:.0f} % answer {hi - 1} or "
                   f"{hi}** ({_pct(confidence)} CI {row['top_box_ci_low']:.0f} % to {row['top_box_ci_high']:.0f} %), "
                   f"n = {fmt_count(row['n'])}.", details={"mean": float(row["mean"])},
                   title=f"Mean {label} is {row['mean']:.2f} of {hi}", n=int(row["n"]),
                   interval=f"{_pct(confidence)} CI {row['ci_low']:.2f} to {row['ci_high']:.2f}",
                   method="t interval of the mean; Wilson interval of the top-2-box share")


def rating_groups(table: pd.DataFrame, tests: pd.DataFrame, *, score: str, group: str, alpha: float = 0.05,
                  min_base: int = 30) -> Finding:
    """Do groups differ on a rating? (``cxlab.nps.rating_table`` by group and ``compare_ratings``.)

    A group is named as lowest only when the Kruskal–Wallis test across groups is
    significant; otherwise the finding says there is no evidence of a difference.
    """
    label, g = score_label(score), readable_label(group)
    shown = table[~table["suppressed"].astype(bool) & table["mean"].notna() & table[group].notna()]
    if len(shown) < 2:
        return Finding(f"Fewer than two {_noun(group, 2)} have at least {min_base} answers: {label} by {g} is not "
                       f"compared.", details={"significant": False, "group": group, "score": label})
    kw = tests.set_index("test").loc["kruskal_wallis"]
    chi = tests.set_index("test").loc["chi_square_top_box"]
    lo, hi = shown.loc[shown["mean"].idxmin()], shown.loc[shown["mean"].idxmax()]
    sig = _ok(kw["p_value"]) and float(kw["p_value"]) < alpha
    stats_txt = (f"Kruskal–Wallis {fmt_p(kw['p_value'])}; top-2-box chi-square {fmt_p(chi['p_value'])}")
    if not sig:
        return Finding(f"Across the {len(shown)} {_noun(group, 2)} shown there is **{NO_EVIDENCE}** in {label} "
                       f"({stats_txt}); means range from {lo['mean']:.2f} ({lo[group]}) to {hi['mean']:.2f} "
                       f"({hi[group]}).", details={"significant": False, "group": group, "score": label},
                       title=f"No evidence that {_noun(group, 2)} differ in {label}", n=int(shown["n"].sum()),
                       method="Kruskal–Wallis test; chi-square test of top-2-box")
    return Finding(f"{label} differs between {_noun(group, 2)} ({stats_txt}). Lowest: **{lo[group]}** "
                   f"(mean {lo['mean']:.2f}, {lo['pct_top_box']:.0f} % top-2-box, n = {fmt_count(lo['n'])}); "
                   f"highest: {hi[group]} (mean {hi['mean']:.2f}, {hi['pct_top_box']:.0f} %).",
                   evidence=True, details={"significant": True, "lowest": str(lo[group]), "group": group,
                                           "score": label},
                   title=f"{lo[group]} has the lowest {label} of the {_noun(group, 2)}", n=int(lo["n"]),
                   method="Kruskal–Wallis test; chi-square test of top-2-box")


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
        item = (f"**Find what changed in {fall['period']}.** NPS fell {abs(fall['change']):.0f} points (adjusted "
                f"{fmt_p(fall['p_adjusted'])})")
        if change is not None and change.evidence:
            what = []
            if change.details.get("attribute"):
                what.append(f"{readable_label(change.details['attribute'])} ratings fell")
            if change.details.get("theme"):
                what.append(f"detractors' comments about {change.details['theme']} grew")
            item += "; " + " and ".join(what) + f". Check operations for that period and track these monthly."
        else:
            item += "; no single rating or comment theme explains it at this sample size. Check operations " \
                    "for that period."
        items.append(item)
    for g in groups:
        d = g.details
        name = d.get("grouping", "group")
        if d.get("lowest_established"):
            item = (f"**Look into the {d['lowest']} experience.** At {fmt_signed(d['lowest_estimate'])} it is "
                    f"significantly below {d['below_count']} other {_noun(name, d['below_count'])}")
            if mix is not None and d is groups[0].details:
                strata = _noun(mix.details.get("stratum", "group"), 2)
                if mix.details.get("all_suppressed"):
                    item += f" (whether it stays behind within {strata} needs more answers per cell)"
                elif mix.details.get("consistent"):
                    item += f" and stays behind within every one of the {strata} that can be compared"
                elif mix.details.get("gaps"):
                    item += f", though not within every one of the {strata}, so part of the gap may be mix"
            item += "."
            named[(name, str(d["lowest"]))] = len(items)
            if low_group_themes and d is groups[0].details:
                item += f" Its detractors mention most often {_join(list(low_group_themes)[:2])}."
            items.append(item)
        elif d.get("shown", 0) >= 2 and (d.get("significant") or d.get("pairs_significant")):
            items.append(f"**Check the {_noun(name, 2)}' detractor and promoter shares before acting:** their mix "
                         f"differs, but no {_noun(name, 1)} is significantly behind another in NPS after Holm "
                         f"correction.")
        elif d.get("shown", 0) >= 2:
            item = (f"**Do not act on differences between {_noun(name, 2)} yet:** {NO_EVIDENCE} "
                    f"({d['shown']} {_noun(name, d['shown'])} compared)")
            if d.get("n_needed"):
                item += (f"; about {fmt_count(d['n_needed'])} answers per {name} would be needed to detect the "
                         f"{d['gap']:.0f}-point gap seen")
            items.append(item + ".")
    lows: dict[tuple[str, str], list[str]] = {}
    for r in ratings:
        if r.evidence and r.details.get("lowest"):
            lows.setdefault((r.details["group"], r.details["lowest"]), []).append(r.details["score"])
    for (grp, low), scores in lows.items():
        if (grp, low) in named:
            i = named[(grp, low)]
            items[i] += f" It also has the lowest {_join(scores)} (the differences are significant)."
        else:
            items.append(f"**Look into {low}:** it has the lowest {_join(scores)} of the {_noun(grp, 2)}, and the "
                         f"difference between them is significant (Kruskal–Wallis).")
    if driver_finding is not None and driver_finding.evidence:
        item = (f"**Invest where it moves the score:** {driver_finding.details['top']} carries "
                f"{driver_finding.details['importance']:.0f} % of the explained variance")
        prio = driver_finding.details.get("priority") or []
        if prio:
            item += f"; {', '.join(prio)} {'is' if len(prio) == 1 else 'are'} important but rated below average"
        items.append(item + ".")
    if theme_finding is not None and theme_finding.details.get("promoter_themes"):
        items.append("**Keep what promoters praise:** " + ", ".join(theme_finding.details["promoter_themes"][:3])
                     + ".")
    last = "**Report every score with its interval and base**, and never below " + f"{min_base} responses"
    if plan is not None and plan.details.get("n_per_group"):
        last = (f"**Size the next waves for the question asked:** about {fmt_count(plan.details['n_per_group'])} "
                f"responses per wave to see a 5-point change; report every NPS with its interval and base, and "
                f"never below {min_base} responses")
    items.append(last + ".")
    return Finding("\n".join(f"{i}. {t}" for i, t in enumerate(items, 1)), details={"items": items})
