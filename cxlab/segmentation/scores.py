"""Marketing RFM: quantile scores 1–5, named segments from rules, segment summaries and grids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxlab._checks import bad_rows
from cxlab.errors import CXLabError
from cxlab.rfm import (
    _check_freq,
    _periods,
    _prepare,
    _summary_arrays,
    _timestamp,
    _to_ns,
)

__all__ = [
    "rfm_table",
    "rfm_scores",
    "quantile_cut_points",
    "overdue",
    "rfm_segments",
    "rfm_grid",
    "segment_summary",
    "DEFAULT_SEGMENT_RULES",
    "SEGMENT_ORDER",
]

# --------------------------------------------------------------------------------------
# Marketing RFM table and scores
# --------------------------------------------------------------------------------------

def rfm_table(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    datetime_col: str = "timestamp",
    monetary_col: str = "amount",
    observation_end: Any = None,
    freq: str = "D",
) -> pd.DataFrame:
    """The marketing RFM table: time since last purchase, number of purchases, revenue.

    Unlike :func:`rfm_summary` (the model inputs of BG/NBD), this counts *all* purchase
    periods and all revenue, and measures recency backwards from the observation end,
    as RFM scoring does. Purchases in the same period (day by default) count once.

    Parameters
    ----------
    transactions
        The canonical ``transactions`` table: pandas, or a Polars, DuckDB or PySpark frame (summarised in
        that engine by :func:`cxlab.engine.rfm_table`; e.g. a table scanned by :func:`cxlab.scan`).
    customer_col, datetime_col, monetary_col, observation_end, freq
        As for :func:`rfm_summary`.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id: ``days_since_last`` (periods from the last purchase to the
        observation end; in days for ``freq="D"``), ``purchases`` (purchase periods, first
        included), ``revenue`` (total spend), ``tenure`` (periods since the first purchase),
        ``avg_purchase`` (revenue per purchase period).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "c", "d", "d", "d", "d"],
    ...     "timestamp": pd.to_datetime(["2025-01-05", "2025-02-10", "2025-03-20", "2025-01-07", "2025-03-01",
    ...                                  "2025-02-14", "2025-01-02", "2025-01-20", "2025-02-20", "2025-03-25"]),
    ...     "amount": [120.0, 80.0, 100.0, 40.0, 60.0, 500.0, 30.0, 35.0, 25.0, 40.0],
    ...     "category": ["wine", "cheese", "wine", "wine", "gifts", "gifts", "cheese", "cheese", "wine", "cheese"],
    ...     "channel": ["store", "web", "store", "web", "web", "store", "store", "store", "phone", "store"]})
    >>> print(rfm_table(tx, observation_end="2025-03-31").round(1).to_string())
                 days_since_last  purchases  revenue  tenure  avg_purchase
    customer_id
    a                       11.0        3.0    300.0    85.0         100.0
    b                       30.0        2.0    100.0    83.0          50.0
    c                       45.0        1.0    500.0    45.0         500.0
    d                        6.0        4.0    130.0    88.0          32.5
    """
    if not isinstance(transactions, pd.DataFrame):  # Polars, DuckDB, Spark: summarised in that engine
        from cxlab.engine import rfm_table as engine_rfm_table

        return engine_rfm_table(transactions, customer_col=customer_col, datetime_col=datetime_col,
                                monetary_col=monetary_col, observation_end=observation_end, freq=freq)
    _check_freq(freq, 1)
    prep = _prepare(transactions, customer_col, datetime_col, monetary_col)
    period = _periods(prep.ns, freq)
    p_end = (int(period.max()) if observation_end is None
             else int(_periods(_to_ns([_timestamp(observation_end, "observation_end")]), freq)[0]))
    inside = period <= p_end
    if not inside.any():
        raise CXLabError(f"observation_end={observation_end!s} is before every purchase",
                         fix="pass the end of the period the data covers")
    a = _summary_arrays(prep.codes[inside], len(prep.uniques), period[inside], prep.amount[inside], True)
    keep = a["count"] > 0
    purchases = a["count"][keep]
    revenue = a["total"][keep]
    return pd.DataFrame({
        "days_since_last": (p_end - a["last"][keep]).astype(np.float64),
        "purchases": purchases.astype(np.float64),
        "revenue": revenue,
        "tenure": (p_end - a["first"][keep]).astype(np.float64),
        "avg_purchase": revenue / purchases,
    }, index=pd.Index(prep.uniques[keep], name=customer_col))


def _rank_scores(values: np.ndarray, bins: int) -> np.ndarray:
    """Quantile scores 1..bins from ranks: equal-sized groups, ties always share a score.

    Each value gets ``floor(bins * (r - 1) / n) + 1`` with ``r`` its minimum rank, so tied
    values take the score of the lowest of them (``pd.qcut`` fails on heavy ties; the
    usual ``rank(method="first")`` work-around gives equal values different scores).
    Without ties this equals ``pd.qcut(values, bins, labels=False) + 1`` when ``n`` is a
    multiple of ``bins``.
    """
    n = len(values)
    r = pd.Series(values).rank(method="min").to_numpy()
    return (np.floor(bins * (r - 1) / n) + 1).astype(np.int64)


def _jenks_breaks(values: np.ndarray, bins: int, max_points: int = 2000) -> np.ndarray:
    """Natural breaks (jenkspy) on at most ``max_points`` evenly spaced order statistics."""
    import jenkspy

    x = np.sort(values[np.isfinite(values)])
    if len(np.unique(x)) <= bins:
        raise CXLabError(f"Jenks breaks need more than {bins} distinct values",
                         fix="use fewer bins or method='quantile'")
    if len(x) > max_points:
        x = x[np.linspace(0, len(x) - 1, max_points).round().astype(int)]
    return np.asarray(jenkspy.jenks_breaks(x.tolist(), n_classes=bins), dtype=np.float64)


def rfm_scores(
    rfm: pd.DataFrame,
    *,
    method: Literal["quantile", "custom", "jenks"] = "quantile",
    bins: int = 5,
    cut_points: Mapping[str, Sequence[float]] | None = None,
    recency_col: str = "days_since_last",
    frequency_col: str = "purchases",
    monetary_col: str = "revenue",
) -> pd.DataFrame:
    """Score recency, frequency and monetary value 1..``bins`` (higher is better).

    Parameters
    ----------
    rfm
        Output of :func:`rfm_table` (or any table with the three columns).
    method
        ``"quantile"``: equal-sized groups from ranks (ties share a score);
        ``"custom"``: your own cut points; ``"jenks"``: natural breaks (Jenks/Fisher,
        via jenkspy, computed on up to 2,000 order statistics for speed).
    bins
        Number of score levels (5 gives the usual quintile scores).
    cut_points
        For ``method="custom"``: ``{column: [inner cut points, ascending]}`` for each of the
        three columns, ``bins - 1`` points each. A value equal to a cut point goes to the
        lower group. Recency is reversed: the smallest ``days_since_last`` scores highest.

    Returns
    -------
    pandas.DataFrame
        The input columns plus ``r_score``, ``f_score``, ``m_score`` (int), ``fm_score``
        (mean of F and M) and ``rfm_cell`` (e.g. ``"545"``).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "c", "d", "d", "d", "d"],
    ...     "timestamp": pd.to_datetime(["2025-01-05", "2025-02-10", "2025-03-20", "2025-01-07", "2025-03-01",
    ...                                  "2025-02-14", "2025-01-02", "2025-01-20", "2025-02-20", "2025-03-25"]),
    ...     "amount": [120.0, 80.0, 100.0, 40.0, 60.0, 500.0, 30.0, 35.0, 25.0, 40.0],
    ...     "category": ["wine", "cheese", "wine", "wine", "gifts", "gifts", "cheese", "cheese", "wine", "cheese"],
    ...     "channel": ["store", "web", "store", "web", "web", "store", "store", "store", "phone", "store"]})
    >>> rfm = rfm_table(tx, observation_end="2025-03-31")
    >>> scores = rfm_scores(rfm, bins=2)
    >>> shown = ["days_since_last", "purchases", "revenue", "r_score", "f_score", "m_score", "rfm_cell"]
    >>> print(scores[shown].to_string())
                 days_since_last  purchases  revenue  r_score  f_score  m_score rfm_cell
    customer_id
    a                       11.0        3.0    300.0        2        2        2      222
    b                       30.0        2.0    100.0        1        1        1      111
    c                       45.0        1.0    500.0        1        1        2      112
    d                        6.0        4.0    130.0        2        2        1      221
    """
    cols = {"r": recency_col, "f": frequency_col, "m": monetary_col}
    missing = [c for c in cols.values() if c not in rfm.columns]
    if missing:
        raise CXLabError(f"the RFM table lacks column(s) {', '.join(missing)}", column=missing[0],
                         fix="build it with cxlab.segmentation.rfm_table or pass recency_col= etc.")
    if not (isinstance(bins, (int, np.integer)) and 2 <= bins <= 10):
        raise CXLabError(f"bins must be an integer from 2 to 10, got {bins!r}", fix="use bins=5 (quintiles)")
    if method not in ("quantile", "custom", "jenks"):
        raise CXLabError(f"method={method!r} is not known", fix="use 'quantile', 'custom' or 'jenks'")
    out = rfm.copy()
    for key, col in cols.items():
        x = rfm[col].to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isfinite(x)
        if bad.any():
            raise CXLabError(f"{int(bad.sum())} customer(s) have no {col} value", column=col, rows=bad_rows(bad),
                             fix="drop or fill those customers before scoring")
        signed = -x if key == "r" else x
        if method == "quantile":
            score = _rank_scores(signed, bins)
        else:
            if method == "custom":
                if cut_points is None or col not in cut_points:
                    raise CXLabError(f"method='custom' needs cut points for {col!r}", column=col,
                                     fix=f"pass cut_points={{'{col}': [...{bins - 1} ascending values...], ...}}")
                inner = np.asarray(cut_points[col], dtype=np.float64)
                if len(inner) != bins - 1 or np.any(np.diff(inner) <= 0):
                    raise CXLabError(f"cut points for {col!r} must be {bins - 1} strictly ascending numbers",
                                     column=col, fix="give bins - 1 inner cut points, e.g. [30, 90, 180, 365]")
            else:
                inner = _jenks_breaks(x, bins)[1:-1]
            grp = np.searchsorted(inner, x, side="left")  # 0..bins-1; value == cut point -> lower group
            score = (bins - grp) if key == "r" else grp + 1
        out[f"{key}_score"] = score.astype(np.int64)
    out["fm_score"] = (out["f_score"] + out["m_score"]) / 2
    out["rfm_cell"] = (out["r_score"].astype(str) + out["f_score"].astype(str)
                       + out["m_score"].astype(str)).astype("string")
    return out


def quantile_cut_points(
    rfm: pd.DataFrame,
    *,
    quantiles: Sequence[float] = (0.25, 0.5, 0.75, 0.9),
    recency_col: str = "days_since_last",
    frequency_col: str = "purchases",
    monetary_col: str = "revenue",
) -> dict[str, list[float]]:
    """Cut points for ``rfm_scores(method="custom")`` at quantiles of the data, for any currency or rhythm.

    Fixed business thresholds ("bought in the last 30 days", "spent over 5,000") only make
    sense for one company's currency and buying rhythm. Taking them from quantiles of the
    data keeps the idea (uneven groups, e.g. a small top group) and works on anyone's
    transactions. ``quantiles`` says where the cuts fall in the "better" direction: with
    ``(0.25, 0.5, 0.75, 0.9)`` the best score goes to the top 10% by purchases and by
    revenue, and to the 10% who bought most recently.

    Parameters
    ----------
    rfm
        Output of :func:`rfm_table`.
    quantiles
        ``bins - 1`` strictly ascending fractions in (0, 1).
    recency_col, frequency_col, monetary_col
        Column names (recency: smaller is better).

    Returns
    -------
    dict
        ``{column: [cut points, ascending]}``, ready for ``cut_points=``. Integer-valued
        columns (days, purchase counts) get whole-number cut points; where many customers
        share a value (most buy once), tied cut points are moved apart by the smallest step
        (1 for whole numbers, a cent for amounts) so that they stay strictly ascending.

    Examples
    --------
    >>> rfm = pd.DataFrame({"days_since_last": [3, 10, 40, 90, 200, 365, 400, 20, 15, 700],
    ...                     "purchases": [1, 1, 1, 1, 1, 2, 2, 3, 5, 9],
    ...                     "revenue": [10.0, 12.5, 20.0, 25.0, 30.0, 55.0, 80.0, 120.0, 300.0, 990.0]})
    >>> quantile_cut_points(rfm)
    {'days_since_last': [9.0, 16.0, 65.0, 324.0], 'purchases': [1.0, 2.0, 3.0, 5.0], 'revenue': [21.25, 42.5, 110.0, 369.0]}
    """
    q = np.asarray(list(quantiles), dtype=np.float64)
    if q.ndim != 1 or len(q) < 1 or np.any((q <= 0) | (q >= 1)) or np.any(np.diff(q) <= 0):
        raise CXLabError(f"quantiles must be strictly ascending fractions between 0 and 1, got {list(quantiles)!r}",
                         fix="pass e.g. quantiles=[0.25, 0.5, 0.75, 0.9]")
    out: dict[str, list[float]] = {}
    for col, lower_is_better in ((recency_col, True), (frequency_col, False), (monetary_col, False)):
        if col not in rfm.columns:
            raise CXLabError(f"the RFM table lacks column {col!r}", column=col,
                             fix="build it with cxlab.segmentation.rfm_table")
        x = rfm[col].to_numpy(dtype=np.float64, na_value=np.nan)
        x = x[np.isfinite(x)]
        if len(x) == 0:
            raise CXLabError(f"column {col!r} has no values", column=col, fix="check the transactions table")
        levels = (1.0 - q[::-1]) if lower_is_better else q
        whole = bool(np.all(x == np.round(x)))
        cuts = np.quantile(x, levels, method="linear")
        step = 1.0 if whole else 0.01
        cuts = np.round(cuts) if whole else np.round(cuts, 2)
        for i in range(1, len(cuts)):
            cuts[i] = max(cuts[i], cuts[i - 1] + step)
        out[col] = [float(c) for c in cuts]
    return out


#: The usual named RFM segments on the R x F score grid (5-point scores), first match wins.
#: Edit a copy (``DEFAULT_SEGMENT_RULES.copy()``) and pass it as ``rules=``.
DEFAULT_SEGMENT_RULES = pd.DataFrame(
    [
        ("champions", 5, 5, 4, 5, "bought recently, buy often and spend the most"),
        ("loyal", 3, 4, 4, 5, "buy often; responsive to promotions"),
        ("can't lose", 1, 2, 5, 5, "used to buy very often, have not come back for a long time"),
        ("at risk", 1, 2, 3, 4, "bought often, but long ago"),
        ("lost", 1, 1, 1, 2, "lowest recency and frequency"),
        ("hibernating", 2, 2, 1, 2, "last purchase long ago, few purchases"),
        ("about to sleep", 3, 3, 1, 2, "below-average recency and frequency"),
        ("need attention", 3, 3, 3, 3, "average recency and frequency"),
        ("potential loyalists", 4, 5, 2, 3, "recent customers with a few purchases"),
        ("promising", 4, 4, 1, 1, "recent one-time buyers"),
        ("new", 5, 5, 1, 1, "bought for the first time very recently"),
    ],
    columns=["segment", "r_low", "r_high", "f_low", "f_high", "description"],
)

#: Order of the named segments from best to worst, for tables and figures.
SEGMENT_ORDER: tuple[str, ...] = ("champions", "loyal", "potential loyalists", "new", "promising",
                                  "need attention", "about to sleep", "at risk", "can't lose",
                                  "hibernating", "lost")


def rfm_segments(
    scores: pd.DataFrame,
    *,
    rules: pd.DataFrame | None = None,
    x: str = "f_score",
) -> pd.DataFrame:
    """Name each customer's segment from their R and F (or FM) scores with a rules table.

    Parameters
    ----------
    scores
        Output of :func:`rfm_scores`.
    rules
        Rows ``segment, r_low, r_high, f_low, f_high`` (inclusive ranges); the first
        matching row wins. Default :data:`DEFAULT_SEGMENT_RULES` (for 5-point scores).
    x
        Score on the second axis of the grid: ``"f_score"`` (classic) or ``"fm_score"``.

    Returns
    -------
    pandas.DataFrame
        ``scores`` plus a categorical ``segment`` column. Customers no rule matches are
        labelled ``"unassigned"`` (kept, never dropped).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "c", "d", "d", "d", "d"],
    ...     "timestamp": pd.to_datetime(["2025-01-05", "2025-02-10", "2025-03-20", "2025-01-07", "2025-03-01",
    ...                                  "2025-02-14", "2025-01-02", "2025-01-20", "2025-02-20", "2025-03-25"]),
    ...     "amount": [120.0, 80.0, 100.0, 40.0, 60.0, 500.0, 30.0, 35.0, 25.0, 40.0],
    ...     "category": ["wine", "cheese", "wine", "wine", "gifts", "gifts", "cheese", "cheese", "wine", "cheese"],
    ...     "channel": ["store", "web", "store", "web", "web", "store", "store", "store", "phone", "store"]})
    >>> rfm = rfm_table(tx, observation_end="2025-03-31")
    >>> segments = rfm_segments(rfm_scores(rfm))
    >>> print(segments[["r_score", "f_score", "segment"]].to_string())
                 r_score  f_score         segment
    customer_id
    a                  3        3  need attention
    b                  2        2     hibernating
    c                  1        1            lost
    d                  4        4           loyal
    """
    rules = DEFAULT_SEGMENT_RULES if rules is None else rules
    need = ["segment", "r_low", "r_high", "f_low", "f_high"]
    missing = [c for c in need if c not in rules.columns]
    if missing:
        raise CXLabError(f"the rules table lacks column(s) {', '.join(missing)}",
                         fix="start from DEFAULT_SEGMENT_RULES.copy() and edit its values")
    for c in ("r_score", x):
        if c not in scores.columns:
            raise CXLabError(f"the scores table lacks {c!r}", column=c, fix="compute it with rfm_scores")
    r = scores["r_score"].to_numpy(dtype=np.float64)
    f = scores[x].to_numpy(dtype=np.float64)
    label = np.full(len(scores), -1)
    for i, rule in enumerate(rules.itertuples(index=False)):
        hit = (label < 0) & (r >= rule.r_low) & (r <= rule.r_high) & (f >= rule.f_low) & (f <= rule.f_high)
        label[hit] = i
    names = list(dict.fromkeys(rules["segment"].astype(str)))
    ordered = [s for s in SEGMENT_ORDER if s in names] + [s for s in names if s not in SEGMENT_ORDER]
    seg = np.where(label >= 0, rules["segment"].astype(str).to_numpy()[np.maximum(label, 0)], "unassigned")
    cats = ordered + (["unassigned"] if (label < 0).any() else [])
    out = scores.copy()
    out["segment"] = pd.Categorical(seg, categories=cats)
    return out


def segment_summary(
    table: pd.DataFrame,
    *,
    segment_col: str = "segment",
    revenue_col: str = "revenue",
    columns: Sequence[str] = ("days_since_last", "purchases", "avg_purchase"),
) -> pd.DataFrame:
    """Size, revenue and revenue share of each segment.

    Parameters
    ----------
    table
        One row per customer with a segment and a revenue column (e.g. :func:`rfm_segments`).
    columns
        Further numeric columns to average per segment (those present are used).

    Returns
    -------
    pandas.DataFrame
        One row per segment: ``segment, n, share`` (of customers), ``revenue``,
        ``revenue_share``, ``revenue_per_customer``, then ``mean_<column>`` for each column.
        Ordered as the segment categories (or by revenue).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "c", "d", "d", "d", "d"],
    ...     "timestamp": pd.to_datetime(["2025-01-05", "2025-02-10", "2025-03-20", "2025-01-07", "2025-03-01",
    ...                                  "2025-02-14", "2025-01-02", "2025-01-20", "2025-02-20", "2025-03-25"]),
    ...     "amount": [120.0, 80.0, 100.0, 40.0, 60.0, 500.0, 30.0, 35.0, 25.0, 40.0],
    ...     "category": ["wine", "cheese", "wine", "wine", "gifts", "gifts", "cheese", "cheese", "wine", "cheese"],
    ...     "channel": ["store", "web", "store", "web", "web", "store", "store", "store", "phone", "store"]})
    >>> rfm = rfm_table(tx, observation_end="2025-03-31")
    >>> summary = segment_summary(rfm_segments(rfm_scores(rfm)))
    >>> print(summary[["segment", "n", "share", "revenue", "revenue_share"]].round(2).to_string())
              segment  n  share  revenue  revenue_share
    0           loyal  1   0.25    130.0           0.13
    1  need attention  1   0.25    300.0           0.29
    2     hibernating  1   0.25    100.0           0.10
    3            lost  1   0.25    500.0           0.49
    """
    for c in (segment_col, revenue_col):
        if c not in table.columns:
            raise CXLabError(f"the table lacks column {c!r}", column=c, fix="pass segment_col= / revenue_col=")
    seg = table[segment_col]
    if seg.isna().any():
        raise CXLabError(f"{int(seg.isna().sum())} customer(s) have no segment", column=segment_col,
                         rows=bad_rows(seg.isna().to_numpy()), fix="assign every customer a segment first")
    extra = [c for c in columns if c in table.columns]
    g = table.groupby(segment_col, observed=True, sort=True)
    out = pd.DataFrame({"n": g.size(), "revenue": g[revenue_col].sum()})
    for c in extra:
        out[f"mean_{c}"] = g[c].mean()
    if not isinstance(seg.dtype, pd.CategoricalDtype):
        out = out.sort_values("revenue", ascending=False)
    total_n, total_rev = out["n"].sum(), out["revenue"].sum()
    out.insert(1, "share", out["n"] / total_n)
    out.insert(3, "revenue_share", out["revenue"] / total_rev if total_rev > 0 else np.nan)
    out.insert(4, "revenue_per_customer", out["revenue"] / out["n"])
    out.index.name = "segment"
    return out.reset_index().assign(segment=lambda d: d["segment"].astype(str))


def overdue(
    summary: pd.DataFrame,
    *,
    factor: float = 2.0,
    frequency_col: str = "frequency",
    recency_col: str = "recency",
    T_col: str = "T",
) -> pd.Series:
    """Whether each customer is overdue by their own buying rhythm.

    A named RFM segment such as "at risk" is relative: it holds the customers with the
    longest time since their last purchase *compared with the others*. When everybody
    buys steadily, somebody still lands there. This check is absolute: a repeat customer
    is overdue when the time since their last purchase exceeds ``factor`` times their own
    mean gap between purchases (``recency / frequency`` in the Fader-Hardie summary). For a
    customer buying at a steady Poisson rate, a gap of more than twice the mean happens
    with probability e⁻² ≈ 14%; a customer who has left keeps getting more overdue.

    Parameters
    ----------
    summary
        :func:`cxlab.segmentation.rfm_summary` (``frequency``, ``recency``, ``T``).
    factor
        How many of their own mean gaps a customer may be away before counting as overdue.

    Returns
    -------
    pandas.Series
        Nullable boolean named ``overdue``, indexed like ``summary``; missing (``<NA>``)
        for one-time buyers, who have no gap of their own yet. Join it to the segments and
        average it with :func:`segment_summary` (``columns=(..., "overdue")``) to get the
        share of each segment that is overdue.

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [4, 4, 0], "recency": [120.0, 120.0, 0.0], "T": [150.0, 300.0, 50.0]},
    ...                  index=pd.Index(["a", "b", "c"], name="customer_id"))
    >>> overdue(s)  # a: 30 days away, gap 30; b: 180 days away, gap 30
    customer_id
    a    False
    b     True
    c     <NA>
    Name: overdue, dtype: boolean
    """
    if not factor > 0:
        raise CXLabError(f"factor must be positive, got {factor!r}", fix="pass e.g. factor=2")
    cols = {frequency_col: "frequency", recency_col: "recency", T_col: "T"}
    missing = [c for c in cols if c not in summary.columns]
    if missing:
        raise CXLabError(f"the summary lacks column(s) {', '.join(missing)}", column=missing[0],
                         fix="pass the table of cxlab.segmentation.rfm_summary")
    x = summary[frequency_col].to_numpy(dtype=np.float64, na_value=np.nan)
    rec = summary[recency_col].to_numpy(dtype=np.float64, na_value=np.nan)
    age = summary[T_col].to_numpy(dtype=np.float64, na_value=np.nan)
    repeat = x > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        late = (age - rec) > factor * (rec / x)
    out = pd.array(np.where(repeat, late, False), dtype="boolean")
    out[~repeat] = pd.NA
    return pd.Series(out, index=summary.index, name="overdue")


def rfm_grid(scores: pd.DataFrame, *, value_col: str = "revenue", x: str = "f_score") -> pd.DataFrame:
    """Customers and mean value in every (R score, F score) cell: the data of the RFM heatmap.

    Returns
    -------
    pandas.DataFrame
        ``r_score, f_score`` (or ``x``), ``n``, ``share``, ``mean_<value_col>``; every cell of
        the grid present (``n`` 0 and mean NaN for empty cells).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "c", "d", "d", "d", "d"],
    ...     "timestamp": pd.to_datetime(["2025-01-05", "2025-02-10", "2025-03-20", "2025-01-07", "2025-03-01",
    ...                                  "2025-02-14", "2025-01-02", "2025-01-20", "2025-02-20", "2025-03-25"]),
    ...     "amount": [120.0, 80.0, 100.0, 40.0, 60.0, 500.0, 30.0, 35.0, 25.0, 40.0],
    ...     "category": ["wine", "cheese", "wine", "wine", "gifts", "gifts", "cheese", "cheese", "wine", "cheese"],
    ...     "channel": ["store", "web", "store", "web", "web", "store", "store", "store", "phone", "store"]})
    >>> rfm = rfm_table(tx, observation_end="2025-03-31")
    >>> grid = rfm_grid(rfm_scores(rfm, bins=2))
    >>> print(grid.round(1).to_string())
       r_score  f_score  n  share  mean_revenue
    0        1        1  2    0.5         300.0
    1        1        2  0    0.0           NaN
    2        2        1  0    0.0           NaN
    3        2        2  2    0.5         215.0
    """
    for c in ("r_score", x, value_col):
        if c not in scores.columns:
            raise CXLabError(f"the scores table lacks {c!r}", column=c, fix="compute it with rfm_scores")
    g = scores.groupby(["r_score", x])[value_col].agg(["size", "mean"])
    levels_r = np.arange(1, int(scores["r_score"].max()) + 1)
    levels_f = np.sort(scores[x].unique()) if x == "fm_score" else np.arange(1, int(scores[x].max()) + 1)
    full = pd.MultiIndex.from_product([levels_r, levels_f], names=["r_score", x])
    g = g.reindex(full)
    out = pd.DataFrame({"n": g["size"].fillna(0).astype(np.int64), f"mean_{value_col}": g["mean"]})
    out.insert(1, "share", out["n"] / out["n"].sum())
    return out.reset_index()
