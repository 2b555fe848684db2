"""NPS table by channel x month: cxlab against a numpy floor, pandas, Polars and DuckDB.

Usage::

    .venv/bin/python benchmarks/bench_nps.py            # 10M responses
    .venv/bin/python benchmarks/bench_nps.py --short    # 1M (also CXLAB_BENCH_SHORT=1)

Synthetic responses (channel as a category, submission time, a nullable 0-10 score with 1%
missing), measured side by side in one process (interleaved rounds, best of ``--repeat``):

* ``cxlab categories``: ``nps_table(df, by=["channel", "month"])`` with the month made once,
  on load, as a category (what ``cxlab.io`` does with group columns): the whole table with
  shares, intervals and base flags;
* ``numpy floor``: a hand-written ``np.bincount`` over the category codes and the score:
  the least work for the counts (the floor of issue 15, target cxlab <= 1.2x);
* ``cxlab period``: ``nps_table(df, by="channel", period="M")``: the month taken from the
  timestamps inside the call (the canonical table has no month column);
* ``numpy floor ts``: the same counting with the month from the timestamps (day number,
  then a month lookup table per day: cheaper than numpy's ``datetime64[M]`` cast);
* ``pandas``: the idiomatic flags + ``groupby().agg`` on the month category; ``pandas ts``:
  the same with ``dt.to_period("M")``;
* ``polars`` / ``duckdb``: their native group-by on the timestamps (Polars frame converted
  before the clock starts; both engines use every core, so compare CPU times too);
* ``cxlab on polars`` / ``cxlab on duckdb``: ``nps_table`` given the same Polars frame (lazy)
  or DuckDB relation: the counts are made by that engine through :mod:`cxlab.engine`, then the
  intervals on the small table (issue 15 target: within 1.5x of the engine's own group-by).

Every contender's (channel, month, n, NPS) is asserted equal to cxlab's. Peak extra memory
of each comes from one run in a fresh subprocess (``benchmarks/_measure.py``). The widget
latency benchmark lives in ``bench_widgets.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import SHORT, child_report, loadavg, memory_in_subprocesses, time_side_by_side  # noqa: E402

from cxlab import nps  # noqa: E402
from cxlab.schema import CHANNELS  # noqa: E402

DAY = 86_400_000_000_000
CONTENDERS = ["cxlab categories", "numpy floor", "cxlab period", "numpy floor ts", "pandas", "pandas ts",
              "polars", "cxlab on polars", "duckdb", "cxlab on duckdb"]


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64)
    seconds = rng.integers(0, 731 * 86400, n)
    scores = rng.choice(11, size=n, p=np.r_[np.full(7, 0.03), 0.12, 0.2, 0.25, 0.22]).astype(np.int8)
    mask = rng.random(n) < 0.01
    df = pd.DataFrame({
        "channel": pd.Categorical.from_codes(rng.integers(0, len(CHANNELS), n), categories=list(CHANNELS)),
        "submitted_at": (start + seconds).astype("datetime64[s]").astype("datetime64[ns]"),
        "likelihood_to_recommend": pd.arrays.IntegerArray(scores, mask),
    })
    # group columns become categories once, on load (as cxlab.io does): here the month
    df["month"] = df["submitted_at"].dt.to_period("M").astype("category")
    return df


# ----------------------------------------------------------------------------- contenders
def _nps_of_counts(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cell index, n, NPS) of the non-empty cells of a ``(cells, 12)`` count table."""
    scored = counts[:, :11]
    n = scored.sum(axis=1)
    keep = np.flatnonzero(n)
    pro = scored[keep, 9:].sum(axis=1)
    det = scored[keep, :7].sum(axis=1)
    return keep, n[keep], (pro - det) / n[keep] * 100


def numpy_floor(df: pd.DataFrame):
    """Channel codes x month codes x score slot (11 = missing), one bincount, NPS per cell."""
    ch = df["channel"].cat.codes.to_numpy()
    month = df["month"].cat.codes.to_numpy()
    n_month = len(df["month"].cat.categories)
    score = df["likelihood_to_recommend"].to_numpy(dtype=np.int16, na_value=11)
    cell = (ch.astype(np.intp) * n_month + month) * 12 + score
    counts = np.bincount(cell, minlength=len(CHANNELS) * n_month * 12).reshape(-1, 12)
    keep, n, value = _nps_of_counts(counts)
    labels = df["month"].cat.categories.astype(str)
    return np.asarray(CHANNELS)[keep // n_month], np.asarray(labels)[keep % n_month], n, value


def numpy_floor_ts(df: pd.DataFrame):
    """The same with the month from the timestamps: day numbers, a month table per day, a gather."""
    ch = df["channel"].cat.codes.to_numpy()
    days = df["submitted_at"].to_numpy().view(np.int64) // DAY
    d0, d1 = int(days.min()), int(days.max())
    month_of_day = np.arange(d0, d1 + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    m0 = int(month_of_day[0])
    n_month = int(month_of_day[-1]) - m0 + 1
    days -= d0
    month = (month_of_day - m0)[days]
    score = df["likelihood_to_recommend"].to_numpy(dtype=np.int16, na_value=11)
    cell = (ch.astype(np.intp) * n_month + month) * 12 + score
    counts = np.bincount(cell, minlength=len(CHANNELS) * n_month * 12).reshape(-1, 12)
    keep, n, value = _nps_of_counts(counts)
    labels = (np.arange(n_month) + m0).astype("datetime64[M]").astype(str)
    return np.asarray(CHANNELS)[keep // n_month], labels[keep % n_month], n, value


def pandas_idiomatic(df: pd.DataFrame, month: str = "month") -> pd.DataFrame:
    d = df.dropna(subset=["likelihood_to_recommend"])
    if month == "ts":
        d = d.assign(month=d["submitted_at"].dt.to_period("M"))
    d = d.assign(promoter=lambda x: x["likelihood_to_recommend"] >= 9,
                 detractor=lambda x: x["likelihood_to_recommend"] <= 6)
    g = d.groupby(["channel", "month"], observed=True).agg(
        n=("likelihood_to_recommend", "size"), promoters=("promoter", "mean"), detractors=("detractor", "mean"))
    g["nps"] = (g["promoters"] - g["detractors"]) * 100
    return g.reset_index()


def polars_runner(df: pd.DataFrame):
    import polars as pl

    frame = pl.from_pandas(df.drop(columns="month"))

    def run():
        return (frame.drop_nulls("likelihood_to_recommend")
                .group_by(pl.col("channel"), pl.col("submitted_at").dt.truncate("1mo").alias("month"))
                .agg(n=pl.len(), pro=(pl.col("likelihood_to_recommend") >= 9).mean(),
                     det=(pl.col("likelihood_to_recommend") <= 6).mean())
                .with_columns(nps=(pl.col("pro") - pl.col("det")) * 100))
    return run


def duckdb_runner(df: pd.DataFrame):
    import duckdb

    con = duckdb.connect()
    con.register("df", df.drop(columns="month"))
    sql = """select channel, date_trunc('month', submitted_at) as month, count(*) as n,
             100 * (avg((likelihood_to_recommend >= 9)::int) - avg((likelihood_to_recommend <= 6)::int)) as nps
             from df where likelihood_to_recommend is not null group by all"""
    return lambda: con.execute(sql).df()


def engine_input(name: str, df: pd.DataFrame):
    """The same responses as a lazy Polars frame or a DuckDB relation (made before the clock starts)."""
    if name == "cxlab on polars":
        import polars as pl

        frame = pl.from_pandas(df.drop(columns="month")).lazy()
    else:
        import duckdb

        con = duckdb.connect()
        con.register("df", df.drop(columns="month"))
        frame = con.sql("select * from df")
    return lambda: nps.nps_table(frame, by="channel", period="M", progress=False)


def build(name: str, df: pd.DataFrame):
    if name in ("cxlab on polars", "cxlab on duckdb"):
        return engine_input(name, df)
    if name == "cxlab categories":
        return lambda: nps.nps_table(df, by=["channel", "month"], progress=False)
    if name == "cxlab period":
        return lambda: nps.nps_table(df, by="channel", period="M", progress=False)
    if name == "numpy floor":
        return lambda: numpy_floor(df)
    if name == "numpy floor ts":
        return lambda: numpy_floor_ts(df)
    if name == "pandas":
        return lambda: pandas_idiomatic(df)
    if name == "pandas ts":
        return lambda: pandas_idiomatic(df, "ts")
    if name == "polars":
        return polars_runner(df)
    if name == "duckdb":
        return duckdb_runner(df)
    raise ValueError(name)


def tidy(name: str, result) -> pd.DataFrame:
    """(channel, month 'YYYY-MM', n, nps) sorted, from any contender's result."""
    if name.startswith("numpy"):
        ch, month, n, value = result
        out = pd.DataFrame({"channel": ch, "month": month, "n": n, "nps": value})
    elif name.startswith("cxlab"):
        key = "month" if "month" in result.columns else "period"
        out = pd.DataFrame({"channel": result["channel"].astype(str), "month": result[key].astype(str),
                            "n": result["n"], "nps": result["estimate"]})
    elif name == "polars":
        out = result.to_pandas()
    else:
        out = result
    if name in ("polars", "duckdb"):
        out = out.assign(month=pd.to_datetime(out["month"]).dt.strftime("%Y-%m"))
    out = out.assign(channel=out["channel"].astype(str), month=out["month"].astype(str))
    return out[["channel", "month", "n", "nps"]].sort_values(["channel", "month"]).reset_index(drop=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=None, help="responses (default 10M; 1M with --short)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--short", action="store_true", help="1M rows (also when CXLAB_BENCH_SHORT=1)")
    ap.add_argument("--skip", nargs="*", default=[], choices=CONTENDERS)
    ap.add_argument("--memory", choices=["all", "cxlab", "none"], default="all")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    rows = args.rows or (1_000_000 if (args.short or SHORT) else 10_000_000)

    if args.child:
        child_report(build(args.child, synthetic(rows)))
        return

    t0 = time.perf_counter()
    df = synthetic(rows)
    print(f"NPS table by channel x month: {rows:,} responses, made in {time.perf_counter() - t0:.1f} s "
          f"(load average {loadavg()}; 2-core shared machine: compare ratios)", flush=True)
    runners = {}
    for name in CONTENDERS:
        if name in args.skip:
            continue
        try:
            runners[name] = build(name, df)
        except ImportError as exc:
            print(f"  {name}: not installed ({exc})")
    best, results = time_side_by_side(runners, args.repeat)
    ref = tidy("cxlab categories", results["cxlab categories"])
    for name, res in results.items():
        got = tidy(name, res)
        pd.testing.assert_frame_equal(got[["channel", "month"]], ref[["channel", "month"]], obj=name)
        np.testing.assert_array_equal(got["n"].to_numpy(), ref["n"].to_numpy(), err_msg=name)
        np.testing.assert_allclose(got["nps"].to_numpy(), ref["nps"].to_numpy(), rtol=1e-9, atol=1e-9,
                                   err_msg=name)
    del results
    mem_names = {"all": list(runners), "cxlab": [n for n in runners if n.startswith("cxlab")],
                 "none": []}[args.memory]
    mem = memory_in_subprocesses(__file__, mem_names, ["--rows", str(rows)])
    t_ref = best["numpy floor"][0] if "numpy floor" in best else best["cxlab categories"][0]
    print(f"  {len(ref)} cells; best of {args.repeat}")
    print(f"  {'contender':<17} {'wall s':>8} {'CPU s':>8} {'peak extra MB':>14} {'wall / floor':>13}")
    for name, (wall, cpu) in best.items():
        mb = mem.get(name, (float("nan"), ""))[0]
        print(f"  {name:<17} {wall:8.3f} {cpu:8.3f} {mb:14.0f} {wall / t_ref:13.2f}")

    def ratio(a: str, b: str, target: str = "") -> None:
        if a in best and b in best:
            print(f"  {a} / {b} = {best[a][0] / best[b][0]:5.2f} wall, {best[a][1] / best[b][1]:5.2f} CPU {target}")

    ratio("cxlab categories", "numpy floor", "(target <= 1.2)")
    ratio("cxlab period", "numpy floor ts", "(target <= 1.2)")
    ratio("pandas", "cxlab categories")
    ratio("pandas ts", "cxlab period")
    ratio("polars", "cxlab period")
    ratio("duckdb", "cxlab period")
    ratio("cxlab on polars", "polars", "(target <= 1.5: the engine's own group-by)")
    ratio("cxlab on duckdb", "duckdb", "(target <= 1.5: the engine's own group-by)")
    if mem:
        print(f"  memory: {next(iter(mem.values()))[1]} in a fresh subprocess per contender")
    print(f"  all results agree (n exact, NPS rtol 1e-9); load average now {loadavg()}", flush=True)


if __name__ == "__main__":
    main()
