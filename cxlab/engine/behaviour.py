"""The customer base's behaviour profile (for survey representativeness) in any engine."""

from __future__ import annotations

import pandas as pd

from cxlab.engine._frame import collect, columns_of, is_pandas, lazy, require_module
from cxlab.engine.segments import rfm_table

__all__ = ["customer_profile"]


def customer_profile(transactions, *, customers: pd.DataFrame | None = None, observation_end=None,
                     extra: pd.DataFrame | None = None, channel_col: str = "channel", tier_col: str = "price_tier",
                     segment_bins: int = 5) -> pd.DataFrame:
    """:func:`cxlab.survey_vs_behaviour.customer_profile` with the transactions in any engine.

    pandas frames go to the pandas function. Other engines build the RFM table
    (:func:`cxlab.engine.rfm_table`) and each customer's share of purchase rows by channel and by
    price tier with one ``group_by`` each; the scores, named segments, region and ``extra`` columns
    are then added exactly as the pandas function does.

    Returns
    -------
    pandas.DataFrame
        The same table as the pandas function: one row per customer (text index).

    Examples
    --------
    >>> import duckdb
    >>> tx = duckdb.sql(\"\"\"select * from (values ('a', timestamp '2025-01-05', 120.0, 'store'),
    ...     ('a', timestamp '2025-02-10', 80.0, 'web'), ('b', timestamp '2025-01-07', 40.0, 'web'))
    ...     t(customer_id, timestamp, amount, channel)\"\"\")
    >>> print(customer_profile(tx, observation_end="2025-03-31")[["purchases", "share_store", "share_web"]]
    ...       .to_string())
                 purchases  share_store  share_web
    customer_id
    a                  2.0          0.5        0.5
    b                  1.0          0.0        1.0
    """
    if is_pandas(transactions):
        from cxlab.survey_vs_behaviour.representativeness import customer_profile as pandas_profile

        return pandas_profile(transactions, customers=customers, observation_end=observation_end, extra=extra,
                              channel_col=channel_col, tier_col=tier_col, segment_bins=segment_bins)
    from cxlab.survey_vs_behaviour._common import text_key

    nw = require_module("narwhals")
    rfm = rfm_table(transactions, observation_end=observation_end)
    rfm.index = rfm.index.astype("string")
    out = rfm.copy()
    lf = lazy(transactions)
    have = columns_of(lf)
    key = nw.col("customer_id").cast(nw.String).str.strip_chars()
    for col in (channel_col, tier_col):
        if col not in have:
            continue
        small = collect(lf.filter(~nw.col(col).is_null())
                        .select(key.alias("_c"), nw.col(col).cast(nw.String).alias("_l"))
                        .filter(~nw.col("_c").is_null())
                        .group_by("_c", "_l").agg(nw.len().alias("_n")))
        if not len(small):
            continue
        mix = small.pivot_table(index="_c", columns="_l", values="_n", aggfunc="sum", fill_value=0).astype(float)
        mix = mix.div(mix.sum(axis=1), axis=0)
        mix.index = pd.Index(text_key(pd.Series(mix.index)).to_numpy(), dtype="string")
        mix.columns = [f"share_{c}" for c in mix.columns]
        out = out.join(mix)
    from cxlab.survey_vs_behaviour.representativeness import finish_profile

    return finish_profile(out, rfm, segment_bins=segment_bins, customers=customers, extra=extra)
