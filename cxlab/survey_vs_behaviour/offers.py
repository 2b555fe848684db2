"""Offers from what customers do, not what they say — with a back-test.

:func:`preference_profile` builds a revealed preference per customer from purchases up to a
cut-off: category affinity (purchase shares with recency weights, half-life ``half_life_days``),
the usual price tier and how long ago the favourite was last bought. :func:`offer_backtest`
then asks, on a later window the profile has not seen: *had we offered each respondent their
stated favourite category, or their revealed one, how many would have bought it?* Both
offers go to the same customers, so the comparison is paired: McNemar's test on the
customers for whom exactly one offer would have hit, and a Wald interval for the paired
difference. :func:`offer_list` exports the offers with keyed pseudonyms instead of ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab import stats as cxs
from cxlab.survey_vs_behaviour._common import require_columns, require_frame, text_key, wilson

__all__ = ["preference_profile", "OfferBacktest", "offer_backtest", "offer_list"]


def preference_profile(
    transactions: pd.DataFrame,
    *,
    as_of,
    lookback_days: int = 365,
    half_life_days: float = 90.0,
    category_col: str = "category",
    tier_col: str = "price_tier",
) -> pd.DataFrame:
    """Revealed preferences per customer from purchases in ``[as_of − lookback_days, as_of)``.

    Parameters
    ----------
    transactions
        The canonical ``transactions`` table.
    as_of
        Cut-off date: only purchases before it are used.
    lookback_days, half_life_days
        Window length; a purchase ``half_life_days`` old counts half as much as one today.
    category_col, tier_col
        Category and price-tier columns (the tier is optional).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id: ``revealed_category`` (highest weighted share), ``affinity``
        (its weighted share, 0–1), ``days_since_favourite`` (since it was last bought),
        ``revealed_tier`` (most frequent tier), ``purchases`` in the window.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "category": ["wine", "cheese", "cheese", "wine"],
    ...                    "timestamp": pd.to_datetime(["2025-05-30", "2025-01-01", "2025-01-02", "2025-03-01"])})
    >>> preference_profile(tx, as_of="2025-06-01").round(2).to_dict("index")
    {'a': {'revealed_category': 'wine', 'affinity': 0.61, 'days_since_favourite': 2.0, 'purchases': 3}, 'b': {'revealed_category': 'wine', 'affinity': 1.0, 'days_since_favourite': 92.0, 'purchases': 1}}
    """
    transactions = require_frame(transactions, "the transactions")
    require_columns(transactions, ["customer_id", "timestamp", category_col], "the transactions")
    as_of = pd.Timestamp(as_of)
    t = pd.to_datetime(transactions["timestamp"])
    age = (as_of - t).dt.total_seconds().to_numpy() / 86400.0
    keep = (age > 0) & (age <= lookback_days) & transactions[category_col].notna().to_numpy()
    if not keep.any():
        raise CXLabError(f"no purchases in the {lookback_days} days before {as_of:%Y-%m-%d}",
                         fix="choose a later cut-off or a longer look-back")
    tx = pd.DataFrame({"customer_id": text_key(transactions["customer_id"])[keep].to_numpy(),
                       "category": transactions[category_col].astype("string")[keep].to_numpy(),
                       "age": age[keep], "w": 0.5 ** (age[keep] / half_life_days)})
    aff = tx.groupby(["customer_id", "category"], observed=True).agg(w=("w", "sum"), last=("age", "min"))
    total = aff.groupby(level=0)["w"].transform("sum")
    aff["share"] = aff["w"] / total
    best = aff.sort_values(["share", "last"], ascending=[False, True]).groupby(level=0).head(1)
    best = best.reset_index().set_index("customer_id")
    out = pd.DataFrame({"revealed_category": best["category"], "affinity": best["share"],
                        "days_since_favourite": best["last"].round(0)})
    if tier_col in transactions.columns:
        tiers = transactions[tier_col].astype("string")[keep].to_numpy()
        mode = (pd.DataFrame({"c": tx["customer_id"], "t": tiers}).dropna().groupby("c")["t"]
                .agg(lambda s: s.value_counts().index[0]))
        out["revealed_tier"] = mode.reindex(out.index)
    out["purchases"] = tx.groupby("customer_id").size().reindex(out.index).astype(int)
    out.index.name = "customer_id"
    return out.sort_index()


@dataclass(frozen=True)
class OfferBacktest:
    """Stated-favourite versus revealed-favourite offers, back-tested on a later window.

    Attributes
    ----------
    customers
        Per customer: ``customer_id``, ``stated``, ``revealed``, ``same`` (the two offers coincide),
        ``bought_stated``, ``bought_revealed`` (bought that category in the test window).
    summary_table
        ``strategy`` (stated / revealed), ``n``, ``hits``, ``rate``, ``ci_low``, ``ci_high``.
    comparison
        One row: ``difference`` (revealed − stated rate), ``ci_low``, ``ci_high`` (paired Wald),
        ``only_revealed``, ``only_stated`` (discordant customers), McNemar ``statistic`` and
        ``p_value`` (exact when fewer than 25 discordant customers, else continuity-corrected).
    cutoff, horizon_days
    """

    customers: pd.DataFrame
    summary_table: pd.DataFrame
    comparison: pd.DataFrame
    cutoff: pd.Timestamp
    horizon_days: int

    def summary(self) -> str:
        s = self.summary_table.set_index("strategy")
        c = self.comparison.iloc[0]
        return (f"Offer by stated favourite: {s.loc['stated', 'rate']:.0%} would have bought it; by revealed "
                f"favourite: {s.loc['revealed', 'rate']:.0%} (difference {c.difference:+.1%}, "
                f"{c.ci_low:+.1%} to {c.ci_high:+.1%}; McNemar p = {c.p_value:.3g}; n = {int(s.loc['stated', 'n']):,}).")

    def plot(self, ax=None):
        from cxlab.plots.survey_vs_behaviour import plot_offer_backtest

        return plot_offer_backtest(self.summary_table, ax=ax)


def offer_backtest(
    say_do: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    cutoff,
    horizon_days: int = 90,
    lookback_days: int = 365,
    half_life_days: float = 90.0,
    stated: str = "stated_favourite_category",
    confidence: float = 0.95,
    category_col: str = "category",
    observation_end=None,
) -> OfferBacktest:
    """Back-test offers by stated versus revealed favourite category on a later window.

    Parameters
    ----------
    say_do
        Linked responses (needs ``customer_id``, ``submitted_at`` and the ``stated`` column).
        Each customer's latest answer submitted before ``cutoff`` is used.
    transactions
        The canonical ``transactions`` table.
    cutoff
        The profile uses purchases before it; the test window is ``[cutoff, cutoff + horizon_days)``.
    horizon_days, lookback_days, half_life_days
        Test window; profile window and recency half-life (:func:`preference_profile`).
    stated
        Column with the stated favourite category.
    confidence
        Level of the intervals.
    observation_end
        Last moment the transactions cover (default: the latest purchase); the test window must end by then.

    Returns
    -------
    OfferBacktest
    """
    say_do = require_frame(say_do, "the say-do table")
    require_columns(say_do, ["customer_id", "submitted_at", stated], "the say-do table")
    cutoff = pd.Timestamp(cutoff)
    sub = say_do.loc[say_do["customer_id"].notna() & say_do[stated].notna()
                     & (pd.to_datetime(say_do["submitted_at"]) < cutoff), ["customer_id", "submitted_at", stated]]
    sub = sub.assign(customer_id=text_key(sub["customer_id"])).sort_values("submitted_at")
    answer = sub.groupby("customer_id")[stated].last().astype("string")
    if answer.empty:
        raise CXLabError(f"no linked response with a stated favourite before {cutoff:%Y-%m-%d}",
                         column=stated, fix="choose a later cut-off")
    prof = preference_profile(transactions, as_of=cutoff, lookback_days=lookback_days,
                              half_life_days=half_life_days, category_col=category_col)
    ids = answer.index.intersection(prof.index)
    t = pd.to_datetime(transactions["timestamp"])
    win = (t >= cutoff) & (t < cutoff + pd.Timedelta(days=horizon_days))
    end = t.max() if observation_end is None else pd.Timestamp(observation_end)
    if end < cutoff + pd.Timedelta(days=horizon_days):
        raise CXLabError(f"the transactions end on {end:%Y-%m-%d}, before the test window "
                         f"({horizon_days} days from {cutoff:%Y-%m-%d}) is complete",
                         fix="move the cut-off back or shorten horizon_days")
    bought = pd.DataFrame({"customer_id": text_key(transactions["customer_id"])[win].to_numpy(),
                           "category": transactions[category_col].astype("string")[win].to_numpy()}).drop_duplicates()
    pairs = set(zip(bought["customer_id"], bought["category"]))
    cust = pd.DataFrame({"customer_id": ids, "stated": answer.reindex(ids).to_numpy(),
                         "revealed": prof.loc[ids, "revealed_category"].to_numpy()})
    cust["same"] = cust["stated"] == cust["revealed"]
    cust["bought_stated"] = [(c, s) in pairs for c, s in zip(cust["customer_id"], cust["stated"])]
    cust["bought_revealed"] = [(c, r) in pairs for c, r in zip(cust["customer_id"], cust["revealed"])]
    summary_table, comparison = _hit_rates(cust, confidence)
    return OfferBacktest(customers=cust, summary_table=summary_table, comparison=comparison,
                         cutoff=cutoff, horizon_days=int(horizon_days))


def _hit_rates(cust: pd.DataFrame, confidence: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hit rate of each strategy (Wilson intervals) and their paired difference (McNemar's test)."""
    from statsmodels.stats.contingency_tables import mcnemar

    n = len(cust)
    hs, hr = int(cust["bought_stated"].sum()), int(cust["bought_revealed"].sum())
    rows = []
    for name, h in (("stated", hs), ("revealed", hr)):
        lo, hi = wilson(h, n, confidence)
        rows.append({"strategy": name, "n": n, "hits": h, "rate": h / n if n else np.nan,
                     "ci_low": float(lo), "ci_high": float(hi)})
    b = int((cust["bought_revealed"] & ~cust["bought_stated"]).sum())
    c = int((~cust["bought_revealed"] & cust["bought_stated"]).sum())
    diff = (b - c) / n if n else np.nan
    se = np.sqrt(max((b + c) - (b - c) ** 2 / n, 0.0)) / n if n else np.nan
    z = cxs.z_critical(confidence)
    if b + c:
        exact = b + c < 25
        res = mcnemar([[0, b], [c, 0]], exact=exact, correction=True)
        stat, p = float(res.statistic), float(res.pvalue)
    else:
        stat, p = np.nan, np.nan
    comparison = pd.DataFrame([{"difference": diff, "ci_low": diff - z * se, "ci_high": diff + z * se,
                                "only_revealed": b, "only_stated": c, "statistic": stat, "p_value": p, "n": n}])
    return pd.DataFrame(rows), comparison


def offer_list(profile: pd.DataFrame, *, key: str | bytes, stated: pd.Series | None = None,
               min_affinity: float = 0.0) -> pd.DataFrame:
    """The offer list to hand over: pseudonymised customers and the category to offer.

    Parameters
    ----------
    profile
        :func:`preference_profile` output (indexed by customer id).
    key
        Pseudonymisation key (:func:`cxlab.privacy.resolve_key`); ids never leave the function.
    stated
        Optional stated favourite per customer id, shown next to the offer.
    min_affinity
        Leave out customers whose revealed favourite has a lower share.

    Returns
    -------
    pandas.DataFrame
        ``customer`` (pseudonym), ``offer_category``, ``offer_tier`` (when known), ``affinity``,
        ``days_since_favourite``, ``stated_favourite``, ``basis`` (revealed, or "revealed = stated").

    Examples
    --------
    >>> import pandas as pd
    >>> prof = pd.DataFrame({"revealed_category": ["wine"], "affinity": [0.8], "days_since_favourite": [3.0]},
    ...                     index=pd.Index(["0001"], name="customer_id"))
    >>> from cxlab.privacy import resolve_key
    >>> print(offer_list(prof, key=resolve_key(demo=True)).to_string(index=False))   # the labelled demo key
         customer offer_category  affinity  days_since_favourite stated_favourite    basis
    P949b5c148897           wine       0.8                   3.0             <NA> revealed
    """
    from cxlab.privacy import pseudonymise

    profile = require_frame(profile, "the preference profile")
    require_columns(profile, ["revealed_category", "affinity"], "the preference profile")
    p = profile[profile["affinity"] >= min_affinity]
    ids = pd.Series(p.index.astype("string"), index=p.index)
    out = pd.DataFrame({"customer": pseudonymise(ids.reset_index(drop=True), key=key).to_numpy(),
                        "offer_category": p["revealed_category"].to_numpy()})
    if "revealed_tier" in p.columns:
        out["offer_tier"] = p["revealed_tier"].to_numpy()
    out["affinity"] = p["affinity"].to_numpy()
    if "days_since_favourite" in p.columns:
        out["days_since_favourite"] = p["days_since_favourite"].to_numpy()
    st = (stated.copy() if stated is not None else pd.Series(dtype="string"))
    st.index = st.index.astype("string")
    out["stated_favourite"] = st.astype("string").reindex(ids.to_numpy()).to_numpy()
    same = out["stated_favourite"].astype("string") == out["offer_category"].astype("string")
    out["basis"] = np.where(same.fillna(False).to_numpy(dtype=bool), "revealed = stated", "revealed")
    return out.sort_values("affinity", ascending=False, kind="stable").reset_index(drop=True)
