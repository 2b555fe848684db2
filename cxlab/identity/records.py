"""Contact records: every row of every canonical table that says who the customer is (a CRM customer,
a service contact, a survey response) as one record, and its normalised linking keys.

Also importable from :mod:`cxlab.identity.rules` and :mod:`cxlab.identity`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.identity.guards import _CYRILLIC, _LATIN
from cxlab.identity.normalize import name_parts, normalize_email, normalize_handle, normalize_phone

__all__ = ["RECORD_COLUMNS", "KEYS", "contact_records", "prepare_records"]

#: Columns of a contact-record table (see :func:`contact_records`).
RECORD_COLUMNS = ("record_id", "source", "source_id", "customer_id", "channel", "platform", "timestamp",
                  "name", "email", "phone", "handle")
#: Linking keys, strongest first.
KEYS = ("customer_id", "email", "phone", "handle")


# --------------------------------------------------------------------------- records
def contact_records(*, customers: pd.DataFrame | None = None, interactions: pd.DataFrame | None = None,
                    survey_responses: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stack the canonical tables into one table of contact records.

    Parameters
    ----------
    customers, interactions, survey_responses
        Canonical tables (any may be ``None``). Columns used when present:
        ``customer_id``, ``name``, ``email``, ``phone``, ``handle``, ``platform``,
        ``channel`` and the table's id and timestamp (``signup_date``, ``timestamp``,
        ``submitted_at``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RECORD_COLUMNS`: ``record_id`` (``"<source>:<source_id>"``),
        ``source`` (table name), ``source_id``, ``customer_id`` (as given, may be missing),
        ``channel`` (``"crm"`` for the customer table), ``platform``, ``timestamp`` and the
        raw ``name``, ``email``, ``phone``, ``handle``.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["c1"], "name": ["Анна Петрова"], "email": ["Anna@Mail.ru"],
    ...                      "phone": [None], "signup_date": pd.to_datetime(["2024-01-05"])})
    >>> inter = pd.DataFrame({"interaction_id": ["i1"], "channel": ["chat"], "timestamp": pd.to_datetime(["2024-02-01"]),
    ...                       "name": ["Анна"], "email": ["anna@mail.ru "]})
    >>> print(contact_records(customers=cust, interactions=inter)[["record_id", "channel", "email"]].to_string())
           record_id channel          email
    0   customers:c1     crm   Anna@Mail.ru
    1  interactions:i1    chat  anna@mail.ru
    """
    parts = []
    specs = (("customers", customers, "customer_id", "signup_date"),
             ("interactions", interactions, "interaction_id", "timestamp"),
             ("survey_responses", survey_responses, "response_id", "submitted_at"))
    for source, frame, id_col, ts_col in specs:
        if frame is None or len(frame) == 0:
            continue
        if id_col not in frame.columns:
            raise CXLabError(f"the {source} table has no {id_col!r} column, so its rows cannot be named",
                             column=id_col, fix=f"load the table with cxlab.datasets.load_tables or add an {id_col} column")
        n = len(frame)

        def col(name: str, frame: pd.DataFrame = frame, n: int = n) -> np.ndarray:
            if name in frame.columns:
                return frame[name].astype(object).where(frame[name].notna(), None).to_numpy()
            return np.full(n, None, dtype=object)

        sid = frame[id_col].astype(str).to_numpy()
        part = pd.DataFrame({
            "record_id": np.char.add(source + ":", sid.astype(str)) if n else np.array([], dtype=object),
            "source": source,
            "source_id": sid,
            "customer_id": col("customer_id"),
            "channel": "crm" if source == "customers" else col("channel"),
            "platform": col("platform"),
            "timestamp": pd.to_datetime(frame[ts_col], errors="coerce").to_numpy() if ts_col in frame.columns
            else np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
            "name": col("name"), "email": col("email"), "phone": col("phone"), "handle": col("handle"),
        })
        parts.append(part)
    if not parts:
        raise CXLabError("identity resolution needs at least one of the customers, interactions or "
                         "survey_responses tables", fix="pass the tables loaded with cxlab.datasets.load_tables")
    out = pd.concat(parts, ignore_index=True)
    out["record_id"] = out["record_id"].astype(object)
    out["channel"] = out["channel"].astype(object)
    if out["record_id"].duplicated().any():
        dup = out.loc[out["record_id"].duplicated(), "record_id"].iloc[0]
        raise CXLabError(f"record ids are not unique (for example {dup!r})",
                         fix="make the id column of each table unique (one row per customer, contact or response)")
    return out


def prepare_records(records: pd.DataFrame, *, region: str = "RU", scheme: str = "mosmetro") -> pd.DataFrame:
    """Add the normalised keys and name parts to a contact-record table.

    Parameters
    ----------
    records
        Output of :func:`contact_records` (or any table with its columns).
    region
        Default phone region for :func:`~cxlab.identity.normalize.normalize_phone`.
    scheme
        iuliia transliteration scheme for names.

    Returns
    -------
    pandas.DataFrame
        ``records`` plus ``email_key``, ``phone_key``, ``handle_key``, ``customer_key``
        (trimmed id), ``name_key``, ``given``, ``family``, ``n_words`` and
        ``email_lookalike`` (Latin address with Cyrillic look-alike letters).
    """
    missing = [c for c in ("record_id", "name", "email", "phone") if c not in records.columns]
    if missing:
        raise CXLabError(f"contact records lack the columns {missing}", fix="build them with contact_records()")
    out = records.copy()
    out["customer_key"] = (out["customer_id"].astype("string").str.strip().replace("", pd.NA)
                           if "customer_id" in out.columns else pd.Series(pd.NA, index=out.index, dtype="string"))
    out["email_key"] = normalize_email(out["email"])
    codes, uniques = pd.factorize(out["email_key"], use_na_sentinel=True)
    mixed = [bool(_CYRILLIC.search(u) and _LATIN.search(u)) for u in np.asarray(uniques, dtype=object)]
    out["email_lookalike"] = np.append(np.asarray(mixed, dtype=bool), False)[codes]
    out["phone_key"] = normalize_phone(out["phone"], region)
    plat = out["platform"] if "platform" in out.columns else None
    handles = out["handle"] if "handle" in out.columns else pd.Series(None, index=out.index, dtype=object)
    out["handle_key"] = normalize_handle(handles, platform=plat)
    parts = name_parts(out["name"], scheme)
    for c in ("name_key", "given", "family", "n_words"):
        out[c] = parts[c]
    return out
