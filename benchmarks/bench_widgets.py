"""Explorer latency: response per control change at 1 million rows, figure redrawn; import times.

Run:  .venv/bin/python benchmarks/bench_widgets.py [--rows 1000000] [--changes 3] [--only nps,segments,...]

Measured the way a user feels it: EVERY control of each explorer is changed in turn
(group-by, period, minimum base, interval method, cut-offs; features, method, number of
segments; discount, horizon, P(alive) threshold; identity threshold, review buttons),
``--changes`` times round, and each change includes the recomputation and the PNG of the
figure as the user sees it (the explorers redraw synchronously when no event loop runs, so
the time of ``control.value = ...`` is the whole response). Per control: median and p90 of
wall time and of CPU time (``time.process_time``; on a shared machine wall time includes
waiting for a core), and the ratio to the 50 ms target.

* NPS explorer: 1M synthetic survey responses (7 channels, 2 years).
* Segment explorer: the per-customer features of 1M synthetic transactions (100k customers,
  a 5,000-customer sample clustered). Two ways: "cold" (nothing fitted ahead: each new
  setting is fitted when chosen) and "warm" (the explorer's worker process has fitted
  the likely next settings while the user looked at the figure: we wait until it is idle
  before each change, untimed).
* CLV what-if: the RFM summary of the same 1M transactions (BG/NBD and Gamma-Gamma fitted).
* Identity: the threshold explorer on a threshold-sensitivity table (11 thresholds x 7
  channels: its size does not depend on the number of records), and the review widget's
  buttons on a 1M-record identity result.
* ``import cxlab`` and ``import cxlab.nps`` in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _explorer_timing import import_times, load, report, time_changes  # noqa: E402
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


def identity_inputs(n_records: int, seed: int = 0):
    """A 1M-record identity result (records, review pairs) and a threshold-sensitivity table."""
    from cxlab.identity.resolve import IdentityResult

    rng = np.random.default_rng(seed)
    ids = np.char.add("r", np.arange(n_records).astype(str))
    person = rng.integers(0, n_records // 3, n_records)
    records = pd.DataFrame({"record_id": ids, "person_id": np.char.add("p", person.astype(str)),
                            "source": "interactions", "channel": rng.choice(["store", "web", "phone", "chat"], n_records),
                            "timestamp": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, n_records), "D"),
                            "name": "Анна Петрова", "email": "anna@example.org", "phone": "+79120000000"})
    pairs = rng.integers(0, n_records, (500, 2))
    review = pd.DataFrame({"record_id_l": ids[pairs[:, 0]], "record_id_r": ids[pairs[:, 1]],
                           "match_probability": np.sort(rng.uniform(0.5, 0.9, 500))[::-1]})
    empty = pd.DataFrame()
    result = IdentityResult(records=records, links=pd.DataFrame({"rule": []}), candidates=empty, flagged=empty,
                            broken=empty, review=review)
    thresholds = np.round(np.linspace(0.5, 0.99, 11), 3)
    chans = ["store", "web", "phone", "chat", "email", "social", "messenger"]
    rows = []
    for i, t in enumerate(thresholds):
        for j, ch in enumerate(chans):
            est = 20 - 5 * j + i
            rows.append((t, 300_000 + 5_000 * i, ch, 20_000 + 10 * i, est, est - 3.0, est + 3.0))
    sens = pd.DataFrame(rows, columns=["threshold", "persons", "channel", "n", "estimate", "ci_low", "ci_high"])
    return result, sens


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=3, help="rounds over every control")
    parser.add_argument("--only", default="imports,nps,segments,clv,identity")
    parser.add_argument("--think", type=float, default=20.0, help="seconds a user looks before the next change")
    args = parser.parse_args()
    only = set(args.only.split(","))
    from cxlab import clv, segmentation
    from cxlab.widgets.clv import clv_what_if
    from cxlab.widgets.identity import review_widget, threshold_explorer
    from cxlab.widgets.nps import nps_explorer
    from cxlab.widgets.segments import segment_explorer

    print(f"Explorer response per control change, {args.rows:,} rows, every control changed in turn, "
          f"figure redrawn (load average at start: {load()} on {os.cpu_count()} cores):")
    if "imports" in only:
        import_times()
    if "nps" in only:
        survey = synthetic_survey(args.rows, seed=1)
        t = time.perf_counter()
        w = nps_explorer(survey, groups=["channel"])
        build = time.perf_counter() - t
        report(f"NPS explorer ({len(survey):,} responses; built in {build:.1f} s)",
               time_changes(w, nps_plan(w, args.changes)))
        del survey, w

    if {"segments", "clv"} & only:
        tx = synthetic_transactions(args.rows)
        print(f"  ({len(tx):,} synthetic transactions for the segment and CLV explorers)")
        end = tx["timestamp"].max().normalize() + pd.Timedelta(days=1)
    if "segments" in only:
        features = segmentation.customer_features(tx, observation_end=end)
        t = time.perf_counter()
        w = segment_explorer(features, precompute=False)
        build = time.perf_counter() - t
        report(f"segments, cold ({len(features):,} customers, 5,000 clustered; built in {build:.1f} s)",
               time_changes(w, segments_plan(w, args.changes)),
               note="nothing fitted ahead: every new setting is fitted when chosen")
        w = segment_explorer(features, precompute=True)
        w.prefetch()  # what a user's first change starts
        ready = []

        def pause(name, value, think=args.think):
            # a user looks at the figure for up to `think` seconds before the next change; the
            # background thread fits meanwhile (untimed). Counted: was the next setting ready?
            c = w.controls
            key = (tuple(value if name == "features" else c["features"].value),
                   value if name == "method" else c["method"].value, int(value if name == "k" else c["k"].value))
            deadline = time.perf_counter() + think
            while key not in w._fits._done and time.perf_counter() < deadline:
                time.sleep(0.05)
            ready.append(key in w._fits._done)

        # CPU of the thread that answers the change (the background fits run beside it)
        results = time_changes(w, segments_plan(w, args.changes), before=pause, cpu_clock=time.thread_time)
        report(f"segments, warm (a pause of up to {args.think:.0f} s before each change; the next setting "
               f"was already fitted for {sum(ready)} of {len(ready)} changes)", results,
               note="fits made ahead in the background while the user looks; CPU = the answering thread")
        w.close()
    if "clv" in only:
        summary = segmentation.rfm_summary(tx, observation_end=end)
        bg = clv.fit_bgnbd(summary)
        gg = clv.fit_gamma_gamma(summary)
        t = time.perf_counter()
        w = clv_what_if(summary, model=bg, spend_model=gg, max_horizon=36, horizon=12)
        build = time.perf_counter() - t
        report(f"CLV what-if ({len(summary):,} customers; built in {build:.1f} s)",
               time_changes(w, clv_plan(w, args.changes)))
    if "identity" in only:
        result, sens = identity_inputs(args.rows)
        w = threshold_explorer(sens)
        values = [v for _, v in w.slider.options]
        plan = [("threshold", v) for _ in range(args.changes) for v in values[1:] + values[:1]]
        report("identity threshold explorer (11 thresholds x 7 channels)", time_changes(w, plan))
        t, c = time.perf_counter(), time.process_time()
        box = review_widget(result, path=Path(os.environ.get("TMPDIR", "/tmp")) / "bench_identity_decisions.csv")
        build, build_cpu = time.perf_counter() - t, time.process_time() - c
        clicks = {"skip": [[], []], "back": [[], []], "accept": [[], []], "reject": [[], []]}
        for _ in range(args.changes * 4):
            for name in clicks:
                t, c = time.perf_counter(), time.process_time()
                getattr(box, name).click()
                clicks[name][0].append(1000 * (time.perf_counter() - t))
                clicks[name][1].append(1000 * (time.process_time() - c))
        report(f"identity review widget ({len(result.records):,} records; built in {build:.1f} s wall, "
               f"{build_cpu:.1f} s CPU)", {k: tuple(v) for k, v in clicks.items()},
               note="accept/reject also write the decisions file")


if __name__ == "__main__":
    main()
