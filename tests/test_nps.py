"""Tests for cxlab.nps. Each statistic is checked against an independent computation."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as st
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower

from cxlab import nps
from cxlab.errors import CXLabError

Z95 = 1.959963984540054


def make_survey(n=3000, seed=0, with_missing=True):
    """Small synthetic survey: channel effect, a dip in 2025Q2, correlated attribute ratings."""
    rng = np.random.default_rng(seed)
    channels = ["store", "web", "phone", "chat", "email", "social", "messenger"]
    ch = rng.choice(channels[:4], size=n, p=[0.45, 0.3, 0.2, 0.05])
    ts = pd.Timestamp("2024-07-01") + pd.to_timedelta(rng.integers(0, 548 * 86400, n), unit="s")
    base = rng.normal(size=(n, 5)) + rng.normal(size=(n, 1)) * 0.5
    lat = base @ np.array([0.9, 0.1, 0.3, 0.6, 0.45]) + rng.normal(size=n)
    lat = lat - 0.9 * (ch == "phone") - 0.8 * ((ts >= "2025-04-01") & (ts < "2025-07-01"))
    ltr = np.clip(np.round(7.7 + 1.4 * lat), 0, 10).astype(int)
    df = pd.DataFrame({
        "response_id": pd.array([f"R{i:05d}" for i in range(n)], dtype="string"),
        "submitted_at": np.asarray(ts, dtype="datetime64[ns]"),
        "channel": pd.Categorical(ch, categories=channels),
        "likelihood_to_recommend": pd.array(ltr, dtype="Int8"),
        "weight": rng.uniform(0.6, 1.6, n),
    })
    for i, name in enumerate(["quality", "assortment", "price", "staff", "delivery"]):
        df[f"attr_{name}"] = pd.array(np.clip(np.round(3.4 + base[:, i]), 1, 5).astype(int), dtype="Int8")
    if with_missing:
        df.loc[df.index[:7], "likelihood_to_recommend"] = pd.NA
        df.loc[df.index[7:10], "channel"] = np.nan
    return df


@pytest.fixture(scope="module")
def survey():
    return make_survey()


def trinomial(scores, dmax=6, pmin=9):
    s = np.asarray(pd.Series(scores).dropna(), dtype=float)
    return np.where(s <= dmax, -1.0, np.where(s >= pmin, 1.0, 0.0))


# ------------------------------------------------------------------ classification
def test_classify_bain_cutoffs_and_custom():
    s = pd.Series(pd.array([0, 5, 6, 7, 8, 9, 10, None], dtype="Int8"))
    got = nps.classify_nps(s)
    assert got.tolist()[:7] == ["detractor"] * 3 + ["passive"] * 2 + ["promoter"] * 2
    assert pd.isna(got.iloc[7])
    got = nps.classify_nps(s, detractor_max=5, promoter_min=8)
    assert got.tolist()[:7] == ["detractor"] * 2 + ["passive"] * 2 + ["promoter"] * 3
    with pytest.raises(CXLabError, match="cut-offs"):
        nps.classify_nps(s, detractor_max=8, promoter_min=8)


def test_bad_scores_named_with_rows():
    df = pd.DataFrame({"likelihood_to_recommend": [3, 11, 7, -1, 8.5]})
    with pytest.raises(CXLabError) as err:
        nps.nps_table(df)
    assert err.value.column == "likelihood_to_recommend"
    assert err.value.rows == [2, 4, 5]
    df = pd.DataFrame({"likelihood_to_recommend": pd.Series([3, "ten", None], dtype=object)})
    with pytest.raises(CXLabError) as err:
        nps.nps_table(df)
    assert err.value.rows == [2]
    with pytest.raises(CXLabError, match="no column"):
        nps.nps_table(df, by="region")
    # nullable scores: an 11 beside missing values is still caught (it shares the missing slot)
    df = pd.DataFrame({"likelihood_to_recommend": pd.array([1, None, 11, 5, None], dtype="Int8")})
    with pytest.raises(CXLabError) as err:
        nps.score_counts(df)
    assert err.value.rows == [3]


# ------------------------------------------------------------------ counting
def test_score_counts_match_crosstab(survey):
    # Reference: pandas.crosstab on the raw rows (missing groups kept as their own row).
    counts = nps.score_counts(survey, by="channel")
    ref = pd.crosstab(survey["channel"].astype(object).fillna("<NA>"),
                      survey["likelihood_to_recommend"].astype("float")).reindex(columns=range(11), fill_value=0)
    got = counts.assign(key=counts["channel"].astype(object).fillna("<NA>")).set_index("key")
    for s in range(11):
        assert got.loc[ref.index, f"count_{s}"].tolist() == ref[float(s)].tolist()
    # every row is accounted for: scored + missing score, including the missing-channel group
    assert counts[[f"count_{s}" for s in range(11)]].to_numpy().sum() + counts["count_missing"].sum() == len(survey)
    assert counts["channel"].isna().sum() == 1
    assert counts["count_missing"].sum() == 7


def test_score_counts_periods_match_pandas(survey):
    for freq in ("W", "M", "Q"):
        counts = nps.score_counts(survey, period=freq)
        ref = survey["submitted_at"].dt.to_period(freq).value_counts().sort_index()
        got = counts.set_index("period")
        total = got[[f"count_{s}" for s in range(11)]].sum(axis=1) + got["count_missing"]
        assert [str(p) for p in got.index] == [str(p) for p in ref.index]
        assert total.tolist() == ref.tolist()


def test_score_counts_weights(survey):
    counts = nps.score_counts(survey, by="channel", weight="weight")
    sub = survey[survey["channel"] == "web"]
    sub = sub[sub["likelihood_to_recommend"].notna()]
    row = counts[counts["channel"] == "web"].iloc[0]
    assert row["weight_10"] == pytest.approx(sub.loc[sub["likelihood_to_recommend"] == 10, "weight"].sum())
    assert row["weight_sq"] == pytest.approx((sub["weight"] ** 2).sum())


def test_string_and_multi_column_groups(survey):
    df = survey.assign(region=np.where(np.arange(len(survey)) % 3 == 0, "Москва", "Казань"))
    t = nps.nps_table(df, by=["region", "channel"])
    sub = df[(df["region"] == "Казань") & (df["channel"] == "web")]
    row = t[(t["region"] == "Казань") & (t["channel"] == "web")].iloc[0]
    assert row["estimate"] == pytest.approx(trinomial(sub["likelihood_to_recommend"]).mean() * 100)


# ------------------------------------------------------------------ NPS table
def test_nps_table_matches_hand_computation(survey):
    t = nps.nps_table(survey, by="channel", ci="adjusted_wald")
    for _, row in t.dropna(subset=["channel"]).iterrows():
        x = trinomial(survey.loc[survey["channel"] == row["channel"], "likelihood_to_recommend"])
        n = x.size
        d, pr = (x == -1).sum(), (x == 1).sum()
        assert row["n"] == n
        assert row["estimate"] == pytest.approx(x.mean() * 100)
        assert row["pct_promoters"] == pytest.approx(pr / n * 100)
        # Rocks (2016) adjusted Wald by hand
        m = n + 3
        pd_, pp = (d + 0.75) / m, (pr + 0.75) / m
        se = math.sqrt((pp + pd_ - (pp - pd_) ** 2) / m)
        assert row["ci_low"] == pytest.approx(max(-100, (pp - pd_ - Z95 * se) * 100))
        assert row["ci_high"] == pytest.approx(min(100, (pp - pd_ + Z95 * se) * 100))


def test_invariant_to_row_order(survey):
    shuffled = survey.sample(frac=1.0, random_state=11)
    a = nps.nps_table(survey, by="channel", weight="weight")
    b = nps.nps_table(shuffled, by="channel", weight="weight")
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


def test_weights_of_one_equal_unweighted(survey):
    ones = survey.assign(weight=1.0)
    for ci in ("wald", "adjusted_wald", "bootstrap"):
        a = nps.nps_table(ones, by="channel", weight="weight", ci=ci, n_resamples=500)
        b = nps.nps_table(ones, by="channel", ci=ci, n_resamples=500)
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


def test_weighted_nps_and_kish(survey):
    t = nps.nps_table(survey, weight="weight", ci="wald")
    ok = survey[survey["likelihood_to_recommend"].notna()]
    x = trinomial(ok["likelihood_to_recommend"])
    w = ok["weight"].to_numpy()
    est = np.average(x, weights=w)
    n_eff = w.sum() ** 2 / (w**2).sum()  # Kish (1965)
    assert t["estimate"].iloc[0] == pytest.approx(est * 100)
    assert t["n_effective"].iloc[0] == pytest.approx(n_eff)
    var = np.average((x - est) ** 2, weights=w)
    assert t["se"].iloc[0] == pytest.approx(math.sqrt(var / n_eff) * 100)


def test_group_of_29_is_suppressed():
    scores = [10] * 20 + [3] * 9 + [9] * 20 + [2] * 10 + [8] * 70
    df = pd.DataFrame({"likelihood_to_recommend": scores, "g": ["small"] * 29 + ["mid"] * 30 + ["big"] * 70})
    # primary suppression alone (complementary suppression is tested in test_privacy_disclosure.py)
    t = nps.nps_table(df, by="g", complementary=False).set_index("g")
    assert t.loc["small", "suppressed"] and np.isnan(t.loc["small", "estimate"])
    assert np.isnan(t.loc["small", "ci_low"]) and np.isnan(t.loc["small", "pct_promoters"])
    assert t.loc["small", "n"] == 29  # the base is still shown
    assert not t.loc["mid", "suppressed"] and t.loc["mid", "low_base"]
    assert t.loc["big", "low_base"]
    assert not nps.nps_table(df, by="g", low_base=50).set_index("g").loc["big", "low_base"]
    # by default "mid" (30, the smallest shown group) is hidden too, so that "small" is not total minus the rest
    t = nps.nps_table(df, by="g").set_index("g")
    assert t.loc["mid", "suppressed"] and t.loc["mid", "complementary"] and np.isnan(t.loc["mid", "estimate"])
    assert not t.loc["big", "suppressed"] and not t.loc["small", "complementary"]
    # no test is run on a suppressed group
    res = nps.nps_pairwise(df, by="g", complementary=False)
    assert "small" not in set(res.pairwise["group_a"]) | set(res.pairwise["group_b"])
    cmp = nps.compare_nps(df, by="g", groups=("small", "mid"))
    assert cmp["suppressed"].iloc[0] and np.isnan(cmp["p_value"].iloc[0])


def test_bootstrap_in_table_is_reproducible(survey):
    a = nps.nps_table(survey, by="channel", ci="bootstrap", n_resamples=400, seed=3)
    b = nps.nps_table(survey, by="channel", ci="bootstrap", n_resamples=400, seed=3)
    pd.testing.assert_frame_equal(a, b)
    a = a[~a["suppressed"]]
    assert (a["ci_low"] < a["estimate"]).all() and (a["ci_high"] > a["estimate"]).all()


def test_nps_intervals_three_methods(survey):
    t = nps.nps_intervals(survey.iloc[:300], n_resamples=2000)
    assert t["method"].tolist() == ["wald", "adjusted_wald", "bootstrap"]
    assert t["estimate"].nunique() == 1
    # the three intervals are close for n = 300 (within 2 points at each end)
    assert (t["ci_low"].max() - t["ci_low"].min()) < 2 and (t["ci_high"].max() - t["ci_high"].min()) < 2


def test_cutoff_sensitivity():
    df = pd.DataFrame({"likelihood_to_recommend": list(range(11)) * 10})
    t = nps.nps_cutoff_sensitivity(df)
    # 0..10 uniform: standard = (2 - 7)/11; 'below 6' = (2 - 6)/11; promoters 8–10 = (3 - 7)/11
    got = dict(zip(t["detractor_max"].astype(str) + "/" + t["promoter_min"].astype(str), t["estimate"], strict=True))
    assert got["6/9"] == pytest.approx(-500 / 11)
    assert got["5/9"] == pytest.approx(-400 / 11)
    assert got["6/8"] == pytest.approx(-400 / 11)
    assert t["difference"].iloc[0] == 0


# ------------------------------------------------------------------ comparisons
def test_compare_two_groups_matches_r_nps_test(survey):
    # Reference: the R package NPS, nps_test_(x, y, test = "wald"): delta = nps.x − nps.y,
    # se = sqrt(var.x / n.x + var.y / n.y), p = 2 * (1 − pnorm(|delta| / se)) — recomputed here.
    a = trinomial(survey.loc[survey["channel"] == "store", "likelihood_to_recommend"])
    b = trinomial(survey.loc[survey["channel"] == "phone", "likelihood_to_recommend"])
    se = math.sqrt(a.var() / a.size + b.var() / b.size)
    delta = a.mean() - b.mean()
    res = nps.compare_nps(survey, by="channel", groups=("store", "phone")).iloc[0]
    assert res["estimate"] == pytest.approx(delta * 100)
    assert res["se"] == pytest.approx(se * 100)
    assert res["p_value"] == pytest.approx(2 * st.norm.sf(abs(delta) / se))
    assert res["ci_low"] == pytest.approx((delta - Z95 * se) * 100)
    # adjusted Wald two-sample: pseudo-observations in both samples (nps_test_ add_wts)
    def adj(x):
        m = x.size + 3
        pp, pd_ = ((x == 1).sum() + 0.75) / m, ((x == -1).sum() + 0.75) / m
        return pp - pd_, (pp + pd_ - (pp - pd_) ** 2) / m
    (ca, va), (cb, vb) = adj(a), adj(b)
    res = nps.compare_nps(survey, by="channel", groups=("store", "phone"), ci="adjusted_wald").iloc[0]
    assert res["se"] == pytest.approx(math.sqrt(va + vb) * 100)
    assert res["p_value"] == pytest.approx(2 * st.norm.sf(abs(ca - cb) / math.sqrt(va + vb)))
    # effect size: Cohen's d on the −1/0/+1 scores with the pooled SD
    pooled = math.sqrt(((a.size - 1) * a.var() + (b.size - 1) * b.var()) / (a.size + b.size - 2))
    assert res["effect_size"] == pytest.approx(delta / pooled)


def test_compare_two_periods(survey):
    res = nps.compare_nps(survey, period="Q", groups=("2025Q2", "2025Q1")).iloc[0]
    q = survey["submitted_at"].dt.to_period("Q").astype(str)
    a = trinomial(survey.loc[q == "2025Q2", "likelihood_to_recommend"])
    b = trinomial(survey.loc[q == "2025Q1", "likelihood_to_recommend"])
    assert res["estimate"] == pytest.approx((a.mean() - b.mean()) * 100)
    assert res["estimate"] < 0 and res["p_value"] < 0.05
    with pytest.raises(CXLabError, match="exactly two"):
        nps.compare_nps(survey, by="channel")
    with pytest.raises(CXLabError, match="no responses"):
        nps.compare_nps(survey, by="channel", groups=("store", "telepathy"))


def test_pairwise_holm_chi_square_and_letters(survey):
    res = nps.nps_pairwise(survey, by="channel")
    tested = res.table.loc[~res.table["suppressed"], "group"].tolist()
    assert len(res.pairwise) == len(tested) * (len(tested) - 1) // 2
    # Reference: statsmodels multipletests(method="holm") on the raw pairwise p-values
    np.testing.assert_allclose(res.pairwise["p_adjusted"], multipletests(res.pairwise["p_value"], method="holm")[1])
    # Reference: scipy chi2_contingency on the group × class crosstab of the raw rows
    sub = survey[survey["channel"].astype(object).isin(tested) & survey["likelihood_to_recommend"].notna()]
    ct = pd.crosstab(sub["channel"].astype(object), nps.classify_nps(sub["likelihood_to_recommend"]))
    chi2, p, dof, _ = st.chi2_contingency(ct.to_numpy(), correction=False)
    assert res.omnibus["statistic"].iloc[0] == pytest.approx(chi2)
    assert res.omnibus["p_value"].iloc[0] == pytest.approx(p)
    assert res.omnibus["dof"].iloc[0] == dof
    # letters: every significant pair appears as the higher group's letter
    letter = dict(zip(res.table["group"], res.table["letter"], strict=True))
    beats = dict(zip(res.table["group"], res.table["higher_than"], strict=True))
    for _, r in res.pairwise.iterrows():
        hi, lo = (r["group_a"], r["group_b"]) if r["estimate"] > 0 else (r["group_b"], r["group_a"])
        assert (letter[lo] in beats[hi]) == bool(r["significant"])
    assert "phone" in res.summary()


# ------------------------------------------------------------------ trend
def test_trend_changes_and_significance(survey):
    tr = nps.nps_trend(survey, period="Q")
    assert tr["period"].astype(str).tolist() == ["2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert np.isnan(tr["change"].iloc[0])
    np.testing.assert_allclose(tr["change"].iloc[1:], np.diff(tr["estimate"]))
    # each change's p-value equals the two-period comparison; Holm across the changes
    ref = nps.compare_nps(survey, period="Q", groups=("2025Q2", "2025Q1"), ci="adjusted_wald")
    row = tr[tr["period"].astype(str) == "2025Q2"].iloc[0]
    assert row["p_value"] == pytest.approx(ref["p_value"].iloc[0])
    np.testing.assert_allclose(tr["p_adjusted"].iloc[1:], multipletests(tr["p_value"].iloc[1:], method="holm")[1])
    assert row["significant"] and row["change"] < 0
    by = nps.nps_trend(survey, period="Q", by="channel")
    first = by.groupby("channel", observed=True, dropna=False).head(1)
    assert first["change"].isna().all()


# ------------------------------------------------------------------ planning
def test_sample_size_matches_statsmodels_power():
    # Reference: statsmodels NormalIndPower. With shares (.3, .2) -> (.2, .3) both samples have
    # variance .49, so the NPS test is a two-sample z-test with effect size 0.2 / 0.7.
    ours = nps.nps_sample_size(-20, p_promoter=0.3, p_detractor=0.2, p_promoter_2=0.2, p_detractor_2=0.3,
                               power=0.8, confidence=0.95)
    ref = NormalIndPower().solve_power(effect_size=0.2 / 0.7, alpha=0.05, power=0.8, ratio=1.0)
    assert ours["n_per_group"].iloc[0] == math.ceil(ref)
    # default split and the one-sample design by hand
    t = nps.nps_sample_size([5, 10], p_promoter=0.45, p_detractor=0.2, design="one_sample")
    v = 0.45 + 0.2 - 0.25**2
    expected = [math.ceil((Z95 + st.norm.ppf(0.8)) ** 2 * v / d**2) for d in (0.05, 0.10)]
    assert t["n_per_group"].tolist() == expected
    with pytest.raises(CXLabError):
        nps.nps_sample_size(0, p_promoter=0.4, p_detractor=0.2)


def test_margin_of_error():
    t = nps.nps_margin_of_error([100, 400], p_promoter=0.5, p_detractor=0.2, confidence=0.95)
    v = 0.5 + 0.2 - 0.3**2
    np.testing.assert_allclose(t["margin_of_error"], Z95 * np.sqrt(v / np.array([100, 400])) * 100)
    deff = nps.nps_margin_of_error(400, p_promoter=0.5, p_detractor=0.2, design_effect=2.0)
    # design effect 2 halves the effective n: the margin grows by sqrt(2)
    assert deff["margin_of_error"].iloc[0] == pytest.approx(t["margin_of_error"].iloc[1] * math.sqrt(2))


# ------------------------------------------------------------------ drivers
def test_relative_weights_and_lmg_references(survey):
    res = nps.key_drivers(survey, ordered_logit=False)
    t = res.table.set_index("driver")
    drivers = list(t.index)
    ok = survey[["likelihood_to_recommend", *drivers]].dropna().astype(float)
    X = ok[drivers].to_numpy()
    y = ok["likelihood_to_recommend"].to_numpy()
    r2_full = sm.OLS(y, sm.add_constant(X)).fit().rsquared
    assert res.r_squared == pytest.approx(r2_full)
    # Johnson (2000): weights sum to R²; recomputed via the SVD route: Z = U V' is the
    # orthonormal matrix closest to standardised X; regress y on Z and X on Z.
    zx = (X - X.mean(0)) / X.std(0, ddof=1)
    zy = (y - y.mean()) / y.std(ddof=1)
    U, _, Vt = np.linalg.svd(zx, full_matrices=False)
    Z = U @ Vt * math.sqrt(len(y) - 1)
    beta = np.linalg.lstsq(Z, zy, rcond=None)[0]
    lam = np.linalg.lstsq(Z, zx, rcond=None)[0]
    rw = (lam**2).T @ (beta**2)  # eps_j = Σ_k λ_jk² β_k²
    np.testing.assert_allclose(t["relative_weight"], rw, rtol=1e-8)
    assert t["relative_weight"].sum() == pytest.approx(r2_full)
    # LMG by brute force over all orderings with statsmodels R² (Lindeman, Merenda & Gold 1980)
    p = len(drivers)

    def r2(cols):
        return 0.0 if not cols else sm.OLS(y, sm.add_constant(X[:, list(cols)])).fit().rsquared

    lmg = np.zeros(p)
    perms = list(itertools.permutations(range(p)))
    cache = {}
    for perm in perms:
        for k, j in enumerate(perm):
            before = frozenset(perm[:k])
            after = before | {j}
            for s in (before, after):
                if s not in cache:
                    cache[s] = r2(sorted(s))
            lmg[j] += cache[after] - cache[before]
    np.testing.assert_allclose(t["lmg"], lmg / len(perms), rtol=1e-8)
    # standardised coefficients equal raw OLS slopes × sd(x) / sd(y)
    raw = sm.OLS(y, sm.add_constant(X)).fit().params[1:]
    np.testing.assert_allclose(t["estimate"], raw * X.std(0, ddof=1) / y.std(ddof=1), rtol=1e-8)


def test_lmg_two_predictors_is_average_increment():
    # Hand case: with 2 predictors LMG_1 = (R²(x1) + R²(x1,x2) − R²(x2)) / 2.
    rng = np.random.default_rng(5)
    x1 = rng.normal(size=400)
    x2 = 0.5 * x1 + rng.normal(size=400)
    y = np.clip(np.round(6 + x1 + 0.5 * x2 + rng.normal(size=400)), 0, 10)
    df = pd.DataFrame({"ltr": y, "a": np.clip(np.round(3 + x1), 1, 5), "b": np.clip(np.round(3 + x2), 1, 5)})
    res = nps.key_drivers(df, target="ltr", drivers=["a", "b"], ordered_logit=False)
    r2 = {k: sm.OLS(df["ltr"], sm.add_constant(df[list(k)])).fit().rsquared for k in [("a",), ("b",), ("a", "b")]}
    lmg_a = (r2[("a",)] + r2[("a", "b")] - r2[("b",)]) / 2
    assert res.table.set_index("driver").loc["a", "lmg"] == pytest.approx(lmg_a)


def test_key_drivers_recovers_order_and_reports_dropped(survey):
    df = survey.copy()
    df.loc[df.index[:25], "attr_price"] = pd.NA
    res = nps.key_drivers(df)
    assert res.n_dropped == 25 + 7 - len(set(range(25)) & set(range(7)))
    t = res.table.set_index("driver")
    assert t["importance"].idxmax() == "attr_quality"
    assert t["importance"].idxmin() == "attr_assortment"
    # the ordered logit agrees on the order of the strongest and weakest drivers
    assert t["ologit_coef"].idxmax() == "attr_quality"
    assert t["ologit_coef"].idxmin() == "attr_assortment"
    assert set(t["quadrant"]) <= {"key strength", "priority to improve", "secondary strength", "low priority"}
    assert "attr_quality" in res.summary()
    with pytest.raises(CXLabError, match="same rating"):
        nps.key_drivers(df.assign(attr_price=3))


# ------------------------------------------------------------------ layering, demo
def test_import_does_not_load_plotting_or_jupyter():
    code = ("import sys, cxlab.nps, cxlab.stats; "
            "bad = [m for m in ('matplotlib', 'seaborn', 'ipywidgets', 'IPython') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_demo_planted_truths(demo):
    s = demo.survey_responses
    tr = nps.nps_trend(s, period="Q")
    worst = tr.loc[tr["estimate"].idxmin()]
    assert str(worst["period"]) == demo.truth.params["drop_quarter"]
    assert worst["significant"] and worst["change"] < -8
    t = nps.nps_table(s, by="channel")
    assert t.loc[t["estimate"].idxmin(), "channel"] == "phone"
    e = nps.nps_table(demo.employee_survey, by="department")
    small = e[e["n"] < 30]
    assert small["suppressed"].all() and small["estimate"].isna().all()
    drivers = nps.key_drivers(s).table.set_index("driver")
    weights = demo.truth.params["driver_weights"]
    assert drivers["importance"].idxmax() == max(weights, key=weights.get)


@pytest.mark.parametrize("levels", [2_700, 2_729, 2_730, 3_000])
def test_counts_exact_either_side_of_the_int16_key_boundary(levels):
    # cell keys switch from int16 to int32 when groups × 12 slots reach 2**15 - 1; counts must
    # equal a plain pandas crosstab (the reference) on both sides of that boundary
    rng = np.random.default_rng(levels)
    n = 40_000
    df = pd.DataFrame({
        "g": pd.Categorical(rng.integers(0, levels, n), categories=range(levels)),
        "likelihood_to_recommend": pd.array(rng.integers(0, 11, n), dtype="Int8"),
    })
    df.loc[::97, "likelihood_to_recommend"] = pd.NA
    counts = nps.score_counts(df, by="g").set_index("g")
    ref = pd.crosstab(df["g"], df["likelihood_to_recommend"]).reindex(counts.index, fill_value=0)
    got = counts[[f"count_{s}" for s in range(11)]].to_numpy()
    assert (got == ref.reindex(columns=range(11), fill_value=0).to_numpy()).all()
    assert counts["count_missing"].sum() == df["likelihood_to_recommend"].isna().sum()


def test_driver_quadrants_follow_the_reported_cut_points(demo):
    # reference: the quadrant definition itself (importance ≥ equal share, performance ≥ mean),
    # applied by hand to the returned columns
    t = nps.key_drivers(demo.survey_responses, ordered_logit=False).table
    assert t["importance_cut"].iloc[0] == pytest.approx(100 / len(t))
    assert t["performance_cut"].iloc[0] == pytest.approx(t["performance_pct"].mean())
    hi_imp = t["importance"] >= t["importance_cut"]
    hi_perf = t["performance_pct"] >= t["performance_cut"]
    expected = np.select([hi_imp & hi_perf, hi_imp & ~hi_perf, ~hi_imp & hi_perf],
                         ["key strength", "priority to improve", "secondary strength"], default="low priority")
    assert (t["quadrant"].to_numpy() == expected).all()
