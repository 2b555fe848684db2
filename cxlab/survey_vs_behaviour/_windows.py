"""The steps of :func:`~cxlab.survey_vs_behaviour.behaviour_around`: each response's purchase windows
before and after its date, the exposure used to annualise, whether the purchase data cover the window,
and the most frequent tier or category in it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.survey_vs_behaviour._common import text_key


def _seconds(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[ns]").astype("datetime64[s]").astype(np.int64)


def _windows(code: np.ndarray, t: np.ndarray, r_code: np.ndarray, r_t: np.ndarray, ok: np.ndarray, before: int,
             after: int) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Purchases sorted by (customer, time), and for each response the bounds of its windows in that order.

    Returns the sort order and (start, end) before the response, (start, end) after it: purchases
    in ``[date - before, date)`` and ``(date, date + after]`` (times in seconds).
    """
    base = min(int(t.min()) if t.size else 0, int(r_t[ok].min()) - before if ok.any() else 0) - 1
    span = max(int(t.max()) if t.size else 0, int(r_t[ok].max()) + after if ok.any() else 0) - base + 2
    key = code.astype(np.int64) * span + (t - base)
    order = np.argsort(key, kind="stable")
    key = key[order]
    rc = np.where(ok, r_code, 0).astype(np.int64) * span
    rt = r_t - base
    lo_b = np.searchsorted(key, rc + rt - before, side="left")
    hi_b = np.searchsorted(key, rc + rt, side="left")
    lo_a = np.searchsorted(key, rc + rt, side="right")
    hi_a = np.searchsorted(key, rc + rt + after, side="right")
    return order, (lo_b, hi_b, lo_a, hi_a)


def _exposure_days(custs: pd.Index, code: np.ndarray, t: np.ndarray, customers: pd.DataFrame | None,
                   customer_col: str, resp_code: np.ndarray, r_t: np.ndarray, before_days: int,
                   min_exposure_days: int) -> np.ndarray:
    """Days each respondent could buy before answering: since signup (customers table) or first purchase,
    capped by the window and floored at ``min_exposure_days``."""
    day = 86400
    first_seen = pd.Series(np.nan, index=range(len(custs)))
    if t.size:
        first_tx = pd.Series(t).groupby(code).min()
        first_seen.loc[first_tx.index] = first_tx.to_numpy(dtype=float)
    if customers is not None and "signup_date" in customers.columns and customer_col in customers.columns:
        sc = custs.get_indexer(text_key(customers[customer_col]).fillna(""))
        sd = pd.to_datetime(customers["signup_date"], errors="coerce")
        m = (sc >= 0) & sd.notna().to_numpy()
        signup = pd.Series(_seconds(sd[m]).astype(float), index=sc[m]).groupby(level=0).min()
        first_seen.loc[signup.index] = np.fmin(signup.to_numpy(), first_seen.loc[signup.index].to_numpy())
    fs = first_seen.to_numpy()[resp_code]
    since = (r_t - fs) / day
    return np.minimum(float(before_days), np.maximum(np.nan_to_num(since, nan=float(before_days)),
                                                     float(min_exposure_days)))


def _with_history(tx_t: pd.Series, resp_t: pd.Series, r_t: np.ndarray, ok: np.ndarray, before_days: int) -> np.ndarray:
    """Responses whose window before overlaps the purchase data.

    A response whose window lies wholly outside it has no history to compare with: its "actual"
    behaviour is unknown, not zero (a survey of 2016 against purchases of 2012–2013). When no
    response has any, the data do not fit together and an error says so.
    """
    day = 86400
    all_t = _seconds(tx_t.dropna()) if tx_t.notna().any() else np.zeros(0, dtype=np.int64)
    if all_t.size and ok.any():
        data_lo, data_hi = int(all_t.min()), int(all_t.max())
        covered = ok & (r_t > data_lo) & (r_t - before_days * day <= data_hi)
        if not covered.any():
            fmt = "%d.%m.%Y"
            raise CXLabError(
                f"no survey response has purchase data in the {before_days} days before it: the survey is dated "
                f"{pd.Timestamp(resp_t[ok].min()):{fmt}}–{pd.Timestamp(resp_t[ok].max()):{fmt}}, the purchases "
                f"{pd.Timestamp(data_lo, unit='s'):{fmt}}–{pd.Timestamp(data_hi, unit='s'):{fmt}}",
                fix="check that the survey and the transactions export cover the same period (an export of another "
                    "year?), or widen before_days")
    else:
        covered = ok
    return covered


def _modal(transactions: pd.DataFrame, col: str, levels: Sequence[str] | None, keep: np.ndarray, order: np.ndarray,
           counted: np.ndarray, lo_b: np.ndarray, hi_b: np.ndarray) -> pd.Categorical | None:
    """The most frequent value of ``col`` in each response's window before (ties go to the first level)."""
    if col not in transactions.columns:
        return None
    vals = transactions[col].astype("string")[keep]
    cats = list(levels) if levels is not None else sorted(vals.dropna().unique())
    c = pd.Categorical(vals, categories=cats).codes[order]
    best = np.full(len(counted), -1)
    top = np.zeros(len(counted))
    for j in range(len(cats)):
        cs = np.concatenate([[0], np.cumsum(c == j)])
        cnt = np.where(counted, cs[hi_b] - cs[lo_b], 0)
        better = cnt > top
        best[better], top[better] = j, cnt[better]
    return pd.Categorical.from_codes(best, categories=cats, ordered=levels is not None)
