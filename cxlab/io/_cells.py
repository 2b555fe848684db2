"""What every column parser shares: the outcome codes, :class:`Options`, :class:`Parsed`, turning
cells into text, and parsing a low-cardinality column once per distinct value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

OK, MISSING, NONRESPONSE, BAD = 0, 1, 2, 3


@dataclass
class Options:
    """Per-call parsing options (set by cxlab.io.read)."""

    dayfirst: bool = True
    decimal: str | None = None
    channel_map: dict[str, str] = field(default_factory=dict)
    value_maps: dict[str, dict[str, str]] = field(default_factory=dict)
    non_response: set[str] = field(default_factory=set)
    phone_region: str = "RU"
    normalise_phones: bool = False
    date_format: str | None = None
    plausible: tuple[pd.Timestamp, pd.Timestamp] = (pd.Timestamp("1990-01-01"), pd.Timestamp("2100-01-01"))
    lines: np.ndarray | None = None  # source line of each position, for error messages


@dataclass
class Parsed:
    values: pd.Series
    status: np.ndarray  # OK / MISSING / NONRESPONSE / BAD per position
    bad_reasons: dict[int, tuple[str, str]] = field(default_factory=dict)  # position -> (problem, reason)
    notes: Counter = field(default_factory=Counter)
    formats: Counter = field(default_factory=Counter)
    unmapped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    @property
    def nonresponse(self) -> int:
        return int((self.status == NONRESPONSE).sum())


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or isinstance(s.dtype, pd.StringDtype)


def to_text(s: pd.Series) -> pd.Series:
    """Any column as pyarrow-backed strings, ``""`` for missing.

    Text columns pass through; typed and mixed columns (numbers, dates, times, decimals,
    booleans next to strings, as ``pd.read_excel`` gives for a messy sheet) are written the
    way a spreadsheet shows them (``1.0`` → ``"1"``, ``1500`` → ``"1500"``), so the same
    value rules apply to every source and no value is lost."""
    from cxlab.io._text import STR_DTYPE

    if isinstance(s.dtype, pd.StringDtype):
        if s.dtype == STR_DTYPE and not s.hasnans:
            return s
        return s.astype(STR_DTYPE).fillna("")
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):
        return s.astype(STR_DTYPE).fillna("")
    return as_text(s)


def as_text(s: pd.Series) -> pd.Series:
    """Any column as strings ('' for missing) with the fast pyarrow-backed string dtype."""
    from cxlab.io._text import STR_DTYPE

    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow" and not s.hasnans:
        return s
    if pd.api.types.is_datetime64_any_dtype(s):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        out = s.dt.strftime("%Y-%m-%d %H:%M:%S.%f").str.replace(r"\.?0+$", "", regex=True)
        out = out.str.replace(r" 00:00:00$", "", regex=True)
        return out.astype(STR_DTYPE).fillna("")
    if pd.api.types.is_float_dtype(s) and not isinstance(s.dtype, pd.ArrowDtype):
        vals = s.to_numpy(dtype="float64", na_value=np.nan)
        out = [_float_text(v) for v in vals]
        return pd.Series(out, index=s.index, dtype=STR_DTYPE)
    obj = s.astype(object)
    obj = obj.where(~pd.isna(obj), "") if len(obj) else obj
    return obj.map(_cell_text).astype(STR_DTYPE)


def _float_text(v: float) -> str:
    if v != v:
        return ""
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def _cell_text(v) -> str:
    """One cell as a spreadsheet shows it (typed cells of Excel, Parquet and object columns)."""
    import datetime as _dt
    import decimal as _decimal

    if isinstance(v, str):
        return v
    if v is None or v is pd.NaT or v is pd.NA:
        return ""
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, float | np.floating):
        return _float_text(float(v))
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, _decimal.Decimal):
        if not v.is_finite():
            return "" if v.is_nan() else str(v)
        text = format(v, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(v, pd.Timestamp | np.datetime64):
        ts = pd.Timestamp(v)
        if ts is pd.NaT:
            return ""
        text = ts.isoformat(sep=" ")
        return text[:10] if text.endswith(" 00:00:00") else text
    if isinstance(v, _dt.datetime):
        text = v.replace(tzinfo=None).isoformat(sep=" ")
        return text[:10] if text.endswith(" 00:00:00") else text
    if isinstance(v, _dt.date | _dt.time):
        return v.isoformat()
    if isinstance(v, bytes | bytearray):
        return bytes(v).decode("utf-8", errors="replace")
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def factorize(s: pd.Series) -> tuple[np.ndarray, list]:
    """Codes (-1 for missing) and distinct values; pyarrow's dictionary encoding when available."""
    pa_arr = getattr(s.array, "_pa_array", None)
    if pa_arr is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pa_arr.combine_chunks() if isinstance(pa_arr, pa.ChunkedArray) else pa_arr
        enc = pc.dictionary_encode(arr)
        codes = enc.indices.to_numpy(zero_copy_only=False)
        if enc.null_count:
            codes = np.where(np.asarray(enc.is_null()), -1, codes)
        return np.asarray(codes, dtype=np.int64), enc.dictionary.to_pylist()
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, list(uniques)


def _by_uniques(s: pd.Series, fn):
    """Apply ``fn(raw) -> (value, status, problem, reason, note)`` once per distinct value."""
    codes, uniques = factorize(s)
    k = len(uniques)
    vals = np.empty(k + 1, dtype=object)
    stat = np.empty(k + 1, dtype=np.int8)
    probs: list[tuple[str, str] | None] = [None] * (k + 1)
    notes: list[str | None] = [None] * (k + 1)
    for i, raw in enumerate(list(uniques) + [""]):
        v, st, problem, reason, note = fn("" if raw is None or (isinstance(raw, float) and raw != raw) else raw)
        vals[i], stat[i], notes[i] = v, st, note
        probs[i] = (problem, reason) if st == BAD else None
    idx = np.where(codes < 0, k, codes)
    return idx, vals, stat, probs, notes, list(uniques) + [""]


def _collect(idx, stat, probs, notes) -> tuple[np.ndarray, dict[int, tuple[str, str]], Counter]:
    status = stat[idx]
    bad_pos = np.flatnonzero(status == BAD)
    bad = {int(p): probs[idx[p]] for p in bad_pos}
    counts = np.bincount(idx, minlength=len(stat))
    note_counts: Counter = Counter()
    for u, note in enumerate(notes):
        if note and counts[u]:
            note_counts[note] += int(counts[u])
    return status, bad, note_counts


def _raw(raw, p, x):
    return raw.iloc[p] if raw is not None else f"{x[p]:g}"


def _pa(t: pd.Series):
    arr = getattr(t.array, "_pa_array", None)
    if arr is None:
        import pyarrow as pa

        arr = pa.array(t.astype(object).where(t.notna(), "").tolist(), type=pa.large_string())
    return arr


def _all_ascii(t: pd.Series) -> bool:
    """Every value is pure ASCII (then no invisible Unicode character can hide in it)."""
    import pyarrow.compute as pc

    return bool(pc.all(pc.fill_null(pc.string_is_ascii(_pa(t)), True)).as_py() is not False)


def _starts_with_zero(t: pd.Series) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(pc.starts_with(_pa(t), "0"), False).to_numpy(zero_copy_only=False), dtype=bool)


def _contains_any(t: pd.Series, chars: str) -> np.ndarray:
    """Which values contain any of the characters (literal searches: much faster than a regex class)."""
    import pyarrow.compute as pc

    arr = _pa(t)
    hit = None
    for ch in chars:
        m = pc.fill_null(pc.match_substring(arr, ch), False)
        hit = m if hit is None else pc.or_(hit, m)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
