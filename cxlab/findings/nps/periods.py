"""Findings over time: the trend across periods and what changed in the last period."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxlab.findings.format import fmt_count, fmt_p, fmt_signed, readable_label
from cxlab.findings.i18n import _, fmt_number, get_language, ngettext, noun_phrase
from cxlab.findings.nps.base import Finding, _PERIOD_NAMES, _ci, _ok, _period, _plural

__all__ = ["trend", "period_change"]


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
