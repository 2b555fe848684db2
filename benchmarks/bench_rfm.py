"""RFM summary speed and memory: cxlab against lifetimes, pandas, DuckDB, Polars and a numpy floor.

Usage::

    .venv/bin/python benchmarks/bench_rfm.py                 # 10M transactions / 1M customers
    .venv/bin/python benchmarks/bench_rfm.py --short         # 1M / 100k (also CXLAB_BENCH_SHORT=1)
    .venv/bin/python benchmarks/bench_rfm.py --ids int --skip lifetimes --memory none

The daily Fader-Hardie summary (frequency, recency, T, monetary value; what
``lifetimes.utils.summary_data_from_transaction_data`` returns) of the same synthetic
transactions, computed by every contender side by side in one process (interleaved rounds,
best of ``--repeat``; lifetimes once), for customer ids as text (``"C0012345"``) and as
integers (what ``pd.read_csv`` gives for a numeric id column):

* ``cxlab``: ``cxlab.segmentation.rfm_summary(df)`` (validation, ids, summary frame);
* ``numpy floor``: the least work that gives the summary: customer codes **already dense
  integers** (made before the clock starts: no factorising), one sort of 32-bit
  (customer, day) keys, bincounts; no validation;
* ``pandas``: the idiomatic two-step ``groupby`` (day totals, then per customer);
* ``duckdb``: SQL over the pandas frame; ``polars``: the same on a Polars frame (converted
  before the clock starts; both engines use every core: compare CPU times too);
* ``lifetimes``: ``summary_data_from_transaction_data``.

A third, informative run (``--ids sparse``) uses integer ids spread over a billion values,
which cxlab has to hash. Every result is asserted equal to cxlab's (rtol 1e-9). Targets
(issue 15): lifetimes / cxlab >= 20 (text ids) and >= 15 (integer ids); cxlab / floor <= 1.5;
cxlab's peak extra memory <= 0.5 GB. Memory is the resident-set high-water mark of one run
in a fresh subprocess (see ``benchmarks/_measure.py``). Load average and CPU times are
printed with every figure: on a shared machine compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import SHORT, child_report, loadavg, memory_in_subprocesses, time_side_by_side  # noqa: E402

from cxlab.segmentation import rfm_summary  # noqa: E402

DAY = 86_400_000_000_000
COLUMNS = ["frequency", "recency", "T", "monetary_value"]
CONTENDERS = ["cxlab", "numpy floor", "pandas", "duckdb", "polars", "lifetimes"]


# ----------------------------------------------------------------------------- data
def make_transactions(n_rows: int, n_customers: int, ids: str = "string", seed: int = 0
                      ) -> tuple[pd.DataFrame, np.ndarray]:
    """Canonical-dtype transactions and the dense customer code of every row.

    ``ids``: ``"string"`` (``C0000000``-style text, pandas' pyarrow-backed ``str``), ``"int"``
    (the same numbers as int64) or ``"sparse"`` (int64 ids spread over 1e9 values).
    """
    rng = np.random.default_rng(seed)
    # purchases per customer: 1 + gamma-Poisson (negative binomial, a long right tail),
    # scaled to n_rows in total; rows in random (time) order, as a real export comes
    extra = rng.poisson(rng.gamma(0.8, 1.0, n_customers))
    extra = np.floor(extra * ((n_rows - n_customers) / max(extra.sum(), 1))).astype(np.int64)
    np.add.at(extra, rng.integers(0, n_customers, n_rows - n_customers - extra.sum()), 1)  # exactly n_rows
    idx = np.repeat(np.arange(n_customers), 1 + extra)
    rng.shuffle(idx)
    if ids == "string":
        width = len(str(n_customers))
        uniques = pa.array(np.char.add("C", np.char.zfill(np.arange(n_customers).astype(str), width)).astype(object))
        customer = pd.Series(pd.array(uniques.take(pa.array(idx)), dtype="str"))
    elif ids == "int":
        customer = pd.Series(idx)
    elif ids == "sparse":
        spread = np.sort(rng.choice(10**9, n_customers, replace=False)) + 10**9  # sorted: code order = id order
        customer = pd.Series(spread[idx])
    else:
        raise ValueError(ids)
    start = np.datetime64("2024-01-01", "ns").astype(np.int64)
    ns = start + rng.integers(0, 730 * DAY, n_rows)
    df = pd.DataFrame({
        "customer_id": customer,
        "timestamp": pd.Series(ns.view("datetime64[ns]")),
        "amount": np.round(rng.gamma(2.0, 1500.0, n_rows), 2),
    })
    return df, idx


# ----------------------------------------------------------------------------- contenders
def numpy_floor(codes: np.ndarray, n_customers: int, ns: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Daily summary on already-dense customer codes: the least work (no ids, no checks).

    Returns a ``(n_customers, 4)`` array in code order.
    """
    day = ns // DAY
    lo = int(day.min())
    span = int(day.max()) - lo + 1
    ktype = np.int32 if n_customers * span < 2**31 else np.int64
    offset = np.subtract(day, lo, dtype=ktype, casting="unsafe")
    del day
    key = np.multiply(codes, span, dtype=ktype, casting="unsafe")
    key += offset
    key.sort()
    distinct = np.empty(len(key), dtype=bool)
    distinct[0] = True
    np.not_equal(key[1:], key[:-1], out=distinct[1:])
    cust, d = np.divmod(key[distinct], ktype(span))
    del key, distinct
    count = np.bincount(cust, minlength=n_customers)
    end = np.cumsum(count)
    first = d[end - count]
    last = d[end - 1]
    repeat = np.bincount(codes, weights=np.where(offset == first[codes], 0.0, amount), minlength=n_customers)
    freq = count - 1
    out = np.empty((n_customers, 4))
    out[:, 0] = freq
    out[:, 1] = last - first
    out[:, 2] = span - 1 - first
    out[:, 3] = np.where(freq > 0, repeat / np.maximum(freq, 1), 0.0)
    return out


def pandas_idiomatic(df: pd.DataFrame) -> pd.DataFrame:
    """What an analyst writes: day totals per customer, then first/last/count per customer."""
    daily = (df.groupby(["customer_id", df["timestamp"].dt.floor("D").rename("day")])["amount"].sum()
             .reset_index())  # sorted by customer, then day
    g = daily.groupby("customer_id")
    per = g.agg(first=("day", "min"), last=("day", "max"), n=("day", "size"), total=("amount", "sum"),
                first_amount=("amount", "first"))
    end = df["timestamp"].max().floor("D")
    freq = per["n"] - 1
    return pd.DataFrame({
        "frequency": freq.astype(float),
        "recency": (per["last"] - per["first"]).dt.days.astype(float),
        "T": (end - per["first"]).dt.days.astype(float),
        "monetary_value": np.where(freq > 0, (per["total"] - per["first_amount"]) / freq.clip(lower=1), 0.0),
    }, index=per.index)


DUCKDB_SQL = """
with daily as (
    select customer_id, date_trunc('day', "timestamp") as day, sum(amount) as amt
    from tx group by all),
per as (
    select customer_id, min(day) as first_day, max(day) as last_day, count(*) as n,
           sum(amt) as total, arg_min(amt, day) as first_amt
    from daily group by all)
select customer_id,
       (n - 1)::double as frequency,
       datediff('day', first_day, last_day)::double as recency,
       datediff('day', first_day, (select max(date_trunc('day', "timestamp")) from tx))::double as "T",
       case when n > 1 then (total - first_amt) / (n - 1) else 0 end as monetary_value
from per order by customer_id
"""


def duckdb_runner(df: pd.DataFrame):
    import duckdb

    con = duckdb.connect()
    con.register("tx", df)
    return lambda: con.execute(DUCKDB_SQL).df().set_index("customer_id")


def polars_runner(df: pd.DataFrame):
    import polars as pl

    tx = pl.from_pandas(df)

    def run():
        daily = (tx.group_by("customer_id", pl.col("timestamp").dt.truncate("1d").alias("day"))
                 .agg(pl.col("amount").sum()))
        end = tx.select(pl.col("timestamp").max().dt.truncate("1d")).item()
        per = daily.group_by("customer_id").agg(
            first=pl.col("day").min(), last=pl.col("day").max(), n=pl.len(), total=pl.col("amount").sum(),
            first_amt=pl.col("amount").sort_by("day").first())
        return (per.select(
            "customer_id",
            frequency=(pl.col("n") - 1).cast(pl.Float64),
            recency=(pl.col("last") - pl.col("first")).dt.total_days().cast(pl.Float64),
            T=(pl.lit(end) - pl.col("first")).dt.total_days().cast(pl.Float64),
            monetary_value=pl.when(pl.col("n") > 1)
            .then((pl.col("total") - pl.col("first_amt")) / (pl.col("n") - 1)).otherwise(0.0))
            .sort("customer_id"))
    return run


def lifetimes_runner(df: pd.DataFrame):
    from lifetimes.utils import summary_data_from_transaction_data

    return lambda: summary_data_from_transaction_data(df, "customer_id", "timestamp", monetary_value_col="amount")


def build(name: str, df: pd.DataFrame, codes: np.ndarray, n_customers: int):
    """The zero-argument callable timing one contender (preparation outside it)."""
    if name == "cxlab":
        return lambda: rfm_summary(df)
    if name == "numpy floor":
        dense = codes.copy()  # the codes a caller already has (category codes, a prepared key)
        ns = df["timestamp"].to_numpy().view(np.int64)
        amount = df["amount"].to_numpy()
        return lambda: numpy_floor(dense, n_customers, ns, amount)
    if name == "pandas":
        return lambda: pandas_idiomatic(df)
    if name == "duckdb":
        return duckdb_runner(df)
    if name == "polars":
        return polars_runner(df)
    if name == "lifetimes":
        return lifetimes_runner(df)
    raise ValueError(name)


def as_array(name: str, result) -> np.ndarray:
    """A contender's result as a ``(customers, 4)`` array in customer-code order."""
    if name == "numpy floor":
        return result
    if name == "polars":
        result = result.to_pandas().set_index("customer_id")
    frame = result[COLUMNS].sort_index()
    return frame.to_numpy(dtype=float)


# ----------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=None, help="transactions (default 10M; 1M with --short)")
    ap.add_argument("--customers", type=int, default=None, help="customers (default rows / 10)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--short", action="store_true", help="1M rows (also when CXLAB_BENCH_SHORT=1)")
    ap.add_argument("--ids", nargs="+", default=["string", "int", "sparse"], choices=["string", "int", "sparse"])
    ap.add_argument("--skip", nargs="*", default=[], choices=CONTENDERS, help="contenders to leave out")
    ap.add_argument("--memory", choices=["all", "cxlab", "none"], default="all",
                    help="peak memory of every contender, of cxlab only, or none (one subprocess run each)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    short = args.short or SHORT
    rows = args.rows or (1_000_000 if short else 10_000_000)
    customers = args.customers or rows // 10

    if args.child:  # one memory measurement in a fresh interpreter
        df, codes = make_transactions(rows, customers, args.ids[0])
        child_report(build(args.child, df, codes, customers))
        return

    print(f"RFM summary benchmark: {rows:,} transactions / {customers:,} customers "
          f"(load average {loadavg()}; 2-core shared machine: compare ratios)", flush=True)
    for ids in args.ids:
        t0 = time.perf_counter()
        df, codes = make_transactions(rows, customers, ids)
        print(f"\n== customer ids: {ids} ({df['customer_id'].dtype}); data made in {time.perf_counter() - t0:.1f} s; "
              f"load {loadavg()}", flush=True)
        names = [c for c in CONTENDERS if c not in args.skip]
        if ids == "sparse":  # informative: cxlab's hashing path against the floor only
            names = [c for c in names if c in ("cxlab", "numpy floor")]
        runners = {}
        for name in names:
            try:
                runners[name] = build(name, df, codes, customers)
            except ImportError as exc:
                print(f"  {name}: not installed ({exc})")
        best, results = time_side_by_side(runners, args.repeat, once={"lifetimes", "pandas"})
        # every contender agrees with cxlab (in customer-code order)
        # (ids are zero-padded / sorted by code, so sorted ids are in customer-code order)
        ref = as_array("cxlab", results["cxlab"])
        for name, res in results.items():
            np.testing.assert_allclose(as_array(name, res), ref, rtol=1e-9, atol=1e-6,
                                       err_msg=f"{name} disagrees with cxlab")
        del results
        mem_names = {"all": list(runners), "cxlab": ["cxlab"], "none": []}[args.memory]
        mem = memory_in_subprocesses(__file__, mem_names, ["--rows", str(rows), "--customers", str(customers),
                                                           "--ids", ids])
        t_cx = best["cxlab"][0]
        print(f"  {'contender':<13} {'wall s':>8} {'CPU s':>8} {'peak extra MB':>14} {'wall / cxlab':>13}")
        for name, (wall, cpu) in best.items():
            mb = mem.get(name, (float("nan"), ""))[0]
            print(f"  {name:<13} {wall:8.3f} {cpu:8.3f} {mb:14.0f} {wall / t_cx:13.2f}")
        wall_cx, cpu_cx = best["cxlab"]
        if "numpy floor" in best:
            wf, cf = best["numpy floor"]
            print(f"  cxlab / floor      = {wall_cx / wf:5.2f} wall, {cpu_cx / cf:5.2f} CPU   (target <= 1.5)")
        if "lifetimes" in best:
            wl, cl = best["lifetimes"]
            target = 20 if ids == "string" else 15
            print(f"  lifetimes / cxlab  = {wl / wall_cx:5.1f} wall, {cl / cpu_cx:5.1f} CPU   (target >= {target})")
        if "cxlab" in mem:
            print(f"  cxlab peak extra memory {mem['cxlab'][0]:.0f} MB (target <= 512 MB; {mem['cxlab'][1]})")
        print(f"  all results agree (rtol 1e-9); load average now {loadavg()}", flush=True)
        del df, codes, runners


if __name__ == "__main__":
    main()
