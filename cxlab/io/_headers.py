"""Matching a file's headers to the canonical columns (aliases in Russian and English, the
user's own ``columns=`` mapping, question wording, column letters and positions).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.io import _vocab
from cxlab.io._text import RawTable
from cxlab.schema import SURVEY_SCORES, TableSpec


# --------------------------------------------------------------------------- mapping

def _column_letter(j: int) -> str:
    """0-based position -> spreadsheet column letter (0 -> A, 26 -> AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _position_key(key) -> int | None:
    """``"#4"`` or ``4`` (1-based, as a spreadsheet counts columns) -> 0-based position."""
    if isinstance(key, int | np.integer) and not isinstance(key, bool):
        return int(key) - 1
    if isinstance(key, str) and re.fullmatch(r"\s*#\d+\s*", key):
        return int(key.strip()[1:]) - 1
    return None


def clean_header(h: str) -> str:
    """An extra column's header as users will type it: invisible characters removed, spaces collapsed."""
    h = re.sub("[\u200b-\u200d\u2060\ufeff]", "", str(h)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", h).strip().strip("\"")


_SCALE_HINT = re.compile(r"\(?\s*(?:от\s+|from\s+)?\d+\s*(?:-|–|—|до|to|\s)\s*\d+\s*(?:баллов|points)?\s*\)?")
_PUNCT = re.compile(r"[.,:;!?()\[\]{}\"'«»*#№]+")
#: a currency or unit named in the header: "Total (EUR)", "Сумма, руб.", "Amount ($)"
_UNIT_HINT = re.compile(r"\(\s*(?:eur|usd|rub|gbp|chf|jpy|cny|kzt|uah|byn|руб\.?|р\.?|₽|\$|€|£|¥|%)\s*\)"
                        r"|,\s*(?:руб\.?|р\.?|₽|eur|usd|rub)\s*$")


_CAMEL = re.compile(r"(?<=[a-zа-я0-9])(?=[A-ZА-Я])|(?<=[A-ZА-Я])(?=[A-ZА-Я][a-zа-я])")


def _loose_header(key: str) -> str:
    """A folded header without punctuation and scale hints: 'эл. почта' → 'эл почта', 'оценка (0-10)' → 'оценка'.

    >>> _loose_header("оценка (0-10)"), _loose_header("эл. почта"), _loose_header("оценка от 0 до 10")
    ('оценка', 'эл почта', 'оценка')
    >>> _loose_header("total (eur)"), _loose_header("сумма, руб.")
    ('total', 'сумма')
    """
    text = _PUNCT.sub(" ", _SCALE_HINT.sub(" ", _UNIT_HINT.sub(" ", key)))
    return " ".join(text.split())


_QUESTION_HINTS = {"likelihood_to_recommend": ("recommend", "порекоменд", "рекомендовать", "рекомендуете")}


def _map_header(raw: RawTable, spec: TableSpec, user: dict, name: str):
    """Map each header to a canonical column (user's mapping, aliases, loose and CamelCase forms) or an extra.

    Returns ``(mapping, extras, ignored)``: column position -> canonical name, position -> extra column
    name, and the number of columns left out (empty, or mapped to None).
    """
    canonical, aliases, loose = _header_lookups(spec)
    by_pos, user_n = _user_columns(raw, spec, user, name)
    mapping: dict[int, str] = {}
    extras: dict[int, str] = {}
    ignored = 0
    seen: dict[str, int] = {}
    for j, h in enumerate(raw.header):
        key = _vocab.normalise_label(h)
        if j in by_pos:
            target = by_pos[j]
            if target is None:
                ignored += 1
                continue
        elif key in user_n:
            target = user_n[key]
            if target is None:
                ignored += 1
                continue
        else:
            target = canonical.get(key) or aliases.get(key) or loose.get(_loose_header(key))
            if target is None:  # CamelCase headers of survey platforms and BI exports: CustomerID, OrderDate
                camel = _loose_header(_vocab.normalise_label(_CAMEL.sub(" ", str(h))))
                target = loose.get(camel)
        if not key and target is None:
            if _all_blank(raw.columns[j]):
                ignored += 1
                continue
            extras[j] = f"unnamed_{j + 1}"
            continue
        if target is None:
            extras[j] = clean_header(h) or f"unnamed_{j + 1}"
            continue
        if target in seen:
            raise _two_columns(raw, seen[target], j, target, name)
        seen[target] = j
        mapping[j] = target
    user_made = {j for j in mapping if j in by_pos or _vocab.normalise_label(raw.header[j]) in user_n}
    _question_headers(raw, spec, mapping, extras, seen, user_made)
    _require_columns(raw, spec, mapping, name)
    return mapping, extras, ignored


def _header_lookups(spec: TableSpec) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Normalised header -> canonical column: the canonical names, the aliases, and both in loose form."""
    canonical = {_vocab.normalise_label(c.name): c.name for c in spec.columns}
    aliases = {}
    for col, names in _vocab.COLUMN_ALIASES.get(spec.name, {}).items():
        for a in names:
            aliases.setdefault(_vocab.normalise_label(a), col)
    loose = {}
    for k, col in (*aliases.items(), *canonical.items()):
        loose.setdefault(_loose_header(k), col)
    return canonical, aliases, loose


def _user_columns(raw: RawTable, spec: TableSpec, user: dict,
                  name: str) -> tuple[dict[int, str | None], dict[str, str | None]]:
    """The user's ``columns=`` mapping checked, split into by position ('#3', 'C') and by header name."""
    bad_targets = [v for v in user.values() if v not in spec.names and v not in (None, "")]
    if bad_targets:
        raise CXLabError(f"columns= maps onto {bad_targets}, which are not columns of the {spec.name} table",
                         file=name, fix=f"map onto {', '.join(spec.names)} (or None to leave a column out)")
    by_pos: dict[int, str | None] = {}
    user_n: dict[str, str | None] = {}
    for k, v in user.items():
        pos = _position_key(k)
        if pos is not None:
            if not 0 <= pos < len(raw.header):
                raise CXLabError(f"columns= names column #{pos + 1}, but the file has {len(raw.header)} columns",
                                 file=name, fix="count columns from 1 (A = #1) as in a spreadsheet")
            by_pos[pos] = v or None
        else:
            user_n[_vocab.normalise_label(k)] = v or None
    return by_pos, user_n


def _two_columns(raw: RawTable, i: int, j: int, target: str, name: str) -> CXLabError:
    """The error for two headers mapping to one column, saying how to tell them apart."""
    h = raw.header[j]
    other = raw.header[i]
    same = _vocab.normalise_label(other) == _vocab.normalise_label(h)
    where = (f"columns #{i + 1} ({_column_letter(i)}) and #{j + 1} ({_column_letter(j)})")
    fix = (f"say which is which by position: columns={{'#{i + 1}': {target!r}, '#{j + 1}': "
           f"'<another column>'}} (map a column to None to leave it out)")
    if not same:
        fix += f", or by name: columns={{{h!r}: '<another column>'}}"
    return CXLabError(f"two columns, {other!r} and {h!r} ({where}), both map to {target!r}", file=name,
                      column=target, rows=[raw.header_line], fix=fix)


def _question_headers(raw: RawTable, spec: TableSpec, mapping: dict[int, str], extras: dict[int, str],
                      seen: dict[str, int], user_made: set[int] = frozenset()) -> None:
    """A question written out in full maps to its column when exactly one unmatched header asks it (in place).

    ("How likely are you to recommend us to a friend?" is the NPS question; the report says so.) It also wins
    over a generic alias ('Оценка', 'score') that took the column first, unless the user named that one.
    """
    for target, words in _QUESTION_HINTS.items():
        if target not in spec.names:
            continue
        hits = [j for j in extras if any(w in _vocab.normalise_label(raw.header[j]) for w in words)]
        if len(hits) != 1:
            continue
        j = hits[0]
        if target in seen:
            taken = seen[target]
            if taken in user_made or any(w in _vocab.normalise_label(raw.header[taken]) for w in words):
                continue
            del mapping[taken]
            extras[taken] = clean_header(raw.header[taken]) or f"unnamed_{taken + 1}"
            raw.warnings.append(f"header {raw.header[j]!r} asks about recommending, so it is read as {target} "
                                f"instead of {raw.header[taken]!r} (kept as a column of its own); if "
                                f"{raw.header[taken]!r} is the NPS question, pass "
                                f"columns={{{raw.header[taken]!r}: {target!r}}}")
        mapping[j], seen[target] = target, j
        del extras[j]
        raw.notes.append((target, f"header {raw.header[j]!r} asks about recommending: read as {target}", 1))


def _require_columns(raw: RawTable, spec: TableSpec, mapping: dict[int, str], name: str) -> None:
    """Drop optional columns empty in every row (treated as absent), then refuse a table without its required ones."""
    has_score = bool(set(SURVEY_SCORES) & set(mapping.values()))  # a score header, even if every answer is empty
    empty_optional = [j for j, t in mapping.items() if not spec[t].required and _all_blank(raw.columns[j])]
    for j in empty_optional:
        raw.notes.append((mapping[j], "optional column empty in every row: treated as absent", 1))
        del mapping[j]
    missing = [c for c in spec.required if c not in set(mapping.values())]
    if spec.name == "survey_responses" and not has_score:
        missing.append(" or ".join(SURVEY_SCORES))
    if missing:
        found = ", ".join(repr(h) for h in raw.header)
        what = (f"the {spec.name} table needs column(s) {', '.join(missing)}, which none of the headers matches "
                f"(headers found: {found})")
        first = missing[0].split(" or ")[0]
        fix = f"rename the header(s), or pass columns={{'your header': {first!r}}}"
        if raw.sheets:
            what, fix = _sheet_hint(raw, spec, what, fix)
        raise CXLabError(what, file=name, column=missing[0], rows=[raw.header_line], fix=fix)


def _sheet_hint(raw: RawTable, spec: TableSpec, what: str, fix: str) -> tuple[str, str]:
    """For a workbook: list every sheet, and point to the one whose header matches."""
    listing = []
    better = None
    for sheet, (rows, header) in raw.sheets.items():
        keys = {_vocab.normalise_label(h) for h in header}
        fits = sum(1 for c in spec.required if keys & _names_of(spec, c))
        ok = fits == len(spec.required)
        listing.append(f"{sheet!r} ({rows:,} rows{', headers match' if ok else ''})")
        if ok and better is None and sheet != raw.sheet:
            better = sheet
    what += f"; the workbook's sheets are {', '.join(listing)} (read: {raw.sheet!r})"
    if better is not None:
        fix = f"pass sheet_name={better!r}, or " + fix
    else:
        fix = "pass sheet_name= to choose another sheet, or " + fix
    return what, fix


def _names_of(spec: TableSpec, column: str) -> set[str]:
    names = {_vocab.normalise_label(column)}
    names.update(_vocab.normalise_label(a) for a in _vocab.COLUMN_ALIASES.get(spec.name, {}).get(column, []))
    return names


def _all_blank(s: pd.Series) -> bool:
    if len(s) > 1000 and not _blank_mask(s.iloc[:1000]).all():
        return False  # the common case, decided on the first rows
    return bool(np.all(_blank_mask(s)))


def _blank_mask(s: pd.Series) -> np.ndarray:
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow" and not s.hasnans:
        return (s.str.strip() == "").to_numpy()
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        return (s.isna() | (s.astype(object).map(lambda v: isinstance(v, str) and not v.strip()))).to_numpy(bool)
    return s.isna().to_numpy()
