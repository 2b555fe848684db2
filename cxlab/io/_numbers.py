"""Parsing amounts and other numbers: the decimal mark taken from each value's own separators
(``1 234,56``, ``1,234.56``), ambiguous values (``1,234``) following the column only when
the column is consistent, currency signs and words removed and counted.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from cxlab.io._cells import BAD, MISSING, OK, Options, Parsed, _all_ascii, _contains_any, _pa, _raw, to_text
from cxlab.io._vocab import normalise_label
from cxlab.schema import ColumnSpec


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
    """Numbers written as text: non-response codes, currency signs, the column's decimal mark, separators."""
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
    group, amb_bad, mixed = _decimal_marks(sub, shape, opts, notes)
    y, usable = _read_marked(sub, shape, group, notes)
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


def _decimal_marks(sub: pd.Series, shape: np.ndarray, opts: Options,
                   notes: Counter) -> tuple[np.ndarray, list[int], bool]:
    """Which mark is the decimal one in each value: "comma", "point" or "" (not a plain number).

    The column's convention comes from ``opts.decimal`` or from the values whose shape proves a
    mark; a value that could be read either way ('1,234') follows it, and is left unread (listed
    in the second result) when the column gives no evidence. The third result says whether the
    column mixes both conventions.
    """
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
    return group, amb_bad, mixed


def _read_marked(sub: pd.Series, shape: np.ndarray, group: np.ndarray, notes: Counter) -> tuple[np.ndarray, np.ndarray]:
    """The values read with their decimal mark (separators removed); returns (numbers, readable mask)."""
    sci = shape == "sci"
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
    return y, usable


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
