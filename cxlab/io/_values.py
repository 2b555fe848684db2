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

import numpy as np
import pandas as pd

from cxlab.io._cells import BAD, MISSING, NONRESPONSE, OK, Options, Parsed, _by_uniques, _cell_text, _collect, as_text, factorize, to_text
from cxlab.io._dates import EXCEL_EPOCH, POSSIBLE_YEARS, YEAR_PIVOT, parse_datetime
from cxlab.io._textcols import parse_text
from cxlab.io._numbers import parse_float
from cxlab.io._vocab import BOOL_MAP, normalise_label
from cxlab.schema import OWN_LABELS_KEPT, ColumnSpec

__all__ = ["Options", "Parsed", "PARSERS", "parse_score", "parse_category", "parse_bool", "parse_float",
           "parse_text", "parse_datetime", "as_text", "factorize", "OK", "MISSING", "NONRESPONSE", "BAD"]


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

def _label_map(col: ColumnSpec, opts: Options) -> dict[str, str]:
    """Normalised source label → canonical value: the canonical names, the dictionary and the user's map."""
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
    return mapping


def _closed_categories(s: pd.Series, col: ColumnSpec, vals, stat, probs, idx, raws) -> tuple[pd.Series, Counter]:
    """The categorical column (canonical labels first, then the user's own kept ones) and the unmapped labels."""
    counts = np.bincount(idx, minlength=len(vals))
    cats = list(col.categories)
    known = set(cats)
    unmapped: Counter = Counter()
    for u, p in enumerate(probs):
        if p is not None and p[0] == "unknown_label" and counts[u]:
            unmapped[str(raws[u]).strip()] += int(counts[u])
        elif stat[u] == OK and vals[u] not in known and counts[u]:
            unmapped[vals[u]] += int(counts[u])
    cats += sorted({v for v, st in zip(vals, stat) if st == OK and v not in known})
    pos = {c: i for i, c in enumerate(cats)}
    code_u = np.array([pos.get(v, -1) if st == OK else -1 for v, st in zip(vals, stat)], dtype=np.int64)
    values = pd.Series(pd.Categorical.from_codes(code_u[idx], dtype=pd.CategoricalDtype(cats, ordered=col.ordered)),
                       index=s.index)
    return values, unmapped


def parse_category(s: pd.Series, col: ColumnSpec, opts: Options) -> Parsed:
    answer = col.name.startswith("stated_")
    if col.categories:
        mapping = _label_map(col, opts)
        # a row is never dropped for its channel: a label cxlab does not know is a channel of its own
        open_labels = col.name in OWN_LABELS_KEPT

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
            if open_labels:  # a channel of the user's own (a marketplace, an ATM): kept, and named in a warning
                return t, OK, "unknown_label", None, "channel label kept as given"
            return None, BAD, "unknown_label", (f"{t!r} is not a known {col.name} label; add it to "
                                                f"value_maps={{{t!r}: ...}}"), None

        idx, vals, stat, probs, notes, raws = _by_uniques(to_text(s), one)
        status, bad, note_counts = _collect(idx, stat, probs, notes)
        values, unmapped = _closed_categories(s, col, vals, stat, probs, idx, raws)
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


PARSERS = {
    "score": parse_score,
    "category": parse_category,
    "bool": parse_bool,
    "float": parse_float,
    "datetime": parse_datetime,
}
