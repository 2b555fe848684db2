"""Parsing dates and timestamps exactly: ISO and day-first forms, Excel serial numbers, a
user's ``date_format``; impossible dates quarantined, implausible ones flagged.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from cxlab.io._cells import BAD, MISSING, OK, Options, Parsed, _cell_text, to_text
from cxlab.schema import ColumnSpec


# --------------------------------------------------------------------------- dates

_TZ = r"(?:Z|[+-]\d{2}:?\d{2})$"
_ISO = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
_DMY4 = r"(\d{2})\.(\d{2})\.(\d{4})((?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?)"
_TIME = r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
_GENERAL = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})" + _TIME)
#: a day and a month name: "27 May 2024", "27 мая 2024 г.", "May 27, 2024"
_DAY_NAME = re.compile(r"(\d{1,2})\s+([^\W\d_]{3,})\.?,?\s+(\d{4})(?:\s*г\.?)?" + _TIME)
_NAME_DAY = re.compile(r"([^\W\d_]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})" + _TIME)
#: month names by their first three letters (English; Russian in every case form: мая, мар, сент...)
_MONTHS = {**{m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                            "nov", "dec"), start=1)},
           **{m: i for i, m in enumerate(("янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт",
                                            "ноя", "дек"), start=1)}}
#: day and month in the first two fields of a numeric date (which comes first is decided per column)
_DAY_MONTH = r"^(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}(?!\d)"
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: two-digit years yy ≤ 68 mean 20yy, yy ≥ 69 mean 19yy (the POSIX/strptime rule)
YEAR_PIVOT = 69
#: a year outside these bounds cannot belong to customer-experience data: such dates are
#: quarantined as impossible (a typo such as 3025); dates inside the bounds but outside the
#: plausible window of :func:`cxlab.io.read` are kept and flagged in the load report
POSSIBLE_YEARS = (1900, 2200)
_RECOGNISED = ("ISO yyyy-mm-dd, dd.mm.yyyy, dd/mm/yyyy or mm/dd/yyyy (decided per column), 27 May 2024, "
               "27 мая 2024, Excel serial")


def _impossible_reason(raw: str, year: int) -> tuple[str, str]:
    lo, hi = POSSIBLE_YEARS
    return ("impossible_date", f"{raw!r} has the year {year}, outside {lo}–{hi}: not a possible date here "
                               "(a typo in the year?); correct it in the source")


def parse_datetime(s: pd.Series, col: ColumnSpec, opts: Options) -> Parsed:
    """Dates: each value parsed exactly or quarantined with the reason (never wrapped around)."""
    n = len(s)
    notes: Counter = Counter()
    formats: Counter = Counter()
    bad: dict[int, tuple[str, str]] = {}
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if pd.api.types.is_datetime64_any_dtype(s):
        v = s.reset_index(drop=True)
        if getattr(v.dt, "tz", None) is not None:
            notes["time-zone information dropped (local clock time kept)"] += int(v.notna().sum())
            v = v.dt.tz_localize(None)
        status = np.where(v.isna().to_numpy(), MISSING, BAD).astype(np.int8)
        _accept(v, np.arange(n), out, status, bad, lambda p: _cell_text(v.iloc[p]))
        if (status == OK).any():
            formats["datetime values"] += int((status == OK).sum())
    else:
        status = _parse_date_text(s, opts, out, bad, formats, notes)
    if not col.nullable:
        miss = np.flatnonzero(status == MISSING)
        for p in miss:
            bad[int(p)] = ("missing_value", f"{col.name} is empty")
        status[miss] = BAD
    out[status != OK] = np.datetime64("NaT")
    return Parsed(pd.Series(out, index=s.index, dtype="datetime64[ns]"), status, bad, notes, formats)


def _parse_date_text(s: pd.Series, opts: Options, out: np.ndarray, bad: dict, formats: Counter,
                     notes: Counter) -> np.ndarray:
    """Dates written as text: the given format, ISO 8601, dd.mm.yyyy, then the rarer forms; returns the status."""
    n = len(s)
    t = to_text(s).str.strip().reset_index(drop=True)
    empty = (t == "").to_numpy()
    status = np.where(empty, MISSING, BAD).astype(np.int8)
    todo = np.flatnonzero(~empty)
    if len(todo) and opts.date_format and _format_fits(t.iloc[todo], opts.date_format, notes):
        _with_format(t, todo, opts.date_format, out, status, bad, formats, notes)
    elif len(todo):
        sub = t.iloc[todo].reset_index(drop=True) if len(todo) < n else t
        iso = sub.str.fullmatch(_ISO).to_numpy()
        if not iso.all():
            rest = ~iso
            tz = np.zeros(len(sub), dtype=bool)
            tz[rest] = sub[rest].str.contains(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?" + _TZ, regex=True).to_numpy()
            if tz.any():
                notes["time-zone offsets removed (local clock time kept)"] += int(tz.sum())
                sub = sub.where(~tz, sub.str.replace(_TZ, "", regex=True))
                iso = sub.str.fullmatch(_ISO).to_numpy()
        remaining = np.ones(len(sub), dtype=bool)

        def take(mask: np.ndarray, values: pd.Series, label: str):
            vals = pd.to_datetime(values, format="ISO8601", errors="coerce").reset_index(drop=True)
            pos = todo[np.flatnonzero(mask)]
            before = int((status[pos] == OK).sum())
            _accept(vals, pos, out, status, bad, lambda p: t.iloc[p])
            good = int((status[pos] == OK).sum()) - before
            if good:
                formats[label] += good
            remaining[mask] = False

        if iso.any():
            take(iso, sub[iso] if not iso.all() else sub, "ISO 8601 (yyyy-mm-dd)")
        order = None
        if remaining.any():
            order = _day_month_order(sub, remaining, opts.dayfirst, notes)
            for j in np.flatnonzero(remaining & (order < 0)):  # either order is possible in a mixed column
                p = int(todo[j])
                bad[p] = ("ambiguous_date", f"{t.iloc[p]!r} could be day-first or month-first, and this column has "
                                            "dates written both ways; correct it in the source, or name the format "
                                            "with date_format=")
                status[p] = BAD
            remaining &= order >= 0
        if remaining.any():
            rest = sub[remaining]
            dmy = np.zeros(len(sub), dtype=bool)
            dmy[remaining] = rest.str.fullmatch(_DMY4).to_numpy() & (order[remaining] == 1)
            if dmy.any():
                take(dmy, sub[dmy].str.replace("^" + _DMY4 + "$", r"\3-\2-\1\4", regex=True), "dd.mm.yyyy")
        if remaining.any():
            _general(sub, remaining, todo, t, out, status, bad, formats, notes, opts, order)
    return status


def _day_month_order(sub: pd.Series, remaining: np.ndarray, dayfirst: bool, notes: Counter) -> np.ndarray:
    """Per value: 1 read day first, 0 month first, -1 cannot be told (a column with both orders).

    The order is a property of the column, decided from the values that show it: a first
    field above 12 can only be a day (13/05/2024), a second field above 12 only a day
    written second (05/13/2024). A column showing only one order is read in it whole — a
    US export is not half quarantined and half misread as day-first. A few values against a
    clear majority (under 1 %) are typos, left to be quarantined as impossible dates; a
    column with many of both (merged exports) keeps the values that show their order and
    quarantines the ones that could be either. ``dayfirst`` decides only when no value shows
    the order, and the load report says that it was assumed.
    """
    order = np.full(len(sub), 1 if dayfirst else 0, dtype=np.int8)
    idx = np.flatnonzero(remaining)
    parts = sub.iloc[idx].str.extract(_DAY_MONTH)
    a = pd.to_numeric(parts[0], errors="coerce").to_numpy(dtype=float)
    b = pd.to_numeric(parts[1], errors="coerce").to_numpy(dtype=float)
    matched = ~np.isnan(a)
    if not matched.any():
        return order
    day_first = (a > 12) & (b <= 12)
    month_first = (b > 12) & (a <= 12)
    n_day, n_month = int(day_first.sum()), int(month_first.sum())
    ex_day = sub.iloc[idx[np.argmax(day_first)]] if n_day else ""
    ex_month = sub.iloc[idx[np.argmax(month_first)]] if n_month else ""
    if n_day == 0 and n_month == 0:
        notes[f"day and month order not shown by any value (none above 12): read {'day' if dayfirst else 'month'} "
              f"first; pass {'dayfirst=False' if dayfirst else 'dayfirst=True'} if that is wrong"] += int(matched.sum())
        return order
    if min(n_day, n_month) <= 0.01 * max(n_day, n_month):  # one order (a stray typo or two aside)
        first = n_day >= n_month
        order[idx[matched]] = 1 if first else 0
        if first != dayfirst:
            example = ex_day if first else ex_month
            notes[f"read {'day' if first else 'month'} first, as values such as {example!r} show"] += int(matched.sum())
        return order
    ambiguous = matched & ~day_first & ~month_first & (a != b)
    order[idx[day_first]] = 1
    order[idx[month_first]] = 0
    order[idx[ambiguous]] = -1
    notes[f"dates written both day first ({ex_day!r}) and month first ({ex_month!r}): each read as it shows"] += (
        n_day + n_month)
    return order


def _accept(vals: pd.Series, pos: np.ndarray, out: np.ndarray, status: np.ndarray, bad: dict, raw_of) -> None:
    """Store parsed values (any resolution) at ``pos``: NaT -> not a date, years outside POSSIBLE_YEARS ->
    impossible, the rest converted to nanoseconds (safe once the year is in range: no wrap-around)."""
    lo, hi = POSSIBLE_YEARS
    nat = vals.isna().to_numpy()
    years = vals.dt.year.to_numpy(dtype="float64", na_value=np.nan)
    impossible = ~nat & ((years < lo) | (years > hi))
    good = ~nat & ~impossible
    if good.any():
        out[pos[good]] = vals[good].astype("datetime64[ns]").to_numpy()
        status[pos[good]] = OK
    for j in np.flatnonzero(impossible):
        p = int(pos[j])
        bad[p] = _impossible_reason(raw_of(p), int(years[j]))
        status[p] = BAD
    for j in np.flatnonzero(nat & (status[pos] != MISSING)):
        p = int(pos[j])
        if p not in bad:
            bad[p] = ("invalid_date", f"{raw_of(p)!r} is not a real calendar date")
        status[p] = BAD


def _format_fits(values: pd.Series, fmt: str, notes) -> bool:
    """Does ``date_format`` describe this column at all? One format often names one file's dates
    (``cxlab report --date-format`` applies to every table): a column where no value matches it is
    read as detected, with a note, instead of losing every row."""
    try:
        fits = bool(pd.to_datetime(values, format=fmt, errors="coerce", exact=True).notna().any())
    except (ValueError, TypeError):
        return True  # an invalid format: _with_format says so
    if not fits:
        notes[f"date_format {fmt!r} fits no value in this column: dates read as detected"] += len(values)
    return fits


def _with_format(t: pd.Series, todo: np.ndarray, fmt: str, out, status, bad, formats, notes) -> None:
    """``date_format=`` given: a value is a date only if it matches the format exactly."""
    import datetime as _dt

    from cxlab.errors import CXLabError

    sub = t.iloc[todo].reset_index(drop=True)
    try:
        _dt.datetime.now().strftime(fmt)
        vals = pd.to_datetime(sub, format=fmt, errors="coerce", exact=True)
    except (ValueError, TypeError) as exc:
        raise CXLabError(f"date_format={fmt!r} is not a valid date format ({exc})",
                         fix="write it with strftime codes, e.g. date_format='%Y%m%d' for 19970101 or "
                             "'%d.%m.%Y %H:%M' for 05.03.2025 14:30") from None
    if getattr(vals.dt, "tz", None) is not None:
        notes["time-zone offsets removed (local clock time kept)"] += int(vals.notna().sum())
        vals = vals.dt.tz_localize(None)
    _accept(vals, todo, out, status, bad, lambda p: t.iloc[p])
    for p, (problem, _reason) in list(bad.items()):
        if problem != "invalid_date":
            continue
        raw = t.iloc[p]
        try:
            _dt.datetime.strptime(raw, fmt)
            why = "is not a date cxlab can represent"
        except ValueError as exc:
            why = ("is not a real calendar date" if "out of range" in str(exc) or "must be in" in str(exc)
                   else "does not match")
        bad[p] = ("date_format_mismatch" if why == "does not match" else "invalid_date",
                  f"{raw!r} {why} date_format={fmt!r}" if why == "does not match" else f"{raw!r} {why}")
    good = int((status[todo] == OK).sum())
    if good:
        formats[f"date_format {fmt!r}"] += good


def _unknown_format(text: str, raw: str) -> tuple[str, str]:
    """The reason a value is not a recognised date, with a hint at the format to name when it looks like one."""
    hint = ""
    if re.fullmatch(r"(?:19|20)\d{6}", raw):
        hint = "; it looks like yyyymmdd: pass date_format='%Y%m%d'"
    elif re.fullmatch(r"\d{1,2}\s+\S+\s+\d{4}.*|\S+\s+\d{1,2},?\s+\d{4}.*", raw):
        hint = "; name its format with date_format= (e.g. date_format='%d %b %Y')"
    return ("unknown_date_format", f"{text!r} is not a date cxlab recognises ({_RECOGNISED})"
            + (hint or "; if the whole column is written this way, name the format with date_format="))


def _named_month(raw: str):
    """``(year, month, day, hh, mm, ss, ampm, label)`` of "27 May 2024" / "27 мая 2024" / "May 27, 2024", or None."""
    m = _DAY_NAME.fullmatch(raw)
    if m:
        day, name, year, hh, mm, ss, ampm = m.groups()
        label = "dd Month yyyy"
    else:
        m = _NAME_DAY.fullmatch(raw)
        if not m:
            return None
        name, day, year, hh, mm, ss, ampm = m.groups()
        label = "Month dd, yyyy"
    key = name.lower()
    month = _MONTHS.get(key[:3]) or (5 if key.startswith("ма") and key[:3] not in ("мар",) else None)
    if month is None:
        return None
    return int(year), month, int(day), hh, mm, ss, ampm, label


def _numeric_date(groups: tuple, dayfirst: bool):
    """``(year, month, day, hh, mm, ss, ampm, label)`` of a numeric date's fields, or None (a 3-digit year)."""
    a, sep, b, c, hh, mm, ss, ampm = groups
    if len(a) == 4:  # yyyy-m-d or yyyy.m.d
        return int(a), int(b), int(c), hh, mm, ss, ampm, f"yyyy{sep}mm{sep}dd"
    if len(c) not in (2, 4):
        return None
    day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
    label = (f"dd{sep}mm{sep}" if dayfirst else f"mm{sep}dd{sep}") + ("yy" if len(c) == 2 else "yyyy")
    year = int(c)
    if len(c) == 2:
        year += 2000 if year < YEAR_PIVOT else 1900
        label += f" (2-digit year: 00–{YEAR_PIVOT - 1} → 20yy, {YEAR_PIVOT}–99 → 19yy)"
    return year, month, day, hh, mm, ss, ampm, label


def _clock(hh, mm, ss, ampm) -> tuple[int, int, int] | None:
    """Hour, minute, second; a 12-hour clock (AM/PM) turned into 24 hours; None when impossible."""
    hour = int(hh or 0)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    return hour, int(mm or 0), int(ss or 0)


def _general(sub, remaining, todo, t, out, status, bad, formats, notes, opts, order=None) -> None:
    """The less common formats, value by value: d.m.yy, d/m/yyyy, m/d/yyyy, dd-mm-yyyy, month names,
    12-hour clocks, Excel serials. ``order`` (per value: 1 day first, 0 month first) comes from
    :func:`_day_month_order`."""
    pivot_warned = 0
    lo, hi = POSSIBLE_YEARS
    for j in np.flatnonzero(remaining):
        p = int(todo[j])
        raw = sub.iloc[j]
        if _SERIAL.fullmatch(raw):
            serial = float(raw.replace(",", "."))
            if 20000 <= serial <= 80000:
                out[p] = (EXCEL_EPOCH + pd.to_timedelta(round(serial * 86400), unit="s")).as_unit("ns").to_datetime64()
                status[p] = OK
                formats["Excel serial day number"] += 1
                continue
        m = _GENERAL.fullmatch(raw)
        named = None if m else _named_month(raw)
        if not m and named is None:
            bad[p] = _unknown_format(t.iloc[p], raw)
            status[p] = BAD
            continue
        dayfirst = opts.dayfirst if order is None else bool(order[j] == 1)
        if named is not None:
            year, month, day, hh, mm, ss, ampm, label = named
        else:
            parsed = _numeric_date(m.groups(), dayfirst)
            if parsed is None:
                bad[p] = ("unknown_date_format", f"{t.iloc[p]!r}: the year must have 2 or 4 digits")
                status[p] = BAD
                continue
            year, month, day, hh, mm, ss, ampm, label = parsed
            pivot_warned += "2-digit year" in label
        if not lo <= year <= hi:
            bad[p] = _impossible_reason(t.iloc[p], year)
            status[p] = BAD
            continue
        clock = _clock(hh, mm, ss, ampm)
        try:
            if clock is None:
                raise ValueError("hour outside 1–12 on a 12-hour clock")
            ts = pd.Timestamp(year=year, month=month, day=day, hour=clock[0], minute=clock[1], second=clock[2])
        except (ValueError, OverflowError):
            hint = ""
            if dayfirst and month > 12 and day <= 12:
                hint = " (month > 12: is this file month-first? pass dayfirst=False)"
            bad[p] = ("invalid_date", f"{t.iloc[p]!r} is not a real calendar date{hint}")
            status[p] = BAD
            continue
        out[p] = ts.as_unit("ns").to_datetime64()
        status[p] = OK
        formats[label + (" (12-hour clock)" if ampm else "")] += 1
    if pivot_warned:
        notes[f"two-digit years expanded (00–{YEAR_PIVOT - 1} → 20yy, {YEAR_PIVOT}–99 → 19yy)"] += pivot_warned
