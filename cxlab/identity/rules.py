"""Contact records and the deterministic linking rules.

Every row of every canonical table that says who the customer is becomes one *contact
record*: a CRM customer, a service contact, a survey response. Records are linked when
they share a normalised key — the customer id, an e-mail, a phone number or a social
handle — and joined into persons by connected components. Three guards keep one bad key
from gluing strangers together:

* **placeholders**: values typed by people who did not want to give theirs
  (``test@test.ru``, ``noemail@…``, ``+79999999999``) are listed in :data:`PLACEHOLDERS`
  and also *learned*: a value used by many records under several different names is
  blocked as a key (:func:`find_placeholders`);
* **shared contacts**: a phone or e-mail used under two or more incompatible names (an
  office switchboard, a family phone) links only records whose names agree with one
  of those names — a record with no name, or a first name that fits several, is not
  linked through it; with ``shared_min_names`` names or more (an office) only full names
  link;
* **cluster-size cap**: a person larger than ``max_cluster_size`` records under names that
  do not fit one another has its most used linking value removed until it falls apart;
  every removed value is reported (a heavy customer, all of whose records carry one
  person's name, is left whole).

The records are built in :mod:`cxlab.identity.records` and the placeholder and shared-contact
guards live in :mod:`cxlab.identity.guards`; this module holds the links, the connected
components and the cap, and re-exports the others' public names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.identity.guards import PLACEHOLDERS, _codes, _name_groups_codes, find_placeholders, name_groups
from cxlab.identity.records import KEYS, RECORD_COLUMNS, contact_records, prepare_records

__all__ = [
    "RECORD_COLUMNS",
    "KEYS",
    "PLACEHOLDERS",
    "contact_records",
    "prepare_records",
    "find_placeholders",
    "name_groups",
    "deterministic_links",
    "connected_components",
    "cap_cluster_size",
]


# --------------------------------------------------------------------------- links
def deterministic_links(prepared: pd.DataFrame, *, flagged: pd.DataFrame | None = None,
                        keys: Iterable[str] = KEYS) -> pd.DataFrame:
    """Pairs of records that share a normalised key (one star per key value).

    Records sharing a value are linked to the first record holding it, so ``n`` records
    give ``n - 1`` links (enough for connected components) rather than ``n(n-1)/2`` pairs.
    Blocked values link nothing; values used under several names link within a name
    group only (see :func:`name_groups`), and shared contacts only between records
    carrying the same name of two words or more.

    Returns
    -------
    pandas.DataFrame
        ``a``, ``b`` (row positions in ``prepared``), ``rule`` (the key), ``value`` (the
        shared normalised value) — one row per link.
    """
    flagged = flagged if flagged is not None else find_placeholders(prepared)
    out = []
    name_codes: tuple[np.ndarray, np.ndarray] | None = None
    n = len(prepared)
    pos = np.arange(n)
    for key in keys:
        col = "customer_key" if key == "customer_id" else f"{key}_key"
        if col not in prepared.columns:
            continue
        vc, vu = _codes(prepared[col])
        mask = vc >= 0
        if mask.sum() < 2:
            continue
        group = np.zeros(n, dtype=np.int64)
        if key != "customer_id":
            fk = flagged[flagged["key"] == key]
            # flags per distinct value, looked up by code (no string matching over the rows)
            at = pd.Index(vu, dtype=object).get_indexer(fk["value"].astype(object)) if len(fk) else np.array([], int)
            known = at >= 0
            fk, at = fk[known], at[known]

            def flag(sel: np.ndarray, at: np.ndarray = at, nv: int = len(vu)) -> np.ndarray:
                f = np.zeros(nv + 1, dtype=bool)  # slot nv: missing values
                f[at[sel]] = True
                return f[np.where(vc >= 0, vc, nv)]

            blocked = fk["blocked"].to_numpy(dtype=bool)
            mask &= ~flag(blocked)
            if (~blocked).any():
                in_split = flag(~blocked) & mask
                sub_vc = np.where(in_split, vc, -1)
                name_codes = name_codes or _codes(prepared["name_key"])
                g, _ = _name_groups_codes(sub_vc, len(vu), name_codes)
                full = prepared["n_words"].to_numpy() >= 2
                in_shared = flag((fk["reason"] == "shared contact").to_numpy()) & mask
                # ambiguous records of a split value are not linked through it
                mask &= ~(in_split & (g < 0))
                # on a shared (office) contact only full names link; group = exact name
                mask &= ~(in_shared & ~full)
                group = np.where(in_split, g, 0)
                if in_shared.any():
                    nk_codes = name_codes[0]
                    group = np.where(in_shared, 1_000_000 + nk_codes, group)
                multi = (fk["n_ids"] >= 2).to_numpy()
                if multi.any():
                    in_multi = flag(multi) & mask
                    id_codes, _ = _codes(prepared["customer_key"])
                    mask &= ~(in_multi & (id_codes < 0))
                    group = np.where(in_multi, 2_000_000_000 + id_codes, group)
        if mask.sum() < 2:
            continue
        sub = pd.DataFrame({"v": vc[mask], "g": group[mask], "p": pos[mask]})
        first = sub.groupby(["v", "g"], sort=False)["p"].transform("first").to_numpy()
        keep = first != sub["p"].to_numpy()
        if keep.any():
            b = sub["p"].to_numpy()[keep]
            out.append(pd.DataFrame({"a": first[keep], "b": b, "rule": key, "value": vu[vc[b]]}))
    if not out:
        return pd.DataFrame({"a": pd.Series(dtype=np.int64), "b": pd.Series(dtype=np.int64),
                             "rule": pd.Series(dtype=object), "value": pd.Series(dtype=object)})
    return pd.concat(out, ignore_index=True)


def connected_components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Component label (0..k-1) of each of ``n`` nodes given undirected edges ``a``–``b`` (scipy)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components as _cc

    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = _cc(graph, directed=False)
    return labels


def cap_cluster_size(links: pd.DataFrame, n: int, *, max_cluster_size: int = 50,
                     max_rounds: int = 50, names: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Break persons larger than ``max_cluster_size`` records by removing their most-used linking values.

    In an oversized person the linking value (of any rule except the customer id) that
    carries the most links is removed, components are recomputed, and so on until every
    person fits the cap or ``max_rounds`` is reached. With ``names``, an oversized person
    whose records' names all fit one another (one name group, see :func:`name_groups`:
    «Лебедев Ф. П.», «Fedor Lebedev», «ЛЕБЕДЕВ ФЁДОР ПЕТРОВИЧ») is a heavy customer, not
    strangers glued together, and is left whole.

    Parameters
    ----------
    links
        ``a``, ``b``, ``rule``, ``value`` (as from :func:`deterministic_links`).
    n
        Number of records.
    names
        ``name_key`` per record (from :func:`prepare_records`), or ``None`` to cap every
        oversized person.

    Returns
    -------
    links : pandas.DataFrame
        The links that remain.
    broken : pandas.DataFrame
        ``rule``, ``value``, ``n_links`` (links removed), ``cluster_size`` (records in the
        person before the break).
    """
    links = links.reset_index(drop=True)
    broken = []
    name_codes = _codes(names) if names is not None else None
    for _ in range(max_rounds):
        labels = connected_components(n, links["a"].to_numpy(), links["b"].to_numpy())
        sizes = np.bincount(labels, minlength=1)
        big = np.flatnonzero(sizes > max_cluster_size)
        if len(big) and names is not None:
            in_big = np.zeros(len(sizes), dtype=bool)
            in_big[big] = True
            _, n_groups = _name_groups_codes(np.where(in_big[labels], labels, -1), len(sizes), name_codes)
            big = big[n_groups[big] > 1]  # one name group: one heavy customer
        if not len(big):
            break
        comp_of_link = labels[links["a"].to_numpy()]
        drop = np.zeros(len(links), dtype=bool)
        for comp in big:
            sel = (comp_of_link == comp) & (links["rule"] != "customer_id").to_numpy()
            if not sel.any():
                continue
            tally = links[sel].groupby(["rule", "value"], sort=False).size().sort_values(ascending=False, kind="stable")
            rule, value = tally.index[0]
            hit = sel & (links["rule"] == rule).to_numpy() & (links["value"] == value).to_numpy()
            drop |= hit
            broken.append({"rule": rule, "value": value, "n_links": int(hit.sum()), "cluster_size": int(sizes[comp])})
        if not drop.any():
            break
        links = links[~drop].reset_index(drop=True)
    return links, pd.DataFrame(broken, columns=["rule", "value", "n_links", "cluster_size"])


def _decisions_frame(decisions: pd.DataFrame | Mapping | None) -> pd.DataFrame:
    if decisions is None:
        return pd.DataFrame(columns=["record_id_l", "record_id_r", "decision"])
    frame = pd.DataFrame(decisions)
    need = {"record_id_l", "record_id_r", "decision"}
    if not need <= set(frame.columns):
        raise CXLabError(f"review decisions need the columns {sorted(need)}", fix="save them with the review widget")
    frame["decision"] = frame["decision"].astype(str).str.strip().str.lower()
    bad = ~frame["decision"].isin(["accept", "reject"])
    if bad.any():
        raise CXLabError("review decisions must be 'accept' or 'reject'", rows=(np.flatnonzero(bad) + 2).tolist(),
                         column="decision", fix="correct or delete those rows")
    return frame
