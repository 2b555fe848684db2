"""Which channels do people prefer, and how does each channel perform as a business?

* :func:`age_cohort` — generation from the year of birth (Pew Research Center's cut-offs).
* :func:`channel_preference` — each person's preferred channel (the one they use most),
  its share by segment or age cohort with Wilson intervals, and a chi-square test with
  Cramér's V of whether preference depends on the group.
* :func:`channel_scorecard` — a sales / reputation / communication scorecard by channel,
  every cell with its n and interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as _st
from scipy.stats.contingency import association
from statsmodels.stats.weightstats import DescrStatsW

from cxlab import stats as cxs
from cxlab._checks import require_columns
from cxlab.channels._common import available_metrics, person_key
from cxlab.channels.metrics import MISSING_LABEL, _labels, channel_metrics, time_summary
from cxlab.errors import CXLabError

__all__ = ["COHORTS", "age_cohort", "channel_preference", "channel_scorecard", "PreferenceResult"]

#: Generations by birth year (Pew Research Center, 2019): first year of each.
COHORTS: tuple[tuple[str, int], ...] = (("Silent", 1928), ("Baby boomers", 1946), ("Gen X", 1965),
                                        ("Millennials", 1981), ("Gen Z", 1997), ("Gen Alpha", 2013))


def age_cohort(birth_year, *, reference_year=None) -> np.ndarray:
    """Generation of each birth year (``"(missing)"`` when unknown or implausible).

    ``reference_year`` (a number or an array like ``birth_year``) only serves to reject
    impossible birth years (a customer younger than 14 or older than 110 at that time).

    Examples
    --------
    >>> age_cohort([1950, 1990, 2001, None]).tolist()
    ['Baby boomers', 'Millennials', 'Gen Z', '(missing)']
    """
    by = pd.to_numeric(pd.Series(np.asarray(birth_year, dtype=object)), errors="coerce").to_numpy(dtype=float)
    starts = np.array([s for _, s in COHORTS], dtype=float)
    names = np.array([n for n, _ in COHORTS] + [MISSING_LABEL], dtype=object)
    idx = np.searchsorted(starts, by, side="right") - 1
    ok = ~np.isnan(by) & (idx >= 0)
    if reference_year is not None:
        ref = np.asarray(reference_year, dtype=float)
        age = ref - by
        ok &= (age >= 14) & (age <= 110)
    return np.where(ok, names[np.clip(idx, 0, len(COHORTS) - 1)], MISSING_LABEL).astype(object)


class PreferenceResult:
    """Result of :func:`channel_preference`.

    Attributes
    ----------
    table
        One row per group and channel: ``group``, ``channel``, ``n_group`` (persons in the
        group), ``n`` (persons preferring the channel), ``share``, ``ci_low``, ``ci_high``
        (%, Wilson), ``suppressed``.
    test
        One row: ``statistic`` (chi-square), ``dof``, ``p_value``, ``cramers_v``, ``n``.
    by
        The grouping column.
    note
        How persons were identified.
    """

    def __init__(self, table: pd.DataFrame, test: pd.DataFrame, by: str, note: str):
        self.table, self.test, self.by, self.note = table, test, by, note

    def _repr_html_(self) -> str:
        return (f"<b>Channel preference by {self.by}</b>" + self.test.to_html(index=False)
                + self.table.to_html(index=False, float_format=lambda v: f"{v:,.1f}"))


def channel_preference(data: pd.DataFrame, *, by: str, channel: str = "channel", person: str = "person_id",
                       confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE) -> PreferenceResult:
    """Each person's preferred channel, by group (segment, age cohort...).

    A person's preferred channel is the one they contacted the company through most often
    (ties: the most recent contact's channel when a ``timestamp`` is present, else the
    first in the channel order). Shares are of persons, not contacts, so heavy users do
    not dominate.

    Parameters
    ----------
    data
        Interactions (or any contact table) with ``channel``, ``by`` and a person column.
    by
        Group column (e.g. ``"age_cohort"``, ``"segment"``), one value per person (the
        first seen is used).
    person
        Person column; falls back to ``customer_id`` with a note.
    confidence, min_base
        Interval level; groups with fewer persons are suppressed.

    Returns
    -------
    PreferenceResult

    Examples
    --------
    >>> contacts = pd.DataFrame({"person_id": ["p1", "p1", "p2", "p3", "p3", "p4"],
    ...                          "channel": ["messenger", "messenger", "phone", "phone", "phone", "messenger"],
    ...                          "age_cohort": ["Gen Z", "Gen Z", "Gen X", "Gen X", "Gen X", "Gen Z"]})
    >>> res = channel_preference(contacts, by="age_cohort", min_base=0)
    >>> print(res.table[["age_cohort", "channel", "n", "share"]].to_string(index=False))
    age_cohort   channel  n  share
         Gen X messenger  0    0.0
         Gen X     phone  2  100.0
         Gen Z messenger  2  100.0
         Gen Z     phone  0    0.0
    """
    key, note = person_key(data, person)
    require_columns(data, [channel, by], "the contacts table")
    frame = pd.DataFrame({"person": data[key], "channel": _labels(data[channel]).astype(str),
                          "group": _labels(data[by]).astype(str)})
    if "timestamp" in data.columns:
        frame["t"] = pd.to_datetime(data["timestamp"], errors="coerce")
    frame = frame.dropna(subset=["person"])
    counts = frame.groupby(["person", "channel"], observed=True).size().rename("k").reset_index()
    if "t" in frame.columns:
        last = frame.groupby(["person", "channel"], observed=True)["t"].max().rename("t").reset_index()
        counts = counts.merge(last, on=["person", "channel"])
        counts = counts.sort_values(["person", "k", "t"], ascending=[True, False, False], kind="stable")
    else:
        counts = counts.sort_values(["person", "k"], ascending=[True, False], kind="stable")
    pref = counts.drop_duplicates("person").set_index("person")["channel"]
    group = frame.drop_duplicates("person").set_index("person")["group"]
    persons = pd.DataFrame({"channel": pref, "group": group.reindex(pref.index)})
    tab = pd.crosstab(persons["group"], persons["channel"])
    order = [c for c in _labels(data[channel]).cat.categories.astype(str) if c in tab.columns]
    tab = tab[order]
    n_group = tab.sum(axis=1)
    rows = []
    for g in tab.index:
        for ch in tab.columns:
            k, n = int(tab.loc[g, ch]), int(n_group[g])
            lo, hi = cxs.proportion_ci(k, n, confidence=confidence)
            rows.append({"group": g, "channel": ch, "n_group": n, "n": k, "share": 100 * k / n if n else np.nan,
                         "ci_low": 100 * float(lo), "ci_high": 100 * float(hi)})
    table = pd.DataFrame(rows)
    table["suppressed"] = table["n_group"] < min_base
    for c in ("share", "ci_low", "ci_high"):
        table.loc[table["suppressed"], c] = np.nan
    tested = tab[(n_group >= max(min_base, 1)) & (tab.index != MISSING_LABEL)]
    tested = tested.loc[:, tested.sum(axis=0) > 0]
    if tested.shape[0] >= 2 and tested.shape[1] >= 2:
        res = _st.chi2_contingency(tested.to_numpy(), correction=False)
        test = pd.DataFrame([{"statistic": float(res.statistic), "dof": int(res.dof), "p_value": float(res.pvalue),
                              "cramers_v": float(association(tested.to_numpy(), method="cramer")),
                              "n": int(tested.to_numpy().sum())}])
    else:
        test = pd.DataFrame([{"statistic": np.nan, "dof": 0, "p_value": np.nan, "cramers_v": np.nan,
                              "n": int(tested.to_numpy().sum())}])
    table = table.rename(columns={"group": by})
    return PreferenceResult(table=table, test=test, by=by, note=note)


def _conversion(interactions: pd.DataFrame, transactions: pd.DataFrame, key: str, window_days: int,
                channel: str) -> pd.DataFrame:
    inter = interactions[[key, channel, "timestamp"]].dropna(subset=[key, "timestamp"]).copy()
    inter["timestamp"] = pd.to_datetime(inter["timestamp"])
    tx = transactions[[key, "timestamp"]].dropna().copy()
    tx["timestamp"] = pd.to_datetime(tx["timestamp"])
    inter = inter.sort_values("timestamp", kind="stable")
    tx = tx.sort_values("timestamp", kind="stable").rename(columns={"timestamp": "bought_at"})
    inter[key] = inter[key].astype(str)
    tx[key] = tx[key].astype(str)
    merged = pd.merge_asof(inter, tx, left_on="timestamp", right_on="bought_at", by=key, direction="forward",
                           tolerance=pd.Timedelta(days=window_days))
    merged["converted"] = merged["bought_at"].notna()
    return merged


def channel_scorecard(*, transactions: pd.DataFrame | None = None, survey: pd.DataFrame | None = None,
                      interactions: pd.DataFrame | None = None, channel: str = "channel", person: str = "person_id",
                      conversion_days: int = 30, confidence: float = 0.95, currency: str | None = None,
                      min_base: int = cxs.DEFAULT_MIN_BASE, low_base: int = cxs.DEFAULT_LOW_BASE) -> pd.DataFrame:
    """Sales, reputation and communication by channel, every cell with n and an interval.

    ``currency`` names the unit of the order value (e.g. ``"RUB"``); without it the unit
    says ``"amount"``.

    * **sales** — ``revenue_share`` (% of revenue through the channel; interval from the
      t interval of the channel's revenue total), ``order_value`` (mean, t interval) and
      ``conversion`` (% of service contacts followed by a purchase by the same person
      within ``conversion_days``, Wilson; needs person ids or customer ids on contacts);
    * **reputation** — ``nps`` (points, adjusted Wald), ``complaint_rate`` (%),
      ``positive_mentions`` (% of survey comments from promoters, i.e. scoring 9–10, that
      carry a comment; Wilson);
    * **communication** — ``wait_time`` (median seconds) and ``contacts_per_person``
      (mean, t interval).

    Returns
    -------
    pandas.DataFrame
        Long table: ``area``, ``measure``, ``channel``, ``n``, ``estimate``, ``ci_low``,
        ``ci_high``, ``unit``, ``suppressed``.
    """
    parts = [_scorecard_part(*part) for part in (
        *_sales_parts(transactions, interactions, person=person, channel=channel, currency=currency,
                      conversion_days=conversion_days, confidence=confidence),
        *_reputation_parts(survey, interactions, channel=channel, confidence=confidence),
        *_communication_parts(interactions, person=person, channel=channel, confidence=confidence))]
    cols = ["area", "measure", "channel", "n", "estimate", "ci_low", "ci_high", "unit", "suppressed", "low_base"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["n"] = out["n"].astype(int)
    flags = cxs.base_flags(out["n"].to_numpy(), min_base=min_base, low_base=low_base)
    for c in ("estimate", "ci_low", "ci_high"):
        out[c] = np.where(flags.suppressed, np.nan, out[c].to_numpy(dtype=float))
    out["suppressed"] = flags.suppressed
    out["low_base"] = flags.low_base
    return out[cols]


def _scorecard_part(area: str, measure: str, unit: str, frame: pd.DataFrame) -> pd.DataFrame:
    """One measure by channel as scorecard rows."""
    frame = frame.copy()
    frame.insert(0, "area", area)
    frame.insert(1, "measure", measure)
    frame["unit"] = unit
    return frame[["area", "measure", "channel", "n", "estimate", "ci_low", "ci_high", "unit"]]


def _sales_parts(transactions, interactions, *, person, channel, currency, conversion_days,
                 confidence) -> list[tuple[str, str, str, pd.DataFrame]]:
    """Revenue share and order value (t intervals), and conversion after a contact (Wilson), by channel."""
    parts = []
    if transactions is not None and len(transactions) and channel in transactions.columns:
        tx = transactions.dropna(subset=["amount"])
        total = float(tx["amount"].sum())
        rows, rows_v = [], []
        for ch, g in tx.groupby(_labels(tx[channel]).astype(str), observed=True, sort=False):
            a = g["amount"].to_numpy(dtype=float)
            d = DescrStatsW(a)
            lo, hi = d.tconfint_mean(alpha=1 - confidence) if a.size > 1 else (np.nan, np.nan)
            rows_v.append({"channel": ch, "n": a.size, "estimate": a.mean(), "ci_low": lo, "ci_high": hi})
            # revenue share: the channel total is n × mean; its interval scales the mean's
            rows.append({"channel": ch, "n": a.size, "estimate": 100 * a.sum() / total,
                         "ci_low": 100 * a.size * lo / total, "ci_high": 100 * a.size * hi / total})
        parts.append(("sales", "revenue_share", "%", pd.DataFrame(rows)))
        parts.append(("sales", "order_value", currency or "amount", pd.DataFrame(rows_v)))
    if interactions is not None and len(interactions) and transactions is not None and len(transactions):
        try:
            key, _ = person_key(interactions, person)
        except CXLabError:
            key = None
        if key is not None and key in transactions.columns and "timestamp" in interactions.columns:
            conv = _conversion(interactions, transactions, key, conversion_days, channel)
            g = conv.groupby(_labels(conv[channel]).astype(str), observed=True, sort=False)["converted"].agg(
                ["size", "sum"])
            lo, hi = cxs.proportion_ci(g["sum"].to_numpy(), g["size"].to_numpy(), confidence=confidence)
            parts.append(("sales", "conversion", "%", pd.DataFrame({
                "channel": g.index, "n": g["size"].to_numpy(), "estimate": 100 * g["sum"] / g["size"],
                "ci_low": 100 * lo, "ci_high": 100 * hi})))
    return parts


def _reputation_parts(survey, interactions, *, channel, confidence) -> list[tuple[str, str, str, pd.DataFrame]]:
    """NPS, the share of comments from promoters, and the complaint rate, by channel."""
    parts = []
    if survey is not None and len(survey) and channel in survey.columns:
        m = channel_metrics(survey, metrics=["nps"], channel=channel, confidence=confidence, min_base=0, low_base=0)
        parts.append(("reputation", "nps", "points", m))
        if "comment" in survey.columns and "likelihood_to_recommend" in survey.columns:
            sc = pd.to_numeric(survey["likelihood_to_recommend"], errors="coerce")
            has = survey["comment"].astype("string").str.strip().fillna("").str.len() > 0
            pos = has & (sc >= 9)
            frame = pd.DataFrame({"channel": _labels(survey[channel]).astype(str), "pos": pos, "has": has})
            frame = frame[frame["has"]]
            g = frame.groupby("channel", observed=True, sort=False)["pos"].agg(["size", "sum"])
            lo, hi = cxs.proportion_ci(g["sum"].to_numpy(), g["size"].to_numpy(), confidence=confidence)
            parts.append(("reputation", "positive_mentions", "%", pd.DataFrame({
                "channel": g.index, "n": g["size"].to_numpy(), "estimate": 100 * g["sum"] / g["size"],
                "ci_low": 100 * lo, "ci_high": 100 * hi})))
    if interactions is not None and len(interactions) and channel in interactions.columns:
        if "complaint_rate" in available_metrics(interactions, "interactions"):
            m = channel_metrics(interactions=interactions, metrics=["complaint_rate"], channel=channel,
                                confidence=confidence, min_base=0, low_base=0)
            parts.append(("reputation", "complaint_rate", "%", m))
    return parts


def _communication_parts(interactions, *, person, channel,
                         confidence) -> list[tuple[str, str, str, pd.DataFrame]]:
    """Median wait time and contacts per person (normal interval), by channel."""
    parts = []
    if interactions is not None and len(interactions) and channel in interactions.columns:
        if "wait_seconds" in interactions.columns:
            parts.append(("communication", "wait_time", "seconds",
                          time_summary(interactions, column="wait_seconds", by=channel, confidence=confidence,
                                       min_base=0, low_base=0).rename(columns={channel: "channel"})))
        try:
            key, _ = person_key(interactions, person)
        except CXLabError:
            key = None
        if key is not None:
            z = cxs.z_critical(confidence)
            per = interactions.dropna(subset=[key]).groupby([_labels(interactions[channel]).astype(str), key],
                                                             observed=True).size()
            rows = []
            for ch, k in per.groupby(level=0, sort=False):
                a = k.to_numpy(dtype=float)
                se = a.std(ddof=1) / np.sqrt(a.size) if a.size > 1 else np.nan
                rows.append({"channel": ch, "n": a.size, "estimate": a.mean(), "ci_low": a.mean() - z * se,
                             "ci_high": a.mean() + z * se})
            parts.append(("communication", "contacts_per_person", "contacts", pd.DataFrame(rows)))
    return parts
