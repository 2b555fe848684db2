"""Match report, accuracy against known person ids, fragmentation audit, threshold sensitivity.

Pairwise precision and recall are the standard measures of entity resolution (Christen,
*Data Matching*, Springer 2012, ch. 7): over all pairs of records, a pair is a true
positive when the resolution puts both records in one person and the truth does too.
They are computed here from the contingency table of predicted × true clusters, never
by listing pairs, so they cost one group-by at any size (checked in the tests against
scikit-learn's ``pair_confusion_matrix``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.identity.resolve import IdentityResult, persons_at_threshold

__all__ = [
    "pairwise_scores",
    "links_by_rule",
    "probability_bands",
    "cluster_sizes",
    "conflicts",
    "accuracy",
    "fragmentation_audit",
    "threshold_sensitivity",
    "true_persons",
    "PROBABILITY_BANDS",
]

#: Probability bands used by the match report.
PROBABILITY_BANDS = (0.5, 0.8, 0.95, 0.99, 1.0)


def _c2(x: np.ndarray) -> int:
    x = np.asarray(x, dtype=np.int64)
    return int((x * (x - 1) // 2).sum())


def pairwise_scores(predicted: Any, truth: Any) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the true clusters.

    Parameters
    ----------
    predicted, truth
        Cluster label per record (same length, any hashable labels). Records with a
        missing true label are left out.

    Returns
    -------
    dict
        ``true_pairs``, ``predicted_pairs``, ``correct_pairs``, ``precision``, ``recall``,
        ``f1`` (``nan`` when undefined, e.g. no predicted pair).

    Examples
    --------
    >>> s = pairwise_scores(["a", "a", "a", "b"], [1, 1, 2, 2])
    >>> s["correct_pairs"], s["predicted_pairs"], s["true_pairs"], round(s["f1"], 3)
    (1, 3, 2, 0.4)
    """
    df = pd.DataFrame({"p": np.asarray(predicted, dtype=object), "t": np.asarray(truth, dtype=object)})
    if len(df) != len(np.asarray(truth, dtype=object)):
        raise CXLabError("predicted and true labels differ in length", fix="align them on the same records")
    df = df[df["t"].notna() & df["p"].notna()]
    tp = _c2(df.groupby(["p", "t"], sort=False).size().to_numpy())
    pp = _c2(df.groupby("p", sort=False).size().to_numpy())
    tt = _c2(df.groupby("t", sort=False).size().to_numpy())
    prec = tp / pp if pp else float("nan")
    rec = tp / tt if tt else float("nan")
    f1 = 2 * prec * rec / (prec + rec) if pp and tt and (prec + rec) > 0 else float("nan")
    return {"true_pairs": tt, "predicted_pairs": pp, "correct_pairs": tp, "precision": prec, "recall": rec, "f1": f1}


def links_by_rule(result: IdentityResult) -> pd.DataFrame:
    """Links and records joined, by rule (customer id, e-mail, phone, handle, probability, review).

    Returns
    -------
    pandas.DataFrame
        ``rule``, ``links``, ``records`` (distinct records touched by those links).
    """
    lk = result.links
    rows = []
    for rule, sub in lk.groupby("rule", sort=False):
        recs = pd.unique(np.concatenate([sub["record_id_l"].to_numpy(), sub["record_id_r"].to_numpy()]))
        rows.append({"rule": rule, "links": len(sub), "records": len(recs)})
    order = {r: i for i, r in enumerate(("customer_id", "email", "phone", "handle", "probability", "review"))}
    out = pd.DataFrame(rows, columns=["rule", "links", "records"])
    return out.sort_values("rule", key=lambda s: s.map(order).fillna(99), kind="stable").reset_index(drop=True)


def probability_bands(result: IdentityResult, bands: tuple[float, ...] = PROBABILITY_BANDS) -> pd.DataFrame:
    """Scored candidate pairs by match-probability band, and how many became links.

    Returns
    -------
    pandas.DataFrame
        ``band`` (e.g. ``"0.95–0.99"``), ``low``, ``high``, ``pairs``, ``linked``,
        ``ambiguous`` (at or above the threshold but with a near-equal rival).
    """
    cand = result.candidates
    cand = cand[~cand.get("forced", pd.Series(False, index=cand.index)).astype(bool)]
    rows = []
    for lo, hi in zip(bands[:-1], bands[1:]):
        last = hi >= 1.0
        sel = (cand["match_probability"] >= lo) & ((cand["match_probability"] <= hi) if last else (cand["match_probability"] < hi))
        rows.append({"band": f"{lo:g}–{hi:g}", "low": lo, "high": hi, "pairs": int(sel.sum()),
                     "linked": int((sel & cand["chosen"]).sum()), "ambiguous": int((sel & cand["ambiguous"]).sum())})
    return pd.DataFrame(rows)


def cluster_sizes(result: IdentityResult, *, person: pd.Series | None = None) -> pd.DataFrame:
    """How many persons have 1, 2, 3… records.

    Returns
    -------
    pandas.DataFrame
        ``records`` (cluster size), ``persons``, ``share`` (of persons).
    """
    person = result.records["person_id"] if person is None else person
    sizes = person.value_counts().value_counts().sort_index()
    out = pd.DataFrame({"records": sizes.index.astype(int), "persons": sizes.to_numpy()})
    out["share"] = out["persons"] / out["persons"].sum()
    return out


def conflicts(result: IdentityResult) -> pd.DataFrame:
    """Contact values flagged by the guards, counted by key and reason (no values shown).

    Returns
    -------
    pandas.DataFrame
        ``key``, ``reason``, ``values``, ``records``, ``blocked`` (the values link nothing).
    """
    fl = result.flagged
    if fl.empty:
        return pd.DataFrame(columns=["key", "reason", "values", "records", "blocked"])
    out = (fl.groupby(["key", "reason"], sort=False)
             .agg(values=("value", "size"), records=("n_records", "sum"), blocked=("blocked", "all")).reset_index())
    brk = result.broken
    if len(brk):
        extra = brk.groupby("rule").agg(values=("value", "size"), records=("n_links", "sum")).reset_index()
        extra = extra.rename(columns={"rule": "key"}).assign(reason="broken by the cluster-size cap", blocked=True)
        out = pd.concat([out, extra[out.columns]], ignore_index=True)
    return out


def accuracy(result: IdentityResult, truth: pd.Series) -> pd.DataFrame:
    """Pairwise precision, recall and F1 of the rules alone and of the full resolution.

    Parameters
    ----------
    result
        Output of :func:`~cxlab.identity.resolve.resolve_identities`.
    truth
        True person id indexed by ``record_id`` (records missing from it are left out).

    Returns
    -------
    pandas.DataFrame
        One row per stage (``"deterministic rules"``, ``"rules + probabilistic"``) with
        ``records``, ``persons``, ``true_persons`` and the :func:`pairwise_scores` columns.
    """
    rec = result.records
    t = rec["record_id"].map(truth)
    if t.notna().sum() == 0:
        raise CXLabError("none of the records has a true person id", fix="pass truth indexed by record_id")
    rows = []
    for stage, labels in (("deterministic rules", rec["component"]), ("rules + probabilistic", rec["person_id"])):
        s = pairwise_scores(labels.to_numpy(), t.to_numpy())
        rows.append({"stage": stage, "records": int(t.notna().sum()), "persons": int(labels[t.notna()].nunique()),
                     "true_persons": int(t.nunique()), **s})
    return pd.DataFrame(rows)


def fragmentation_audit(result: IdentityResult) -> pd.DataFrame:
    """How fragmented the customers were before resolution, and what resolution changed.

    *Before* counts what a report without identity resolution sees: every customer id is
    one customer, and every record without one (a call, a chat, a survey answer given by
    e-mail) is a customer of its own.

    Returns
    -------
    pandas.DataFrame
        ``measure``, ``value`` with: records; customers before resolution; persons after
        resolution; change in the customer count (%); persons seen in 2+ channels;
        persons fragmented before resolution (their records counted as 2+ customers);
        records without a customer id; of which attributed to a person with a customer id.
    """
    rec = result.records
    ck = rec["customer_key"]
    naive = ck.astype(object).where(ck.notna(), "rec:" + rec["record_id"].astype(str))
    before = int(naive.nunique())
    after = int(rec["person_id"].nunique())
    chan = rec.loc[rec["channel"].notna() & (rec["channel"] != "crm")]
    multi = int((chan.groupby("person_id")["channel"].nunique() >= 2).sum())
    frag = int((pd.DataFrame({"p": rec["person_id"], "n": naive}).groupby("p")["n"].nunique() >= 2).sum())
    no_id = ck.isna()
    anchored_person = rec.groupby("person_id")["customer_key"].transform(lambda s: s.notna().any())
    rows = [
        ("contact records", len(rec)),
        ("customers before resolution", before),
        ("persons after resolution", after),
        ("change in customer count (%)", 100.0 * (after - before) / before if before else float("nan")),
        ("persons seen in 2+ channels", multi),
        ("persons fragmented before resolution", frag),
        ("records without a customer id", int(no_id.sum())),
        ("of which attributed to a known customer", int((no_id & anchored_person).sum())),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


def threshold_sensitivity(result: IdentityResult, thresholds: Any = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99),
                          *, survey_responses: pd.DataFrame | None = None, score: str = "likelihood_to_recommend",
                          channel: str = "channel", min_base: int = 30) -> pd.DataFrame:
    """Customer count and person-level NPS by channel as the match threshold moves.

    For each threshold the residue is re-clustered from the stored splink scores (no
    re-training) and the NPS by channel is computed with each person counted once per
    channel (their latest answer there), through :func:`cxlab.nps.nps_table`.

    Returns
    -------
    pandas.DataFrame
        Long table: ``threshold``, ``persons``, and when a survey is given ``channel``,
        ``n`` (persons answering), ``estimate`` (NPS), ``ci_low``, ``ci_high``.
    """
    thresholds = sorted(float(t) for t in thresholds)
    rec = result.records
    rows = []
    resp = None
    if survey_responses is not None and len(survey_responses):
        if score not in survey_responses.columns or channel not in survey_responses.columns:
            raise CXLabError(f"the survey has no {score!r} or {channel!r} column",
                             fix="pass score= and channel= naming the 0–10 and channel columns")
        rid = "survey_responses:" + survey_responses["response_id"].astype(str)
        resp = pd.DataFrame({"record_id": rid.to_numpy(), "channel": survey_responses[channel].to_numpy(),
                             "score": survey_responses[score].to_numpy(),
                             "at": pd.to_datetime(survey_responses.get("submitted_at"), errors="coerce").to_numpy()
                             if "submitted_at" in survey_responses.columns else np.arange(len(survey_responses))})
    for t in thresholds:
        person = persons_at_threshold(result, t)
        base = {"threshold": t, "persons": int(person.nunique())}
        if resp is None:
            rows.append(pd.DataFrame([base]))
            continue
        from cxlab.nps import nps_table  # analysis module, imported only when a survey is given

        pmap = pd.Series(person.to_numpy(), index=rec["record_id"].to_numpy())
        r = resp.assign(person=resp["record_id"].map(pmap)).dropna(subset=["person", "score"])
        latest = r.sort_values("at", kind="stable").drop_duplicates(["person", "channel"], keep="last")
        latest = latest.rename(columns={"score": "likelihood_to_recommend"})
        tab = nps_table(latest, score="likelihood_to_recommend", by="channel", min_base=min_base, progress=False)
        tab = tab[["channel", "n", "estimate", "ci_low", "ci_high"]].assign(**base)
        rows.append(tab)
    out = pd.concat(rows, ignore_index=True)
    first = ["threshold", "persons"]
    return out[first + [c for c in out.columns if c not in first]]


def true_persons(truth: Any, customers: pd.DataFrame | None = None) -> pd.Series:
    """True person id of every record, from a demo's planted truth (``tables.truth``).

    Parameters
    ----------
    truth
        :class:`cxlab.datasets.Truth` (its ``interactions`` and ``survey`` tables name the
        true customer behind every contact and answer).
    customers
        The customer table (each customer row is its own person).

    Returns
    -------
    pandas.Series
        True ``customer_id`` indexed by ``record_id`` (as built by
        :func:`~cxlab.identity.rules.contact_records`).
    """
    parts = []
    if customers is not None and len(customers):
        ids = customers["customer_id"].astype(str)
        parts.append(pd.Series(ids.to_numpy(), index=("customers:" + ids).to_numpy()))
    ti = getattr(truth, "interactions", None)
    if ti is not None and len(ti):
        parts.append(pd.Series(ti["customer_id"].to_numpy(), index=("interactions:" + ti["interaction_id"].astype(str)).to_numpy()))
    ts = getattr(truth, "survey", None)
    if ts is not None and len(ts):
        parts.append(pd.Series(ts["customer_id"].to_numpy(), index=("survey_responses:" + ts["response_id"].astype(str)).to_numpy()))
    if not parts:
        raise CXLabError("the truth holds no person ids", fix="pass tables.truth of the demo company")
    return pd.concat(parts)
