"""cxlab.clv on data the models cannot fully use: zero repeat spend and no churn.

* Zero repeat spend: the real CDNOW master file (inside the ``lifetimes`` wheel) holds 80
  zero-value purchases; exactly one customer's repeat purchases average 0.00, counted here
  independently with pandas. :func:`cxlab.clv.nonpositive_spend` must find that customer,
  and the Gamma-Gamma fit on the others must run.
* Customers who first bought on the last day (T = 0), normal in any shop that keeps
  acquiring customers: they carry no information yet and must be accepted, as lifetimes
  does; with them added to the published CDNOW summary the BG/NBD parameters stay those of
  Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426.
* No churn: everybody buys every 20-40 days to the end of the data; the BG/NBD fit does not
  converge, and everything that would predict from it raises a CXLabError (not a raw
  scipy/pandas error, not a table of NaN).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlab import clv
from cxlab import segmentation as seg
from cxlab.errors import CXLabError

sys.path.insert(0, str(Path(__file__).parent / "data" / "own"))
import make_transactions_sets as sets  # noqa: E402


@pytest.fixture(scope="module")
def cdnow_summary():
    raw = sets.cdnow()
    if raw is None:
        pytest.skip("lifetimes (which ships the CDNOW master file) is not installed")
    t = raw.assign(timestamp=pd.to_datetime(raw["date"], format="%Y%m%d"), amount=raw["amount"].astype(float))
    return t, seg.rfm_summary(t, observation_end=t["timestamp"].max())


def test_nonpositive_spend_on_cdnow_matches_pandas(cdnow_summary):
    t, s = cdnow_summary
    assert (t["amount"] == 0).sum() == 80  # the published file's zero-value rows
    days = t.groupby(["customer_id", t["timestamp"].dt.normalize()])["amount"].sum().reset_index()
    repeat = days[days.groupby("customer_id").cumcount() > 0]
    expected = set(repeat.groupby("customer_id")["amount"].mean().loc[lambda m: m <= 0].index)
    bad = clv.nonpositive_spend(s)
    assert set(bad[bad].index) == expected == {"10244"}
    with pytest.raises(CXLabError, match="nonpositive_spend"):
        clv.fit_gamma_gamma(s)
    fit = clv.fit_gamma_gamma(s[~bad])
    assert fit.converged and fit.n == int((s["frequency"] > 0).sum()) - 1


def test_nonpositive_spend_errors_are_cxlab_errors():
    with pytest.raises(CXLabError, match="monetary_value"):
        clv.nonpositive_spend(pd.DataFrame({"frequency": [1]}))
    with pytest.raises(CXLabError, match="not numeric"):
        clv.nonpositive_spend(pd.DataFrame({"frequency": [1], "monetary_value": ["a lot"]}))


@pytest.fixture(scope="module")
def steady_fits():
    t = sets.steady(n_customers=150)
    t = t.assign(timestamp=pd.to_datetime(t["timestamp"]))
    s = seg.rfm_summary(t, observation_end=t["timestamp"].max())
    return s, clv.fit_bgnbd(s), clv.fit_gamma_gamma(s)


def test_no_churn_bgnbd_does_not_converge_and_predictions_refuse(steady_fits):
    s, bg, gg = steady_fits
    assert not bg.converged
    assert bg.params["a"] / (bg.params["a"] + bg.params["b"]) < 1e-3  # no drop-out
    assert np.isfinite(bg.table["estimate"]).all()
    with np.errstate(all="ignore"):
        with pytest.raises(CXLabError, match="did not converge"):
            clv.customer_value(s, model=bg, spend_model=gg, horizon=12)
        with pytest.raises(CXLabError, match="did not converge"):
            clv.clv_intervals(s, model=bg, spend_model=gg, horizon=12, n_draws=20, progress=False)
    with pytest.raises(CXLabError, match="did not converge"):
        bg.draw_params(10, np.random.default_rng(0))



def test_customers_first_seen_on_the_last_day_are_accepted():
    import importlib.util

    spec = importlib.util.find_spec("lifetimes")
    if spec is None:
        pytest.skip("lifetimes not installed")
    summary = pd.read_csv(Path(list(spec.submodule_search_locations)[0]) / "datasets" / "cdnow_customers_summary.csv",
                          index_col=0)[["frequency", "recency", "T"]]
    new = pd.DataFrame({"frequency": 0, "recency": 0.0, "T": 0.0}, index=[f"new{i}" for i in range(40)])
    fit = clv.fit_bgnbd(pd.concat([summary, new]), time_unit="W")
    np.testing.assert_allclose(fit.params[["r", "alpha", "a", "b"]], [0.2426, 4.4135, 0.7929, 2.4258], atol=5e-4)
    assert fit.converged
    assert (clv.p_alive(new, model=fit) == 1).all()
    table = fit.frequency_table  # the new customers expect no purchase in their zero time
    assert np.isfinite(table["expected"]).all()
    assert table["expected"].sum() == pytest.approx(len(summary) + 40)
    assert table.loc[0, "actual"] == (summary["frequency"] == 0).sum() + 40
    with pytest.raises(CXLabError, match="T = 0"):
        clv.fit_bgnbd(pd.DataFrame({"frequency": [1, 0], "recency": [0.0, 0.0], "T": [0.0, 3.0]}))
    with pytest.raises(CXLabError, match="T < 0"):
        clv.fit_bgnbd(pd.DataFrame({"frequency": [1, 0], "recency": [1.0, 0.0], "T": [2.0, -3.0]}))
