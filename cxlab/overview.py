"""A first look at the canonical tables: what is in them, over which period, how complete.

Each function takes pandas tables or tables scanned with DuckDB (or any engine frame,
:mod:`cxlab.engine`): those are counted where they are, in one query each.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["table_overview", "monthly_activity", "channel_mix"]

_TIME_COLUMNS = ("timestamp", "submitted_at", "signup_date")


def _columns(frame) -> list[str]:
    if isinstance(frame, pd.DataFrame):
        return list(frame.columns)
    from cxlab.engine._frame import columns_of, lazy

    return columns_of(lazy(frame))


def _time_column(frame) -> str | None:
    return next((c for c in _TIME_COLUMNS if c in _columns(frame)), None)


def _engine_overview(name: str, frame) -> dict:
    """The :func:`table_overview` row of an engine frame, in one aggregation."""
    import narwhals as nw

    from cxlab.engine._frame import collect, lazy

    lf = lazy(frame)
    cols = _columns(frame)
    tcol = _time_column(frame)
    aggs = [nw.len().alias("_rows")] + [nw.col(c).null_count().alias(f"_null{i}") for i, c in enumerate(cols)]
    if tcol:
        aggs += [nw.col(tcol).min().alias("_first"), nw.col(tcol).max().alias("_last")]
    if "customer_id" in cols:
        ids = nw.col("customer_id")
        aggs.append((ids.n_unique() - ids.is_null().cast(nw.Int64).max()).alias("_ids"))
    got = collect(lf.select(*aggs)).iloc[0]
    rows = int(got["_rows"])
    nulls = sum(int(got[f"_null{i}"]) for i in range(len(cols)))
    return {"table": name, "rows": rows, "columns": len(cols),
            "first": pd.Timestamp(got["_first"]) if tcol and rows else pd.NaT,
            "last": pd.Timestamp(got["_last"]) if tcol and rows else pd.NaT,
            "customers": int(got["_ids"]) if "customer_id" in cols and rows else 0,
            "missing_share": nulls / (rows * len(cols)) if rows and cols else 0.0}


def table_overview(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per table: rows, columns, period covered, distinct customers, share of missing cells.

    Returns
    -------
    pandas.DataFrame
        Columns ``table, rows, columns, first, last, customers, missing_share``.

    Examples
    --------
    >>> from cxlab.datasets import load_example
    >>> table_overview(load_example().tables())["table"].tolist()
    ['customers', 'transactions', 'survey_responses', 'interactions']
    """
    rows = []
    for name, frame in tables.items():
        if not isinstance(frame, pd.DataFrame):
            rows.append(_engine_overview(name, frame))
            continue
        tcol = _time_column(frame)
        rows.append({
            "table": name,
            "rows": len(frame),
            "columns": frame.shape[1],
            "first": frame[tcol].min() if tcol else pd.NaT,
            "last": frame[tcol].max() if tcol else pd.NaT,
            "customers": frame["customer_id"].nunique() if "customer_id" in frame else 0,
            "missing_share": float(frame.isna().to_numpy().mean()) if frame.size else 0.0,
        })
    return pd.DataFrame(rows)


def monthly_activity(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows per calendar month in each dated table (tidy: ``table, month, n``).

    Customers are counted by signup month.

    Examples
    --------
    >>> import pandas as pd
    >>> tables = {
    ...     "transactions": pd.DataFrame({"timestamp": pd.to_datetime(["2025-01-03", "2025-01-20", "2025-02-02"]),
    ...                                   "channel": ["store", "web", "store"]}),
    ...     "survey_responses": pd.DataFrame({"submitted_at": pd.to_datetime(["2025-02-10"]), "channel": ["web"]})}
    >>> print(monthly_activity(tables).to_string())
                  table      month  n
    0      transactions 2025-01-01  2
    1      transactions 2025-02-01  1
    2  survey_responses 2025-02-01  1
    """
    parts = []
    for name, frame in tables.items():
        tcol = _time_column(frame)
        if tcol is None:
            continue
        if not isinstance(frame, pd.DataFrame):  # counted in its engine, by the month's first day
            import narwhals as nw

            from cxlab.engine._frame import collect, lazy

            small = collect(lazy(frame).filter(~nw.col(tcol).is_null())
                            .group_by(nw.col(tcol).dt.truncate("1mo").alias("month")).agg(nw.len().alias("n")))
            small = small.sort_values("month").reset_index(drop=True)
            if len(small):
                parts.append(pd.DataFrame({"table": name, "month": pd.to_datetime(small["month"]).dt.as_unit("ns"),
                                           "n": small["n"].to_numpy(dtype="int64")}))
            continue
        if frame.empty:
            continue
        month = frame[tcol].dt.to_period("M").dt.to_timestamp()
        counts = month.value_counts().sort_index()
        parts.append(pd.DataFrame({"table": name, "month": counts.index, "n": counts.to_numpy()}))
    if not parts:
        return pd.DataFrame({"table": pd.Series(dtype="string"), "month": pd.Series(dtype="datetime64[ns]"),
                             "n": pd.Series(dtype="int64")})
    return pd.concat(parts, ignore_index=True)


def channel_mix(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Share of rows by channel in each table that has a ``channel`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``table, channel, n, share`` (shares sum to 1 within a table).

    Examples
    --------
    >>> import pandas as pd
    >>> tables = {
    ...     "transactions": pd.DataFrame({"timestamp": pd.to_datetime(["2025-01-03", "2025-01-20", "2025-02-02"]),
    ...                                   "channel": ["store", "web", "store"]}),
    ...     "survey_responses": pd.DataFrame({"submitted_at": pd.to_datetime(["2025-02-10"]), "channel": ["web"]})}
    >>> print(channel_mix(tables).round(2).to_string())
                  table channel  n  share
    0      transactions   store  2   0.67
    1      transactions     web  1   0.33
    2  survey_responses     web  1   1.00
    """
    parts = []
    for name, frame in tables.items():
        if "channel" not in _columns(frame):
            continue
        if not isinstance(frame, pd.DataFrame):  # counted in its engine
            import narwhals as nw

            from cxlab.engine._frame import collect, lazy

            small = collect(lazy(frame).group_by("channel", drop_null_keys=False).agg(nw.len().alias("n")))
            small = small.sort_values("channel", na_position="last").reset_index(drop=True)
            counts = pd.Series(small["n"].to_numpy(dtype="int64"), index=small["channel"].astype("string"))
        elif frame.empty:
            continue
        else:
            counts = frame["channel"].value_counts(sort=False, dropna=False)
        counts = counts[counts > 0]
        parts.append(pd.DataFrame({"table": name, "channel": counts.index.astype("string"),
                                   "n": counts.to_numpy(), "share": counts.to_numpy() / counts.sum()}))
    if not parts:  # no table has a channel column: an empty table, not an error
        return pd.DataFrame({"table": pd.Series(dtype="string"), "channel": pd.Series(dtype="string"),
                             "n": pd.Series(dtype="int64"), "share": pd.Series(dtype="float64")})
    return pd.concat(parts, ignore_index=True)
