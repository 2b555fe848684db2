"""Calendar arithmetic as narwhals expressions (integer only, so every engine runs it the same way)."""

from __future__ import annotations

from cxlab.engine._frame import require_module

__all__ = ["days_since_epoch", "period_ordinal", "rfm_period"]


def days_since_epoch(expr):
    """Whole days from 1970-01-01 to the date of a datetime expression (negative before 1970).

    Howard Hinnant's ``days_from_civil`` on year, month and day: the engines all agree on
    those three, while epoch conversions are not available in every narwhals backend.
    """
    nw = require_module("narwhals")
    i64 = nw.Int64
    y = expr.dt.year().cast(i64)
    m = expr.dt.month().cast(i64)
    d = expr.dt.day().cast(i64)
    yy = y - (m <= 2).cast(i64)
    era = yy // 400
    yoe = yy - era * 400
    mp = (m + 9) % 12  # March = 0 ... February = 11
    doy = (mp * 153 + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def period_ordinal(expr, freq: str):
    """pandas ``Period`` ordinals (``D``, ``W``, ``M``, ``Q``, ``Y``) of a datetime expression."""
    nw = require_module("narwhals")
    i64 = nw.Int64
    if freq in ("M", "Q", "Y"):
        y = expr.dt.year().cast(i64) - 1970
        m = expr.dt.month().cast(i64) - 1
        return {"M": y * 12 + m, "Q": y * 4 + m // 3, "Y": y}[freq]
    days = days_since_epoch(expr)
    return days if freq == "D" else (days + 3) // 7 + 1  # pandas' W-SUN: weeks run Monday..Sunday


def rfm_period(expr, freq: str):
    """The purchase-period numbers of :mod:`cxlab.rfm` (``D``, ``W``, ``h``, ``min``, ``s``)."""
    nw = require_module("narwhals")
    i64 = nw.Int64
    days = days_since_epoch(expr)
    if freq == "D":
        return days
    if freq == "W":
        return (days + 3) // 7
    hours = days * 24 + expr.dt.hour().cast(i64)
    if freq == "h":
        return hours
    minutes = hours * 60 + expr.dt.minute().cast(i64)
    if freq == "min":
        return minutes
    return minutes * 60 + expr.dt.second().cast(i64)


_TRUNCATE = {"D": "1d", "M": "1mo", "Q": "1q", "Y": "1y", "h": "1h", "min": "1m", "s": "1s"}


def period_key(expr, freq: str):
    """A group key for the calendar period of a datetime expression, cheap in every engine.

    The period's start (``dt.truncate``) for days, months, quarters, years, hours, minutes and
    seconds — a plain timestamp the engines group on as fast as on an integer; the integer
    period ordinal for weeks (Monday-to-Sunday weeks have no portable truncation). Turn the
    collected keys into period numbers with :func:`key_ordinals`.
    """
    if freq in _TRUNCATE:
        return expr.dt.truncate(_TRUNCATE[freq])
    return period_ordinal(expr, freq) if freq == "W" else rfm_period(expr, freq)


def key_ordinals(values, freq: str, *, rfm: bool = False):
    """pandas Period ordinals (or, with ``rfm=True``, :mod:`cxlab.rfm` period numbers) of collected keys."""
    import numpy as np
    import pandas as pd

    s = pd.Series(values)
    if freq == "W":
        return s.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    ns = pd.to_datetime(s).to_numpy(dtype="datetime64[ns]").view(np.int64).astype(float)
    ns[pd.isna(s).to_numpy()] = np.nan
    if rfm:
        from cxlab.rfm import _NS_PER

        return np.floor(ns / _NS_PER[freq])
    out = pd.PeriodIndex(pd.to_datetime(s), freq=freq).asi8.astype(float)
    out[np.isnan(ns)] = np.nan
    return out
