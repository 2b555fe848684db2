"""Parsing text columns: ids (damage such as lost leading zeros or scientific notation flagged),
phones checked and normalised, invisible characters removed and counted.
"""

from __future__ import annotations

import re

from collections import Counter

import numpy as np
import pandas as pd

from cxlab.errors import format_rows
from cxlab.io._cells import BAD, MISSING, OK, Options, Parsed, _all_ascii, _contains_any, _starts_with_zero, to_text
from cxlab.schema import ColumnSpec


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
        t, stripped = _clean_ids(t, stripped, notes)
        warns.extend(_id_damage(stripped, col, opts))
    empty = (stripped == "").to_numpy()
    status = np.where(empty, MISSING, OK).astype(np.int8)
    if col.name == "customer_id":
        _placeholder_customers(stripped, empty, status, col, notes, bad)
    is_phone = col.name == "phone"
    if col.kind == "id" or is_phone:
        _scientific_notation(stripped, empty, status, col, opts, name, notes, warns, bad)
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


#: customer ids that stand for "no customer": all zeros or dashes ('00000000', '0', '—'), one digit repeated
#: ('99999999'), or a word (no card, guest, anonymous, unknown, n/a)
_PLACEHOLDER_ID = re.compile(r"[0\-–—\s]+|(\d)\1{5,}|(?i:n/?a|none|null|unknown|anonymous|guest|no card|"
                             r"нет|нет карты|без карты|аноним|анонимный|гость|не указан[оа]?|неизвестн\w*)")


def _placeholder_customers(stripped: pd.Series, empty: np.ndarray, status: np.ndarray, col: ColumnSpec,
                           notes: Counter, bad: dict) -> None:
    """Till exports write '00000000' for a purchase without a loyalty card: that is no customer, and one
    such id would otherwise become the biggest customer of all (segments, top customers, Gini, CLV)."""
    mask = stripped.str.fullmatch(_PLACEHOLDER_ID).fillna(False).to_numpy(dtype=bool) & ~empty
    if not mask.any():
        return
    if col.nullable:
        notes["placeholder customer ids ('00000000', 'нет карты'...) read as no customer"] += int(mask.sum())
        status[mask] = MISSING
        return
    for p in np.flatnonzero(mask):
        bad[int(p)] = ("placeholder_id", f"customer_id {stripped.iloc[p]!r} stands for no customer (a purchase "
                                         "without a loyalty card?): it cannot be counted as one customer")
    status[mask] = BAD


def _clean_ids(t: pd.Series, stripped: pd.Series, notes: Counter) -> tuple[pd.Series, pd.Series]:
    """Ids without invisible characters and surrounding spaces; returns (text, cleaned text)."""
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
    return t, stripped


def _scientific_notation(stripped: pd.Series, empty: np.ndarray, status: np.ndarray, col: ColumnSpec, opts: Options,
                         name: str, notes: Counter, warns: list[str], bad: dict[int, tuple[str, str]]) -> None:
    """Ids and phones in Excel scientific notation ('7,91235E+10') have lost digits: rejected, or (a phone in
    an optional column) left empty; mostly such phones stop the load with an error."""
    sci = np.zeros(len(empty), dtype=bool)
    if _contains_any(stripped, "eE").any():
        sci = stripped.str.fullmatch(_SCI).to_numpy() & ~empty
    if not sci.any():
        return
    is_phone = col.name == "phone"
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


_INVISIBLE = "[\u200b-\u200d\u2060\ufeff\u00ad\u00a0\u202f\u2007]"


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
