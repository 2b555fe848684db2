"""Plain-language findings for customer lifetime value (BG/NBD, Gamma-Gamma, holdout checks).

Each function takes the fits and result tables of :mod:`cxlab.clv` and returns Markdown
that notebook 01 and the reports print; headline findings (the value at stake, or that
lifetime value could not be estimated) come as :class:`~cxlab.findings.KeyFinding` records
that ``cxlab report`` collects. The sentences claim only what the results show:
a model that did not converge is said not to have converged (and nothing is predicted
from it), customers the spend model cannot use are counted with the reason, the holdout
verdict ("under-predicts", "over-predicts", "close") follows the measured error, and
amounts carry the currency the user named (none when it is unknown). Nothing here
computes a statistic.
"""

from __future__ import annotations

import math
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.findings.format import fmt_count, fmt_pct, value_label
from cxlab.findings.i18n import _, fmt_decimal, fmt_number, get_language, ngettext
from cxlab.findings.key import KeyFinding, key_finding
from cxlab.findings.segmentation import fmt_amount

__all__ = [
    "spend_exclusion_note", "bgnbd_convergence_note", "bgnbd_convergence_finding", "clv_value_finding", "clv_findings",
    "gamma_gamma_convergence_note", "planted_lapsed_finding", "HOLDOUT_TOLERANCE", "NO_DROPOUT",
]

#: Relative error of the total holdout purchases within which predictions count as "close".
HOLDOUT_TOLERANCE = 0.10
#: Estimated chance of dropping out after a purchase below which a fit is read as "no drop-out".
NO_DROPOUT = 0.001


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _customers(n: int) -> str:
    return ngettext("{n} customer", "{n} customers", int(n)).format(n=fmt_count(n))


def _d(v) -> str:
    return fmt_decimal(v, 2)


def spend_exclusion_note(n_excluded: int, n_repeat: int) -> str:
    """Say how many customers the Gamma-Gamma spend model cannot use, and why.

    Parameters
    ----------
    n_excluded
        Repeat customers whose mean repeat spend is zero or negative (free items, refunds,
        data errors), e.g. ``cxlab.clv.nonpositive_spend(summary).sum()``.
    n_repeat
        All customers with at least one repeat purchase (those excluded included).

    Returns
    -------
    str
        A Markdown paragraph with the count and the reason, or a sentence saying that every
        repeat customer enters the model.

    Examples
    --------
    >>> print(spend_exclusion_note(1, 11516))
    **Left out of the spend model: 1 customer** whose repeat purchases are worth 0 or less on average (free items, refunds or data errors). The Gamma-Gamma spend model needs a positive amount per purchase, so this customer is left out of the spend model and of the lifetime-value tables below; their purchases still count in the RFM segments, concentration and clustering above. The spend model uses the other 11,515 repeat customers.
    >>> print(spend_exclusion_note(0, 946))
    All 946 repeat customers have a positive average repeat spend, so all of them enter the spend model.
    >>> print(spend_exclusion_note(0, 0))
    No customer has bought more than once yet, so there is no repeat spend to model.
    """
    n_excluded, n_repeat = int(n_excluded), int(n_repeat)
    if n_excluded < 0 or n_repeat < n_excluded:
        raise CXLabError(f"cannot exclude {n_excluded} of {n_repeat} repeat customers",
                         fix="pass the number excluded and the number of repeat customers (excluded included)")
    if n_repeat == 0:
        return _("No customer has bought more than once yet, so there is no repeat spend to model.")
    if n_excluded == 0:
        return _("All {n} repeat customers have a positive average repeat spend, so all of them enter the spend "
                 "model.").format(n=fmt_count(n_repeat))
    return ngettext("**Left out of the spend model: {customers}** whose repeat purchases are worth 0 or less on "
                    "average (free items, refunds or data errors). The Gamma-Gamma spend model needs a positive amount "
                    "per purchase, so this customer is left out of the spend model and of the lifetime-value tables below; "
                    "their purchases still count in the RFM segments, concentration and clustering above. The spend "
                    "model uses the other {others} repeat customers.",
                    "**Left out of the spend model: {customers}** whose repeat purchases are worth 0 or less on "
                    "average (free items, refunds or data errors). The Gamma-Gamma spend model needs a positive amount "
                    "per purchase, so these customers are left out of the spend model and of the lifetime-value tables "
                    "below; their purchases still count in the RFM segments, concentration and clustering above. The "
                    "spend model uses the other {others} repeat customers.", n_excluded).format(
        customers=_customers(n_excluded), others=fmt_count(n_repeat - n_excluded))


def bgnbd_convergence_note(fit) -> str:
    """Explain in words that the BG/NBD purchase model did not converge (empty when it did).

    Parameters
    ----------
    fit
        A :class:`cxlab.clv.BGNBDFit` (``converged``, ``params`` r, alpha, a, b).

    Returns
    -------
    str
        ``""`` for a converged fit; otherwise a Markdown paragraph saying that P(alive)
        and CLV are not shown and what still holds. It says that the data show no
        drop-out only when the estimated chance of leaving after a purchase, a / (a + b),
        is below :data:`NO_DROPOUT`.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> fit = SimpleNamespace(converged=False, n=300,
    ...                       params=pd.Series({"r": 177.0, "alpha": 5152.0, "a": 1.2e-8, "b": 18830.0}))
    >>> print(bgnbd_convergence_note(fit))
    **The purchase model did not converge.** The BG/NBD model found no stable estimate on these 300 customers. Its estimates run towards no drop-out at all (estimated chance of leaving after a purchase below 0.1%): hardly anyone here stops buying, and a model of who stops buying has nothing to learn from. P(alive), expected purchases and lifetime value are therefore not shown. The RFM summary, segments, concentration, clustering and migration above do not depend on this model and stand as they are. What to do: use a longer observation period or more customers; if your customers buy on a fixed rhythm (subscriptions), forecast revenue from that rhythm instead.
    """
    body = _bgnbd_convergence_body(fit)
    return "" if body is None else _("**The purchase model did not converge.** ") + body


def _bgnbd_convergence_body(fit) -> str | None:
    if bool(getattr(fit, "converged", False)):
        return None
    params = getattr(fit, "params", None)
    n = getattr(fit, "n", None)
    text = (_("The BG/NBD model found no stable estimate on these {n} customers.").format(n=fmt_count(n)) if n
            else _("The BG/NBD model found no stable estimate."))
    try:
        a, b = float(params["a"]), float(params["b"])
        dropout = a / (a + b)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        dropout = math.nan
    if not _missing(dropout) and dropout < NO_DROPOUT:
        text += _(" Its estimates run towards no drop-out at all (estimated chance of leaving after a purchase below "
                  "{share}): hardly anyone here stops buying, and a model of who stops buying has nothing to learn "
                  "from.").format(share=fmt_pct(NO_DROPOUT, 1))
    text += _(" P(alive), expected purchases and lifetime value are therefore not shown. The RFM summary, segments, "
              "concentration, clustering and migration above do not depend on this model and stand as they are. What "
              "to do: use a longer observation period or more customers; if your customers buy on a fixed rhythm "
              "(subscriptions), forecast revenue from that rhythm instead.")
    return text


def bgnbd_convergence_finding(fit) -> KeyFinding | None:
    """The non-convergence of the purchase model as a headline finding (``None`` when it converged).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> fit = SimpleNamespace(converged=False, n=300,
    ...                       params=pd.Series({"r": 177.0, "alpha": 5152.0, "a": 1.2e-8, "b": 18830.0}))
    >>> print(bgnbd_convergence_finding(fit).title)
    Lifetime value not estimated: the purchase model did not converge
    >>> bgnbd_convergence_finding(SimpleNamespace(converged=True)) is None
    True
    """
    body = _bgnbd_convergence_body(fit)
    if body is None:
        return None
    return key_finding(_("Lifetime value not estimated: the purchase model did not converge"), body,
                       n=getattr(fit, "n", None), method=_("BG/NBD purchase model, maximum likelihood"))


def gamma_gamma_convergence_note(fit) -> str:
    """Explain in words that the Gamma-Gamma spend model did not converge (empty when it did).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> print(gamma_gamma_convergence_note(SimpleNamespace(converged=False, n=12)))
    **The spend model did not converge.** The Gamma-Gamma model found no stable estimate of average spend on these 12 repeat customers, so expected spend and lifetime value are not shown. The RFM summary, segments, concentration, clustering and migration above do not depend on this model. What to do: use more customers or a longer period, or read value from the RFM segments' past revenue.
    """
    if bool(getattr(fit, "converged", False)):
        return ""
    n = getattr(fit, "n", None)
    tail = _(", so expected spend and lifetime value are not shown. The RFM summary, segments, concentration, "
             "clustering and migration above do not depend on this model. What to do: use more customers or a longer "
             "period, or read value from the RFM segments' past revenue.")
    return (_("**The spend model did not converge.** The Gamma-Gamma model found no stable estimate of average spend")
            + (_(" on these {n} repeat customers").format(n=fmt_count(n)) if n else "") + tail)


def clv_value_finding(values: pd.DataFrame, by_segment: pd.DataFrame | None, at_risk: pd.DataFrame, *,
                      horizon: int, currency: str | None = None, p_alive_threshold: float = 0.5,
                      min_value_quantile: float = 0.8) -> KeyFinding:
    """Expected revenue, the segment that carries it, and the valuable customers slipping away.

    Parameters
    ----------
    values
        :func:`cxlab.clv.customer_value` (``clv``).
    by_segment
        CLV by named segment (index = segment, column ``clv_share``), or ``None``.
    at_risk
        :func:`cxlab.clv.at_risk_customers` (``historical_value``).
    horizon
        Months the CLV covers.
    currency
        Currency of the amounts, or ``None``.
    p_alive_threshold, min_value_quantile
        The at-risk rule used (for the sentence).

    Returns
    -------
    KeyFinding
        Titled by the at-risk customers when there are any, else by the expected revenue.

    Examples
    --------
    >>> v = pd.DataFrame({"clv": [100.0, 50.0, 10.0]})
    >>> seg = pd.DataFrame({"clv_share": [0.8, 0.2]}, index=["champions", "lost"])
    >>> risk = pd.DataFrame({"historical_value": [400.0]})
    >>> f = clv_value_finding(v, seg, risk, horizon=12, currency="USD")
    >>> print(f.title); print(f.text)
    1 valuable customer may be slipping away
    Expected revenue over the next 12 months is 160 USD; *champions* customers carry 80% of it. 1 valuable customer (top 20% by past repeat revenue) now has P(alive) below 50%; together they spent 400 USD in repeat purchases — the win-back list (ids are kept out of this report; export it with pseudonymised ids for the CRM team).
    """
    if "clv" not in values.columns or values["clv"].isna().all():
        raise CXLabError("the value table has no CLV", column="clv",
                         fix="pass the table of cxlab.clv.customer_value fitted on a converged model")
    total = float(values["clv"].sum())
    amount = fmt_amount(total, currency)
    if by_segment is not None and len(by_segment) and by_segment["clv_share"].notna().any():
        top = by_segment["clv_share"].idxmax()
        text = _("Expected revenue over the next {horizon} months is {amount}; *{segment}* customers carry {share} of "
                 "it.").format(horizon=horizon, amount=amount, segment=value_label(top),
                               share=fmt_pct(by_segment.loc[top, "clv_share"]))
    else:
        text = _("Expected revenue over the next {horizon} months is {amount}.").format(horizon=horizon, amount=amount)
    n_risk = len(at_risk)
    top_share = fmt_pct(1 - min_value_quantile)
    if n_risk == 0:
        text += _(" No valuable customer (top {top} by past repeat revenue) has P(alive) below {threshold}.").format(
            top=top_share, threshold=fmt_pct(p_alive_threshold))
        title = _("Expected revenue over the next {horizon} months: {amount}").format(horizon=horizon, amount=amount)
    else:
        text += ngettext(" {n} valuable customer (top {top} by past repeat revenue) now has P(alive) below "
                         "{threshold}; together they spent {spent} in repeat purchases — the win-back list (ids are "
                         "kept out of this report; export it with pseudonymised ids for the CRM team).",
                         " {n} valuable customers (top {top} by past repeat revenue) now have P(alive) below "
                         "{threshold}; together they spent {spent} in repeat purchases — the win-back list (ids are "
                         "kept out of this report; export it with pseudonymised ids for the CRM team).",
                         n_risk).format(n=fmt_count(n_risk), top=top_share, threshold=fmt_pct(p_alive_threshold),
                                        spent=fmt_amount(at_risk["historical_value"].sum(), currency))
        title = ngettext("{n} valuable customer may be slipping away", "{n} valuable customers may be slipping away",
                         n_risk).format(n=fmt_count(n_risk))
    return key_finding(title, text, n=len(values),
                       method=_("BG/NBD purchases and Gamma-Gamma spend (maximum likelihood), discounted CLV"))


def _holdout_sentence(metrics: pd.DataFrame, calibration_end, observation_end) -> str:
    m = metrics.set_index("metric")["estimate"]
    rel = float(m["relative_error_total"])
    relative = f"{rel:+.0%}" if get_language() == "en" else f"{rel * 100:+.0f}".replace("-", "−") + "\u00a0%"
    text = _("* Holdout ({start}–{end}): the model predicted {predicted} repeat purchases against {actual} actual "
             "({relative}); mean absolute error per customer {mae}. ").format(
        start=f"{calibration_end:%d.%m.%Y}", end=f"{observation_end:%d.%m.%Y}",
        predicted=fmt_number(m["total_predicted"], 0), actual=fmt_number(m["total_actual"], 0), relative=relative,
        mae=_d(m["mae"]))
    if _missing(rel):
        return text + _("The error could not be computed (no repeat purchases in the holdout period).")
    if rel < -HOLDOUT_TOLERANCE:
        return text + _("The model under-predicts by more than {tolerance}: BG/NBD assumes steady buying at each "
                        "customer's own rate, so a seasonal peak in the holdout months or a change in behaviour is "
                        "missed — read the CLV as a conservative baseline, not a forecast of peaks.").format(
            tolerance=fmt_pct(HOLDOUT_TOLERANCE))
    if rel > HOLDOUT_TOLERANCE:
        return text + _("The model over-predicts by more than {tolerance}: treat the CLV as an optimistic "
                        "ceiling.").format(tolerance=fmt_pct(HOLDOUT_TOLERANCE))
    return text + _("Predictions are within {tolerance} of what happened.").format(tolerance=fmt_pct(HOLDOUT_TOLERANCE))


def clv_findings(totals: pd.DataFrame, values: pd.DataFrame, *, top_shares: pd.DataFrame, horizon: int,
                 currency: str | None = None, level: float = 0.9, holdout: pd.DataFrame | None = None,
                 calibration_end: pd.Timestamp | None = None, observation_end: pd.Timestamp | None = None,
                 p_alive_threshold: float = 0.5) -> str:
    """The closing findings on lifetime value, as a Markdown list.

    Parameters
    ----------
    totals
        ``CLVIntervals.totals`` (``measure, estimate, ci_low, ci_high``; the row ``clv``).
    values
        :func:`cxlab.clv.customer_value` (``p_alive``).
    top_shares
        :func:`cxlab.segmentation.top_share_table` of the CLV, with a row for the top 5%.
    horizon, currency, level
        Months covered, currency (or ``None``), interval level.
    holdout
        ``HoldoutCheck.metrics`` (``metric, estimate``), or ``None`` when the holdout check
        was skipped.
    calibration_end, observation_end
        The holdout period.
    p_alive_threshold
        "More likely gone than active" threshold.

    Examples
    --------
    >>> tot = pd.DataFrame({"measure": ["clv"], "estimate": [1000.0], "ci_low": [900.0], "ci_high": [1100.0]})
    >>> v = pd.DataFrame({"p_alive": [0.9, 0.2, 0.7, 0.1]})
    >>> top = pd.DataFrame({"top_share": [0.05], "revenue_share": [0.4]})
    >>> hold = pd.DataFrame({"metric": ["total_predicted", "total_actual", "relative_error_total", "mae"],
    ...                      "estimate": [95.0, 100.0, -0.05, 0.4]})
    >>> print(clv_findings(tot, v, top_shares=top, horizon=12, currency="USD", holdout=hold,
    ...                    calibration_end=pd.Timestamp("1997-12-31"), observation_end=pd.Timestamp("1998-06-30")))
    **Findings on lifetime value**
    <BLANKLINE>
    * The customer base is expected to bring **1,000 USD** over the next 12 months (90% interval 900–1,100 USD, parameter uncertainty only); the top 5% of customers carry **40%** of it.
    * **50%** of customers are more likely gone than active (P(alive) < 0.5).
    * Holdout (31.12.1997–30.06.1998): the model predicted 95 repeat purchases against 100 actual (-5%); mean absolute error per customer 0.40. Predictions are within 10% of what happened.
    """
    row = totals.set_index("measure")
    if "clv" not in row.index:
        raise CXLabError("the totals table has no 'clv' row", fix="pass CLVIntervals.totals")
    tot = row.loc["clv"]
    shares = {round(float(s), 6): float(r) for s, r in zip(top_shares["top_share"], top_shares["revenue_share"])}
    unit = f" {currency}" if currency else ""
    line = _("* The customer base is expected to bring **{amount}** over the next {horizon} months ({level} interval "
             "{low}–{high}{unit}, parameter uncertainty only)").format(
        amount=fmt_amount(tot["estimate"], currency), horizon=horizon, level=fmt_pct(level),
        low=fmt_number(tot["ci_low"], 0), high=fmt_number(tot["ci_high"], 0), unit=unit)
    if 0.05 in shares:
        line += _("; the top {top} of customers carry **{share}** of it.").format(top=fmt_pct(0.05),
                                                                                 share=fmt_pct(shares[0.05]))
    else:
        line += "."
    threshold = f"{p_alive_threshold:g}" if get_language() == "en" else f"{p_alive_threshold:g}".replace(".", ",")
    lines = [line,
             _("* **{share}** of customers are more likely gone than active (P(alive) < {threshold}).").format(
                 share=fmt_pct((values["p_alive"] < p_alive_threshold).mean()), threshold=threshold)]
    if holdout is not None:
        lines.append(_holdout_sentence(holdout, calibration_end, observation_end))
    return _("**Findings on lifetime value**") + "\n\n" + "\n".join(lines)


def planted_lapsed_finding(p_alive_by_segment: pd.Series, *, planted: str = "lapsed") -> str:
    """Demo check: does the model give the planted lapsed customers the lowest P(alive)?

    Parameters
    ----------
    p_alive_by_segment
        Mean P(alive) by true segment.

    Examples
    --------
    >>> print(planted_lapsed_finding(pd.Series({"lapsed": 0.21, "loyal": 0.93, "champions": 0.97})))
    * The model finds the planted lapsed customers: their mean P(alive) is 0.21, against 0.93 or more in every other true segment.
    """
    if planted not in p_alive_by_segment.index:
        raise CXLabError(f"no true segment {planted!r} in the table", fix="pass mean P(alive) by true segment")
    own = float(p_alive_by_segment[planted])
    others = p_alive_by_segment.drop(planted)
    if others.empty:
        return _("* The planted {planted} customers have a mean P(alive) of {own}; there is no other segment to "
                 "compare.").format(planted=value_label(planted), own=_d(own))
    if own < float(others.min()):
        return _("* The model finds the planted {planted} customers: their mean P(alive) is {own}, against {other} or "
                 "more in every other true segment.").format(planted=value_label(planted), own=_d(own),
                                                             other=_d(others.min()))
    lower = ", ".join(f"*{value_label(s)}* ({_d(v)})" for s, v in others[others <= own].items())
    return _("* The model does not single out the planted {planted} customers: their mean P(alive) is {own}, no lower "
             "than in {lower}.").format(planted=value_label(planted), own=_d(own), lower=lower)
