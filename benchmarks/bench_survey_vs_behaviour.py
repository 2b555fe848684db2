"""Say–do benchmarks: the explorer widget at 1 million customers, and the behaviour windows.

Run:  .venv/bin/python benchmarks/bench_survey_vs_behaviour.py [--customers 1000000] [--tx-customers 200000]

1. Explorer latency the way a user feels it: a pre-computed cube of 1 million linked responses
   (three pairs, three windows, eleven segments); EVERY option of EVERY control is selected in turn
   (pair, then segment, then window), each change recomputing the table and statistics and
   redrawing the PNG. Reports, per control, the median and p90 of wall and CPU time and the
   ratio to the target (median ≤ 50 ms).
2. ``behaviour_around`` (searchsorted windows on sorted customer/time keys) on synthetic
   transactions, against the per-response loop a user would write with pandas boolean masks
   (measured on a sample and scaled, it is too slow to run in full).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxlab import survey_vs_behaviour as svb

sys.path.insert(0, str(Path(__file__).resolve().parent))

SEGMENTS = ["about to sleep", "at risk", "can't lose", "champions", "hibernating", "lost", "loyal",
            "need attention", "new", "potential loyalists", "promising"]


def synthetic_cube(n: int, seed: int = 0) -> svb.SayDoCube:
    rng = np.random.default_rng(seed)
    levels = {"price tier": ["budget", "mid", "premium"],
              "purchase frequency": ["less_than_quarterly", "quarterly", "monthly", "weekly"],
              "favourite category": ["accessories", "cheese", "delicatessen", "gifts", "spirits", "wine"]}
    windows = [90, 180, 365]
    cols = {}
    for label, lv in levels.items():
        k = len(lv)
        actual = rng.integers(0, k, n)
        over = (rng.random(n) < 0.25) & (actual < k - 1)
        stated = actual + over
        stated[rng.random(n) < 0.02] = -1
        cols[f"stated|{label}"] = stated.astype(np.int8)
        for w in windows:
            a = actual.copy()
            flip = rng.random(n) < 0.1 * 365 / w
            a[flip] = rng.integers(0, k, int(flip.sum()))
            a[rng.random(n) < 0.03] = -1
            cols[f"actual|{label}|{w}"] = a.astype(np.int8)
    cols["segment"] = rng.integers(0, len(SEGMENTS), n).astype(np.int16)
    ordered = {k: k != "favourite category" for k in levels}
    return svb.SayDoCube(codes=pd.DataFrame(cols), levels=levels, ordered=ordered, segments=SEGMENTS, windows=windows)


def bench_widget(n: int, rounds: int = 2) -> None:
    from _explorer_timing import report, time_changes
    from cxlab.widgets.survey_vs_behaviour import say_do_explorer

    cube = synthetic_cube(n)
    t = time.perf_counter()
    w = say_do_explorer(cube)
    build = time.perf_counter() - t
    for _ in range(2):  # warm-up (fonts, statsmodels imports)
        w.controls["pair"].value = cube.pairs[1]
        w.controls["pair"].value = cube.pairs[0]
    plan = []
    for _ in range(rounds):
        plan += [("pair", p) for p in cube.pairs[1:] + cube.pairs[:1]]
        plan += [("segment", s) for s in SEGMENTS + ["all"]]
        plan += [("window", v) for v in [90, 180, 365]]
    report(f"say-do explorer, {n:,} linked responses (every option of every control, {rounds} rounds; "
           f"built in {build:.1f} s)", time_changes(w, plan))
    # the split: statistics only (no drawing)
    t, c = time.perf_counter(), time.process_time()
    for v in SEGMENTS:
        svb.cube_agreement(cube, "price tier", window=365, segment=v)
    print(f"    of which statistics only: {(time.perf_counter() - t) / len(SEGMENTS) * 1000:.1f} ms wall, "
          f"{(time.process_time() - c) / len(SEGMENTS) * 1000:.1f} ms CPU per change")


def synthetic_transactions(n_customers: int, per_customer: float = 10, seed: int = 1):
    rng = np.random.default_rng(seed)
    k = rng.poisson(per_customer, n_customers) + 1
    cust = np.repeat(np.arange(n_customers), k)
    start = np.datetime64("2024-01-01", "s").astype(np.int64)
    t = start + rng.integers(0, 730 * 86400, cust.size)
    ids = pd.Series(cust).map(lambda i: f"{i:07d}") if n_customers <= 50_000 else pd.Series(
        np.char.zfill(cust.astype(str), 7))
    tx = pd.DataFrame({"customer_id": ids.astype("string"),
                       "timestamp": pd.to_datetime(t, unit="s"),
                       "amount": rng.gamma(2, 1000, cust.size),
                       "price_tier": pd.Categorical.from_codes(rng.integers(0, 3, cust.size), ["budget", "mid", "premium"]),
                       "category": pd.Categorical.from_codes(rng.integers(0, 6, cust.size),
                                                             ["a", "b", "c", "d", "e", "f"])})
    resp = rng.choice(n_customers, n_customers // 2, replace=False)
    link = pd.DataFrame({"response_id": [f"R{i}" for i in range(resp.size)],
                         "customer_id": pd.Series(np.char.zfill(resp.astype(str), 7)).astype("string"),
                         "submitted_at": pd.to_datetime(start + 365 * 86400 + rng.integers(0, 300 * 86400, resp.size),
                                                        unit="s")})
    return tx, link


def naive(link: pd.DataFrame, tx: pd.DataFrame) -> np.ndarray:
    """What one would write by hand: a boolean mask per response over that customer's purchases."""
    groups = {c: g["timestamp"].to_numpy() for c, g in tx.groupby("customer_id", observed=True)}
    out = np.empty(len(link))
    for i, (c, t) in enumerate(zip(link["customer_id"], link["submitted_at"])):
        ts = groups.get(c, np.array([], dtype="datetime64[ns]"))
        t = np.datetime64(t)
        out[i] = ((ts >= t - np.timedelta64(365, "D")) & (ts < t)).sum()
    return out


def bench_behaviour(n_customers: int) -> None:
    tx, link = synthetic_transactions(n_customers)
    t = time.perf_counter()
    b = svb.behaviour_around(link, tx, before_days=365, after_days=90)
    fast = time.perf_counter() - t
    sample = link.sample(min(5_000, len(link)), random_state=0)
    t = time.perf_counter()
    ref = naive(sample, tx)
    slow = (time.perf_counter() - t) * len(link) / len(sample)
    got = b.set_index("response_id").loc[sample["response_id"], "purchases_before"].to_numpy()
    assert np.array_equal(got, ref), "behaviour_around disagrees with the hand-written loop"
    print(f"behaviour_around: {len(link):,} responses, {len(tx):,} purchases: {fast:.2f} s; "
          f"hand-written per-response loop ≈ {slow:.1f} s (scaled from {len(sample):,}); ratio {slow / fast:.0f}×; "
          f"counts identical on the sample")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--tx-customers", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--widget-only", action="store_true")
    args = ap.parse_args()
    bench_widget(args.customers, args.rounds)
    if not args.widget_only:
        bench_behaviour(args.tx_customers)


if __name__ == "__main__":
    main()
