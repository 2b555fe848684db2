"""Plain-language findings of the say–do gap, written from the result tables of
:mod:`cxlab.survey_vs_behaviour`. A sentence claims a difference only when its interval or
test supports it; otherwise it says there is no evidence at this sample size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.findings.format import fmt_p, fmt_pct, fmt_signed, value_label
from cxlab.findings.i18n import N_, _, fmt_decimal, fmt_number, get_language

__all__ = ["representativeness_key", "claim_key", "prediction_key", "triad_key", "offer_key", "coverage_finding", "claim_finding", "kappa_explanation", "representativeness_finding",
           "intent_finding", "prediction_finding", "triad_finding", "offer_finding", "recommendations"]


def _pct(v) -> str:
    return fmt_pct(v, 0)


def _ci(lo, hi) -> str:
    return f"{_pct(lo)}–{_pct(hi)}"


def _n(v) -> str:
    return fmt_number(int(v), 0)


def _d(v) -> str:
    return fmt_decimal(v, 2)


def coverage_finding(link) -> str:
    """One sentence on how many responses could be linked, by which key, and why the rest could not.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> cov = pd.DataFrame({"outcome": ["linked", "linked", "unlinked"], "detail": ["customer_id", "email", "no customer id, e-mail or phone given"],
    ...                     "n": [90, 5, 5], "share": [0.9, 0.05, 0.05]})
    >>> print(coverage_finding(SimpleNamespace(coverage=cov, n_responses=100, n_linked=95)))
    95 of 100 survey responses (95%) were linked to a customer: 90 by customer id, 5 by e-mail. 5 could not be linked (no customer id, e-mail or phone given: 5).
    """
    cov = link.coverage
    linked = cov[cov["outcome"] == "linked"]
    unl = cov[cov["outcome"] == "unlinked"]
    names = {"customer_id": N_("by customer id"), "email": N_("by e-mail"), "phone": N_("by phone")}
    keys = ", ".join(f"{_n(r.n)} " + (_(names[str(r.detail)]) if str(r.detail) in names
                                      else _("by {key}").format(key=r.detail)) for r in linked.itertuples())
    text = _("{linked} of {total} survey responses ({share}) were linked to a customer: {keys}.").format(
        linked=_n(link.n_linked), total=_n(link.n_responses), share=_pct(link.n_linked / link.n_responses), keys=keys)
    if len(unl):
        reasons = "; ".join(f"{_(str(r.detail))}: {_n(r.n)}" for r in unl.itertuples())
        text += _(" {n} could not be linked ({reasons}).").format(n=_n(unl["n"].sum()), reasons=reasons)
    return text


def claim_finding(agreement, *, label: str) -> str:
    """Direction of the gap overall: over-claim vs under-claim, claimed only when the intervals separate.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> claims = pd.DataFrame({"group": ["all"], "n": [400], "agree": [0.7], "over": [0.25], "under": [0.05],
    ...                        "over_low": [0.21], "over_high": [0.29], "under_low": [0.03], "under_high": [0.08]})
    >>> print(claim_finding(SimpleNamespace(claims=claims, ordered=True), label="price tier"))
    Respondents over-claim their price tier: 25% (95% CI 21%–29%) state a higher level than their purchases show, only 5% (3%–8%) a lower one; 70% match (n = 400).
    """
    label = _(label)
    if not agreement.ordered or "over" not in agreement.claims.columns:
        return _("The stated {label} has no order, so only agreement, not a direction, can be measured.").format(
            label=label)
    r = agreement.claims.iloc[0]
    if pd.isna(r.over):
        return _("Too few answers to measure the direction of the gap in {label} (n = {n}).").format(
            label=label, n=_n(r.n))
    fields = dict(over=_pct(r.over), over_ci=_ci(r.over_low, r.over_high), under=_pct(r.under),
                  under_ci=_ci(r.under_low, r.under_high), agree=_pct(r.agree), n=_n(r.n), label=label)
    if r.over_low > r.under_high:
        return _("Respondents over-claim their {label}: {over} (95% CI {over_ci}) state a higher level than their "
                 "purchases show, only {under} ({under_ci}) a lower one; {agree} match (n = {n}).").format(**fields)
    if r.under_low > r.over_high:
        return _("Respondents under-claim their {label}: {over} (95% CI {over_ci}) state a higher level than their "
                 "purchases show, {under} ({under_ci}) a lower one; {agree} match (n = {n}).").format(**fields)
    return _("No evidence that respondents lean either way on {label} at this sample size: {over} (95% CI {over_ci}) "
             "state a higher level than their purchases show, {under} ({under_ci}) a lower one (n = {n}).").format(
        **fields)


def kappa_explanation(agreement, *, label: str) -> str:
    """Why kappa can be low while raw agreement is high: chance agreement from unequal margins."""
    st = agreement.statistics.set_index("statistic")
    pa, k = st.loc["percent_agreement", "estimate"], st.loc["kappa", "estimate"]
    tab = agreement.confusion.to_numpy(dtype=float)
    n = tab.sum()
    pe = float((tab.sum(1) * tab.sum(0)).sum() / n**2) if n else np.nan
    return _("On {label}, stated and actual agree for {agree} of respondents, but {chance} would agree by chance "
             "alone, given how the answers are spread over the levels; kappa = (agreement − chance) / (1 − chance) = "
             "{kappa} ({low} to {high}). The more one level dominates, the higher chance agreement and the lower "
             "kappa for the same raw agreement.").format(
        label=_(label), agree=_pct(pa), chance=_pct(pe), kappa=_d(k), low=_d(st.loc["kappa", "ci_low"]),
        high=_d(st.loc["kappa", "ci_high"]))


def representativeness_finding(balance: pd.DataFrame, *, nps_raw: float, nps_weighted: float,
                               summary: pd.DataFrame, threshold: float = 0.1) -> str:
    """How respondents differ from the base, and what reweighting does to the NPS."""
    flagged = balance.loc[balance["smd"].abs() > threshold].sort_values("smd", key=np.abs, ascending=False)
    s = summary.iloc[0]
    if len(flagged):
        top = ", ".join(f"{_(v.replace('_', ' '))} (SMD {'+' if d >= 0 else '-'}{_d(abs(d))})"
                        for v, d in zip(flagged["variable"][:3], flagged["smd"][:3]))
        first = _("Respondents differ from the customer base on {k} variable(s), most on {top}.").format(
            k=len(flagged), top=top)
    else:
        first = _("Respondents look like the customer base: no standardised difference exceeds {threshold}.").format(
            threshold=fmt_number(threshold, 1) if threshold == round(threshold, 1) else threshold)
    after = ""
    if "smd_weighted" in balance.columns:
        left = int((balance["smd_weighted"].abs() > threshold).sum())
        after = _(" After weighting, {k} variable(s) remain above {threshold}.").format(
            k=left, threshold=fmt_number(threshold, 1) if threshold == round(threshold, 1) else threshold)
    values = dict(weighted=fmt_signed(nps_weighted), raw=fmt_signed(nps_raw), deff=_d(s.design_effect),
                  n_eff=fmt_number(s.effective_n, 0), n=_n(s.n))
    if values["weighted"] == values["raw"]:  # the same at the precision shown: do not write "+4 instead of +4"
        return first + after + _(" Weighting to the base does not change the NPS ({raw}; design effect {deff}, "
                                 "effective n {n_eff} of {n}).").format(**values)
    return first + after + _(" Weighted to the base, the NPS is {weighted} instead of {raw} (design effect {deff}, "
                             "effective n {n_eff} of {n}).").format(**values)


def intent_finding(binary, *, days: int) -> str:
    """Stated repurchase intent against repurchase within ``days``."""
    a = binary.accuracy.set_index("measure")
    t = binary.tests.set_index("method").loc["exact"]
    said, did = a.loc["stated_yes"], a.loc["actual_yes"]
    text = _("{said} said they would buy again, {did} did within {days} days (n = {n}). Of those who said yes, {ppv} "
             "bought ({ppv_ci}); of those who said no, {npv} bought anyway.").format(
        said=_pct(said.estimate), did=_pct(did.estimate), days=days, n=_n(binary.n_pairs),
        ppv=_pct(a.loc["ppv", "estimate"]), ppv_ci=_ci(a.loc["ppv", "ci_low"], a.loc["ppv", "ci_high"]),
        npv=_pct(1 - a.loc["npv", "estimate"]))
    if t.p_value < 0.05:
        text += (_(" Stated intent overstates repurchase (McNemar exact {p}).") if said.estimate > did.estimate
                 else _(" Stated intent understates repurchase (McNemar exact {p}).")).format(p=fmt_p(t.p_value))
    else:
        text += _(" No evidence that stated intent over- or understates repurchase at this sample size ({p}).").format(
            p=fmt_p(t.p_value))
    return text


def prediction_finding(by_class: pd.DataFrame, model, *, days: int) -> str:
    """Whether promoters buy again more than detractors, and how well the model separates."""
    t = by_class.set_index("nps_class")
    auc = model.auc.iloc[0]
    ors = getattr(model, "odds_ratios", None)
    promo = (ors.set_index("term").loc["nps_class[T.promoter]"]
             if ors is not None and "nps_class[T.promoter]" in set(ors["term"]) else None)
    if {"promoter", "detractor"} <= set(t.index) and not t[["repurchase"]].isna().any().any():
        p, d = t.loc["promoter"], t.loc["detractor"]
        rates = _("{promoters} of promoters bought again within {days} days ({promoters_ci}) against {detractors} of "
                  "detractors ({detractors_ci})").format(
            promoters=_pct(p.repurchase), days=days, promoters_ci=_ci(p.repurchase_low, p.repurchase_high),
            detractors=_pct(d.repurchase), detractors_ci=_ci(d.repurchase_low, d.repurchase_high))
        if promo is not None:  # the model's test of promoters against detractors (with its controls)
            supported = promo.ci_low > 1
            detail = _("; odds ratio {estimate}, {low}–{high}").format(estimate=_d(promo.estimate),
                                                                      low=_d(promo.ci_low), high=_d(promo.ci_high))
        else:
            supported = p.repurchase_low > d.repurchase_high
            detail = ""
        if supported:
            head = _("What customers say does predict what they do: {rates}{detail}.").format(rates=rates,
                                                                                            detail=detail)
        else:
            head = _("No clear evidence that promoters buy again more than detractors at this sample size: "
                     "{rates}{detail}.").format(rates=rates, detail=detail)
    else:
        head = _("Too few promoters or detractors to compare their repurchase.")
    said = getattr(model, "auc_predictor", None)
    if said is None or not len(said):
        return head + _(" The model with its controls separates buyers from non-buyers with AUC {auc} ({low}–{high}), "
                        "where 0.5 is a coin toss.").format(auc=_d(auc.estimate), low=_d(auc.ci_low),
                                                            high=_d(auc.ci_high))
    s = said.iloc[0]
    strength = (_("no better than a coin toss") if s.ci_low <= 0.5 else
                _("a weak predictor") if s.estimate < 0.7 else _("a moderate predictor") if s.estimate < 0.8
                else _("a strong predictor"))
    text = _(" On its own, what customers say is {strength} of what they do: AUC {auc} ({low}–{high}), where 0.5 is a "
             "coin toss").format(strength=strength, auc=_d(s.estimate), low=_d(s.ci_low), high=_d(s.ci_high))
    if auc.estimate - s.estimate >= 0.05:
        text += _("; past behaviour adds most of the model's AUC of {auc} ({low}–{high})").format(
            auc=_d(auc.estimate), low=_d(auc.ci_low), high=_d(auc.ci_high))
    return head + text + "."


def triad_finding(triad: pd.DataFrame) -> str:
    """Name the attributes whose say- and do-importance disagree most."""
    say_top = triad.sort_values("say", ascending=False)["driver"].iloc[0]
    sig = triad[(triad["do_low"] > 0)]
    do_top = triad.sort_values("do", ascending=False)["driver"].iloc[0]
    clean = lambda d: _(d.replace("attr_", "").replace("_", " "))  # noqa: E731
    n = _n(triad["n"].iloc[0])
    if sig.empty:
        return _("{driver} drives the likelihood to recommend most, but no rating predicts actual repurchase with "
                 "confidence at this sample size (n = {n}).").format(driver=clean(say_top).capitalize(), n=n)
    if do_top == say_top:
        return _("{driver} drives both what customers say and what they do (n = {n}).").format(
            driver=clean(say_top).capitalize(), n=n)
    names = ", ".join(clean(d) for d in sig.sort_values("do", ascending=False)["driver"])
    return _("What drives the recommendation is not what drives repurchase: {driver} matters most for the likelihood "
             "to recommend, while actual repurchase is predicted by {names} (n = {n}).").format(
        driver=clean(say_top), names=names, n=n)


def offer_finding(backtest) -> str:
    """The back-test result: which offer would have sold more, claimed only when the paired test supports it."""
    s = backtest.summary_table.set_index("strategy")
    c = backtest.comparison.iloc[0]
    rates = _("offering the stated favourite would have reached {stated} ({stated_ci}), the revealed favourite "
              "{revealed} ({revealed_ci})").format(
        stated=_pct(s.loc["stated", "rate"]), stated_ci=_ci(s.loc["stated", "ci_low"], s.loc["stated", "ci_high"]),
        revealed=_pct(s.loc["revealed", "rate"]),
        revealed_ci=_ci(s.loc["revealed", "ci_low"], s.loc["revealed", "ci_high"]))
    tail = _(" (difference {difference} points, {low} to {high}; McNemar {p}; n = {n}).").format(
        difference=fmt_signed(c.difference * 100, 1), low=fmt_signed(c.ci_low * 100, 1),
        high=fmt_signed(c.ci_high * 100, 1), p=fmt_p(c.p_value), n=_n(c.n))
    if c.p_value < 0.05 and c.difference > 0:
        return _("Offers from what customers do beat offers from what they say: {rates}").format(rates=rates) + tail
    if c.p_value < 0.05 and c.difference < 0:
        return _("Here the stated favourite was the better offer: {rates}").format(rates=rates) + tail
    return _("No evidence that either offer sells more at this sample size: {rates}").format(rates=rates) + tail


def _over_claim_differs(groups: pd.DataFrame) -> float | None:
    """p-value of the chi-square test that the over-claim share is the same in every group (None: not testable).

    Examples
    --------
    >>> g = pd.DataFrame({"group": ["a", "b", "c"], "n": [50, 120, 90], "over": [0.35, 0.21, 0.18]})
    >>> round(_over_claim_differs(g), 3)
    0.038
    """
    from scipy.stats import chi2_contingency

    g = groups[(groups["n"] > 0) & groups["over"].notna()]
    if len(g) < 2:
        return None
    yes = (g["over"] * g["n"]).round().to_numpy()
    table = np.column_stack([yes, g["n"].to_numpy() - yes])
    if (table.sum(axis=0) == 0).any():
        return None
    return float(chi2_contingency(table)[1])


def _level(confidence: float) -> str:
    return fmt_pct(confidence, 0)


def _signed0(v: float) -> str:
    return f"{v:+.0f}" if get_language() == "en" else fmt_signed(v)


def _signed_pct1(v: float) -> str:
    return f"{v:+.1%}" if get_language() == "en" else fmt_signed(v * 100, 1) + "\u00a0%"


def representativeness_key(balance: pd.DataFrame, *, nps_raw, nps_weighted, summary: pd.DataFrame,
                           confidence: float = 0.95):
    """Respondents against the customer base, as a headline (``nps_raw``/``nps_weighted``: rows of ``nps_table``)."""
    from cxlab.findings.key import key_finding

    text = representativeness_finding(balance, nps_raw=nps_raw["estimate"], nps_weighted=nps_weighted["estimate"],
                                      summary=summary)
    return key_finding(_("Respondents vs the customer base"), text, n=int(summary["n"].iloc[0]),
                       method=_("standardised mean differences; raking (weightipy); Kish design effect"),
                       interval=_("weighted NPS {level} CI {low} to {high}").format(
                           level=_level(confidence), low=_signed0(nps_weighted["ci_low"]),
                           high=_signed0(nps_weighted["ci_high"])))


def claim_key(agreement, *, label: str, confidence: float = 0.95):
    """Stated against actual (an ordered :class:`~cxlab.survey_vs_behaviour.Agreement`) as a headline."""
    from cxlab.findings.key import key_finding

    c = agreement.claims.iloc[0]
    title = (_("Customers overstate their {label}") if c.over_low > c.under_high
             else _("Stated {label} vs purchases")).format(label=_(label))
    return key_finding(title, claim_finding(agreement, label=label), n=int(c.n),
                       method=_("stated vs actual from purchase data; Wilson intervals; kappa with ASE (statsmodels)"),
                       interval=_("{level} CI {low}–{high}").format(level=_level(confidence), low=_pct(c.over_low),
                                                                     high=_pct(c.over_high)))


def prediction_key(by_class: pd.DataFrame, model, *, days: int, confidence: float = 0.95):
    """Does NPS predict repurchase? (``outcome_by_nps_class`` and ``repurchase_model``) as a headline."""
    from cxlab.findings.key import key_finding

    a = model.auc.iloc[0]
    return key_finding(_("NPS and actual repurchase"), prediction_finding(by_class, model, days=days), n=model.n_used,
                       method=_("logistic regression (statsmodels); AUC with bootstrap interval"),
                       interval=_("AUC {level} CI {low}–{high}").format(level=_level(confidence), low=_d(a.ci_low),
                                                                         high=_d(a.ci_high)))


def triad_key(triad: pd.DataFrame):
    """What drives saying and doing (``driver_triad``) as a headline."""
    from cxlab.findings.key import key_finding

    return key_finding(_("What drives saying vs doing"), triad_finding(triad), n=int(triad["n"].iloc[0]),
                       method=_("standardised OLS (say) and logistic regression per SD (do)"))


def offer_key(backtest, *, confidence: float = 0.95):
    """The offer back-test as a headline."""
    from cxlab.findings.key import key_finding

    c = backtest.comparison.iloc[0]
    return key_finding(_("Offer back-test: stated vs revealed favourite"), offer_finding(backtest), n=int(c.n),
                       method=_("paired back-test on a later window; McNemar"),
                       interval=_("difference {level} CI {low} to {high}").format(
                           level=_level(confidence), low=_signed_pct1(c.ci_low), high=_signed_pct1(c.ci_high)))


def recommendations(*, tier=None, frequency=None, binary=None, backtest=None, weighted_shift: float | None = None) -> list[str]:
    """Recommendations that follow from the results given (each only when the evidence supports it)."""
    out = []
    for res, label in ((tier, "price tier"), (frequency, "purchase frequency")):
        if res is None or "over" not in res.claims.columns:
            continue
        r = res.claims.iloc[0]
        if pd.notna(r.over) and r.over_low > r.under_high:
            groups = res.claims.iloc[1:].dropna(subset=["over"])
            groups = groups[~groups["group"].str.endswith("(missing)")]
            worst = groups.sort_values("over", ascending=False)
            p_groups = _over_claim_differs(groups)
            # HOSTILE2 H13: a segment is named as over-claiming most only when a test between segments supports it
            who = (_(", most in {group} (the groups differ: chi-square {p})").format(
                group=value_label(worst["group"].iloc[0]), p=fmt_p(p_groups))
                if len(worst) >= 2 and p_groups is not None and p_groups < 0.05 else "")
            out.append(_("Do not size or target on the stated {label}: about {share} overstate it{who}. Use the "
                         "{label} from purchase data instead.").format(label=_(label), share=_pct(r.over), who=who))
    if binary is not None:
        a = binary.accuracy.set_index("measure")
        if a.loc["stated_yes", "ci_low"] > a.loc["actual_yes", "ci_high"]:
            out.append(_("Discount stated purchase intent when forecasting: fewer customers buy again than say they "
                         "will."))
    if backtest is not None:
        c = backtest.comparison.iloc[0]
        if c.p_value < 0.05 and c.difference > 0:
            out.append(_("Build personal offers from the revealed favourite category, not the stated one."))
        elif c.p_value < 0.05 and c.difference < 0:
            out.append(_("Keep asking the favourite category: here it predicted the next purchase better than past "
                         "purchases; re-test on a new window before switching offer logic."))
        else:
            out.append(_("Run a controlled test before choosing between stated and revealed offers: the back-test "
                         "does not separate them."))
    if weighted_shift is not None and abs(weighted_shift) >= 1:
        out.append(_("Report the NPS weighted to the customer base: weighting moves it by {shift} points.").format(
            shift=fmt_signed(weighted_shift)))
    if not out:  # never an empty heading: say why there is nothing to act on
        out.append(_("No action follows from these data: nothing customers said could be set against what they "
                     "did with enough evidence. Add stated questions (price tier, frequency, favourite category, "
                     "intent to buy again) to the next survey to measure the say–do gap."))
    return out
