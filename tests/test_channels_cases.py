"""Cases (one person's contacts on one topic) and the resolution / repeat-contact rates.

Reference: the definitions used by contact centres — a case is resolved when any of its
contacts resolves it (resolution rate), first-contact resolution counts only the first
contact, and a repeat contact is another contact on the same issue within a window
(SQM Group / COPC style "repeat calls within 7 days"). The vectorised implementation is
checked against a plain loop over the contacts written from those definitions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxlab.channels as ch
from cxlab.errors import CXLabError


def _reference(df: pd.DataFrame, window_days: float) -> pd.DataFrame:
    """Loop over each person's contacts on each topic in time order (the definition, written plainly)."""
    case = pd.Series(pd.NA, index=df.index, dtype="Int64")
    repeat = pd.Series(pd.NA, index=df.index, dtype="boolean")
    resolved = pd.Series(pd.NA, index=df.index, dtype="boolean")
    usable = df[df["person_id"].notna() & df["timestamp"].notna()]
    next_case = 0
    threads = {}
    for idx in usable.sort_values(["person_id", "topic", "timestamp"], kind="stable").index:
        threads.setdefault((usable.at[idx, "person_id"], usable.at[idx, "topic"]), []).append(idx)
    cases = []
    for key in sorted(threads, key=lambda k: (str(k[0]), str(k[1]))):
        rows = threads[key]
        current = [rows[0]]
        for prev, row in zip(rows, rows[1:]):
            gap = (df.at[row, "timestamp"] - df.at[prev, "timestamp"]).total_seconds() / 86400
            if gap <= window_days:
                current.append(row)
            else:
                cases.append(current)
                current = [row]
        cases.append(current)
    for rows in cases:
        for i, row in enumerate(rows):
            case.at[row] = next_case
            repeat.at[row] = i < len(rows) - 1
        values = [df.at[r, "resolved"] for r in rows]
        known = [v for v in values if not pd.isna(v)]
        resolved.at[rows[0]] = True if any(bool(v) for v in known) else (False if known else pd.NA)
        next_case += 1
    return pd.DataFrame({"case": case, "repeat_contact": repeat, "case_resolved": resolved})


def _random_contacts(seed: int, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    people = rng.choice([f"p{i}" for i in range(40)] + [None], n)
    start = pd.Timestamp("2025-01-01")
    resolved = rng.choice([True, False, None], n, p=[0.6, 0.3, 0.1])
    return pd.DataFrame({
        "person_id": people,
        "channel": rng.choice(["chat", "phone", "store", "email"], n),
        "topic": rng.choice(["delivery", "refund", "account"], n),
        "timestamp": start + pd.to_timedelta(rng.integers(0, 90 * 24, n), unit="h"),
        "resolved": pd.array(resolved, dtype="boolean"),
    })


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("window", [0.5, 7, 30])
def test_cases_equal_a_plain_loop_over_the_definition(seed, window):
    df = _random_contacts(seed)
    got = ch.case_outcomes(df, window_days=window)
    ref = _reference(df, window)
    assert got.index.equals(df.index) and len(got) == len(df)  # no row lost, order kept
    pd.testing.assert_series_equal(got["repeat_contact"], ref["repeat_contact"], check_names=False)
    pd.testing.assert_series_equal(got["case_resolved"], ref["case_resolved"], check_names=False)
    # the same partition into cases (numbering may differ)
    pairs = pd.DataFrame({"a": got["case_id"], "b": ref["case"]}).dropna()
    assert pairs.groupby("a")["b"].nunique().eq(1).all() and pairs.groupby("b")["a"].nunique().eq(1).all()


def test_a_case_counts_once_for_the_channel_where_it_began():
    contacts = pd.DataFrame({
        "person_id": ["a", "a", "b", "b", "c"],
        "channel": ["chat", "phone", "chat", "chat", "phone"],
        "topic": ["x", "x", "y", "y", "z"],
        "timestamp": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-01", "2025-01-20", "2025-01-05"]),
        "resolved": [False, True, False, False, True],
    })
    cases = ch.case_outcomes(contacts)
    m = ch.channel_metrics(interactions=cases, metrics=["fcr", "resolution_rate", "repeat_contact_rate"],
                           min_base=0, low_base=0)
    value = m.set_index(["metric", "channel"])["estimate"]
    # chat began 3 cases (a's, b's two): a's was resolved on the phone later -> 1 of 3
    assert value[("resolution_rate", "chat")] == pytest.approx(100 / 3)
    assert value[("fcr", "chat")] == 0.0
    assert value[("resolution_rate", "phone")] == 100.0  # c's case only (a's phone contact is a follow-up)
    assert m.set_index(["metric", "channel"]).loc[("resolution_rate", "phone"), "n"] == 1
    # repeat contacts: a's chat contact is followed within 7 days; b's are 19 days apart
    assert value[("repeat_contact_rate", "chat")] == pytest.approx(100 / 3)
    assert ch.METRICS["repeat_contact_rate"].higher_is_better is False


def test_without_topic_every_contact_of_a_person_in_the_window_is_one_case():
    contacts = pd.DataFrame({"customer_id": ["1", "1"], "timestamp": pd.to_datetime(["2025-01-01", "2025-01-03"]),
                             "resolved": [False, True]})
    out = ch.case_outcomes(contacts, topic=None)
    assert out["case_id"].tolist() == [0, 0]
    assert out["case_resolved"].tolist()[0] is True
    assert "customer_id only" in out.attrs["case_note"]


def test_contacts_without_a_person_are_kept_and_counted_in_the_note():
    contacts = pd.DataFrame({"person_id": ["a", None, "a"], "topic": ["t", "t", "t"],
                             "timestamp": pd.to_datetime(["2025-01-01", "2025-01-01", None]),
                             "resolved": [True, True, False]})
    out = ch.case_outcomes(contacts)
    assert len(out) == 3
    assert out["case_id"].isna().tolist() == [False, True, True]
    assert "2 contact(s) without a person id or a valid time" in out.attrs["case_note"]


def test_clear_errors():
    with pytest.raises(CXLabError, match="window_days"):
        ch.case_outcomes(_random_contacts(0), window_days=-1)
    with pytest.raises(CXLabError, match="person_id"):
        ch.case_outcomes(pd.DataFrame({"timestamp": [], "resolved": []}))
    with pytest.raises(CXLabError, match="resolved"):
        ch.case_outcomes(pd.DataFrame({"person_id": ["a"], "timestamp": pd.to_datetime(["2025-01-01"])}))


def test_resolution_rate_is_at_least_fcr_on_the_demo():
    from cxlab.datasets import load_example

    demo = load_example()
    cases = ch.case_outcomes(demo.interactions)
    m = ch.channel_metrics(interactions=cases, metrics=["fcr", "resolution_rate"], min_base=0, low_base=0)
    wide = m.pivot(index="channel", columns="metric", values="estimate").dropna()
    assert len(wide) >= 1
    # every case whose first contact resolved it is resolved, so (up to the cases' own base) resolution >= FCR
    assert (wide["resolution_rate"] >= wide["fcr"] - 0.5).all()
