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
_GENERAL = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?")
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: two-digit years yy ≤ 68 mean 20yy, yy ≥ 69 mean 19yy (the POSIX/strptime rule)
YEAR_PIVOT = 69
#: a year outside these bounds cannot belong to customer-experience data: such dates are
#: quarantined as impossible (a typo such as 3025); dates inside the bounds but outside the
#: plausible window of :func:`cxlab.io.read` are kept and flagged in the load report
POSSIBLE_YEARS = (1900, 2200)
_RECOGNISED = "ISO yyyy-mm-dd, dd.mm.yyyy, dd/mm/yyyy, Excel serial"


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
        if remaining.any():
            rest = sub[remaining]
            dmy = np.zeros(len(sub), dtype=bool)
            if opts.dayfirst:
                dmy[remaining] = rest.str.fullmatch(_DMY4).to_numpy()
            if dmy.any():
                take(dmy, sub[dmy].str.replace("^" + _DMY4 + "$", r"\3-\2-\1\4", regex=True), "dd.mm.yyyy")
        if remaining.any():
            _general(sub, remaining, todo, t, out, status, bad, formats, notes, opts)
    return status


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


def _general(sub, remaining, todo, t, out, status, bad, formats, notes, opts) -> None:
    """The less common formats, value by value: d.m.yy, d/m/yyyy, m/d/yyyy, dd-mm-yyyy, Excel serials."""
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
        if not m:
            bad[p] = _unknown_format(t.iloc[p], raw)
            status[p] = BAD
            continue
        a, sep, b, c, hh, mm, ss = m.groups()
        if len(a) == 4:  # yyyy-m-d or yyyy.m.d
            year, month, day = int(a), int(b), int(c)
            label = f"yyyy{sep}mm{sep}dd"
        else:
            if len(c) not in (2, 4):
                bad[p] = ("unknown_date_format", f"{t.iloc[p]!r}: the year must have 2 or 4 digits")
                status[p] = BAD
                continue
            if opts.dayfirst:
                day, month = int(a), int(b)
                label = f"dd{sep}mm{sep}yy" if len(c) == 2 else f"dd{sep}mm{sep}yyyy"
            else:
                month, day = int(a), int(b)
                label = f"mm{sep}dd{sep}yy" if len(c) == 2 else f"mm{sep}dd{sep}yyyy"
            year = int(c)
            if len(c) == 2:
                year += 2000 if year < YEAR_PIVOT else 1900
                pivot_warned += 1
                label += f" (2-digit year: 00–{YEAR_PIVOT - 1} → 20yy, {YEAR_PIVOT}–99 → 19yy)"
        if not lo <= year <= hi:
            bad[p] = _impossible_reason(t.iloc[p], year)
            status[p] = BAD
            continue
        try:
            ts = pd.Timestamp(year=year, month=month, day=day, hour=int(hh or 0), minute=int(mm or 0),
                              second=int(ss or 0))
        except (ValueError, OverflowError):
            hint = ""
            if opts.dayfirst and month > 12 and day <= 12:
                hint = " (month > 12: is this file month-first? pass dayfirst=False)"
            bad[p] = ("invalid_date", f"{t.iloc[p]!r} is not a real calendar date{hint}")
            status[p] = BAD
            continue
        out[p] = ts.as_unit("ns").to_datetime64()
        status[p] = OK
        formats[label] += 1
    if pivot_warned:
        notes[f"two-digit years expanded (00–{YEAR_PIVOT - 1} → 20yy, {YEAR_PIVOT}–99 → 19yy)"] += pivot_warned
