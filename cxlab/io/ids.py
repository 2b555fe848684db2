"""Customer ids across tables: the same customer written ``000123`` in one export and ``123`` in another.

Exports disagree on leading zeros all the time: a CRM or 1C writes ``000123`` as text, the same
id saved through a spreadsheet becomes the number ``123`` (or ``123.0``). Read file by file,
both are kept exactly as written (:mod:`cxlab.io` flags them); joining the tables then finds
no customer in common and every respondent "bought nothing". :func:`harmonise_customer_ids`
looks at the ``customer_id`` columns of all loaded tables together and, only when the
tables disagree on zeros (more ids match by number than by text) and no two different ids
of one table would become one, writes purely numeric ids by their number in every table —
the rule cxlab's pseudonyms already follow (:func:`cxlab.privacy.normalise_id`). It returns
notes for the Data used block; nothing changes without one.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

import numpy as np
import pandas as pd

__all__ = ["numeric_id_key", "harmonise_customer_ids"]

_ID = "customer_id"


def numeric_id_key(ids: pd.Series) -> pd.Series:
    """Ids with purely numeric values written by their number (``"000123"``, ``"123.0"`` → ``"123"``).

    Other ids (letters, dashes) and missing values are returned unchanged.

    Examples
    --------
    >>> numeric_id_key(pd.Series(["000123", "123.0", "C0001", None, " 0042 "], dtype=object)).tolist()
    ['123', '123', 'C0001', None, '42']
    """
    text = ids.astype("string").str.strip()
    numeric = text.str.fullmatch(r"[0-9]+(?:\.0*)?").fillna(False).astype(bool)
    out = ids.astype(object).copy()
    stripped = text[numeric].str.replace(r"\.0*$", "", regex=True).str.lstrip("0")
    out[numeric] = stripped.where(stripped != "", "0").astype(object)
    return out


def _values(frame: pd.DataFrame | None) -> pd.Series | None:
    if frame is None or _ID not in frame.columns:
        return None
    s = frame[_ID].dropna()
    return s if len(s) else None


def harmonise_customer_ids(tables: MutableMapping[str, pd.DataFrame],
                           files: Mapping[str, str] | None = None) -> list[str]:
    """Match customer ids written with and without leading zeros across tables, in place.

    Parameters
    ----------
    tables
        Loaded tables by name; their ``customer_id`` columns are rewritten in place
        (only when needed, see the module notes).
    files
        File name of each table, for the notes.

    Returns
    -------
    list of str
        Notes for the user: what was harmonised, or that two tables share no customer id.

    Examples
    --------
    >>> t = {"customers": pd.DataFrame({"customer_id": ["000001", "000002"]}),
    ...      "transactions": pd.DataFrame({"customer_id": ["1", "2", "2"]})}
    >>> notes = harmonise_customer_ids(t, {"customers": "clients.csv", "transactions": "sales.csv"})
    >>> t["customers"]["customer_id"].tolist()
    ['1', '2']
    >>> print(notes[0])  # doctest: +ELLIPSIS
    Customer ids are written with leading zeros in clients.csv (e.g. 000001) and without them in sales.csv (e.g. 1): ...
    """
    files = dict(files or {})
    present = {n: v for n, v in ((n, _values(f)) for n, f in tables.items()) if v is not None}
    if len(present) < 2:
        return []
    raw = {n: set(v.astype(str)) for n, v in present.items()}
    keyed = {n: set(numeric_id_key(v).astype(str)) for n, v in present.items()}
    names = list(present)
    gain = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
            if len(keyed[a] & keyed[b]) > len(raw[a] & raw[b])]
    notes: list[str] = []
    if gain:
        collide = [n for n in names if n == "customers" and len(keyed[n]) < len(raw[n])]
        a, b = gain[0]
        padded = _example(present[a], padded=True) or _example(present[b], padded=True)
        plain = _example(present[b], padded=False) if _example(present[a], padded=True) else \
            _example(present[a], padded=False)
        wa, wb = (a, b) if _example(present[a], padded=True) else (b, a)
        if collide:
            notes.append(
                f"Customer ids are written with leading zeros in {files.get(wa, wa)} (e.g. {padded}) and without "
                f"them in {files.get(wb, wb)} (e.g. {plain}), but {files.get('customers', 'the customers table')} "
                "holds ids that differ only in their zeros, so they were NOT matched by number: tables join only "
                "where the ids are written alike. Export the ids in one form to join them.")
        else:
            for n, frame in tables.items():
                if n in present:
                    frame[_ID] = pd.array(numeric_id_key(frame[_ID]), dtype=frame[_ID].dtype
                                          if isinstance(frame[_ID].dtype, pd.StringDtype) else object)
            notes.append(
                f"Customer ids are written with leading zeros in {files.get(wa, wa)} (e.g. {padded}) and without "
                f"them in {files.get(wb, wb)} (e.g. {plain}): they are matched by their number (leading zeros "
                "dropped in every table), as cxlab's pseudonyms do. Ids with letters are kept as written.")
            keyed_now = {n: set(_values(tables[n]).astype(str)) for n in present}
            raw = keyed_now
    # two tables that should join but share no customer at all: say so with the two shapes
    for a, b in (("customers", "transactions"), ("survey_responses", "transactions"),
                 ("survey_responses", "customers"), ("interactions", "customers")):
        if a in present and b in present and not (raw[a] & raw[b]):
            notes.append(
                f"No customer id of {files.get(a, a)} is found in {files.get(b, b)} "
                f"(e.g. {present[a].iloc[0]!s} vs {present[b].iloc[0]!s}): analyses that join them find no "
                "customer in common. Check that both exports use the same customer ids.")
    return notes


def _example(ids: pd.Series, *, padded: bool) -> str | None:
    text = ids.astype(str).str.strip()
    if padded:
        hit = text[text.str.fullmatch(r"0[0-9]+").fillna(False).astype(bool)]
    else:
        hit = text[text.str.fullmatch(r"[1-9][0-9]*(?:\.0*)?").fillna(False).astype(bool)]
    return str(hit.iloc[0]) if len(hit) else None
