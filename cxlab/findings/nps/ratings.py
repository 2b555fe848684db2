"""Findings for the other scales (CSAT, CES): the overall rating and differences between groups."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cxlab.findings.format import fmt_count, fmt_p, readable_label
from cxlab.findings.i18n import _, fmt_decimal, fmt_number, ngettext
from cxlab.findings.nps.base import Finding, NO_EVIDENCE, _ci, _g, _noun, _ok, score_label

__all__ = ["rating_overall", "rating_groups"]


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
