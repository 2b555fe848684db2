"""Shared pieces of the channel audit: metric definitions, the person key, input checks.

Every experience metric of the audit is the *mean of one number per row*: the NPS is the
mean of +100 (promoter), 0 (passive) and −100 (detractor); a top-2-box share, a
first-contact-resolution rate or a complaint rate is the mean of 100/0; a CSAT or CES
mean is the mean of the rating on its own scale. That is what lets every comparison
(raw gaps, direct standardisation, regression, the explorer) run on one small table of
counts, sums and sums of squares per channel and stratum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["Metric", "METRICS", "SURVEY_METRICS", "INTERACTION_METRICS", "metric_values", "get_metric",
           "person_key", "available_metrics", "TOPIC_WORDS"]


@dataclass(frozen=True)
class Metric:
    """One experience metric: where it comes from and how one row becomes one number.

    Attributes
    ----------
    name, label
        Key and readable name.
    source
        ``"survey_responses"`` or ``"interactions"``.
    column
        The column it is computed from.
    kind
        ``"nps"`` (0–10 through Bain's cut-offs), ``"mean"`` (the rating on its own scale),
        ``"top_box"`` (share at or above ``threshold``, in %), ``"flag"`` (share of true
        values, in %), ``"equals"`` (share equal to ``threshold``, in %) or ``"matches"`` (share of
        labels that contain a word starting with one of the stems of :data:`TOPIC_WORDS` [``threshold``],
        in any case, in %).
    scale
        ``(low, high)`` of a rating scale; values outside are treated as missing.
    threshold
        Top-box cut (``kind="top_box"``) or the value counted (``kind="equals"``).
    higher_is_better
        Direction of the metric (a complaint rate is better when lower).
    unit
        ``"points"``, ``"%"`` or ``"scale"``.
    """

    name: str
    label: str
    source: str
    column: str
    kind: str
    scale: tuple[float, float] | None = None
    threshold: object = None
    higher_is_better: bool = True
    unit: str = "%"


METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("nps", "NPS", "survey_responses", "likelihood_to_recommend", "nps", (0, 10), unit="points"),
    Metric("csat", "CSAT (mean, 1–5)", "survey_responses", "csat", "mean", (1, 5), unit="scale"),
    Metric("csat_top2", "CSAT top-2-box (4–5)", "survey_responses", "csat", "top_box", (1, 5), 4),
    Metric("ces", "CES (mean, 1–7)", "survey_responses", "ces", "mean", (1, 7), unit="scale"),
    Metric("ces_top2", "CES top-2-box (6–7)", "survey_responses", "ces", "top_box", (1, 7), 6),
    Metric("contact_csat", "Contact CSAT (mean, 1–5)", "interactions", "csat", "mean", (1, 5), unit="scale"),
    Metric("fcr", "First-contact resolution", "interactions", "resolved", "flag"),
    Metric("complaint_rate", "Complaint rate", "interactions", "topic", "matches", threshold="complaint",
           higher_is_better=False),
    # the next two read the case columns that cxlab.channels.case_outcomes adds
    Metric("resolution_rate", "Resolution rate (cases resolved at any contact)", "interactions", "case_resolved",
           "flag"),
    Metric("repeat_contact_rate", "Repeat-contact rate", "interactions", "repeat_contact", "flag",
           higher_is_better=False),
)}
#: Word stems that mark a topic (any case, at the start of a word): edit to taste, e.g.
#: ``cxlab.channels.TOPIC_WORDS["complaint"].append("негатив")``.
TOPIC_WORDS: dict[str, list[str]] = {
    "complaint": ["complain", "жалоб", "претензи", "рекламаци"],
}


def _topic_pattern(topic: str) -> re.Pattern:
    stems = TOPIC_WORDS.get(topic) or [topic]
    return re.compile(r"(?:^|[^\w])(?:" + "|".join(re.escape(w.casefold()) for w in stems) + ")", re.IGNORECASE)


def _topic_flags(col: pd.Series, topic: str) -> np.ndarray:
    text = col.astype("string").str.casefold()
    hit = text.str.contains(_topic_pattern(topic), regex=True)
    return np.where(text.isna().to_numpy(), np.nan, hit.fillna(False).to_numpy(dtype=bool) * 100.0)


SURVEY_METRICS = tuple(k for k, m in METRICS.items() if m.source == "survey_responses")
INTERACTION_METRICS = tuple(k for k, m in METRICS.items() if m.source == "interactions")


def get_metric(metric: str | Metric) -> Metric:
    """The :class:`Metric` of a name (or the metric itself)."""
    if isinstance(metric, Metric):
        return metric
    if metric not in METRICS:
        raise CXLabError(f"unknown metric {metric!r}", fix=f"use one of {', '.join(METRICS)}")
    return METRICS[metric]


def available_metrics(data: pd.DataFrame | None, source: str) -> list[str]:
    """Metrics of ``source`` whose column is present with at least one value in ``data``.

    A topic share (``complaint_rate``) also needs at least one topic that matches its words: a
    table whose topics never mention complaints has no complaint rate (not a rate of 0 %).
    """
    if data is None or len(data) == 0:
        return []
    out = []
    for k, m in METRICS.items():
        if m.source != source or m.column not in data.columns or not data[m.column].notna().any():
            continue
        if m.kind == "matches" and not np.nansum(_topic_flags(data[m.column].dropna().drop_duplicates(),
                                                               str(m.threshold))):
            continue
        out.append(k)
    return out


def _as_bool(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float, na_value=np.nan)
    text = values.astype("string").str.strip().str.lower()
    mapping = {"true": 1.0, "1": 1.0, "yes": 1.0, "да": 1.0, "1.0": 1.0,
               "false": 0.0, "0": 0.0, "no": 0.0, "нет": 0.0, "0.0": 0.0}
    out = text.map(mapping)
    bad = text.notna() & out.isna()
    if bad.any():
        raise CXLabError(f"{int(bad.sum())} value(s) are neither true nor false", column=values.name,
                         rows=(np.flatnonzero(bad.to_numpy()) + 1).tolist(),
                         fix="load the table with cxlab.datasets.load_tables, which reads да/нет, 1/0, true/false")
    return out.to_numpy(dtype=float, na_value=np.nan)


def metric_values(data: pd.DataFrame, metric: str | Metric) -> np.ndarray:
    """One number per row for ``metric`` (NaN where the row has no answer).

    Examples
    --------
    >>> frame = pd.DataFrame({"likelihood_to_recommend": [10, 7, 3, None]})
    >>> metric_values(frame, "nps").tolist()
    [100.0, 0.0, -100.0, nan]
    """
    m = get_metric(metric)
    if m.column not in data.columns:
        raise CXLabError(f"the {m.source} table has no column {m.column!r}, needed for {m.label}",
                         column=m.column, fix="choose a metric whose column is present (see available_metrics)")
    col = data[m.column]
    if m.kind in ("flag",):
        return _as_bool(col) * 100.0
    if m.kind == "matches":
        return _topic_flags(col, str(m.threshold))
    if m.kind == "equals":
        text = col.astype("string")
        return np.where(text.isna().to_numpy(), np.nan, (text == str(m.threshold)).to_numpy(dtype=bool) * 100.0)
    x = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if m.scale is not None:
        bad = ~np.isnan(x) & ((x < m.scale[0]) | (x > m.scale[1]) | (x != np.round(x)))
        if bad.any():
            rows = np.flatnonzero(bad)
            raise CXLabError(f"{rows.size} value(s) of {m.column!r} are not whole numbers from {m.scale[0]:g} to "
                             f"{m.scale[1]:g} (e.g. {x[rows[0]]:g})", column=m.column, rows=(rows + 1).tolist(),
                             fix="fix or drop these rows (cxlab.datasets.load_tables quarantines them on load)")
    if m.kind == "nps":
        return np.where(np.isnan(x), np.nan, np.where(x >= 9, 100.0, np.where(x <= 6, -100.0, 0.0)))
    if m.kind == "top_box":
        return np.where(np.isnan(x), np.nan, (x >= float(m.threshold)) * 100.0)
    return x


def person_key(data: pd.DataFrame, person: str = "person_id") -> tuple[str, str]:
    """The column that identifies a person, and a note saying which one was used.

    ``person`` when present; otherwise ``customer_id`` with a note that identities were
    not resolved (one person seen in several channels without a shared id then counts
    as several people).
    """
    if person in data.columns and data[person].notna().any():
        return person, ""
    if "customer_id" in data.columns and data["customer_id"].notna().any():
        share = float(data["customer_id"].isna().mean())
        return "customer_id", (
            f"Note: no {person!r} column, so people are identified by customer_id only "
            f"({share:.0%} of rows have none and are left out). Resolve identities first "
            "(cxlab.identity.resolve_tables) to follow one person across channels.")
    raise CXLabError(f"the data has neither a {person!r} nor a 'customer_id' column", column=person,
                     fix="resolve identities with cxlab.identity.resolve_tables and attach person ids "
                         "with cxlab.channels.attach_person_ids, or pass person='<your id column>'")
