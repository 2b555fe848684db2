"""CLV speed: cxlab.clv vs lifetimes on the same customers, side by side.

Usage::

    .venv/bin/python benchmarks/bench_clv.py                  # 100 x the CDNOW customers (235,700)
    .venv/bin/python benchmarks/bench_clv.py --copies 400     # 942,800 customers

The CDNOW summary shipped with lifetimes is replicated ``--copies`` times with a small
jitter on recency and T (so rows are not all duplicates). Both libraries fit BG/NBD and
Gamma-Gamma and compute 12-month CLV on the same frame; the script checks that they agree
and prints wall times and ratios (lifetimes / cxlab).
"""

from __future__ import annotations

import argparse
import importlib.resources
import io
import time

import numpy as np
import pandas as pd

import cxlab.clv as clv


def make_summary(copies: int, seed: int = 0) -> pd.DataFrame:
    text = (importlib.resources.files("lifetimes") / "datasets" / "cdnow_customers_summary_with_transactions.csv")
    base = pd.read_csv(io.StringIO(text.read_text())).rename(
        columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})[
        ["frequency", "recency", "T", "monetary_value"]]
    rng = np.random.default_rng(seed)
    frame = pd.concat([base] * copies, ignore_index=True)
    shift = rng.uniform(0, 1, len(frame)).round(2)
    frame["T"] = frame["T"] + shift
    frame["recency"] = np.where(frame["frequency"] > 0, frame["recency"] + shift, 0.0)
    frame.index = pd.Index([f"C{i:07d}" for i in range(len(frame))], name="customer_id")
    return frame


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    d = make_summary(args.copies)
    rep = d[d["frequency"] > 0]
    print(f"{len(d):,} customers ({len(rep):,} with repeat purchases)")

    bg, t_bg = timed(lambda: clv.fit_bgnbd(d, time_unit="W"))
    lt_bg, t_lt_bg = timed(lambda: BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"]))
    gg, t_gg = timed(lambda: clv.fit_gamma_gamma(d))
    lt_gg, t_lt_gg = timed(lambda: GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"]))
    np.testing.assert_allclose(bg.params.to_numpy(), lt_bg.params_.to_numpy(), rtol=1e-3)
    np.testing.assert_allclose(gg.params.to_numpy(), lt_gg.params_.to_numpy(), rtol=1e-2)

    values, t_clv = timed(lambda: clv.customer_value(d, model=bg, spend_model=gg, horizon=12, discount_rate=0.01,
                                                     discount_period="month", time_unit="W",
                                                     days_per_month=4.345 * 7))
    lt_clv, t_lt_clv = timed(lambda: lt_gg.customer_lifetime_value(lt_bg, d["frequency"], d["recency"], d["T"],
                                                                   d["monetary_value"], time=12, discount_rate=0.01,
                                                                   freq="W"))
    np.testing.assert_allclose(values["clv"].to_numpy(), lt_clv.to_numpy(), rtol=1e-2)

    rows = [("BG/NBD fit", t_bg, t_lt_bg), ("Gamma-Gamma fit", t_gg, t_lt_gg), ("12-month CLV", t_clv, t_lt_clv)]
    print(f"{'step':<18}{'cxlab s':>10}{'lifetimes s':>14}{'ratio':>9}")
    for name, ours, theirs in rows:
        print(f"{name:<18}{ours:>10.2f}{theirs:>14.2f}{theirs / ours:>8.1f}x")


if __name__ == "__main__":
    main()
