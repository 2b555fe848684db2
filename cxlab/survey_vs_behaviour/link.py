"""Linking survey responses to customers, and measuring behaviour around each survey date.

Linking goes key by key: the ``customer_id`` the survey platform recorded, then for
responses without a usable id the normalised e-mail, then the normalised phone
(:func:`cxlab.identity.normalize_email` / :func:`cxlab.identity.normalize_phone`), matched
against the ``customers`` table. A response is linked by an e-mail or phone only when
exactly one customer has it. Every response ends up either linked (with the key used) or
unlinked with the reason, so the coverage report accounts for all of them.

Behaviour is then measured per response over a window **before** the survey date (what the
customer did when they answered: purchase rate, price tier, favourite category) and a window
**after** it (did they buy again). The after-window is only judged when the data cover it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.survey_vs_behaviour._common import (FREQUENCY_EDGES, FREQUENCY_LEVELS, FREQUENCY_NOMINAL_PER_YEAR,
                                               TIER_LEVELS, require_columns, require_frame, text_key)
from cxlab.survey_vs_behaviour._windows import _exposure_days, _modal, _seconds, _windows, _with_history

__all__ = ["SurveyLink", "link_survey", "behaviour_around", "say_do_table", "frequency_band",
           "stated_per_year", "LINK_KEYS", "FREQUENCY_NOMINAL_PER_YEAR"]

#: The keys, in the order they are tried.
LINK_KEYS: tuple[str, ...] = ("customer_id", "email", "phone")
_UNLINKED = "unlinked"

_REASONS = {
    "no_key": "no customer id, e-mail or phone given",
    "id_unknown": "customer id not found in customers or transactions",
    "no_customers": "only an e-mail or phone given, and there is no customers table to match it",
    "contact_unknown": "e-mail / phone not found among customers",
    "contact_ambiguous": "e-mail / phone shared by several customers",
    "contact_invalid": "e-mail / phone given but not a valid address or number",
}


@dataclass(frozen=True)
class SurveyLink:
    """Survey responses linked to customers.

    Attributes
    ----------
    table
        One row per response: ``response_id``, ``customer_id`` (the linked customer, missing when
        unlinked), ``submitted_at``, ``linked_by`` (``customer_id``, ``email``, ``phone`` or
        ``unlinked``) and ``reason`` (why a response is unlinked; empty when linked).
    coverage
        The coverage report: ``outcome`` (linked / unlinked), ``detail`` (key used or reason),
        ``n`` responses and their ``share``.
    n_responses, n_linked
        Responses in, responses linked.
    """

    table: pd.DataFrame
    coverage: pd.DataFrame
    n_responses: int
    n_linked: int

    @property
    def linked(self) -> pd.DataFrame:
        """The linked responses only."""
        return self.table[self.table["linked_by"] != _UNLINKED]

    def summary(self) -> str:
        share = self.n_linked / self.n_responses if self.n_responses else float("nan")
        parts = [f"{r.detail} {r.n:,}" for r in self.coverage.itertuples() if r.outcome == "linked"]
        return (f"{self.n_linked:,} of {self.n_responses:,} responses linked to a customer ({share:.0%}): "
                + ", ".join(parts) + ".")

    def _repr_html_(self) -> str:
        return f"<p>{self.summary()}</p>" + self.coverage.to_html(index=False)


def _normalisers() -> tuple[Callable, Callable]:
    try:
        from cxlab.identity import normalize_email, normalize_phone
    except ImportError:  # pragma: no cover - cxlab.identity ships with cxlab
        raise CXLabError("linking by e-mail or phone needs cxlab.identity, which is not available",
                         fix="update cxlab, or give every response a customer_id") from None
    return normalize_email, normalize_phone


def link_survey(
    survey: pd.DataFrame,
    *,
    transactions: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    response_col: str = "response_id",
    customer_col: str = "customer_id",
    date_col: str = "submitted_at",
    email_col: str = "email",
    phone_col: str = "phone",
) -> SurveyLink:
    """Link each survey response to a customer: by id, then by e-mail, then by phone.

    Parameters
    ----------
    survey
        The canonical ``survey_responses`` table (``customer_id`` may be missing on some rows).
    transactions, customers
        The tables that define which customers exist. At least one is needed. E-mail and phone
        fallbacks need ``customers`` (with ``email`` / ``phone`` columns).
    response_col, customer_col, date_col, email_col, phone_col
        Column names.

    Returns
    -------
    SurveyLink
        ``.table`` (one row per response, with the key used or the reason it is unlinked) and
        ``.coverage`` (the coverage report).

    Raises
    ------
    CXLabError
        When neither ``transactions`` nor ``customers`` is given, when columns are missing, or
        when not a single response can be linked (the message says why).

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"response_id": ["r1", "r2", "r3"], "customer_id": ["c1", None, "c9"],
    ...                        "submitted_at": pd.to_datetime(["2025-01-05"] * 3)})
    >>> tx = pd.DataFrame({"customer_id": ["c1", "c2"], "timestamp": pd.to_datetime(["2025-01-01"] * 2),
    ...                    "amount": [10.0, 20.0]})
    >>> link = link_survey(survey, transactions=tx)
    >>> print(link.coverage.to_string(index=False))
     outcome                                             detail  n    share
      linked                                        customer_id  1 0.333333
    unlinked              no customer id, e-mail or phone given  1 0.333333
    unlinked customer id not found in customers or transactions  1 0.333333
    """
    survey = require_frame(survey, "the survey")
    require_columns(survey, [response_col, date_col], "the survey")
    if transactions is None and customers is None:
        raise CXLabError("linking needs the customers or the transactions table to know which customers exist",
                         fix="load transactions (and customers, for e-mail/phone linking) with load_tables")
    known_ids = _known_ids(transactions, customers, customer_col)
    n = len(survey)
    ids = (text_key(survey[customer_col]) if customer_col in survey.columns
           else pd.Series(pd.NA, index=survey.index, dtype="string"))
    linked_id = pd.Series(pd.NA, index=survey.index, dtype="string")
    linked_by = np.full(n, _UNLINKED, dtype=object)
    reason = np.full(n, "", dtype=object)
    has_id, id_ok = _link_by_id(ids, known_ids, linked_id, linked_by, reason)

    todo = ~id_ok
    contact_cols = [c for c in (email_col, phone_col) if c in survey.columns]
    gave_contact = np.zeros(n, dtype=bool)
    for col in contact_cols:
        gave_contact |= text_key(survey[col]).notna().to_numpy()
    reason[todo & ~has_id & ~gave_contact] = _REASONS["no_key"]
    need = todo & gave_contact
    if need.any():
        _link_by_contact(survey, customers, need, has_id, contact_cols, linked_id, linked_by, reason,
                         customer_col=customer_col, email_col=email_col, phone_col=phone_col)

    table = pd.DataFrame({
        response_col: text_key(survey[response_col]).to_numpy(),
        customer_col: linked_id.to_numpy(),
        date_col: pd.to_datetime(survey[date_col]).to_numpy(),
        "linked_by": pd.Categorical(linked_by, categories=[*LINK_KEYS, _UNLINKED]),
        "reason": reason.astype(str),
    }, index=survey.index)
    table[customer_col] = table[customer_col].astype("string")
    n_linked = int((linked_by != _UNLINKED).sum())
    coverage = _coverage(linked_by, reason, n)
    if n_linked == 0:
        top = coverage.sort_values("n", ascending=False)
        why = "; ".join(f"{r.detail}: {r.n:,}" for r in top.itertuples()) or "the survey has no rows"
        raise CXLabError(f"none of the {n:,} survey responses could be linked to a customer ({why})",
                         column=customer_col,
                         fix="check that the survey's customer_id uses the same ids as the transactions "
                             "(leading zeros, prefixes), or supply a customers table with e-mail / phone")
    return SurveyLink(table=table.reset_index(drop=True), coverage=coverage, n_responses=n, n_linked=n_linked)


def _known_ids(transactions: pd.DataFrame | None, customers: pd.DataFrame | None, customer_col: str) -> pd.Index:
    """The customer ids that exist: those of the transactions and of the customers table."""
    known = []
    if transactions is not None:
        require_columns(transactions, [customer_col], "the transactions")
        known.append(text_key(transactions[customer_col]).dropna().unique())
    if customers is not None:
        require_columns(customers, [customer_col], "the customers")
        known.append(text_key(customers[customer_col]).dropna().unique())
    return pd.Index(np.unique(np.concatenate([np.asarray(k, dtype=object) for k in known])) if known else [])


def _link_by_id(ids: pd.Series, known_ids: pd.Index, linked_id: pd.Series, linked_by: np.ndarray,
                reason: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Link by customer id (also when written with or without leading zeros); returns (has id, linked).

    ``linked_id``, ``linked_by`` and ``reason`` are filled in place.
    """
    has_id = ids.notna().to_numpy()
    id_ok = has_id & known_ids.get_indexer(ids.fillna("")).__ge__(0)
    linked_id[id_ok] = ids[id_ok]
    linked_by[id_ok] = "customer_id"
    retry = has_id & ~id_ok
    if retry.any() and len(known_ids):
        # the same customer written 000123 in one export and 123 (or 123.0) in another: match by number,
        # and link to the id as the transactions/customers write it (cxlab.io.ids; README "Privacy")
        from cxlab.io.ids import numeric_id_key

        written = pd.Series(np.asarray(known_ids, dtype=object))
        by_number = pd.Series(written.to_numpy(), index=numeric_id_key(written).astype(str).to_numpy())
        by_number = by_number[~by_number.index.duplicated(keep=False)]  # '01' and '1' both known: ambiguous
        found = numeric_id_key(ids[retry].astype(object)).astype(str).map(by_number)
        hit = found.notna().to_numpy()
        rows = np.flatnonzero(retry)[hit]
        linked_id.iloc[rows] = found.to_numpy()[hit].astype(str)
        linked_by[rows] = "customer_id"
        id_ok = id_ok.copy()
        id_ok[rows] = True
    reason[has_id & ~id_ok] = _REASONS["id_unknown"]
    return has_id, id_ok


def _link_by_contact(survey: pd.DataFrame, customers: pd.DataFrame | None, need: np.ndarray, has_id: np.ndarray,
                     contact_cols: list[str], linked_id: pd.Series, linked_by: np.ndarray, reason: np.ndarray, *,
                     customer_col: str, email_col: str, phone_col: str) -> None:
    """Link the rows in ``need`` by normalised e-mail, then phone, to the one customer who owns it (in place)."""
    usable = [c for c in contact_cols if customers is not None and c in customers.columns]
    if not usable:
        reason[need & ~has_id] = _REASONS["no_customers"]
        return
    normalize_email, normalize_phone = _normalisers()
    funcs = {email_col: normalize_email, phone_col: normalize_phone}
    cust_ids = text_key(customers[customer_col])
    for col in usable:
        remaining = need & (linked_by == _UNLINKED)
        if not remaining.any():
            break
        given = text_key(survey[col])
        given_rows = remaining & given.notna().to_numpy()
        if not given_rows.any():
            continue
        norm_given = pd.Series(funcs[col](given[given_rows]), index=given[given_rows].index, dtype="string")
        norm_cust = pd.Series(funcs[col](text_key(customers[col])), index=customers.index, dtype="string")
        owners = (pd.DataFrame({"key": norm_cust, "cid": cust_ids}).dropna()
                  .drop_duplicates().groupby("key")["cid"])
        n_owners = owners.nunique()
        single = owners.first()[n_owners == 1]
        pos = np.flatnonzero(given_rows)
        nv = norm_given.to_numpy(dtype=object, na_value=None)
        for p, key in zip(pos, nv):
            if key is None:
                if reason[p] in ("", _REASONS["id_unknown"]):
                    reason[p] = _REASONS["contact_invalid"] if reason[p] == "" else reason[p]
                continue
            if key in single.index:
                linked_id.iat[p] = single[key]
                linked_by[p] = col
                reason[p] = ""
            elif key in n_owners.index:
                reason[p] = _REASONS["contact_ambiguous"]
            elif reason[p] != _REASONS["id_unknown"]:
                reason[p] = _REASONS["contact_unknown"]
    if customers is not None:
        rest = need & (linked_by == _UNLINKED) & (reason == "")
        reason[rest] = _REASONS["contact_unknown"]


def _coverage(linked_by: np.ndarray, reason: np.ndarray, n: int) -> pd.DataFrame:
    """How many responses each key linked, and how many each reason left unlinked."""
    rows = []
    for key in LINK_KEYS:
        k = int((linked_by == key).sum())
        if k:
            rows.append(("linked", key, k))
    for r in _REASONS.values():
        k = int(((linked_by == _UNLINKED) & (reason == r)).sum())
        if k:
            rows.append(("unlinked", r, k))
    coverage = pd.DataFrame(rows, columns=["outcome", "detail", "n"])
    coverage["share"] = coverage["n"] / max(n, 1)
    return coverage


def frequency_band(purchases_per_year, *, edges: Sequence[float] = FREQUENCY_EDGES,
                   levels: Sequence[str] = FREQUENCY_LEVELS) -> pd.Categorical:
    """Map annual purchase counts onto the stated-frequency bands (missing stays missing).

    Examples
    --------
    >>> list(frequency_band([0.0, 3.0, 12.0, 40.0, float("nan")]))
    ['less_than_quarterly', 'quarterly', 'monthly', 'weekly', nan]
    """
    r = np.asarray(purchases_per_year, dtype=float)
    if len(edges) != len(levels) - 1:
        raise CXLabError(f"{len(levels)} frequency bands need {len(levels) - 1} edges, got {len(edges)}",
                         fix="give one edge between each pair of consecutive bands")
    codes = np.searchsorted(np.asarray(edges, dtype=float), r, side="right")
    codes = np.where(np.isnan(r), -1, codes)
    return pd.Categorical.from_codes(codes, categories=list(levels), ordered=True)


def stated_per_year(stated, *, nominal: dict[str, float] | None = None) -> pd.Series:
    """A stated frequency band as a nominal number of purchases a year (for numeric comparisons).

    Defaults (:data:`FREQUENCY_NOMINAL_PER_YEAR`): weekly 52, monthly 12, quarterly 4, less than
    quarterly 1.5. When the survey asks for a number of purchases, use that column instead.

    Examples
    --------
    >>> stated_per_year(pd.Series(["weekly", "quarterly", None])).tolist()
    [52.0, 4.0, nan]
    """
    mapping = dict(FREQUENCY_NOMINAL_PER_YEAR if nominal is None else nominal)
    s = pd.Series(stated).astype("string")
    return pd.Series(s.map(mapping).to_numpy(dtype=float, na_value=np.nan), index=s.index, name="stated_per_year")


def behaviour_around(
    link: SurveyLink | pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    before_days: int = 365,
    after_days: int = 90,
    customers: pd.DataFrame | None = None,
    observation_end=None,
    min_exposure_days: int = 30,
    customer_col: str = "customer_id",
    response_col: str = "response_id",
    date_col: str = "submitted_at",
    time_col: str = "timestamp",
    amount_col: str = "amount",
    tier_col: str = "price_tier",
    category_col: str = "category",
    tier_levels: Sequence[str] = TIER_LEVELS,
    frequency_edges: Sequence[float] = FREQUENCY_EDGES,
) -> pd.DataFrame:
    """What each linked respondent actually did before and after answering.

    Parameters
    ----------
    link
        A :class:`SurveyLink` (or a frame with ``response_id``, ``customer_id``, ``submitted_at``).
    transactions
        The canonical ``transactions`` table.
    before_days
        Length of the window before the survey date: purchases in ``[date − before_days, date)``.
    after_days
        Length of the window after it: purchases in ``(date, date + after_days]``; judged only
        when the data run at least that far (else ``bought_after`` is missing).
    customers
        Optional; its ``signup_date`` tells how long a new customer has been exposed. Without it
        the first purchase is used.
    observation_end
        Last moment the transactions cover (default: the latest purchase).
    min_exposure_days
        Floor on the exposure used to annualise the purchase count of very new customers.
    tier_levels, frequency_edges
        Ordered price tiers; annual counts at which the frequency bands start.

    Returns
    -------
    pandas.DataFrame
        One row per response: ``response_id``, ``customer_id``, ``purchases_before``,
        ``revenue_before``, ``exposure_days``, ``purchases_per_year`` (annualised over the
        exposure), ``actual_frequency`` (band), ``actual_price_tier`` (most frequent tier; ties go
        to the lower tier), ``revealed_category`` (most frequent category), ``purchases_after``,
        ``revenue_after``, ``bought_after`` (1/0, missing when unlinked or not yet observable).
        Unlinked responses have missing behaviour.

    Examples
    --------
    >>> import pandas as pd
    >>> link = pd.DataFrame({"response_id": ["r1"], "customer_id": ["c1"],
    ...                      "submitted_at": pd.to_datetime(["2025-06-01"])})
    >>> tx = pd.DataFrame({"customer_id": ["c1"] * 3, "amount": [10.0, 20.0, 5.0],
    ...                    "timestamp": pd.to_datetime(["2024-01-01", "2025-03-01", "2025-07-01"])})
    >>> b = behaviour_around(link, tx, before_days=365, after_days=60, observation_end="2025-12-31")
    >>> print(b[["purchases_before", "purchases_per_year", "actual_frequency", "bought_after"]].to_string(index=False))
     purchases_before  purchases_per_year    actual_frequency  bought_after
                  1.0                 1.0 less_than_quarterly           1.0
    """
    # Long by design: 26 of its lines are the keyword signature and the hand-over of every keyword to the
    # engine version; the steps themselves are the helpers below and in survey_vs_behaviour/_windows.py.
    if transactions is not None and not isinstance(transactions, pd.DataFrame):  # Polars, DuckDB, Spark
        from cxlab.engine import behaviour_around as engine_behaviour_around

        return engine_behaviour_around(
            link, transactions, before_days=before_days, after_days=after_days, customers=customers,
            observation_end=observation_end, min_exposure_days=min_exposure_days, customer_col=customer_col,
            response_col=response_col, date_col=date_col, time_col=time_col, amount_col=amount_col,
            tier_col=tier_col, category_col=category_col, tier_levels=tier_levels, frequency_edges=frequency_edges)
    table = link.table if isinstance(link, SurveyLink) else require_frame(link, "the linked survey")
    require_columns(table, [response_col, customer_col, date_col], "the linked survey")
    transactions = require_frame(transactions, "the transactions")
    require_columns(transactions, [customer_col, time_col], "the transactions")
    if before_days <= 0 or after_days < 0:
        raise CXLabError(f"window lengths must be positive (before_days={before_days}, after_days={after_days})",
                         fix="e.g. before_days=365, after_days=90")
    ok, custs, r_code, r_t, resp_t = _respondents(table, customer_col, date_col)
    code, t, amount, keep, tx_t = _purchases(transactions, custs, customer_col, time_col, amount_col)
    end_s = _end_seconds(tx_t, observation_end)
    day = 86400
    order, (lo_b, hi_b, lo_a, hi_a) = _windows(code, t, r_code, r_t, ok, before_days * day, after_days * day)
    csum = np.concatenate([[0.0], np.cumsum(amount[order])])
    n_before = np.where(ok, hi_b - lo_b, 0)
    n_after = np.where(ok, hi_a - lo_a, 0)
    exposure = _exposure_days(custs, code, t, customers, customer_col, np.where(ok, r_code, 0), r_t, before_days,
                              min_exposure_days)
    rate = np.where(ok, n_before * 365.0 / exposure, np.nan)
    unknown = ok & ~_with_history(tx_t, resp_t, r_t, ok, before_days)
    rate = np.where(unknown, np.nan, rate)
    n_before_shown = np.where(unknown, np.nan, n_before.astype(float))

    out = pd.DataFrame({
        response_col: table[response_col].to_numpy(),
        customer_col: table[customer_col].astype("string").to_numpy(),
        "purchases_before": n_before_shown,
        "revenue_before": np.where(unknown, np.nan, csum[hi_b] - csum[lo_b]),
        "exposure_days": exposure,
        "purchases_per_year": rate,
        "actual_frequency": frequency_band(rate, edges=frequency_edges),
        "purchases_after": n_after.astype(float),
        "revenue_after": csum[hi_a] - csum[lo_a],
    })
    observable = ok & (r_t + after_days * day <= end_s)
    out["bought_after"] = np.where(observable, (n_after > 0).astype(float), np.nan)
    for name, col, levels in (("actual_price_tier", tier_col, tier_levels), ("revealed_category", category_col, None)):
        modal = _modal(transactions, col, levels, keep, order, ok & ~unknown, lo_b, hi_b)
        if modal is not None:
            out[name] = modal
    for c in ("purchases_before", "revenue_before", "purchases_per_year", "purchases_after", "revenue_after",
              "exposure_days"):
        out.loc[~ok, c] = np.nan
    return out


def _respondents(table: pd.DataFrame, customer_col: str, date_col: str):
    """Linked responses with a date (mask), their customers, each response's customer code and time in seconds,
    and the response dates."""
    resp_ids = text_key(table[customer_col])
    resp_t = pd.to_datetime(table[date_col])
    ok = resp_ids.notna().to_numpy() & resp_t.notna().to_numpy()
    custs = pd.Index(resp_ids[ok].unique())
    r_code = np.full(len(table), -1)
    r_code[ok] = custs.get_indexer(resp_ids[ok])
    r_t = np.zeros(len(table), dtype=np.int64)
    r_t[ok] = _seconds(resp_t[ok])
    return ok, custs, r_code, r_t, resp_t


def _purchases(transactions: pd.DataFrame, custs: pd.Index, customer_col: str, time_col: str, amount_col: str):
    """The respondents' dated purchases: customer code, time in seconds and amount of each, the mask of the
    transactions kept, and every transaction's time."""
    tx_ids = text_key(transactions[customer_col])
    code = custs.get_indexer(tx_ids.fillna(""))
    tx_t = pd.to_datetime(transactions[time_col])
    keep = (code >= 0) & tx_t.notna().to_numpy()
    code = code[keep]
    t = _seconds(tx_t[keep])
    amount = (pd.to_numeric(transactions[amount_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)[keep]
              if amount_col in transactions.columns else np.zeros(code.size))
    return code, t, np.nan_to_num(amount), keep, tx_t


def _end_seconds(tx_t: pd.Series, observation_end) -> int:
    """The last moment the data cover, in seconds: ``observation_end``, else the latest purchase."""
    if observation_end is None:
        return int(_seconds(tx_t.dropna()).max()) if tx_t.notna().any() else 0
    return int(_seconds([pd.Timestamp(observation_end)])[0])


def say_do_table(
    survey: pd.DataFrame,
    link: SurveyLink,
    transactions: pd.DataFrame,
    *,
    before_days: int = 365,
    after_days: int = 90,
    customers: pd.DataFrame | None = None,
    observation_end=None,
    **kwargs,
) -> pd.DataFrame:
    """The survey answers next to the behaviour of the linked customer: one row per response.

    Parameters
    ----------
    survey
        The survey table passed to :func:`link_survey` (same rows, same order).
    link
        Its :class:`SurveyLink`.
    transactions, before_days, after_days, customers, observation_end, **kwargs
        As for :func:`behaviour_around`.

    Returns
    -------
    pandas.DataFrame
        The survey's columns (without e-mail and phone) with the linked ``customer_id``,
        ``linked_by`` and the behaviour columns of :func:`behaviour_around`. Unlinked responses
        are kept, with missing behaviour.

    Examples
    --------
    >>> from cxlab.datasets import load_example
    >>> demo = load_example()
    >>> link = link_survey(demo.survey_responses, transactions=demo.transactions, customers=demo.customers)
    >>> sd = say_do_table(demo.survey_responses, link, demo.transactions, customers=demo.customers,
    ...                   observation_end=demo.observation_end)
    >>> pd.crosstab(sd["stated_price_tier"], sd["actual_price_tier"]).to_numpy()   # rows stated, columns actual
    array([[ 872,    0,    0],
           [ 426, 1206,    0],
           [   0,  418,  817]])
    """
    if len(survey) != len(link.table):
        raise CXLabError("the survey and its link table have different numbers of rows",
                         fix="pass the same survey table to link_survey and to say_do_table")
    beh = behaviour_around(link, transactions, before_days=before_days, after_days=after_days,
                           customers=customers, observation_end=observation_end, **kwargs)
    drop = [c for c in ("email", "phone", "customer_id") if c in survey.columns]
    out = survey.drop(columns=drop).reset_index(drop=True).copy()
    out.insert(1, "customer_id", link.table["customer_id"].to_numpy())
    out.insert(2, "linked_by", link.table["linked_by"].to_numpy())
    for c in beh.columns:
        if c not in ("response_id", "customer_id"):
            out[c] = beh[c].to_numpy() if not isinstance(beh[c].dtype, pd.CategoricalDtype) else beh[c].array
    for c, levels in (("stated_price_tier", TIER_LEVELS), ("stated_frequency", FREQUENCY_LEVELS)):
        if c in out.columns and set(out[c].dropna().astype(str).unique()) <= set(levels):
            out[c] = pd.Categorical(out[c].astype("string"), categories=list(levels), ordered=True)
    return out
