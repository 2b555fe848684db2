"""Cases: one person's contacts about one issue, for the resolution and repeat-contact rates.

A contact centre reports two numbers that one contact alone cannot give:

* the **resolution rate** — the share of customers' issues that were resolved at all,
  at the first contact or at a later one (first-contact resolution, ``fcr``, counts only
  the first);
* the **repeat-contact rate** — the share of contacts followed by another contact from the
  same person about the same topic within a few days (the usual sign that the first
  answer did not settle the issue).

Both need the contacts grouped into **cases**: contacts of one person (``person_id`` from
identity resolution, or ``customer_id``) about one ``topic``, each within ``window_days``
of the previous one. :func:`case_outcomes` adds the case columns to an interactions table;
the metrics ``resolution_rate`` and ``repeat_contact_rate`` of :data:`cxlab.channels.METRICS`
then read them like any other column. A case counts for the channel where it began.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab._checks import require_columns
from cxlab.channels._common import _as_bool, person_key
from cxlab.errors import CXLabError

__all__ = ["case_outcomes", "DEFAULT_CASE_WINDOW_DAYS"]

#: Contacts about the same topic this many days apart or less belong to one case.
DEFAULT_CASE_WINDOW_DAYS = 7


def case_outcomes(data: pd.DataFrame, *, window_days: float = DEFAULT_CASE_WINDOW_DAYS, person: str = "person_id",
                  topic: str | None = "topic", timestamp: str = "timestamp",
                  resolved: str = "resolved") -> pd.DataFrame:
    """Copy of an interactions table with each contact's case and the case's outcome.

    Parameters
    ----------
    data
        Interactions: a person column (``person``, else ``customer_id``), ``timestamp``,
        ``resolved`` (resolved at this contact) and, when present, ``topic``.
    window_days
        A contact more than this many days after the person's previous contact on the
        same topic opens a new case.
    person, topic, timestamp, resolved
        Column names. ``topic=None`` (or no such column): every contact of a person within
        the window is one case, whatever it was about.

    Returns
    -------
    pandas.DataFrame
        ``data`` with three columns added (rows in their original order, none dropped):

        ``case_id``
            Integer case number; missing for contacts with no person id (they cannot be
            followed) — reported in ``attrs["case_note"]``.
        ``repeat_contact``
            True when the same person contacts again on the same case (within the window).
        ``case_resolved``
            On the first contact of each case: True when any contact of the case was
            resolved, False when all were not, missing when none says. Missing on the
            case's later contacts, so each case counts once, for the channel where it began.

    Examples
    --------
    >>> contacts = pd.DataFrame({
    ...     "person_id": ["a", "a", "a", "b"],
    ...     "channel": ["chat", "phone", "chat", "store"],
    ...     "topic": ["delivery", "delivery", "delivery", "refund"],
    ...     "timestamp": pd.to_datetime(["2025-03-01", "2025-03-03", "2025-04-20", "2025-03-02"]),
    ...     "resolved": [False, True, False, True]})
    >>> print(case_outcomes(contacts)[["channel", "case_id", "repeat_contact", "case_resolved"]]
    ...       .to_string(index=False))
    channel  case_id  repeat_contact  case_resolved
       chat        0            True           True
      phone        0           False           <NA>
       chat        1           False          False
      store        2           False           True
    """
    if window_days is None or not np.isfinite(window_days) or window_days < 0:
        raise CXLabError(f"window_days must be a number of days ≥ 0, got {window_days!r}",
                         fix="e.g. window_days=7: contacts a week apart or closer are one case")
    key, note = person_key(data, person)
    require_columns(data, [timestamp, resolved], "the interactions table",
                    fix="cases need the time of each contact and whether it was resolved")
    out = data.copy()
    n = len(out)
    when = pd.to_datetime(out[timestamp], errors="coerce")
    who = out[key]
    usable = who.notna().to_numpy() & when.notna().to_numpy()
    case_id = np.full(n, -1, dtype=np.int64)
    repeat = np.zeros(n, dtype=bool)
    first = np.zeros(n, dtype=bool)
    res = _as_bool(out[resolved])
    case_res = np.full(n, np.nan)
    idx = np.flatnonzero(usable)
    if len(idx):
        person_code = pd.factorize(who.to_numpy()[idx])[0]
        has_topic = topic is not None and topic in out.columns
        topic_code = pd.factorize(out[topic].to_numpy()[idx], use_na_sentinel=False)[0] if has_topic \
            else np.zeros(len(idx), dtype=np.int64)
        t = when.to_numpy()[idx].astype("datetime64[ns]").astype(np.int64)
        order = np.lexsort((t, topic_code, person_code))
        p, k, ts = person_code[order], topic_code[order], t[order]
        same_thread = np.r_[False, (p[1:] == p[:-1]) & (k[1:] == k[:-1])]
        gap_days = np.r_[np.inf, np.diff(ts) / 86_400e9]
        new_case = ~(same_thread & (gap_days <= window_days))
        cid = np.cumsum(new_case) - 1
        rows = idx[order]
        case_id[rows] = cid
        first[rows] = new_case
        repeat[rows] = np.r_[cid[1:] == cid[:-1], False]
        r = res[rows]
        known = ~np.isnan(r)
        n_cases = int(cid[-1]) + 1
        any_true = np.bincount(cid, weights=(r == 1) & known, minlength=n_cases) > 0
        any_known = np.bincount(cid, weights=known, minlength=n_cases) > 0
        outcome = np.where(any_true, 1.0, np.where(any_known, 0.0, np.nan))
        case_res[rows[new_case]] = outcome[cid[new_case]]
    out["case_id"] = pd.array(np.where(case_id >= 0, case_id, 0), dtype="Int64")
    out.loc[~usable, "case_id"] = pd.NA
    out["repeat_contact"] = pd.array(repeat, dtype="boolean")
    out.loc[~usable, "repeat_contact"] = pd.NA
    flag = pd.array(case_res == 1, dtype="boolean")
    flag[np.isnan(case_res)] = pd.NA
    out["case_resolved"] = flag
    dropped = int(n - usable.sum())
    notes = [note] if note else []
    if dropped:
        notes.append(f"{dropped:,} contact(s) without a person id or a valid time are in no case.")
    out.attrs["case_note"] = " ".join(notes)
    return out
