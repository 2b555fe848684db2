"""The per-customer RFM summary shared by segmentation and CLV (Fader-Hardie definitions).

The summary follows the definitions of Fader, Hardie & Lee (2005) and of the
``lifetimes`` package, so its output can be fed straight into the BG/NBD and
Gamma-Gamma models of :mod:`cxlab.clv`:

* purchases are first bucketed into periods of the chosen time unit (``freq``), and
  all purchases of one customer in the same period count as **one** purchase;
* ``frequency`` is the number of *repeat* purchase periods (periods after the first);
* ``recency`` is the time from the first to the last purchase period;
* ``T`` is the customer's age: time from the first purchase period to the period of
  the observation end;
* ``monetary_value`` is the mean value of the repeat purchases (period totals), 0 for
  customers without a repeat purchase.

All computations run on dense integer customer codes with one sort, so a summary of
ten million transactions takes about a second or two on a laptop.

:func:`rfm_summary` and :func:`calibration_and_holdout` build the summary (re-exported by
:mod:`cxlab.segmentation`); ``_rfm_arrays`` reads and checks one for the CLV models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxlab._checks import bad_rows, numeric_column, raise_rows, require_columns
from cxlab.errors import CXLabError

__all__ = ["rfm_summary", "calibration_and_holdout"]


# --------------------------------------------------------------------------------------
# RFM summary (Fader-Hardie / lifetimes definitions)
# --------------------------------------------------------------------------------------

_NS_PER = {"s": 1_000_000_000, "min": 60_000_000_000, "h": 3_600_000_000_000, "D": 86_400_000_000_000}
_FREQS = ("W", "D", "h", "min", "s")
_DAY = _NS_PER["D"]


def _check_freq(freq: str, freq_multiplier: float) -> None:
    if freq not in _FREQS:
        raise CXLabError(
            f"time unit freq={freq!r} is not supported",
            fix=f"use one of {', '.join(repr(f) for f in _FREQS)} ('W' = calendar weeks Monday-Sunday)",
        )
    if not (np.isfinite(freq_multiplier) and freq_multiplier > 0):
        raise CXLabError(f"freq_multiplier must be a positive number, got {freq_multiplier!r}",
                         fix="pass e.g. freq='h', freq_multiplier=24 to measure days at hourly resolution")


def _periods(ns: np.ndarray, freq: str) -> np.ndarray:
    """Integer period numbers of int64 nanosecond timestamps (floor, like ``Timestamp.to_period``).

    Weeks are pandas' ``W`` (= ``W-SUN``) periods: Monday to Sunday. 1970-01-01 was a
    Thursday, so shifting by three days makes week 0 start on Monday 1969-12-29.
    """
    if freq == "W":
        days = ns // _DAY
        days += 3
        days //= 7
        return days
    return ns // _NS_PER[freq]


def _to_ns(values: Sequence[pd.Timestamp]) -> np.ndarray:
    """Timezone-naive Timestamps as int64 nanoseconds."""
    return np.array([pd.Timestamp(v).as_unit("ns").value for v in values], dtype=np.int64)


def _timestamp(value: Any, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise CXLabError(f"{name}={value!r} is not a date/time ({exc})",
                         fix="pass a date such as '2025-12-31' or a pandas Timestamp") from None
    if ts is pd.NaT:
        raise CXLabError(f"{name} is missing (NaT)", fix="pass a date such as '2025-12-31'")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts


def _dense_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Dense int64 codes of customer ids, with the sorted distinct ids (``uniques[codes] == ids``).

    Missing ids get code -1. Short text ids (up to 8 bytes, the usual CRM ids) take a fast
    path: their UTF-8 bytes, read big-endian, are 64-bit integers in the same order as the
    strings, which hash several times faster than strings. Anything else goes to ``pd.factorize``.
    """
    fast = _short_string_codes(ids)
    if fast is not None:
        return fast
    codes, uniques = pd.factorize(ids, sort=True)
    return codes.astype(np.int64, copy=False), uniques


def _short_string_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index] | None:
    dtype = ids.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow") or len(ids) < 50_000:
        return None
    import pyarrow as pa

    arr = pa.array(ids.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.null_count or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    n = len(arr)
    otype = np.dtype(np.int64 if pa.types.is_large_string(arr.type) else np.int32)
    offsets = np.frombuffer(arr.buffers()[1], dtype=otype, count=n + 1, offset=arr.offset * otype.itemsize)
    lengths = np.diff(offsets)
    if lengths.min() < 1 or lengths.max() > 8:
        return None
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    if not data[offsets[0]:offsets[-1]].all():  # a NUL byte would collide with the zero padding
        return None
    if lengths.min() == lengths.max():
        # fixed-width ids (the usual CRM export): one reshape, then read each row's 8 bytes big-endian
        width = int(lengths[0])
        block = np.zeros((n, 8), dtype=np.uint8)
        block[:, :width] = data[offsets[0]:offsets[-1]].reshape(n, width)
        key = block.view(">u8").ravel().astype(np.uint64)
        del block
        return _codes_from_keys(key, ids)
    key = np.zeros(n, dtype=np.uint64)
    pos = offsets[:-1].astype(np.int64)
    byte = np.empty(n, dtype=np.uint64)
    for j in range(int(lengths.max())):  # big-endian: byte j is worth 256 ** (7 - j); missing bytes stay 0
        has = lengths > j
        byte[:] = 0
        byte[has] = data[pos[has]]
        byte <<= np.uint64(8 * (7 - j))
        key |= byte
        pos += 1
    del byte, pos, lengths
    return _codes_from_keys(key, ids)


def _codes_from_keys(key: np.ndarray, ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Dense codes in string order from order-preserving 64-bit keys of the ids."""
    n = len(key)
    codes, keys = pd.factorize(key)
    rep = np.empty(len(keys), dtype=np.int64)
    rep[codes] = np.arange(n)  # one row holding each distinct id
    order = np.argsort(keys)  # integer order == string order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], pd.Index(ids.array.take(rep[order]))


@dataclass(frozen=True)
class _Prepared:
    codes: np.ndarray  # int64 dense customer codes, one per row
    uniques: pd.Index  # customer ids, sorted; uniques[code]
    ns: np.ndarray  # int64 nanoseconds (wall time)
    amount: np.ndarray | None  # float64


def _prepare(transactions: pd.DataFrame, customer_col: str, datetime_col: str,
             monetary_col: str | None) -> _Prepared:
    """Validate the transaction table and turn it into dense numpy arrays (no copy of the frame)."""
    if not isinstance(transactions, pd.DataFrame):
        raise CXLabError(f"transactions must be a pandas DataFrame, got {type(transactions).__name__}",
                         fix="convert your table with .to_pandas() or pd.DataFrame(...)")
    needed = [c for c in (customer_col, datetime_col, monetary_col) if c is not None]
    require_columns(transactions, needed, "the transactions table", problem="lacks column(s)",
                    fix="rename your columns or pass customer_col= / datetime_col= / monetary_col= "
                        f"(the table has {', '.join(map(str, transactions.columns[:12]))})")
    if len(transactions) == 0:
        raise CXLabError("the transactions table is empty", fix="check the filter or file that produced it")

    ids = transactions[customer_col]
    codes, uniques = _dense_codes(ids)
    if codes.min() < 0:
        raise CXLabError(f"{int((codes < 0).sum())} transaction(s) have no customer id",
                         column=customer_col, rows=bad_rows(codes < 0),
                         fix="drop anonymous purchases before RFM, or link them to customers first "
                             "(cxlab.identity)")

    ts = transactions[datetime_col]
    if not pd.api.types.is_datetime64_any_dtype(ts):
        try:
            ts = pd.to_datetime(ts, format="ISO8601")
        except (TypeError, ValueError) as exc:
            raise CXLabError(f"the purchase times cannot be read as dates ({exc})", column=datetime_col,
                             fix="load the file with cxlab.io.read, or convert the column with pd.to_datetime"
                             ) from None
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_localize(None)
    ns = ts.to_numpy(dtype="datetime64[ns]").view(np.int64)
    nat = ns == np.iinfo(np.int64).min if ns.min() == np.iinfo(np.int64).min else np.zeros(0, dtype=bool)
    if nat.any():
        raise CXLabError(f"{int(nat.sum())} transaction(s) have no purchase time", column=datetime_col,
                         rows=bad_rows(nat), fix="fill in or drop those rows before computing RFM")

    amount = None
    if monetary_col is not None:
        try:
            amount = transactions[monetary_col].to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise CXLabError(f"the amounts are not numbers ({exc})", column=monetary_col,
                             fix="load the file with cxlab.io.read (it parses decimal commas) or convert "
                                 "the column with pd.to_numeric") from None
        bad = ~np.isfinite(amount) if not np.isfinite(amount.sum()) else np.zeros(0, dtype=bool)
        if bad.any():
            raise CXLabError(f"{int(bad.sum())} transaction(s) have a missing or infinite amount",
                             column=monetary_col, rows=bad_rows(bad),
                             fix="fill in or drop those rows, or pass monetary_col=None for frequency/recency only")
        neg = amount < 0 if amount.min() < 0 else np.zeros(0, dtype=bool)
        if neg.any():
            raise CXLabError(f"{int(neg.sum())} transaction(s) have a negative amount (refunds?)",
                             column=monetary_col, rows=bad_rows(neg),
                             fix="net refunds against their orders, or drop them, before computing RFM")
    return _Prepared(codes=codes, uniques=uniques, ns=ns, amount=amount)


def _summary_arrays(codes: np.ndarray, n_customers: int, period: np.ndarray, amount: np.ndarray | None,
                    include_first: bool, consume: bool = False) -> dict[str, np.ndarray]:
    """Per-customer purchase-period statistics from row arrays (rows already truncated).

    One sort of the combined (customer, period) key gives the distinct purchase periods;
    everything else is ``bincount``. Returns arrays of length ``n_customers``. With
    ``consume=True`` the ``period`` array is reused as scratch space (saves memory).
    """
    p_lo = int(period.min())
    span = int(period.max()) - p_lo + 1
    if n_customers * span >= 2**62:
        raise CXLabError("the time span is too long for this time unit",
                         fix="use a coarser freq (e.g. 'D' instead of 's')")
    offset = period if consume else period.copy()
    offset -= p_lo  # in place: the caller handed over its array
    key = codes * span
    key += offset
    key.sort()
    distinct = np.empty(len(key), dtype=bool)
    distinct[0] = True
    np.not_equal(key[1:], key[:-1], out=distinct[1:])
    uk = key[distinct]
    del key, distinct
    per_u = uk % span
    cust_u = uk
    cust_u //= span
    count = np.bincount(cust_u, minlength=n_customers)
    first_of = np.empty(len(cust_u), dtype=bool)
    first_of[0] = True
    np.not_equal(cust_u[1:], cust_u[:-1], out=first_of[1:])
    last_of = np.empty_like(first_of)
    last_of[-1] = True
    last_of[:-1] = first_of[1:]
    present = cust_u[first_of]
    first_p = np.zeros(n_customers, dtype=np.int64)
    last_p = np.zeros(n_customers, dtype=np.int64)
    first_p[present] = per_u[first_of]
    last_p[present] = per_u[last_of]
    out = {"count": count, "first": first_p + p_lo, "last": last_p + p_lo}
    if amount is not None:
        if include_first:
            weights = amount
        else:
            # amounts of the first purchase period do not count (Fader-Hardie monetary value)
            is_first = first_p[codes]
            is_first = np.equal(offset, is_first, out=np.empty(len(codes), dtype=bool))
            weights = np.where(is_first, 0.0, amount)
            del is_first
        out["total"] = np.bincount(codes, weights=weights, minlength=n_customers)
    return out


def _rfm_frame(arrays: dict[str, np.ndarray], uniques: pd.Index, p_end: int, freq_multiplier: float,
               include_first: bool, customer_col: str) -> pd.DataFrame:
    count = arrays["count"]
    keep = count > 0
    count = count[keep]
    frequency = count if include_first else count - 1
    data = {
        "frequency": frequency.astype(np.float64),
        "recency": (arrays["last"][keep] - arrays["first"][keep]) / freq_multiplier,
        "T": (p_end - arrays["first"][keep]) / freq_multiplier,
    }
    if "total" in arrays:
        total = arrays["total"][keep]
        with np.errstate(invalid="ignore", divide="ignore"):
            data["monetary_value"] = np.where(frequency > 0, total / np.maximum(frequency, 1), 0.0)
    index = pd.Index(uniques if keep.all() else uniques[keep], name=customer_col)
    return pd.DataFrame(data, index=index)


def rfm_summary(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    datetime_col: str = "timestamp",
    monetary_col: str | None = "amount",
    observation_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
    include_first_transaction: bool = False,
) -> pd.DataFrame:
    """Per-customer frequency, recency, age and monetary value (Fader-Hardie / lifetimes).

    Gives the same numbers as ``lifetimes.utils.summary_data_from_transaction_data``
    (checked in the tests on the CDNOW sample and on random data), about 15-20 times faster.

    Parameters
    ----------
    transactions
        One row per purchase (order or order line): the canonical ``transactions`` table.
    customer_col, datetime_col, monetary_col
        Column names. ``monetary_col=None`` leaves out ``monetary_value``.
    observation_end
        End of the observation period (date or timestamp). Purchases in later periods are
        left out; customers whose first purchase is later do not appear. Default: the
        last purchase time in the data.
    freq
        Time unit: ``"D"`` (days, default), ``"W"`` (calendar weeks, Monday-Sunday),
        ``"h"``, ``"min"`` or ``"s"``. Purchases in the same period are merged into one.
    freq_multiplier
        Divide recency and ``T`` by this (``freq="h", freq_multiplier=24`` gives days at
        hourly resolution).
    include_first_transaction
        Count the first purchase period in ``frequency`` and ``monetary_value``
        (not for use with BG/NBD or Gamma-Gamma, which expect repeat purchases only).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id (sorted), float columns:

        - ``frequency``: number of repeat purchase periods;
        - ``recency``: periods from the first to the last purchase;
        - ``T``: periods from the first purchase to ``observation_end``;
        - ``monetary_value``: mean value of the repeat purchase periods (0 when
          ``frequency`` is 0); only when ``monetary_col`` is given.

    Raises
    ------
    CXLabError
        Missing columns, purchases without customer id, time or amount, negative amounts,
        or an observation end before every purchase.

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
    >>> print(rfm_summary(tx, observation_end="2025-03-31").to_string())
                 frequency  recency     T  monetary_value
    customer_id
    a                  2.0     74.0  85.0       90.000000
    b                  1.0     53.0  83.0       60.000000
    c                  0.0      0.0  45.0        0.000000
    d                  3.0     82.0  88.0       33.333333
    """
    if not isinstance(transactions, pd.DataFrame):  # Polars, DuckDB, Spark: summarised in that engine
        from cxlab.engine import rfm_summary as engine_rfm_summary

        return engine_rfm_summary(transactions, customer_col=customer_col, datetime_col=datetime_col,
                                  monetary_col=monetary_col, observation_end=observation_end, freq=freq,
                                  freq_multiplier=freq_multiplier, include_first_transaction=include_first_transaction)
    _check_freq(freq, freq_multiplier)
    prep = _prepare(transactions, customer_col, datetime_col, monetary_col)
    period = _periods(prep.ns, freq)
    if observation_end is None:
        p_end = int(period.max())
    else:
        p_end = int(_periods(_to_ns([_timestamp(observation_end, "observation_end")]), freq)[0])
    codes, amount = prep.codes, prep.amount
    inside = period <= p_end
    if not inside.all():
        if not inside.any():
            raise CXLabError(f"observation_end={observation_end!s} is before every purchase",
                             fix="pass the end of the period the data covers")
        codes, period = codes[inside], period[inside]
        amount = None if amount is None else amount[inside]
    del inside
    arrays = _summary_arrays(codes, len(prep.uniques), period, amount, include_first_transaction, consume=True)
    return _rfm_frame(arrays, prep.uniques, p_end, freq_multiplier, include_first_transaction, customer_col)


def calibration_and_holdout(
    transactions: pd.DataFrame,
    *,
    calibration_end: Any,
    observation_end: Any = None,
    customer_col: str = "customer_id",
    datetime_col: str = "timestamp",
    monetary_col: str | None = "amount",
    freq: str = "D",
    freq_multiplier: float = 1,
    include_first_transaction: bool = False,
    holdout_monetary: Literal["transaction", "period"] = "transaction",
) -> pd.DataFrame:
    """RFM of a calibration period and purchases in the following holdout period.

    Gives the same numbers as ``lifetimes.utils.calibration_and_holdout_data``: the
    calibration summary is :func:`rfm_summary` of the purchases at or before
    ``calibration_end`` (with that as observation end); the holdout counts each
    customer's distinct purchase periods after ``calibration_end`` up to ``observation_end``.

    Parameters
    ----------
    transactions
        The canonical ``transactions`` table.
    calibration_end
        Last moment of the calibration period (inclusive, compared with the purchase time).
    observation_end
        Last moment of the holdout period (inclusive). Default: the last purchase time.
    customer_col, datetime_col, monetary_col, freq, freq_multiplier, include_first_transaction
        As for :func:`rfm_summary`.
    holdout_monetary
        ``"transaction"`` (default, as lifetimes): mean amount of the holdout rows;
        ``"period"``: mean of the holdout purchase-period totals, consistent with
        ``frequency_holdout`` (their product is then the holdout spend).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id (customers with a purchase in the calibration period),
        float columns ``frequency_cal, recency_cal, T_cal, monetary_value_cal,
        frequency_holdout, monetary_value_holdout, duration_holdout`` (no monetary
        columns when ``monetary_col`` is None). ``frequency_holdout`` counts all holdout
        purchase periods; ``duration_holdout`` is the holdout length in ``freq`` units.

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
    >>> ch = calibration_and_holdout(tx, calibration_end="2025-02-28", observation_end="2025-03-31")
    >>> print(ch[["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]].to_string())
                 frequency_cal  recency_cal  T_cal  frequency_holdout  duration_holdout
    customer_id
    a                      1.0         36.0   54.0                1.0              31.0
    b                      0.0          0.0   52.0                1.0              31.0
    c                      0.0          0.0   14.0                0.0              31.0
    d                      2.0         49.0   57.0                1.0              31.0
    """
    _check_freq(freq, freq_multiplier)
    if holdout_monetary not in ("transaction", "period"):
        raise CXLabError(f"holdout_monetary={holdout_monetary!r} is not known", fix="use 'transaction' or 'period'")
    prep = _prepare(transactions, customer_col, datetime_col, monetary_col)
    cal_end = _timestamp(calibration_end, "calibration_end")
    obs_end = (pd.Timestamp(prep.ns.max()) if observation_end is None
               else _timestamp(observation_end, "observation_end"))
    if obs_end <= cal_end:
        raise CXLabError(f"observation_end ({obs_end}) is not after calibration_end ({cal_end})",
                         fix="choose a calibration end inside the observation period")
    cal_ns, obs_ns = (int(v) for v in _to_ns([cal_end, obs_end]))
    period = _periods(prep.ns, freq)
    p_cal, p_obs = (int(p) for p in _periods(np.array([cal_ns, obs_ns], dtype=np.int64), freq))
    n = len(prep.uniques)

    cal = prep.ns <= cal_ns
    if not cal.any():
        raise CXLabError(f"no purchase at or before calibration_end={cal_end}",
                         fix="choose a later calibration end")
    amount_cal = None if prep.amount is None else prep.amount[cal]
    arrays = _summary_arrays(prep.codes[cal], n, period[cal], amount_cal, include_first_transaction)
    out = _rfm_frame(arrays, pd.RangeIndex(n), p_cal, freq_multiplier, include_first_transaction, customer_col)
    out.columns = [f"{c}_cal" for c in out.columns]
    in_cal = out.index.to_numpy()

    hold = (prep.ns > cal_ns) & (prep.ns <= obs_ns)
    if not hold.any():
        raise CXLabError(f"no purchase after calibration_end={cal_end} up to observation_end={obs_end}",
                         fix="choose an earlier calibration end or a later observation end")
    h_codes = prep.codes[hold]
    h_amount = None if prep.amount is None else prep.amount[hold]
    h = _summary_arrays(h_codes, n, period[hold], h_amount, True)
    out["frequency_holdout"] = h["count"][in_cal].astype(np.float64)
    if h_amount is not None:
        if holdout_monetary == "transaction":
            rows = np.bincount(h_codes, minlength=n)[in_cal]
            total = np.bincount(h_codes, weights=h_amount, minlength=n)[in_cal]
        else:
            rows = h["count"][in_cal]
            total = h["total"][in_cal]
        out["monetary_value_holdout"] = np.where(rows > 0, total / np.maximum(rows, 1), 0.0)
    out["duration_holdout"] = (p_obs - p_cal) / freq_multiplier
    out.index = pd.Index(prep.uniques[in_cal], name=customer_col)
    return out


# --------------------------------------------------------------------------------------
# Reading a summary back (used by the CLV models)
# --------------------------------------------------------------------------------------

def _rfm_arrays(frame: pd.DataFrame, frequency: str, recency: str, T: str) -> tuple[np.ndarray, ...]:
    x = numeric_column(frame, frequency, role="frequency")
    tx = numeric_column(frame, recency, role="recency")
    t_obs = numeric_column(frame, T, role="T")
    if len(frame) == 0:
        raise CXLabError("the summary has no customers", fix="check the transactions and the observation end")
    checks = [
        ((x < 0) | (x != np.round(x)), frequency, "have a frequency that is not a whole number >= 0"),
        (tx < 0, recency, "have a negative recency"),
        # T = 0 (first purchase on the last day) is a real customer who carries no information yet:
        # their likelihood term is 0 and P(alive) is 1, as in lifetimes. Only T < 0 is impossible.
        (t_obs < 0, T, "have T < 0 (first purchase after the observation end)"),
        ((t_obs == 0) & (x > 0), frequency, "have repeat purchases but T = 0"),
        (tx > t_obs * (1 + 1e-9) + 1e-12, recency, "have recency greater than T"),
        ((x == 0) & (tx != 0), recency, "have no repeat purchase but a recency other than 0"),
    ]
    for bad, col, problem in checks:
        if bad.any():
            raise_rows(frame, bad, col, problem,
                       "rebuild the summary with cxlab.segmentation.rfm_summary (frequency = repeat "
                       "purchase days, 0 <= recency <= T, recency = 0 when frequency = 0)")
    return x, tx, t_obs

