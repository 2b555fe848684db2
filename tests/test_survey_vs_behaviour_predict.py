"""Does-say-predict-do and the offer back-test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cxlab import survey_vs_behaviour as svb
from cxlab.errors import CXLabError


def _synthetic(n=800, seed=2):
    rng = np.random.default_rng(seed)
    ltr = rng.integers(0, 11, n).astype(float)
    x = rng.normal(0, 1, n)
    p = 1 / (1 + np.exp(-(-1.0 + 0.2 * ltr + 0.5 * x)))
    df = pd.DataFrame({"likelihood_to_recommend": ltr, "purchases_before": x,
                       "bought_after": (rng.random(n) < p).astype(float)})
    df.loc[:9, "bought_after"] = np.nan
    df.loc[10:14, "likelihood_to_recommend"] = np.nan
    return df


def test_repurchase_model_odds_ratios_match_glm_and_auc_matches_sklearn():
    import statsmodels.api as sm
    from sklearn.metrics import roc_auc_score

    df = _synthetic()
    m = svb.repurchase_model(df, predictor="likelihood_to_recommend", controls=["purchases_before"], n_boot=100)
    assert (m.n_used, m.n_missing) == (785, 15)
    ok = df.dropna()
    glm = sm.GLM(ok["bought_after"], sm.add_constant(ok[["likelihood_to_recommend", "purchases_before"]]),
                 family=sm.families.Binomial()).fit()  # IRLS instead of Newton: an independent fit
    ors = m.odds_ratios.set_index("term")
    assert_allclose(ors.loc["likelihood_to_recommend", "estimate"], np.exp(glm.params["likelihood_to_recommend"]),
                    rtol=1e-6)
    ci = np.exp(glm.conf_int().loc["purchases_before"].to_numpy())
    assert_allclose(ors.loc["purchases_before", ["ci_low", "ci_high"]].astype(float), ci, rtol=1e-5)
    a = m.auc.iloc[0]
    assert_allclose(a.estimate, roc_auc_score(ok["bought_after"], glm.fittedvalues), rtol=1e-9)
    assert a.ci_low < a.estimate < a.ci_high
    assert m.calibration["n"].sum() == 785


def test_repurchase_model_nps_class_reference_is_detractor():
    m = svb.repurchase_model(_synthetic(), n_boot=50)
    assert list(m.odds_ratios["term"]) == ["nps_class[T.passive]", "nps_class[T.promoter]"]
    assert (m.odds_ratios["estimate"] > 1).all()


def test_repurchase_model_refuses_too_few():
    with pytest.raises(CXLabError, match="too few"):
        svb.repurchase_model(_synthetic().head(25))


def test_outcome_by_class_counts_and_intervals():
    df = _synthetic()
    t = svb.outcome_by_nps_class(df, value=None, min_base=1).set_index("nps_class")
    ok = df.dropna()
    cls = pd.cut(ok["likelihood_to_recommend"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
    rates = ok.groupby(cls, observed=True)["bought_after"].mean()
    assert_allclose(t["repurchase"], rates.reindex(t.index))
    assert (t["repurchase_low"] < t["repurchase"]).all() and (t["repurchase"] < t["repurchase_high"]).all()


def test_driver_triad_separates_say_and_do():
    rng = np.random.default_rng(5)
    n = 3000
    a, b = rng.normal(size=n), rng.normal(size=n)
    df = pd.DataFrame({"a": a, "b": b, "ltr": 5 + 2 * a + rng.normal(size=n),
                       "bought": (rng.random(n) < 1 / (1 + np.exp(-1.5 * b))).astype(float)})
    t = svb.driver_triad(df, drivers=["a", "b"], stated_target="ltr", actual_target="bought").set_index("driver")
    assert t.loc["a", "say_rank"] == 1 and t.loc["b", "do_rank"] == 1
    assert t.loc["b", "do_low"] > 0 and t.loc["a", "do_low"] < 0 < t.loc["a", "do_high"]
    assert t["n"].iloc[0] == n


def _offer_data():
    # three customers: revealed favourite 'wine' for all; stated 'cheese' for two of them
    tx = pd.DataFrame({
        "customer_id": ["1", "1", "2", "2", "3", "1", "2", "3"],
        "category": ["wine", "wine", "wine", "cheese", "wine", "wine", "wine", "cheese"],
        "timestamp": pd.to_datetime(["2025-01-10", "2025-02-10", "2025-01-05", "2024-12-01", "2025-02-01",
                                     "2025-03-05", "2025-03-10", "2025-03-20"]),
        "amount": 1.0})
    sd = pd.DataFrame({"customer_id": ["1", "2", "3", None], "submitted_at": pd.to_datetime(["2025-02-15"] * 4),
                       "stated_favourite_category": ["cheese", "wine", "cheese", "wine"]})
    return sd, tx


def test_offer_backtest_counts_hits_by_strategy():
    sd, tx = _offer_data()
    bt = svb.offer_backtest(sd, tx, cutoff="2025-03-01", horizon_days=30, lookback_days=365,
                            observation_end="2025-03-31")
    c = bt.customers.set_index("customer_id")
    assert list(c["revealed"]) == ["wine", "wine", "wine"]
    assert list(c["bought_revealed"]) == [True, True, False]
    assert list(c["bought_stated"]) == [False, True, True]
    s = bt.summary_table.set_index("strategy")
    assert s.loc["stated", "hits"] == 2 and s.loc["revealed", "hits"] == 2
    cmp_ = bt.comparison.iloc[0]
    assert (cmp_.only_revealed, cmp_.only_stated) == (1, 1) and cmp_.difference == 0


def test_offer_backtest_needs_a_complete_window():
    sd, tx = _offer_data()
    with pytest.raises(CXLabError, match="before the test window"):
        svb.offer_backtest(sd, tx, cutoff="2025-03-01", horizon_days=90)


def test_offer_list_has_no_raw_ids():
    sd, tx = _offer_data()
    prof = svb.preference_profile(tx, as_of="2025-04-01")
    out = svb.offer_list(prof, key="a-long-enough-test-key-4f9c2a", stated=pd.Series({"1": "cheese", "2": "wine"}))
    assert not set(out["customer"]) & {"1", "2", "3"}
    assert out["customer"].str.startswith("P").all()
    assert set(out["basis"]) <= {"revealed", "revealed = stated"}
    assert (out["basis"] == "revealed = stated").sum() == 1
