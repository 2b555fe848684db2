"""Keyed pseudonyms for ids: one format everywhere, ids normalised before hashing.

A pseudonym is ``P`` followed by the first 12 hexadecimal characters of
HMAC-SHA256(key, normalised id): 13 characters in every table, figure and export. 48 bits make
accidental collisions negligible below a few million ids; without the key, a pseudonym cannot be
matched to an id (trying every possible id needs the key).

How an id is normalised before hashing (:func:`normalise_id`):

* Unicode NFKC (full-width digits and letters become ordinary ones, a no-break space a space);
* invisible characters removed (zero-width spaces and joiners, byte-order marks, soft hyphens,
  direction marks: Unicode category *Cf*);
* surrounding white space removed, inner runs of white space reduced to one space;
* **purely numeric ids lose their leading zeros**: ``"000123"``, ``"123"``, ``123`` and
  ``123.0`` (an id a spreadsheet turned into a number) are the same customer. Exports and
  spreadsheets drop or keep leading zeros unpredictably, so two files of the same company
  routinely disagree on them; ids whose zeros are meaningful should carry a letter
  (``"C000123"``), which keeps them as they are;
* letter case is kept (``"ab12"`` and ``"AB12"`` are different ids).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.privacy.keys import check_key

__all__ = ["PSEUDONYM_PREFIX", "PSEUDONYM_LENGTH", "PSEUDONYM_PATTERN", "normalise_id", "pseudonymise",
           "is_pseudonym"]

PSEUDONYM_PREFIX = "P"
#: Number of hexadecimal characters after the prefix.
PSEUDONYM_LENGTH = 12
#: A regular expression matching one pseudonym exactly.
PSEUDONYM_PATTERN = re.compile(rf"^{PSEUDONYM_PREFIX}[0-9a-f]{{{PSEUDONYM_LENGTH}}}$")

_SPACE = re.compile(r"\s+")
_NUMERIC = re.compile(r"^[0-9]+(?:\.0*)?$")


def _isna(v) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def normalise_id(value) -> str | None:
    """The text of an id as it is hashed (see the module notes); ``None`` for a missing id.

    Examples
    --------
    >>> [normalise_id(v) for v in ["000123", 123, 123.0, " 123\\u200b", "１２３", "C000123", "a  b"]]
    ['123', '123', '123', '123', '123', 'C000123', 'a b']
    """
    if _isna(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        raise CXLabError(f"an id cannot be a true/false value ({value!r})", fix="check which column holds the ids")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if float(value).is_integer():
            return str(int(value))
        raise CXLabError(f"an id with decimals ({value!r}) cannot be matched reliably",
                         fix="read ids as text (e.g. dtype=str) so they keep their exact form")
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _SPACE.sub(" ", text).strip()
    if _NUMERIC.match(text):
        text = text.split(".", 1)[0].lstrip("0") or "0"
    return text


def is_pseudonym(value) -> bool:
    """Whether a value has the pseudonym format (``P`` + 12 hexadecimal characters).

    Examples
    --------
    >>> is_pseudonym("P3f9a0c1d2e4b"), is_pseudonym("C000123")
    (True, False)
    """
    return isinstance(value, str) and bool(PSEUDONYM_PATTERN.match(value))


def pseudonymise(ids, *, key: str | bytes):
    """Keyed, stable pseudonyms for ids: ``P`` + 12 hexadecimal characters of HMAC-SHA256.

    Parameters
    ----------
    ids
        A single id, a list, an array, an Index or a Series of ids (text or numbers; see
        :func:`normalise_id` for what counts as the same id). Missing stays missing.
    key
        The secret key, normally from :func:`cxlab.privacy.resolve_key`. Weak keys (shorter
        than 16 characters, common passwords) are refused. Whoever holds the key can
        re-identify by hashing candidate ids: never hand it over with the data.

    Returns
    -------
    str, list or pandas.Series
        Same shape as the input (a Series keeps its index and name and has the ``string``
        dtype; an Index or array gives a list).

    Examples
    --------
    >>> key = "an example key, not a secret one"
    >>> pseudonymise(["000123", "123", "C-9"], key=key)
    ['P73163a32e158', 'P73163a32e158', 'P1223fea9f22c']
    """
    key_bytes = check_key(key, allow_demo=True)
    if ids is None or ids is pd.NA or isinstance(ids, (str, int, float, np.integer, np.floating)):
        return _pseudonyms([ids], key_bytes)[0]
    if isinstance(ids, pd.Series):
        codes, uniques = pd.factorize(ids.astype(object).to_numpy(), use_na_sentinel=True)
        table = np.array(_pseudonyms(list(uniques), key_bytes) + [None], dtype=object)
        return pd.Series(table[codes], index=ids.index, name=ids.name, dtype="string")
    return _pseudonyms(list(ids), key_bytes)


def _hmac_sha256(key: bytes):
    """HMAC-SHA256 (RFC 2104) with the key's inner and outer states computed once: a function of the
    message. Equal to ``hmac.new(key, msg, hashlib.sha256).digest()`` (tested), about twice as fast
    over many short ids because the key is not set up again for every id."""
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def digest(msg: bytes) -> bytes:
        i = inner.copy()
        i.update(msg)
        o = outer.copy()
        o.update(i.digest())
        return o.digest()

    return digest


def _pseudonyms(values: list, key_bytes: bytes) -> list:
    """Pseudonyms of a list of ids (``None`` for missing); each distinct normalised id is hashed once."""
    mac = _hmac_sha256(key_bytes)
    cache: dict[str, str] = {}
    out = []
    for v in values:
        norm = _normalise_fast(v)
        if norm is None:
            out.append(None)
            continue
        p = cache.get(norm)
        if p is None:
            p = cache[norm] = PSEUDONYM_PREFIX + mac(norm.encode("utf-8")).hex()[:PSEUDONYM_LENGTH]
        out.append(p)
    return out


def _normalise_fast(value) -> str | None:
    """:func:`normalise_id`, with a shortcut for plain ASCII text (no Unicode step can change it)."""
    if type(value) is str and value.isascii():
        text = value.strip()
        if not text:
            return text
        if not text.isalnum():
            text = _SPACE.sub(" ", text)
            if "." in text and _NUMERIC.match(text):
                text = text.split(".", 1)[0]
            else:
                return text
        if text.isdigit():
            text = text.lstrip("0") or "0"
        return text
    return normalise_id(value)
