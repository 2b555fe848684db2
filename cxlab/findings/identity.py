"""Plain-language findings of identity resolution (what notebook 04, part 1 prints).

Every function takes the result tables of :mod:`cxlab.identity.report` and returns one
sentence with its numbers; a sentence claims only what its table shows.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["links_sentence", "fragmentation_sentence", "accuracy_sentence", "guards_sentence",
           "sensitivity_sentence", "profile_sentence"]


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def links_sentence(links: pd.DataFrame, n_records: int) -> str:
    """How the records were joined (input: :func:`cxlab.identity.links_by_rule`).

    Examples
    --------
    >>> t = pd.DataFrame({"rule": ["customer_id", "phone", "probability"], "links": [50, 30, 2],
    ...                   "records": [80, 40, 4]})
    >>> links_sentence(t, 200)
    'Of 200 contact records, 80 share a customer id, 40 share a phone number and 4 were joined by probability (splink).'
    """
    label = {"customer_id": "a customer id", "email": "an e-mail address", "phone": "a phone number",
             "handle": "a social handle"}
    parts = [f"{int(r.records):,} share {label[r.rule]}" for r in links.itertuples() if r.rule in label]
    prob = links.loc[links["rule"] == "probability", "records"].sum()
    rev = links.loc[links["rule"] == "review", "records"].sum()
    if prob:
        parts.append(f"{int(prob):,} were joined by probability (splink)")
    if rev:
        parts.append(f"{int(rev):,} by a reviewer's decision")
    if not parts:
        return f"None of the {n_records:,} contact records shares a key with another: every record stands alone."
    body = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"Of {n_records:,} contact records, {body}."


def fragmentation_sentence(audit: pd.DataFrame) -> str:
    """The customer count before and after resolution (input: :func:`cxlab.identity.fragmentation_audit`).

    Examples
    --------
    >>> a = pd.DataFrame({"measure": ["customers before resolution", "persons after resolution",
    ...                               "persons seen in 2+ channels", "persons fragmented before resolution",
    ...                               "records without a customer id", "of which attributed to a known customer"],
    ...                   "value": [1500, 1000, 300, 250, 800, 600]})
    >>> print(fragmentation_sentence(a))  # doctest: +NORMALIZE_WHITESPACE
    Counting every unidentified contact as a new customer gives 1,500 customers; after resolution there are 1,000
    persons (-33 %). 300 persons use two or more channels and 250 were split into several 'customers' before; 600 of
    800 contacts without a customer id were attributed to a known customer.
    """
    v = audit.set_index("measure")["value"]
    before, after = v["customers before resolution"], v["persons after resolution"]
    change = (after - before) / before if before else float("nan")
    return (f"Counting every unidentified contact as a new customer gives {before:,.0f} customers; after resolution "
            f"there are {after:,.0f} persons ({change * 100:+.0f} %). {v['persons seen in 2+ channels']:,.0f} persons "
            f"use two or more channels and {v['persons fragmented before resolution']:,.0f} were split into several "
            f"'customers' before; {v['of which attributed to a known customer']:,.0f} of "
            f"{v['records without a customer id']:,.0f} contacts without a customer id were attributed to a known "
            f"customer.")


def accuracy_sentence(acc: pd.DataFrame) -> str:
    """Precision and recall against known person ids (input: :func:`cxlab.identity.accuracy`).

    Examples
    --------
    >>> acc = pd.DataFrame({"stage": ["deterministic rules", "rules + probabilistic"], "precision": [0.998, 0.995],
    ...                     "recall": [0.78, 0.79], "f1": [0.876, 0.881], "true_pairs": [26000, 26000]})
    >>> accuracy_sentence(acc)[:95]
    'Against the true person ids, the deterministic rules are right about 99.8 % of the pairs they p'
    """
    r = acc.set_index("stage")
    d, f = r.loc["deterministic rules"], r.loc["rules + probabilistic"]
    return (f"Against the true person ids, the deterministic rules are right about {_pct(d.precision)} of the pairs "
            f"they put together and find {_pct(d.recall)} of the true pairs; adding probabilistic matching gives "
            f"precision {_pct(f.precision)} and recall {_pct(f.recall)} (F1 {f.f1:.3f}, "
            f"{int(f.true_pairs):,} true pairs). The pairs still missed are contacts that carry only a name shared by "
            f"several customers: no method can attribute them safely.")


def guards_sentence(conf: pd.DataFrame) -> str:
    """What the giant-cluster guards caught (input: :func:`cxlab.identity.conflicts`).

    Examples
    --------
    >>> c = pd.DataFrame({"key": ["email"], "reason": ["listed placeholder"], "values": [2], "records": [40],
    ...                   "blocked": [True]})
    >>> guards_sentence(c)
    'The guards held back 2 contact values used by 40 records: email, listed placeholder: 2 values (40 records).'
    """
    if conf.empty:
        return ("No placeholder, shared or conflicting contact value was found: no e-mail or phone is used by "
                "records of different names or customer ids.")
    parts = [f"{r.key}, {r.reason}: {int(r.values):,} value{'s' if r.values != 1 else ''} ({int(r.records):,} records)"
             for r in conf.itertuples()]
    return (f"The guards held back {int(conf['values'].sum()):,} contact values used by {int(conf['records'].sum()):,} "
            f"records: " + "; ".join(parts) + ".")


def sensitivity_sentence(sens: pd.DataFrame, threshold: float) -> str:
    """How much the customer count and NPS by channel move with the threshold
    (input: :func:`cxlab.identity.threshold_sensitivity`).

    Examples
    --------
    >>> s = pd.DataFrame({"threshold": [0.5, 0.5, 0.95, 0.95], "persons": [980, 980, 1000, 1000],
    ...                   "channel": ["web", "phone"] * 2, "estimate": [30.0, -5.0, 31.0, -4.0],
    ...                   "ci_low": [25.0, -10.0, 26.0, -9.0], "ci_high": [35.0, 0.0, 36.0, 1.0], "n": [500, 400, 510, 410]})
    >>> sensitivity_sentence(s, 0.95)
    'Between thresholds 0.5 and 0.95 the number of persons moves from 980 to 1,000 (2.0 %); the NPS of any channel moves by at most 1.0 points, well inside its interval.'
    """
    lo, hi = sens["threshold"].min(), sens["threshold"].max()
    p = sens.drop_duplicates("threshold").set_index("threshold")["persons"]
    text = (f"Between thresholds {lo:g} and {hi:g} the number of persons moves from {p[lo]:,} to {p[hi]:,} "
            f"({abs(p[hi] - p[lo]) / max(p[hi], 1) * 100:.1f} %)")
    if "channel" not in sens.columns:
        return text + "."
    span = sens.groupby("channel")["estimate"].agg(lambda x: x.max() - x.min())
    width = (sens["ci_high"] - sens["ci_low"]).groupby(sens["channel"]).min() / 2
    ch = span.idxmax()
    inside = bool((span <= width).all())
    return (text + f"; the NPS of any channel moves by at most {span.max():.1f} points"
            + (", well inside its interval." if inside else
               f" ({ch}), more than the half-width of its interval: report the threshold with that figure."))


def profile_sentence(profiles: pd.DataFrame) -> str:
    """What the unified profile shows (input: :func:`cxlab.identity.customer_profiles`).

    Examples
    --------
    >>> p = pd.DataFrame({"n_channels": [0, 1, 2, 3], "n_records": [1, 2, 4, 6]})
    >>> profile_sentence(p)
    'The unified profile has 4 persons; 2 (50.0 %) contacted the company through two or more channels, on average 2.5 channels each.'
    """
    multi = profiles["n_channels"] >= 2
    avg = profiles.loc[multi, "n_channels"].mean() if multi.any() else 0.0
    return (f"The unified profile has {len(profiles):,} persons; {int(multi.sum()):,} ({_pct(multi.mean())}) contacted "
            f"the company through two or more channels, on average {avg:.1f} channels each.")
