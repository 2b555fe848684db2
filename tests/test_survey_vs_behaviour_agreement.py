"""Agreement statistics of cxlab.survey_vs_behaviour against published and software references.

Each reference value carries its source. The statistics are computed by statsmodels/scipy;
these tests check that cxlab passes the right table the right way round and reports the
right numbers (intervals, direction, pairs used).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from cxlab.errors import CXLabError
from cxlab.survey_vs_behaviour import agreement, agreement_from_table, binary_agreement, numeric_agreement


def _rows(table, levels=None) -> pd.DataFrame:
    """Expand a count table into one row per pair (rows = stated, columns = actual)."""
    t = np.asarray(table)
    levels = levels or [f"l{i}" for i in range(t.shape[0])]
    s, a = [], []
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            s += [levels[i]] * int(t[i, j])
            a += [levels[j]] * int(t[i, j])
    return pd.DataFrame({"stated": pd.Categorical(s, categories=levels, ordered=True),
                         "actual": pd.Categorical(a, categories=levels, ordered=True)})


# SAS PROC FREQ printout for the 3×3 table below, as carried in statsmodels' own tests
# (statsmodels/stats/tests/test_inter_rater.py, TestUnweightedCohens / TestWeightedCohens).
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]


def test_simple_kappa_matches_sas_printout():
    st = agreement_from_table(SAS_TABLE).set_index("statistic")
    # SAS: Kappa 0.4842, ASE 0.1380, 95% limits 0.2137 0.7547; ASE under H0 0.1484, Z 3.2626, two-sided p 0.0011
    assert_allclose(st.loc["kappa", ["estimate", "se", "ci_low", "ci_high"]].astype(float),
                    [0.4842, 0.1380, 0.2137, 0.7547], atol=1e-4)
    assert_allclose(st.loc["kappa", "test_statistic"], 3.2626, atol=1e-4)
    assert_allclose(st.loc["kappa", "p_value"], 0.0011, atol=1e-4)


def test_linear_weighted_kappa_matches_sas_printout():
    st = agreement_from_table(SAS_TABLE).set_index("statistic")
    # SAS (Cicchetti-Allison weights on equally spaced scores): 0.4701, ASE 0.1457, limits 0.1845 0.7558
    assert_allclose(st.loc["kappa_linear", ["estimate", "se", "ci_low", "ci_high"]].astype(float),
                    [0.4701, 0.1457, 0.1845, 0.7558], atol=1e-4)
    assert_allclose(st.loc["kappa_linear", "test_statistic"], 3.2971, atol=1e-4)


def test_kappa_agresti_carcinoma_example():
    # Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed., sec. 8.5.5: two pathologists'
    # carcinoma diagnoses (Holmquist et al.); observed agreement 0.636, kappa = 0.493 with ASE 0.057.
    t = [[22, 2, 2, 0], [5, 7, 14, 0], [0, 2, 36, 0], [0, 1, 17, 10]]
    st = agreement_from_table(t).set_index("statistic")
    assert_allclose(st.loc["percent_agreement", "estimate"], 0.636, atol=5e-4)
    assert_allclose(st.loc["kappa", "estimate"], 0.493, atol=5e-4)
    assert_allclose(st.loc["kappa", "se"], 0.057, atol=5e-4)


@pytest.mark.parametrize("weights", ["linear", "quadratic"])
def test_weighted_kappa_estimates_match_scikit_learn(weights):
    # an independent implementation: sklearn.metrics.cohen_kappa_score on the expanded pairs
    from sklearn.metrics import cohen_kappa_score

    t = [[20, 10, 5], [3, 30, 15], [0, 5, 40]]
    df = _rows(t)
    ref = cohen_kappa_score(df["stated"].cat.codes, df["actual"].cat.codes, weights=weights)
    res = agreement(df, "stated", "actual", min_base=1)
    assert_allclose(res.estimate(f"kappa_{weights}"), ref, rtol=1e-12)
    assert_allclose(res.estimate("kappa"), cohen_kappa_score(df["stated"], df["actual"]), rtol=1e-12)


# R values carried in statsmodels/stats/tests/results/contingency_table_r_results.csv, produced by
# statsmodels/stats/tests/gen_contingency_table_tests.R with coin::mh_test (Stuart-Maxwell),
# mcnemar.test (Bowker; continuity-corrected McNemar) and exact2x2::mcnemar.exact.
R_TABLES = {
    "4x4": ([[144, 33, 84, 126], [2, 4, 14, 29], [0, 2, 6, 25], [0, 0, 1, 5]],
            dict(sm=271.922246968262, sm_df=3, bowker=297.610989010989, bowker_df=6, bowker_p=2.65851858368065e-61)),
    "3x3": ([[20, 10, 5], [3, 30, 15], [0, 5, 40]],
            dict(sm=13.7647058823529, sm_df=2, bowker=13.7692307692308, bowker_df=3, bowker_p=0.00323670650323545)),
}


@pytest.mark.parametrize("name", list(R_TABLES))
def test_stuart_maxwell_and_bowker_match_r(name):
    table, ref = R_TABLES[name]
    st = agreement_from_table(table).set_index("statistic")
    assert_allclose(st.loc["stuart_maxwell", "test_statistic"], ref["sm"], rtol=1e-9)
    assert st.loc["stuart_maxwell", "df"] == ref["sm_df"]
    assert_allclose(st.loc["bowker", "test_statistic"], ref["bowker"], rtol=1e-9)
    assert st.loc["bowker", "df"] == ref["bowker_df"]
    assert_allclose(st.loc["bowker", "p_value"], ref["bowker_p"], rtol=1e-6)


def test_mcnemar_matches_r_three_ways():
    # 2×2 table [[23, 15], [19, 31]]: asymptotic statistic 0.4706 (coin::mh_test), continuity-corrected
    # p = 0.606905 (R mcnemar.test), exact p = 0.607591 (exact2x2::mcnemar.exact) - statsmodels' R results.
    df = pd.DataFrame({"says": [1] * 38 + [0] * 50, "did": [1] * 23 + [0] * 15 + [1] * 19 + [0] * 31})
    r = binary_agreement(df, "says", "did").tests.set_index("method")
    assert_allclose(r.loc["asymptotic", "statistic"], 0.470588235294118, rtol=1e-12)
    assert_allclose(r.loc["corrected", "p_value"], 0.606905427217951, rtol=1e-9)
    assert_allclose(r.loc["exact", "p_value"], 0.60759136127308, rtol=1e-9)


def test_mcnemar_agresti_prime_minister_example():
    # Agresti (2007), Table 8.1: approval of the Prime Minister at two surveys (794, 150 / 86, 570), n = 1600;
    # McNemar z = 4.17, z² = 17.36 (asymptotic, no correction); 944/1600 approved at the first survey.
    df = pd.DataFrame({"first": [1] * 944 + [0] * 656, "second": [1] * 794 + [0] * 150 + [1] * 86 + [0] * 570})
    r = binary_agreement(df, "first", "second")
    assert_allclose(r.tests.set_index("method").loc["asymptotic", "statistic"], 17.36, atol=0.005)
    assert_allclose(r.estimate("stated_yes"), 0.59, atol=0.001)


def test_binary_accuracy_and_missing_pairs():
    df = pd.DataFrame({"says": [1, 1, 1, 0, 0, None, 1], "did": [1, 0, 1, 0, 1, 1, None]})
    r = binary_agreement(df, "says", "did")
    assert (r.n_pairs, r.n_missing) == (5, 2)
    acc = r.accuracy.set_index("measure")
    assert acc.loc["sensitivity", "estimate"] == pytest.approx(2 / 3)  # said yes among those who did
    assert acc.loc["specificity", "estimate"] == pytest.approx(1 / 2)
    assert acc.loc["ppv", "estimate"] == pytest.approx(2 / 3)
    assert acc.loc["npv", "estimate"] == pytest.approx(1 / 2)
    assert (acc["ci_low"] <= acc["estimate"]).all() and (acc["estimate"] <= acc["ci_high"]).all()


def test_binary_rejects_non_binary_values():
    with pytest.raises(CXLabError, match="not 0/1"):
        binary_agreement(pd.DataFrame({"s": [1, 2], "a": [0, 1]}), "s", "a")


def test_agreement_direction_missing_and_groups():
    df = pd.DataFrame({
        "said": ["mid", "mid", "premium", "budget", None, "premium", "mid", "budget"],
        "did": ["mid", "budget", "mid", "budget", "mid", "premium", "premium", None],
        "seg": ["a", "a", "a", "b", "b", "b", "b", "b"],
    })
    res = agreement(df, "said", "did", by="seg", min_base=1, low_base=1)
    assert (res.n_pairs, res.n_missing) == (6, 2)
    assert res.ordered  # the price-tier vocabulary is ordered
    c = res.claims.set_index("group")
    assert c.loc["all", "over"] == pytest.approx(2 / 6)   # mid>budget, premium>mid
    assert c.loc["all", "under"] == pytest.approx(1 / 6)  # mid<premium
    assert c.loc["seg: a", "n"] == 3 and c.loc["seg: a", "over"] == pytest.approx(2 / 3)
    assert res.confusion.to_numpy().sum() == 6
    assert res.confusion.loc["premium", "mid"] == 1


def test_agreement_suppresses_small_groups():
    df = _rows([[30, 5], [2, 25]], ["budget", "mid"]).assign(seg=["x"] * 60 + ["y"] * 2)
    res = agreement(df, "stated", "actual", by="seg", min_base=30)
    c = res.claims.set_index("group")
    assert c.loc["seg: y", "suppressed"] and np.isnan(c.loc["seg: y", "over"])
    assert not c.loc["all", "suppressed"]


def test_agreement_nominal_has_no_direction():
    df = pd.DataFrame({"s": list("aabbcc"), "a": list("abbbca")})
    res = agreement(df, "s", "a", ordered=False, min_base=1)
    assert "over" not in res.claims.columns
    assert set(res.statistics["statistic"]) == {"percent_agreement", "kappa", "stuart_maxwell", "bowker"}


def test_agreement_from_table_rejects_non_square():
    with pytest.raises(CXLabError, match="square"):
        agreement_from_table([[1, 2, 3], [4, 5, 6]])


# Bland & Altman (1986), Lancet i:307-310, Table 1: peak expiratory flow rate (l/min) of 17 subjects,
# first readings with the large Wright meter and the mini Wright meter. Published: mean difference
# (large - mini) -2.1, SD of differences 38.8, limits of agreement -79.7 to 75.5 (the 1986 paper used
# bias ± 2 SD; cxlab's default is 1.96, so the published limits are reproduced with loa_sd=2).
WRIGHT = [494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427]
MINI = [512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451]


def test_bland_altman_matches_published_pefr_example():
    df = pd.DataFrame({"wright": WRIGHT, "mini": MINI})
    r = numeric_agreement(df, "wright", "mini", loa_sd=2)
    st = r.statistics.set_index("statistic")
    assert_allclose(st.loc["bias", "estimate"], -2.1, atol=0.05)
    assert_allclose(np.std(r.points["difference"], ddof=1), 38.8, atol=0.05)
    assert_allclose(st.loc["loa_low", "estimate"], -79.7, atol=0.1)
    assert_allclose(st.loc["loa_high", "estimate"], 75.5, atol=0.1)


def test_numeric_rank_statistics_match_scipy_and_report_pairs():
    rng = np.random.default_rng(3)
    s = rng.gamma(2, 3, 200)
    a = s * rng.lognormal(0, 0.4, 200)
    s[:5] = np.nan
    r = numeric_agreement(pd.DataFrame({"s": s, "a": a}), "s", "a")
    assert (r.n_pairs, r.n_missing) == (195, 5)
    st = r.statistics.set_index("statistic")
    ok = ~np.isnan(s)
    rho, p = stats.spearmanr(s[ok], a[ok])
    assert_allclose(st.loc["spearman", ["estimate", "p_value"]].astype(float), [rho, p], rtol=1e-12)
    w = stats.wilcoxon(s[ok], a[ok])
    assert_allclose(st.loc["wilcoxon", ["estimate", "p_value"]].astype(float), [w.statistic, w.pvalue], rtol=1e-12)
    # proportional bias: the OLS slope of difference on mean (numpy polyfit as the reference)
    d, m = s[ok] - a[ok], (s[ok] + a[ok]) / 2
    assert_allclose(st.loc["proportional_bias", "estimate"], np.polyfit(m, d, 1)[0], rtol=1e-9)
    assert r.calibration["n"].sum() == 195


def test_numeric_needs_three_pairs():
    with pytest.raises(CXLabError, match="at least 3"):
        numeric_agreement(pd.DataFrame({"s": [1, None, 3], "a": [1, 2, None]}), "s", "a")


def test_quadratic_kappa_ase_agrees_with_the_bootstrap():
    """No published printout carries a quadratic-weighted ASE, so check the statsmodels ASE (Fleiss, Cohen &
    Everitt 1969) against the spread of the estimate over multinomial resamples of a large table."""
    table = np.array([[300, 60, 10, 2], [50, 420, 90, 10], [8, 70, 380, 60], [1, 12, 70, 250]])
    n = table.sum()
    k = table.shape[0]
    w = 1 - (np.subtract.outer(np.arange(k), np.arange(k)) / (k - 1)) ** 2

    def kappa_q(t):
        p = t / t.sum()
        po = (w * p).sum()
        pe = (w * np.outer(p.sum(1), p.sum(0))).sum()
        return (po - pe) / (1 - pe)

    st = agreement_from_table(table).set_index("statistic")
    assert_allclose(st.loc["kappa_quadratic", "estimate"], kappa_q(table), rtol=1e-12)
    rng = np.random.default_rng(0)
    draws = rng.multinomial(n, (table / n).ravel(), size=3000).reshape(-1, k, k)
    boot_sd = np.std([kappa_q(t) for t in draws], ddof=1)
    assert_allclose(st.loc["kappa_quadratic", "se"], boot_sd, rtol=0.08)
