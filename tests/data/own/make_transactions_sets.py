"""Build the own-data transaction test sets for notebook 01 (deterministic; no network).

Three folders are written under the output directory, each holding one ``transactions.csv``
shaped unlike the demo company «Терруар»:

``usd_1997/``
    A simulated music retailer in US dollars, 1997-01-01 to 1998-06-30. Integer-looking ids
    (``100017``), dates written ``19970101`` (read them with ``date_format="%Y%m%d"``), columns
    ``customer_id, date, amount, category`` (no channel), categories that are music genres, 1-2% of
    purchases at 0.00 (free promotional items) and a few customers whose only repeat purchase
    is free (the Gamma-Gamma spend model cannot use them). Buying follows the BG/NBD story:
    each customer buys at their own Poisson rate and may drop out after any purchase.
``steady/``
    A subscription-like shop in euros where nobody churns: every customer buys at a steady
    rhythm (every 20-40 days, jittered) from their first purchase to the end of the data.
    The BG/NBD model has no drop-out to estimate there and does not converge.
``cdnow/``
    The real CDNOW master file (Fader & Hardie; 23,570 customers who first bought in the first
    quarter of 1997, 69,659 purchases to June 1998, US dollars, 80 zero-value rows) as it
    ships inside the ``lifetimes`` wheel, written the way a user would export it: a CSV with a
    header named as the data dictionary asks (``customer_id, date, quantity, amount``; the source
    says ``number_of_cds, dollar_value``), ids and ``19970101`` dates exactly as in the source.
    Written only when ``lifetimes`` is installed.

Run ``python tests/data/own/make_transactions_sets.py OUTDIR``; the tests call :func:`write_all`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 19970101
GENRES = ["rock", "jazz", "classical", "pop", "soundtracks", "country"]


def usd_1997(n_customers: int = 1200, seed: int = SEED) -> pd.DataFrame:
    """Simulated BG/NBD-like purchases of a 1997 music retailer, in US dollars."""
    rng = np.random.default_rng(seed)
    start, end = pd.Timestamp("1997-01-01"), pd.Timestamp("1998-06-30")
    horizon = (end - start).days
    rows = []
    ids = rng.choice(np.arange(100_000, 999_999), size=n_customers, replace=False)
    rate = rng.gamma(shape=0.9, scale=1 / 45, size=n_customers)       # purchases per day
    dropout = rng.beta(1.2, 4.0, size=n_customers)                    # P(leave after a purchase)
    mean_spend = rng.gamma(shape=6.0, scale=5.0, size=n_customers)    # about 30 dollars
    taste = rng.dirichlet(np.full(len(GENRES), 0.6), size=n_customers)
    first_day = rng.integers(0, 90, size=n_customers)                 # first quarter of 1997
    for i in range(n_customers):
        day = int(first_day[i])
        while day <= horizon:
            amount = round(float(rng.gamma(4.0, mean_spend[i] / 4.0)), 2)
            if rng.random() < 0.015:
                amount = 0.0                                           # free promotional item
            rows.append((str(ids[i]), day, amount, GENRES[rng.choice(len(GENRES), p=taste[i])]))
            if rng.random() < dropout[i]:
                break
            day += max(1, int(np.ceil(rng.exponential(1 / rate[i]))))
    # a few customers whose only repeat purchase was free: the spend model cannot fit them
    for j in range(6):
        cid, day = str(1_000_000 + j), int(rng.integers(0, 200))
        rows.append((cid, day, round(float(rng.gamma(4.0, 7.5)), 2), "pop"))
        rows.append((cid, day + int(rng.integers(20, 200)), 0.0, "pop"))
    out = pd.DataFrame(rows, columns=["customer_id", "day", "amount", "category"])
    out["date"] = (start + pd.to_timedelta(out["day"], unit="D")).dt.strftime("%Y%m%d")
    out = out.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)
    return out[["customer_id", "date", "amount", "category"]]


def steady(n_customers: int = 300, seed: int = SEED + 1) -> pd.DataFrame:
    """Everybody buys steadily until the end of the data: no churn at all."""
    rng = np.random.default_rng(seed)
    start, end = pd.Timestamp("2021-01-01"), pd.Timestamp("2022-12-31")
    horizon = (end - start).days
    rows = []
    for i in range(n_customers):
        cid = f"S{i:04d}"
        gap = int(rng.integers(20, 41))
        day = int(rng.integers(0, 60))
        spend = float(rng.gamma(8.0, 6.0))
        while day <= horizon:
            rows.append((cid, day, round(spend * float(rng.uniform(0.8, 1.2)), 2),
                         ["coffee", "tea", "equipment"][int(rng.integers(0, 3))],
                         "web" if rng.random() < 0.7 else "store"))
            day += gap + int(rng.integers(-3, 4))
    out = pd.DataFrame(rows, columns=["customer_id", "day", "amount", "category", "channel"])
    out["timestamp"] = (start + pd.to_timedelta(out["day"], unit="D")).dt.strftime("%Y-%m-%d")
    return out[["customer_id", "timestamp", "amount", "category", "channel"]]


def uniform(n_customers: int = 600, seed: int = 3) -> pd.DataFrame:
    """A BI export: CamelCase headers, US dates, purchases spread evenly over two years (2013-2014).

    Nobody lapses, yet the BG/NBD fit reports convergence; its parameters then sit where no
    finite lifetime value can be computed (found by a new-user run).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(1, n_customers + 1):
        days = rng.integers(0, 700, rng.poisson(3) + 1)
        for d in days:
            rows.append((str(c), (pd.Timestamp("2013-01-01") + pd.Timedelta(days=int(d))).strftime("%m/%d/%Y"),
                         round(float(rng.lognormal(3.5, 0.6)), 2), rng.choice(["bikes", "parts", "apparel"])))
    return pd.DataFrame(rows, columns=["CustomerID", "OrderDate", "OrderTotal", "ProductLine"])


def one_each(n_customers: int = 40, seed: int = 5) -> pd.DataFrame:
    """A new shop's first export: every customer has bought exactly once, amounts in whole yen.

    With no repeat purchase there is no repeat behaviour to model (found by a new-user run:
    the notebook stopped instead of saying so).
    """
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 180, n_customers)
    return pd.DataFrame({
        "customer_id": [f"J{i:03d}" for i in range(n_customers)],
        "timestamp": (pd.Timestamp("2024-04-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
        "amount": rng.integers(1_000_000, 3_000_000_000, n_customers),
    })


def cdnow() -> pd.DataFrame | None:
    """The CDNOW master file from the lifetimes wheel, or None when lifetimes is not installed."""
    spec = importlib.util.find_spec("lifetimes")  # located, not imported (its import warns on pandas 3)
    if spec is None or not spec.submodule_search_locations:
        return None
    source = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "CDNOW_master.txt"
    if not source.is_file():
        return None
    text = source.read_text(encoding="utf-8")
    lines = [line.split() for line in text.splitlines() if line.strip()]
    if lines and lines[0][0] == "customer_id":   # the source's own header: number_of_cds, dollar_value
        lines = lines[1:]
    # renamed to the kit's data dictionary, as the README asks a user to do; values as in the source
    return pd.DataFrame(lines, columns=["customer_id", "date", "quantity", "amount"])


def write_all(directory: str | Path) -> dict[str, Path]:
    """Write every set under ``directory``; returns {set name: folder}."""
    directory = Path(directory)
    sets = {"usd_1997": usd_1997(), "steady": steady(), "uniform": uniform(), "one_each": one_each(),
            "cdnow": cdnow()}
    written = {}
    for name, frame in sets.items():
        if frame is None:
            continue
        folder = directory / name
        folder.mkdir(parents=True, exist_ok=True)
        frame.to_csv(folder / "transactions.csv", index=False)
        written[name] = folder
    return written


if __name__ == "__main__":
    for name, folder in write_all(sys.argv[1] if len(sys.argv) > 1 else ".").items():
        print(f"{name}: {folder / 'transactions.csv'}")
