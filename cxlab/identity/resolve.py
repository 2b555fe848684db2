"""One person id for every record: deterministic rules first, splink for the residue.

:func:`resolve_identities` runs the whole chain on a contact-record table:

1. normalise the keys (:func:`~cxlab.identity.rules.prepare_records`);
2. flag placeholders, shared contacts and values held by several customer ids
   (:func:`~cxlab.identity.rules.find_placeholders`);
3. link records that share a normalised key and join them by connected components, with
   the cluster-size cap (:mod:`cxlab.identity.rules`);
4. only for what is left — components without a customer id — train splink without
   labels on one row per component and score candidate pairs
   (:func:`~cxlab.identity.probabilistic.splink_pairs`). Each unanchored component
   joins its single best candidate at or above ``threshold``; when two candidates are
   nearly as good, it joins neither and the pair goes to clerical review. Two components
   that both carry customer ids are never merged by probability (the CRM says they are
   different people);
5. clerical decisions saved from the review widget are honoured: *accept* links a pair
   whatever its score, *reject* forbids it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.identity.probabilistic import SplinkModel, component_table, splink_pairs
from cxlab.identity.guards import _isin_ints, find_placeholders
from cxlab.identity.records import contact_records, prepare_records
from cxlab.identity.rules import _decisions_frame, cap_cluster_size, connected_components, deterministic_links

__all__ = ["IdentityResult", "resolve_identities", "resolve_tables", "persons_at_threshold",
           "read_decisions", "DEFAULT_THRESHOLD"]

#: Default match probability at which a residue record joins its best candidate.
DEFAULT_THRESHOLD = 0.95


@dataclass(frozen=True)
class IdentityResult:
    """Everything identity resolution found.

    Attributes
    ----------
    records
        One row per contact record: the input columns, the normalised keys,
        ``component`` (deterministic component), ``person_id`` and ``joined_by``
        (``"rule"``, ``"probability"``, ``"review"`` or ``"alone"``).
    links
        ``record_id_l``, ``record_id_r``, ``rule`` (``customer_id``, ``email``, ``phone``,
        ``handle``, ``probability``, ``review``), ``match_probability`` (missing for rules).
    candidates
        Component pairs scored by splink: ``component_l``, ``component_r``,
        ``match_weight``, ``match_probability``, ``chosen`` (used as a link).
    flagged
        Placeholder, shared and conflicting contact values (see
        :func:`~cxlab.identity.rules.find_placeholders`).
    broken
        Links removed by the cluster-size cap.
    review
        Uncertain pairs for clerical review (see :func:`resolve_identities`).
    params
        Settings used; splink's ``pairs_compared``, ``prior``, ``m_u`` table, ``em_rows``,
        ``splink_rows`` (deterministic components given to splink: one row each) and
        ``residue_components`` (those without a customer id, the only ones that may be
        linked by probability); ``seconds``: wall time per stage (normalise, guards, rules,
        residue table, splink, persons and outputs) and ``cpu_seconds``: the process's CPU
        time per stage (all threads).
    """

    records: pd.DataFrame
    links: pd.DataFrame
    candidates: pd.DataFrame
    flagged: pd.DataFrame
    broken: pd.DataFrame
    review: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def n_persons(self) -> int:
        """Number of distinct persons found."""
        return int(self.records["person_id"].nunique())

    def person_of(self) -> pd.Series:
        """``person_id`` indexed by ``record_id``."""
        return self.records.set_index("record_id")["person_id"]

    def summary(self) -> pd.DataFrame:
        """Records, persons and links by rule, as a small table."""
        rows = [("contact records", len(self.records)), ("persons", self.n_persons)]
        for rule, n in self.links["rule"].value_counts().items():
            rows.append((f"links by {rule}", int(n)))
        rows.append(("pairs for clerical review", len(self.review)))
        return pd.DataFrame(rows, columns=["what", "n"])

    def _repr_html_(self) -> str:
        return "<b>Identity resolution</b>" + self.summary().to_html(index=False)


class _Clock:
    """Wall and CPU seconds per stage (kept in ``params``: where the time of a run went)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._t, self._c = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        t, c = time.perf_counter(), time.process_time()
        self.laps[name] = self.laps.get(name, 0.0) + t - self._t
        self.cpu[name] = self.cpu.get(name, 0.0) + c - self._c
        self._t, self._c = t, c


def _best_links(cand: pd.DataFrame, anchored: np.ndarray, threshold: float, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """Choose, for each unanchored component, its single clear best candidate.

    Returns a boolean ``chosen`` per candidate row and an ``ambiguous`` flag per row (a
    candidate at or above the threshold not chosen because another was nearly as good).
    """
    n = len(cand)
    chosen = np.zeros(n, dtype=bool)
    ambiguous = np.zeros(n, dtype=bool)
    if n == 0:
        return chosen, ambiguous
    l = cand["component_l"].to_numpy()
    r = cand["component_r"].to_numpy()
    p = cand["match_probability"].to_numpy()
    w = cand["match_weight"].to_numpy()
    forced = cand.get("forced", pd.Series(False, index=cand.index)).to_numpy()
    ok = (p >= threshold) | forced
    # both directions: each unanchored side chooses
    side = pd.DataFrame({"row": np.concatenate([np.arange(n), np.arange(n)]),
                         "me": np.concatenate([l, r]), "other": np.concatenate([r, l]),
                         "w": np.concatenate([w, w]), "ok": np.concatenate([ok, ok]),
                         "forced": np.concatenate([forced, forced])})
    chosen[forced] = True  # a reviewer's "accept" links whatever the score and the ids say
    side = side[side["ok"] & ~side["forced"] & ~anchored[side["me"].to_numpy()]]
    if side.empty:
        return chosen, ambiguous
    side = side.assign(w=np.where(side["forced"], np.inf, side["w"]))
    side = side.sort_values(["me", "w"], ascending=[True, False], kind="stable")
    first = ~side["me"].duplicated()
    top_w = side["w"].where(first).ffill()
    second = side[~first].drop_duplicates("me").set_index("me")["w"]
    best = side[first].set_index("me")
    gap = best["w"] - second.reindex(best.index).fillna(-np.inf)
    clear = (gap >= margin) | best["forced"]
    chosen[best.loc[clear, "row"].to_numpy()] = True
    close = side[(top_w - side["w"] < margin) & side["me"].isin(best.index[~clear])]
    ambiguous[close["row"].to_numpy()] = True
    return chosen, ambiguous & ~chosen


def _first_positions(labels: np.ndarray) -> np.ndarray:
    """First row position of each label 0..k-1 (``len(labels)`` where a label is unused)."""
    labels = np.asarray(labels, dtype=np.int64)
    first = np.full(int(labels.max()) + 1 if len(labels) else 0, len(labels), dtype=np.int64)
    np.minimum.at(first, labels, np.arange(len(labels)))
    return first


def _persons(n: int, rule_links: pd.DataFrame, comp: np.ndarray, cand: pd.DataFrame, chosen: np.ndarray) -> np.ndarray:
    """Connected components over rule links plus the chosen component pairs."""
    # a representative record per component
    first_pos = _first_positions(comp)
    a = [rule_links["a"].to_numpy()]
    b = [rule_links["b"].to_numpy()]
    if chosen.any():
        a.append(first_pos[cand["component_l"].to_numpy()[chosen]])
        b.append(first_pos[cand["component_r"].to_numpy()[chosen]])
    return connected_components(n, np.concatenate(a), np.concatenate(b))


def _person_ids(labels: np.ndarray) -> np.ndarray:
    # ordered by first appearance: stable across thresholds for the persons that do not change
    # first position of each label (labels are 0..k-1 from connected components)
    first = _first_positions(labels)
    k = len(first)
    present = first < len(labels)
    uniq_rank = np.empty(k, dtype=np.int64)
    uniq_rank[np.flatnonzero(present)] = np.argsort(np.argsort(first[present], kind="stable"), kind="stable")
    width = max(6, len(str(int(present.sum()))))
    return np.char.add("P", np.char.zfill(uniq_rank[labels].astype(str), width)).astype(object)


def read_decisions(path: str | Path | None) -> pd.DataFrame | None:
    """Read clerical-review decisions saved by the review widget (``None`` when absent)."""
    if path is None:
        return None
    path = Path(path)
    if not path.exists():
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - any parse problem becomes an actionable error
        raise CXLabError(f"cannot read the review decisions: {exc}", file=str(path),
                         fix="delete the file or save it again from the review widget") from None
    try:
        return _decisions_frame(frame)
    except CXLabError as err:
        raise CXLabError(err.problem, file=str(path), column=err.column, rows=err.rows, fix=err.fix) from None


def resolve_identities(records: pd.DataFrame, *, region: str = "RU", scheme: str = "mosmetro",
                       probabilistic: bool = True, threshold: float = DEFAULT_THRESHOLD,
                       margin: float = 3.0, review_from: float = 0.5,
                       max_cluster_size: int = 50, placeholder_min_records: int = 20,
                       placeholder_min_names: int = 3, shared_min_names: int = 3,
                       decisions: pd.DataFrame | Mapping | str | Path | None = None,
                       model: SplinkModel | None = None) -> IdentityResult:
    """Give every contact record a person id.

    Parameters
    ----------
    records
        Contact records (:func:`~cxlab.identity.rules.contact_records`), raw or already
        prepared.
    region, scheme
        Phone region and name transliteration scheme (see :mod:`cxlab.identity.normalize`).
    probabilistic
        Run splink on the residue (needs ``pip install 'cxlab[identity]'``); ``False`` uses
        the deterministic rules only.
    threshold
        Match probability at or above which a residue component joins its best candidate.
    margin
        Match-weight lead (in bits) the best candidate needs over the second; otherwise the
        component joins neither and both pairs go to review.
    review_from
        Pairs from this probability up to ``threshold`` go to clerical review.
    max_cluster_size, placeholder_min_records, placeholder_min_names, shared_min_names
        Giant-cluster guards (see :mod:`cxlab.identity.rules`).
    decisions
        Clerical decisions (``record_id_l``, ``record_id_r``, ``decision`` =
        ``accept``/``reject``), a frame or the CSV written by the review widget. *accept*
        joins the two records' persons whatever the score; *reject* forbids the
        probabilistic link between them (links by a shared key are not overridden: fix the
        key, or flag the value). Decisions naming records that no longer exist are ignored.
    model
        splink comparisons and blocking (default: :class:`SplinkModel` restricted to pairs
        with at least one component without a customer id).

    Returns
    -------
    IdentityResult

    Examples
    --------
    >>> recs = pd.DataFrame({
    ...     "record_id": ["crm:1", "chat:1", "call:1", "call:2"],
    ...     "customer_id": ["1", None, None, None],
    ...     "name": ["Анна Петрова", "Anna Petrova", "Петрова Анна", "Олег"],
    ...     "email": ["anna.p@mail.ru", " ANNA.P@MAIL.RU", None, None],
    ...     "phone": ["+7 912 345-67-80", None, "8 912 345 67 80", "+7 (900) 000-00-00"]})
    >>> res = resolve_identities(recs, probabilistic=False)
    >>> print(res.records[["record_id", "person_id", "joined_by"]].to_string())
      record_id person_id joined_by
    0     crm:1   P000000      rule
    1    chat:1   P000000      rule
    2    call:1   P000000      rule
    3    call:2   P000001     alone
    """
    if not 0 < threshold <= 1 or not 0 <= review_from <= threshold:
        raise CXLabError(f"threshold must be in (0, 1] and review_from in [0, threshold]; got {threshold}, {review_from}",
                         fix="use e.g. threshold=0.95, review_from=0.5")
    clock = _Clock()
    prepared = _prepared(records, region=region, scheme=scheme)
    n = len(prepared)
    clock.lap("normalise")
    flagged = find_placeholders(prepared, min_records=placeholder_min_records, min_names=placeholder_min_names,
                                shared_min_names=shared_min_names)
    clock.lap("guards")
    links = deterministic_links(prepared, flagged=flagged)
    links, broken = cap_cluster_size(links, n, max_cluster_size=max_cluster_size, names=prepared["name_key"])
    comp = connected_components(n, links["a"].to_numpy(), links["b"].to_numpy())
    clock.lap("rules")
    if isinstance(decisions, (str, Path)):
        decisions = read_decisions(decisions)
    dec = _decisions_frame(decisions)
    cand, info = _candidates(prepared, flagged, comp, clock, probabilistic=probabilistic, model=model,
                             min_probability=min(review_from, threshold))
    clock.lap("splink")
    anchored = np.zeros(comp.max() + 1 if n else 0, dtype=bool)
    if n:
        anchored[comp[prepared["customer_key"].notna().to_numpy()]] = True
    cand = cand.astype({"component_l": np.int64, "component_r": np.int64})
    cand["forced"] = False
    rid = prepared["record_id"].to_numpy()
    if len(dec):
        cand, dec = _apply_decisions(cand, dec, comp, rid)
    chosen, ambiguous = _best_links(cand, anchored, threshold, margin)
    cand["chosen"] = chosen
    cand["ambiguous"] = ambiguous
    labels = _persons(n, links, comp, cand, chosen)
    person = _person_ids(labels)

    # outputs
    first_pos = _first_positions(comp) if n else np.zeros(0, dtype=np.int64)
    all_links = _output_links(links, cand, chosen, rid, first_pos)
    joined = _joined_by(links, cand, chosen, comp, labels)
    out = prepared.assign(component=comp, person_id=person, joined_by=joined)
    review_mask = ~cand["chosen"] & ((cand["match_probability"] >= review_from) | cand["ambiguous"])
    review = cand[review_mask].copy()
    review["record_id_l"] = _ids(rid, first_pos[review["component_l"].to_numpy()]).set_axis(review.index)
    review["record_id_r"] = _ids(rid, first_pos[review["component_r"].to_numpy()]).set_axis(review.index)
    review = review.sort_values("match_probability", ascending=False, kind="stable").reset_index(drop=True)

    params = {"region": region, "scheme": scheme, "probabilistic": probabilistic, "threshold": threshold,
              "margin": margin, "review_from": review_from, "max_cluster_size": max_cluster_size,
              "n_decisions": len(dec), **info}
    clock.lap("persons and outputs")
    params["seconds"] = clock.laps
    params["cpu_seconds"] = clock.cpu
    return IdentityResult(records=out, links=all_links, candidates=cand, flagged=flagged, broken=broken,
                          review=review, params=params)


def _prepared(records: pd.DataFrame, *, region: str, scheme: str) -> pd.DataFrame:
    """The records with their normalised keys (computed unless given), numbered from 0."""
    prepared = records if "email_key" in records.columns else prepare_records(records, region=region, scheme=scheme)
    prepared = prepared.reset_index(drop=True)
    for c in ("customer_key",):
        if c not in prepared.columns:
            prepared[c] = pd.NA
    return prepared


def _candidates(prepared: pd.DataFrame, flagged: pd.DataFrame, comp: np.ndarray, clock: _Clock, *,
                probabilistic: bool, model: SplinkModel | None,
                min_probability: float) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Candidate links between components scored by splink (none without ``probabilistic``), and its info."""
    cand = pd.DataFrame({"component_l": pd.Series(dtype=np.int64), "component_r": pd.Series(dtype=np.int64),
                         "match_weight": pd.Series(dtype=float), "match_probability": pd.Series(dtype=float)})
    info: dict[str, Any] = {"pairs_compared": 0, "prior": np.nan, "m_u": pd.DataFrame()}
    if not probabilistic:
        return cand, info
    # flagged values (placeholders, shared contacts, values of several customer ids) are
    # evidence of nothing: hide them from splink, or equality on them would score as a match
    masked = prepared[["customer_key", "given", "family", "n_words", "email_key", "phone_key"]]
    for key in ("email", "phone"):
        bad = flagged.loc[flagged["key"] == key, "value"].astype(object).to_numpy() if len(flagged) else []
        if len(bad):
            col = f"{key}_key"
            hit = pd.Index(bad, dtype=object).get_indexer(masked[col].astype(object)) >= 0
            masked = masked.assign(**{col: masked[col].where(~hit)})
    comps = component_table(masked, comp)
    clock.lap("residue table")
    if (~comps["anchored"]).any() and comps["family"].notna().sum() >= 2:
        model = model or SplinkModel(
            # candidate pairs: same given and family name, never two groups that both carry customer
            # ids. (A looser rule on the family name's first letters multiplied the pairs by ~100 at
            # 1M records — tens of millions of pairs, over 10 GB — for no link on the demo.)
            blocking=("l.given = r.given and l.family = r.family and not (l.anchored and r.anchored)",),
            em_blocking=("l.family = r.family", "l.given = r.given and substr(l.family, 1, 1) = substr(r.family, 1, 1)"),
        )
        pairs, info = splink_pairs(comps[["unique_id", "anchored", "given", "family", "email", "phone"]], model,
                                   min_probability=min_probability)
        info = {**info, "splink_rows": len(comps), "residue_components": int((~comps["anchored"]).sum())}
        cand = pairs.rename(columns={"unique_id_l": "component_l", "unique_id_r": "component_r"})
    return cand, info


def _apply_decisions(cand: pd.DataFrame, dec: pd.DataFrame, comp: np.ndarray,
                     rid: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clerical decisions: *reject* removes a candidate, *accept* adds a forced one; returns (candidates, the
    decisions about records that still exist)."""
    n = len(rid)
    pos = pd.Series(np.arange(n), index=rid)
    known = dec["record_id_l"].isin(pos.index) & dec["record_id_r"].isin(pos.index)
    dec = dec[known]
    cl_ = comp[pos.reindex(dec["record_id_l"]).to_numpy()]
    cr_ = comp[pos.reindex(dec["record_id_r"]).to_numpy()]
    key = lambda a, b: np.minimum(a, b) * (n + 1) + np.maximum(a, b)  # noqa: E731
    ck = key(cand["component_l"].to_numpy(), cand["component_r"].to_numpy())
    rejected = set(key(cl_, cr_)[(dec["decision"] == "reject").to_numpy()])
    cand = cand[~_isin_ints(ck, np.fromiter(rejected, dtype=np.int64))].reset_index(drop=True)
    acc = (dec["decision"] == "accept").to_numpy() & (cl_ != cr_)
    if acc.any():
        forced = pd.DataFrame({"component_l": cl_[acc], "component_r": cr_[acc], "match_weight": np.inf,
                               "match_probability": 1.0, "forced": True})
        cand = pd.concat([cand, forced], ignore_index=True)
    return cand, dec


def _ids(rid: np.ndarray, pos: np.ndarray) -> pd.Series:
    """Record ids at positions, kept as Python strings: no conversion of millions."""
    return pd.Series(rid[pos], dtype=object)


def _output_links(links: pd.DataFrame, cand: pd.DataFrame, chosen: np.ndarray, rid: np.ndarray,
                  first_pos: np.ndarray) -> pd.DataFrame:
    """Every link made, by record id: the rules' links, then the chosen probabilistic and reviewed ones."""
    out_links = [pd.DataFrame({"record_id_l": _ids(rid, links["a"].to_numpy()),
                               "record_id_r": _ids(rid, links["b"].to_numpy()),
                               "rule": links["rule"].to_numpy(), "match_probability": np.nan})]
    if chosen.any():
        ch = cand[chosen]
        out_links.append(pd.DataFrame({
            "record_id_l": _ids(rid, first_pos[ch["component_l"].to_numpy()]),
            "record_id_r": _ids(rid, first_pos[ch["component_r"].to_numpy()]),
            "rule": np.where(ch["forced"], "review", "probability"), "match_probability": ch["match_probability"].to_numpy()}))
    return pd.concat(out_links, ignore_index=True)


def _joined_by(links: pd.DataFrame, cand: pd.DataFrame, chosen: np.ndarray, comp: np.ndarray,
               labels: np.ndarray) -> np.ndarray:
    """How each record joined its person: review, probability, rule, or alone."""
    in_rule = np.zeros(len(comp), dtype=bool)
    in_rule[links["a"].to_numpy()] = True
    in_rule[links["b"].to_numpy()] = True
    chosen_comps = set(cand.loc[chosen & ~cand["forced"], ["component_l", "component_r"]].to_numpy().ravel())
    forced_comps = set(cand.loc[chosen & cand["forced"], ["component_l", "component_r"]].to_numpy().ravel())
    size = np.bincount(labels)[labels]
    return np.where(_isin_ints(comp, np.fromiter(forced_comps, dtype=np.int64)), "review",
                    np.where(_isin_ints(comp, np.fromiter(chosen_comps, dtype=np.int64)), "probability",
                             np.where(in_rule, "rule", np.where(size > 1, "rule", "alone"))))


def persons_at_threshold(result: IdentityResult, threshold: float) -> pd.Series:
    """Person id of every record had ``threshold`` been used (no re-training, no re-scoring).

    Reuses the deterministic components and splink's scores kept in ``result``, so a
    threshold sweep costs one connected-components pass per threshold.

    Returns
    -------
    pandas.Series
        ``person_id`` indexed like ``result.records``.
    """
    rec = result.records
    n = len(rec)
    comp = rec["component"].to_numpy()
    anchored = np.zeros(comp.max() + 1 if n else 0, dtype=bool)
    anchored[comp[rec["customer_key"].notna().to_numpy()]] = True
    cand = result.candidates
    chosen, _ = _best_links(cand, anchored, threshold, result.params.get("margin", 3.0))
    # rule links, as positions
    pos = pd.Series(np.arange(n), index=rec["record_id"].to_numpy())
    rl = result.links[~result.links["rule"].isin(["probability", "review"])]
    rule_links = pd.DataFrame({"a": pos.reindex(rl["record_id_l"]).to_numpy(),
                               "b": pos.reindex(rl["record_id_r"]).to_numpy()})
    labels = _persons(n, rule_links, comp, cand, chosen)
    return pd.Series(_person_ids(labels), index=rec.index, name="person_id")


def resolve_tables(tables: Any, **kwargs: Any) -> IdentityResult:
    """:func:`resolve_identities` on the ``customers``, ``interactions`` and ``survey_responses``
    of a loaded data set (``cxlab.datasets.load_tables(...)`` or ``load_example()``)."""
    recs = contact_records(customers=getattr(tables, "customers", None),
                           interactions=getattr(tables, "interactions", None),
                           survey_responses=getattr(tables, "survey_responses", None))
    return resolve_identities(recs, **kwargs)


