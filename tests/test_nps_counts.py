"""Tests for the counting paths of cxlab.nps.score_counts (blocks of rows, time units).

Reference: pandas ``groupby(...).size()`` on the same rows (an independent count), and
``Series.dt.to_period`` for the calendar periods.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab.nps import score_counts


def responses(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-12-25T00:00:00", "s").astype(np.int64)
    scores = rng.integers(0, 11, n).astype(np.int8)
    return pd.DataFrame({
        "channel": pd.Categorical.from_codes(rng.integers(-1, 4, n), categories=["chat", "phone", "store", "web"]),
        "region": rng.choice(["north", "south", "east"], n),
        "submitted_at": (start + rng.integers(0, 500 * 86400, n)).astype("datetime64[s]").astype("datetime64[ns]"),
        "likelihood_to_recommend": pd.arrays.IntegerArray(scores, rng.random(n) < 0.02),
    })


def pandas_counts(df: pd.DataFrame, by: list[str], period: str | None) -> pd.DataFrame:
    d = df.copy()
    keys = list(by)
    if period:
        d["period"] = d["submitted_at"].dt.to_period(period)
        keys.append("period")
    d["slot"] = d["likelihood_to_recommend"].fillna(11).astype(int)
    table = d.groupby(keys + ["slot"], observed=True, dropna=False).size().unstack("slot", fill_value=0)
    return table.reindex(columns=range(12), fill_value=0)


@pytest.mark.parametrize("period", [None, "D", "W", "M", "Q", "Y"])
def test_block_counts_equal_pandas_groupby(period):
    # Reference: pandas groupby size over (channel, region[, period], score); 200k rows span
    # several blocks of rows; channel has missing values (their own group).
    df = responses(200_000)
    ours = score_counts(df, by=["channel", "region"], period=period)
    keys = ["channel", "region"] + (["period"] if period else [])
    ref = pandas_counts(df, ["channel", "region"], period)
    got = ours.set_index(keys)[[f"count_{s}" for s in range(11)] + ["count_missing"]]
    got.columns = range(12)
    ref = ref.loc[got.index]
    assert len(got) == len(pandas_counts(df, ["channel", "region"], period))
    np.testing.assert_array_equal(got.to_numpy(), ref.to_numpy())


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
@pytest.mark.parametrize("period", ["D", "W", "M"])
def test_periods_from_any_time_unit(unit, period):
    # Reference: the same counts from nanosecond times (pandas 3 reads dates as microseconds),
    # with times before 1970 and a missing time (its own period group).
    df = responses(20_000, seed=1)
    df.loc[:99, "submitted_at"] = df.loc[:99, "submitted_at"] - pd.Timedelta(days=20_000)
    df.loc[7, "submitted_at"] = pd.NaT
    ref = score_counts(df, by="channel", period=period)
    ours = score_counts(df.assign(submitted_at=df["submitted_at"].astype(f"datetime64[{unit}]")),
                        by="channel", period=period)
    pd.testing.assert_frame_equal(ours, ref)


def test_weighted_and_unweighted_counts_agree():
    # Reference: unit weights give weighted counts equal to the plain counts (the weighted
    # path counts all rows at once, the plain one block by block).
    df = responses(150_000, seed=2).assign(w=1.0)
    plain = score_counts(df, by="channel", period="M")
    weighted = score_counts(df, by="channel", period="M", weight="w")
    counts = [f"count_{s}" for s in range(11)]
    pd.testing.assert_frame_equal(weighted[plain.columns], plain)
    np.testing.assert_array_equal(weighted[[f"weight_{s}" for s in range(11)]].to_numpy(),
                                  plain[counts].to_numpy().astype(float))
