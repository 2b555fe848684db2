"""The demo's contacts with the company in every channel (identity fragmentation, waits,
resolution, agents' replies) and its small employee survey.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.datasets._people import _format_phone, _noisy_email
from cxlab.datasets._spec import SEGMENTS
from cxlab.datasets._texts import _agent_message


_TOPICS = ("order", "delivery", "return", "product_question", "complaint", "loyalty_programme")
_WAIT_MEDIAN = {"store": 60, "web": 14400, "phone": 240, "chat": 45, "email": 18000, "social": 5400,
                "messenger": 600}
_RESOLVED_P = {"store": 0.88, "web": 0.8, "phone": 0.72, "chat": 0.82, "email": 0.78, "social": 0.74,
               "messenger": 0.8}


def _make_interactions(rng: np.random.Generator, cust: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Long by design: one random stream drawn in a fixed order (splitting it would risk reordering the
    # draws and so changing the shipped demo data and every number the notebooks and tests check).
    n = len(cust)
    seg = cust["segment"].to_numpy()
    multi = rng.random(n) < 0.3  # customers who use several service channels
    lam = np.array([SEGMENTS[s]["contacts"] for s in seg])
    k = rng.poisson(lam * 0.9) + multi * 2
    owner = np.repeat(np.arange(n), k)
    m = owner.size
    # channel: multichannel customers spread contacts over several anonymous channels;
    # the others keep to one preferred channel (plus store/web, which identify them)
    anon = np.array(["phone", "chat", "email", "social", "messenger"])
    pref = rng.integers(0, 5, n)
    phone_pref = np.array([SEGMENTS[s]["phone_share"] for s in seg]) * 1.5 > rng.random(n)
    pref = np.where(phone_pref, 0, pref)
    use_anon = rng.random(m) < 0.75
    own_multi = multi[owner]
    chan_idx = np.where(own_multi, rng.integers(0, 5, m), pref[owner])
    channel = np.where(use_anon, anon[chan_idx], np.where(rng.random(m) < 0.6, "store", "web"))

    start = cust["signup"].to_numpy().astype("datetime64[s]").astype(np.int64)[owner]
    end = cust["active_end"].to_numpy().astype("datetime64[s]").astype(np.int64)[owner]
    ts = start + (rng.random(m) * np.maximum(end - start, 1)).astype(np.int64)
    ts = (ts - ts % 86400 + rng.integers(8 * 3600, 22 * 3600, m)).astype("datetime64[s]")  # 08:00–21:59

    first = cust["first"].to_numpy()[owner]
    name = cust["name"].to_numpy()[owner]
    latin = cust["latin"].to_numpy()[owner]
    email = cust["email"].to_numpy()[owner]
    digits = cust["digits"].to_numpy()[owner]
    script = cust["script"].to_numpy()[owner]
    ru = np.where(script == 0, rng.random(m) < 0.9, rng.random(m) < 0.2)
    ids = cust["customer_id"].to_numpy()[owner]

    cols = {c: np.full(m, None, dtype=object) for c in ("customer_id", "name", "email", "phone", "handle",
                                                        "platform")}
    for i in range(m):
        ch = channel[i]
        u = rng.random()
        if ch in ("store", "web"):
            cols["customer_id"][i] = ids[i]
            cols["name"][i] = name[i]
        elif ch == "phone":
            cols["phone"][i] = _format_phone(digits[i], int(rng.integers(0, 6)))
            parts = str(name[i]).split(" ")
            cols["name"][i] = name[i] if u < 0.4 else (f"{parts[-1]} {parts[0]}" if u < 0.7 else first[i])
        elif ch == "chat":
            cols["name"][i] = first[i] if u < 0.5 else name[i]
            if rng.random() < 0.7:
                cols["email"][i] = _noisy_email(email[i], rng)
        elif ch == "email":
            cols["email"][i] = _noisy_email(email[i], rng)
            cols["name"][i] = name[i] if u < 0.6 else latin[i]
        elif ch == "social":
            cols["platform"][i] = "instagram" if u < 0.55 else "facebook"
            cols["handle"][i] = "@" + str(latin[i]).lower().replace(" ", "_") + str(int(rng.integers(1, 99)))
            cols["name"][i] = latin[i]
        else:  # messenger
            cols["platform"][i] = "telegram" if u < 0.5 else "viber"
            cols["phone"][i] = _format_phone(digits[i], int(rng.integers(0, 6)))
            cols["name"][i] = first[i]
            if cols["platform"][i] == "telegram" and rng.random() < 0.5:
                cols["handle"][i] = "@" + str(latin[i]).split(" ")[0].lower() + str(int(rng.integers(100, 999)))
    wait = np.array([rng.lognormal(np.log(_WAIT_MEDIAN[c]), 0.6) for c in channel]).round(0)
    handle_s = rng.lognormal(np.log(300), 0.5, m).round(0)
    resolved = rng.random(m) < np.array([_RESOLVED_P[c] for c in channel])
    csat = np.clip(np.rint(3.9 + 0.8 * resolved - 0.7 * (channel == "phone") - 0.5 * (channel == "social")
                           + 0.4 * np.array([SEGMENTS[s]["satisfaction"] for s in seg[owner]])
                           + rng.normal(0, 0.8, m)), 1, 5)
    csat[rng.random(m) < 0.6] = np.nan
    message = [_agent_message(rng, c, f, r) for c, f, r in zip(channel, first, ru)]

    order = np.argsort(ts, kind="stable")
    inter = pd.DataFrame({
        "channel": channel, "platform": cols["platform"], "timestamp": ts.astype("datetime64[ns]"),
        "customer_id": cols["customer_id"], "name": cols["name"], "email": cols["email"],
        "phone": cols["phone"], "handle": cols["handle"], "topic": rng.choice(_TOPICS, m),
        "wait_seconds": wait, "handle_seconds": handle_s, "resolved": resolved, "csat": csat,
        "agent_message": message,
    }).iloc[order].reset_index(drop=True)
    inter.insert(0, "interaction_id", [f"I{i:07d}" for i in range(1, m + 1)])
    truth = pd.DataFrame({"interaction_id": inter["interaction_id"], "customer_id": ids[order]})
    return inter, truth


_DEPARTMENTS = {"stores": (160, 0.4), "call_centre": (70, -1.6), "logistics": (60, -0.3),
                "sommeliers": (30, 1.0), "office": (80, 0.2)}


def _make_employee_survey(rng: np.random.Generator, n: int) -> pd.DataFrame:
    sizes = np.array([v[0] for v in _DEPARTMENTS.values()], dtype=float)
    dept = rng.choice(list(_DEPARTMENTS), size=n, p=sizes / sizes.sum())
    eff = np.array([_DEPARTMENTS[d][1] for d in dept])
    score = np.clip(np.rint(7.3 + 1.2 * eff + rng.normal(0, 1.9, n)), 0, 10)
    good = ["Хорошая команда и интересная работа", "Great team, I learn a lot about wine",
            "Гибкий график", "Supportive manager"]
    bad = ["Слишком большая нагрузка на линии", "Low pay for the workload", "Нет карьерного роста",
           "Постоянные переработки"]
    comment = [rng.choice(bad) if s <= 6 else (rng.choice(good) if s >= 9 else None) for s in score]
    when = pd.Timestamp("2025-10-01") + pd.to_timedelta(rng.integers(0, 21 * 24 * 60, n), unit="min")
    return pd.DataFrame({
        "employee_id": pd.array([f"E{i:04d}" for i in range(1, n + 1)], dtype="string"),
        "department": pd.Categorical(dept, categories=list(_DEPARTMENTS)),
        "submitted_at": when.astype("datetime64[ns]"),
        "likelihood_to_recommend": pd.array(score.astype(int), dtype="Int8"),
        "comment": pd.array(comment, dtype="string"),
    })
