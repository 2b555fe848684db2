"""Plain-language findings of the say–do gap, written from the result tables of
:mod:`cxlab.survey_vs_behaviour`. A sentence claims a difference only when its interval or
test supports it; otherwise it says there is no evidence at this sample size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.findings.format import fmt_p, fmt_pct, fmt_signed

__all__ = ["coverage_finding", "claim_finding", "kappa_explanation", "representativeness_finding",
           "intent_finding", "prediction_finding", "triad_finding", "offer_finding", "recommendations"]


def _pct(v) -> str:
    return fmt_pct(v, 0)


def _ci(lo, hi) -> str:
    return f"{_pct(lo)}–{_pct(hi)}"


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
    names = {"customer_id": "customer id", "email": "e-mail", "phone": "phone"}
    keys = ", ".join(f"{int(r.n):,} by {names.get(str(r.detail), str(r.detail))}" for r in linked.itertuples())
    text = (f"{link.n_linked:,} of {link.n_responses:,} survey responses ({_pct(link.n_linked / link.n_responses)}) "
            f"were linked to a customer: {keys}.")
    if len(unl):
        reasons = "; ".join(f"{r.detail}: {int(r.n):,}" for r in unl.itertuples())
        text += f" {int(unl['n'].sum()):,} could not be linked ({reasons})."
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
    if not agreement.ordered or "over" not in agreement.claims.columns:
        return f"The stated {label} has no order, so only agreement, not a direction, can be measured."
    r = agreement.claims.iloc[0]
    if pd.isna(r.over):
        return f"Too few answers to measure the direction of the gap in {label} (n = {int(r.n):,})."
    base = (f"{_pct(r.over)} (95% CI {_ci(r.over_low, r.over_high)}) state a higher level than their purchases "
            f"show, {_pct(r.under)} ({_ci(r.under_low, r.under_high)}) a lower one")
    if r.over_low > r.under_high:
        return (f"Respondents over-claim their {label}: {base.replace(', ' + _pct(r.under), ', only ' + _pct(r.under), 1)};"
                f" {_pct(r.agree)} match (n = {int(r.n):,}).")
    if r.under_low > r.over_high:
        return f"Respondents under-claim their {label}: {base}; {_pct(r.agree)} match (n = {int(r.n):,})."
    return (f"No evidence that respondents lean either way on {label} at this sample size: {base} "
            f"(n = {int(r.n):,}).")


def kappa_explanation(agreement, *, label: str) -> str:
    """Why kappa can be low while raw agreement is high: chance agreement from unequal margins."""
    st = agreement.statistics.set_index("statistic")
    pa, k = st.loc["percent_agreement", "estimate"], st.loc["kappa", "estimate"]
    tab = agreement.confusion.to_numpy(dtype=float)
    n = tab.sum()
    pe = float((tab.sum(1) * tab.sum(0)).sum() / n**2) if n else np.nan
    return (f"On {label}, stated and actual agree for {_pct(pa)} of respondents, but {_pct(pe)} would agree by chance "
            f"alone, given how the answers are spread over the levels; kappa = (agreement − chance) / (1 − chance) "
            f"= {k:.2f} ({st.loc['kappa', 'ci_low']:.2f} to {st.loc['kappa', 'ci_high']:.2f}). The more one level "
            f"dominates, the higher chance agreement and the lower kappa for the same raw agreement.")


def representativeness_finding(balance: pd.DataFrame, *, nps_raw: float, nps_weighted: float,
                               summary: pd.DataFrame, threshold: float = 0.1) -> str:
    """How respondents differ from the base, and what reweighting does to the NPS."""
    flagged = balance.loc[balance["smd"].abs() > threshold].sort_values("smd", key=np.abs, ascending=False)
    s = summary.iloc[0]
    if len(flagged):
        top = ", ".join(f"{v.replace('_', ' ')} (SMD {d:+.2f})" for v, d in zip(flagged["variable"][:3],
                                                                               flagged["smd"][:3]))
        first = f"Respondents differ from the customer base on {len(flagged)} variable(s), most on {top}."
    else:
        first = f"Respondents look like the customer base: no standardised difference exceeds {threshold}."
    after = ""
    if "smd_weighted" in balance.columns:
        left = int((balance["smd_weighted"].abs() > threshold).sum())
        after = f" After weighting, {left} variable(s) remain above {threshold}."
    return (first + after + f" Weighted to the base, the NPS is {fmt_signed(nps_weighted)} instead of "
            f"{fmt_signed(nps_raw)} (design effect {s.design_effect:.2f}, effective n {s.effective_n:,.0f} of "
            f"{int(s.n):,}).")


def intent_finding(binary, *, days: int) -> str:
    """Stated repurchase intent against repurchase within ``days``."""
    a = binary.accuracy.set_index("measure")
    t = binary.tests.set_index("method").loc["exact"]
    said, did = a.loc["stated_yes"], a.loc["actual_yes"]
    text = (f"{_pct(said.estimate)} said they would buy again, {_pct(did.estimate)} did within {days} days "
            f"(n = {binary.n_pairs:,}). Of those who said yes, {_pct(a.loc['ppv', 'estimate'])} bought "
            f"({_ci(a.loc['ppv', 'ci_low'], a.loc['ppv', 'ci_high'])}); of those who said no, "
            f"{_pct(1 - a.loc['npv', 'estimate'])} bought anyway.")
    if t.p_value < 0.05:
        word = "overstates" if said.estimate > did.estimate else "understates"
        text += f" Stated intent {word} repurchase (McNemar exact {fmt_p(t.p_value)})."
    else:
        text += f" No evidence that stated intent over- or understates repurchase at this sample size ({fmt_p(t.p_value)})."
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
        rates = (f"{_pct(p.repurchase)} of promoters bought again within {days} days "
                 f"({_ci(p.repurchase_low, p.repurchase_high)}) against {_pct(d.repurchase)} of detractors "
                 f"({_ci(d.repurchase_low, d.repurchase_high)})")
        if promo is not None:  # the model's test of promoters against detractors (with its controls)
            supported = promo.ci_low > 1
            detail = f"; odds ratio {promo.estimate:.2f}, {promo.ci_low:.2f}–{promo.ci_high:.2f}"
        else:
            supported = p.repurchase_low > d.repurchase_high
            detail = ""
        if supported:
            head = f"What customers say does predict what they do: {rates}{detail}."
        else:
            head = f"No clear evidence that promoters buy again more than detractors at this sample size: {rates}{detail}."
    else:
        head = "Too few promoters or detractors to compare their repurchase."
    said = getattr(model, "auc_predictor", None)
    if said is None or not len(said):
        return head + (f" The model with its controls separates buyers from non-buyers with AUC {auc.estimate:.2f} "
                       f"({auc.ci_low:.2f}–{auc.ci_high:.2f}), where 0.5 is a coin toss.")
    s = said.iloc[0]
    strength = ("no better than a coin toss" if s.ci_low <= 0.5 else
                "a weak predictor" if s.estimate < 0.7 else "a moderate predictor" if s.estimate < 0.8
                else "a strong predictor")
    text = (f" On its own, what customers say is {strength} of what they do: AUC {s.estimate:.2f} "
            f"({s.ci_low:.2f}–{s.ci_high:.2f}), where 0.5 is a coin toss")
    if auc.estimate - s.estimate >= 0.05:
        text += (f"; past behaviour adds most of the model's AUC of {auc.estimate:.2f} "
                 f"({auc.ci_low:.2f}–{auc.ci_high:.2f})")
    return head + text + "."


def triad_finding(triad: pd.DataFrame) -> str:
    """Name the attributes whose say- and do-importance disagree most."""
    say_top = triad.sort_values("say", ascending=False)["driver"].iloc[0]
    sig = triad[(triad["do_low"] > 0)]
    do_top = triad.sort_values("do", ascending=False)["driver"].iloc[0]
    clean = lambda d: d.replace("attr_", "").replace("_", " ")  # noqa: E731
    if sig.empty:
        return (f"{clean(say_top).capitalize()} drives the likelihood to recommend most, but no rating predicts actual "
                f"repurchase with confidence at this sample size (n = {int(triad['n'].iloc[0]):,}).")
    if do_top == say_top:
        return (f"{clean(say_top).capitalize()} drives both what customers say and what they do "
                f"(n = {int(triad['n'].iloc[0]):,}).")
    names = ", ".join(clean(d) for d in sig.sort_values("do", ascending=False)["driver"])
    return (f"What drives the recommendation is not what drives repurchase: {clean(say_top)} matters most for the "
            f"likelihood to recommend, while actual repurchase is predicted by {names} (n = {int(triad['n'].iloc[0]):,}).")


def offer_finding(backtest) -> str:
    """The back-test result: which offer would have sold more, claimed only when the paired test supports it."""
    s = backtest.summary_table.set_index("strategy")
    c = backtest.comparison.iloc[0]
    rates = (f"offering the stated favourite would have reached {_pct(s.loc['stated', 'rate'])} "
             f"({_ci(s.loc['stated', 'ci_low'], s.loc['stated', 'ci_high'])}), the revealed favourite "
             f"{_pct(s.loc['revealed', 'rate'])} ({_ci(s.loc['revealed', 'ci_low'], s.loc['revealed', 'ci_high'])})")
    tail = (f" (difference {fmt_signed(c.difference * 100, 1)} points, {fmt_signed(c.ci_low * 100, 1)} to "
            f"{fmt_signed(c.ci_high * 100, 1)}; McNemar {fmt_p(c.p_value)}; n = {int(c.n):,}).")
    if c.p_value < 0.05 and c.difference > 0:
        return f"Offers from what customers do beat offers from what they say: {rates}" + tail
    if c.p_value < 0.05 and c.difference < 0:
        return f"Here the stated favourite was the better offer: {rates}" + tail
    return f"No evidence that either offer sells more at this sample size: {rates}" + tail


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
            who = f", most in {worst['group'].iloc[0]}" if len(worst) else ""
            out.append(f"Do not size or target on the stated {label}: about {_pct(r.over)} overstate it{who}. "
                       f"Use the {label} from purchase data instead.")
    if binary is not None:
        a = binary.accuracy.set_index("measure")
        if a.loc["stated_yes", "ci_low"] > a.loc["actual_yes", "ci_high"]:
            out.append("Discount stated purchase intent when forecasting: fewer customers buy again than say they will.")
    if backtest is not None:
        c = backtest.comparison.iloc[0]
        if c.p_value < 0.05 and c.difference > 0:
            out.append("Build personal offers from the revealed favourite category, not the stated one.")
        elif c.p_value < 0.05 and c.difference < 0:
            out.append("Keep asking the favourite category: here it predicted the next purchase better than past "
                       "purchases; re-test on a new window before switching offer logic.")
        else:
            out.append("Run a controlled test before choosing between stated and revealed offers: the back-test "
                       "does not separate them.")
    if weighted_shift is not None and abs(weighted_shift) >= 1:
        out.append(f"Report the NPS weighted to the customer base: weighting moves it by {fmt_signed(weighted_shift)} points.")
    return out
