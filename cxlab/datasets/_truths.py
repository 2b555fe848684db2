"""Measuring the planted truths on the generated tables (what the analyses should recover).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.datasets._spec import (BRAND_VOICE_OFF_CHANNEL, DRIVER_WEIGHTS, DROP_DELIVERY_EFFECT, OBSERVATION_END,
                                  PHONE_DIRECT_EFFECT, PHONE_STAFF_EFFECT, SEGMENTS, Truth)


# ---------------------------------------------------------------------------------------
# Headline truths measured on the generated data
# ---------------------------------------------------------------------------------------
def _nps(scores: pd.Series) -> float:
    s = scores.dropna()
    return float(100 * ((s >= 9).mean() - (s <= 6).mean())) if len(s) else float("nan")


def _measure_truths(tx: pd.DataFrame, survey: pd.DataFrame, inter: pd.DataFrame, truth: Truth) -> dict:
    seg = truth.customers.set_index("customer_id")["segment"]
    rev = tx.groupby(tx["customer_id"].map(seg))["amount"].sum()
    ltr = pd.to_numeric(survey["likelihood_to_recommend"])
    quarter = pd.PeriodIndex(survey["submitted_at"], freq="Q").astype(str)
    by_q = {q: _nps(ltr[quarter == q]) for q in sorted(set(quarter))}
    phone = survey["channel"].eq("phone").to_numpy()
    rseg = truth.survey["segment"].to_numpy()
    within = []
    for s in SEGMENTS:
        a, b = ltr[(rseg == s) & phone], ltr[(rseg == s) & ~phone]
        within.append((len(a), _nps(a) - _nps(b)))
    w = np.array([x[0] for x in within], dtype=float)
    within_gap = float(np.nansum(w * np.array([x[1] for x in within])) / w.sum())
    ts = truth.survey
    return {
        "segment_shares": truth.customers["segment"].value_counts(normalize=True).round(4).to_dict(),
        "segment_revenue_share": (rev / rev.sum()).round(4).to_dict(),
        "nps_overall": round(_nps(ltr), 2),
        "nps_by_quarter": {k: round(v, 2) for k, v in by_q.items()},
        "drop_quarter": "2025Q2",
        "phone_nps_gap_raw": round(_nps(ltr[phone]) - _nps(ltr[~phone]), 2),
        "phone_nps_gap_within_segment": round(within_gap, 2),
        "phone_direct_effect_ltr": PHONE_DIRECT_EFFECT,
        "phone_staff_effect_latent": PHONE_STAFF_EFFECT,
        "drop_delivery_effect_latent": DROP_DELIVERY_EFFECT,
        "driver_weights": DRIVER_WEIGHTS,
        "overclaim_probability_by_segment": {s: p["overclaim"] for s, p in SEGMENTS.items()},
        "overclaims_tier_share": round(float(ts["overclaims_tier"].mean()), 4),
        "overclaims_frequency_share": round(float(ts["overclaims_frequency"].mean()), 4),
        "underclaims_frequency_share": round(float(ts["underclaims_frequency"].mean()), 4),
        "overclaims_tier_share_by_segment": ts.groupby("segment")["overclaims_tier"].mean().round(4).to_dict(),
        "fragmented_share": round(float(truth.customers["fragmented"].mean()), 4),
        "survey_missing_customer_id_share": round(float(survey["customer_id"].isna().mean()), 4),
        "brand_voice_off_channel": BRAND_VOICE_OFF_CHANNEL,
        "observation_end": str(OBSERVATION_END),
    }
