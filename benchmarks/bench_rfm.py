"""RFM summary speed and memory: cxlab vs lifetimes vs a hand-written numpy floor.

Usage::

    .venv/bin/python benchmarks/bench_rfm.py                   # 10M transactions / 1M customers
    .venv/bin/python benchmarks/bench_rfm.py --rows 1000000 --customers 100000
    .venv/bin/python benchmarks/bench_rfm.py --skip-lifetimes  # lifetimes alone takes ~20-30 s at 10M

All three are run in the same process on the same data and must agree; the script
prints wall times, the ratios the issue asks for (lifetimes / cxlab >= 15,
cxlab / floor <= 1.5) and cxlab's peak extra memory (tracemalloc, which numpy and
pandas report their buffers to; target <= 0.5 GB).
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import numpy as np
import pandas as pd
import pyarrow as pa

from cxlab.segmentation import rfm_summary

DAY = 86_400_000_000_000


def make_transactions(n_rows: int, n_customers: int, seed: int = 0) -> pd.DataFrame:
    """Canonical-dtype transactions (string ids, datetime64[ns], float amounts), built in ~1-2 s."""
    rng = np.random.default_rng(seed)
    width = len(str(n_customers))
    uniques = pa.array(np.char.add("C", np.char.zfill(np.arange(n_customers).astype(str), width)).astype(object))
    # purchases per customer: 1 + gamma-Poisson (negative binomial, a long right tail),
    # scaled to n_rows in total; rows in random (time) order, as a real export comes
    extra = rng.poisson(rng.gamma(0.8, 1.0, n_customers))
    extra = np.floor(extra * ((n_rows - n_customers) / max(extra.sum(), 1))).astype(np.int64)
    np.add.at(extra, rng.integers(0, n_customers, n_rows - n_customers - extra.sum()), 1)  # exactly n_rows
    idx = np.repeat(np.arange(n_customers), 1 + extra)
    rng.shuffle(idx)
    ids = pd.Series(pd.arrays.ArrowStringArray(uniques.take(pa.array(idx))), dtype="string")
    start = np.datetime64("2024-01-01", "ns").astype(np.int64)
    ns = start + rng.integers(0, 730 * DAY, n_rows)
    return pd.DataFrame({
        "customer_id": ids,
        "timestamp": pd.Series(ns.view("datetime64[ns]")),
        "amount": np.round(rng.gamma(2.0, 1500.0, n_rows), 2),
    })


def numpy_floor(df: pd.DataFrame) -> pd.DataFrame:
    """The least work that gives the daily RFM summary: dense codes, one sort, bincounts.

    No validation, no observation-end handling, ids left in first-appearance order.
    """
    codes, uniques = pd.factorize(df["customer_id"])
    n = len(uniques)
    day = df["timestamp"].to_numpy().view(np.int64) // DAY
    lo = day.min()
    span = day.max() - lo + 1
    day -= lo
    key = codes * span + day
    key.sort()
    uk = key[np.r_[True, key[1:] != key[:-1]]]
    del key
    cust, d = np.divmod(uk, span)
    count = np.bincount(cust, minlength=n)
    start = np.r_[True, cust[1:] != cust[:-1]]
    first = np.empty(n, np.int64)
    last = np.empty(n, np.int64)
    first[cust[start]] = d[start]
    last[cust[np.r_[start[1:], True]]] = d[np.r_[start[1:], True]]
    amount = df["amount"].to_numpy()
    repeat = np.bincount(codes, weights=np.where(day == first[codes], 0.0, amount), minlength=n)
    freq = count - 1
    return pd.DataFrame({"frequency": freq.astype(float), "recency": (last - first).astype(float),
                         "T": (span - 1 - first).astype(float),
                         "monetary_value": np.where(freq > 0, repeat / np.maximum(freq, 1), 0.0)},
                        index=pd.Index(uniques, name="customer_id"))


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-lifetimes", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    df = make_transactions(args.rows, args.customers)
    print(f"generated {len(df):,} transactions / {df['customer_id'].nunique():,} customers "
          f"in {time.perf_counter() - t0:.1f} s")

    t_ours, ours = best_of(lambda: rfm_summary(df), args.repeat)
    t_floor, floor = best_of(lambda: numpy_floor(df), args.repeat)
    floor = floor.sort_index()
    np.testing.assert_allclose(ours.to_numpy(), floor.loc[ours.index].to_numpy(), rtol=1e-12, atol=1e-8)
    print(f"cxlab rfm_summary        {t_ours:7.2f} s")
    print(f"numpy floor              {t_floor:7.2f} s   cxlab / floor    = {t_ours / t_floor:5.2f}  (target <= 1.5)")

    if not args.skip_lifetimes:
        from lifetimes.utils import summary_data_from_transaction_data

        t_lt, lt = best_of(lambda: summary_data_from_transaction_data(
            df, "customer_id", "timestamp", monetary_value_col="amount"), 1)
        lt.index = lt.index.astype(ours.index.dtype)
        np.testing.assert_allclose(ours.to_numpy(), lt.loc[ours.index, ours.columns].to_numpy(),
                                   rtol=1e-12, atol=1e-8)
        print(f"lifetimes                {t_lt:7.2f} s   lifetimes / cxlab = {t_lt / t_ours:5.1f}  (target >= 15)")

    gc.collect()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    result = rfm_summary(df)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out_mb = result.memory_usage(deep=True).sum() / 2**20
    print(f"cxlab peak extra memory  {(peak - base) / 2**30:7.3f} GB (result itself {out_mb:.0f} MB; target <= 0.5 GB)")
    print("all implementations agree (rtol 1e-12)")


if __name__ == "__main__":
    main()
