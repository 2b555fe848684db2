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
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import overload

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

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

#: Invisible characters removed from e-mails (zero-width space/joiners, word joiner, BOM, soft hyphen).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_ZW_RE = re.compile(f"[{ZERO_WIDTH}]")
_ZW_TABLE = str.maketrans("", "", ZERO_WIDTH)
_WS_RE = re.compile(r"\s+")
# a deliberately permissive shape check: one @, something before it, a dotted domain after it,
# no whitespace. RFC 5322 allows more, but a CRM export never needs the exotic forms.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[a-z]")


def _is_series(x: object) -> bool:
    return isinstance(x, pd.Series)


def _as_series(x: pd.Series | str | None, what: str) -> pd.Series:
    if _is_series(x):
        return x
    if x is None or isinstance(x, str) or (isinstance(x, float) and np.isnan(x)):
        return pd.Series([x], dtype=object)
    raise CXLabError(f"{what} expects a text value or a pandas Series, got {type(x).__name__}",
                     fix="pass one string or a DataFrame column")


def _finish(values: pd.Series, x: pd.Series | str | None) -> pd.Series | str | None:
    if _is_series(x):
        out = values.astype("string")
        out.index = x.index
        out.name = x.name
        return out
    v = values.iloc[0]
    return None if pd.isna(v) else str(v)


def _factorize_text(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Code per row (-1 = missing) and the distinct values as Python strings.

    Contact columns repeat a lot, so every normaliser works once per distinct value; for
    Arrow-backed text the factorisation is a dictionary encoding, with no Python object per row.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u = np.asarray(uniques, dtype=object)
    if not isinstance(s.dtype, pd.StringDtype):
        # numbers in a text column: a phone read as float (79123456789.0, a numeric column with
        # one blank) is the integer it holds, not "79123456789.0"
        u = np.array([str(int(x)) if isinstance(x, (float, np.floating)) and float(x).is_integer()
                      else str(x) for x in u], dtype=object)
    return np.asarray(codes, dtype=np.int64), u


def _expand(codes: np.ndarray, mapped: list | np.ndarray, index: pd.Index) -> pd.Series:
    table = np.empty(len(mapped) + 1, dtype=object)
    table[:-1] = mapped
    table[-1] = None  # code -1: missing
    return pd.Series(table[codes], index=index, dtype=object)


def _map_unique(s: pd.Series, fn) -> pd.Series:
    """Apply ``fn`` once per distinct non-missing value (contact columns repeat a lot)."""
    codes, uniques = _factorize_text(s)
    return _expand(codes, [fn(u) for u in uniques], s.index)


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


def _map_unique_vec(s: pd.Series, fn) -> pd.Series:
    """Like :func:`_map_unique` with a function that takes all distinct values at once."""
    codes, uniques = _factorize_text(s)
    mapped = np.asarray(fn(uniques), dtype=object) if len(uniques) else np.array([], dtype=object)
    return _expand(codes, mapped, s.index)


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


# --------------------------------------------------------------------------- names
_PATRONYMIC_RE = re.compile(r"(?:ович|евич|ьич|ич|овна|евна|ична|инична|ogly|kyzy|ovich|evich|yevich|ovna|evna|yevna|ichna)$")
_FAMILY_RE = re.compile(
    r"(?:ов|ев|ин|ын|ский|цкий|ской|ова|ева|ина|ына|ская|цкая|енко|ук|юк|ян|дзе|швили"
    r"|ov|ev|yev|in|yn|sky|skiy|skii|skoy|ova|eva|yeva|ina|yna|skaya|enko|uk|yuk|yan|dze|shvili)$")
_NAME_JUNK = re.compile(r"[^\w\s'-]+")
# legal forms of companies (Russian and common Latin ones); a name with one is an organisation
_LEGAL_FORMS = frozenset({"ооо", "оао", "зао", "пао", "ао", "нао", "нко", "ано", "гуп", "муп", "фгуп", "тоо",
                          "ooo", "oao", "zao", "pao", "llc", "ltd", "inc", "gmbh", "jsc", "plc", "corp"})
_SOLE_TRADER = frozenset({"ип", "ip", "чп"})
_SCHEMES = ("mosmetro", "icao_doc_9303", "wikipedia", "gost_779", "bgn_pcgn", "yandex_maps", "ala_lc")


@lru_cache(maxsize=8)
def _schema(scheme: str):
    try:
        import iuliia
    except ImportError:  # pragma: no cover - iuliia is a core dependency
        raise CXLabError("name transliteration needs the iuliia package", fix="run `pip install iuliia`") from None
    sch = iuliia.Schemas.get(scheme) if hasattr(iuliia, "Schemas") else None
    if sch is None:
        sch = getattr(iuliia, scheme.upper(), None)
    if sch is None:
        raise CXLabError(f"unknown transliteration scheme {scheme!r}",
                         fix=f"use one of the iuliia schemes, e.g. {', '.join(_SCHEMES)}")
    return sch


@lru_cache(maxsize=200_000)
def _translit_word(w: str, scheme: str) -> str:
    return _schema(scheme).translate(w).lower()


def _clean_name(v: str) -> str:
    t = unicodedata.normalize("NFKC", v).translate(_ZW_TABLE).lower().replace("ё", "е")
    t = _NAME_JUNK.sub(" ", t).replace("_", " ")
    return _WS_RE.sub(" ", t).strip(" -'")


def _split_name(v: str, scheme: str) -> tuple[str, str, str, str, str] | None:
    """(latin, key, given, family, patronymic) of one raw name, or None when empty."""
    t = _clean_name(v)
    if not t:
        return None
    tokens = [w.strip("-'") for w in t.split(" ") if w.strip("-'")]
    if not tokens:
        return None

    def lat(w: str) -> str:
        return _translit_word(w, scheme) if _CYRILLIC_RE.search(w) else w

    if any(w in _LEGAL_FORMS for w in tokens):
        # a company (ООО «Ромашка», АО, LLC): not a person; its key can only equal the same company's
        words = [lat(w) for w in tokens if w not in _LEGAL_FORMS] or [lat(w) for w in tokens]
        return " ".join(lat(w) for w in tokens), "org:" + " ".join(sorted(words)), "", "", ""
    if len(tokens) > 1 and tokens[0] in _SOLE_TRADER:
        tokens = tokens[1:]  # ИП Иванов Иван Иванович: a sole trader is the person named
    patr = [w for w in tokens if len(w) > 4 and _PATRONYMIC_RE.search(w)]
    # a patronymic needs a first name next to it: "Ильич" alone is kept as a name
    if len(tokens) - len(patr) < 1:
        patr = []
    rest = [w for w in tokens if w not in patr]
    family = ""
    given = ""
    if len(rest) == 1:
        given = rest[0]
    else:
        fam = [w for w in rest if len(w) > 3 and _FAMILY_RE.search(w)]
        if len(fam) == 1:
            family = fam[0]
            others = [w for w in rest if w != family]
            given = others[0]
        elif patr and tokens[-1] == patr[0] and len(rest) >= 2:
            family, given = rest[0], rest[1]  # official Russian order: Family Given Patronymic
        else:
            given, family = rest[0], rest[-1]  # Western order: Given [Middle] Family
    lat_tokens = [lat(w) for w in rest]
    return (" ".join(lat(w) for w in tokens), " ".join(sorted(lat_tokens)), lat(given), lat(family),
            " ".join(lat(w) for w in patr))


def name_parts(names: pd.Series, scheme: str = "mosmetro") -> pd.DataFrame:
    """Split and transliterate person names into comparable parts.

    Each name is cleaned (Unicode NFKC, case folded, ``ё`` → ``е``, punctuation and extra
    whitespace removed), its patronymic is recognised by the Russian endings (``-ович``,
    ``-евна``…, also transliterated) and set aside, and the remaining words are assigned to
    a given name and a family name: a word with a typical family-name ending
    (``-ов``, ``-ева``, ``-ский``, ``-enko``…) is the family name wherever it stands, so
    ``Иванов Иван`` and ``Иван Иванов`` give the same parts; otherwise the official Russian
    order *Family Given Patronymic* is assumed when a patronymic ends the name, and the
    Western order *Given Family* in all other cases. Cyrillic words are transliterated to
    Latin with ``iuliia`` (a maintained implementation of the published standards), so a
    Cyrillic and a Latin spelling of one name can be compared; spellings made with a
    different standard stay slightly different and are compared with a string-similarity
    measure downstream, never by an extra home-made table.

    Parameters
    ----------
    names
        Series of names as typed.
    scheme
        iuliia transliteration schema: ``"mosmetro"`` (default: the everyday spellings
        *Egor*, *Nikolaev*, *Yuliya*), ``"icao_doc_9303"`` (Russian passports: *Iuliia*),
        ``"wikipedia"``, ``"gost_779"``…

    Returns
    -------
    pandas.DataFrame
        Same index as ``names``; columns ``latin`` (all words, original order),
        ``name_key`` (given and family words sorted — word order ignored, patronymic
        dropped), ``given``, ``family``, ``patronymic`` (missing when absent),
        ``n_words`` and ``organisation``: the name carries a company's legal form
        (``ООО «Ромашка»``, ``АО``, ``LLC``) — then it is no person's name: ``given`` and
        ``family`` stay missing and ``name_key`` is ``"org:"`` and the other words, equal only
        to the same company's. A sole trader's ``ИП`` is dropped and the person's name parsed.

    Examples
    --------
    >>> s = pd.Series(["Иванов Иван Петрович", "иван  ИВАНОВ", "Ivan Ivanov", "Алёна"])
    >>> print(name_parts(s)[["name_key", "given", "family", "patronymic"]].to_string())
          name_key  given  family patronymic
    0  ivan ivanov   ivan  ivanov  petrovich
    1  ivan ivanov   ivan  ivanov       <NA>
    2  ivan ivanov   ivan  ivanov       <NA>
    3        alena  alena    <NA>       <NA>
    """
    if not _is_series(names):
        raise CXLabError("name_parts expects a pandas Series", fix="pass a DataFrame column")
    _schema(scheme)
    codes, uniques = _factorize_text(names)
    cols = ["latin", "name_key", "given", "family", "patronymic"]
    rows = [p if p is not None else (None,) * 5 for p in (_split_name(u, scheme) for u in uniques)]
    rows.append((None,) * 5)  # code -1: missing
    table = pd.DataFrame(rows, columns=cols).replace("", None).astype("string")
    table["n_words"] = table["latin"].str.count(" ").add(1).fillna(0).astype(int)
    table["organisation"] = table["name_key"].str.startswith("org:").fillna(False).astype(bool)
    # one parse per distinct name, then spread to the rows
    out = table.take(np.where(codes >= 0, codes, len(uniques)))
    out.index = names.index
    return out


@overload
def normalize_name(names: pd.Series, scheme: str = "mosmetro") -> pd.Series: ...
@overload
def normalize_name(names: str | None, scheme: str = "mosmetro") -> str | None: ...
def normalize_name(names, scheme="mosmetro"):
    """Comparable key of a person name: Latin, lower case, patronymic dropped, words sorted.

    See :func:`name_parts` for the steps and the given/family split.

    Examples
    --------
    >>> normalize_name("Фёдорова  Анна Сергеевна")
    'anna fedorova'
    >>> normalize_name("ANNA FEDOROVA")
    'anna fedorova'
    """
    s = _as_series(names, "normalize_name")
    return _finish(name_parts(s, scheme)["name_key"], names)


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
