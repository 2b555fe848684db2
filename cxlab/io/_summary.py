"""Finding summary rows ("Итого", "Total", "Среднее") that exports append to a table, so they
are quarantined as summary rows instead of being read as customers or answers.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from cxlab.io._headers import _blank_mask
from cxlab.io._values import Parsed, to_text


# a totals / average line of an export (first word of the value); RE2 syntax, matched case-insensitively
_SUMMARY_WORDS = (r"(?:итого|итог|всего|общий итог|общая сумма|в среднем|среднее|grand total|subtotal|sub-total|"
                  r"sub total|totals?|average|avg|mean)")
_SUMMARY_PREFIX = r"^[\s*=:(]*" + _SUMMARY_WORDS + r"(?:$|[^0-9A-Za-zА-Яа-яЁё_][^\n]{0,60}$)"
_SUMMARY_EXACT = r"^[\s*=:(]*(?:" + _SUMMARY_WORDS[3:-1] + r"|сумма|sum)[\s:.*)]*$"


@functools.lru_cache(maxsize=1)
def _summary_first():
    """First characters a summary label can start with (its words' initials and leading decoration)."""
    import pyarrow as pa

    return pa.array(sorted(set("ИиВвОоСсGgSsTtAaMm \t*=:(")))


def _matches(t: pd.Series, pattern: str) -> np.ndarray:
    """Case-insensitive regex search over a pyarrow string column, evaluated by pyarrow (RE2)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = getattr(t.array, "_pa_array", None)
    if arr is None:
        arr = pa.array(t.astype(object).where(t.notna(), "").tolist(), type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    # only values whose first character can start a summary word go to the regex (ids rarely do)
    first = pc.utf8_slice_codeunits(arr, 0, 1)
    cand = np.asarray(pc.fill_null(pc.is_in(first, value_set=_summary_first()), False).to_numpy(zero_copy_only=False),
                      dtype=bool)
    out = np.zeros(len(arr), dtype=bool)
    if cand.any():
        pos = np.flatnonzero(cand)
        hit = pc.match_substring_regex(arr.take(pa.array(pos)), pattern=pattern, ignore_case=True)
        out[pos] = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    return out


def _summary_prescan(cols, mapping, extras, spec) -> dict[int, tuple[str | None, str]]:
    """Rows whose id, open-category or extra column holds 'Итого', 'Total', 'Среднее'..."""
    found: dict[int, tuple[str | None, str]] = {}
    strong = [(j, t, _SUMMARY_PREFIX) for j, t in mapping.items() if spec[t].kind == "id"]
    # a label column reading 'Итого' marks a summary only on a row without an id or without a date
    weak = [(j, t, _SUMMARY_EXACT) for j, t in mapping.items()
            if spec[t].kind == "category" and not spec[t].categories]
    weak += [(j, e, _SUMMARY_EXACT) for j, e in extras.items()]
    weak += [(j, t, _SUMMARY_EXACT) for j, t in mapping.items() if t == "name"]
    for j, label, pattern in strong:
        t = to_text(cols[j])
        hit = _matches(t, pattern)
        for p in np.flatnonzero(hit):
            found.setdefault(int(p), (label, t.iloc[p].strip()))
    if weak:
        keyish = [j for j, t in mapping.items() if spec[t].kind in ("id", "datetime")]
        lacking = np.zeros(len(cols[0]), dtype=bool) if keyish else np.ones(len(cols[0]), dtype=bool)
        for j in keyish:
            lacking |= _blank_mask(cols[j])
        if lacking.any():
            rows = np.flatnonzero(lacking)
            for j, label, pattern in weak:
                t = to_text(cols[j])
                sub = t.iloc[rows].reset_index(drop=True) if len(rows) < len(t) else t
                for k in np.flatnonzero(_matches(sub, pattern)):
                    p = int(rows[k])
                    found.setdefault(p, (label, t.iloc[p].strip()))
    return found


def _summary_postscan(s: pd.Series, res: Parsed, target: str, found: dict) -> None:
    """Among the values a typed column rejected, those reading 'Итого', 'Total'..."""
    pos = np.fromiter(res.bad_reasons.keys(), dtype=np.int64)
    vals = to_text(s.iloc[pos].reset_index(drop=True))
    hit = _matches(vals, _SUMMARY_PREFIX)
    for p, v in zip(pos[hit], vals[hit]):
        found.setdefault(int(p), (target, v.strip()))


def _summary_blank_key(cols, mapping, spec, found: dict) -> None:
    """Rows with no id and no date but a number: the grand-total line under a table."""
    ids = [j for j, t in mapping.items() if spec[t].kind == "id"]
    dates = [j for j, t in mapping.items() if spec[t].kind == "datetime"]
    numbers = [j for j, t in mapping.items() if spec[t].kind in ("float", "score")]
    if not ids or not numbers:
        return
    blank = np.array(_blank_mask(cols[ids[0]]), dtype=bool, copy=True)
    if not blank.any():
        return
    for j in ids[1:] + dates:
        blank &= _blank_mask(cols[j])
    if not blank.any():
        return
    others = [j for j, t in mapping.items() if spec[t].kind in ("category", "bool", "text")]
    for j in others:
        blank &= _blank_mask(cols[j])
    has_number = np.zeros(len(blank), dtype=bool)
    for j in numbers:
        has_number |= ~_blank_mask(cols[j])
    for p in np.flatnonzero(blank & has_number):
        found.setdefault(int(p), (None, ""))
