"""Normalising people's names: transliterated with iuliia, split into given name, family name and
patronymic, organisations recognised by their legal form (see :func:`name_parts`).

Also importable from :mod:`cxlab.identity.normalize` and :mod:`cxlab.identity`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import overload

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.identity._values import _CYRILLIC_RE, _WS_RE, _ZW_TABLE, _as_series, _factorize_text, _finish, _is_series

__all__ = ["name_parts", "normalize_name"]


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
