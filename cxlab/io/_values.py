"""Column parsers: one per ColumnSpec kind, vectorised over whole columns.

Each parser takes a Series of raw strings (or typed values from a DataFrame) and returns
a :class:`Parsed`: the typed values, which positions were rejected and why, how many
were explicit non-response, and which normalisations were applied (with counts).
Low-cardinality columns (scores, categories, booleans) are parsed once per distinct
value and broadcast back; high-cardinality columns (dates, numbers, ids, text) use
vectorised string operations, and only the failures are examined one by one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlab.errors import format_rows
from cxlab.io._vocab import BOOL_MAP, normalise_label
from cxlab.schema import ColumnSpec

__all__ = ["Options", "Parsed", "PARSERS", "parse_score", "parse_category", "parse_bool", "parse_float",
           "parse_text", "parse_datetime", "as_text", "factorize", "OK", "MISSING", "NONRESPONSE", "BAD"]

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


# --------------------------------------------------------------------------- scores

_NUM = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_LABEL = re.compile(r"(\d{1,4})\s*(?:[-–—:.)=(]|\s)\s*(?=\D)(?!\d).*", re.S)


def parse_score(s: pd.Series, col: ColumnSpec, opts: Options) -> Parsed:
    lo, hi = col.scale
    dtype = "Int16" if hi > 127 else "Int8"
    nonresp = opts.non_response
    answer = col.nullable

    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        x = np.array(s.to_numpy(dtype="float64", na_value=np.nan), dtype="float64", copy=True)
        status = np.full(len(x), OK, dtype=np.int8)
        nan = np.isnan(x)
        status[nan] = NONRESPONSE if answer else MISSING
        bad: dict[int, tuple[str, str]] = {}
        frac = ~nan & (x != np.round(x))
        rng = ~nan & ~frac & ((x < lo) | (x > hi))
        for p in np.flatnonzero(frac):
            bad[int(p)] = ("not_whole", f"{x[p]:g} is not a whole number on the {lo}–{hi} scale")
        for p in np.flatnonzero(rng):
            bad[int(p)] = ("out_of_range", f"{x[p]:g} is outside the {lo}–{hi} scale")
        status[frac | rng] = BAD
        ok = status == OK
        data = np.where(ok, x, 0).astype(np.int16 if dtype == "Int16" else np.int8)
        values = pd.Series(pd.arrays.IntegerArray(data, ~ok), index=s.index).astype(dtype)
        return Parsed(values, status, bad)

    def one(raw: str):
        t = raw.strip()
        if not t:
            return None, (NONRESPONSE if answer else MISSING), None, None, None
        key = normalise_label(t)
        if not key or key in nonresp:
            return None, (NONRESPONSE if answer else MISSING), None, None, (
                "explicit non-response code kept as non-response" if key else None)
        note = None
        if _NUM.fullmatch(t):
            x = float(t.replace(",", "."))
            if not x.is_integer():
                return None, BAD, "not_whole", f"{t!r} is not a whole number on the {lo}–{hi} scale", None
            if "." in t or "," in t:
                note = "whole-number scores written with decimals ('9.0')"
        else:
            m = _LABEL.fullmatch(t)
            if not m:
                return None, BAD, "not_a_score", f"{t!r} is not a score on the {lo}–{hi} scale", None
            x = float(m.group(1))
            note = "answer labels mapped to their number ('10 - extremely likely' → 10)"
        if x < lo or x > hi:
            return None, BAD, "out_of_range", f"{t!r} is outside the {lo}–{hi} scale", None
        return int(x), OK, None, None, note

    idx, vals, stat, probs, notes, _ = _by_uniques(to_text(s), one)
    status, bad, note_counts = _collect(idx, stat, probs, notes)
    num = np.array([v if v is not None else 0 for v in vals], dtype=np.int64)[idx]
    ok = status == OK
    data = num.astype(np.int16 if dtype == "Int16" else np.int8)
    values = pd.Series(pd.arrays.IntegerArray(data, ~ok), index=s.index).astype(dtype)
    return Parsed(values, status, bad, note_counts)


# --------------------------------------------------------------------------- categories

def parse_category(s: pd.Series, col: ColumnSpec, opts: Options) -> Parsed:
    answer = col.name.startswith("stated_")
    if col.categories:
        cats = list(col.categories)
        mapping = {normalise_label(c): c for c in cats}
        mapping.update({normalise_label(c.replace("_", " ")): c for c in cats})
        extra = opts.channel_map if col.name == "channel" else opts.value_maps.get(col.name, {})
        mapping.update({normalise_label(k): v for k, v in extra.items()})
        unknown_targets = {v for v in mapping.values() if v not in cats}
        if unknown_targets:
            from cxlab.errors import CXLabError

            raise CXLabError(f"the label map for {col.name} points to {sorted(unknown_targets)}, which are not "
                             f"canonical values", column=col.name, fix=f"map labels onto {', '.join(cats)}")
        unmapped: Counter = Counter()

        def one(raw: str):
            t = raw.strip()
            key = normalise_label(t)
            if not key:
                return None, MISSING, None, None, None
            if answer and key in opts.non_response:
                return None, NONRESPONSE, None, None, "explicit non-response code kept as non-response"
            if key in mapping:
                v = mapping[key]
                return v, OK, None, None, (None if t == v else f"label {t!r} → {v}")
            return None, BAD, "unknown_label", (f"{t!r} is not a known {col.name} label; add it to "
                                                f"{'channel_map' if col.name == 'channel' else 'value_maps'}"
                                                f"={{{t!r}: ...}}"), None

        idx, vals, stat, probs, notes, raws = _by_uniques(to_text(s), one)
        status, bad, note_counts = _collect(idx, stat, probs, notes)
        counts = np.bincount(idx, minlength=len(vals))
        for u, p in enumerate(probs):
            if p is not None and p[0] == "unknown_label" and counts[u]:
                unmapped[str(raws[u]).strip()] += int(counts[u])
        pos = {c: i for i, c in enumerate(cats)}
        code_u = np.array([pos.get(v, -1) if st == OK else -1 for v, st in zip(vals, stat)], dtype=np.int64)
        codes = code_u[idx]
        values = pd.Series(pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(cats, ordered=col.ordered)),
                           index=s.index)
        return Parsed(values, status, bad, note_counts, unmapped=unmapped)
    # open vocabulary: keep the label as given (trimmed)
    t = to_text(s)
    codes, uniques = factorize(t)
    clean = [str(u).strip() for u in uniques]
    notes: Counter = Counter()
    missing_u = np.array([c == "" or (answer and normalise_label(c) in opts.non_response) for c in clean] + [True])
    nonresp_u = np.array([answer and c != "" and normalise_label(c) in opts.non_response for c in clean] + [False])
    idx = np.where(codes < 0, len(clean), codes)
    cats = sorted({c for c, m in zip(clean, missing_u) if not m})
    pos = {c: i for i, c in enumerate(cats)}
    code_u = np.array([pos.get(c, -1) if not m else -1 for c, m in zip(clean, missing_u)] + [-1], dtype=np.int64)
    trimmed = sum(1 for u, c in zip(uniques, clean) if str(u) != c)
    if trimmed:
        counts = np.bincount(idx, minlength=len(clean) + 1)
        notes["surrounding spaces trimmed"] = int(sum(counts[i] for i, (u, c) in enumerate(zip(uniques, clean))
                                                      if str(u) != c))
    status = np.where(nonresp_u[idx], NONRESPONSE, np.where(missing_u[idx], MISSING, OK)).astype(np.int8)
    if nonresp_u.any():
        notes["explicit non-response code kept as non-response"] = int((status == NONRESPONSE).sum())
    values = pd.Series(pd.Categorical.from_codes(code_u[idx], categories=pd.Index(cats, dtype=object)),
                       index=s.index)
    return Parsed(values, status, {}, notes)


# --------------------------------------------------------------------------- booleans

def parse_bool(s: pd.Series, col: ColumnSpec, opts: Options) -> Parsed:
    table = {normalise_label(k): v for k, v in BOOL_MAP.items()}

    def one(raw: str):
        key = normalise_label(raw)
        if not key:
            return None, MISSING, None, None, None
        if key in table:
            return table[key], OK, None, None, None
        return None, BAD, "not_boolean", f"{raw.strip()!r} is not yes/no (да/нет, 1/0, true/false)", None

    idx, vals, stat, probs, notes, _ = _by_uniques(to_text(s), one)
    status, bad, note_counts = _collect(idx, stat, probs, notes)
    b = np.array([bool(v) if v is not None else False for v in vals])[idx]
    values = pd.Series(pd.arrays.BooleanArray(b, status != OK), index=s.index)
    return Parsed(values, status, bad, note_counts)


# --------------------------------------------------------------------------- numbers

# Patterns used through the pandas .str accessor are plain strings: pyarrow evaluates them
# natively, whereas a compiled pattern sends pandas down a slow per-element Python path.
_CURRENCY = r"(?i)^\s*(?:₽|\$|€|RUB|RUR)\s*|\s*(?:₽|руб\.?|р\.|RUB|RUR|\$|€)\s*$"
_SPACES = "[\\s\u00a0\u202f\u2009']"
_CURRENCY_RE = re.compile(_CURRENCY)


def parse_float(s: pd.Series, col: ColumnSpec, opts: Options) -> Parsed:
    """Numbers: the decimal mark is decided per value from unambiguous evidence, per column by majority.

    ``1 234,56``, ``1.234,56``, ``990,5`` prove a decimal comma; ``1,234.56``, ``1,234,567``,
    ``1500.00`` prove a decimal point. Each such value is read by its own marks, so a minority
    written the other way never changes the majority's values. ``1,234`` and ``1.234`` are
    ambiguous (a thousand or one point something): they are read by the column's mark only
    when every other value agrees on it (or ``decimal=`` says which), and quarantined otherwise.
    """
    n = len(s)
    notes: Counter = Counter()
    bad: dict[int, tuple[str, str]] = {}
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        x = np.array(s.to_numpy(dtype="float64", na_value=np.nan), dtype="float64", copy=True)
        status = np.where(np.isnan(x), MISSING, OK).astype(np.int8)
        raw = None
    else:
        t = to_text(s)
        raw = t
        fast = _arrow_float(t)
        x = None
        if fast is not None:
            amb, has_dot = _ambiguous_dots(t)
            if not amb.any():
                x, status = fast, np.full(n, OK, dtype=np.int8)
            else:
                others = np.flatnonzero(has_dot & ~amb)[:1000]  # one value proving the decimal point suffices
                proof = int((~_contains_any(t.iloc[others].reset_index(drop=True), "eE")).sum()) if len(others) else 0
                if proof and opts.decimal in (None, "."):
                    x, status = fast, np.full(n, OK, dtype=np.int8)
                    notes[f"values like {t[amb].iloc[0]!r} read with a decimal point, as every other value in "
                          "the column uses one"] += int(amb.sum())
        if x is None:
            x, status = _parse_number_text(t.str.strip(), col, opts, notes, bad)
    finite_bad = np.isinf(x)
    for p in np.flatnonzero(finite_bad):
        bad[int(p)] = ("not_a_number", f"{_raw(raw, p, x)!r} is not a finite number")
    if col.min_value is not None:
        below = np.flatnonzero(~np.isnan(x) & (x < col.min_value) & (status == OK))
        for p in below:
            bad[int(p)] = ("below_minimum", f"{_raw(raw, p, x)} is below the minimum {col.min_value:g}"
                           + (" (a refund or correction?)" if col.name == "amount" else ""))
    if bad:
        status[np.fromiter(bad.keys(), dtype=np.int64)] = BAD
    if not col.nullable:
        miss = np.flatnonzero(status == MISSING)
        for p in miss:
            bad[int(p)] = ("missing_value", f"{col.name} is empty")
        status[miss] = BAD
    x = np.where(status == OK, x, np.nan)
    return Parsed(pd.Series(x, index=s.index, dtype="float64"), status, bad, notes)


# value shapes (after the currency sign is removed); S = a space-like thousands separator
_S = "[\\s\u00a0\u202f\u2009\u2007']"
_SIGN = "[+-]?"
_SHAPES = {
    # name: (pattern, decimal mark it proves or None, how the value is read)
    "int": (_SIGN + r"\d+", None, "plain"),
    "int_spaced": (_SIGN + r"\d{1,3}(?:" + _S + r"\d{3})+", None, "plain"),
    "spaced_comma": (_SIGN + r"\d{1,3}(?:" + _S + r"\d{3})+,\d+", ",", "comma"),
    "spaced_point": (_SIGN + r"\d{1,3}(?:" + _S + r"\d{3})+\.\d+", ".", "point"),
    "en_full": (_SIGN + r"\d{1,3}(?:,\d{3})+\.\d+", ".", "point"),
    "en_int": (_SIGN + r"\d{1,3}(?:,\d{3}){2,}", ".", "point"),
    "eu_full": (_SIGN + r"\d{1,3}(?:\.\d{3})+,\d+", ",", "comma"),
    "eu_int": (_SIGN + r"\d{1,3}(?:\.\d{3}){2,}", ",", "comma"),
    "amb_comma": (_SIGN + r"[1-9]\d{0,2},\d{3}", None, "ambiguous"),
    "amb_dot": (_SIGN + r"[1-9]\d{0,2}\.\d{3}", None, "ambiguous"),
    "dec_comma": (_SIGN + r"(?:\d*,\d+|\d+,)", ",", "comma"),
    "dec_point": (_SIGN + r"(?:\d*\.\d+|\d+\.)", ".", "point"),
    "sci": (_SIGN + r"(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][+-]?\d+", None, "sci"),
}
_AMB_DOT = _SHAPES["amb_dot"][0]
# which shapes a value can have, by the separators it contains (space-like, comma, dot)
_CANDIDATES = {
    (True, False, False): ("int_spaced",), (True, True, False): ("spaced_comma",),
    (True, False, True): ("spaced_point",), (False, True, True): ("en_full", "eu_full", "sci"),
    (False, True, False): ("amb_comma", "dec_comma", "en_int", "sci"),
    (False, False, True): ("amb_dot", "dec_point", "eu_int", "sci"), (False, False, False): ("int", "sci"),
}


def _shapes(sub: pd.Series) -> np.ndarray:
    """The shape name of every value ('' when it is no number shape), trying only the shapes its separators allow."""
    shape = np.full(len(sub), "", dtype=object)
    if not len(sub):
        return shape
    space = sub.str.contains(_S, regex=True).to_numpy() if not _all_ascii(sub) or \
        _contains_any(sub, " '\t").any() else np.zeros(len(sub), dtype=bool)
    comma = _contains_any(sub, ",")
    dot = _contains_any(sub, ".")
    for key, names in _CANDIDATES.items():
        m = (space == key[0]) & (comma == key[1]) & (dot == key[2])
        for name in names:
            if not m.any():
                break
            pos = np.flatnonzero(m)
            hit = sub.iloc[pos].str.fullmatch(_SHAPES[name][0]).to_numpy()
            shape[pos[hit]] = name
            m[pos[hit]] = False
    return shape


def _parse_number_text(t: pd.Series, col: ColumnSpec, opts: Options, notes: Counter,
                       bad: dict[int, tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    n = len(t)
    x = np.full(n, np.nan)
    empty = (t == "").to_numpy()
    status = np.where(empty, MISSING, BAD).astype(np.int8)
    todo = np.flatnonzero(~empty)
    if not len(todo):
        return x, status
    sub = t.iloc[todo].reset_index(drop=True)
    keys = sub.map(normalise_label) if len(sub) < 50_000 or not sub.str.contains("[^0-9.,\\s+-]").any() else None
    if keys is not None:
        is_nr = keys.isin(opts.non_response).to_numpy() & ~sub.str.fullmatch(r"[+-]?[\d.,]+").to_numpy()
    else:
        is_nr = np.zeros(len(sub), dtype=bool)
    if is_nr.any():
        status[todo[is_nr]] = MISSING
        notes["non-response/missing codes ('N/A') read as missing"] += int(is_nr.sum())
    cur = sub.str.contains(_CURRENCY)
    if cur.any():
        notes["currency sign removed"] += int(cur.sum())
        sub = sub.str.replace(_CURRENCY, "", regex=True)
    shape = _shapes(sub)
    shape[is_nr] = "nr"
    proves = {name: mark for name, (_, mark, _) in _SHAPES.items()}
    n_comma = int(sum((shape == k).sum() for k, m in proves.items() if m == ","))
    n_point = int(sum((shape == k).sum() for k, m in proves.items() if m == "."))
    mixed = n_comma > 0 and n_point > 0
    if opts.decimal is not None:
        conv = opts.decimal
    else:
        conv = "," if n_comma > n_point else "." if n_point > n_comma else None
    comma_thousands = bool(((shape == "en_full") | (shape == "en_int")).any())
    dot_thousands = bool(((shape == "eu_full") | (shape == "eu_int")).any())
    group = np.full(len(sub), "", dtype=object)  # "comma": ',' is the decimal mark; "point": ',' separates thousands
    for name, (_, _, how) in _SHAPES.items():
        m = shape == name
        if m.any() and how in ("comma", "point"):
            group[m] = how
    group[(shape == "int") | (shape == "int_spaced")] = "point"
    sci = shape == "sci"
    ambiguous = np.flatnonzero((shape == "amb_comma") | (shape == "amb_dot"))
    amb_bad = []
    for j in ambiguous:
        mark = "," if shape[j] == "amb_comma" else "."
        if opts.decimal is not None:
            decimal_reading = mark == opts.decimal
        elif conv is not None and not mixed:
            if mark == conv:
                decimal_reading = True
            elif (mark == "," and comma_thousands) or (mark == "." and dot_thousands):
                decimal_reading = False
            else:
                amb_bad.append(j)
                continue
        else:
            amb_bad.append(j)
            continue
        if mark == ",":
            group[j] = "comma" if decimal_reading else "point"
        else:
            group[j] = "point" if decimal_reading else "comma"
    resolved = len(ambiguous) - len(amb_bad)
    if resolved:
        how = (f"as you said with decimal={opts.decimal!r}" if opts.decimal is not None
               else "by the mark every other value of the column uses")
        ex = sub.iloc[[j for j in ambiguous if j not in set(amb_bad)][0]]
        notes[f"values like {ex!r} (a thousand, or one point something) read {how}"] += resolved
    # evidence that the column mixes the two conventions: each value was read by its own marks
    if mixed:
        minority = "," if n_comma < n_point or (n_comma == n_point) else "."
        k = min(n_comma, n_point)
        notes[f"values written with a decimal {'comma' if minority == ',' else 'point'} in a column that mostly "
              f"uses the other mark, read by their own separators"] += k
    v = sub.str.replace(_S, "", regex=True)
    spaced = np.isin(shape, ["int_spaced", "spaced_comma", "spaced_point"])
    if spaced.any():
        notes["thousands separators (spaces, non-breaking spaces) removed"] += int(spaced.sum())
    comma = group == "comma"
    point = group == "point"
    dc = comma & v.str.contains(",", regex=False).to_numpy()
    if dc.any():
        notes["decimal commas read as decimal points"] += int(dc.sum())
    tc = point & v.str.contains(",", regex=False).to_numpy()
    if tc.any():
        notes["comma thousands separators removed"] += int(tc.sum())
    norm = v.where(~pd.Series(comma), v.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    norm = norm.where(~pd.Series(point), norm.str.replace(",", "", regex=False))
    norm = norm.where(~pd.Series(sci), norm.str.replace(",", ".", regex=False))
    usable = comma | point | sci
    y = pd.to_numeric(norm.where(pd.Series(usable), "nan"), errors="coerce").to_numpy(dtype="float64",
                                                                                     na_value=np.nan)
    ok = usable & ~np.isnan(y)
    x[todo[ok]] = y[ok]
    status[todo[ok]] = OK
    amb_set = set(amb_bad)
    for j in np.flatnonzero(~ok & ~is_nr):
        r = t.iloc[todo[j]]
        if j in amb_set:
            digits = r.strip()
            a = float(re.sub(r"[.,]", "", re.sub(_CURRENCY_RE, "", digits)) or 0)
            why = ("mixes decimal commas and decimal points" if mixed else
                   "has no other value that shows which mark is the decimal one")
            bad[int(todo[j])] = ("ambiguous_number",
                                 f"{r!r} could be {a:,.0f} or {a / 1000:g}: the {col.name} column {why}; "
                                 "pass decimal=',' (comma = decimal mark) or decimal='.' to say which")
        else:
            bad[int(todo[j])] = ("not_a_number", f"{r!r} is not a number")
    if amb_bad:
        notes["ambiguous numbers like '1,234' quarantined (pass decimal= to say which mark is decimal)"] += \
            len(amb_bad)
    return x, status


def _ambiguous_dots(t: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Values like '1.234' (one to three digits, a dot, three digits), and which values have a dot at all.

    The regex runs only where the dot sits three characters from the end (fast on big clean columns)."""
    import pyarrow.compute as pc

    arr = _pa(t)
    idx = np.asarray(pc.fill_null(pc.find_substring(arr, "."), -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    has_dot = idx >= 0
    amb = np.zeros(len(idx), dtype=bool)
    if not has_dot.any():
        return amb, has_dot
    length = np.asarray(pc.fill_null(pc.utf8_length(arr), 0).to_numpy(zero_copy_only=False), dtype=np.int64)
    cand = has_dot & (idx >= 1) & (idx <= 4) & (length - idx == 4)
    if cand.any():
        pos = np.flatnonzero(cand)
        amb[pos] = t.iloc[pos].str.fullmatch(_AMB_DOT).to_numpy()
    return amb, has_dot


def _arrow_float(t: pd.Series) -> np.ndarray | None:
    """Whole-column cast by pyarrow when every value is a plain number (the clean-file fast path)."""
    pa_arr = getattr(t.array, "_pa_array", None)
    if pa_arr is None:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        out = pc.cast(pa_arr, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if out.null_count:
        return None
    x = np.array(out.to_numpy(), dtype="float64", copy=True)
    return None if np.isinf(x).any() or np.isnan(x).any() else x


def _raw(raw, p, x):
    return raw.iloc[p] if raw is not None else f"{x[p]:g}"


# --------------------------------------------------------------------------- ids and text

_SCI = r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+"


def parse_text(s: pd.Series, col: ColumnSpec, opts: Options, *, name: str = "") -> Parsed:
    from cxlab.io._text import STR_DTYPE

    notes: Counter = Counter()
    bad: dict[int, tuple[str, str]] = {}
    t = to_text(s)
    if t.dtype != STR_DTYPE:
        t = t.fillna("").astype(STR_DTYPE)
    stripped = t.str.strip()
    warns: list[str] = []
    if col.kind == "id":
        invisible = (np.zeros(len(t), dtype=bool) if _all_ascii(t)
                     else t.str.contains(_INVISIBLE, regex=True).to_numpy())
        if invisible.any():
            notes["invisible characters (zero-width, BOM, non-breaking spaces) removed from ids"] += \
                int(invisible.sum())
            cleaned = stripped.str.replace("[\u200b-\u200d\u2060\ufeff\u00ad]", "", regex=True)
            cleaned = cleaned.str.replace("[\u00a0\u202f\u2007]", " ", regex=True).str.strip()
            stripped = stripped.where(~invisible, cleaned)
            t = stripped
        changed = int((stripped != t).sum())
        if changed:
            notes["surrounding spaces trimmed"] += changed
        warns.extend(_id_damage(stripped, col, opts))
    empty = (stripped == "").to_numpy()
    status = np.where(empty, MISSING, OK).astype(np.int8)
    is_phone = col.name == "phone"
    if col.kind == "id" or is_phone:
        sci = np.zeros(len(empty), dtype=bool)
        if _contains_any(stripped, "eE").any():
            sci = stripped.str.fullmatch(_SCI).to_numpy() & ~empty
        if sci.any():
            n_sci, n_val = int(sci.sum()), int((~empty).sum())
            what = "phone numbers" if is_phone else "ids"
            if is_phone and n_sci * 2 >= n_val:
                from cxlab.errors import CXLabError

                rows = np.flatnonzero(sci)
                example = stripped.iloc[rows[0]]
                if opts.lines is not None:
                    rows = opts.lines[rows]
                raise CXLabError(
                    f"{n_sci} of {n_val} {what} are in Excel scientific notation (e.g. {example!r}): "
                    "their last digits are already lost", file=name, column=col.name,
                    rows=[int(r) for r in rows[:50]],
                    fix=f"re-export from the source system, or format the {col.name} column as Text in Excel "
                        "before saving")
            if is_phone and col.nullable:
                # the contact is still a contact: only its phone is unusable, so the phone is left empty
                status[sci] = MISSING
                notes["phones in Excel scientific notation left empty (their last digits are lost; re-export "
                      "the column as text)"] += n_sci
                warns.append(f"{n_sci} phone number(s) in Excel scientific notation (e.g. "
                             f"{stripped.iloc[int(np.flatnonzero(sci)[0])]!r}) are left empty: their last digits "
                             "are lost; the rows are kept. Re-export the column as text to use them")
            else:
                for p in np.flatnonzero(sci):
                    bad[int(p)] = ("scientific_notation",
                                   f"{stripped.iloc[p]!r} is in Excel scientific notation: digits of the "
                                   f"{'phone number' if is_phone else 'id'} are lost; re-export the column as text")
                status[sci] = BAD
    if is_phone:
        _check_phones(stripped, status, notes, opts)
        if opts.normalise_phones:
            stripped = _normalise_phones(stripped, status, notes, opts)
    if col.name == "email":
        no_at = ~stripped.str.contains("@", regex=False).to_numpy() & ~empty
        if no_at.any():
            notes["e-mails without '@' (kept as given)"] += int(no_at.sum())
    if not col.nullable:
        miss = np.flatnonzero(status == MISSING)
        for p in miss:
            bad[int(p)] = ("missing_value", f"{col.name} is empty")
        status[miss] = BAD
    # ids are trimmed; free text (names, e-mails, phones, comments) is kept exactly as given,
    # since its noise is information for identity resolution (cxlab.identity normalises it)
    kept = stripped if (col.kind == "id" or opts.normalise_phones and is_phone) else t
    values = kept.where(status == OK).astype("string")
    return Parsed(values, status, bad, notes, warnings=warns)


_INVISIBLE = "[\u200b-\u200d\u2060\ufeff\u00ad\u00a0\u202f\u2007]"


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


def _id_damage(ids: pd.Series, col: ColumnSpec, opts: Options) -> list[str]:
    """Ids that look like spreadsheet damage: '123.0', and short numbers among zero-padded ones."""
    out = []
    lines = opts.lines

    def where(mask: np.ndarray) -> str:
        pos = np.flatnonzero(mask)[:10]
        rows = lines[pos] if lines is not None and len(lines) == len(mask) else pos + 1
        return format_rows([int(r) for r in rows])

    if _contains_any(ids, ".").any():
        floaty = ids.str.fullmatch(r"\d+\.0+").to_numpy()
        if floaty.any():
            ex = ids[floaty].iloc[0]
            out.append(f"{int(floaty.sum()):,} ids look like spreadsheet numbers (e.g. {ex!r}, lines {where(floaty)}): "
                       f"a spreadsheet turned the id into a number, so {ex!r} will not match {ex.split('.')[0]!r} "
                       "elsewhere; export the column as text (in Excel: format it as Text), or fix these ids")
    if _starts_with_zero(ids).any():
        digits = ids.str.fullmatch(r"\d+").to_numpy()
        if digits.any():
            lengths = ids.str.len().to_numpy()
            padded = digits & ids.str.startswith("0").to_numpy()
            if padded.sum() >= 2:
                width = int(np.bincount(lengths[padded]).argmax())
                short = digits & (lengths < width)
                share = padded.sum() / max(int(digits.sum()), 1)
                if short.any() and (lengths[padded] == width).mean() > 0.9 and share >= 0.1:
                    ex = ids[short].iloc[0]
                    out.append(f"{int(short.sum()):,} ids have fewer digits than the others (e.g. {ex!r}, lines "
                               f"{where(short)}) while the rest are zero-padded to {width} digits "
                               f"(e.g. {ids[padded].iloc[0]!r}): a spreadsheet probably dropped their leading "
                               f"zeros; export the column as text, or pad them to {width} digits if that is how "
                               "your system writes them")
    return out


_RU_MOBILE = r"(?:\+7|8|7)?9\d{9}"
_PHONE_PUNCT = r"[\s\-().]"


def _check_phones(stripped: pd.Series, status: np.ndarray, notes: Counter, opts: Options) -> None:
    """Count phone values that ``phonenumbers`` does not accept as valid (they are kept as given)."""
    ok = status == OK
    if not ok.any():
        return
    okpos = np.flatnonzero(ok)
    compact = stripped.iloc[okpos].str.replace(_PHONE_PUNCT, "", regex=True)
    fast = np.zeros(len(ok), dtype=bool)
    if opts.phone_region == "RU":
        fast[okpos] = compact.str.fullmatch(_RU_MOBILE).to_numpy()
    rest = np.flatnonzero(ok & ~fast)
    if not len(rest):
        return
    import phonenumbers

    cache: dict[str, bool] = {}
    invalid = 0
    for p in rest:
        v = stripped.iloc[p]
        if v not in cache:
            try:
                cache[v] = phonenumbers.is_valid_number(phonenumbers.parse(v, opts.phone_region))
            except phonenumbers.NumberParseException:
                cache[v] = False
        invalid += not cache[v]
    if invalid:
        notes["phone numbers that are not valid numbers (kept as given)"] += invalid


def _normalise_phones(stripped: pd.Series, status: np.ndarray, notes: Counter, opts: Options) -> pd.Series:
    import phonenumbers

    cache: dict[str, str] = {}

    def e164(v: str) -> str:
        if v not in cache:
            try:
                num = phonenumbers.parse(v, opts.phone_region)
                cache[v] = (phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
                            if phonenumbers.is_valid_number(num) else v)
            except phonenumbers.NumberParseException:
                cache[v] = v
        return cache[v]

    obj = stripped.astype(object)
    ok = status == OK
    out = obj.copy()
    out[ok] = [e164(v) for v in obj[ok]]
    changed = int((out[ok] != obj[ok]).sum())
    if changed:
        notes["phone numbers normalised to E.164 (+79123456789)"] += changed
    return out.astype(stripped.dtype)


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
    if not col.nullable:
        miss = np.flatnonzero(status == MISSING)
        for p in miss:
            bad[int(p)] = ("missing_value", f"{col.name} is empty")
        status[miss] = BAD
    out[status != OK] = np.datetime64("NaT")
    return Parsed(pd.Series(out, index=s.index, dtype="datetime64[ns]"), status, bad, notes, formats)


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
            hint = ""
            if re.fullmatch(r"(?:19|20)\d{6}", raw):
                hint = "; it looks like yyyymmdd: pass date_format='%Y%m%d'"
            elif re.fullmatch(r"\d{1,2}\s+\S+\s+\d{4}.*|\S+\s+\d{1,2},?\s+\d{4}.*", raw):
                hint = "; name its format with date_format= (e.g. date_format='%d %b %Y')"
            bad[p] = ("unknown_date_format", f"{t.iloc[p]!r} is not a date cxlab recognises ({_RECOGNISED})"
                      + (hint or "; if the whole column is written this way, name the format with date_format="))
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


PARSERS = {
    "score": parse_score,
    "category": parse_category,
    "bool": parse_bool,
    "float": parse_float,
    "datetime": parse_datetime,
}
