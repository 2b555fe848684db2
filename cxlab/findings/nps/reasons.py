"""Findings about what lies behind the score: key drivers and the themes of the comments."""

from __future__ import annotations

import pandas as pd

from cxlab.findings.format import fmt_count, fmt_p, fmt_pct, readable_label
from cxlab.findings.i18n import _, fmt_number
from cxlab.findings.nps.base import Finding, _ok

__all__ = ["drivers", "themes"]


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
