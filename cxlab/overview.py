"""A first look at the canonical tables: what is in them, over which period, how complete."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["table_overview", "monthly_activity", "channel_mix"]

_TIME_COLUMNS = ("timestamp", "submitted_at", "signup_date")


def _time_column(frame: pd.DataFrame) -> str | None:
    return next((c for c in _TIME_COLUMNS if c in frame.columns), None)


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
        if tcol is None or frame.empty:
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
        if "channel" not in frame.columns or frame.empty:
            continue
        counts = frame["channel"].value_counts(sort=False, dropna=False)
        counts = counts[counts > 0]
        parts.append(pd.DataFrame({"table": name, "channel": counts.index.astype("string"),
                                   "n": counts.to_numpy(), "share": counts.to_numpy() / counts.sum()}))
    if not parts:  # no table has a channel column: an empty table, not an error
        return pd.DataFrame({"table": pd.Series(dtype="string"), "channel": pd.Series(dtype="string"),
                             "n": pd.Series(dtype="int64"), "share": pd.Series(dtype="float64")})
    return pd.concat(parts, ignore_index=True)
