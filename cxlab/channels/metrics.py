"""Per-channel metrics with n and intervals, and the count cells every comparison works on.

* :func:`channel_metrics` — NPS, CSAT, CES (means on their own scales and top-2-box),
  contact CSAT, first-contact resolution, complaint rate, and median wait and handle
  times, one row per channel and metric, each with n, an interval and the base rules.
* :func:`metric_cells` — n, Σy and Σy² of one metric per channel and stratum: the small
  table raw gaps, direct standardisation and the audit explorer read.
* :func:`attach_person_ids` — put the person id found by identity resolution on the
  survey and interaction rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

from cxlab import stats as cxs
from cxlab._checks import as_list, require_columns
from cxlab.channels._common import METRICS, TOPIC_WORDS, available_metrics, get_metric, metric_values
from cxlab.errors import CXLabError
from cxlab.privacy.disclosure import complementary_suppression

__all__ = ["channel_metrics", "time_summary", "metric_cells", "attach_person_ids",
           "MISSING_LABEL"]

#: Label of a missing stratum value (kept as a stratum of its own, never dropped).
MISSING_LABEL = "(missing)"


def _labels(series: pd.Series) -> pd.Series:
    """Text labels as a categorical (category order kept), missing values as ``"(missing)"``."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        cat = series.cat.remove_unused_categories()
        cats = [str(c) for c in cat.cat.categories]
        codes = cat.cat.codes.to_numpy()
        if (codes < 0).any():
            if MISSING_LABEL not in cats:
                cats.append(MISSING_LABEL)
            codes = np.where(codes < 0, cats.index(MISSING_LABEL), codes)
        if len(set(cats)) != len(cats):  # two categories with the same text
            return _labels(pd.Series(np.asarray(cats, dtype=object)[codes], index=series.index, name=series.name))
        return pd.Series(pd.Categorical.from_codes(codes, categories=cats), index=series.index, name=series.name)
    codes, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
    cats = [str(u) for u in uniques]
    if (codes < 0).any():
        cats.append(MISSING_LABEL)
        codes = np.where(codes < 0, len(cats) - 1, codes)
    if len(set(cats)) != len(cats):
        text = np.asarray(cats, dtype=object)[codes]
        codes, uniques = pd.factorize(text, sort=True)
        cats = list(uniques)
    return pd.Series(pd.Categorical.from_codes(codes, categories=cats), index=series.index, name=series.name)


def time_summary(data: pd.DataFrame, *, column: str = "wait_seconds", by: str | Sequence[str] | None = "channel",
                 confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE,
                 low_base: int = cxs.DEFAULT_LOW_BASE) -> pd.DataFrame:
    """Median of a time (wait, handle) by group, with a distribution-free interval.

    The interval of the median comes from the order statistics (binomial), as computed
    by :func:`scipy.stats.quantile_test`; times are skewed, so the median, not the mean.

    Returns
    -------
    pandas.DataFrame
        Group column(s), ``n``, ``estimate`` (median), ``ci_low``, ``ci_high``,
        ``suppressed``, ``low_base``.

    Examples
    --------
    >>> df = pd.DataFrame({"channel": ["chat"] * 9 + ["phone"] * 9,
    ...                    "wait_seconds": [20, 30, 40, 45, 50, 55, 60, 90, 200] + [150, 180, 200, 240, 260, 280,
    ...                                                                             300, 600, 900]})
    >>> print(time_summary(df, min_base=0)[["channel", "n", "estimate", "ci_low", "ci_high"]].to_string(index=False))
    channel  n  estimate  ci_low  ci_high
       chat  9      50.0    30.0     90.0
      phone  9     260.0   180.0    600.0
    """
    cols = as_list(by)
    require_columns(data, [column, *cols], "the interactions table")
    frame = pd.DataFrame({c: _labels(data[c]) for c in cols}, index=data.index)
    frame["_x"] = pd.to_numeric(data[column], errors="coerce")
    frame = frame[frame["_x"] >= 0]
    rows = []
    groups = frame.groupby(cols, observed=True, sort=True) if cols else [((), frame)]
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        x = g["_x"].to_numpy(dtype=float)
        med = float(np.median(x))
        if x.size >= 2:
            ci = _st.quantile_test(x, q=med, p=0.5).confidence_interval(confidence_level=confidence)
            low, high = float(ci.low), float(ci.high)
        else:
            low = high = np.nan
        rows.append({**dict(zip(cols, key, strict=True)), "n": int(x.size), "estimate": med, "ci_low": low,
                     "ci_high": high})
    out = pd.DataFrame(rows, columns=[*cols, "n", "estimate", "ci_low", "ci_high"])
    flags = cxs.base_flags(out["n"].to_numpy(), min_base=min_base, low_base=low_base)
    for c in ("estimate", "ci_low", "ci_high"):
        out[c] = np.where(flags.suppressed, np.nan, out[c].to_numpy(dtype=float))
    out["suppressed"] = flags.suppressed
    out["low_base"] = flags.low_base
    return out


def channel_metrics(survey: pd.DataFrame | None = None, interactions: pd.DataFrame | None = None, *,
                    channel: str = "channel", metrics: Sequence[str] | None = None, times: bool = True,
                    confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE,
                    low_base: int = cxs.DEFAULT_LOW_BASE) -> pd.DataFrame:
    """Every experience metric by channel, each with n, an interval and the base rules.

    Parameters
    ----------
    survey, interactions
        Canonical tables (either may be ``None``); each needs the ``channel`` column.
    channel
        The channel column.
    metrics
        Metric names (see :data:`cxlab.channels.METRICS`); default: every metric whose
        column is present.
    times
        Add the median ``wait_seconds`` and ``handle_seconds`` of interactions.
    confidence, min_base, low_base
        Interval level and base rules.

    Returns
    -------
    pandas.DataFrame
        Long table, one row per metric and channel: ``metric``, ``label``, ``source``,
        ``channel``, ``n``, ``estimate``, ``ci_low``, ``ci_high``, ``unit``,
        ``higher_is_better``, ``method``, ``suppressed``, ``complementary`` (a channel of
        at least ``min_base`` hidden so that the small channels cannot be derived from the
        total by subtraction; medians are not additive and need none), ``low_base``. NPS in points
        (adjusted Wald interval of :func:`cxlab.nps.nps_table`), means on their own scale
        (t interval), shares in % (Wilson interval), times in seconds (median,
        order-statistic interval).

    Examples
    --------
    >>> from cxlab.datasets import load_example
    >>> demo = load_example()
    >>> t = channel_metrics(demo.survey_responses, metrics=["nps"], times=False)
    >>> print(t[["channel", "n", "estimate"]].round(1).head(3).to_string(index=False))
    channel    n  estimate
      store 1245      28.0
        web  813      33.2
      phone  783      -2.6
    """
    if survey is None and interactions is None:
        raise CXLabError("channel_metrics needs a survey or an interactions table",
                         fix="pass survey=tables.survey_responses and/or interactions=tables.interactions")
    rows = []
    for source, frame in (("survey_responses", survey), ("interactions", interactions)):
        if frame is None or len(frame) == 0:
            continue
        require_columns(frame, [channel], f"the {source} table",
                        fix=f"the audit needs the channel of each row; name it with channel='<column>'")
        present = available_metrics(frame, source)
        wanted = [m for m in (metrics if metrics is not None else present) if METRICS[m].source == source]
        for name in wanted:
            if name not in present:
                raise _unavailable(name, frame, source, present)
            m = get_metric(name)
            part = _metric_part(frame, m, channel=channel, confidence=confidence, min_base=min_base,
                                low_base=low_base)
            part.insert(0, "metric", name)
            part.insert(1, "label", m.label)
            part.insert(2, "source", source)
            part["unit"] = m.unit
            part["higher_is_better"] = m.higher_is_better
            rows.append(part)
        if source == "interactions" and times and metrics is None:
            rows += _time_parts(frame, source, channel=channel, confidence=confidence, min_base=min_base,
                                low_base=low_base)
    cols = ["metric", "label", "source", "channel", "n", "estimate", "ci_low", "ci_high", "unit",
            "higher_is_better", "method", "suppressed", "complementary", "low_base"]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.concat(rows, ignore_index=True)
    out["channel"] = out["channel"].astype(str)
    out["n"] = out["n"].astype(int)
    return out[cols]


def _unavailable(name: str, frame: pd.DataFrame, source: str, present: Sequence[str]) -> CXLabError:
    """The error for a metric the table cannot give, saying why and what it can give."""
    m = METRICS[name]
    why = (f"no {m.column} of {source} mentions a {m.threshold} (words: "
           f"{', '.join(TOPIC_WORDS.get(str(m.threshold), [str(m.threshold)]))})"
           if m.kind == "matches" and m.column in frame.columns
           else f"it needs the column {m.column!r} of {source}")
    return CXLabError(f"metric {name!r} cannot be computed: {why}", column=m.column,
                      fix=f"available here: {', '.join(present) or 'none'}")


def _metric_part(frame: pd.DataFrame, m, *, channel: str, confidence: float, min_base: int,
                 low_base: int) -> pd.DataFrame:
    """One metric by channel: NPS (adjusted Wald), a mean (t interval) or a share (Wilson), with base rules."""
    from cxlab.nps import nps_table, rating_table

    if m.kind == "nps":
        t = nps_table(frame, score=m.column, by=channel, confidence=confidence, min_base=min_base,
                      low_base=low_base, progress=False)
        t = t.rename(columns={channel: "channel"})
        part = t[["channel", "n", "estimate", "ci_low", "ci_high", "suppressed", "complementary",
                  "low_base"]].copy()
        part["method"] = "NPS, adjusted Wald interval"
    elif m.kind == "mean":
        # CSAT and CES on their own scales: the mean with its t interval (cxlab.nps.rating_table)
        t = rating_table(frame, score=m.column, by=channel, scale=m.scale, confidence=confidence,
                         min_base=min_base, low_base=low_base).rename(columns={channel: "channel"})
        part = t.rename(columns={"mean": "estimate"})
        part = part[["channel", "n", "estimate", "ci_low", "ci_high", "suppressed", "complementary",
                     "low_base"]].copy()
        part["method"] = "mean, t interval"
    else:
        y = metric_values(frame, m)
        g = pd.DataFrame({"channel": _labels(frame[channel]), "y": y}).dropna(subset=["y"])
        agg = g.groupby("channel", observed=True)["y"].agg(["size", "sum"])
        n = agg["size"].to_numpy(dtype=float)
        k = agg["sum"].to_numpy(dtype=float) / 100.0
        low, high = cxs.proportion_ci(k, n, confidence=confidence)
        flags = cxs.base_flags(n, min_base=min_base, low_base=low_base)
        # a share is additive: protect the small channels against subtraction from the total
        extra = complementary_suppression(n, min_base=min_base, primary=flags.suppressed).secondary
        hide = flags.suppressed | extra
        part = pd.DataFrame({"channel": agg.index.astype(str), "n": n.astype(int),
                             "estimate": np.where(hide, np.nan, 100 * k / n),
                             "ci_low": np.where(hide, np.nan, 100 * low),
                             "ci_high": np.where(hide, np.nan, 100 * high),
                             "suppressed": hide, "complementary": extra, "low_base": flags.low_base})
        part["method"] = "share, Wilson interval"
    return part


def _time_parts(frame: pd.DataFrame, source: str, *, channel: str, confidence: float, min_base: int,
                low_base: int) -> list[pd.DataFrame]:
    """Median wait and handle times by channel (order-statistic intervals), where the columns are present."""
    rows = []
    for col, label in (("wait_seconds", "Wait (median, seconds)"),
                       ("handle_seconds", "Handle time (median, seconds)")):
        if col in frame.columns and frame[col].notna().any():
            t = time_summary(frame, column=col, by=channel, confidence=confidence, min_base=min_base,
                             low_base=low_base).rename(columns={channel: "channel"})
            t.insert(0, "metric", col.replace("_seconds", "_time"))
            t.insert(1, "label", label)
            t.insert(2, "source", source)
            t["unit"] = "seconds"
            t["higher_is_better"] = False
            t["method"] = "median, order-statistic interval"
            t["complementary"] = False  # a median cannot be recovered by subtraction
            rows.append(t)
    return rows


def metric_cells(data: pd.DataFrame, metric: str, *, channel: str = "channel",
                 strata: Sequence[str] = (), weight: str | None = None) -> pd.DataFrame:
    """n, Σy and Σy² of one metric per channel and stratum (the audit's count table).

    Parameters
    ----------
    data
        Survey or interaction rows (whichever the metric comes from).
    metric
        Metric name (see :data:`cxlab.channels.METRICS`).
    channel
        The channel column.
    strata
        Columns describing who the respondent is (segment, region, age cohort...). A
        missing value is a stratum of its own, ``"(missing)"``.
    weight
        Optional survey-weight column: ``n`` stays the count, ``w``, ``wy``, ``wy2`` and
        ``w2`` hold the weighted sums.

    Returns
    -------
    pandas.DataFrame
        ``channel``, the strata columns, ``n``, ``sum``, ``sum_sq`` (and weighted sums),
        one row per non-empty cell.

    Examples
    --------
    >>> df = pd.DataFrame({"channel": ["a", "a", "b"], "likelihood_to_recommend": [10, 3, 8]})
    >>> print(metric_cells(df, "nps").to_string(index=False))
    channel  n  sum  sum_sq
          a  2  0.0 20000.0
          b  1  0.0     0.0
    """
    strata = list(strata)
    require_columns(data, [channel, *strata], "the data")
    y = metric_values(data, metric)
    frame = pd.DataFrame({"channel": _labels(data[channel])}, index=data.index)
    for s in strata:
        frame[s] = _labels(data[s])
    frame["y"] = y
    frame["y2"] = y * y
    if weight is not None:
        w = pd.to_numeric(data[weight], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        frame["w"] = w
        frame["wy"] = w * y
        frame["wy2"] = w * y * y
        frame["w2"] = w * w
    frame = frame[~np.isnan(y)]
    keys = ["channel", *strata]
    g = frame.groupby(keys, observed=True, sort=True)
    out = g["y"].agg(["size", "sum"]).rename(columns={"size": "n"})
    out["sum_sq"] = g["y2"].sum()
    if weight is not None:
        for c in ("w", "wy", "wy2", "w2"):
            out[c] = g[c].sum()
    out = out.reset_index()
    out["n"] = out["n"].astype(int)
    for k in keys:
        out[k] = out[k].astype(str)
    return out


def attach_person_ids(data: pd.DataFrame, records: pd.DataFrame, *, source: str,
                      id_column: str | None = None) -> pd.DataFrame:
    """Copy of ``data`` with the ``person_id`` that identity resolution gave each row.

    Parameters
    ----------
    data
        The survey or interactions table that was resolved.
    records
        ``result.records`` of :func:`cxlab.identity.resolve_identities` /
        :func:`~cxlab.identity.resolve_tables` (``record_id`` = ``"<source>:<id>"``,
        ``person_id``).
    source
        ``"survey_responses"`` or ``"interactions"`` (the prefix of the record ids).
    id_column
        The table's id column (default ``response_id`` / ``interaction_id``).

    Returns
    -------
    pandas.DataFrame
        ``data`` plus ``person_id`` (missing for rows that were not resolved).

    Examples
    --------
    >>> survey = pd.DataFrame({"response_id": ["R1", "R2"], "channel": ["phone", "web"]})
    >>> records = pd.DataFrame({"record_id": ["survey_responses:R1", "survey_responses:R2"],
    ...                         "person_id": ["P000007", "P000007"]})
    >>> print(attach_person_ids(survey, records, source="survey_responses").to_string(index=False))
    response_id channel person_id
             R1   phone   P000007
             R2     web   P000007
    """
    id_column = id_column or {"survey_responses": "response_id", "interactions": "interaction_id"}.get(source)
    if id_column is None:
        raise CXLabError(f"unknown source {source!r}", fix="use 'survey_responses' or 'interactions'")
    require_columns(data, [id_column], f"the {source} table")
    require_columns(records, ["record_id", "person_id"], "the identity records",
                    fix="pass result.records from cxlab.identity.resolve_tables")
    pmap = records.set_index("record_id")["person_id"]
    rid = source + ":" + data[id_column].astype(str)
    return data.assign(person_id=rid.map(pmap).to_numpy())

