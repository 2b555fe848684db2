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
