"""Channel × answer tables, survey-linked behaviour and identity key frequencies in any engine."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from cxlab.engine._frame import collect, columns_of, is_pandas, lazy, require_engine_columns, require_module
from cxlab.errors import CXLabError

__all__ = ["answer_counts", "behaviour_around", "key_counts"]


def answer_counts(data, *, score: str, channel: str = "channel",
                  scale: tuple[int, int] | None = None) -> pd.DataFrame:
    """Channel × answer contingency table of one score, counted in the frame's own engine.

    pandas frames go to :func:`cxlab.channels.answer_counts`; other engines count
    (channel, answer) pairs with one ``group_by`` and only those counts are collected.

    Parameters
    ----------
    data
        Survey responses or interactions: pandas, Polars, DuckDB or PySpark.
    score, channel, scale
        As in :func:`cxlab.channels.answer_counts`: values outside ``scale`` and missing
        answers are not counted; a missing channel is the row ``"(missing)"``.

    Returns
    -------
    pandas.DataFrame
        Rows: channels (text index named ``channel``); columns: answer values; cells: counts.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"channel": ["a", "a", "b"], "csat": [5, 4, 5]})
    >>> print(answer_counts(df, score="csat", scale=(1, 5)).to_string())
             1  2  3  4  5
    channel
    a        0  0  0  1  1
    b        0  0  0  0  1
    """
    from cxlab.channels import tests as _tests
    from cxlab.channels.metrics import _labels

    if is_pandas(data):
        return _tests.answer_counts(data, score=score, channel=channel, scale=scale)
    nw = require_module("narwhals")
    lf = lazy(data)
    require_engine_columns(lf, [channel, score], "the data")
    dtype = lf.collect_schema()[score]
    x = nw.col(score).cast(nw.Float64)
    if dtype.is_float():
        x = x.fill_nan(None)
    rows = lf.select(nw.col(channel).alias("_ch"), x.alias("_x")).filter(~nw.col("_x").is_null())
    if scale is not None:
        rows = rows.filter((nw.col("_x") >= scale[0]) & (nw.col("_x") <= scale[1]))
    small = collect(rows.group_by("_ch", "_x", drop_null_keys=False).agg(nw.len().alias("_n")))
    labels = _labels(small["_ch"])  # the pandas path's labels and order (sorted values, missing last)
    if dtype.is_numeric() and not dtype.is_float() or (len(small) and (small["_x"] == np.round(small["_x"])).all()):
        values = small["_x"].astype(np.int64)
    else:
        values = small["_x"]
    table = pd.crosstab(labels.rename("channel"), values.rename(None), values=small["_n"], aggfunc="sum")
    table = table.fillna(0).astype(np.int64)
    table.index = pd.Index(table.index.astype(str), name="channel")
    table.columns = [int(c) if float(c).is_integer() else c for c in table.columns]
    if scale is not None:
        table = table.reindex(columns=range(int(scale[0]), int(scale[1]) + 1), fill_value=0)
    table.index = table.index.astype(str)
    table.index.name = "channel"
    table.columns.name = None
    return table


def behaviour_around(link, transactions, *, customer_col: str = "customer_id", time_col: str = "timestamp",
                     observation_end=None, **kwargs) -> pd.DataFrame:
    """:func:`cxlab.survey_vs_behaviour.behaviour_around` with the transactions in any engine.

    Only the purchases of the linked respondents are brought back (a semi-join on the
    customer id, done in the engine, plus the latest purchase time when ``observation_end``
    is not given); the windows around each survey date are then computed exactly as for
    pandas. A survey links thousands of customers, the transactions hold millions.

    Parameters
    ----------
    link
        A :class:`cxlab.survey_vs_behaviour.SurveyLink` or a pandas frame with
        ``response_id``, ``customer_id``, ``submitted_at``.
    transactions
        The transactions: pandas, Polars, DuckDB or PySpark.
    customer_col, time_col, observation_end, **kwargs
        As in :func:`cxlab.survey_vs_behaviour.behaviour_around`.

    Returns
    -------
    pandas.DataFrame
        The same table as the pandas function.
    """
    from cxlab.survey_vs_behaviour import link as _link
    from cxlab.survey_vs_behaviour._common import text_key

    if is_pandas(transactions):
        return _link.behaviour_around(link, transactions, customer_col=customer_col, time_col=time_col,
                                      observation_end=observation_end, **kwargs)
    nw = require_module("narwhals")
    table = link.table if isinstance(link, _link.SurveyLink) else link
    if not isinstance(table, pd.DataFrame) or customer_col not in table.columns:
        raise CXLabError("the linked survey must be a pandas table with the customer id column", column=customer_col,
                         fix="pass the SurveyLink from cxlab.survey_vs_behaviour.link_survey")
    lf = lazy(transactions)
    require_engine_columns(lf, [customer_col, time_col], "the transactions")
    ids = sorted(text_key(table[customer_col]).dropna().unique().tolist())
    if observation_end is None:
        latest = collect(lf.select(nw.col(time_col).max().alias("_t")))["_t"].iloc[0]
        observation_end = None if pd.isna(latest) else pd.Timestamp(latest)
    wanted = [c for c in columns_of(lf) if c in {customer_col, time_col, kwargs.get("amount_col", "amount"),
                                                 kwargs.get("tier_col", "price_tier"),
                                                 kwargs.get("category_col", "category")}]
    key = nw.col(customer_col).cast(nw.String).str.strip_chars()
    tx = collect(lf.select(*wanted).filter(key.is_in(ids)))
    return _link.behaviour_around(link, tx, customer_col=customer_col, time_col=time_col,
                                  observation_end=observation_end, **kwargs)


def key_counts(records, *, keys: Iterable[str] = ("email", "phone"), id_col: str | None = "customer_id",
               min_records: int = 2) -> pd.DataFrame:
    """How often each identity key value occurs: the blocking-key frequency table.

    A value that many records share is either what links one customer's records across
    channels or a placeholder (``noemail@...``, an office phone) that must be blocked;
    :func:`cxlab.identity.find_placeholders` decides which. Counting them is the heavy step
    and runs in the frame's engine (pandas included, through narwhals).

    Parameters
    ----------
    records
        Contact records (normalised keys such as ``email_key`` or raw columns) in any engine.
    keys
        Key columns to count (those absent are skipped).
    id_col
        Customer id column; ``n_ids`` counts the distinct ids among a value's records
        (``None``: not counted).
    min_records
        Keep values held by at least this many records (2: values that can link anything).

    Returns
    -------
    pandas.DataFrame
        ``key``, ``value``, ``n_records``, ``n_ids``; sorted by key, then most frequent first.

    Examples
    --------
    >>> import pandas as pd
    >>> recs = pd.DataFrame({"email": ["a@x.ru", "a@x.ru", "b@y.ru", None, None],
    ...                      "customer_id": ["1", "2", "3", "4", "5"]})
    >>> print(key_counts(recs, keys=["email"]).to_string(index=False))
      key  value  n_records  n_ids
    email a@x.ru          2      2
    """
    nw = require_module("narwhals")
    lf = lazy(records)
    have = columns_of(lf)
    if id_col is not None:
        require_engine_columns(lf, [id_col], "the records")
    parts = []
    for key in keys:
        if key not in have:
            continue
        if is_pandas(records):  # plain pandas: value_counts and nunique (narwhals warns on n_unique - x)
            vals = records[key]
            vc = vals.value_counts()
            small = vc[vc >= min_records].rename("n_records").rename_axis("value").reset_index()
            if id_col is not None:
                ids = records.loc[vals.notna(), [key, id_col]].groupby(key)[id_col].nunique()
                small["n_ids"] = ids.reindex(small["value"]).to_numpy()
            small.insert(0, "key", key)
            parts.append(small)
            continue
        aggs = [nw.len().alias("n_records")]
        if id_col is not None:
            ids = nw.col(id_col)
            # n_unique counts a missing id as a value (Polars semantics): take it off again
            aggs.append((ids.n_unique() - ids.is_null().cast(nw.Int64).max()).alias("n_ids"))
        counted = (lf.filter(~nw.col(key).is_null()).group_by(key).agg(*aggs)
                   .filter(nw.col("n_records") >= min_records))
        small = collect(counted).rename(columns={key: "value"})
        small.insert(0, "key", key)
        parts.append(small)
    cols = ["key", "value", "n_records", "n_ids"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    if id_col is None:
        out["n_ids"] = np.nan
    out["n_records"] = out["n_records"].astype(np.int64)
    out = out.sort_values(["key", "n_records", "value"], ascending=[True, False, True], kind="stable")
    return out[cols].reset_index(drop=True)
