"""The guards that keep one bad key from gluing strangers together: listed and learned placeholders
(:func:`find_placeholders`) and the names used with one contact value grouped into people
(:func:`name_groups`, for shared contacts). See :mod:`cxlab.identity.rules` for the rules they guard.

Also importable from :mod:`cxlab.identity.rules` and :mod:`cxlab.identity`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

import numpy as np
import pandas as pd

__all__ = ["PLACEHOLDERS", "name_groups", "find_placeholders"]

#: Listed placeholder values. E-mails: local parts and domains people type to skip the field;
#: phones: national numbers made of one repeated digit or a counting run.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "email_local": ("test", "tests", "noemail", "no-email", "no_email", "no.email", "nomail", "no-mail", "none",
                    "no", "null", "nil", "na", "n.a", "email", "mail", "e-mail", "example", "x", "xx", "xxx",
                    "xxxx", "asdf", "qwerty", "nobody", "noreply", "no-reply", "unknown", "anonymous", "123",
                    "1234", "12345", "123456", "0", "000", "нет", "net", "nety", "otkaz", "otkaz.ot.pochty"),
    "email_domain": ("example.com", "example.ru", "example.org", "test.ru", "test.com", "test.test", "mail.test",
                     "domain.com", "email.com", "noemail.ru", "noemail.com", "nomail.ru", "none.ru", "net.net"),
    "phone_national": tuple([d * 10 for d in "0123456789"] + ["1234567890", "0123456789", "9876543210",
                                                              "9012345678", "9123456789"]),
}
# +79123456789 is the textbook example number (also the one in cxlab's docstrings); it is
# listed because it is what people copy from forms. Real data never has many users of it.

_TOKEN_SPLIT = re.compile(r"\s+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[a-z]")
_MAX_FUZZY_NAMES = 20  # above this many distinct names on one value, names are grouped exactly


# --------------------------------------------------------------------------- guards
def _listed_mask(key: str, values: np.ndarray) -> np.ndarray:
    """Listed placeholders among distinct values (Arrow compute: one pass, no Python loop)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if key not in ("email", "phone") or len(values) == 0:
        return np.zeros(len(values), dtype=bool)
    v = pa.array(np.asarray(values, dtype=object), type=pa.string())
    if key == "email":
        local = pc.replace_substring_regex(v, "@.*$", "")
        domain = pc.replace_substring_regex(v, "^.*@", "")
        hit = pc.or_(pc.is_in(local, value_set=pa.array(PLACEHOLDERS["email_local"], type=pa.string())),
                     pc.is_in(domain, value_set=pa.array(PLACEHOLDERS["email_domain"], type=pa.string())))
    else:
        national = pc.utf8_slice_codeunits(v, -10)
        hit = pc.is_in(national, value_set=pa.array(PLACEHOLDERS["phone_national"], type=pa.string()))
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


# Latin spellings that different transliteration standards (and people) give one Russian
# sound: ё/е as yo/e, й as y/i/j, я/ю as ya/ia/ja, х as kh/h, ц as ts/tz/c, кс as ks/x.
# Used only to *compare* two Latin words; names themselves are transliterated with iuliia.
_SPELLING = (("yo", "e"), ("jo", "e"), ("ye", "e"), ("je", "e"), ("yu", "iu"), ("ju", "iu"), ("ya", "ia"),
             ("ja", "ia"), ("kh", "h"), ("ks", "x"), ("tz", "c"), ("ts", "c"), ("y", "i"), ("j", "i"))


def _spelling(w: str) -> str:
    """Transliteration-insensitive form of a Latin word: «semyon» and «semen» both give «semen»."""
    for a, b in _SPELLING:
        w = w.replace(a, b)
    return w


def _tok_similar(a: str, b: str) -> bool:
    if a == b:
        return True
    sa, sb = _spelling(a), _spelling(b)
    for x, y in ((a, b), (sa, sb)):
        if x + "a" == y or y + "a" == x:  # Aleksandr / Aleksandra, Ivanov / Ivanova: different people
            return False
    if sa == sb:
        return True
    if min(len(sa), len(sb)) < 4:
        return False
    return SequenceMatcher(None, sa, sb).ratio() >= 0.85


def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One name fits the other: every word of one is matched by a different word of the other.

    Full words match when similar (:func:`_tok_similar`, transliteration-insensitive); an
    initial (one letter, «Ф.» of «Лебедев Ф. П.») matches a word starting with that letter.
    A word left over on one side only is missing information (a patronymic, a family name);
    words left over on both sides contradict each other («А. Лебедев» / «Фёдор Лебедев»).
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if set(short) <= set(long_):
        return True
    rest_s, rest_l = list(short), list(long_)
    # full words first, then initials, each matched once
    for initials in (False, True):
        for t in [w for w in rest_s if (len(w) == 1) == initials]:
            for u in rest_l:
                hit = t[0] == u[0] if (len(t) == 1 or len(u) == 1) else _tok_similar(t, u)
                if hit:
                    rest_s.remove(t)
                    rest_l.remove(u)
                    break
    # an initial of the longer name may still match a full word of the shorter left over
    for u in [w for w in rest_l if len(w) == 1]:
        for t in rest_s:
            if t[0] == u[0]:
                rest_s.remove(t)
                rest_l.remove(u)
                break
    return not rest_s or not rest_l


def name_groups(values: pd.Series, names: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Group the names used with each key value into people.

    Within one value (one phone, one e-mail) names that fit each other — ``Иван``,
    ``Иван Иванов``, ``Ivanov Ivan`` — form one group; ``Анна Иванова`` on the same phone
    starts another. A name that fits several groups, and a record with no name on a value
    that has two groups or more, get group ``-1`` (ambiguous).

    Parameters
    ----------
    values
        Normalised key per record (missing = no key).
    names
        ``name_key`` per record (Latin words sorted, see
        :func:`~cxlab.identity.normalize.name_parts`).

    Returns
    -------
    groups : numpy.ndarray
        Group number per record (``0`` when the value has one group or none; ``-1``
        ambiguous or no key).
    n_groups : pandas.Series
        Number of name groups per distinct value.

    Examples
    --------
    >>> phone = pd.Series(["+7912", "+7912", "+7912", "+7912", "+7912"])
    >>> name = pd.Series(["ivan ivanov", "ivan", "ivanov ivan", "anna ivanova", None])
    >>> g, n = name_groups(phone, name)
    >>> g.tolist(), int(n["+7912"])
    ([0, 0, 0, 1, -1], 2)
    """
    vc, vu = _codes(values)
    groups, n_groups = _name_groups_codes(vc, len(vu), names)
    if not (vc >= 0).any():
        return groups, pd.Series(dtype=np.int64)
    return groups, pd.Series(n_groups, index=pd.Index(np.asarray(vu, dtype=object), dtype=object))


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer code per row (-1 = missing) and the distinct values, in order of appearance."""
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype(object).where(values.notna(), None).astype("string")
    vc, vu = pd.factorize(values, use_na_sentinel=True)  # Arrow dictionary encoding: no Python objects
    return np.asarray(vc, dtype=np.int64), np.asarray(vu, dtype=object)


def _unique_ints(x: np.ndarray) -> np.ndarray:
    """Sorted distinct integers (one sort; numpy's hash-based ``unique`` is several times slower here)."""
    x = np.sort(np.asarray(x, dtype=np.int64))
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


def _isin_ints(x: np.ndarray, items: np.ndarray) -> np.ndarray:
    """``np.isin`` for integer arrays through pandas' hash table (much faster at millions)."""
    if len(items) == 0:
        return np.zeros(len(x), dtype=bool)
    return pd.Index(np.asarray(items, dtype=np.int64)).get_indexer(np.asarray(x, dtype=np.int64)) >= 0


def _name_groups_codes(vc: np.ndarray, nv: int, names: pd.Series | tuple[np.ndarray, np.ndarray]
                       ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`name_groups` on value codes: group per row and number of groups per value code
    (``names``: a Series, or its :func:`_codes` already computed)."""
    groups = np.full(len(vc), -1, dtype=np.int64)
    has = vc >= 0
    if not has.any():
        return groups, np.zeros(nv, dtype=np.int64)
    nc, nu = names if isinstance(names, tuple) else _codes(names)
    nn = max(len(nu), 1)
    # distinct (value, name) pairs as integers; everything below works on codes, not strings
    both = has & (nc >= 0)
    pair = _unique_ints(vc[both] * nn + nc[both])
    pv, pn = pair // nn, pair % nn
    n_names = np.bincount(pv, minlength=nv)
    n_groups = n_names.astype(np.int64)
    pair_group = np.zeros(len(pair), dtype=np.int64)
    hard_v = n_names > 1
    if hard_v.any():
        hp = np.flatnonzero(hard_v[pv])
        not_one = _not_one_person(pv, pn, hp, nu, nn, nv)
        n_groups[hard_v & ~not_one] = 1
        # the rest (a value under genuinely different names): group the names pairwise
        loop_pairs = hp[not_one[pv[hp]]]
        for val in _unique_ints(pv[loop_pairs]):
            n_groups[val] = _group_names(loop_pairs[pv[loop_pairs] == val], nu, pn, pair_group)
    # per record: one group or none -> 0; otherwise the name's group (no name -> ambiguous)
    rows = np.flatnonzero(has)
    several = n_groups[vc[rows]] > 1
    g = np.zeros(len(rows), dtype=np.int64)
    if several.any():
        r = rows[several]
        key = vc[r].astype(np.int64) * nn + nc[r]
        at = np.clip(np.searchsorted(pair, key), 0, max(len(pair) - 1, 0))
        found = (nc[r] >= 0) & (pair[at] == key)
        g[several] = np.where(found, pair_group[at], -1)
    groups[rows] = g
    return groups, n_groups


def _not_one_person(pv: np.ndarray, pn: np.ndarray, hp: np.ndarray, nu: np.ndarray, nn: int,
                    nv: int) -> np.ndarray:
    """Values whose names do not all use only words of its longest name (vectorised, no pairwise comparison).

    ("ivan", "ivan ivanov", "ivanov ivan") is one person; ``pv``/``pn`` are the (value, name) pairs and
    ``hp`` the positions of the pairs of values used under several names.
    """
    used = _unique_ints(pn[hp])
    words = [str(nu[i]).split(" ") for i in used]
    n_tok = np.zeros(nn, dtype=np.int64)
    n_tok[used] = [len(w) for w in words]
    tok_codes, _ = pd.factorize(np.array([t for w in words for t in w], dtype=object))
    tok_start = np.zeros(nn, dtype=np.int64)
    tok_start[used] = np.concatenate([[0], np.cumsum(n_tok[used])[:-1]])
    # the longest name of each hard value (its first pair with the most words)
    hv, hn = pv[hp], pn[hp]
    order = np.lexsort((-n_tok[hn], hv))
    first = np.r_[True, hv[order][1:] != hv[order][:-1]]
    rep = np.full(nv, -1, dtype=np.int64)
    rep[hv[order][first]] = hn[order][first]
    ntk = int(tok_codes.max()) + 1 if len(tok_codes) else 1

    def explode(vals: np.ndarray, nms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k = n_tok[nms]
        row = np.repeat(np.arange(len(nms)), k)
        offs = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
        return row, vals[row] * ntk + tok_codes[tok_start[nms][row] + offs]

    rv = np.flatnonzero(rep >= 0)
    _, rep_keys = explode(rv, rep[rv])
    row, keys = explode(hv, hn)
    missing = np.bincount(row, weights=~_isin_ints(keys, _unique_ints(rep_keys)), minlength=len(hp)) > 0
    not_one = np.zeros(nv, dtype=bool)
    not_one[hv[missing]] = True
    return not_one


def _group_names(sel: np.ndarray, nu: np.ndarray, pn: np.ndarray, pair_group: np.ndarray) -> int:
    """Group the names of one value into people, pairwise; sets ``pair_group`` (-1: fits several) in place.

    Returns the number of groups.
    """
    toks = sorted(((tuple(_TOKEN_SPLIT.split(str(nu[pn[i]]))), i) for i in sel),
                  key=lambda x: len(x[0]), reverse=True)
    if len(toks) > _MAX_FUZZY_NAMES:
        # a value used under this many names is a switchboard or a placeholder: every distinct
        # name is its own group (no pairwise fuzzy comparison, which would cost O(names^2))
        for g, (_, i) in enumerate(toks):
            pair_group[i] = g
        return len(toks)
    reps: list[list[tuple[str, ...]]] = []
    for t, i in toks:
        fits = [g for g, members in enumerate(reps) if any(_compatible(t, m) for m in members[:3])]
        if not fits:
            reps.append([t])
            pair_group[i] = len(reps) - 1
        elif len(fits) == 1:
            reps[fits[0]].append(t)
            pair_group[i] = fits[0]
        else:
            pair_group[i] = -1  # fits several people: ambiguous
    return len(reps)


def find_placeholders(prepared: pd.DataFrame, *, min_records: int = 20, min_names: int = 3,
                      shared_min_names: int = 3, keys: Iterable[str] = ("email", "phone", "handle")) -> pd.DataFrame:
    """Values that must not link records: listed placeholders, frequent many-name values, shared contacts.

    Parameters
    ----------
    prepared
        Output of :func:`prepare_records`.
    min_records, min_names
        A value used by at least ``min_records`` records under at least ``min_names``
        different names is treated as a placeholder (learned from frequency): it links nothing.
    shared_min_names
        A value used under at least this many different names (but by fewer records) is a
        *shared contact* (an office phone): it links only records carrying the same full name.

    Returns
    -------
    pandas.DataFrame
        One row per flagged value: ``key``, ``value``, ``reason`` (``"listed placeholder"``,
        ``"frequent value used by many names"``, ``"shared contact"``, ``"different customer ids"``,
        ``"different names"``), ``blocked`` (links nothing), ``n_records``, ``n_names`` and
        ``n_ids`` (distinct customer ids among its records). A value held by records of two
        customer ids or more never merges those customers: the CRM says they are different
        people, and a record without an id on such a value cannot be attributed, so it is
        not linked through it.
    """
    parts = []
    kc, _ = _codes(prepared["customer_key"]) if "customer_key" in prepared.columns else (None, None)
    name_codes = _codes(prepared["name_key"])
    for key in keys:
        col = f"{key}_key"
        if col not in prepared.columns:
            continue
        vc, vu = _codes(prepared[col])
        if not (vc >= 0).any():
            continue
        nv = len(vu)
        _, n_names = _name_groups_codes(vc, nv, name_codes)
        n_rec = np.bincount(vc[vc >= 0], minlength=nv)
        n_ids = np.zeros(nv, dtype=np.int64)
        if kc is not None:
            both = (vc >= 0) & (kc >= 0)
            pairs = _unique_ints(vc[both] * (int(kc.max()) + 1) + kc[both])
            n_ids = np.bincount(pairs // (int(kc.max()) + 1), minlength=nv)
        listed = _listed_mask(key, vu)
        frequent = (n_rec >= min_records) & (n_names >= min_names)
        shared = ~frequent & (n_names >= shared_min_names)
        conflict = (n_names >= 2) & ~shared & ~frequent
        ids = n_ids >= 2
        hit = np.flatnonzero(listed | frequent | shared | conflict | ids)
        hit = hit[np.argsort(-n_rec[hit], kind="stable")]  # most used first
        reason = np.where(listed[hit], "listed placeholder",
                          np.where(frequent[hit], "frequent value used by many names",
                                   np.where(shared[hit], "shared contact",
                                            np.where(ids[hit], "different customer ids", "different names"))))
        parts.append(pd.DataFrame({"key": key, "value": vu[hit], "reason": reason,
                                   "blocked": listed[hit] | frequent[hit], "n_records": n_rec[hit].astype(int),
                                   "n_names": n_names[hit].astype(int), "n_ids": n_ids[hit].astype(int)}))
    cols = ["key", "value", "reason", "blocked", "n_records", "n_names", "n_ids"]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols].astype({"key": object, "value": object, "reason": object})
