"""Per-customer tables of behavioural segmentation in any engine, and small facts about a column.

The segmentation notebook uses its purchases only through per-customer aggregates — the
marketing RFM table, the behavioural features with category and channel mixes, the
calibration/holdout split of the lifetime-value check — and a few facts (the first purchase,
whether a column has values, how many purchases fall inside the observation window). Each
function here takes pandas (the kit's own numpy path) or a Polars, DuckDB or Spark frame
(counted there; only the per-customer table comes back), so one notebook cell serves both.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxlab.engine._frame import collect, columns_of, is_pandas, lazy, require_engine_columns, require_module
from cxlab.engine._time import key_ordinals, period_key
from cxlab.engine.rfm import customer_periods, rfm_from_periods
from cxlab.errors import CXLabError

__all__ = ["rfm_table", "customer_features", "calibration_and_holdout", "time_range", "has_values",
           "window_counts", "customer_ids"]



def rfm_table(transactions, *, customer_col: str = "customer_id", datetime_col: str = "timestamp",
              monetary_col: str = "amount", observation_end: Any = None, freq: str = "D") -> pd.DataFrame:
    """:func:`cxlab.segmentation.rfm_table` of any frame (days since last purchase, purchases, revenue ...).

    Returns
    -------
    pandas.DataFrame
        The same table as the pandas function, indexed by customer id (sorted).

    Examples
    --------
    >>> import duckdb
    >>> tx = duckdb.sql(\"\"\"select * from (values
    ...     ('a', timestamp '2025-01-05', 120.0, 'wine', 'store'), ('a', timestamp '2025-02-10', 80.0, 'cheese', 'web'),
    ...     ('a', timestamp '2025-03-20', 100.0, 'wine', 'store'), ('b', timestamp '2025-01-07', 40.0, 'wine', 'web'),
    ...     ('b', timestamp '2025-03-01', 60.0, 'gifts', 'web'))
    ...     t(customer_id, timestamp, amount, category, channel)\"\"\")
    >>> print(rfm_table(tx, observation_end="2025-03-31").to_string())
                 days_since_last  purchases  revenue  tenure  avg_purchase
    customer_id
    a                       11.0        3.0    300.0    85.0         100.0
    b                       30.0        2.0    100.0    83.0          50.0
    """
    if is_pandas(transactions):
        from cxlab.segmentation.scores import rfm_table as pandas_rfm_table

        return pandas_rfm_table(transactions, customer_col=customer_col, datetime_col=datetime_col,
                                monetary_col=monetary_col, observation_end=observation_end, freq=freq)
    from cxlab import rfm as _rfm

    _rfm._check_freq(freq, 1)
    per, p_end = customer_periods(transactions, customer_col=customer_col, datetime_col=datetime_col,
                                  monetary_col=monetary_col, observation_end=observation_end, freq=freq)
    per = per.sort_values("_c", kind="stable").reset_index(drop=True)
    first_p = key_ordinals(per["first"], freq, rfm=True).astype(np.int64)
    last_p = key_ordinals(per["last"], freq, rfm=True).astype(np.int64)
    if p_end is None:
        p_end = int(last_p.max())
    purchases = per["count"].to_numpy(dtype=np.float64)
    revenue = per["_all"].to_numpy(dtype=np.float64)
    return pd.DataFrame({"days_since_last": (p_end - last_p).astype(np.float64), "purchases": purchases,
                         "revenue": revenue, "tenure": (p_end - first_p).astype(np.float64),
                         "avg_purchase": revenue / purchases},
                        index=pd.Index(per["_c"].to_numpy(), name=customer_col))


def customer_features(transactions, *, customer_col: str = "customer_id", datetime_col: str = "timestamp",
                      monetary_col: str = "amount", observation_end: Any = None,
                      category_col: str | None = "category", channel_col: str | None = "channel",
                      freq: str = "D") -> pd.DataFrame:
    """:func:`cxlab.segmentation.customer_features` of any frame: RFM plus category and channel mix.

    pandas frames go to the pandas function; other engines count (customer, category) revenue
    and (customer, channel) rows in one ``group_by`` each and only those small tables come back.

    Returns
    -------
    pandas.DataFrame
        The same table as the pandas function: the :func:`rfm_table` columns, ``cat_<category>``
        (share of revenue) and ``chan_<channel>`` (share of purchase rows), indexed by customer id.

    Examples
    --------
    >>> import duckdb
    >>> tx = duckdb.sql(\"\"\"select * from (values
    ...     ('a', timestamp '2025-01-05', 120.0, 'wine', 'store'), ('a', timestamp '2025-02-10', 80.0, 'cheese', 'web'),
    ...     ('a', timestamp '2025-03-20', 100.0, 'wine', 'store'), ('b', timestamp '2025-01-07', 40.0, 'wine', 'web'),
    ...     ('b', timestamp '2025-03-01', 60.0, 'gifts', 'web'))
    ...     t(customer_id, timestamp, amount, category, channel)\"\"\")
    >>> print(customer_features(tx, observation_end="2025-03-31")[["revenue", "cat_wine", "chan_web"]]
    ...       .round(2).to_string())
                 revenue  cat_wine  chan_web
    customer_id
    a              300.0      0.73      0.33
    b              100.0      0.40      1.00
    """
    if is_pandas(transactions):
        from cxlab.segmentation.clusters import customer_features as pandas_features

        return pandas_features(transactions, customer_col=customer_col, datetime_col=datetime_col,
                               monetary_col=monetary_col, observation_end=observation_end,
                               category_col=category_col, channel_col=channel_col, freq=freq)
    from cxlab import rfm as _rfm
    from cxlab.segmentation.clusters import _slug

    nw = require_module("narwhals")
    base = rfm_table(transactions, customer_col=customer_col, datetime_col=datetime_col, monetary_col=monetary_col,
                     observation_end=observation_end, freq=freq)
    lf = lazy(transactions)
    have = columns_of(lf)
    rows = lf
    if observation_end is not None:  # the same window as rfm_table: purchase periods up to the end's
        p_end = int(_rfm._periods(_rfm._to_ns([_rfm._timestamp(observation_end, "observation_end")]), freq)[0])
        last_key = p_end if freq == "W" else pd.Timestamp(p_end * _rfm._NS_PER[freq]).to_pydatetime()
        rows = rows.filter(period_key(nw.col(datetime_col), freq) <= nw.lit(last_key))
    out = {c: base[c].to_numpy() for c in base.columns}
    for prefix, col, weighted in (("cat", category_col, True), ("chan", channel_col, False)):
        if col is None:
            continue
        if col not in have:
            if col in ("category", "channel"):  # optional canonical columns: absent means left out
                continue
            raise CXLabError(f"the transactions table lacks column {col!r}", column=col,
                             fix=f"pass {prefix == 'cat' and 'category_col' or 'channel_col'}=None to leave it out")
        picked = [nw.col(customer_col).alias("_c"), nw.col(col).cast(nw.String).alias("_l")]
        if weighted:
            picked.append(nw.col(monetary_col).cast(nw.Float64).alias("_a"))
        agg = (nw.col("_a").sum() if weighted else nw.len()).alias("_v")
        small = collect(rows.select(*picked).group_by("_c", "_l", drop_null_keys=False).agg(agg))
        sentinel = "\x00(missing)"  # a missing level is a level of its own, as in the pandas function
        small["_v"] = small["_v"].astype(np.float64)
        small["_l"] = small["_l"].astype(object).where(small["_l"].notna(), sentinel)
        wide = small.pivot_table(index="_c", columns="_l", values="_v", aggfunc="sum", fill_value=0.0)
        levels = [np.nan if v == sentinel else v for v in wide.columns]
        mat = wide.reindex(base.index).fillna(0.0).to_numpy(dtype=float)
        tot = mat.sum(axis=1, keepdims=True)
        mat = np.divide(mat, tot, out=np.zeros_like(mat), where=tot > 0)
        names = [f"{prefix}_{_slug(v)}" for v in levels]
        for j in np.argsort(names, kind="stable"):
            out[names[j]] = mat[:, j]
    return pd.DataFrame(out, index=base.index)


def calibration_and_holdout(transactions, *, calibration_end: Any, observation_end: Any = None,
                            customer_col: str = "customer_id", datetime_col: str = "timestamp",
                            monetary_col: str | None = "amount", freq: str = "D", freq_multiplier: float = 1,
                            include_first_transaction: bool = False,
                            holdout_monetary: str = "transaction") -> pd.DataFrame:
    """:func:`cxlab.segmentation.calibration_and_holdout` of any frame (the lifetime-value holdout check).

    Returns
    -------
    pandas.DataFrame
        The same table as the pandas function, indexed by customer id (sorted).

    Examples
    --------
    >>> import duckdb
    >>> tx = duckdb.sql(\"\"\"select * from (values
    ...     ('a', timestamp '2025-01-05', 120.0, 'wine', 'store'), ('a', timestamp '2025-02-10', 80.0, 'cheese', 'web'),
    ...     ('a', timestamp '2025-03-20', 100.0, 'wine', 'store'), ('b', timestamp '2025-01-07', 40.0, 'wine', 'web'),
    ...     ('b', timestamp '2025-03-01', 60.0, 'gifts', 'web'))
    ...     t(customer_id, timestamp, amount, category, channel)\"\"\")
    >>> ch = calibration_and_holdout(tx, calibration_end="2025-02-28", observation_end="2025-03-31")
    >>> print(ch[["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]].to_string())
                 frequency_cal  recency_cal  T_cal  frequency_holdout  duration_holdout
    customer_id
    a                      1.0         36.0   54.0                1.0              31.0
    b                      0.0          0.0   52.0                1.0              31.0
    """
    if is_pandas(transactions):
        from cxlab.rfm import calibration_and_holdout as pandas_calibration

        return pandas_calibration(transactions, calibration_end=calibration_end, observation_end=observation_end,
                                  customer_col=customer_col, datetime_col=datetime_col, monetary_col=monetary_col,
                                  freq=freq, freq_multiplier=freq_multiplier,
                                  include_first_transaction=include_first_transaction,
                                  holdout_monetary=holdout_monetary)
    from cxlab import rfm as _rfm

    _rfm._check_freq(freq, freq_multiplier)
    if holdout_monetary not in ("transaction", "period"):
        raise CXLabError(f"holdout_monetary={holdout_monetary!r} is not known", fix="use 'transaction' or 'period'")
    cal_end = _rfm._timestamp(calibration_end, "calibration_end")
    if observation_end is None:
        rng = time_range(transactions, datetime_col)
        if rng is None:
            raise CXLabError("the transactions table is empty", fix="check the filter or file that produced it")
        obs_end = rng[1]
    else:
        obs_end = _rfm._timestamp(observation_end, "observation_end")
    if obs_end <= cal_end:
        raise CXLabError(f"observation_end ({obs_end}) is not after calibration_end ({cal_end})",
                         fix="choose a calibration end inside the observation period")
    common = {"customer_col": customer_col, "datetime_col": datetime_col, "monetary_col": monetary_col, "freq": freq}
    try:
        per, p_cal = customer_periods(transactions, observation_end=cal_end, until=cal_end, **common)
    except CXLabError as exc:
        if "empty" not in exc.problem and "before every purchase" not in exc.problem:
            raise
        raise CXLabError(f"no purchase at or before calibration_end={cal_end}",
                         fix="choose a later calibration end") from None
    out = rfm_from_periods(per, p_cal, freq=freq, freq_multiplier=freq_multiplier,
                           include_first_transaction=include_first_transaction, monetary=monetary_col is not None,
                           customer_col=customer_col)
    out.columns = [f"{c}_cal" for c in out.columns]
    try:
        hold, _ = customer_periods(transactions, after=cal_end, until=obs_end, **common)
    except CXLabError as exc:
        if "empty" not in exc.problem:
            raise
        raise CXLabError(f"no purchase after calibration_end={cal_end} up to observation_end={obs_end}",
                         fix="choose an earlier calibration end or a later observation end") from None
    hold = hold.set_index("_c").reindex(out.index)
    out["frequency_holdout"] = hold["count"].fillna(0).to_numpy(dtype=np.float64)
    if monetary_col is not None:
        rows = hold["_nrows" if holdout_monetary == "transaction" else "count"].fillna(0).to_numpy(dtype=float)
        total = hold["_all"].fillna(0).to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["monetary_value_holdout"] = np.where(rows > 0, total / np.maximum(rows, 1), 0.0)
    p_obs_cal = _rfm._periods(_rfm._to_ns([cal_end, obs_end]), freq)
    out["duration_holdout"] = (int(p_obs_cal[1]) - int(p_obs_cal[0])) / freq_multiplier
    return out


def time_range(data, column: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last value of a date/time column of any frame, or ``None`` when it has none.

    Examples
    --------
    >>> import pandas as pd
    >>> time_range(pd.DataFrame({"t": pd.to_datetime(["2025-03-01", None, "2025-01-02"])}), "t")
    (Timestamp('2025-01-02 00:00:00'), Timestamp('2025-03-01 00:00:00'))
    """
    if is_pandas(data):
        s = data[column].dropna()
        return (pd.Timestamp(s.min()), pd.Timestamp(s.max())) if len(s) else None
    nw = require_module("narwhals")
    lf = lazy(data)
    require_engine_columns(lf, [column], "the table")
    got = collect(lf.select(nw.col(column).min().alias("_lo"), nw.col(column).max().alias("_hi"))).iloc[0]
    return None if pd.isna(got["_lo"]) else (pd.Timestamp(got["_lo"]), pd.Timestamp(got["_hi"]))


def has_values(data, column: str) -> bool:
    """True when a frame (any engine) has the column and it holds at least one value.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"channel": [None, None], "category": ["wine", None]})
    >>> has_values(df, "channel"), has_values(df, "category"), has_values(df, "region")
    (False, True, False)
    """
    if is_pandas(data):
        return column in data.columns and bool(data[column].notna().any())
    nw = require_module("narwhals")
    lf = lazy(data)
    if column not in columns_of(lf):
        return False
    return bool(collect(lf.select(nw.col(column).count().alias("_n")))["_n"].iloc[0] > 0)


def window_counts(data, *, end: Any, time_col: str = "timestamp", customer_col: str = "customer_id") -> dict:
    """Rows and distinct customers at or before ``end``, and rows after it (one pass in any engine).

    Returns
    -------
    dict
        ``rows`` and ``customers`` up to ``end`` (inclusive), ``rows_after``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                    "timestamp": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-04-01"])})
    >>> window_counts(tx, end="2025-03-31")
    {'rows': 2, 'customers': 1, 'rows_after': 1}
    """
    end = pd.Timestamp(end)
    if is_pandas(data):
        inside = data[time_col] <= end
        return {"rows": int(inside.sum()), "customers": int(data.loc[inside, customer_col].nunique()),
                "rows_after": int((data[time_col] > end).sum())}
    nw = require_module("narwhals")
    lf = lazy(data)
    require_engine_columns(lf, [time_col, customer_col], "the table")
    t = nw.col(time_col)
    lit = nw.lit(end.to_pydatetime())
    inside = lf.filter(t <= lit)
    ids = nw.col(customer_col)
    got = collect(inside.select(nw.len().alias("_n"),
                                (ids.n_unique() - ids.is_null().cast(nw.Int64).max()).alias("_c"))).iloc[0]
    after = collect(lf.filter(t > lit).select(nw.len().alias("_n")))["_n"].iloc[0]
    n = int(got["_n"])
    return {"rows": n, "customers": int(got["_c"]) if n else 0, "rows_after": int(after)}


def customer_ids(data, column: str = "customer_id"):
    """The customers a frame knows, for linking a survey to them: pandas as it is, other engines' distinct ids.

    A survey is linked to the customers that exist in the purchases (:func:`cxlab.survey_vs_behaviour.link_survey`);
    for a table scanned with DuckDB (or any engine frame) only its distinct ids come back, as a one-column
    pandas frame.

    Examples
    --------
    >>> import duckdb
    >>> tx = duckdb.sql("select * from (values ('a', 1.0), ('b', 2.0), ('a', 3.0), (NULL, 4.0)) t(customer_id, amount)")
    >>> print(customer_ids(tx).to_string(index=False))
    customer_id
              a
              b
    """
    if is_pandas(data):
        return data
    nw = require_module("narwhals")
    lf = lazy(data)
    require_engine_columns(lf, [column], "the table")
    ids = collect(lf.select(nw.col(column)).filter(~nw.col(column).is_null()).unique())
    return ids.sort_values(column, kind="stable").reset_index(drop=True)
