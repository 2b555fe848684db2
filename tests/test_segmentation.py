"""Tests for cxlab.segmentation.

References used (each test names its own):
* lifetimes 0.11.3 (Davidson-Pilon), ``summary_data_from_transaction_data`` and
  ``calibration_and_holdout_data``, run on the same transactions; the CDNOW sample
  (Fader, Hardie & Lee 2005) shipped inside the lifetimes package.
"""

from __future__ import annotations

import importlib.resources
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cxlab.errors import CXLabError
from cxlab.segmentation import calibration_and_holdout, rfm_summary

lifetimes_utils = pytest.importorskip("lifetimes.utils")


# ---------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def cdnow_sample() -> pd.DataFrame:
    """CDNOW 1/10th sample (2,357 customers, 1997-01 .. 1998-06) as shipped with lifetimes.

    Read with importlib.resources: lifetimes.datasets imports pkg_resources, which may be absent.
    Columns: customer id, sample id, date (yyyymmdd), number of CDs, dollar value.
    """
    path = importlib.resources.files("lifetimes") / "datasets" / "CDNOW_sample.txt"
    with path.open("r") as fh:
        raw = pd.read_csv(fh, sep=r"\s+", header=None, names=["cust", "sample_id", "date", "cds", "dollars"],
                          dtype={"cust": str, "sample_id": str, "date": str})
    return pd.DataFrame({
        "customer_id": raw["sample_id"].astype("string"),
        "timestamp": pd.to_datetime(raw["date"], format="%Y%m%d").astype("datetime64[ns]"),
        "amount": raw["dollars"].astype(float),
    })


def random_transactions(seed: int, n_customers: int = 300, n_rows: int = 3000) -> pd.DataFrame:
    """Random purchases with same-day and same-hour repeats and single-purchase customers."""
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, n_customers, n_rows)
    start = np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64)
    secs = rng.integers(0, 400 * 86400, n_rows)
    # a fifth of the rows are a second purchase a few minutes after another one (same day/hour)
    dup = rng.random(n_rows) < 0.2
    secs[dup] = np.roll(secs, 1)[dup] + rng.integers(0, 1800, dup.sum())
    cust[dup] = np.roll(cust, 1)[dup]
    ids = pd.array([f"C{c:05d}" for c in cust], dtype="string")
    ts = pd.to_datetime(start + secs, unit="s").astype("datetime64[ns]")
    amount = np.round(rng.gamma(2.0, 1500.0, n_rows), 2)
    df = pd.DataFrame({"customer_id": ids, "timestamp": ts, "amount": amount})
    # add singletons: customers with exactly one purchase
    single = pd.DataFrame({
        "customer_id": pd.array([f"S{i:03d}" for i in range(25)], dtype="string"),
        "timestamp": pd.to_datetime(start + rng.integers(0, 400 * 86400, 25), unit="s").astype("datetime64[ns]"),
        "amount": np.round(rng.gamma(2.0, 1500.0, 25), 2),
    })
    return pd.concat([df, single], ignore_index=True).sample(frac=1.0, random_state=seed).reset_index(drop=True)


def lifetimes_summary(df, **kw) -> pd.DataFrame:
    """lifetimes' function on the same data; index cast to our id dtype for comparison."""
    out = lifetimes_utils.summary_data_from_transaction_data(df, "customer_id", "timestamp", **kw)
    out.index = out.index.astype(df["customer_id"].dtype)
    return out


def assert_same(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    ref = ref.sort_index()
    assert ours.index.equals(ref.index)
    assert list(ours.columns) == list(ref.columns)
    pd.testing.assert_frame_equal(ours, ref[ours.columns], check_exact=False, rtol=1e-12, atol=1e-9,
                                  check_index_type=False, check_names=False)


# ---------------------------------------------------------------------------- rfm_summary

def test_rfm_summary_matches_lifetimes_on_cdnow_sample(cdnow_sample):
    # Reference: lifetimes.utils.summary_data_from_transaction_data on the CDNOW sample,
    # observation end 1998-06-30 as in Fader, Hardie & Lee (2005).
    ref = lifetimes_summary(cdnow_sample, monetary_value_col="amount", observation_period_end="1998-06-30")
    ours = rfm_summary(cdnow_sample, observation_end="1998-06-30")
    assert len(ours) == 2357
    assert_same(ours, ref)


def test_rfm_summary_matches_lifetimes_on_demo(demo):
    # Reference: lifetimes.utils.summary_data_from_transaction_data on the demo company's
    # transactions (string ids with leading zeros, several purchases on one day, 2 years).
    tx = demo.transactions[["customer_id", "timestamp", "amount"]].astype({"customer_id": object})
    ref = lifetimes_summary(tx, monetary_value_col="amount",
                            observation_period_end=demo.observation_end)
    ours = rfm_summary(demo.transactions, observation_end=demo.observation_end)
    assert len(ours) == demo.customers["customer_id"].nunique()
    assert_same(ours, ref)


def test_rfm_summary_cdnow_weeks_match_published_summary(cdnow_sample):
    # Reference: Fader, Hardie & Lee (2005) summarise the CDNOW sample over 78 weeks:
    # 2,357 customers, 1,411 of whom made no repeat purchase in the 39-week calibration period;
    # in the whole period, x = number of repeat purchase *days*. lifetimes' weekly summary
    # (freq='D', multiplier 7) must agree with ours exactly.
    ref = lifetimes_summary(cdnow_sample, monetary_value_col="amount", observation_period_end="1998-06-30",
                            freq="D", freq_multiplier=7)
    ours = rfm_summary(cdnow_sample, observation_end="1998-06-30", freq="D", freq_multiplier=7)
    assert_same(ours, ref)
    cal = rfm_summary(cdnow_sample, observation_end="1997-09-30", freq="D", freq_multiplier=7)
    assert (cal["frequency"] == 0).sum() == 1411
    assert cal["T"].max() == pytest.approx(38.86, abs=0.005)  # T of the earliest cohort, 272 days / 7


@pytest.mark.parametrize("freq,mult", [("D", 1), ("W", 1), ("h", 24), ("D", 7)])
@pytest.mark.parametrize("obs_end", [None, "2024-09-15 12:00"])
@pytest.mark.parametrize("include_first", [False, True])
def test_rfm_summary_matches_lifetimes_random(freq, mult, obs_end, include_first):
    # Reference: lifetimes.utils.summary_data_from_transaction_data, same arguments.
    df = random_transactions(seed=7)
    kw = dict(freq=freq, freq_multiplier=mult, include_first_transaction=include_first)
    ref = lifetimes_summary(df, monetary_value_col="amount",
                            observation_period_end=None if obs_end is None else pd.Timestamp(obs_end), **kw)
    ours = rfm_summary(df, observation_end=obs_end, **kw)
    assert_same(ours, ref)


def test_rfm_summary_without_monetary_and_integer_ids():
    # Reference: lifetimes on integer ids without a monetary column.
    df = random_transactions(seed=3)
    df["customer_id"] = df["customer_id"].str.slice(1).astype(int)
    ref = lifetimes_utils.summary_data_from_transaction_data(df, "customer_id", "timestamp")
    ours = rfm_summary(df, monetary_col=None)
    assert list(ours.columns) == ["frequency", "recency", "T"]
    assert_same(ours, ref)


def test_rfm_summary_same_day_purchases_merged_by_hand():
    # Hand-computed: a buys twice on day 0 (100 + 50) and once on day 10 (30);
    # b buys once; frequency counts repeat *days*, monetary = mean repeat-day total.
    df = pd.DataFrame({
        "customer_id": pd.array(["a", "a", "a", "b", "a"], dtype="string"),
        "timestamp": pd.to_datetime(["2025-01-01 09:00", "2025-01-01 18:00", "2025-01-11 10:00",
                                     "2025-01-05 00:00", "2025-01-11 11:00"]),
        "amount": [100.0, 50.0, 30.0, 70.0, 20.0],
    })
    out = rfm_summary(df, observation_end="2025-01-31")
    assert out.loc["a"].tolist() == [1.0, 10.0, 30.0, 50.0]
    assert out.loc["b"].tolist() == [0.0, 0.0, 26.0, 0.0]
    out_first = rfm_summary(df, observation_end="2025-01-31", include_first_transaction=True)
    assert out_first.loc["a", "monetary_value"] == pytest.approx((150.0 + 50.0) / 2)


def test_rfm_summary_does_not_mutate_input():
    df = random_transactions(seed=11)
    before = df.copy(deep=True)
    rfm_summary(df, freq="W")
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize("column,value,match", [
    ("customer_id", pd.NA, "no customer id"),
    ("timestamp", pd.NaT, "no purchase time"),
    ("amount", np.nan, "missing or infinite amount"),
    ("amount", -5.0, "negative amount"),
])
def test_rfm_summary_bad_input_names_column_and_rows(column, value, match):
    df = random_transactions(seed=5)
    df.loc[[3, 17], column] = value
    with pytest.raises(CXLabError, match=match) as info:
        rfm_summary(df)
    assert info.value.column == column
    assert info.value.rows == [4, 18]


def test_rfm_summary_bad_arguments():
    df = random_transactions(seed=5)
    with pytest.raises(CXLabError, match="lacks column"):
        rfm_summary(df, monetary_col="revenue")
    with pytest.raises(CXLabError, match="not supported"):
        rfm_summary(df, freq="M")
    with pytest.raises(CXLabError, match="before every purchase"):
        rfm_summary(df, observation_end="2000-01-01")
    with pytest.raises(CXLabError, match="empty"):
        rfm_summary(df.iloc[:0])


def test_rfm_summary_parses_text_timestamps_and_tz():
    df = random_transactions(seed=2)
    ref = rfm_summary(df)
    text = df.assign(timestamp=df["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S"))
    pd.testing.assert_frame_equal(rfm_summary(text), ref)
    aware = df.assign(timestamp=df["timestamp"].dt.tz_localize("Europe/Moscow"))
    pd.testing.assert_frame_equal(rfm_summary(aware), ref)


# ---------------------------------------------------------------------------- calibration / holdout

@pytest.mark.parametrize("freq,mult", [("D", 1), ("W", 1), ("D", 7)])
def test_calibration_and_holdout_matches_lifetimes(cdnow_sample, freq, mult):
    # Reference: lifetimes.utils.calibration_and_holdout_data on the CDNOW sample with the
    # 39/39-week split of Fader, Hardie & Lee (2005).
    ref = lifetimes_utils.calibration_and_holdout_data(
        cdnow_sample, "customer_id", "timestamp", calibration_period_end="1997-09-30",
        observation_period_end="1998-06-30", freq=freq, freq_multiplier=mult, monetary_value_col="amount")
    ref.index = ref.index.astype("string")
    ours = calibration_and_holdout(cdnow_sample, calibration_end="1997-09-30", observation_end="1998-06-30",
                                   freq=freq, freq_multiplier=mult)
    assert_same(ours, ref)


def test_calibration_and_holdout_matches_lifetimes_random():
    # Reference: lifetimes.utils.calibration_and_holdout_data; random data has same-hour
    # repeats in the holdout, where lifetimes averages rows (holdout_monetary="transaction").
    df = random_transactions(seed=21)
    ref = lifetimes_utils.calibration_and_holdout_data(
        df, "customer_id", "timestamp", calibration_period_end=pd.Timestamp("2024-08-10 13:30"),
        observation_period_end=pd.Timestamp("2024-12-20"), freq="h", freq_multiplier=24,
        monetary_value_col="amount")
    ref.index = ref.index.astype("string")
    ours = calibration_and_holdout(df, calibration_end="2024-08-10 13:30", observation_end="2024-12-20",
                                   freq="h", freq_multiplier=24)
    assert_same(ours, ref)
    # the "period" variant: frequency_holdout * monetary_value_holdout is the holdout spend
    per = calibration_and_holdout(df, calibration_end="2024-08-10 13:30", observation_end="2024-12-20",
                                  freq="h", freq_multiplier=24, holdout_monetary="period")
    hold = df[(df.timestamp > "2024-08-10 13:30") & (df.timestamp <= "2024-12-20")]
    spend = hold.groupby("customer_id")["amount"].sum().reindex(per.index, fill_value=0.0)
    np.testing.assert_allclose(per["frequency_holdout"] * per["monetary_value_holdout"], spend, rtol=1e-12)


def test_calibration_and_holdout_bad_dates():
    df = random_transactions(seed=1)
    with pytest.raises(CXLabError, match="not after"):
        calibration_and_holdout(df, calibration_end="2024-06-01", observation_end="2024-05-01")
    with pytest.raises(CXLabError, match="no purchase after"):
        calibration_and_holdout(df, calibration_end="2030-01-01", observation_end="2031-01-01")


def test_import_does_not_load_plotting():
    code = ("import sys, cxlab.segmentation; "
            "bad = [m for m in ('matplotlib', 'seaborn', 'ipywidgets', 'IPython') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_dense_codes_fast_path_equals_factorize():
    # Reference: pandas.factorize(sort=True); the short-id fast path must give identical codes/uniques,
    # including variable-length, Cyrillic (multi-byte UTF-8) and 8-byte ids.
    from cxlab.segmentation import _dense_codes

    rng = np.random.default_rng(0)
    ids = pd.Series(rng.integers(0, 10**6, 80_000)).astype(str).astype("string")
    ids[[5, 6, 7]] = ["Ёжик", "ab", "12345678"]
    codes, uniques = _dense_codes(ids)
    ref_codes, ref_uniques = pd.factorize(ids, sort=True)
    np.testing.assert_array_equal(codes, ref_codes)
    assert uniques.equals(ref_uniques) and uniques.dtype == ids.dtype
    fixed = ids.str.zfill(8).str.slice(0, 8)  # all ids 8 bytes long: the fixed-width branch
    codes, uniques = _dense_codes(fixed)
    ref_codes, ref_uniques = pd.factorize(fixed, sort=True)
    np.testing.assert_array_equal(codes, ref_codes)
    assert uniques.equals(ref_uniques)


# ---------------------------------------------------------------------------- RFM table, scores, segments

from cxlab import segmentation as seg  # noqa: E402


def test_rfm_table_consistent_with_rfm_summary():
    # Reference: lifetimes' summary (via rfm_summary, itself checked against lifetimes):
    # purchases = frequency + 1, tenure = T, days_since_last = T - recency; revenue by hand (groupby sum).
    df = random_transactions(seed=4)
    t = seg.rfm_table(df, observation_end="2025-03-01")
    s = rfm_summary(df, observation_end="2025-03-01", include_first_transaction=False)
    np.testing.assert_array_equal(t["purchases"], s["frequency"] + 1)
    np.testing.assert_array_equal(t["tenure"], s["T"])
    np.testing.assert_array_equal(t["days_since_last"], s["T"] - s["recency"])
    rev = df.groupby("customer_id")["amount"].sum()
    np.testing.assert_allclose(t["revenue"], rev.loc[t.index], rtol=1e-12)


def test_quantile_scores_equal_qcut_without_ties_and_keep_ties_together():
    # Reference: pandas.qcut quintiles on untied data (n a multiple of 5).
    rng = np.random.default_rng(0)
    rfm = pd.DataFrame({"days_since_last": rng.random(1000) * 500, "purchases": rng.random(1000) * 20,
                        "revenue": rng.gamma(2, 1000, 1000)})
    sc = seg.rfm_scores(rfm)
    np.testing.assert_array_equal(sc["f_score"], pd.qcut(rfm["purchases"], 5, labels=False) + 1)
    np.testing.assert_array_equal(sc["m_score"], pd.qcut(rfm["revenue"], 5, labels=False) + 1)
    np.testing.assert_array_equal(sc["r_score"], 5 - pd.qcut(rfm["days_since_last"], 5, labels=False))
    # heavy ties (60% bought once): pd.qcut fails, scores stay defined and ties share a score
    tied = rfm.assign(purchases=np.where(rng.random(1000) < 0.6, 1.0, rng.integers(2, 30, 1000)))
    with pytest.raises(ValueError):
        pd.qcut(tied["purchases"], 5)
    st = seg.rfm_scores(tied)
    assert st.groupby("purchases")["f_score"].nunique().max() == 1
    assert st.loc[tied["purchases"] == 1, "f_score"].unique().tolist() == [1]
    assert st["rfm_cell"].str.len().eq(3).all()


def test_custom_and_jenks_scores():
    # Hand-computed cut points: values equal to a cut point go to the lower group; recency reversed.
    rfm = pd.DataFrame({"days_since_last": [10.0, 30, 31, 400], "purchases": [1.0, 2, 3, 10],
                        "revenue": [100.0, 1000, 5000, 20000]})
    cuts = {"days_since_last": [30, 90, 180, 365], "purchases": [1, 2, 4, 8], "revenue": [500, 1000, 5000, 10000]}
    sc = seg.rfm_scores(rfm, method="custom", cut_points=cuts)
    assert sc["r_score"].tolist() == [5, 5, 4, 1]
    assert sc["f_score"].tolist() == [1, 2, 3, 5]
    assert sc["m_score"].tolist() == [1, 2, 3, 5]
    # Reference: jenkspy.jenks_breaks on the same (small) data; three clear clusters.
    values = np.array([1.0, 2, 3, 10, 11, 12, 30, 31, 33] * 3)
    rfm3 = pd.DataFrame({"days_since_last": values, "purchases": values, "revenue": values})
    js = seg.rfm_scores(rfm3, method="jenks", bins=3)
    assert js["m_score"].tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3] * 3
    assert js["r_score"].tolist() == [3, 3, 3, 2, 2, 2, 1, 1, 1] * 3
    with pytest.raises(CXLabError, match="cut points"):
        seg.rfm_scores(rfm, method="custom", cut_points={"days_since_last": [1, 2]})


def test_rfm_segments_default_rules_cover_the_grid_and_are_editable():
    grid = pd.DataFrame([(r, f) for r in range(1, 6) for f in range(1, 6)], columns=["r_score", "f_score"])
    out = seg.rfm_segments(grid)
    assert "unassigned" not in set(out["segment"].astype(str))
    assert set(out["segment"].astype(str)) == set(seg.SEGMENT_ORDER)
    lookup = out.set_index(["r_score", "f_score"])["segment"].astype(str)
    assert lookup[(5, 5)] == "champions" and lookup[(5, 1)] == "new" and lookup[(1, 1)] == "lost"
    assert lookup[(1, 5)] == "can't lose" and lookup[(2, 3)] == "at risk"
    rules = seg.DEFAULT_SEGMENT_RULES.copy()
    rules = rules[rules["segment"] != "lost"]
    edited = seg.rfm_segments(grid, rules=rules)
    assert (edited["segment"] == "unassigned").sum() == 2  # (1,1), (1,2) kept, labelled


def test_segment_summary_shares_and_playbook():
    t = pd.DataFrame({"segment": pd.Categorical(["a", "a", "b", "c"], categories=["b", "a", "c"]),
                      "revenue": [10.0, 30.0, 60.0, 0.0]})
    s = seg.segment_summary(t)
    assert s["segment"].tolist() == ["b", "a", "c"]
    assert s["n"].tolist() == [1, 2, 1]
    np.testing.assert_allclose(s["revenue_share"], [0.6, 0.4, 0.0])
    np.testing.assert_allclose(s["share"], [0.25, 0.5, 0.25])
    pb = pd.DataFrame({"segment": ["a", "b"], "strategy": ["x", "y"], "actions": ["p", "q"],
                       "channels": ["email", "phone"], "goal": ["g", "h"]})
    plan = seg.segment_playbook(s, playbook=pb)
    assert plan.loc[plan.segment == "c", "strategy"].item() == "(no plan yet)"
    assert len(plan) == 3
    default = seg.segment_playbook(seg.segment_summary(seg.rfm_segments(
        pd.DataFrame({"r_score": [5, 1], "f_score": [5, 1], "revenue": [1.0, 2.0]}))))
    assert default["strategy"].tolist() == ["reward", "let go"]


# ---------------------------------------------------------------------------- concentration

def test_gini_textbook_values():
    # Reference: for x = 1..n the Gini coefficient is (n - 1) / (3 n) (e.g. 4/15 for n = 5);
    # for one holder of everything among n it is (n - 1) / n; equal values give 0.
    assert seg.gini([1, 2, 3, 4, 5]) == pytest.approx(4 / 15, abs=1e-12)
    assert seg.gini([0, 0, 0, 10]) == pytest.approx(3 / 4, abs=1e-12)
    assert seg.gini([7, 7, 7]) == pytest.approx(0.0, abs=1e-12)
    # Reference: the mean-absolute-difference definition, brute force.
    x = np.random.default_rng(3).gamma(0.7, 1000, 400)
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert seg.gini(x) == pytest.approx(mad, rel=1e-12)
    with pytest.raises(CXLabError, match="negative"):
        seg.gini([1.0, -2.0])


def test_lorenz_and_top_share():
    x = np.array([1.0, 2, 3, 4, 10])  # total 20
    lc = seg.lorenz_curve(x, points=None)
    np.testing.assert_allclose(lc["revenue_share"], [0, 0.05, 0.15, 0.30, 0.50, 1.0])
    # Gini = 1 - 2 * area under the Lorenz curve (trapezoids) — a second, independent definition
    area = np.trapezoid(lc["revenue_share"], lc["customer_share"])
    assert seg.gini(x) == pytest.approx(1 - 2 * area, abs=1e-12)
    top = seg.top_share_table(x, shares=(0.2, 0.4))
    assert top["n"].tolist() == [1, 2]
    np.testing.assert_allclose(top["revenue_share"], [0.5, 0.7])
    assert top["min_value"].tolist() == [10.0, 4.0]
    assert len(seg.lorenz_curve(np.arange(1000.0), points=11)) == 11


# ---------------------------------------------------------------------------- clustering

def _blobs(seed=0, n=300):
    """Three well-separated behavioural groups with known labels."""
    rng = np.random.default_rng(seed)
    g = np.repeat([0, 1, 2], n // 3)
    f = pd.DataFrame({
        "days_since_last": np.array([10, 200, 40])[g] * rng.lognormal(0, 0.15, n),
        "purchases": np.array([30, 2, 6])[g] * rng.lognormal(0, 0.15, n),
        "revenue": np.array([90000, 3000, 15000])[g] * rng.lognormal(0, 0.15, n),
        "cat_gifts": np.clip(np.array([0.05, 0.1, 0.8])[g] + rng.normal(0, 0.03, n), 0, 1),
    }, index=pd.Index([f"c{i}" for i in range(n)], name="customer_id"))
    f["cat_wine"] = 1 - f["cat_gifts"]
    return f, g


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_cluster_customers_recovers_known_groups(method):
    # Reference: sklearn.metrics.adjusted_rand_score against the generating labels.
    from sklearn.metrics import adjusted_rand_score

    f, g = _blobs()
    before = f.copy()
    res = seg.cluster_customers(f, method=method, k=3)
    pd.testing.assert_frame_equal(f, before)
    assert adjusted_rand_score(g, res.table["segment"]) > 0.95
    assert res.table.index.equals(f.index)
    # segment 1 is the highest revenue per customer
    assert res.sizes.sort_values("revenue_per_customer", ascending=False)["segment"].iloc[0] == 1
    assert res.sizes["n"].sum() == len(f)
    prof = res.profiles
    assert set(prof.columns) == {"segment", "feature", "n", "mean", "overall_mean", "index"}
    top = prof[(prof.segment == 1) & (prof.feature == "revenue")]["index"].item()
    assert top > 200
    assert "<b>Segmentation</b>" in res._repr_html_()
    assert len(res.summary()) == 3


def test_profile_table_by_hand():
    f = pd.DataFrame({"x": [1.0, 3.0, 8.0], "y": [0.0, 0.0, 0.0]})
    p = seg.profile_table(f, ["a", "a", "b"])
    row = p[(p.segment == "a") & (p.feature == "x")].iloc[0]
    assert row["mean"] == 2.0 and row["overall_mean"] == 4.0 and row["index"] == 50.0 and row["n"] == 2
    assert p[p.feature == "y"]["index"].isna().all()


def test_choose_k_and_stability_prefer_the_true_k():
    f, _ = _blobs(seed=1)
    ck = seg.choose_k(f, ks=[2, 3, 4, 5])
    assert ck.loc[ck["silhouette"].idxmax(), "k"] == 3
    assert ck.loc[ck["bic"].idxmin(), "k"] >= 3
    st = seg.cluster_stability(f, ks=[3, 5], n_boot=6, progress=False)
    assert list(st.columns) == ["k", "n_boot", "estimate", "se", "ci_low", "ci_high", "min_ari", "max_ari"]
    assert (st["min_ari"] <= st["ci_low"]).all() and (st["ci_high"] <= st["max_ari"]).all()
    assert st.loc[st.k == 3, "estimate"].item() > 0.95
    assert (st["ci_low"] <= st["estimate"]).all() and (st["estimate"] <= st["ci_high"]).all()


def test_customer_features_shares_sum_to_one_and_match_groupby():
    df = random_transactions(seed=9)
    rng = np.random.default_rng(0)
    df["category"] = pd.Categorical(rng.choice(["wine", "cheese", "gifts"], len(df)))
    df["channel"] = pd.Categorical(rng.choice(["store", "web", None], len(df)))
    f = seg.customer_features(df)
    cat = [c for c in f.columns if c.startswith("cat_")]
    chan = [c for c in f.columns if c.startswith("chan_")]
    np.testing.assert_allclose(f[cat].sum(axis=1), 1.0)
    np.testing.assert_allclose(f[chan].sum(axis=1), 1.0)
    assert "chan_(missing)" in chan
    # Reference: pandas groupby of revenue share by category
    ref = (df.groupby(["customer_id", "category"], observed=False)["amount"].sum()
           / df.groupby("customer_id")["amount"].sum()).unstack()
    np.testing.assert_allclose(f["cat_wine"], ref.loc[f.index, "wine"], rtol=1e-12)


def test_migration_matrix_by_hand():
    before = pd.Series({"a": "x", "b": "x", "c": "y", "d": "y"})
    after = pd.Series({"a": "x", "b": "y", "c": "y", "e": "x"})
    m = seg.migration_matrix(before, after)
    get = m.set_index(["from_segment", "to_segment"])
    assert get.loc[("x", "x"), "n"] == 1 and get.loc[("x", "y"), "n"] == 1
    assert get.loc[("y", "(none)"), "n"] == 1 and get.loc[("(none)", "x"), "n"] == 1
    assert get.loc[("x", "y"), "share"] == 0.5
    np.testing.assert_allclose(m.groupby("from_segment")["share"].sum(), 1.0)
    assert m["n"].sum() == 5
