"""Tests for the id and time paths of cxlab.rfm (customer codes without hashing).

References used (each test names its own):
* ``pandas.factorize(ids, sort=True)``: the codes and sorted distinct ids every id path must give;
* lifetimes 0.11.3 (Davidson-Pilon), ``summary_data_from_transaction_data`` and
  ``calibration_and_holdout_data`` on the same transactions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab._ids import dense_codes, id_slots
from cxlab.errors import CXLabError
from cxlab.segmentation import calibration_and_holdout, rfm_summary

lifetimes_utils = pytest.importorskip("lifetimes.utils")


def transactions(seed: int = 0, n_customers: int = 400, n_rows: int = 4000) -> tuple[pd.DataFrame, np.ndarray]:
    """Random purchases (same-day repeats, single-purchase customers) and each row's customer number."""
    rng = np.random.default_rng(seed)
    number = rng.integers(0, n_customers, n_rows)
    start = np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64)
    secs = rng.integers(0, 500 * 86400, n_rows)
    dup = rng.random(n_rows) < 0.2  # a fifth are a second purchase the same hour
    secs[dup] = np.roll(secs, 1)[dup] + rng.integers(0, 1800, dup.sum())
    number[dup] = np.roll(number, 1)[dup]
    df = pd.DataFrame({
        "timestamp": pd.to_datetime(start + secs, unit="s").astype("datetime64[ns]"),
        "amount": np.round(rng.gamma(2.0, 1500.0, n_rows), 2),
    })
    return df, number


def lifetimes_summary(df: pd.DataFrame, **kw) -> pd.DataFrame:
    out = lifetimes_utils.summary_data_from_transaction_data(df, "customer_id", "timestamp", **kw)
    return out.sort_index()


def assert_same_values(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    np.testing.assert_allclose(ours.to_numpy(), ref[ours.columns].to_numpy(), rtol=1e-12, atol=1e-9)


ID_KINDS = {
    # what pd.read_csv gives for a numeric id column, and variants a user's file may hold
    "int64 from 1": lambda k: pd.Series(k + 1),
    "int64 with gaps": lambda k: pd.Series(3 * k + 7),
    "int64 sparse (hashed)": lambda k: pd.Series(k * 1_000_003 + 10**12),
    "int32 negative": lambda k: pd.Series((k - 200).astype(np.int32)),
    "uint64 above 2**63": lambda k: pd.Series(k.astype(np.uint64) + np.uint64(2**63 + 11)),
    "nullable Int64": lambda k: pd.Series(k, dtype="Int64"),
    "int64[pyarrow]": lambda k: pd.Series(k, dtype="int64[pyarrow]"),
    # text ids: fixed width, longer than 8 bytes, varying length, irregular (hashed), object
    "text C0000123": lambda k: pd.Series([f"C{v:07d}" for v in k], dtype="str"),
    "text CUST-000000123": lambda k: pd.Series([f"CUST-{v:09d}" for v in k], dtype="string[pyarrow]"),
    "text 1..n unpadded": lambda k: pd.Series([str(v) for v in k], dtype="str"),
    "text Cyrillic + mixed": lambda k: pd.Series([("Ёжик-" if v % 7 == 0 else "") + f"{v * 7919:x}" for v in k],
                                                 dtype="str"),
    "text object dtype": lambda k: pd.Series([f"C{v:05d}" for v in k], dtype=object),
}


@pytest.mark.parametrize("kind", list(ID_KINDS))
def test_id_codes_equal_factorize(kind):
    # Reference: pandas.factorize(sort=True) on the same column (codes and sorted uniques, same dtype).
    rng = np.random.default_rng(1)
    ids = ID_KINDS[kind](rng.integers(0, 3000, 20_000))
    codes, uniques = dense_codes(ids)
    ref_codes, ref_uniques = pd.factorize(ids, sort=True)
    np.testing.assert_array_equal(codes, ref_codes)
    assert uniques.equals(pd.Index(ref_uniques))
    assert uniques.dtype == ids.dtype
    slots = id_slots(ids)  # slots (with gaps) name the same ids in the same order
    occupied = np.unique(slots.codes)
    assert slots.labels(occupied).equals(uniques)
    np.testing.assert_array_equal(np.searchsorted(occupied, slots.codes), ref_codes)


@pytest.mark.parametrize("kind", list(ID_KINDS))
def test_rfm_summary_matches_lifetimes_for_every_id_kind(kind):
    # Reference: lifetimes.utils.summary_data_from_transaction_data on the same rows.
    df, number = transactions(seed=2)
    df["customer_id"] = ID_KINDS[kind](number)
    ours = rfm_summary(df, observation_end="2025-03-01")
    ref = lifetimes_summary(df, monetary_value_col="amount", observation_period_end="2025-03-01")
    assert list(ours.index.astype(str)) == list(ref.index.astype(str))
    assert ours.index.dtype == df["customer_id"].dtype
    assert_same_values(ours, ref)


def test_integer_and_text_ids_give_identical_summaries():
    # Reference: the same customers as int64 ids (what pd.read_csv gives) and as zero-padded text ids
    # must give the same summary row for row; the text path is also checked against lifetimes.
    df, number = transactions(seed=3, n_customers=2000, n_rows=60_000)
    as_int = df.assign(customer_id=number + 1)
    as_text = df.assign(customer_id=pd.Series([f"C{v + 1:07d}" for v in number], dtype="str"))
    for kw in ({}, {"freq": "W"}, {"freq": "h", "freq_multiplier": 24, "include_first_transaction": True}):
        a = rfm_summary(as_int, **kw)
        b = rfm_summary(as_text, **kw)
        assert list(b.index) == [f"C{v:07d}" for v in a.index]
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True)
    ref = lifetimes_summary(as_text, monetary_value_col="amount")
    assert_same_values(rfm_summary(as_text), ref)


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
@pytest.mark.parametrize("freq", ["D", "W", "h"])
def test_time_units_other_than_ns_match_lifetimes(unit, freq):
    # Reference: lifetimes on nanosecond times; pandas 3 reads dates as microseconds, and the
    # observation end falls inside a period (13:30), so the cut-off must floor correctly.
    df, number = transactions(seed=4)
    df["customer_id"] = number
    ref = lifetimes_summary(df, monetary_value_col="amount", observation_period_end=pd.Timestamp("2025-01-15 13:30"),
                            freq=freq)
    other = df.assign(timestamp=df["timestamp"].astype(f"datetime64[{unit}]"))
    ours = rfm_summary(other, observation_end="2025-01-15 13:30", freq=freq)
    assert_same_values(ours, ref)


def test_calibration_and_holdout_with_integer_ids_and_microseconds():
    # Reference: lifetimes.utils.calibration_and_holdout_data on the same rows (nanosecond times).
    df, number = transactions(seed=5)
    df["customer_id"] = 10 * number + 3  # gaps between the ids
    ref = lifetimes_utils.calibration_and_holdout_data(
        df, "customer_id", "timestamp", calibration_period_end="2024-11-30 12:00",
        observation_period_end="2025-05-01", monetary_value_col="amount").sort_index()
    ours = calibration_and_holdout(df.assign(timestamp=df["timestamp"].astype("datetime64[us]")),
                                   calibration_end="2024-11-30 12:00", observation_end="2025-05-01")
    assert list(ours.index) == list(ref.index)
    assert_same_values(ours, ref)


def test_missing_integer_id_names_the_rows():
    df, number = transactions(seed=6, n_rows=500)
    ids = pd.Series(number, dtype="Int64")
    ids[[4, 9]] = pd.NA
    with pytest.raises(CXLabError, match="2 transaction") as err:
        rfm_summary(df.assign(customer_id=ids))
    assert err.value.rows[:2] == [5, 10]
