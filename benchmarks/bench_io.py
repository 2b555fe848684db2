"""Loading a clean survey CSV: cxlab.io.read versus pandas.read_csv with explicit dtypes.

The issue's target: ``cxlab.io.read`` on a 1M-row clean survey CSV takes no more than
2× ``pandas.read_csv`` given explicit dtypes (ids/text as "string", scores as "Int8",
categories as "category", weight as float64, ``parse_dates`` for the timestamp) on the
same file. Both are timed in the same run, alternately, after a warm-up (imports of
pyarrow and pandera are not charged to either); the best of ``--repeat`` runs is
reported with the ratio. Also timed, for context: the same file as cp1251 with ``;``
and decimal commas (the "Russian export" path), and a messy file of the same size.

Run:  .venv/bin/python benchmarks/bench_io.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from cxlab.schema import table_spec

CHANNELS = np.array(["store", "web", "phone", "chat", "email", "social", "messenger"])
COMMENTS = np.array(["Отличный выбор вин", "Доставка опоздала, курьер был груб", "",
                     "Great selection, helpful sommelier", "Дорого", "", "Долго ждал на линии; никто не ответил",
                     'Сомелье посоветовал "Шабли" — супер'])


def make_survey(n: int, seed: int = 0) -> pd.DataFrame:
    """A clean survey export shaped like the demo company's (all canonical columns)."""
    rng = np.random.default_rng(seed)
    cust = np.char.add("C", np.char.zfill(rng.integers(0, n // 3 + 1, n).astype(str), 7))
    no_id = rng.random(n) < 0.12
    frame = pd.DataFrame({
        "response_id": np.char.add("R", np.char.zfill(np.arange(n).astype(str), 8)),
        "customer_id": np.where(no_id, "", cust),
        "email": np.where(no_id, np.char.add(np.char.add("user", np.arange(n).astype(str)), "@example.ru"), ""),
        "phone": np.where(no_id & (rng.random(n) < 0.5), "+7 912 345-67-89", ""),
        "submitted_at": (pd.Timestamp("2024-07-01") + pd.to_timedelta(rng.integers(0, 86400 * 548, n), unit="s"))
        .strftime("%Y-%m-%d %H:%M:%S"),
        "channel": CHANNELS[rng.integers(0, 7, n)],
        "likelihood_to_recommend": rng.integers(0, 11, n),
        "csat": rng.integers(1, 6, n),
        "ces": rng.integers(1, 8, n),
        **{a: rng.integers(1, 6, n) for a in ["attr_quality", "attr_assortment", "attr_price", "attr_staff",
                                              "attr_delivery"]},
        "stated_frequency": np.array(["less_than_quarterly", "quarterly", "monthly", "weekly"])[rng.integers(0, 4, n)],
        "stated_price_tier": np.array(["budget", "mid", "premium"])[rng.integers(0, 3, n)],
        "stated_favourite_category": np.array(["wine", "spirits", "cheese", "gifts"])[rng.integers(0, 4, n)],
        "stated_repurchase_intent": rng.integers(1, 6, n),
        "comment": COMMENTS[rng.integers(0, len(COMMENTS), n)],
        "weight": np.round(rng.random(n) + 0.5, 4),
    })
    return frame


def explicit_dtypes() -> dict[str, str]:
    spec = table_spec("survey")
    out = {}
    for c in spec.columns:
        if c.kind == "datetime":
            continue
        out[c.name] = {"id": "string", "text": "string", "score": "Int8", "category": "category",
                       "float": "float64", "bool": "boolean"}[c.kind]
    return out


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import cxlab.io

    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "survey_clean.csv"
        frame = make_survey(args.rows)
        frame.to_csv(clean, index=False)
        russian = Path(tmp) / "survey_cp1251.csv"
        ru = frame.copy()
        ru["submitted_at"] = pd.to_datetime(ru["submitted_at"]).dt.strftime("%d.%m.%Y %H:%M:%S")
        ru["weight"] = ru["weight"].map(lambda v: f"{v}".replace(".", ","))
        ru.to_csv(russian, index=False, sep=";", encoding="cp1251")
        size = clean.stat().st_size / 1e6
        dtypes = explicit_dtypes()

        def baseline():
            return pd.read_csv(clean, dtype=dtypes, parse_dates=["submitted_at"])

        def ours():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = cxlab.io.read(clean, "survey")
            assert res.report.rows_kept == args.rows, res.report
            return res

        def baseline_ru():
            return pd.read_csv(russian, dtype={k: v for k, v in dtypes.items() if k != "weight"},
                               parse_dates=["submitted_at"], date_format="%d.%m.%Y %H:%M:%S", sep=";",
                               decimal=",", encoding="cp1251")

        def ours_ru():
            res = cxlab.io.read(russian, "survey")
            assert res.report.rows_kept == args.rows, res.report
            return res

        # warm-up: imports (pyarrow, pandera) and file cache, not charged to either side
        baseline()
        ours()
        t_base = t_ours = None
        results = {}
        for label, b, o in [("clean UTF-8, comma, ISO dates", baseline, ours),
                            ("cp1251, semicolon, dd.mm.yyyy, decimal comma", baseline_ru, ours_ru)]:
            tb, to = [], []
            for _ in range(args.repeat):  # alternate, so machine load hits both alike
                tb.append(best_of(b, 1))
                to.append(best_of(o, 1))
            results[label] = (min(tb), min(to))
        print(f"rows: {args.rows:,}   file: {size:.0f} MB   best of {args.repeat}, alternating")
        for label, (t_base, t_ours) in results.items():
            print(f"{label:48s} pandas.read_csv(explicit dtypes) {t_base:6.2f} s   cxlab.io.read {t_ours:6.2f} s"
                  f"   ratio {t_ours / t_base:4.2f}×")
        print("target (issue 3): ratio ≤ 2.00× on the clean file")


if __name__ == "__main__":
    main()
