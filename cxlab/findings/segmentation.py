"""Plain-language findings for behavioural segmentation (RFM, concentration, clusters, migration).

Each function takes the result tables of :mod:`cxlab.segmentation` and returns one short
Markdown paragraph that notebook 01 and the reports print; the headline findings (which
segments carry the revenue, how concentrated it is, whether the clusters are reproducible)
come as :class:`~cxlab.findings.KeyFinding` records, with a slide title, the sentence and
the base and method behind it, so ``cxlab report`` can collect them. The sentences claim only what
the table shows: a segment that is absent is said to be absent, revenue is called
"concentrated" only when the Gini coefficient says so, segments are called "reproducible"
only when the bootstrap stability says so, and amounts carry the currency the user named
(none when the currency is unknown). Nothing here computes a statistic or reads global
state; numbers are formatted with :mod:`cxlab.findings.format`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

from cxlab.errors import CXLabError
from cxlab.findings.format import fmt_count, fmt_pct, value_label
from cxlab.findings.i18n import _, fmt_date, fmt_decimal, fmt_number, ngettext
from cxlab.findings.key import KeyFinding, key_finding
from cxlab.findings.clusters import _require, _stability_title, _stability_words, cluster_finding  # noqa: F401

__all__ = [
    "fmt_amount", "data_overview_note", "too_short_note", "rfm_overview_finding", "segment_value_finding", "concentration_finding",
    "planted_champions_finding", "cluster_finding", "planted_segments_finding", "migration_finding",
    "playbook_finding", "WIN_BACK_SEGMENTS", "SLIPPED_SEGMENTS",
]

#: Named RFM segments that used to buy often and have not come back: the win-back targets.
WIN_BACK_SEGMENTS: tuple[str, ...] = ("at risk", "can't lose")
#: Named RFM segments a good customer "slips into" when they stop buying.
SLIPPED_SEGMENTS: tuple[str, ...] = ("at risk", "can't lose", "hibernating", "lost")


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def fmt_amount(value: float | None, currency: str | None = None, digits: int = 0) -> str:
    """An amount of money with the currency the user named, or none when it is unknown.

    The kit never assumes a currency: with ``currency=None`` the amount is written as a
    plain number, and the notebook says once that amounts are in the data's own unit.

    Examples
    --------
    >>> fmt_amount(772034.4, "USD"), fmt_amount(772034.4), fmt_amount(12.5, "EUR", 2), fmt_amount(None)
    ('772,034 USD', '772,034', '12.50 EUR', '–')
    """
    if _missing(value):
        return "–"
    text = fmt_number(value, digits)
    return f"{text} {currency}" if currency else text


def _names(items: Iterable[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _seg(name) -> str:
    """A segment name as shown: cxlab's named segments translated, the user's own unchanged."""
    return value_label(name)


def data_overview_note(n_purchases: int, n_customers: int, first: pd.Timestamp, last: pd.Timestamp, *,
                       currency: str | None = None, client: str | None = None, period: str | None = None,
                       mix_columns: Sequence[str] = ()) -> str:
    """What the analysis runs on: purchases, customers, dates, currency and the optional columns used.

    Parameters
    ----------
    n_purchases, n_customers
        Rows of the transactions table and distinct customers.
    first, last
        First purchase and the end of the observation period.
    currency
        The currency named by the user (``None``: amounts are shown without one, and the
        note says how to name it).
    client, period
        Shown when given.
    mix_columns
        Optional columns the clustering will use (e.g. ``["category"]``); the note says
        which of category and channel are absent.

    Examples
    --------
    >>> print(data_overview_note(69659, 23570, pd.Timestamp("1997-01-01"), pd.Timestamp("1998-06-30")))
    **Data:** 69,659 purchases by 23,570 customers, 01.01.1997 – 30.06.1998. Amounts are shown as they are in the data, without a currency (set the `currency` parameter, e.g. "USD", to label them). No category or channel column: the clustering uses buying behaviour only.
    """
    head = (_("**Report for {client}, {period}.** ") if period else _("**Report for {client}.** ")).format(
        client=client, period=period) if client else (_("**Period: {period}.** ").format(period=period) if period
                                                      else "")
    text = head + _("**Data:** {purchases} purchases by {customers} customers, {first} – {last}.").format(
        purchases=fmt_count(n_purchases), customers=fmt_count(n_customers), first=f"{first:%d.%m.%Y}",
        last=f"{last:%d.%m.%Y}")
    if currency:
        text += _(" Amounts in {currency}.").format(currency=currency)
    else:
        text += _(" Amounts are shown as they are in the data, without a currency (set the `currency` parameter, "
                  'e.g. "USD", to label them).')
    absent = [c for c in ("category", "channel") if c not in set(mix_columns)]
    if len(absent) == 2:
        text += _(" No category or channel column: the clustering uses buying behaviour only.")
    elif absent:
        text += (_(" No category column: the clustering leaves the category mix out.") if absent[0] == "category"
                 else _(" No channel column: the clustering leaves the channel mix out."))
    return text


def too_short_note(section: str, first: pd.Timestamp, cut: pd.Timestamp, *, min_months: int = 6) -> str:
    """A section skipped because the data do not reach far enough back before ``cut``.

    Examples
    --------
    >>> print(too_short_note("the migration between segments", pd.Timestamp("2024-03-01"),
    ...                      pd.Timestamp("2024-05-31")))
    **Skipped:** *the migration between segments* needs at least 6 months of purchases before 31.05.2024; the data start on 01.03.2024, 3.0 months before.
    """
    months = max(0.0, (cut - first).days / 30.4375)
    return _("**Skipped:** *{section}* needs at least {min_months} months of purchases before {cut}; the data start "
             "on {first}, {months} months before.").format(section=_(section), min_months=min_months,
                                                           cut=f"{cut:%d.%m.%Y}", first=f"{first:%d.%m.%Y}",
                                                           months=fmt_number(months, 1))


def rfm_overview_finding(summary: pd.DataFrame) -> str:
    """How many customers bought once, and the typical number of repeat purchase days.

    Parameters
    ----------
    summary
        The per-customer table of :func:`cxlab.segmentation.rfm_summary` (``frequency``
        = repeat purchase days).

    Returns
    -------
    str
        One Markdown sentence.

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [0, 0, 1, 3, 7]})
    >>> print(rfm_overview_finding(s))
    Of 5 customers, 40% have made only one purchase day so far; the median customer has 1 repeat purchase day.
    """
    _require(summary, ["frequency"], "RFM summary")
    n = len(summary)
    if n == 0:
        raise CXLabError("the RFM summary has no customers", fix="check that the transactions table has rows")
    one = float((summary["frequency"] == 0).mean())
    med = float(summary["frequency"].median())
    return ngettext("Of {n} customers, {share} have made only one purchase day so far; the median customer has "
                    "{median} repeat purchase day.",
                    "Of {n} customers, {share} have made only one purchase day so far; the median customer has "
                    "{median} repeat purchase days.", int(round(med)) if med == int(med) else 2).format(
        n=fmt_count(n), share=fmt_pct(one), median=fmt_number(med, 0))


def segment_value_finding(summary: pd.DataFrame, *, win_back: Sequence[str] = WIN_BACK_SEGMENTS) -> KeyFinding:
    """Which named RFM segments carry the revenue, and how much sits in the win-back segments.

    Parameters
    ----------
    summary
        :func:`cxlab.segmentation.segment_summary` (``segment, n, share, revenue,
        revenue_share``; with ``mean_overdue`` when the segments were joined to
        :func:`cxlab.segmentation.overdue` and it was averaged).
    win_back
        Segments that used to buy often and have not come back.

    Returns
    -------
    KeyFinding
        Title and sentence. Segments without customers are never named; when no customer
        is in a win-back segment the sentence says so. With ``mean_overdue``, the win-back
        segments are called "the first target for win-back" only when at least half of
        their customers are overdue by their own rhythm; otherwise the sentence says the
        label is relative and no evidence that they have left.

    Examples
    --------
    >>> t = pd.DataFrame({"segment": ["champions", "loyal", "at risk", "lost"], "n": [100, 200, 150, 550],
    ...                   "share": [0.1, 0.2, 0.15, 0.55], "revenue": [500.0, 300.0, 150.0, 50.0],
    ...                   "revenue_share": [0.5, 0.3, 0.15, 0.05]})
    >>> f = segment_value_finding(t)
    >>> print(f.title); print(f.text)
    The champions and loyal segments bring 80% of revenue
    The two RFM segments with the most revenue, *champions* and *loyal*, are 30% of customers and bring 80% of revenue. Customers who used to buy often but have not come back (*at risk*) are 15% of customers and 15% of revenue so far — the first target for win-back.
    """
    _require(summary, ["segment", "n", "share", "revenue", "revenue_share"], "segment summary")
    present = summary[summary["n"] > 0]
    if present.empty:
        raise CXLabError("the segment summary has no customers", fix="check the RFM segments")
    n = int(present["n"].sum())
    method = _("RFM scores 1–5 (quintiles of ranks) named by the classic recency × frequency segment map")
    if not (present["revenue"].sum() > 0):
        return key_finding(_("No revenue recorded"),
                           _("The {n} customers have no recorded revenue, so the segments cannot be compared by "
                             "value; check the amount column of the transactions.").format(n=fmt_count(n)),
                           n=n, method=method)
    if len(present) == 1:
        only = present.iloc[0]
        return key_finding(_("All customers fall in one RFM segment"),
                           _("Every customer falls in one RFM segment (*{segment}*), so the segments do not separate "
                             "customers here; try other cut points (below) or the clustering of section 4.").format(
                               segment=_seg(only["segment"])), n=n, method=method)
    top = present.nlargest(2, "revenue_share")
    first, second = _seg(str(top.iloc[0]["segment"])), _seg(str(top.iloc[1]["segment"]))
    title = _("The {first} and {second} segments bring {share} of revenue").format(
        first=first, second=second, share=fmt_pct(top["revenue_share"].sum()))
    text = _("The two RFM segments with the most revenue, *{first}* and *{second}*, are {customers} of customers and "
             "bring {revenue} of revenue.").format(first=first, second=second, customers=fmt_pct(top["share"].sum()),
                                                   revenue=fmt_pct(top["revenue_share"].sum()))
    risk = present[present["segment"].isin(list(win_back))]
    if risk.empty:
        text += _(" No customer is in the win-back segments ({segments}): nobody who bought often has been away "
                  "long, relative to the other customers.").format(segments=_names(f"*{_seg(s)}*" for s in win_back))
    else:
        names = _names(f"*{_seg(s)}*" for s in risk["segment"])
        size = _("{customers} of customers and {revenue} of revenue so far").format(
            customers=fmt_pct(risk["share"].sum()), revenue=fmt_pct(risk["revenue_share"].sum()))
        late = _overdue_share(risk)
        if late is None:
            text += _(" Customers who used to buy often but have not come back ({names}) are {size} — the first "
                      "target for win-back.").format(names=names, size=size)
        elif late >= 0.5:
            text += _(" Customers who used to buy often but have not come back ({names}) are {size}; {late} of them "
                      "have been away more than twice their own usual time between purchases — the first target for "
                      "win-back.").format(names=names, size=size, late=fmt_pct(late))
        else:
            few = _("none of them has") if late == 0 else _("only {late} of them have").format(late=fmt_pct(late))
            text += _(" The RFM map puts {size} in {names}, but {few} been away more than twice their own usual time "
                      "between purchases: the label ranks customers against each other and is no evidence here that "
                      "they have left.").format(size=size, names=names, few=few)
        method += _("; overdue = away more than twice the customer's own mean gap between purchases")
    return key_finding(title, text, n=n, method=method)


def _overdue_share(rows: pd.DataFrame) -> float | None:
    """Share of overdue customers over segments (from ``mean_overdue``), or None when not measured."""
    if "mean_overdue" not in rows.columns:
        return None
    known = rows[rows["mean_overdue"].notna()]
    if known.empty or known["n"].sum() == 0:
        return None
    return float((known["n"] * known["mean_overdue"]).sum() / known["n"].sum())


def _gini_words(g: float) -> str:
    if g >= 0.7:
        return _("Revenue is highly concentrated")
    if g >= 0.5:
        return _("Revenue is concentrated")
    if g >= 0.3:
        return _("Revenue is moderately concentrated")
    return _("Revenue is spread fairly evenly across customers")


def concentration_finding(gini: float, top_shares: pd.DataFrame, *, currency: str | None = None,
                          n: int | None = None) -> KeyFinding:
    """How much revenue depends on the best customers.

    Parameters
    ----------
    gini
        :func:`cxlab.segmentation.gini` of revenue per customer.
    top_shares
        :func:`cxlab.segmentation.top_share_table` with rows for the top 5% and 20%
        (``top_share, n, revenue_share, min_value``).
    currency
        Currency of the amounts, or ``None`` to write plain numbers.
    n
        Number of customers (for the footnote).

    Returns
    -------
    KeyFinding
        Revenue is called "highly concentrated" (Gini ≥ 0.7), "concentrated" (≥ 0.5),
        "moderately concentrated" (≥ 0.3) or "spread fairly evenly" (below); the advice to
        make the best customers allies is given only when the top 20% bring at least half
        of revenue.

    Examples
    --------
    >>> top = pd.DataFrame({"top_share": [0.05, 0.2], "n": [50, 200], "revenue_share": [0.31, 0.62],
    ...                     "min_value": [1200.0, 400.0]})
    >>> f = concentration_finding(0.58, top, currency="USD", n=1000)
    >>> print(f.title); print(f.text)
    Revenue is concentrated
    The Gini coefficient of revenue per customer is 0.58: the top 5% of customers (50 people, spending at least 1,200 USD each) bring 31% of revenue, the top 20% bring 62%. Making these customers allies — recognition, early access, a referral programme — protects a large part of the business.
    """
    _require(top_shares, ["top_share", "n", "revenue_share", "min_value"], "top-share")
    rows = {round(float(s), 6): r for s, r in zip(top_shares["top_share"], top_shares.itertuples(index=False))}
    if 0.05 not in rows or 0.2 not in rows:
        raise CXLabError("the top-share table needs rows for the top 5% and the top 20%",
                         fix="build it with top_share_table(values) (default shares)")
    if _missing(gini):
        raise CXLabError("the Gini coefficient is missing", fix="compute it with cxlab.segmentation.gini(revenue)")
    t5, t20 = rows[0.05], rows[0.2]
    title = _gini_words(gini)
    text = ngettext("The Gini coefficient of revenue per customer is {gini}: the top {p5} of customers ({n} person, "
                    "spending at least {amount} each) bring {share5} of revenue, the top {p20} bring {share20}.",
                    "The Gini coefficient of revenue per customer is {gini}: the top {p5} of customers ({n} people, "
                    "spending at least {amount} each) bring {share5} of revenue, the top {p20} bring {share20}.",
                    int(t5.n)).format(gini=fmt_decimal(gini, 2), p5=fmt_pct(0.05), p20=fmt_pct(0.2),
                                      n=fmt_count(t5.n), amount=fmt_amount(t5.min_value, currency),
                                      share5=fmt_pct(t5.revenue_share), share20=fmt_pct(t20.revenue_share))
    if t20.revenue_share >= 0.5:
        text += _(" Making these customers allies — recognition, early access, a referral programme — protects a "
                  "large part of the business.")
    else:
        text += _(" No small group carries the business: broad retention matters more than a VIP programme.")
    return key_finding(title, text, n=n, method=_("Gini coefficient and top-share table of revenue per customer"))


def planted_champions_finding(customer_share: float, revenue_share: float, *, design_min: float = 0.30) -> str:
    """Demo check: do the planted champions carry the revenue share the generator promises?

    Examples
    --------
    >>> print(planted_champions_finding(0.1, 0.42))
    (Demo check: the planted *champions*, 10% of customers, carry 42% of revenue; the design says at least 30%, and the data meet it.)
    """
    verdict = _("the data meet it") if revenue_share >= design_min else _("the data fall short of it")
    return _("(Demo check: the planted *champions*, {customers} of customers, carry {revenue} of revenue; the design "
             "says at least {design}, and {verdict}.)").format(
        customers=fmt_pct(customer_share), revenue=fmt_pct(revenue_share), design=fmt_pct(design_min),
        verdict=verdict)


def planted_segments_finding(cross: pd.DataFrame, *, ari: float, rfm_ari: float, separated: float = 0.7) -> str:
    """Demo check: how the clusters line up with the planted true segments.

    Parameters
    ----------
    cross
        Cross-table of true segments (rows) by cluster (columns), customer counts.
    ari, rfm_ari
        Adjusted Rand index of the clusters and of the named RFM segments against the truth.
    separated
        A true segment counts as "well separated" when at least this share of its customers
        sits in one cluster.

    Returns
    -------
    str
        A Markdown paragraph naming, from the cross-table, which true segments the clusters
        separate and which they mix.

    Examples
    --------
    >>> cross = pd.DataFrame([[90, 10], [45, 55]], index=["lapsed", "loyal"], columns=[1, 2])
    >>> print(planted_segments_finding(cross, ari=0.31, rfm_ari=0.2))
    **Finding.** The clusters agree with the planted segments with ARI = 0.31 (the named RFM segments: ARI = 0.20). Clusters map mostly to: 1 → *lapsed*, 2 → *loyal*. Well separated (at least 70% of their customers in one cluster): *lapsed*; spread over several clusters: *loyal*.
    """
    if cross.empty:
        raise CXLabError("the cross-table is empty", fix="cross-tabulate true segments by cluster")
    best_match = cross.div(cross.sum(axis=0).where(lambda s: s > 0), axis=1).idxmax(axis=0)
    purity = cross.max(axis=1) / cross.sum(axis=1).where(lambda s: s > 0)
    good = [str(s) for s in purity.index if purity[s] >= separated]
    mixed = [str(s) for s in purity.index if purity[s] < separated]
    text = _("**Finding.** The clusters agree with the planted segments with ARI = {ari} (the named RFM segments: "
             "ARI = {rfm_ari}). Clusters map mostly to: ").format(ari=fmt_decimal(ari, 2),
                                                                 rfm_ari=fmt_decimal(rfm_ari, 2)) + ", ".join(
        f"{c} → *{_seg(s)}*" for c, s in best_match.items()) + "."
    parts = []
    if good:
        parts.append(_("Well separated (at least {share} of their customers in one cluster): ").format(
            share=fmt_pct(separated)) + _names(f"*{_seg(s)}*" for s in good))
    if mixed:
        parts.append(_("spread over several clusters: ") + _names(f"*{_seg(s)}*" for s in mixed))
    if parts:
        text += " " + "; ".join(parts) + "."
    return text


def migration_finding(migration: pd.DataFrame, *, since: pd.Timestamp, until: pd.Timestamp,
                      top: str = "champions", good: Sequence[str] = ("champions", "loyal"),
                      slipped: Sequence[str] = SLIPPED_SEGMENTS) -> str:
    """Who stayed among the best customers, and how many good customers slipped away.

    Parameters
    ----------
    migration
        :func:`cxlab.segmentation.migration_matrix` (``from_segment, to_segment, n, share``).
    since, until
        The two observation ends compared.
    top, good, slipped
        The best segment, the good segments and the segments a customer slips into.

    Returns
    -------
    str
        A Markdown paragraph; when nobody was in ``top`` at ``since`` it says so instead of
        a share.

    Examples
    --------
    >>> m = pd.DataFrame({"from_segment": ["champions", "champions", "loyal", "loyal"],
    ...                   "to_segment": ["champions", "lost", "loyal", "at risk"],
    ...                   "n": [80, 20, 90, 10], "share": [0.8, 0.2, 0.9, 0.1]})
    >>> print(migration_finding(m, since=pd.Timestamp("1997-12-31"), until=pd.Timestamp("1998-06-30")))
    **Finding.** Between 31 December 1997 and 30 June 1998, 80% of the 100 *champions* stayed *champions*; 30 former *champions* or *loyal* customers have slipped into *at risk*, *can't lose*, *hibernating* or *lost*.
    """
    _require(migration, ["from_segment", "to_segment", "n", "share"], "migration")
    span = _("Between {since} and {until}").format(since=fmt_date(since), until=fmt_date(until))
    frm = migration[migration["from_segment"] == top]
    n_top = int(frm["n"].sum())
    if n_top == 0:
        text = _("**Finding.** {span}: nobody was in *{top}* at the start, so there is no retention of *{top}* to "
                 "report;").format(span=span, top=_seg(top))
    else:
        kept = frm.loc[frm["to_segment"] == top, "share"].sum()
        text = _("**Finding.** {span}, {kept} of the {n} *{top}* stayed *{top}*;").format(
            span=span, kept=fmt_pct(kept), n=fmt_count(n_top), top=_seg(top))
    moved = int(migration[migration["from_segment"].isin(list(good))
                          & migration["to_segment"].isin(list(slipped))]["n"].sum())
    either = _(" or ")
    good_words = either.join(f"*{_seg(g)}*" for g in good)
    slipped = [f"*{_seg(s)}*" for s in slipped]
    slip_words = slipped[0] if len(slipped) == 1 else ", ".join(slipped[:-1]) + either + slipped[-1]
    if moved:
        text += ngettext(" {n} former {good} customer has slipped into {slipped}.",
                         " {n} former {good} customers have slipped into {slipped}.", moved).format(
            n=fmt_count(moved), good=good_words, slipped=slip_words)
    else:
        text += _(" no former {good} customer has slipped into {slipped}.").format(good=good_words,
                                                                                  slipped=slip_words)
    return text


def playbook_finding(playbook: pd.DataFrame, *, top: int = 5, overdue: pd.Series | None = None) -> str:
    """Where to start: the segments with the most revenue and what to do for each.

    Parameters
    ----------
    playbook
        :func:`cxlab.segmentation.segment_playbook` (``segment, share, revenue_share,
        strategy, actions, channels``).
    top
        Number of segments listed.
    overdue
        Share of each segment overdue by their own rhythm (``mean_overdue`` of
        :func:`cxlab.segmentation.segment_summary`, indexed by segment). A win-back action
        for a segment where fewer than half are overdue gets a warning instead of a plain
        recommendation.

    Examples
    --------
    >>> pb = pd.DataFrame({"segment": ["loyal", "lost"], "n": [10, 0], "share": [0.4, 0.0],
    ...                    "revenue_share": [0.7, 0.0], "strategy": ["upsell", "let go"],
    ...                    "actions": ["premium ranges", "mass channels only"], "channels": ["email", "email"]})
    >>> print(playbook_finding(pb))
    **Where to start** (the segment with the most revenue):
    <BLANKLINE>
    * **loyal** (40% of customers, 70% of revenue): upsell — premium ranges; via email.
    """
    _require(playbook, ["segment", "share", "revenue_share", "strategy", "actions", "channels"], "playbook")
    ranked = playbook[playbook["share"] > 0].sort_values("revenue_share", ascending=False).head(top)
    if ranked.empty:
        raise CXLabError("the playbook has no segment with customers", fix="check the segment summary")
    head = ngettext("the segment with the most revenue", "the {k} segments with the most revenue",
                    len(ranked)).format(k=len(ranked))
    lines = []
    for r in ranked.itertuples():
        line = _("* **{segment}** ({customers} of customers, {revenue} of revenue): {strategy} — {actions}; via "
                 "{channels}.").format(segment=_seg(r.segment), customers=fmt_pct(r.share),
                                       revenue=fmt_pct(r.revenue_share), strategy=_seg(r.strategy),
                                       actions=_seg(r.actions), channels=_seg(r.channels))
        late = None if overdue is None else overdue.get(r.segment)
        if str(r.strategy) == "win back" and late is not None and not _missing(late) and late < 0.5:
            line += _(" *Check first: only {late} of them are overdue by their own buying rhythm, so most have not "
                      "left.*").format(late=fmt_pct(late))
        lines.append(line)
    return _("**Where to start** ({head}):").format(head=head) + "\n\n" + "\n".join(lines)
