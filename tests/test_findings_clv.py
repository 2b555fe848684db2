"""CLV findings: each sentence claims only what the fits and result tables support.

The fits come from ``cxlab.clv`` on simulated purchase histories with and without the effect
in question: customers who drop out (the BG/NBD story, the model converges) against
customers who never stop buying (no drop-out to estimate, the model does not converge);
repeat purchases with and without free (0.00) ones (the Gamma-Gamma exclusion).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab import clv
from cxlab import segmentation as seg
from cxlab.errors import CXLabError
from cxlab.findings import clv as fclv

END = pd.Timestamp("2023-12-31")


def _histories(rng, *, churn: bool, n=400, free_repeat=0):
    """Purchases over 2022-2023; with churn, each customer leaves after a purchase with probability 0.25."""
    rows = []
    for i in range(n):
        day = pd.Timestamp("2022-01-01") + pd.Timedelta(days=int(rng.integers(0, 90)))
        gap = int(rng.integers(20, 41))
        while day <= END:
            rows.append((f"C{i:04d}", day, round(float(rng.gamma(4, 10)), 2)))
            if churn and rng.random() < 0.25:
                break
            step = rng.exponential(gap) if churn else gap + rng.integers(-3, 4)
            day += pd.Timedelta(days=max(1, int(step)))
    for j in range(free_repeat):  # one paid first purchase, one free repeat purchase
        rows.append((f"F{j:03d}", pd.Timestamp("2022-03-01"), 25.0))
        rows.append((f"F{j:03d}", pd.Timestamp("2022-09-01"), 0.0))
    return pd.DataFrame(rows, columns=["customer_id", "timestamp", "amount"])


@pytest.fixture(scope="module")
def churn_summary():
    return seg.rfm_summary(_histories(np.random.default_rng(10), churn=True, free_repeat=3), observation_end=END)


@pytest.fixture(scope="module")
def steady_summary():
    return seg.rfm_summary(_histories(np.random.default_rng(11), churn=False), observation_end=END)


def test_convergence_note_is_empty_when_the_model_converges(churn_summary):
    fit = clv.fit_bgnbd(churn_summary)
    assert fit.converged
    assert fclv.bgnbd_convergence_note(fit) == ""


def test_convergence_note_explains_no_dropout_when_nobody_churns(steady_summary):
    fit = clv.fit_bgnbd(steady_summary)
    assert not fit.converged
    a, b = fit.params["a"], fit.params["b"]
    assert a / (a + b) < fclv.NO_DROPOUT  # what the note claims, checked on the fit itself
    text = fclv.bgnbd_convergence_note(fit)
    assert text.startswith("**The purchase model did not converge.**")
    assert "no drop-out" in text and "not shown" in text
    assert "nan" not in text.lower()
    key = fclv.bgnbd_convergence_finding(fit)
    assert key.title.startswith("Lifetime value not estimated") and key.text in text


def test_convergence_note_does_not_claim_no_dropout_without_evidence():
    from types import SimpleNamespace

    fit = SimpleNamespace(converged=False, n=50, params=pd.Series({"r": 0.3, "alpha": 10.0, "a": 0.8, "b": 2.0}))
    text = fclv.bgnbd_convergence_note(fit)
    assert "did not converge" in text and "no drop-out" not in text


def test_spend_exclusion_note_counts_free_repeat_buyers(churn_summary):
    bad = clv.nonpositive_spend(churn_summary)
    # independent count: the planted F-customers are exactly those whose repeat spend is 0
    assert bad.sum() == 3 and set(bad[bad].index) == {"F000", "F001", "F002"}
    n_repeat = int((churn_summary["frequency"] > 0).sum())
    text = fclv.spend_exclusion_note(int(bad.sum()), n_repeat)
    assert "Left out of the spend model: 3 customers**" in text
    assert f"the other {n_repeat - 3:,} repeat customers" in text
    # and the model then fits on the others, which it refuses to do with them in
    with pytest.raises(CXLabError, match="mean spend <= 0"):
        clv.fit_gamma_gamma(churn_summary)
    assert clv.fit_gamma_gamma(churn_summary[~bad]).converged


def test_spend_exclusion_note_without_exclusions_and_bad_counts():
    assert fclv.spend_exclusion_note(0, 10).startswith("All 10 repeat customers")
    with pytest.raises(CXLabError):
        fclv.spend_exclusion_note(5, 3)


def test_clv_value_finding_totals_match_the_table(churn_summary):
    s = churn_summary[~clv.nonpositive_spend(churn_summary)]
    values = clv.customer_value(s, model=clv.fit_bgnbd(s), spend_model=clv.fit_gamma_gamma(s), horizon=6)
    risk = clv.at_risk_customers(values)
    f = fclv.clv_value_finding(values, None, risk, horizon=6, currency="EUR")
    text = f.text
    assert f.n == len(values)
    assert f"over the next 6 months is {values['clv'].sum():,.0f} EUR." in text
    n = len(risk)
    assert (f"{n:,} valuable customer" in text) if n else ("No valuable customer" in text)


def test_clv_value_finding_refuses_missing_clv():
    with pytest.raises(CXLabError, match="no CLV"):
        fclv.clv_value_finding(pd.DataFrame({"clv": [np.nan]}), None, pd.DataFrame(), horizon=12)


@pytest.mark.parametrize("rel, words", [(-0.25, "under-predicts"), (0.2, "over-predicts"), (0.04, "within 10%"),
                                        (-0.1, "within 10%")])
def test_holdout_verdict_follows_the_measured_error(rel, words):
    tot = pd.DataFrame({"measure": ["clv"], "estimate": [1.0], "ci_low": [0.9], "ci_high": [1.1]})
    hold = pd.DataFrame({"metric": ["total_predicted", "total_actual", "relative_error_total", "mae"],
                         "estimate": [100 * (1 + rel), 100.0, rel, 0.3]})
    text = fclv.clv_findings(tot, pd.DataFrame({"p_alive": [0.9]}), top_shares=pd.DataFrame(
        {"top_share": [0.05], "revenue_share": [0.3]}), horizon=12, holdout=hold,
        calibration_end=pd.Timestamp("2023-06-30"), observation_end=END)
    assert words in text
    assert "RUB" not in text and " None" not in text


def test_clv_findings_without_holdout_has_no_holdout_line():
    tot = pd.DataFrame({"measure": ["clv"], "estimate": [1000.0], "ci_low": [900.0], "ci_high": [1100.0]})
    text = fclv.clv_findings(tot, pd.DataFrame({"p_alive": [0.2, 0.8]}),
                             top_shares=pd.DataFrame({"top_share": [0.05], "revenue_share": [0.3]}),
                             horizon=12, level=0.95)
    assert "Holdout" not in text and "95% interval 900–1,100," in text


def test_planted_lapsed_finding_only_when_lowest():
    assert "finds the planted lapsed" in fclv.planted_lapsed_finding(pd.Series({"lapsed": 0.2, "loyal": 0.8}))
    text = fclv.planted_lapsed_finding(pd.Series({"lapsed": 0.6, "loyal": 0.5, "champions": 0.9}))
    assert "does not single out" in text and "*loyal* (0.50)" in text


def test_gamma_gamma_convergence_note():
    from types import SimpleNamespace

    assert fclv.gamma_gamma_convergence_note(SimpleNamespace(converged=True)) == ""
    assert "did not converge" in fclv.gamma_gamma_convergence_note(SimpleNamespace(converged=False, n=4))
