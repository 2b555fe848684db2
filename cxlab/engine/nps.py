"""Survey count tables in any engine: NPS score counts and rating (CSAT, CES) counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab._checks import as_list
from cxlab.engine._frame import collect, is_pandas, lazy, require_engine_columns, require_module
from cxlab.engine._time import key_ordinals, period_key
from cxlab.errors import CXLabError

__all__ = ["score_counts", "rating_counts"]

_PERIODS = {"D": "D", "day": "D", "W": "W", "week": "W", "M": "M", "ME": "M", "month": "M",
            "Q": "Q", "QE": "Q", "quarter": "Q", "Y": "Y", "YE": "Y", "A": "Y", "year": "Y"}


def _value_counts(data, *, score: str, keys: list[str], period: str | None, date: str,
                  weight: str | None, what: str) -> tuple[pd.DataFrame, list[str]]:
    """Rows per (group, period, score value), aggregated in the frame's own engine.

    Returns the small pandas table (group columns, ``period`` ordinals, ``_score``, ``_n``,
    and with a weight ``_w``, ``_w2``, ``_wbad``) and the names of its key columns.
    """
    nw = require_module("narwhals")
    lf = lazy(data)
    needed = [score, *keys] + ([date] if period else []) + ([weight] if weight else [])
    require_engine_columns(lf, needed, what)
    if period and "period" in keys:
        raise CXLabError("a 'by' column is named 'period', which clashes with period=", column="period",
                         fix="rename that column or leave period=None")
    schema = lf.collect_schema()
    sdtype = schema[score]
    if not sdtype.is_numeric():
        raise CXLabError(f"the score column must hold numbers, it has type {sdtype}", column=score,
                         fix="cast it to a number in your engine, or load the file through cxlab.io")
    s = nw.col(score)
    if sdtype.is_float():
        s = s.fill_nan(None)  # NaN is a missing score, as in pandas
    cols = [nw.col(k) for k in keys] + [s.alias("_score")]
    names = list(keys)
    if period:
        freq = _PERIODS.get(period)
        if freq is None:
            raise CXLabError(f"unknown period {period!r}",
                             fix="use 'W' (week), 'M' (month), 'Q' (quarter), 'Y' or 'D'")
        if not isinstance(schema[date], (nw.Datetime, nw.Date)):
            raise CXLabError(f"the date column must hold dates/times, it has type {schema[date]}", column=date,
                             fix="cast it to a timestamp in your engine, or load the file through cxlab.io")
        cols.append(period_key(nw.col(date), freq).alias("period"))
        names.append("period")
    aggs = [nw.len().alias("_n")]
    if weight:
        w = nw.col(weight).cast(nw.Float64)
        cols.append(w.alias("_wt"))
        wt = nw.col("_wt")
        aggs += [wt.sum().alias("_w"), (wt * wt).sum().alias("_w2"),
                 (wt.is_null() | wt.is_nan() | (wt < 0) | (wt == float("inf"))).cast(nw.Int64).sum().alias("_wbad")]
    small = collect(lf.select(*cols).group_by(*names, "_score", drop_null_keys=False).agg(*aggs))
    if weight and small["_wbad"].fillna(0).sum() > 0:
        raise CXLabError(f"{int(small['_wbad'].sum())} weight(s) are missing, negative or not numbers",
                         column=weight, fix="give every response a non-negative weight (1 when unweighted)")
    if period:
        ordinals = key_ordinals(small["period"], freq)
        small["period"] = pd.PeriodIndex.from_ordinals(
            np.where(np.isnan(ordinals), np.iinfo(np.int64).min, ordinals).astype(np.int64), freq=freq)
    return small, names


def _check_values(values: pd.Series, lo: int, hi: int, column: str) -> None:
    v = pd.to_numeric(values, errors="coerce").dropna()
    bad = v[(v < lo) | (v > hi) | (v != np.round(v))]
    if len(bad):
        raise CXLabError(f"some scores are not whole numbers from {lo} to {hi} (e.g. {sorted(set(bad))[:5]})",
                         column=column, fix=f"fix or drop these rows in the source (scores must be {lo}–{hi})")


def _wide(small: pd.DataFrame, names: list[str], values: range, value_col: str, prefix: str,
          fill: float | int = 0) -> pd.DataFrame:
    """One row per group (sorted, missing labels last), one column per score value."""
    slot = small["_score"].astype("Float64").fillna(-1).astype(np.int64).to_numpy()
    if names:
        grouped = small.groupby(names, dropna=False, sort=True, observed=True)
        gid = grouped.ngroup().to_numpy()
        n_groups = grouped.ngroups
        labels = small.loc[:, names].iloc[np.unique(gid, return_index=True)[1]].reset_index(drop=True)
    else:
        gid = np.zeros(len(small), dtype=np.int64)
        n_groups = 1 if len(small) else 0
        labels = pd.DataFrame(index=range(n_groups))
    out = labels.copy()
    weights = small[value_col].to_numpy(dtype=float)
    for v in values:
        out[f"{prefix}_{v}"] = np.bincount(gid[slot == v], weights=weights[slot == v], minlength=n_groups)
    return out, gid, slot, n_groups


def score_counts(data, *, score: str = "likelihood_to_recommend", by=None, period: str | None = None,
                 date: str = "submitted_at", weight: str | None = None) -> pd.DataFrame:
    """The NPS count table (responses per group and score 0–10) of any frame.

    pandas frames go to :func:`cxlab.nps.score_counts` (numpy counting over category
    codes). Polars, DuckDB and PySpark frames are counted in their own engine with one
    ``group_by`` over (groups, period, score); only that small table is collected.

    Parameters
    ----------
    data
        Survey responses: pandas, Polars (eager or lazy), DuckDB relation, PySpark DataFrame.
    score, by, period, date, weight
        As in :func:`cxlab.nps.score_counts`.

    Returns
    -------
    pandas.DataFrame
        The same table as :func:`cxlab.nps.score_counts`: group columns (and ``period``),
        ``count_0`` … ``count_10``, ``count_missing`` (and with ``weight`` the ``weight_*``
        columns and ``weight_sq``). Row numbers of bad scores are not known to a lazy engine,
        so its errors name the column and example values only.

    Examples
    --------
    >>> import polars as pl
    >>> survey = pl.DataFrame({"channel": ["store"] * 3 + ["web"] * 2,
    ...                        "likelihood_to_recommend": [10, 9, 4, 7, None]})
    >>> counts = score_counts(survey, by="channel")
    >>> print(counts[["channel", "count_4", "count_7", "count_9", "count_10", "count_missing"]].to_string())
      channel  count_4  count_7  count_9  count_10  count_missing
    0   store        1        0        1         1              0
    1     web        0        1        0         0              1
    """
    from cxlab.nps import counts as _counts
    from cxlab.nps.ratings import check_nps_scale

    if is_pandas(data):
        return _counts.score_counts(data, score=score, by=by, period=period, date=date, weight=weight)
    check_nps_scale(score)
    small, names = _value_counts(data, score=score, keys=as_list(by), period=period, date=date, weight=weight,
                                 what="the survey table")
    _check_values(small["_score"], 0, 10, score)
    out, gid, slot, n_groups = _wide(small, names, range(11), "_n", "count")
    for v in range(11):
        out[f"count_{v}"] = out[f"count_{v}"].astype(np.int64)
    out["count_missing"] = np.bincount(gid[slot < 0], weights=small["_n"].to_numpy(dtype=float)[slot < 0],
                                       minlength=n_groups).astype(np.int64)
    if weight:
        wide_w, *_ = _wide(small, names, range(11), "_w", "weight")
        for v in range(11):
            out[f"weight_{v}"] = wide_w[f"weight_{v}"].to_numpy()
        scored = slot >= 0
        out["weight_sq"] = np.bincount(gid[scored], weights=small["_w2"].to_numpy(dtype=float)[scored],
                                       minlength=n_groups)
    return out


def rating_counts(data, *, score: str, scale: tuple[int, int] | None = None, by=None, period: str | None = None,
                  date: str = "submitted_at") -> pd.DataFrame:
    """Answers per group and scale point of a rating question (CSAT 1–5, CES 1–7 ...), any engine.

    Parameters
    ----------
    data
        Survey responses in any supported engine (pandas included: counted with narwhals).
    score
        The rating column.
    scale
        (lowest, highest); by default from the schema (``csat`` 1–5, ``ces`` 1–7).
    by, period, date
        Grouping columns and calendar period, as in :func:`score_counts`.

    Returns
    -------
    pandas.DataFrame
        Group columns (and ``period``), ``count_<lo>`` … ``count_<hi>``, ``count_missing``;
        one row per observed group, sorted, missing labels last. Everything a rating
        table needs (mean, SD, top-box share) follows from these counts.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"csat": [5, 4, 4, None, 1], "store": list("AABBB")})
    >>> print(rating_counts(df, score="csat", by="store").to_string())
      store  count_1  count_2  count_3  count_4  count_5  count_missing
    0     A        0        0        0        1        1              0
    1     B        1        0        0        1        0              1
    """
    from cxlab.nps.ratings import rating_scale

    lo, hi = rating_scale(score, scale)
    small, names = _value_counts(data, score=score, keys=as_list(by), period=period, date=date, weight=None,
                                 what="the survey table")
    _check_values(small["_score"], lo, hi, score)
    out, gid, slot, n_groups = _wide(small, names, range(lo, hi + 1), "_n", "count")
    for v in range(lo, hi + 1):
        out[f"count_{v}"] = out[f"count_{v}"].astype(np.int64)
    out["count_missing"] = np.bincount(gid[slot < 0], weights=small["_n"].to_numpy(dtype=float)[slot < 0],
                                       minlength=n_groups).astype(np.int64)
    return out
