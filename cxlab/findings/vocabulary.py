"""Words a client sees that are not written in a sentence of the code: marked here for the catalogs.

* values of cxlab's own vocabularies (channels, NPS classes, RFM segment names, what a comment theme
  leans to, the driver quadrants), translated where shown by :func:`cxlab.findings.format.value_label`
  (context ``"value"``); a user's own category names are not in this list and pass through unchanged;
* column labels and captions the notebooks pass to :func:`cxlab.findings.style_table`;
* the notebooks' titles (shown in the index) and the literal key-finding titles and methods of the
  notebooks, looked up by :func:`cxlab.findings.key_finding`.
"""

from __future__ import annotations

from cxlab.findings.i18n import N_, NP_

__all__ = ["VALUES", "LABELS", "TITLES", "CORRECTIONS"]

VALUES = (
    NP_("value", "store"), NP_("value", "web"), NP_("value", "phone"), NP_("value", "chat"), NP_("value", "email"),
    NP_("value", "social"), NP_("value", "messenger"),
    NP_("value", "detractor"), NP_("value", "passive"), NP_("value", "promoter"),
    NP_("value", "detractors"), NP_("value", "passives"), NP_("value", "promoters"),
    NP_("value", "champions"), NP_("value", "loyal"), NP_("value", "potential loyalists"), NP_("value", "new"),
    NP_("value", "promising"), NP_("value", "need attention"), NP_("value", "about to sleep"),
    NP_("value", "at risk"), NP_("value", "cannot lose them"), NP_("value", "hibernating"), NP_("value", "lost"),
    NP_("value", "Champions"), NP_("value", "Loyal"), NP_("value", "At risk"), NP_("value", "Lost"),
    NP_("value", "priority to improve"), NP_("value", "maintain"), NP_("value", "secondary"),
    NP_("value", "possible overkill"), NP_("value", "standard"), NP_("value", "low"), NP_("value", "mid"),
    NP_("value", "high"), NP_("value", "premium"), NP_("value", "budget"), NP_("value", "can't lose"),
    # the segment playbook (cxlab.segmentation.playbook.DEFAULT_PLAYBOOK; a test checks they are all here)
    NP_("value", "reward"), NP_("value", "upsell"), NP_("value", "develop"), NP_("value", "onboard"),
    NP_("value", "reactivate"), NP_("value", "win back"), NP_("value", "let go"),
    NP_("value", "make them allies: early access, referral programme, ask for reviews; no discounts"),
    NP_("value", "upsell premium ranges, membership tiers, ask for referral and feedback"),
    NP_("value", "loyalty programme invitation, personalised recommendations"),
    NP_("value", "welcome series, first-repeat incentive, introduce the assortment"),
    NP_("value", "targeted offers on the first category bought, samples or events"),
    NP_("value", "limited-time offers based on past purchases, satisfaction check"),
    NP_("value", "reminders and popular products, small incentive"),
    NP_("value", "personal win-back offer, ask what went wrong (survey or call)"),
    NP_("value", "priority personal contact by a manager, service recovery"),
    NP_("value", "low-cost reactivation: seasonal campaigns, new products"),
    NP_("value", "cheap mass channels only; exclude from costly campaigns"),
    NP_("value", "personal manager, email, messenger"), NP_("value", "email, messenger, store"),
    NP_("value", "email, web"), NP_("value", "email, messenger"), NP_("value", "email, social"),
    NP_("value", "email, phone"), NP_("value", "phone, email"), NP_("value", "phone, personal manager"),
    NP_("value", "advocacy"), NP_("value", "grow value"), NP_("value", "more frequent purchases"),
    NP_("value", "second purchase"), NP_("value", "keep them active"), NP_("value", "prevent lapse"),
    NP_("value", "win back the most valuable"), NP_("value", "reactivate cheaply"), NP_("value", "low cost"),
)

LABELS = (
    N_("channel"), N_("group"), N_("letter"), N_("period"), N_("change"), N_("significant"), N_("mean"),
    N_("driver"), N_("attribute"), N_("theme"), N_("label"), N_("quote"), N_("nps class"), N_("score"),
    N_("segment"), N_("region"), N_("country"), N_("department"), N_("share"), N_("count"), N_("customers"),
    N_("responses"), N_("difference"), N_("gap"), N_("suppressed"), N_("significantly above"), N_("NPS"),
    N_("eNPS"), N_("n per wave"), N_("n per group"), N_("n total"), N_("margin of error"), N_("other periods"),
    N_("likelihood to recommend"), N_("delivery"), N_("price"), N_("quality"), N_("staff"), N_("assortment"),
    N_("CI low (mean)"), N_("CI high (mean)"), N_("% top-2-box"), N_("CI low (top-2-box)"),
    N_("CI high (top-2-box)"), N_("importance"), N_("performance"), N_("quadrant"), N_("relative weight"),
    N_("lmg"), N_("ologit coef"), N_("leans"), N_("lift detractors"), N_("lift promoters"), N_("pct all"),
    N_("mean in"), N_("mean out"), N_("variant"), N_("method"), N_("p adjusted"), N_("stated price tier"),
    N_("price tier"), N_("purchase frequency"), N_("category"), N_("the migration between segments"),
    N_("the holdout check"), N_("age cohort"), N_("greeting"), N_("by name"), N_("sign off"), N_("slang"),
    N_("emoji"), N_("the customer mix"), N_("rows read"), N_("kept"), N_("quarantined"), N_("dates"),
)

TITLES = (
    N_("Start here: your data, the four tables and the themed notebooks"),
    N_("Who are our customers, by what they do? Behavioural segmentation, best customers and lifetime value"),
    N_("Do customers do what they say? Survey answers next to purchase behaviour (the say–do gap)"),
    N_("How loyal are our customers? NPS done properly"),
    N_("Is the experience the same in every channel? Part 1: one customer behind every channel"),
    N_("Part 2 — Is the experience the same in every channel?"),
    N_("Respondents vs the customer base"),
    N_("NPS and actual repurchase"),
    N_("What drives saying vs doing"),
    N_("Offer back-test: stated vs revealed favourite"),
    N_("Where the experience is least consistent"),
    N_("One voice in every channel"),
    N_("No channel stands out once the customer mix is equal"),
    N_("No evidence that the same customers rate channels differently"),
    N_("standardised mean differences; raking (weightipy); Kish design effect"),
    N_("logistic regression (statsmodels); AUC with bootstrap interval"),
    N_("standardised OLS (say) and logistic regression per SD (do)"),
    N_("paired back-test on a later window; McNemar"),
    N_("pairwise precision/recall against the planted person ids"),
    N_("deterministic rules + splink; connected components"),
    N_("splink scores re-clustered at each threshold; NPS with adjusted Wald intervals"),
    N_("OLS with HC3 robust errors on segment, region, age cohort; direct standardisation as a cross-check"),
    N_("linear mixed model, random intercept per person (REML)"),
    N_("tone lexicons; RMS of Cohen's h/d from the median channel; percentile bootstrap"),
    N_("gaps to the rest of the company, Holm-adjusted; flagged when significant and at least 0.2 SD"),
)

#: Multiple-comparison corrections named in sentences ("after Holm correction").
CORRECTIONS = (N_("Holm"), N_("Bonferroni"), N_("Fdr_bh"))
