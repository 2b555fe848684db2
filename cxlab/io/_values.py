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
    lines: np.ndarray | None = None  # source line of each position, for error messages


@dataclass
class Parsed:
    values: pd.Series
    status: np.ndarray  # OK / MISSING / NONRESPONSE / BAD per position
    bad_reasons: dict[int, tuple[str, str]] = field(default_factory=dict)  # position -> (problem, reason)
    notes: Counter = field(default_factory=Counter)
    formats: Counter = field(default_factory=Counter)
    unmapped: Counter = field(default_factory=Counter)

    @property
    def nonresponse(self) -> int:
        return int((self.status == NONRESPONSE).sum())


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or isinstance(s.dtype, pd.StringDtype)


def as_text(s: pd.Series) -> pd.Series:
    """Any column as strings ('' for missing) with the fast pyarrow-backed string dtype."""
    from cxlab.io._text import STR_DTYPE

    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow" and not s.hasnans:
        return s
    if pd.api.types.is_datetime64_any_dtype(s):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        out = s.dt.strftime("%Y-%m-%d %H:%M:%S.%f").str.replace(r"\.?0+$", "", regex=True)
        return out.fillna("").astype(STR_DTYPE)
    if pd.api.types.is_float_dtype(s):
        vals = s.to_numpy(dtype="float64", na_value=np.nan)
        out = [("" if v != v else (str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))))
               for v in vals]
        return pd.Series(out, index=s.index, dtype=STR_DTYPE)
    obj = s.astype(object).where(s.notna(), "")
    return obj.map(_cell_text).astype(STR_DTYPE)


def _cell_text(v) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or isinstance(v, np.bool_):
        return "true" if v else "false"
    if isinstance(v, float | np.floating):
        if v != v:
            return ""
        return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))
    if isinstance(v, pd.Timestamp):
        return v.isoformat(sep=" ")
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") and not isinstance(v, type(pd.NaT)) else v.isoformat()
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

    idx, vals, stat, probs, notes, _ = _by_uniques(s if _is_text(s) else as_text(s), one)
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

        idx, vals, stat, probs, notes, raws = _by_uniques(s if _is_text(s) else as_text(s), one)
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
    t = (s if _is_text(s) else as_text(s))
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

    idx, vals, stat, probs, notes, _ = _by_uniques(s if _is_text(s) else as_text(s), one)
    status, bad, note_counts = _collect(idx, stat, probs, notes)
    b = np.array([bool(v) if v is not None else False for v in vals])[idx]
    values = pd.Series(pd.arrays.BooleanArray(b, status != OK), index=s.index)
    return Parsed(values, status, bad, note_counts)


# --------------------------------------------------------------------------- numbers

# Patterns used through the pandas .str accessor are plain strings: pyarrow evaluates them
# natively, whereas a compiled pattern sends pandas down a slow per-element Python path.
_CURRENCY = r"(?i)^\s*(?:₽|\$|€|RUB|RUR)\s*|\s*(?:₽|руб\.?|р\.|RUB|RUR|\$|€)\s*$"
_SPACES = "[\\s\u00a0\u202f\u2009']"
_EN_THOUSANDS = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_EU_THOUSANDS = r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?"


def parse_float(s: pd.Series, col: ColumnSpec, opts: Options) -> Parsed:
    n = len(s)
    notes: Counter = Counter()
    bad: dict[int, tuple[str, str]] = {}
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        x = np.array(s.to_numpy(dtype="float64", na_value=np.nan), dtype="float64", copy=True)
        status = np.where(np.isnan(x), MISSING, OK).astype(np.int8)
        raw = None
    else:
        t = (s if _is_text(s) else as_text(s))
        fast = _arrow_float(t)
        if fast is not None:
            x = fast
            status = np.full(n, OK, dtype=np.int8)
            t = raw = None
        else:
            t = t.str.strip()
    if not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)) and t is not None:
        empty = (t == "").to_numpy()
        x = np.array(pd.to_numeric(t.where(~empty, "nan"), errors="coerce").to_numpy(dtype="float64", na_value=np.nan),
                     dtype="float64", copy=True)
        status = np.where(empty, MISSING, OK).astype(np.int8)
        fail = np.flatnonzero(np.isnan(x) & ~empty)
        raw = t
        if len(fail):
            sub = t.iloc[fail]
            keys = sub.map(normalise_label)
            is_nr = keys.isin(opts.non_response).to_numpy()
            status[fail[is_nr]] = MISSING
            if is_nr.any():
                notes["non-response/missing codes ('N/A') read as missing"] += int(is_nr.sum())
            fail, sub = fail[~is_nr], sub[~is_nr]
            cur = sub.str.contains(_CURRENCY)
            if cur.any():
                notes["currency sign removed"] += int(cur.sum())
                sub = sub.str.replace(_CURRENCY, "", regex=True)
            sp = sub.str.contains(_SPACES)
            if sp.any():
                notes["thousands separators (spaces, non-breaking spaces) removed"] += int(sp.sum())
                sub = sub.str.replace(_SPACES, "", regex=True)
            decimal = opts.decimal
            if decimal is None:
                decimal = _guess_decimal(sub, notes)
            if decimal == ",":
                eu = sub.str.fullmatch(_EU_THOUSANDS) & sub.str.contains(",")
                sub = sub.where(~eu, sub.str.replace(".", "", regex=False))
                dc = sub.str.contains(",", regex=False)
                if dc.any():
                    notes["decimal commas read as decimal points"] += int(dc.sum())
                sub = sub.str.replace(",", ".", regex=False)
            else:
                tc = sub.str.contains(",", regex=False)
                if tc.any():
                    notes["comma thousands separators removed"] += int(tc.sum())
                sub = sub.str.replace(",", "", regex=False)
            sci_ok = sub.str.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
            y = pd.to_numeric(sub.where(sci_ok, "nan"), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            x[fail] = y
            for p, r, v in zip(fail, t.iloc[fail], y):
                if np.isnan(v):
                    bad[int(p)] = ("not_a_number", f"{r!r} is not a number")
    finite_bad = np.isinf(x)
    for p in np.flatnonzero(finite_bad):
        bad[int(p)] = ("not_a_number", f"{_raw(raw, p, x)!r} is not a finite number")
    if col.min_value is not None:
        below = np.flatnonzero(~np.isnan(x) & (x < col.min_value))
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


def _guess_decimal(sub: pd.Series, notes: Counter) -> str:
    """Decide, for one column, whether a comma is the decimal mark or a thousands separator."""
    if sub.str.contains(r"\d,\d{3}\.\d|\d{1,3}(?:,\d{3}){2,}", regex=True).any():
        return "."  # 1,234.50 or 1,234,567: English thousands
    commas = sub[sub.str.contains(",", regex=False)]
    if not len(commas):
        return ","
    if commas.str.fullmatch(_EN_THOUSANDS).all() and not commas.str.contains(r"^-?0,", regex=True).any():
        n = len(commas)
        notes[f"ambiguous values like {commas.iloc[0]!r} read with a decimal comma (pass decimal='.' if the "
              "comma separates thousands)"] += n
    return ","


def _raw(raw, p, x):
    return raw.iloc[p] if raw is not None else f"{x[p]:g}"


# --------------------------------------------------------------------------- ids and text

_SCI = r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+"


def parse_text(s: pd.Series, col: ColumnSpec, opts: Options, *, name: str = "") -> Parsed:
    from cxlab.io._text import STR_DTYPE

    notes: Counter = Counter()
    bad: dict[int, tuple[str, str]] = {}
    t = s if _is_text(s) else as_text(s)
    if t.dtype != STR_DTYPE:
        t = t.fillna("").astype(STR_DTYPE)
    stripped = t.str.strip()
    if col.kind == "id":
        changed = int((stripped != t).sum())
        if changed:
            notes["surrounding spaces trimmed"] += changed
    empty = (stripped == "").to_numpy()
    status = np.where(empty, MISSING, OK).astype(np.int8)
    is_phone = col.name == "phone"
    if col.kind == "id" or is_phone:
        sci = np.zeros(len(empty), dtype=bool)
        if stripped.str.contains("[eE]", regex=True).any():
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
    return Parsed(values, status, bad, notes)


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


def parse_datetime(s: pd.Series, col: ColumnSpec, opts: Options) -> Parsed:
    n = len(s)
    notes: Counter = Counter()
    formats: Counter = Counter()
    bad: dict[int, tuple[str, str]] = {}
    if pd.api.types.is_datetime64_any_dtype(s):
        v = s
        if getattr(v.dt, "tz", None) is not None:
            notes["time-zone information dropped (local clock time kept)"] += int(v.notna().sum())
            v = v.dt.tz_localize(None)
        out = np.array(v.astype("datetime64[ns]").to_numpy(), copy=True)
        status = np.where(np.isnat(out), MISSING, OK).astype(np.int8)
        formats["datetime values"] += int((status == OK).sum())
    else:
        t = (s if _is_text(s) else as_text(s)).str.strip()
        out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        empty = (t == "").to_numpy()
        status = np.where(empty, MISSING, BAD).astype(np.int8)
        todo = np.flatnonzero(~empty)
        if len(todo):
            sub = t.iloc[todo] if len(todo) < n else t
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
                vals = pd.to_datetime(values, format="ISO8601", errors="coerce")
                vals = vals.astype("datetime64[ns]").to_numpy()
                pos = todo[np.flatnonzero(mask)]
                good = ~np.isnat(vals)
                out[pos[good]] = vals[good]
                status[pos[good]] = OK
                for p in pos[~good]:
                    bad[int(p)] = ("invalid_date", f"{t.iloc[p]!r} is not a real calendar date")
                status[pos[~good]] = BAD
                if good.any():
                    formats[label] += int(good.sum())
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


def _general(sub, remaining, todo, t, out, status, bad, formats, notes, opts) -> None:
    """The less common formats, value by value: d.m.yy, d/m/yyyy, m/d/yyyy, dd-mm-yyyy, Excel serials."""
    pivot_warned = 0
    for j in np.flatnonzero(remaining):
        p = int(todo[j])
        raw = sub.iloc[j]
        if _SERIAL.fullmatch(raw):
            serial = float(raw.replace(",", "."))
            if 20000 <= serial <= 80000:
                out[p] = (EXCEL_EPOCH + pd.to_timedelta(round(serial * 86400), unit="s")).to_datetime64()
                status[p] = OK
                formats["Excel serial day number"] += 1
                continue
        m = _GENERAL.fullmatch(raw)
        if not m:
            bad[p] = ("unknown_date_format", f"{t.iloc[p]!r} is not a date cxlab recognises "
                                             "(ISO yyyy-mm-dd, dd.mm.yyyy, dd/mm/yyyy, Excel serial)")
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
        out[p] = ts.to_datetime64()
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
