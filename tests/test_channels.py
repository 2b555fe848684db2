"""Tests for cxlab.channels: metrics, homogeneity tests, mix adjustment, within-person models.

References: every test statistic is compared with scipy / statsmodels run directly on the
same data (named in each test), and the planted truths of the demo company
(``load_tables(None).truth.params``, measured by the generator itself).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats as st
from statsmodels.stats.contingency_tables import cochrans_q
from statsmodels.stats.proportion import proportion_confint

import cxlab.channels as ch
from cxlab import stats as cxs
from cxlab.errors import CXLabError


@pytest.fixture(scope="module")
def tables():
    from cxlab.datasets import load_tables

    return load_tables(None)


@pytest.fixture(scope="module")
def survey_ctx(tables):
    """The survey with the covariates the notebook uses: RFM segments, region, age cohort."""
    from cxlab import segmentation

    seg = segmentation.rfm_segments(segmentation.rfm_scores(
        segmentation.rfm_table(tables.transactions, observation_end=tables.observation_end)))
    return ch.respondent_context(tables.survey_responses, customers=tables.customers, segments=seg)


# ------------------------------------------------------------------ planted truths
def test_planted_phone_gap_is_detected_raw_and_mix_adjusted(tables, survey_ctx):
    """The demo plants phone −31 NPS points raw and −21 within segment (data/README.md)."""
    truth = tables.truth.params
    cov = ["segment", "region", "age_cohort"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no rank-deficiency warning: collinear covariates are dropped
        mix = ch.mix_adjusted_gaps(survey_ctx, metric="nps", covariates=cov).set_index("channel")
    phone = mix.loc["phone"]
    # detected: the raw and the adjusted intervals exclude 0
    assert phone["raw_ci_high"] < 0 and phone["adjusted_ci_high"] < 0 and phone["standardised_ci_high"] < 0
    # the raw gap is the planted raw gap (same definition: NPS of phone minus NPS of the rest)
    assert phone["raw_gap"] == pytest.approx(truth["phone_nps_gap_raw"], abs=0.05)
    # mix-adjusted estimates within their intervals of the planted within-segment gap
    true_within = truth["phone_nps_gap_within_segment"]
    assert phone["adjusted_ci_low"] <= true_within <= phone["adjusted_ci_high"]
    assert phone["standardised_ci_low"] <= true_within <= phone["standardised_ci_high"]
    # and the adjustment moves towards the truth: part of the raw gap is the customer mix
    assert abs(phone["adjusted_gap"]) < abs(phone["raw_gap"])
    assert 0 < phone["mix_share"] < 1


def test_standardising_on_the_true_segment_reproduces_the_generators_definition(tables):
    """With the true segment of each response, direct standardisation weighted by phone's own mix
    is exactly the generator's 'within segment' gap (datasets._measure_truths)."""
    seg = tables.truth.survey.set_index("response_id")["segment"]
    data = tables.survey_responses.assign(segment=tables.survey_responses["response_id"].map(seg).to_numpy())
    cells = ch.metric_cells(data, "nps", strata=["segment"])
    g = ch.standardised_gaps(cells, strata=["segment"]).set_index("channel").loc["phone"]
    assert g["gap"] == pytest.approx(tables.truth.params["phone_nps_gap_within_segment"], abs=0.01)


# ------------------------------------------------------------------ metrics
def test_csat_mean_and_top2_match_scipy_t_and_statsmodels_wilson():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"channel": rng.choice(["a", "b"], 300), "csat": rng.integers(1, 6, 300).astype(float)})
    df.loc[:5, "csat"] = np.nan  # non-response
    m = ch.channel_metrics(df, metrics=["csat", "csat_top2"], min_base=0, low_base=0).set_index(["metric", "channel"])
    for g, sub in df[df["csat"].between(1, 5)].groupby("channel"):
        x = sub["csat"].to_numpy()
        lo, hi = st.t.interval(0.95, x.size - 1, loc=x.mean(), scale=st.sem(x))  # scipy
        assert m.loc[("csat", g), "n"] == x.size
        assert m.loc[("csat", g), "ci_low"] == pytest.approx(lo) and m.loc[("csat", g), "ci_high"] == pytest.approx(hi)
        wl, wh = proportion_confint((x >= 4).sum(), x.size, method="wilson")  # statsmodels
        assert m.loc[("csat_top2", g), "ci_low"] == pytest.approx(100 * wl)
        assert m.loc[("csat_top2", g), "ci_high"] == pytest.approx(100 * wh)


def test_ces_top2_uses_its_own_scale_not_nps_cutoffs():
    df = pd.DataFrame({"channel": ["a"] * 4, "ces": [7, 6, 5, 1]})
    m = ch.channel_metrics(df, metrics=["ces", "ces_top2"], min_base=0, low_base=0).set_index("metric")
    assert m.loc["ces", "estimate"] == pytest.approx(4.75)
    assert m.loc["ces_top2", "estimate"] == pytest.approx(50.0)  # 6–7 of 7, not 9–10 of 10


def test_channel_metrics_nps_equals_nps_table_and_applies_base_rules(tables):
    from cxlab.nps import nps_table

    m = ch.channel_metrics(tables.survey_responses, metrics=["nps"], min_base=300, low_base=900)
    ref = nps_table(tables.survey_responses, by="channel", min_base=300, low_base=900, progress=False)
    assert np.allclose(m["estimate"].to_numpy(dtype=float), ref["estimate"].to_numpy(dtype=float), equal_nan=True)
    assert m.loc[m["n"] < 300, "estimate"].isna().all() and m.loc[m["n"] < 300, "suppressed"].all()
    assert m.loc[(m["n"] >= 300) & (m["n"] < 900), "low_base"].all()


def test_time_summary_median_interval_is_scipys_quantile_test():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"channel": ["x"] * 101, "wait_seconds": rng.lognormal(5, 1, 101)})
    t = ch.time_summary(df, min_base=0).iloc[0]
    ci = st.quantile_test(df["wait_seconds"].to_numpy(), q=np.median(df["wait_seconds"]), p=0.5).confidence_interval()
    assert t["estimate"] == pytest.approx(np.median(df["wait_seconds"]))
    assert (t["ci_low"], t["ci_high"]) == pytest.approx((ci.low, ci.high))


def test_out_of_scale_answers_are_refused_not_dropped():
    df = pd.DataFrame({"channel": ["a", "a", "b"], "csat": [5, 9, 4]})
    for call in (lambda: ch.metric_values(df, "csat_top2"), lambda: ch.channel_metrics(df, metrics=["csat"])):
        with pytest.raises(CXLabError) as e:
            call()
        assert "csat" in str(e.value) and "2" in str(e.value)


def test_metric_values_refuses_unreadable_flags_naming_rows():
    df = pd.DataFrame({"channel": ["a", "b"], "resolved": ["да", "может быть"]})
    with pytest.raises(CXLabError) as e:
        ch.metric_values(df, "fcr")
    assert "resolved" in str(e.value) and "2" in str(e.value)


# ------------------------------------------------------------------ homogeneity
def test_chi_square_cramers_v_and_kruskal_agree_with_scipy(tables):
    """Reference: scipy.stats.chi2_contingency, scipy.stats.contingency.association and
    scipy.stats.kruskal run directly on the raw answers of the same survey."""
    sv = tables.survey_responses
    res = ch.homogeneity_tests(sv, metrics=["nps", "csat"], min_base=0).set_index(["metric", "test"])
    x = pd.to_numeric(sv["likelihood_to_recommend"])
    ok = x.notna()
    cls = np.where(x[ok] <= 6, "d", np.where(x[ok] >= 9, "p", "n"))
    table = pd.crosstab(sv.loc[ok, "channel"].astype(str), cls).to_numpy()
    chi2, p, dof, _ = st.chi2_contingency(table, correction=False)
    r = res.loc[("nps", "chi-square")]
    assert r["statistic"] == pytest.approx(chi2) and r["p_value"] == pytest.approx(p) and r["dof"] == dof
    v = np.sqrt(chi2 / (table.sum() * (min(table.shape) - 1)))  # Cramér (1946) definition
    assert r["effect_size"] == pytest.approx(v)
    assert r["effect_size"] == pytest.approx(cxs.cramers_v(table))
    groups = [g.to_numpy() for _, g in x[ok].groupby(sv.loc[ok, "channel"].astype(str))]
    h, pk = st.kruskal(*groups)
    rk = res.loc[("nps", "Kruskal-Wallis")]
    assert rk["statistic"] == pytest.approx(h) and rk["p_value"] == pytest.approx(pk)
    c = pd.to_numeric(sv["csat"])
    groups = [g.to_numpy() for _, g in c.dropna().groupby(sv.loc[c.notna(), "channel"].astype(str))]
    assert res.loc[("csat", "Kruskal-Wallis"), "statistic"] == pytest.approx(st.kruskal(*groups)[0])
    assert res.loc[("nps", "chi-square"), "p_value"] < 0.001  # the planted phone gap makes channels differ


def test_pairwise_mann_whitney_with_holm_matches_scipy_and_statsmodels(tables):
    from statsmodels.stats.multitest import multipletests

    sv = tables.survey_responses
    pw = ch.pairwise_channels(sv, metric="ces", min_base=0)
    c = pd.to_numeric(sv["ces"])
    a = c[sv["channel"].astype(str) == "phone"].dropna()
    b = c[sv["channel"].astype(str) == "store"].dropna()
    row = pw[((pw["channel_a"] == "store") & (pw["channel_b"] == "phone"))
             | ((pw["channel_a"] == "phone") & (pw["channel_b"] == "store"))].iloc[0]
    u = st.mannwhitneyu(a, b, alternative="two-sided") if row["channel_a"] == "phone" else st.mannwhitneyu(
        b, a, alternative="two-sided")
    assert row["p_value"] == pytest.approx(u.pvalue)
    assert np.allclose(pw["p_adjusted"], multipletests(pw["p_value"], method="holm")[1])


def test_funnel_limits_follow_spiegelhalter():
    df = pd.DataFrame({"channel": ["a"] * 400 + ["b"] * 100, "csat": [5, 4, 3, 2] * 100 + [1] * 100})
    pts, lim = ch.funnel_limits(df, metric="csat")
    y = df["csat"].to_numpy(float)
    target, sd = y.mean(), y.std(ddof=1)
    n = lim["n"].to_numpy()
    assert np.allclose(lim["high_95"], np.clip(target + st.norm.ppf(0.975) * sd / np.sqrt(n), 1, 5))
    assert pts.set_index("channel").loc["b", "outside_998"]  # all 1s among 100 answers: far outside


# ------------------------------------------------------------------ adjustment
def test_regression_gap_is_statsmodels_ols_hc3_and_raw_gap_is_the_mean_difference():
    rng = np.random.default_rng(0)
    n = 600
    df = pd.DataFrame({"channel": rng.choice(["phone", "web", "store"], n), "seg": rng.choice(["x", "y", "z"], n)})
    df["csat"] = np.clip(np.rint(3.5 - 0.6 * (df["channel"] == "phone") + 0.5 * (df["seg"] == "x")
                                 + rng.normal(0, 1, n)), 1, 5)
    g = ch.regression_gaps(df, metric="csat", covariates=["seg"], min_base=0).set_index("channel")
    fit = smf.ols("csat ~ I(channel == 'phone') + C(seg)", data=df).fit(cov_type="HC3")  # statsmodels
    name = [k for k in fit.params.index if k.startswith("I(channel")][0]
    assert g.loc["phone", "gap"] == pytest.approx(fit.params[name])
    assert g.loc["phone", "se"] == pytest.approx(fit.bse[name])
    raw = ch.regression_gaps(df, metric="csat", min_base=0).set_index("channel")
    is_p = df["channel"] == "phone"
    assert raw.loc["phone", "gap"] == pytest.approx(df.loc[is_p, "csat"].mean() - df.loc[~is_p, "csat"].mean())


def test_direct_standardisation_by_hand():
    # stratum x: a = (10, 10) -> +100, rest = (0) -> -100; stratum y: a = (0) -> -100, rest = (10, 10)
    df = pd.DataFrame({"channel": ["a", "a", "a", "b", "b", "b"], "s": ["x", "x", "y", "x", "y", "y"],
                       "likelihood_to_recommend": [10, 10, 0, 0, 10, 10]})
    g = ch.standardised_gaps(ch.metric_cells(df, "nps", strata=["s"]), strata=["s"], min_base=0).set_index("channel")
    # weights of a: x 2/3, y 1/3 -> gap = 2/3·(100 − (−100)) + 1/3·(−100 − 100) = 66.67
    assert g.loc["a", "gap"] == pytest.approx(200 / 3)
    assert g.loc["a", "coverage"] == 1.0


def test_respondent_context_fills_anonymous_contacts_through_the_person():
    cust = pd.DataFrame({"customer_id": ["c1"], "region": ["Москва"], "birth_year": [2000]})
    rows = pd.DataFrame({"customer_id": [None, "c1"], "person_id": ["P1", "P1"],
                         "submitted_at": pd.to_datetime(["2025-01-01", "2025-02-01"])})
    out = ch.respondent_context(rows, customers=cust, person_of_customer=pd.Series({"c1": "P1"}))
    assert out["region"].tolist() == ["Москва", "Москва"]
    assert out["age_cohort"].tolist() == ["Gen Z", "Gen Z"]


# ------------------------------------------------------------------ within persons
def test_mixed_model_agrees_with_statsmodels_formula_and_balanced_closed_form():
    """Reference 1: statsmodels smf.mixedlm on the same rows. Reference 2: in a balanced design
    with every person in every channel, the GLS estimate of a channel contrast equals the mean
    within-person difference (random-intercept model, any variance components)."""
    rng = np.random.default_rng(5)
    persons = np.repeat(np.arange(120), 3)
    chan = np.tile(["store", "phone", "chat"], 120)
    y = 7 + rng.normal(0, 1.2, 120)[persons] - 0.8 * (chan == "phone") + 0.3 * (chan == "chat") + rng.normal(0, 1, 360)
    df = pd.DataFrame({"person_id": persons.astype(str), "channel": chan, "csat": np.clip(np.rint(y / 2), 1, 5)})
    res = ch.within_person_effects(df, metric="csat", reference="store")
    fit = smf.mixedlm("csat ~ C(channel, Treatment('store'))", df, groups=df["person_id"]).fit(reml=True)
    b_phone = fit.params["C(channel, Treatment('store'))[T.phone]"]
    b_chat = fit.params["C(channel, Treatment('store'))[T.chat]"]
    t = res.table.set_index("channel")
    # phone vs the average of store and chat
    assert t.loc["phone", "estimate"] == pytest.approx(b_phone - b_chat / 2, abs=1e-6)
    wide = df.pivot(index="person_id", columns="channel", values="csat")
    closed = (wide["phone"] - (wide["store"] + wide["chat"]) / 2).mean()
    assert t.loc["phone", "estimate"] == pytest.approx(closed, abs=1e-6)
    assert res.person_sd == pytest.approx(np.sqrt(fit.cov_re.iloc[0, 0]), rel=1e-4)


def test_friedman_and_cochrans_q_agree_with_scipy_and_statsmodels():
    rng = np.random.default_rng(2)
    persons = np.repeat(np.arange(40), 3)
    chan = np.tile(["a", "b", "c"], 40)
    ltr = np.clip(np.rint(8 + rng.normal(0, 1.5, 40)[persons] - 2 * (chan == "b") + rng.normal(0, 1, 120)), 0, 10)
    df = pd.DataFrame({"person_id": persons.astype(str), "channel": chan, "likelihood_to_recommend": ltr})
    res = ch.within_person_tests(df, metric="nps").set_index("test")
    y = ch.metric_values(df, "nps")
    wide = pd.DataFrame({"p": persons, "c": chan, "y": y}).pivot(index="p", columns="c", values="y")
    f = st.friedmanchisquare(*wide.to_numpy().T)  # scipy
    assert res.loc["Friedman", "statistic"] == pytest.approx(f.statistic)
    q = cochrans_q((wide.to_numpy() > 50).astype(int))  # statsmodels
    assert res.loc["Cochran's Q", "statistic"] == pytest.approx(q.statistic)


def test_within_person_falls_back_to_customer_id_with_a_note_and_says_when_too_few():
    df = pd.DataFrame({"customer_id": ["1", "1", "2"], "channel": ["a", "b", "a"],
                       "likelihood_to_recommend": [9, 3, 8]})
    res = ch.within_person_effects(df, metric="nps")
    assert "customer_id" in res.note and "Too few persons" in res.note
    with pytest.raises(CXLabError):
        ch.within_person_effects(df.drop(columns="customer_id"), metric="nps")


def test_planted_phone_effect_within_persons_on_resolved_identities(tables):
    from cxlab.identity import resolve_tables

    res = resolve_tables(tables, probabilistic=False)
    sv = ch.attach_person_ids(tables.survey_responses, res.records, source="survey_responses")
    w = ch.within_person_effects(sv, metric="nps")
    phone = w.table.set_index("channel").loc["phone"]
    assert phone["ci_high"] < 0  # the same persons score phone lower
    assert w.n_persons > 100 and w.note == ""


# ------------------------------------------------------------------ index and preference
def test_flags_need_significance_and_material_size(tables, survey_ctx):
    gaps = ch.audit_gaps(survey_ctx, covariates=["segment"], metrics=["nps"])
    f = ch.flag_gaps(gaps, tolerance=0.2)
    assert f.loc[f["flagged"], "channel"].tolist() == ["phone"]
    idx = ch.consistency_index(gaps).set_index("metric").loc["nps"]
    share_phone = gaps.set_index("channel").loc["phone", "n"] / gaps["n"].sum()
    assert idx["index"] == pytest.approx(100 * (1 - share_phone))
    assert ch.flag_gaps(gaps, tolerance=5.0)["flagged"].sum() == 0  # nothing is 5 SD wide


def test_channel_preference_chi_square_is_scipys():
    df = pd.DataFrame({"person_id": [f"p{i}" for i in range(200)] * 2,
                       "channel": ["messenger"] * 100 + ["phone"] * 100 + ["messenger"] * 60 + ["phone"] * 140,
                       "age_cohort": (["Gen Z"] * 80 + ["Gen X"] * 120) * 2})
    res = ch.channel_preference(df, by="age_cohort", min_base=0)
    persons = df.drop_duplicates("person_id")
    # every person's two contacts: preferred = most frequent, ties -> first in channel order
    pref = df.groupby("person_id")["channel"].agg(lambda s: s.value_counts().sort_index().idxmax())
    tab = pd.crosstab(persons.set_index("person_id")["age_cohort"], pref)
    assert res.test.iloc[0]["statistic"] == pytest.approx(st.chi2_contingency(tab.to_numpy(), correction=False)[0])


def test_age_cohorts_use_pew_boundaries():
    assert ch.age_cohort([1996, 1997, 2010, 1964, 1965], reference_year=2025).tolist() == [
        "Millennials", "Gen Z", "Gen Z", "Baby boomers", "Gen X"]
    assert ch.age_cohort([2020], reference_year=2025).tolist() == ["(missing)"]  # a 5-year-old customer


def test_scorecard_cells_carry_n_and_intervals(tables):
    card = ch.channel_scorecard(transactions=tables.transactions, survey=tables.survey_responses,
                                interactions=tables.interactions, min_base=0)
    assert set(card["area"]) == {"sales", "reputation", "communication"}
    shown = card.dropna(subset=["estimate"])
    assert (shown["ci_low"] <= shown["estimate"] + 1e-9).all() and (shown["estimate"] <= shown["ci_high"] + 1e-9).all()
    share = card[card["measure"] == "revenue_share"]["estimate"].sum()
    assert share == pytest.approx(100.0)


def test_regression_on_weights_uses_wls():
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"channel": rng.choice(["a", "b"], 200), "csat": rng.integers(1, 6, 200),
                       "w": rng.uniform(0.5, 2, 200)})
    g = ch.regression_gaps(df, metric="csat", weight="w", min_base=0).set_index("channel")
    X = sm.add_constant((df["channel"] == "a").astype(float).to_numpy())
    fit = sm.WLS(df["csat"].astype(float).to_numpy(), X, weights=df["w"].to_numpy()).fit(cov_type="HC3")
    assert g.loc["a", "gap"] == pytest.approx(fit.params[1]) and g.loc["a", "se"] == pytest.approx(fit.bse[1])


@pytest.mark.parametrize("module", ["cxlab.channels._common", "cxlab.channels.metrics", "cxlab.channels.tests",
                                    "cxlab.channels.adjust", "cxlab.channels.index", "cxlab.channels.preference",
                                    "cxlab.channels.within", "cxlab.channels.voice", "cxlab.findings.channels"])
def test_docstring_examples_print_what_they_say(module):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0


@pytest.mark.parametrize("person_sd", [1.4, 0.0])
def test_random_intercept_reml_equals_statsmodels_mixedlm_on_unbalanced_data(person_sd):
    """Reference: statsmodels MixedLM(...).fit(reml=True) on the same rows — unbalanced persons
    (1 to 4 answers each, channels at random), with and without variance between persons."""
    import warnings

    from statsmodels.regression.mixed_linear_model import MixedLM

    from cxlab.channels.within import random_intercept_reml

    rng = np.random.default_rng(11)
    size = rng.integers(1, 5, 700)
    person = np.repeat(np.arange(700), size)
    chan = rng.choice(["store", "phone", "chat", "web"], len(person))
    y = 7 + rng.normal(0, person_sd, 700)[person] - 0.9 * (chan == "phone") + rng.normal(0, 1.3, len(person))
    X = np.column_stack([np.ones(len(y))] + [(chan == c).astype(float) for c in ("phone", "chat", "web")])
    mine = random_intercept_reml(y, X, person)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns on the boundary (no person variance)
        ref = MixedLM(y, X, groups=person).fit(reml=True)
    assert mine.beta == pytest.approx(np.asarray(ref.fe_params), abs=1e-5)
    # standard errors: cxlab gives the model-based σ²(XᵀW⁻¹X)⁻¹ (nlme's and lme4's vcov); statsmodels
    # inverts its full observed Hessian, whose small fixed/variance cross terms move them by < 1 %
    assert np.sqrt(np.diag(mine.cov_beta)) == pytest.approx(np.asarray(ref.bse_fe), rel=1e-2)
    assert mine.scale == pytest.approx(ref.scale, rel=1e-4)
    assert mine.person_var == pytest.approx(float(np.asarray(ref.cov_re)[0, 0]), abs=1e-3 * ref.scale)
