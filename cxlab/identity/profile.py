"""The unified customer profile and one person's cross-channel timeline.

What a CRM's "one profile" shows: for every person found by
:func:`~cxlab.identity.resolve.resolve_identities`, every source id, the channels used,
first and last contact per channel, how many distinct e-mails and phones they gave,
purchases and survey answers. These tables feed the channel audit (one person id per
contact) and the survey-versus-behaviour theme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.identity.resolve import IdentityResult

__all__ = ["customer_profiles", "person_of_customer", "person_timeline"]


def person_of_customer(result: IdentityResult) -> pd.Series:
    """``person_id`` for every customer id seen (to attach transactions and surveys).

    Returns
    -------
    pandas.Series
        Indexed by customer id (``customer_key``), values ``person_id``.
    """
    rec = result.records.dropna(subset=["customer_key"])
    return rec.drop_duplicates("customer_key").set_index("customer_key")["person_id"]


def customer_profiles(result: IdentityResult, *, transactions: pd.DataFrame | None = None,
                      survey_responses: pd.DataFrame | None = None,
                      score: str = "likelihood_to_recommend") -> pd.DataFrame:
    """One row per person: ids, channels, contact dates per channel, contacts, purchases, answers.

    Parameters
    ----------
    result
        Output of :func:`~cxlab.identity.resolve.resolve_identities`.
    transactions
        Canonical transactions (``customer_id``, ``timestamp``, ``amount``); optional.
    survey_responses
        Canonical survey responses; optional. Responses are attributed through their
        record (so answers given by e-mail or phone without a customer id count too).
    score
        The 0–10 column of the survey.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``. Columns: ``customer_ids`` and ``source_ids`` (lists),
        ``n_records``, ``channels`` (sorted list of channels contacted through),
        ``n_channels``, ``first_contact``, ``last_contact``, ``first_<channel>`` and
        ``last_<channel>`` for every channel, ``n_emails``, ``n_phones``, ``n_handles``
        (distinct normalised contacts, never the values), ``joined_by`` (strongest way a
        record joined: rule < probability < review), then ``purchases``, ``revenue``,
        ``first_purchase``, ``last_purchase`` when transactions are given, and
        ``responses``, ``mean_score``, ``last_score`` when a survey is given.
    """
    rec = result.records
    g = rec.groupby("person_id", sort=True)
    out = pd.DataFrame({
        "customer_ids": g["customer_key"].agg(lambda s: sorted(pd.unique(s.dropna()).tolist())),
        "source_ids": g["record_id"].agg(list),
        "n_records": g.size(),
    })
    contacts = rec[rec["channel"].notna() & (rec["channel"] != "crm")]
    gc = contacts.groupby("person_id")
    out["channels"] = gc["channel"].agg(lambda s: sorted(pd.unique(s).tolist())).reindex(out.index)
    out["channels"] = out["channels"].apply(lambda v: v if isinstance(v, list) else [])
    out["n_channels"] = out["channels"].str.len()
    out["first_contact"] = gc["timestamp"].min().reindex(out.index)
    out["last_contact"] = gc["timestamp"].max().reindex(out.index)
    if len(contacts):
        span = contacts.groupby(["person_id", "channel"])["timestamp"].agg(["min", "max"]).unstack("channel")
        for ch in sorted(contacts["channel"].dropna().unique()):
            out[f"first_{ch}"] = span[("min", ch)].reindex(out.index)
            out[f"last_{ch}"] = span[("max", ch)].reindex(out.index)
    for col, name in (("email_key", "n_emails"), ("phone_key", "n_phones"), ("handle_key", "n_handles")):
        out[name] = g[col].nunique() if col in rec.columns else 0
    rank = {"alone": 0, "rule": 1, "probability": 2, "review": 3}
    out["joined_by"] = g["joined_by"].agg(lambda s: max(s, key=lambda v: rank.get(v, 0)))

    if transactions is not None and len(transactions):
        need = {"customer_id", "amount"}
        if not need <= set(transactions.columns):
            raise CXLabError(f"transactions need the columns {sorted(need)}", fix="load them with cxlab.datasets.load_tables")
        pmap = person_of_customer(result)
        tx = transactions.assign(person_id=transactions["customer_id"].astype(str).str.strip().map(pmap))
        tx = tx.dropna(subset=["person_id"])
        gt = tx.groupby("person_id")
        out["purchases"] = gt.size().reindex(out.index).fillna(0).astype(int)
        out["revenue"] = gt["amount"].sum().reindex(out.index).fillna(0.0)
        if "timestamp" in tx.columns:
            out["first_purchase"] = gt["timestamp"].min().reindex(out.index)
            out["last_purchase"] = gt["timestamp"].max().reindex(out.index)
    if survey_responses is not None and len(survey_responses):
        sv = _survey_with_person(result, survey_responses)
        gs = sv.groupby("person_id")
        out["responses"] = gs.size().reindex(out.index).fillna(0).astype(int)
        if score in sv.columns:
            out["mean_score"] = gs[score].mean().reindex(out.index)
            last = sv.sort_values("submitted_at", kind="stable") if "submitted_at" in sv.columns else sv
            out["last_score"] = last.groupby("person_id")[score].last().reindex(out.index)
    return out


def _survey_with_person(result: IdentityResult, survey: pd.DataFrame) -> pd.DataFrame:
    rid = "survey_responses:" + survey["response_id"].astype(str)
    pmap = result.records.set_index("record_id")["person_id"]
    return survey.assign(person_id=rid.map(pmap).to_numpy()).dropna(subset=["person_id"])


def person_timeline(result: IdentityResult, person_id: str, *, interactions: pd.DataFrame | None = None,
                    transactions: pd.DataFrame | None = None, survey_responses: pd.DataFrame | None = None,
                    key: str | bytes | None = None, score: str = "likelihood_to_recommend") -> pd.DataFrame:
    """Every contact, purchase and survey answer of one person, in time order — pseudonymised.

    Names, e-mails, phones, handles and free text are never included; the person and the
    source records appear only as keyed pseudonyms (:func:`cxlab.privacy.pseudonymise`)
    when ``key`` is given, and as ``#1``, ``#2``… otherwise.

    Parameters
    ----------
    result
        Output of :func:`~cxlab.identity.resolve.resolve_identities`.
    person_id
        The person to show.
    interactions, transactions, survey_responses
        Canonical tables, for the details (topic and outcome, amount and category, scores).
    key
        Pseudonymisation key (``cxlab.privacy.resolve_key(...)`` in notebooks).

    Returns
    -------
    pandas.DataFrame
        ``when``, ``channel``, ``event`` (``contact``, ``purchase``, ``survey``), ``detail``,
        ``record`` (pseudonym of the source record), ``joined_by``, ``person``.
    """
    rec = result.records
    mine = rec[rec["person_id"] == person_id]
    if mine.empty:
        raise CXLabError(f"no person {person_id!r} in this result", fix="pick a person_id from result.records")
    rows = []
    inter = interactions.set_index(interactions["interaction_id"].astype(str)) if interactions is not None else None
    for r in mine.itertuples(index=False):
        if r.source == "customers":
            rows.append({"when": r.timestamp, "channel": "crm", "event": "signed up", "detail": "",
                         "record": r.record_id, "joined_by": r.joined_by})
        elif r.source == "interactions":
            detail = ""
            if inter is not None and r.source_id in inter.index:
                row = inter.loc[r.source_id]
                bits = [str(row[c]) for c in ("topic",) if c in row.index and pd.notna(row[c])]
                if "resolved" in row.index and pd.notna(row["resolved"]):
                    bits.append("resolved" if bool(row["resolved"]) else "not resolved")
                detail = ", ".join(bits)
            rows.append({"when": r.timestamp, "channel": r.channel, "event": "contact", "detail": detail,
                         "record": r.record_id, "joined_by": r.joined_by})
        elif r.source == "survey_responses":
            detail = ""
            if survey_responses is not None and score in survey_responses.columns:
                s = survey_responses.loc[survey_responses["response_id"].astype(str) == r.source_id, score]
                if len(s) and pd.notna(s.iloc[0]):
                    detail = f"{score.replace('_', ' ')} {int(s.iloc[0])}"
            rows.append({"when": r.timestamp, "channel": r.channel, "event": "survey", "detail": detail,
                         "record": r.record_id, "joined_by": r.joined_by})
    if transactions is not None and len(transactions):
        ids = set(mine["customer_key"].dropna())
        tx = transactions[transactions["customer_id"].astype(str).str.strip().isin(ids)]
        for t in tx.itertuples(index=False):
            d = getattr(t, "amount", np.nan)
            cat = getattr(t, "category", None)
            detail = (f"{cat}, " if isinstance(cat, str) else "") + (f"{d:,.0f}" if pd.notna(d) else "")
            rows.append({"when": getattr(t, "timestamp", pd.NaT), "channel": getattr(t, "channel", None),
                         "event": "purchase", "detail": detail, "record": f"transactions:{t.transaction_id}"
                         if hasattr(t, "transaction_id") else "transactions", "joined_by": "customer id"})
    out = pd.DataFrame(rows, columns=["when", "channel", "event", "detail", "record", "joined_by"])
    out = out.sort_values("when", kind="stable").reset_index(drop=True)
    if key is not None:
        from cxlab.privacy import pseudonymise

        out["record"] = pseudonymise(out["record"], key=key).astype(object)
        out["person"] = pseudonymise(person_id, key=key)
    else:
        out["record"] = [f"#{i}" for i in range(1, len(out) + 1)]
        out["person"] = "this person"
    return out
