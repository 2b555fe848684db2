"""Tests for cxlab.stats: every value is checked against an independent reference."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportion_effectsize

from cxlab import stats as cxs
from cxlab.errors import CXLabError

Z95 = 1.959963984540054


# ------------------------------------------------------------------ NPS intervals
# Reference: Rocks, B. (2016) "Interval estimation for the Net Promoter Score",
# The American Statistician 70(4), and the R package NPS (nps_test_(test = "adjusted.wald"),
# pseudo_observations = c(0.75, 1.5, 0.75)): add 3/4 to detractors and promoters, 3/2 to
# passives, n + 3, then a Wald interval on the adjusted proportions, centred on the adjusted
# NPS. The numbers below were worked out by hand from that definition (z = 1.959964):
#   (d, pa, pr) = (10, 20, 30): m = 63, p~det = 10.75/63, p~pro = 30.75/63, NPS~ = 20/63,
#   var = 41.5/63 - (20/63)^2 = 0.557949, se = sqrt(var/63) = 0.0941081.
ROCKS_CASES = [
    # d, pa, pr, centre, se, low, high   (points)
    (10, 20, 30, 31.746032, 9.41081, 13.301183, 50.190881),
    (5, 3, 2, -23.076923, 21.494037, -65.204462, 19.050615),
    (120, 250, 430, 38.60523, 2.587842, 33.533154, 43.677307),
    (0, 0, 12, 80.0, 13.165612, 54.195875, 105.804125),  # R does not clip: upper > 100
]


@pytest.mark.parametrize("d,pa,pr,centre,se,low,high", ROCKS_CASES)
def test_adjusted_wald_matches_rocks_definition(d, pa, pr, centre, se, low, high):
    r = cxs.nps_interval(d, pa, pr, method="adjusted_wald")
    assert r["estimate"] == pytest.approx((pr - d) / (d + pa + pr) * 100)  # reported NPS is unadjusted
    assert r["se"] == pytest.approx(se, abs=1e-5)
    assert r["ci_low"] == pytest.approx(low, abs=1e-5)
    assert r["ci_high"] == pytest.approx(high, abs=1e-5)
    assert (r["ci_low"] + r["ci_high"]) / 2 == pytest.approx(centre, abs=1e-5)


def test_adjusted_wald_equals_wald_on_pseudo_observations():
    # Independent route: the adjusted interval is a plain Wald interval of the −1/0/+1 mean
    # over a sample with fractional frequency weights (counts + 0.75, 1.5, 0.75).
    d, pa, pr = 37, 51, 112
    freq = np.array([d + 0.75, pa + 1.5, pr + 0.75])
    x = np.array([-1.0, 0.0, 1.0])
    mean = np.average(x, weights=freq)
    var = np.average((x - mean) ** 2, weights=freq)
    se = math.sqrt(var / freq.sum())
    r = cxs.nps_interval(d, pa, pr, method="adjusted_wald")
    assert r["ci_low"] == pytest.approx((mean - Z95 * se) * 100)
    assert r["ci_high"] == pytest.approx((mean + Z95 * se) * 100)


def test_wald_se_is_sd_of_trinomial_scores():
    # Reference: the NPS is the mean of −1/0/+1 scores; its Wald se is the population SD / sqrt(n).
    rng = np.random.default_rng(3)
    x = rng.choice([-1, 0, 1], size=257, p=[0.25, 0.3, 0.45])
    d, pa, pr = (x == -1).sum(), (x == 0).sum(), (x == 1).sum()
    r = cxs.nps_interval(d, pa, pr, method="wald", confidence=0.9)
    se = x.std(ddof=0) / math.sqrt(x.size)
    assert r["estimate"] == pytest.approx(x.mean() * 100)
    assert r["se"] == pytest.approx(se * 100)
    assert r["ci_high"] - r["estimate"] == pytest.approx(st.norm.ppf(0.95) * se * 100)
    # the per-respondent variance formula p_pro + p_det − NPS²
    assert cxs.nps_variance(pr / x.size, d / x.size) == pytest.approx(x.var())


def test_nps_interval_vectorised_and_empty():
    r = cxs.nps_interval([10, 0], [20, 0], [30, 0])
    assert np.isnan(r["estimate"][1]) and np.isnan(r["ci_low"][1])
    assert r["ci_low"][0] == pytest.approx(13.301183, abs=1e-5)
    with pytest.raises(CXLabError, match="interval method"):
        cxs.nps_interval(1, 1, 1, method="exact")
    with pytest.raises(CXLabError, match="confidence"):
        cxs.nps_interval(1, 1, 1, confidence=95)


def test_kish_n_enters_interval():
    # with n_effective the shares stay those of the counts, the variance uses n_eff
    r = cxs.nps_interval(20, 30, 50, method="wald", n_effective=50)
    full = cxs.nps_interval(20, 30, 50, method="wald")
    assert r["estimate"] == pytest.approx(full["estimate"])
    assert r["se"] == pytest.approx(full["se"] * math.sqrt(2))


# ------------------------------------------------------------------ bootstrap
def test_bca_matches_scipy_bootstrap_on_rows():
    # Reference: scipy.stats.bootstrap(method="BCa") on the per-respondent −1/0/+1 scores.
    # Both are Monte Carlo; with 20,000 resamples the endpoints agree to within 1 point.
    x = np.r_[-np.ones(30), np.zeros(40), np.ones(50)]
    ref = st.bootstrap((x,), np.mean, method="BCa", n_resamples=20000,
                       random_state=np.random.default_rng(1)).confidence_interval
    ours = cxs.nps_bootstrap_bca(30, 40, 50, n_resamples=20000, random_state=5)
    assert ours["ci_low"] == pytest.approx(ref.low * 100, abs=1.0)
    assert ours["ci_high"] == pytest.approx(ref.high * 100, abs=1.0)
    assert ours["se"] == pytest.approx(x.std(ddof=0) / math.sqrt(x.size) * 100, rel=0.05)


def test_bca_coverage_close_to_nominal():
    # Simulation: 400 samples of n = 60 from a known trinomial (true NPS = +30). The coverage
    # estimate has binomial standard error sqrt(.95 * .05 / 400) = 0.011; we accept ±3 SE
    # (0.033) around the nominal 0.95 (BCa's own small-sample error is well inside that).
    rng = np.random.default_rng(2024)
    p = (0.2, 0.3, 0.5)
    true = 30.0
    reps = 400
    hits = 0
    for _ in range(reps):
        c = rng.multinomial(60, p)
        r = cxs.nps_bootstrap_bca(*c, n_resamples=999, random_state=rng)
        hits += r["ci_low"] <= true <= r["ci_high"]
    coverage = hits / reps
    tol = 3 * math.sqrt(0.95 * 0.05 / reps)
    assert abs(coverage - 0.95) <= tol, coverage


def test_bca_degenerate_sample():
    r = cxs.nps_bootstrap_bca(0, 0, 40)
    assert r["ci_low"] == r["ci_high"] == 100.0
    assert np.isnan(cxs.nps_bootstrap_bca(0, 1, 0)["ci_low"])


# ------------------------------------------------------------------ proportions
@pytest.mark.parametrize("ours,theirs", [("wald", "normal"), ("wilson", "wilson"),
                                         ("agresti_coull", "agresti_coull"), ("jeffreys", "jeffreys"),
                                         ("clopper_pearson", "beta")])
def test_proportion_ci_matches_statsmodels(ours, theirs):
    # Reference: statsmodels.stats.proportion.proportion_confint.
    count = np.array([0, 3, 17, 50, 99])
    n = np.array([20, 40, 60, 100, 99])
    low, high = cxs.proportion_ci(count, n, method=ours, confidence=0.9)
    ref_low, ref_high = proportion_confint(count, n, alpha=0.1, method=theirs)
    if ours == "jeffreys":
        # Brown, Cai & DasGupta (2001, Stat. Sci. 16(2), §4.1.2) set the Jeffreys bound to 0
        # when x = 0 and to 1 when x = n; statsmodels keeps the raw Beta quantile there.
        ref_low = np.where(count == 0, 0.0, ref_low)
        ref_high = np.where(count == n, 1.0, ref_high)
    np.testing.assert_allclose(low, np.clip(ref_low, 0, 1), atol=1e-9)
    np.testing.assert_allclose(high, np.clip(ref_high, 0, 1), atol=1e-9)


# ------------------------------------------------------------------ multiplicity
@pytest.mark.parametrize("method,sm_method", [("holm", "holm"), ("bonferroni", "bonferroni"),
                                              ("hochberg", "simes-hochberg"), ("sidak", "sidak"),
                                              ("fdr_bh", "fdr_bh"), ("fdr_by", "fdr_by")])
def test_adjust_pvalues_matches_statsmodels(method, sm_method):
    # Reference: statsmodels.stats.multitest.multipletests.
    p = np.array([0.001, 0.04, 0.03, 0.2, 0.011, 0.5, 0.04, 0.9])
    ref = multipletests(p, method=sm_method)[1]
    np.testing.assert_allclose(cxs.adjust_pvalues(p, method=method), ref, atol=1e-12)


def test_holm_textbook_example_and_nan():
    # Holm (1979) step-down by hand: sorted p = .01, .02, .03 with m = 3 -> .03, .04, .04.
    out = cxs.adjust_pvalues([0.03, np.nan, 0.01, 0.02], method="holm")
    assert np.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2, 3]], [0.04, 0.03, 0.04])
    with pytest.raises(CXLabError):
        cxs.adjust_pvalues([1.2])
    with pytest.raises(CXLabError):
        cxs.adjust_pvalues([0.1], method="tukey")


# ------------------------------------------------------------------ weights, base
def test_kish_effective_n():
    # Kish (1965): n_eff = (Σw)² / Σw². Equal weights give n; weights 1,1,2,2 give 36/10.
    assert cxs.kish_effective_n(np.full(17, 2.5)) == pytest.approx(17)
    assert cxs.kish_effective_n([1, 1, 2, 2]) == pytest.approx(3.6)
    with pytest.raises(CXLabError):
        cxs.kish_effective_n([1, np.nan])


def test_base_flags():
    f = cxs.base_flags([0, 29, 30, 99, 100, 5000])
    assert f.suppressed.tolist() == [True, True, False, False, False, False]
    assert f.low_base.tolist() == [False, False, True, True, False, False]
    g = cxs.base_flags([49, 50], min_base=50, low_base=50)
    assert g.suppressed.tolist() == [True, False] and not g.low_base.any()
    with pytest.raises(CXLabError):
        cxs.base_flags([1], min_base=100, low_base=30)


# ------------------------------------------------------------------ effect sizes, tests
def test_cohens_h_matches_statsmodels():
    # Reference: statsmodels.stats.proportion.proportion_effectsize (Cohen's h).
    assert cxs.cohens_h(0.55, 0.4) == pytest.approx(proportion_effectsize(0.55, 0.4))


def test_cohens_d_hand_example():
    # Hand computation: means 10 and 8, SDs 2 and 3, n 10 and 10 -> pooled SD sqrt(6.5).
    assert cxs.cohens_d(10, 8, 2, 3, 10, 10) == pytest.approx(2 / math.sqrt(6.5))


def test_cramers_v_matches_scipy():
    # Reference: scipy.stats.contingency.association(method="cramer").
    t = np.array([[30, 10, 5], [20, 25, 30], [5, 10, 40]])
    assert cxs.cramers_v(t) == pytest.approx(st.contingency.association(t, method="cramer"))
    assert cxs.cramers_v(t, bias_correction=True) < cxs.cramers_v(t)


def test_two_sample_z():
    z, p = cxs.two_sample_z(3.92, 2.0)
    assert z == pytest.approx(1.96)
    assert p == pytest.approx(2 * st.norm.sf(1.96))
    assert cxs.z_critical(0.95) == pytest.approx(Z95)


def test_significance_letters_market_research_convention():
    pairs = pd.DataFrame({"group_a": ["a", "a", "b"], "group_b": ["b", "c", "c"],
                          "p_adjusted": [0.001, 0.2, 0.01]})
    letters = cxs.significance_letters(["a", "b", "c"], [40, 10, 30], pairs)
    # a beats b (p .001), c beats b (p .01); a vs c not significant
    assert letters == {"a": ("A", "B"), "b": ("B", ""), "c": ("C", "B")}


@pytest.mark.parametrize("method, low, high", [
    ("wald", [0.2522, 0.0527, 0.0, 0.0], [0.3638, 0.1500, 0.0, 0.1009]),
    ("wilson", [0.2553, 0.0624, 0.0, 0.0061], [0.3662, 0.1605, 0.1611, 0.1718]),
    ("clopper_pearson", [0.2527, 0.0578, 0.0, 0.0009], [0.3676, 0.1617, 0.1684, 0.1776]),
])
def test_proportion_ci_newcombe_1998_table(method, low, high):
    # Reference: Newcombe (1998), Statistics in Medicine 17:857-872, Table I (methods 1, 3, 5) for
    # 81/263, 15/148, 0/20 and 1/29; Wald ends truncated to [0, 1] as cxlab documents.
    lo, hi = cxs.proportion_ci([81, 15, 0, 1], [263, 148, 20, 29], method=method)
    np.testing.assert_allclose(lo, low, atol=6e-5)
    np.testing.assert_allclose(hi, high, atol=6e-5)
    assert np.isnan(cxs.proportion_ci(0, 0, method=method)[0])


def test_holm_equals_statsmodels_bit_for_bit_with_ties():
    # Reference: statsmodels.stats.multitest.multipletests(method="holm"); cxlab repeats its steps
    # without the gc.collect() statsmodels runs in that branch (0.1 s per call in a large session).
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 300):
        p = rng.uniform(0, 1, n) ** 3
        p[: n // 3] = p[0]  # ties
        assert np.array_equal(cxs.adjust_pvalues(p, method="holm"), multipletests(p, method="holm")[1])
