"""Plain-language findings of identity resolution (what notebook 04, part 1 prints).

Every function takes the result tables of :mod:`cxlab.identity.report` and returns one
sentence with its numbers; a sentence claims only what its table shows.
"""

from __future__ import annotations

import pandas as pd

from cxlab.findings.format import value_label
from cxlab.findings.i18n import N_, _, fmt_decimal, fmt_number, get_language, ngettext

__all__ = ["fragmentation_key", "sensitivity_key", "links_sentence", "fragmentation_sentence", "accuracy_sentence", "accuracy_title", "guards_sentence",
           "sensitivity_sentence", "sensitivity_title", "profile_sentence"]


def _pct(x: float) -> str:
    return _("{value} %").format(value=fmt_number(100 * x, 1, group=False))


def _n(v) -> str:
    return fmt_number(v, 0)


def links_sentence(links: pd.DataFrame, n_records: int) -> str:
    """How the records were joined (input: :func:`cxlab.identity.links_by_rule`).

    Examples
    --------
    >>> t = pd.DataFrame({"rule": ["customer_id", "phone", "probability"], "links": [50, 30, 2],
    ...                   "records": [80, 40, 4]})
    >>> links_sentence(t, 200)
    'Of 200 contact records, 80 share a customer id, 40 share a phone number and 4 were joined by probability (splink).'
    """
    label = {"customer_id": N_("{n} share a customer id"), "email": N_("{n} share an e-mail address"),
             "phone": N_("{n} share a phone number"), "handle": N_("{n} share a social handle")}
    parts = [_(label[r.rule]).format(n=_n(int(r.records))) for r in links.itertuples() if r.rule in label]
    prob = links.loc[links["rule"] == "probability", "records"].sum()
    rev = links.loc[links["rule"] == "review", "records"].sum()
    if prob:
        parts.append(_("{n} were joined by probability (splink)").format(n=_n(int(prob))))
    if rev:
        parts.append(_("{n} by a reviewer's decision").format(n=_n(int(rev))))
    if not parts:
        return _("None of the {n} contact records shares a key with another: every record stands alone.").format(
            n=_n(n_records))
    body = ", ".join(parts[:-1]) + (_(" and ") if len(parts) > 1 else "") + parts[-1]
    return _("Of {n} contact records, {body}.").format(n=_n(n_records), body=body)


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
    return _("Counting every unidentified contact as a new customer gives {before} customers; after resolution there "
             "are {after} persons ({change} %). {multi} persons use two or more channels and {split} were split into "
             "several 'customers' before; {attributed} of {without} contacts without a customer id were attributed "
             "to a known customer.").format(
        before=_n(before), after=_n(after), change=f"{change * 100:+.0f}",
        multi=_n(v["persons seen in 2+ channels"]), split=_n(v["persons fragmented before resolution"]),
        attributed=_n(v["of which attributed to a known customer"]), without=_n(v["records without a customer id"]))


def fragmentation_key(audit: pd.DataFrame):
    """The fragmentation audit as a headline: how many customers use two or more channels.

    Examples
    --------
    >>> a = pd.DataFrame({"measure": ["contact records", "customers before resolution", "persons after resolution",
    ...                               "persons seen in 2+ channels", "persons fragmented before resolution",
    ...                               "records without a customer id", "of which attributed to a known customer"],
    ...                   "value": [3000, 1500, 1000, 300, 250, 800, 600]})
    >>> fragmentation_key(a).title
    '30% of the 1,000 people seen in the survey or service contacts use two or more channels'
    """
    from cxlab.findings.format import fmt_pct
    from cxlab.findings.key import key_finding

    v = audit.set_index("measure")["value"]
    share = v["persons seen in 2+ channels"] / v["persons after resolution"]
    # HOSTILE2 H17: the base is the people seen in the channels, not every customer who bought
    return key_finding(_("{share} of the {n} people seen in the survey or service contacts use two or more "
                         "channels").format(share=fmt_pct(share), n=_n(v["persons after resolution"])),
                       fragmentation_sentence(audit), n=int(v["contact records"]),
                       method=_("deterministic rules + splink; connected components"), theme="channels")


def sensitivity_key(sens: pd.DataFrame, threshold: float, *, links: pd.DataFrame | None = None):
    """The threshold sensitivity as a headline — or, when no record was matched by probability (``links`` from
    :func:`cxlab.identity.links_by_rule`), a plain note: the threshold then changes nothing (HOSTILE2 H17).

    Examples
    --------
    >>> s = pd.DataFrame({"threshold": [0.5, 0.9], "persons": [10, 10]})
    >>> links = pd.DataFrame({"rule": ["customer_id", "probability"], "records": [20, 0]})
    >>> print(sensitivity_key(s, 0.9, links=links))
    No record was matched by probability (every record was joined by an exact key or stands alone), so the match threshold changes nothing here. Between thresholds 0.5 and 0.9 the number of persons moves from 10 to 10 (0.0 %).
    """
    from cxlab.findings.key import key_finding
    from cxlab.findings.nps import Finding

    sentence = sensitivity_sentence(sens, threshold)
    if links is not None and not links.loc[links["rule"] == "probability", "records"].sum():
        return Finding(_("No record was matched by probability (every record was joined by an exact key or stands "
                         "alone), so the match threshold changes nothing here.") + " " + sentence)
    return key_finding(sensitivity_title(sens), sentence, n=int(sens["persons"].max()),
                       method=_("splink scores re-clustered at each threshold; NPS with adjusted Wald intervals"),
                       theme="channels")


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
    return _("Against the true person ids, the deterministic rules are right about {d_precision} of the pairs they "
             "put together and find {d_recall} of the true pairs; adding probabilistic matching gives precision "
             "{precision} and recall {recall} (F1 {f1}, {pairs} true pairs). Contacts that carry only a name are "
             "attributed only when the name points clearly to one person; the others stay apart rather than risk "
             "merging two customers.").format(
        d_precision=_pct(d.precision), d_recall=_pct(d.recall), precision=_pct(f.precision), recall=_pct(f.recall),
        f1=fmt_decimal(f.f1, 3), pairs=_n(int(f.true_pairs)))


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
        return _("No placeholder, shared or conflicting contact value was found: no e-mail or phone is used by "
                 "records of different names or customer ids.")
    parts = [ngettext("{key}, {reason}: {n} value ({records} records)",
                      "{key}, {reason}: {n} values ({records} records)", int(r.values)).format(
                 key=r.key, reason=value_label(r.reason), n=_n(int(r.values)), records=_n(int(r.records)))
             for r in conf.itertuples()]
    return _("The guards held back {n} contact values used by {records} records: ").format(
        n=_n(int(conf["values"].sum())), records=_n(int(conf["records"].sum()))) + "; ".join(parts) + "."


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
    g = (lambda x: f"{x:g}") if get_language() == "en" else (lambda x: f"{x:g}".replace(".", ","))  # noqa: E731
    text = _("Between thresholds {lo} and {hi} the number of persons moves from {p_lo} to {p_hi} ({change})").format(
        lo=g(lo), hi=g(hi), p_lo=_n(p[lo]), p_hi=_n(p[hi]), change=_pct(abs(p[hi] - p[lo]) / max(p[hi], 1)))
    if "channel" not in sens.columns:
        return text + "."
    span, width = _channel_moves(sens)
    if span.empty:
        return text + _("; no channel has enough answers at every threshold for its NPS to be compared (all are "
                        "below the minimum base at some threshold).")
    ch = span.idxmax()
    inside = bool((span <= width).all())
    return text + (_("; the NPS of any channel moves by at most {span} points, well inside its interval.") if inside
                   else _("; the NPS of any channel moves by at most {span} points ({channel}), more than the "
                          "half-width of its interval: report the threshold with that figure.")).format(
        span=fmt_number(span.max(), 1, group=False), channel=value_label(ch))


def _channel_moves(sens: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per channel: how far the NPS moves over the thresholds, and the half-width of its narrowest interval.

    Channels suppressed at any threshold (no estimate or interval: below the minimum base) are
    left out rather than compared with a missing width (HOSTILE2 H6).
    """
    cols = ["estimate", "ci_low", "ci_high"]
    complete = sens.groupby("channel")[cols].apply(lambda g: bool(g.notna().all().all()))
    ok = sens[sens["channel"].isin(complete[complete].index)]
    span = ok.groupby("channel")["estimate"].agg(lambda x: x.max() - x.min())
    width = (ok["ci_high"] - ok["ci_low"]).groupby(ok["channel"]).min() / 2
    return span, width


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
    return _("The unified profile has {n} persons; {multi} ({share}) contacted the company through two or more "
             "channels, on average {avg} channels each.").format(n=_n(len(profiles)), multi=_n(int(multi.sum())),
                                                                 share=_pct(multi.mean()),
                                                                 avg=fmt_number(avg, 1, group=False))


def accuracy_title(acc: pd.DataFrame, *, good: float = 0.95) -> str:
    """Slide title for :func:`accuracy_sentence`: what the precision supports.

    Examples
    --------
    >>> accuracy_title(pd.DataFrame({"stage": ["rules + probabilistic"], "precision": [0.99]}))
    'Identity resolution rarely merges different people'
    """
    p = acc.set_index("stage").loc["rules + probabilistic", "precision"]
    return (_("Identity resolution rarely merges different people") if p >= good
            else _("Identity resolution merges some different people: review the links"))


def sensitivity_title(sens: pd.DataFrame) -> str:
    """Slide title for :func:`sensitivity_sentence`.

    Examples
    --------
    >>> sensitivity_title(pd.DataFrame({"threshold": [0.5, 0.9], "persons": [10, 10], "channel": ["web", "web"],
    ...                                 "estimate": [20.0, 21.0], "ci_low": [10.0, 11.0], "ci_high": [30.0, 31.0]}))
    'The channel NPS does not hinge on the match threshold'
    """
    if "channel" not in sens.columns:
        return _("How the customer count depends on the match threshold")
    span, width = _channel_moves(sens)
    if span.empty:
        return _("How the customer count depends on the match threshold")
    return (_("The channel NPS does not hinge on the match threshold") if bool((span <= width).all())
            else _("The channel NPS depends on the match threshold"))
