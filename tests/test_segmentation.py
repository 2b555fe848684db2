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
