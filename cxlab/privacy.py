"""Keeping personal data out of what is handed over.

* :func:`redact` replaces e-mail addresses and phone numbers in free text (verbatims,
  agent messages) with placeholders. Phones are found with Google's ``phonenumbers``
  matcher (Russian +7 / 8 formats by default, international numbers with a ``+``), so
  ``+7 (912) 345-67-89``, ``8 912 345 67 89``, ``89123456789`` and ``+44 20 7946 0958``
  are all caught, while dates, times and prices are left alone.
* :func:`pseudonymise` maps ids to stable keyed pseudonyms (HMAC-SHA256): the same id and
  key always give the same pseudonym, and without the key the mapping cannot be rebuilt
  by hashing guessed ids.
* :func:`suppress_small_cells` blanks the values of table rows with too small a base.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["EMAIL_TOKEN", "PHONE_TOKEN", "redact_text", "redact", "contains_pii", "pseudonymise",
           "suppress_small_cells"]

EMAIL_TOKEN = "[email]"
PHONE_TOKEN = "[phone]"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])", re.UNICODE)
_DIGITS = re.compile(r"\d")
_DATE_LIKE = re.compile(r"(?<!\d)(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}[-./]\d{1,2}[-./]\d{1,2})(?!\d)")
# a fallback for long digit runs the matcher rejects (e.g. numbers with unusual grouping)
_LONG_NUMBER = re.compile(r"(?<![\w])\+?\d(?:[\s\-().]{0,2}\d){9,14}(?![\w])")


def _phone_spans(text: str, region: str) -> list[tuple[int, int]]:
    if len(_DIGITS.findall(text)) < 7:
        return []
    import phonenumbers

    spans = []
    for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        if _DATE_LIKE.search(m.raw_string) or len(_DIGITS.findall(m.raw_string)) < 10:
            continue  # dates, times and short numbers (prices, order counts) are not phones
        spans.append((m.start, m.end))
    for m in _LONG_NUMBER.finditer(text):
        if not any(s <= m.start() < e for s, e in spans) and not _DATE_LIKE.search(m.group()):
            digits = len(_DIGITS.findall(m.group()))
            if 10 <= digits <= 15:
                spans.append((m.start(), m.end()))
    return sorted(spans)


def redact_text(text: str, *, email: str = EMAIL_TOKEN, phone: str = PHONE_TOKEN, region: str = "RU") -> str:
    """Replace e-mail addresses and phone numbers in one string.

    Parameters
    ----------
    text
        Free text.
    email, phone
        Placeholders put in their place.
    region
        Default region for numbers written without a country code (``"RU"``: ``8 912 …``).

    Returns
    -------
    str
        The text with every e-mail and phone replaced.

    Examples
    --------
    >>> redact_text("Пишите на anna.petrova@mail.ru или звоните 8 (912) 345-67-89")
    'Пишите на [email] или звоните [phone]'
    """
    if not isinstance(text, str):
        raise CXLabError(f"expected text, got {type(text).__name__}", fix="pass a string (or use redact() on a column)")
    out = _EMAIL.sub(email, text)
    spans = _phone_spans(out, region)
    for start, end in reversed(spans):
        out = out[:start] + phone + out[end:]
    return out


def redact(values, *, email: str = EMAIL_TOKEN, phone: str = PHONE_TOKEN, region: str = "RU"):
    """Redact e-mails and phones in a string, a list or a Series of texts.

    Missing values stay missing; a Series keeps its index and name. Each distinct text is
    processed once.

    Returns
    -------
    str, list or pandas.Series
        Same shape as the input.
    """
    if isinstance(values, str):
        return redact_text(values, email=email, phone=phone, region=region)
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    present = series.dropna()
    mapping = {t: redact_text(str(t), email=email, phone=phone, region=region) for t in pd.unique(present)}
    out = series.map(lambda t: mapping.get(t, t) if not _isna(t) else t)
    if isinstance(values, pd.Series):
        if isinstance(values.dtype, pd.StringDtype):
            out = out.astype(values.dtype)
        return out.rename(values.name)
    return out.tolist()


def _isna(v) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def contains_pii(values, *, region: str = "RU") -> pd.Series:
    """Whether each text still contains an e-mail address or a phone number (a cheap check)."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    return series.map(lambda t: False if _isna(t) else bool(_EMAIL.search(str(t)) or _phone_spans(str(t), region))
                      ).astype(bool)


def pseudonymise(ids, *, key: str | bytes, prefix: str = "P", length: int = 12):
    """Keyed, stable pseudonyms for ids (HMAC-SHA256, hexadecimal, truncated).

    Parameters
    ----------
    ids
        A single id, a list or a Series of ids (converted to text, surrounding spaces
        removed; missing stays missing).
    key
        Secret key (text or bytes, at least 8 characters). Keep it out of what you hand
        over: whoever holds it can re-identify by hashing candidate ids.
    prefix
        Text put before the hexadecimal digest.
    length
        Number of hexadecimal characters kept (8–64). 12 characters give 48 bits:
        collisions are negligible below a few million ids.

    Returns
    -------
    str, list or pandas.Series
        Same shape as the input.
    """
    if isinstance(key, str):
        key_bytes = key.encode("utf-8")
    elif isinstance(key, (bytes, bytearray)):
        key_bytes = bytes(key)
    else:
        raise CXLabError("the pseudonymisation key must be text or bytes", fix="pass key='a long secret phrase'")
    if len(key_bytes) < 8:
        raise CXLabError("the pseudonymisation key is too short (fewer than 8 characters)",
                         fix="use a long random secret, e.g. secrets.token_hex(16), and store it safely")
    if not 8 <= int(length) <= 64:
        raise CXLabError(f"length must be between 8 and 64, got {length}", fix="e.g. length=12")

    def one(v):
        if _isna(v):
            return v
        digest = hmac.new(key_bytes, str(v).strip().encode("utf-8"), hashlib.sha256).hexdigest()
        return prefix + digest[: int(length)]

    if isinstance(ids, (str, int, np.integer)):
        return one(ids)
    series = ids if isinstance(ids, pd.Series) else pd.Series(list(ids), dtype="object")
    out = series.map(one)
    if isinstance(ids, pd.Series):
        return out.astype("string").rename(ids.name)
    return out.tolist()


def suppress_small_cells(table: pd.DataFrame, *, n: str = "n", min_base: int = 30,
                         columns: Sequence[str] | Iterable[str] | None = None) -> pd.DataFrame:
    """Blank the values of rows whose base is below ``min_base`` (a copy; input unchanged).

    Parameters
    ----------
    table
        A result table with a base column.
    n
        Name of the base column (kept visible).
    min_base
        Rows with fewer than this are suppressed.
    columns
        Columns to blank; default all numeric columns except ``n``.

    Returns
    -------
    pandas.DataFrame
        A copy with the chosen values set to missing and a boolean ``suppressed`` column.
    """
    if n not in table.columns:
        raise CXLabError(f"the table has no base column {n!r}", column=n, fix="pass n='<your count column>'")
    out = table.copy()
    small = ~(pd.to_numeric(out[n], errors="coerce") >= min_base)
    if columns is None:
        columns = [c for c in out.columns if c != n and pd.api.types.is_numeric_dtype(out[c])
                   and not pd.api.types.is_bool_dtype(out[c])]
    for c in columns:
        out[c] = out[c].where(~small)
    out["suppressed"] = small.to_numpy()
    return out
