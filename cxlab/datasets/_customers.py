"""The demo's customers (segment, region, contact details) and their purchases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.datasets._people import (_DOMAINS, _EN_FIRST, _EN_LAST, _REGIONS, _REGION_P, _RU_FEMALE, _RU_MALE,
                                    _RU_SURNAMES, _format_phone, _noisy_email, _translit)
from cxlab.datasets._spec import (OBSERVATION_END, SEGMENTS, WINDOW_START, _CAT, _GIFT_SEASON, _SALES_CHANNELS,
                                  _TIER_MULT)
from cxlab.schema import PRICE_TIERS


def _make_customers(rng: np.random.Generator, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Long by design: one random stream drawn in a fixed order (splitting it would risk reordering the
    # draws and so changing the shipped demo data and every number the notebooks and tests check).
    names = list(SEGMENTS)
    shares = np.array([SEGMENTS[s]["share"] for s in names])
    # exact segment sizes (largest remainder), shuffled: the documented shares hold exactly
    counts = np.floor(shares * n).astype(int)
    counts[np.argsort(-(shares * n - counts))[: n - counts.sum()]] += 1
    seg = rng.permutation(np.repeat(np.arange(len(names)), counts))
    segment = np.array(names)[seg]

    script = rng.choice(3, size=n, p=[0.75, 0.15, 0.10])  # 0 Cyrillic, 1 transliterated, 2 English
    female = rng.random(n) < 0.55
    first = np.where(female, rng.choice(_RU_FEMALE, n), rng.choice(_RU_MALE, n))
    sur = rng.choice(_RU_SURNAMES, n)
    sur = np.where(female, np.char.add(sur.astype(str), "а"), sur)
    en_first, en_last = rng.choice(_EN_FIRST, n), rng.choice(_EN_LAST, n)
    name_ru = np.char.add(np.char.add(first.astype(str), " "), sur.astype(str))
    name_lat = np.array([_translit(x) for x in name_ru])
    name_en = np.char.add(np.char.add(en_first.astype(str), " "), en_last.astype(str))
    name = np.where(script == 0, name_ru, np.where(script == 1, name_lat, name_en))
    latin = np.where(script == 2, name_en, name_lat)

    digits = rng.integers(900_000_0000, 999_999_9999, size=n, endpoint=True).astype(str)
    year_tag = rng.integers(70, 100, size=n)
    dom = rng.choice(_DOMAINS, n)
    local = [f"{ln.lower().replace(' ', '.')}{yt if u < 0.5 else ''}" for ln, yt, u in
             zip(latin, year_tag, rng.random(n))]
    email = np.array([f"{lo}@{d}".replace("ü", "u") for lo, d in zip(local, dom)])

    # signup: lapsed customers joined in 2024's first 9 months, others throughout
    start_day = np.where(segment == "lapsed", rng.integers(0, 270, n), rng.integers(0, 545, n))
    signup = WINDOW_START + pd.to_timedelta(start_day, unit="D")
    active_end = np.full(n, OBSERVATION_END, dtype="datetime64[ns]")
    lapse = segment == "lapsed"
    active_end[lapse] = (signup[lapse] + pd.to_timedelta(rng.integers(60, 300, lapse.sum()), unit="D")).to_numpy()

    ids = np.char.zfill(rng.permutation(np.arange(1, 10 * n))[:n].astype(str), 7)
    region = rng.choice(len(_REGIONS), size=n, p=_REGION_P)
    tier_pref = np.array([rng.choice(3, p=SEGMENTS[s]["tier"]) for s in segment])

    has_email = rng.random(n) < 0.9
    has_phone = rng.random(n) < 0.92
    phone_style = rng.integers(0, 6, n)
    crm_email = [(_noisy_email(e, rng) if rng.random() < 0.3 else e) if h else None
                 for e, h in zip(email, has_email)]
    crm_phone = [_format_phone(d, s) if h else None for d, s, h in zip(digits, phone_style, has_phone)]

    customers = pd.DataFrame({
        "customer_id": ids,
        "name": name,
        "email": crm_email,
        "phone": crm_phone,
        "signup_date": signup.normalize(),
        "region": np.array(_REGIONS)[region],
        "birth_year": rng.integers(1952, 2005, n),
    })
    internal = pd.DataFrame({
        "customer_id": ids, "segment": segment, "script": script, "name": name, "latin": latin,
        "first": np.where(script == 2, en_first, first), "email": email, "digits": digits,
        "has_email": has_email, "has_phone": has_phone, "signup": signup, "active_end": active_end,
        "region": region, "tier_pref": tier_pref,
    })
    return customers, internal


def _make_transactions(rng: np.random.Generator, cust: pd.DataFrame) -> pd.DataFrame:
    n = len(cust)
    seg = cust["segment"].to_numpy()
    start = cust["signup"].to_numpy().astype("datetime64[s]").astype(np.int64)
    end = cust["active_end"].to_numpy().astype("datetime64[s]").astype(np.int64)
    span_days = np.maximum(end - start, 0) / 86400.0
    rate = np.array([SEGMENTS[s]["rate"] for s in seg]) / 30.44  # purchases per day
    gift = seg == "gift_buyers"
    thin_max = np.where(gift, _GIFT_SEASON.max(), 1.0)
    # Repeat purchases: (inhomogeneous) Poisson process, by thinning for the gift season.
    n_draw = rng.poisson(rate * span_days * thin_max)
    owner = np.repeat(np.arange(n), n_draw)
    t = start[owner] + rng.random(owner.size) * (end[owner] - start[owner])
    months = (t.astype("datetime64[s]").astype("datetime64[M]").astype(int) % 12)
    keep = ~gift[owner] | (rng.random(owner.size) < _GIFT_SEASON[months] / _GIFT_SEASON.max())
    owner, t = owner[keep], t[keep]
    # Every customer's first purchase is on the signup day.
    first_t = start + rng.integers(10 * 3600, 21 * 3600, n)
    owner = np.concatenate([np.arange(n), owner])
    t = np.concatenate([first_t, t])
    # shop hours: move each purchase to a time of day between 10:00 and 21:59
    day = t - t % 86400
    t = day + rng.integers(10 * 3600, 22 * 3600, t.size)

    seg_o = seg[owner]
    m = owner.size
    tier_pref = cust["tier_pref"].to_numpy()[owner]
    other = (tier_pref + rng.integers(1, 3, m)) % 3
    tier = np.where(rng.random(m) < 0.75, tier_pref, other)
    cat = np.empty(m, dtype=object)
    chan = np.empty(m, dtype=object)
    amount = np.empty(m)
    for s, p in SEGMENTS.items():
        idx = np.flatnonzero(seg_o == s)
        cat[idx] = rng.choice(_CAT, size=idx.size, p=p["category"])
        chan[idx] = rng.choice(_SALES_CHANNELS, size=idx.size, p=p["sales_channel"])
        amount[idx] = rng.lognormal(np.log(p["spend"]), p["sigma"], idx.size)
    amount *= np.array([_TIER_MULT[k] for k in PRICE_TIERS])[tier]
    amount = np.maximum(np.round(amount / 10) * 10 - 10, 90.0)  # price points like 2490

    order = np.lexsort((owner, t))
    tx = pd.DataFrame({
        "customer_id": cust["customer_id"].to_numpy()[owner[order]],
        "timestamp": t[order].astype("datetime64[s]").astype("datetime64[ns]"),
        "amount": amount[order],
        "category": cat[order],
        "price_tier": np.array(PRICE_TIERS)[tier[order]],
        "channel": chan[order],
    })
    tx.insert(0, "transaction_id", [f"T{i:07d}" for i in range(1, len(tx) + 1)])
    return tx
