"""Channel audit explorer: response time per control change at 1 million contacts.

Run:  .venv/bin/python benchmarks/bench_channels.py [--rows 1000000] [--rounds 3]

Builds 1 million survey answers and 1 million service contacts by resampling the demo
company's rows (with segment, region and age cohort), builds ``channel_audit_explorer``
once (the one pass over the rows: count cells per metric), then changes **every control in
turn** — each metric, each "adjust for" choice, the tolerance, the channel filter — and
times each change the way a user feels it: recompute from the cells, update the chart,
render the PNG. Per control: median and p90 of wall and CPU time, and the ratio to the
target (median ≤ 50 ms per change).

Also prints, for reference, the same gaps computed from the raw rows (what a callback
without pre-aggregation would have to do).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _explorer_timing import report, time_changes  # noqa: E402


def synthetic(rows: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    from cxlab.channels import respondent_context
    from cxlab.datasets import load_example

    demo = load_example()
    seg = demo.truth.customers.set_index("customer_id")["segment"]
    survey = respondent_context(demo.survey_responses, customers=demo.customers, segments=seg)
    rng = np.random.default_rng(seed)
    s = survey.iloc[rng.integers(0, len(survey), rows)].reset_index(drop=True)
    i = demo.interactions.iloc[rng.integers(0, len(demo.interactions), rows)].reset_index(drop=True)
    for frame in (s, i):
        frame["channel"] = frame["channel"].astype("category")
    for c in ("segment", "region", "age_cohort"):
        s[c] = s[c].astype("category")
    return s[["channel", "segment", "region", "age_cohort", "likelihood_to_recommend", "csat", "ces"]], \
        i[["channel", "csat", "resolved", "topic"]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    from cxlab.channels import flag_gaps, metric_cells, standardised_gaps
    from cxlab.widgets.channels import channel_audit_explorer

    t0 = time.perf_counter()
    survey, inter = synthetic(args.rows)
    print(f"synthetic data: {len(survey):,} survey answers + {len(inter):,} contacts "
          f"({time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    ex = channel_audit_explorer(survey, inter)
    print(f"explorer built (one pass over the rows, count cells of {len(ex.cells)} metrics, "
          f"{sum(len(c) for c in ex.cells.values()):,} cells): {time.perf_counter() - t0:.2f} s")

    channels = list(ex.controls["channels"].options)
    plan = []
    for _ in range(args.rounds):
        for metric in [v for _, v in ex.controls["metric"].options]:
            plan.append(("metric", metric))
            plan += [("adjust_for", adj) for _, adj in ex.controls["adjust_for"].options]
        plan += [("tolerance", tol) for tol in (0.1, 0.3, 0.5, 0.2)]
        plan += [("channels", tuple(c for j, c in enumerate(channels) if j != k)) for k in range(len(channels))]
        plan.append(("channels", tuple(channels)))
    print()
    report("channel audit explorer (recompute from cells + chart update + PNG), every control in turn",
           time_changes(ex, plan))

    # reference: the same adjusted NPS gaps from the raw rows
    t = time.perf_counter()
    cells = metric_cells(survey, "nps", strata=["segment", "region", "age_cohort"])
    g = standardised_gaps(cells, strata=["segment", "region", "age_cohort"])
    g["higher_is_better"] = True
    flag_gaps(g)
    print(f"\nreference: the adjusted NPS gaps recomputed from the {len(survey):,} raw rows: "
          f"{1000 * (time.perf_counter() - t):.0f} ms per change (what a callback without count cells costs)")


if __name__ == "__main__":
    main()
