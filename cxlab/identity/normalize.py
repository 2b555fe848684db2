"""Normalising the contact details a customer leaves in different channels.

Identity resolution compares *keys*, not the raw text people type. The functions here
turn e-mails, phone numbers, names and social handles into comparable keys, and they
never "repair" a value by guessing: what cannot be normalised safely becomes missing
(so it is never matched) while the raw value stays untouched in the source table, and
the ``inspect_*`` functions say why.

* :func:`normalize_email` — trim, Unicode NFKC, zero-width characters removed, lower case.
  Addresses mixing Latin with Cyrillic look-alike letters (``ivаn@mail.ru`` with a
  Cyrillic ``а``) are kept as they are and flagged by :func:`inspect_emails`.
* :func:`normalize_phone` — E.164 with Google's ``phonenumbers``
  (``+7 (912) 345-67-89``, ``89123456789`` and ``8 912 345 67 89`` are all
  ``+79123456789``); an invalid number becomes missing and is flagged by
  :func:`inspect_phones`.
* :func:`normalize_name` — case, whitespace, ``ё`` → ``е``, patronymics set aside, word
  order ignored, Cyrillic transliterated to Latin with ``iuliia`` (a maintained
  implementation of the published transliteration standards).
* :func:`normalize_handle` — social-media handles and profile URLs to ``platform:handle``.

Each ``normalize_*`` function accepts one string (returns a string or ``None``) or a
pandas Series (returns a Series of the same index and name, missing where nothing
usable was given).

The name functions live in :mod:`cxlab.identity.names` and the shared value handling in
``cxlab.identity._values``; every name above is importable from here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import overload

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.identity._values import (ZERO_WIDTH, _CYRILLIC_RE, _LATIN_RE, _WS_RE, _ZW_RE, _ZW_TABLE, _as_series, _expand,
                                    _factorize_text, _finish, _is_series, _map_unique, _map_unique_vec)
from cxlab.identity.names import name_parts, normalize_name

__all__ = [
    "normalize_email",
    "normalize_phone",
    "normalize_name",
    "normalize_handle",
    "name_parts",
    "inspect_emails",
    "inspect_phones",
    "ZERO_WIDTH",
]
# a deliberately permissive shape check: one @, something before it, a dotted domain after it,
# no whitespace. RFC 5322 allows more, but a CRM export never needs the exotic forms.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


# --------------------------------------------------------------------------- e-mail
def _clean_email_text(v: str) -> str:
    return unicodedata.normalize("NFKC", v).translate(_ZW_TABLE).strip().lower()


def _email_keys_arrow(uniques: np.ndarray) -> np.ndarray:
    """E-mail keys of distinct values (Arrow compute, RE2 regexes): see :func:`normalize_email`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = pc.utf8_normalize(pa.array(uniques, type=pa.string()), "NFKC")
    t = pc.replace_substring_regex(t, f"[{ZERO_WIDTH}]", "")
    t = pc.utf8_lower(pc.utf8_trim_whitespace(t))
    t = pc.replace_substring_regex(t, "^mailto:", "")
    t = pc.utf8_trim(t, "<> \t")
    ok = pc.and_(pc.match_substring_regex(t, r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"),
                 pc.invert(pc.match_substring_regex(t, r"\.\.|^\.|\.@|@\.")))  # no empty dot-separated part
    return pc.if_else(ok, t, pa.scalar(None, pa.string())).to_numpy(zero_copy_only=False)


@overload
def normalize_email(emails: pd.Series) -> pd.Series: ...
@overload
def normalize_email(emails: str | None) -> str | None: ...
def normalize_email(emails):
    """Normalise e-mail addresses into comparable keys.

    Steps: Unicode NFKC (full-width letters and non-breaking spaces become plain ones),
    zero-width characters removed (see :data:`ZERO_WIDTH`), surrounding whitespace,
    ``mailto:`` and angle brackets removed, lower case. A value that is not shaped like an
    address afterwards (no ``@``, no dotted domain, spaces inside, two dots in a row or a
    dot next to the ``@`` or at the start) becomes missing, so it is never matched. Nothing else is changed: provider rules such as Gmail's ignored dots
    are not applied, and Cyrillic look-alike letters inside a Latin address are kept as
    they are (:func:`inspect_emails` flags them) — two look-alike spellings therefore do
    not match each other silently.

    Parameters
    ----------
    emails
        One address or a Series of addresses (any dtype; missing values stay missing).

    Returns
    -------
    str, None or pandas.Series
        The normalised address(es); a Series keeps the input's index and name and has the
        ``string`` dtype.

    Examples
    --------
    >>> normalize_email("  Ivan.Petrov@Mail.RU ")
    'ivan.petrov@mail.ru'
    >>> s = pd.Series(["ANNA@YANDEX.RU", "anna@yandex.ru\\u200b", "no e-mail", None])
    >>> print(normalize_email(s).tolist())
    ['anna@yandex.ru', 'anna@yandex.ru', <NA>, <NA>]
    """
    s = _as_series(emails, "normalize_email")
    return _finish(_map_unique_vec(s, _email_keys_arrow), emails)


def inspect_emails(emails: pd.Series) -> pd.DataFrame:
    """Normalise e-mail addresses and say what was found in each.

    Parameters
    ----------
    emails
        Series of raw addresses.

    Returns
    -------
    pandas.DataFrame
        One row per input row (same index), columns:

        ``raw``
            the value as given;
        ``email``
            :func:`normalize_email` of it (missing when unusable);
        ``present``
            a non-blank value was given;
        ``valid``
            the normalised value is shaped like an address;
        ``changed``
            normalisation changed the text (case, spaces, invisible characters);
        ``zero_width``
            the raw value contained invisible characters;
        ``lookalike``
            Latin address containing Cyrillic letters (``а``, ``е``, ``о``, ``р``, ``с``…) —
            a typing slip or a spoofing attempt; kept as given, never "fixed" and so never
            matched to the all-Latin spelling;
        ``reason``
            why the value is unusable or suspicious, else empty.

    Examples
    --------
    >>> raw = pd.Series(["Oleg@mail.ru", "olеg@mail.ru", "oleg at mail"])  # 2nd has a Cyrillic е
    >>> rep = inspect_emails(raw)
    >>> print(rep[["email", "valid", "lookalike"]].to_string())
              email  valid  lookalike
    0  oleg@mail.ru   True      False
    1  olеg@mail.ru   True       True
    2          <NA>  False      False
    >>> rep["reason"].tolist()
    ['', 'Latin address with Cyrillic look-alike letters', 'not shaped like an e-mail']
    """
    if not _is_series(emails):
        raise CXLabError("inspect_emails expects a pandas Series", fix="pass a DataFrame column")
    raw = emails.astype(object)
    norm = normalize_email(emails)
    text = raw.where(raw.notna(), "").astype(str)
    present = text.str.strip().ne("").to_numpy() & raw.notna().to_numpy()
    valid = norm.notna().to_numpy()
    cleaned = text.map(lambda v: _clean_email_text(v))
    has_cyr = cleaned.str.contains(_CYRILLIC_RE).to_numpy()
    has_lat = cleaned.str.contains(_LATIN_RE).to_numpy()
    lookalike = valid & has_cyr & has_lat
    zero_width = text.str.contains(_ZW_RE).to_numpy()
    changed = valid & (norm.fillna("").astype(str).to_numpy() != text.to_numpy())
    reason = np.where(~present, "missing",
                      np.where(~valid, "not shaped like an e-mail",
                               np.where(lookalike, "Latin address with Cyrillic look-alike letters", "")))
    return pd.DataFrame({
        "raw": raw, "email": norm, "present": present, "valid": valid, "changed": changed,
        "zero_width": zero_width, "lookalike": lookalike, "reason": reason,
    }, index=emails.index)


# --------------------------------------------------------------------------- phones
_PHONE_JUNK = re.compile("[\\s\\-().\u00a0/]")


@lru_cache(maxsize=8)
def _region_fast_path(region: str):
    """Exact replica of ``phonenumbers.is_valid_number`` for the region's own numbers.

    Built from phonenumbers' metadata (the per-type national number patterns), so it gives
    the same answer as the library (tested) while running as one vectorised regex over
    millions of values. Only numbers written with the region's country code or national
    prefix go this way; everything else is parsed by phonenumbers itself.
    """
    import phonenumbers
    from phonenumbers.phonemetadata import PhoneMetadata

    md = PhoneMetadata.metadata_for_region(region)
    if md is None:
        return None
    cc = str(md.country_code)
    prefix = md.national_prefix or ""
    if md.national_prefix_for_parsing or md.leading_digits:
        # regions with rewriting national-prefix rules: leave them to phonenumbers
        if region != "RU":
            return None
    descs = [md.fixed_line, md.mobile, md.toll_free, md.premium_rate, md.shared_cost, md.personal_number,
             md.voip, md.pager, md.uan, md.voicemail]
    pats = [d.national_number_pattern for d in descs if d is not None and d.national_number_pattern]
    if not pats:
        return None
    nsn = "(?:" + "|".join(f"(?:{p})" for p in pats) + ")"
    # +CC NSN, CC NSN (no plus, as people write 7 912 ...), PREFIX NSN, bare NSN
    alts = [rf"\+{cc}(?P<a>{nsn})", rf"{cc}(?P<b>{nsn})"]
    if prefix:
        alts.append(rf"{re.escape(prefix)}(?P<c>{nsn})")
    alts.append(rf"(?P<d>{nsn})")
    _ = phonenumbers  # metadata loaded through the package
    return cc, re.compile("^(?:" + "|".join(alts) + ")$")


def _phone_slow(v: str, region: str) -> str | None:
    import phonenumbers

    try:
        num = phonenumbers.parse(v, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def _phone_keys(s: pd.Series, region: str) -> pd.Series:
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, uniques = _factorize_text(s)
    if not len(uniques):
        return _expand(codes, [], s.index)
    res = np.full(len(uniques), None, dtype=object)
    fast = _region_fast_path(region)
    todo = np.ones(len(uniques), dtype=bool)
    if fast is not None:
        cc, rx = fast
        compact = pc.replace_substring_regex(pa.array(np.asarray(uniques, dtype=object), type=pa.string()),
                                             _PHONE_JUNK.pattern, "")
        # only plain digit strings (optionally one leading +) take the fast path; letters,
        # extensions and odd symbols go to phonenumbers
        simple = pc.match_substring_regex(compact, r"^\+?\d{5,17}$")
        ext = pc.extract_regex(pc.if_else(simple, compact, pa.scalar(None, pa.string())), rx.pattern)
        nsn = None
        for name in ("a", "b", "c", "d"):
            if ext.type.get_field_index(name) < 0:
                continue
            f = pc.struct_field(ext, name)
            f = pc.if_else(pc.equal(f, ""), pa.scalar(None, pa.string()), f)
            nsn = f if nsn is None else pc.coalesce(nsn, f)
        hit = pc.is_valid(nsn).to_numpy(zero_copy_only=False)
        vals = pc.binary_join_element_wise("+" + cc, nsn, "").to_numpy(zero_copy_only=False)
        res[hit] = vals[hit]
        todo[hit] = False
    for i in np.flatnonzero(todo):
        res[i] = _phone_slow(uniques[i], region)
    return _expand(codes, res, s.index)


@overload
def normalize_phone(phones: pd.Series, region: str = "RU") -> pd.Series: ...
@overload
def normalize_phone(phones: str | None, region: str = "RU") -> str | None: ...
def normalize_phone(phones, region="RU"):
    """Normalise phone numbers to E.164 (``+79123456789``) with ``phonenumbers``.

    A number is accepted only when ``phonenumbers.is_valid_number`` accepts it for
    ``region`` (numbers written with another country code are accepted for that
    country). Invalid or unparsable values — placeholders such as ``+70000000000``, too
    few digits, Excel-mangled ``7,91E+10`` — become missing, so they are never matched;
    the raw value stays in the source table and :func:`inspect_phones` reports it.

    Numbers of the region itself are checked by one vectorised regular expression built
    from phonenumbers' own metadata (the same answer as the library, tested against it);
    all other values are parsed by phonenumbers, once per distinct value.

    Parameters
    ----------
    phones
        One number or a Series of numbers as typed (any punctuation, ``+7`` / ``8`` / ``7``
        prefixes).
    region
        ISO 3166 two-letter region used for numbers written without a country code
        (``"RU"``, ``"KZ"``, ``"DE"``...).

    Returns
    -------
    str, None or pandas.Series
        E.164 string(s); a Series keeps the input's index and name (``string`` dtype).

    Examples
    --------
    >>> normalize_phone("+7 (912) 345-67-89")
    '+79123456789'
    >>> s = pd.Series(["89123456789", "8 912 345 67 89", "+70000000000", "030 1234567"])
    >>> print(normalize_phone(s).tolist())
    ['+79123456789', '+79123456789', <NA>, <NA>]
    >>> normalize_phone("030 1234567", region="DE")
    '+49301234567'
    """
    if not isinstance(region, str) or len(region) != 2:
        raise CXLabError(f"phone region must be a two-letter ISO code such as 'RU', got {region!r}",
                         fix="pass region='RU' (or the country where most numbers were collected)")
    region = region.upper()
    import phonenumbers

    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise CXLabError(f"phonenumbers does not know the region {region!r}",
                         fix="pass a two-letter ISO 3166 region code such as 'RU', 'KZ' or 'DE'")
    s = _as_series(phones, "normalize_phone")
    return _finish(_phone_keys(s, region), phones)


def inspect_phones(phones: pd.Series, region: str = "RU") -> pd.DataFrame:
    """Normalise phone numbers and say which ones could not be used.

    Returns
    -------
    pandas.DataFrame
        One row per input row (same index), columns ``raw`` (as given), ``phone``
        (E.164 or missing), ``present``, ``valid``, ``changed`` (the E.164 text differs
        from the raw text) and ``reason`` (``"missing"``, ``"not a valid number"``,
        ``"lost digits (spreadsheet scientific notation)"`` or empty).

    Examples
    --------
    >>> raw = pd.Series(["8 912 345 67 89", "+7 000 000 00 00", "7,91235E+10"])
    >>> rep = inspect_phones(raw)
    >>> print(rep[["phone", "valid"]].to_string())
              phone  valid
    0  +79123456789   True
    1          <NA>  False
    2          <NA>  False
    >>> rep["reason"].tolist()
    ['', 'not a valid number', 'lost digits (spreadsheet scientific notation)']
    """
    if not _is_series(phones):
        raise CXLabError("inspect_phones expects a pandas Series", fix="pass a DataFrame column")
    raw = phones.astype(object)
    norm = normalize_phone(phones, region)
    text = raw.where(raw.notna(), "").astype(str)
    present = text.str.strip().ne("").to_numpy() & raw.notna().to_numpy()
    valid = norm.notna().to_numpy()
    sci = text.str.contains(r"^\s*\d+[.,]\d+E\+?\d+\s*$", case=False, regex=True).to_numpy()
    reason = np.where(~present, "missing",
                      np.where(valid, "",
                               np.where(sci, "lost digits (spreadsheet scientific notation)", "not a valid number")))
    changed = valid & (norm.fillna("").astype(str).to_numpy() != text.to_numpy())
    return pd.DataFrame({"raw": raw, "phone": norm, "present": present, "valid": valid,
                         "changed": changed, "reason": reason}, index=phones.index)


# --------------------------------------------------------------------------- social handles
_HANDLE_URL = re.compile(
    r"^(?:https?://)?(?:www\.|m\.)?(?P<host>instagram\.com|facebook\.com|fb\.com|vk\.com|t\.me|telegram\.me"
    r"|twitter\.com|x\.com|ok\.ru|tiktok\.com)/(?:@)?(?P<handle>[^/?#\s]+)", re.I)
_HOST_PLATFORM = {"instagram.com": "instagram", "facebook.com": "facebook", "fb.com": "facebook",
                  "vk.com": "vk", "t.me": "telegram", "telegram.me": "telegram", "twitter.com": "x",
                  "x.com": "x", "ok.ru": "ok", "tiktok.com": "tiktok"}


def _handle_key(v: str) -> str | None:
    t = unicodedata.normalize("NFKC", v).translate(_ZW_TABLE).strip().lower()
    m = _HANDLE_URL.match(t)
    platform = ""
    if m:
        platform = _HOST_PLATFORM[m.group("host").lower()] + ":"
        t = m.group("handle")
    t = t.lstrip("@").strip()
    if not t or _WS_RE.search(t) or not re.search(r"[a-z0-9\u0400-\u04ff]", t):
        return None
    return platform + t


@overload
def normalize_handle(handles: pd.Series, platform: pd.Series | str | None = None) -> pd.Series: ...
@overload
def normalize_handle(handles: str | None, platform: str | None = None) -> str | None: ...
def normalize_handle(handles, platform=None):
    """Normalise social-media handles to ``platform:handle`` keys.

    ``@Ivan_Petrov``, ``ivan_petrov`` and ``https://instagram.com/ivan_petrov/`` are one
    handle. The platform comes from a profile URL or from ``platform`` (one name or a
    Series aligned with ``handles``); handles on different platforms are different keys,
    because one person's ``@anna`` on Instagram says nothing about ``@anna`` on Telegram.
    Values with spaces inside or without a letter or digit become missing.

    Examples
    --------
    >>> normalize_handle("https://www.instagram.com/Ivan_Petrov/")
    'instagram:ivan_petrov'
    >>> normalize_handle("@Ivan_Petrov", platform="Instagram")
    'instagram:ivan_petrov'
    """
    s = _as_series(handles, "normalize_handle")
    keys = _map_unique(s, _handle_key)
    if platform is not None:
        plat = (platform if _is_series(platform) else pd.Series(platform, index=s.index, dtype=object))
        plat = _map_unique(plat.set_axis(s.index), lambda p: p.strip().lower() or None)
        bare = keys.notna() & ~keys.fillna("").str.contains(":", regex=False) & plat.notna()
        keys = keys.where(~bare, plat + ":" + keys)
    return _finish(keys, handles)
