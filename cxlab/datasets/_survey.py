"""The demo's customer survey: NPS, CSAT, CES and attribute ratings driven by the planted
drivers, stated answers with a known say-do gap, and comments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.datasets._people import _REGIONS, _REGION_RESPONSE, _format_phone, _noisy_email
from cxlab.datasets._spec import (DRIVER_WEIGHTS, DROP_DELIVERY_EFFECT, DROP_PERIOD, OBSERVATION_END,
                                  PHONE_DIRECT_EFFECT, PHONE_STAFF_EFFECT, SEGMENTS, SURVEY_START, UNDERCLAIM, _CAT)
from cxlab.datasets._texts import _comments
from cxlab.schema import CHANNELS, PRICE_TIERS, STATED_FREQUENCIES


def actual_frequency_bucket(purchases_per_year: np.ndarray | pd.Series) -> np.ndarray:
    """Map an annual purchase rate to the stated-frequency vocabulary.

    weekly: ≥ 36 a year (about 3 a month or more); monthly: 10–35; quarterly: 3–9;
    less_than_quarterly: fewer than 3. The same cut points define the demo's truth.

    Examples
    --------
    >>> actual_frequency_bucket([1, 5, 20, 60]).tolist()
    ['less_than_quarterly', 'quarterly', 'monthly', 'weekly']
    """
    r = np.asarray(purchases_per_year, dtype=float)
    return np.array(STATED_FREQUENCIES)[np.searchsorted([3, 10, 36], r, side="right")]


def _behaviour_before(cust: pd.DataFrame, tx: pd.DataFrame, resp_cust: np.ndarray,
                      when: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Annualised purchase count and modal price tier in the 365 days before each response."""
    code = pd.Index(cust["customer_id"]).get_indexer(tx["customer_id"])
    tx_t = tx["timestamp"].to_numpy()
    tier_code = pd.Categorical(tx["price_tier"], categories=PRICE_TIERS).codes
    order = np.lexsort((tx_t, code))
    code, tx_t, tier_code = code[order], tx_t[order], tier_code[order]
    starts = np.searchsorted(code, np.arange(len(cust)))
    ends = np.searchsorted(code, np.arange(len(cust)), side="right")
    signup = cust["signup"].to_numpy()
    rate = np.empty(len(when))
    tier = np.empty(len(when), dtype=int)
    year = np.timedelta64(365, "D")
    for i, (c, w) in enumerate(zip(resp_cust, when)):
        ts = tx_t[starts[c]:ends[c]]
        lo = np.searchsorted(ts, w - year)
        hi = np.searchsorted(ts, w)
        exposure = min(365.0, max((w - signup[c]) / np.timedelta64(1, "D"), 30.0))
        rate[i] = (hi - lo) * 365.0 / exposure
        tiers = tier_code[starts[c] + lo: starts[c] + hi]
        tier[i] = np.bincount(tiers, minlength=3).argmax() if tiers.size else 0
    return rate, tier


def _make_survey(rng: np.random.Generator, cust: pd.DataFrame,
                 tx: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Long by design: one random stream drawn in a fixed order (splitting it would risk reordering the
    # draws and so changing the shipped demo data and every number the notebooks and tests check).
    seg = cust["segment"].to_numpy()
    lam = np.array([SEGMENTS[s]["respond"] for s in seg]) * _REGION_RESPONSE[cust["region"].to_numpy()]
    k = rng.poisson(lam * 0.95)
    rc = np.repeat(np.arange(len(cust)), k)
    sec = "datetime64[s]"
    lo = np.maximum(cust["signup"].to_numpy().astype(sec), SURVEY_START.to_datetime64().astype(sec))[rc]
    lo = lo.astype(np.int64) + 2 * 86400
    # a relationship survey goes to the whole base, lapsed customers included
    hi = np.int64(OBSERVATION_END.to_datetime64().astype(sec).astype(np.int64))
    ok = hi > lo
    rc, lo = rc[ok], lo[ok]
    when = lo + (rng.random(rc.size) * (hi - lo)).astype(np.int64)
    when = (when - when % 86400 + rng.integers(8 * 3600, 23 * 3600, when.size)).astype(sec)
    order = np.argsort(when, kind="stable")
    rc, when = rc[order], when[order].astype("datetime64[ns]")
    n = rc.size
    rseg = seg[rc]

    # channel the survey is about: purchase channels and service channels; phone share by segment
    chan = np.empty(n, dtype=object)
    for s, p in SEGMENTS.items():
        idx = np.flatnonzero(rseg == s)
        ph = p["phone_share"]
        probs = np.array([0.36, 0.24, ph, 0.10, 0.08, 0.06, 0.06])
        probs[[0, 1, 3, 4, 5, 6]] *= (1 - ph) / probs[[0, 1, 3, 4, 5, 6]].sum()
        chan[idx] = rng.choice(CHANNELS, size=idx.size, p=probs)
    phone = chan == "phone"
    in_drop = (when >= np.datetime64(DROP_PERIOD[0])) & (when < np.datetime64(DROP_PERIOD[1]) + np.timedelta64(1, "D"))

    sat = np.array([SEGMENTS[s]["satisfaction"] for s in rseg])
    common = rng.normal(0, 0.75, n)
    latents = {}
    for a in DRIVER_WEIGHTS:
        x = sat * 0.8 + common + rng.normal(0, 0.7, n)
        if a == "attr_staff":
            x = x + PHONE_STAFF_EFFECT * phone
        if a == "attr_delivery":
            x = x + DROP_DELIVERY_EFFECT * in_drop
        latents[a] = x
    ltr_latent = 8.05 + sum(w * latents[a] for a, w in DRIVER_WEIGHTS.items()) / 1.6 \
        + PHONE_DIRECT_EFFECT * phone + rng.normal(0, 1.1, n)
    ltr = np.clip(np.rint(ltr_latent), 0, 10).astype(float)
    ratings = {a: np.clip(np.rint(3.4 + 0.85 * x), 1, 5).astype(float) for a, x in latents.items()}
    csat = np.clip(np.rint(1.0 + (ltr_latent - 1.0) / 2.3 + rng.normal(0, 0.45, n)), 1, 5)
    ces = np.clip(np.rint(5.2 + 0.5 * common - 1.2 * phone + rng.normal(0, 0.9, n)), 1, 7)
    intent = np.clip(np.rint(1.2 + 0.34 * ltr_latent + 0.4 * (rseg != "lapsed") + rng.normal(0, 0.6, n)), 1, 5)

    # explicit non-response
    ltr[rng.random(n) < 0.015] = np.nan
    csat[rng.random(n) < 0.10] = np.nan
    ces[rng.random(n) < 0.20] = np.nan
    for a in ratings:
        ratings[a][rng.random(n) < 0.05] = np.nan

    # say–do gap: actual behaviour in the 365 days before, then stated = actual (+1 for over-claimers)
    rate, tier_actual = _behaviour_before(cust, tx, rc, when)
    freq_actual = actual_frequency_bucket(rate)
    freq_code = pd.Categorical(freq_actual, categories=STATED_FREQUENCIES).codes
    p_over = np.array([SEGMENTS[s]["overclaim"] for s in rseg])
    over_t = (rng.random(n) < p_over) & (tier_actual < 2)
    over_f = (rng.random(n) < p_over) & (freq_code < 3)
    under_f = ~over_f & (rng.random(n) < UNDERCLAIM) & (freq_code > 0)
    stated_tier = np.array(PRICE_TIERS)[tier_actual + over_t]
    stated_freq = np.array(STATED_FREQUENCIES)[freq_code + over_f - under_f]
    fav_true = (tx.groupby("customer_id", observed=True)["category"]
                .agg(lambda c: c.value_counts().index[0]))
    fav = cust["customer_id"].map(fav_true).to_numpy()[rc]
    fav = np.where(rng.random(n) < 0.8, fav, rng.choice(_CAT, n))

    # verbatims
    lang_ru = np.where(cust["script"].to_numpy()[rc] == 0, rng.random(n) < 0.9, rng.random(n) < 0.2)
    comments = _comments(rng, ltr, ratings, phone, lang_ru, cust, rc)

    # identification: ~12 % without customer id, with e-mail or phone instead
    no_id = rng.random(n) < 0.12
    use_email = cust["has_email"].to_numpy()[rc] & (rng.random(n) < 0.7)
    use_phone = ~use_email & cust["has_phone"].to_numpy()[rc]
    no_id &= use_email | use_phone
    email_given = np.array([_noisy_email(e, rng) for e in cust["email"].to_numpy()[rc]], dtype=object)
    phone_given = np.array([_format_phone(d, s) for d, s in zip(cust["digits"].to_numpy()[rc],
                                                                 rng.integers(0, 6, n))], dtype=object)
    ids = cust["customer_id"].to_numpy()[rc]

    # post-stratification weights by region: population share / respondent share
    region = cust["region"].to_numpy()[rc]
    pop = np.bincount(cust["region"].to_numpy(), minlength=len(_REGIONS)) / len(cust)
    samp = np.bincount(region, minlength=len(_REGIONS)) / n
    weight = (pop / np.where(samp > 0, samp, 1))[region]

    survey = pd.DataFrame({
        "response_id": [f"R{i:06d}" for i in range(1, n + 1)],
        "customer_id": np.where(no_id, None, ids),
        "email": np.where(no_id & use_email, email_given, None),
        "phone": np.where(no_id & use_phone, phone_given, None),
        "submitted_at": when,
        "channel": chan,
        "likelihood_to_recommend": ltr,
        "csat": csat,
        "ces": ces,
        **ratings,
        "stated_frequency": stated_freq,
        "stated_price_tier": stated_tier,
        "stated_favourite_category": fav,
        "stated_repurchase_intent": intent,
        "comment": comments,
        "weight": np.round(weight, 6),
    })
    truth = pd.DataFrame({
        "response_id": survey["response_id"], "customer_id": ids, "segment": rseg,
        "overclaims_tier": over_t, "overclaims_frequency": over_f, "underclaims_frequency": under_f,
        "actual_price_tier": np.array(PRICE_TIERS)[tier_actual], "actual_frequency": freq_actual,
        "actual_purchases_per_year": rate,
    })
    return survey, truth
