"""Explorer latency: median response per control change at 1 million rows, figure redrawn.

Run:  .venv/bin/python benchmarks/bench_widgets.py [--rows 1000000] [--changes 3]

Measured the way a user feels it: EVERY control of each explorer is changed in turn
(group-by, period, minimum base, interval method, cut-offs; features, method, number of
segments; discount, horizon, P(alive) threshold), ``--changes`` times round, and each
change includes the recomputation and the re-rendered PNG of the figure (the explorers
redraw synchronously when no event loop runs, so the time of ``control.value = ...``
is the whole response). Target: median ≤ 50 ms per change.

* NPS explorer: 1M synthetic survey responses (7 channels, 2 years).
* Segment explorer: the per-customer features of 1M synthetic transactions.
* CLV what-if: the RFM summary of the same 1M transactions (BG/NBD and Gamma-Gamma fitted).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_nps import synthetic as synthetic_survey  # noqa: E402


def synthetic_transactions(n: int, seed: int = 0) -> pd.DataFrame:
    """About ``n`` purchases of n/10 customers over two years, with customers who stop buying.

    Each customer starts on a random day, stays active for an exponential lifetime and buys
    at a gamma-distributed rate while active (a BG/NBD-like process), so the CLV models fit.
    """
    rng = np.random.default_rng(seed)
    n_customers = max(100, n // 10)
    first = rng.uniform(0, 600, n_customers)
    end = np.minimum(first + rng.exponential(250.0, n_customers), 730.0)
    rate = rng.gamma(0.8, 1.0, n_customers)
    rate *= (n - n_customers) / (rate * (end - first)).sum()
    count = 1 + rng.poisson(rate * (end - first))
    customer = np.repeat(np.arange(n_customers), count)
    starts = np.cumsum(count) - count
    day = first[customer] + rng.uniform(0, 1, len(customer)) * (end - first)[customer]
    day[starts] = first  # the first purchase opens the customer's history
    spend = rng.gamma(3.0, 1.0, n_customers)
    stamp = np.datetime64("2024-01-01", "s").astype(np.int64) + (day * 86400).astype(np.int64)
    return pd.DataFrame({
        "customer_id": pd.Series(customer).map(lambda i: f"C{i:07d}"),
        "timestamp": stamp.astype("datetime64[s]").astype("datetime64[ns]"),
        "amount": np.round(rng.gamma(2.0, 900.0, len(customer)) * spend[customer] / 3.0, 2) + 50.0,
        "category": pd.Categorical.from_codes(rng.integers(0, 6, len(customer)),
                                              ["wine", "spirits", "cheese", "delicatessen", "accessories", "gifts"]),
        "channel": pd.Categorical.from_codes(rng.integers(0, 3, len(customer)), ["store", "web", "phone"]),
    })


def _time_changes(widget, plan) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU time of each change (CPU time: what the change costs on an idle core)."""
    wall, cpu = [], []
    for name, value in plan:
        control = widget.controls[name]
        t, c = time.perf_counter(), time.process_time()
        control.value = value
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def nps_plan(w, rounds: int) -> list:
    c = w.controls
    months = list(c["period"].options)
    plan = []
    for r in range(rounds):
        plan += [
            ("group_by", "(all responses)"), ("group_by", "channel"),
            ("period", (months[r + 1], months[-1 - r])), ("period", (months[0], months[-1])),
            ("min_base", 100 + 10 * r), ("min_base", 30),
            ("ci", "wald"), ("ci", "bootstrap"), ("ci", "adjusted_wald"),
            ("detractor_max", 5), ("detractor_max", 6),
            ("promoter_min", 8), ("promoter_min", 9),
        ]
    return plan


def segments_plan(w, rounds: int) -> list:
    options = list(w.controls["features"].options)
    start = tuple(w.controls["features"].value)
    plan = []
    for r in range(rounds):
        fewer = tuple(f for f in start if f != start[r % len(start)])
        plan += [("k", 4 + r % 3), ("k", 5), ("method", "gmm"), ("method", "kmeans"),
                 ("features", fewer), ("features", start if r % 2 else tuple(options[:6]))]
    return plan


def clv_plan(w, rounds: int) -> list:
    plan = []
    for r in range(rounds):
        plan += [("discount", 0.2 + 0.01 * r), ("discount", 0.1), ("horizon", 24 - r), ("horizon", 12),
                 ("threshold", 0.3), ("threshold", 0.5)]
    return plan


def report(name: str, build: float, times: tuple[list[float], list[float]]) -> float:
    wall, cpu = (np.array(x) * 1000 for x in times)
    med = float(np.median(wall))
    print(f"  {name}\n    build {build:6.2f} s, {len(wall)} changes: median {med:7.1f} ms wall "
          f"({np.median(cpu):6.1f} ms CPU), p90 {np.percentile(wall, 90):7.1f} ms, max {wall.max():7.1f} ms  "
          f"{'OK' if med <= 50 else 'MISSED'} (target ≤ 50 ms)", flush=True)
    return med


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=3, help="rounds over every control")
    args = parser.parse_args()
    from cxlab import clv, segmentation
    from cxlab.widgets.clv import clv_what_if
    from cxlab.widgets.nps import nps_explorer
    from cxlab.widgets.segments import segment_explorer

    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"Explorer response per control change, {args.rows:,} rows, every control changed in turn, "
          f"figure redrawn (load average at start: {load}; CPU time is what a change costs on an idle core):")
    survey = synthetic_survey(args.rows, seed=1)
    t = time.perf_counter()
    w = nps_explorer(survey, groups=["channel"])
    build = time.perf_counter() - t
    report("NPS explorer", build, _time_changes(w, nps_plan(w, args.changes)))

    tx = synthetic_transactions(args.rows)
    print(f"  ({len(tx):,} synthetic transactions for the segment and CLV explorers)")
    end = tx["timestamp"].max().normalize() + pd.Timedelta(days=1)
    features = segmentation.customer_features(tx, observation_end=end)
    t = time.perf_counter()
    w = segment_explorer(features)
    build = time.perf_counter() - t
    report(f"segments ({len(features):,} customers)", build, _time_changes(w, segments_plan(w, args.changes)))

    summary = segmentation.rfm_summary(tx, observation_end=end)
    bg = clv.fit_bgnbd(summary)
    gg = clv.fit_gamma_gamma(summary)
    t = time.perf_counter()
    w = clv_what_if(summary, model=bg, spend_model=gg, max_horizon=36, horizon=12)
    build = time.perf_counter() - t
    report(f"CLV what-if ({len(summary):,} customers)", build, _time_changes(w, clv_plan(w, args.changes)))


if __name__ == "__main__":
    main()
