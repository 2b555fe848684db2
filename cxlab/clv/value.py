"""Customer value: monthly expected purchases, discounted CLV, value at stake, customers at risk."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from cxlab.clv._fit import DAYS_PER_MONTH, TimeUnit, _days_per_unit, _model_theta
from cxlab.clv.bgnbd import BGNBDFit, _expected_purchases, _p_alive
from cxlab.clv.gamma_gamma import GammaGammaFit, expected_spend
from cxlab.errors import CXLabError
from cxlab.rfm import _rfm_arrays

__all__ = ["monthly_expected_purchases", "customer_value", "at_risk_customers"]


def _day_number(value: pd.Timestamp) -> int:
    """Calendar day of a timestamp as an integer (days since 1970-01-01)."""
    return int(np.datetime64(value.normalize().to_datetime64(), "D").astype("int64"))


def _month_steps(time_unit: TimeUnit, days_per_month: float) -> float:
    return days_per_month / _days_per_unit(time_unit)


def _monthly_matrix(theta, x, tx, T, months: int, step: float) -> np.ndarray:
    """Incremental conditional expected purchases per month (customers x months), deduplicated."""
    keys = np.stack([x, tx, T], axis=1)
    uniq, inv = np.unique(keys, axis=0, return_inverse=True)
    xu, txu, Tu = uniq[:, 0], uniq[:, 1], uniq[:, 2]
    cum = np.zeros((len(uniq), months + 1))
    for mth in range(1, months + 1):
        cum[:, mth] = _expected_purchases(theta, xu, txu, Tu, mth * step)
    return np.diff(cum, axis=1)[inv.ravel()]


def monthly_expected_purchases(summary: pd.DataFrame, *, model: BGNBDFit, months: int = 12,
                               time_unit: TimeUnit | None = None, days_per_month: float = DAYS_PER_MONTH,
                               frequency: str = "frequency", recency: str = "recency", T: str = "T") -> pd.DataFrame:
    """Expected purchases of each customer in each of the next ``months`` months.

    The building block of discounted CLV (and of the CLV what-if widget, which computes it once).

    Parameters
    ----------
    summary
        Per-customer summary.
    model
        A fitted :class:`BGNBDFit`.
    months
        Number of months.
    time_unit
        Unit of recency and T; defaults to the unit the model was fitted in.
    days_per_month
        Length of a month in days (365.25/12; lifetimes uses 30).
    frequency, recency, T
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``summary``, one column per month ``1..months`` with the expected
        number of purchases in that month.
    """
    if int(months) != months or months < 1:
        raise CXLabError(f"months must be a whole number >= 1, got {months!r}", fix="pass e.g. months=12")
    unit = model.time_unit if time_unit is None else time_unit
    x, tx, t_obs = _rfm_arrays(summary, frequency, recency, T)
    mat = _monthly_matrix(_model_theta(model, BGNBDFit), x, tx, t_obs, int(months), _month_steps(unit, days_per_month))
    return pd.DataFrame(mat, index=summary.index, columns=pd.RangeIndex(1, int(months) + 1, name="month"))


def _monthly_discount(discount_rate: float, discount_period: str) -> float:
    if not discount_rate > -1:
        raise CXLabError(f"discount_rate must be > -1, got {discount_rate!r}", fix="pass e.g. 0.1 for 10%")
    if discount_period == "year":
        return (1.0 + discount_rate) ** (1.0 / 12.0) - 1.0
    if discount_period == "month":
        return float(discount_rate)
    raise CXLabError(f"discount_period must be 'year' or 'month', got {discount_period!r}",
                     fix="say whether discount_rate is an annual or a monthly rate")


def _discount_factors(discount_rate, discount_period, months) -> np.ndarray:
    d = _monthly_discount(discount_rate, discount_period)
    return (1.0 + d) ** -np.arange(1, months + 1, dtype="float64")


def customer_value(summary: pd.DataFrame, *, model: BGNBDFit, spend_model: GammaGammaFit, horizon: int = 12,
                   discount_rate: float = 0.1, discount_period: Literal["year", "month"] = "year",
                   margin: float = 1.0, time_unit: TimeUnit | None = None, days_per_month: float = DAYS_PER_MONTH,
                   frequency: str = "frequency", recency: str = "recency", T: str = "T",
                   monetary_value: str = "monetary_value") -> pd.DataFrame:
    """P(alive), expected purchases, expected spend and discounted CLV for each customer.

    CLV over ``horizon`` months is ``margin * expected_spend * sum_m E[purchases in month m]
    / (1 + d)^m`` with ``d`` the monthly discount rate (from an annual rate as
    ``(1 + rate)^(1/12) - 1`` when ``discount_period="year"``). This is the calculation of
    lifetimes' ``customer_lifetime_value`` (which takes a monthly rate and 30-day months).

    Parameters
    ----------
    summary
        Per-customer summary with frequency, recency, T and monetary_value.
    model, spend_model
        Fitted :class:`BGNBDFit` and :class:`GammaGammaFit`.
    horizon
        Number of months.
    discount_rate, discount_period
        Discount rate and whether it is per ``"year"`` or per ``"month"``.
    margin
        Share of revenue that is profit (1 = CLV in revenue).
    time_unit
        Unit of recency and T; defaults to the model's.
    days_per_month
        Length of a month in days.
    frequency, recency, T, monetary_value
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``summary``; columns ``frequency``, ``recency``, ``T``,
        ``monetary_value`` (as given), ``historical_value`` (frequency x mean repeat spend:
        revenue from repeat purchases so far), ``p_alive``, ``expected_purchases`` (over
        the horizon), ``expected_spend``, ``clv``, ``clv_if_alive`` (CLV were the customer
        surely active: clv / p_alive) and ``value_at_stake`` (clv_if_alive - clv).
    """
    if int(horizon) != horizon or horizon < 1:
        raise CXLabError(f"horizon must be a whole number of months >= 1, got {horizon!r}",
                         fix="pass e.g. horizon=12")
    x, tx, t_obs = _rfm_arrays(summary, frequency, recency, T)
    theta = _model_theta(model, BGNBDFit)
    spend = expected_spend(summary, spend_model=spend_model, frequency=frequency,
                           monetary_value=monetary_value).to_numpy()
    unit = model.time_unit if time_unit is None else time_unit
    monthly = _monthly_matrix(theta, x, tx, t_obs, int(horizon), _month_steps(unit, days_per_month))
    factors = _discount_factors(discount_rate, discount_period, int(horizon))
    pa = _p_alive(theta, x, tx, t_obs)
    clv = margin * spend * (monthly @ factors)
    _require_finite(summary, clv, model)
    m = summary[monetary_value].to_numpy(dtype="float64", na_value=np.nan)
    m = np.where(x > 0, m, 0.0)
    out = pd.DataFrame({
        "frequency": x, "recency": tx, "T": t_obs, "monetary_value": m,
        "historical_value": x * np.where(x > 0, m, 0.0),
        "p_alive": pa,
        "expected_purchases": monthly.sum(axis=1),
        "expected_spend": spend,
        "clv": clv,
    }, index=summary.index)
    out["clv_if_alive"], out["value_at_stake"] = _value_at_stake(clv, pa)
    return out


def _require_finite(summary: pd.DataFrame, clv: np.ndarray, model: BGNBDFit) -> None:
    """Refuse to return CLV the models cannot give (e.g. a BG/NBD fit that did not converge)."""
    bad = ~np.isfinite(clv)
    if not bad.any():
        return
    why = ("the BG/NBD fit did not converge (fit.converged is False)" if not model.converged
           else "the fitted parameters are at the edge of what the model can compute")
    raise CXLabError(f"no finite lifetime value for {int(bad.sum()):,} of {len(clv):,} customers: {why}",
                     fix="check model.converged first; when nobody stops buying the BG/NBD model has no drop-out "
                         "to estimate: use a longer period or forecast from the customers' regular rhythm")


def _value_at_stake(clv: np.ndarray, p_alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CLV were the customer surely active (clv / P(alive)) and the value at stake (that minus clv).

    Both are undefined (NaN) for a customer whose P(alive) is 0. Shared by
    :func:`customer_value` and the what-if widget, so the two always agree.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if_alive = np.where(p_alive > 0, clv / p_alive, np.nan)
    return if_alive, if_alive - clv


def _valuable(value: np.ndarray, min_value_quantile: float) -> np.ndarray:
    """The "valuable" rule of the at-risk list: value at or above the quantile, and positive."""
    return (value >= float(np.nanquantile(value, min_value_quantile))) & (value > 0)



# --------------------------------------------------------------------------- at risk


def at_risk_customers(values: pd.DataFrame, *, p_alive_threshold: float = 0.5, min_value_quantile: float = 0.8,
                      value: str = "historical_value") -> pd.DataFrame:
    """Valuable customers whose probability of still being active has fallen below a threshold.

    Parameters
    ----------
    values
        The table from :func:`customer_value` (or any frame with ``p_alive`` and ``value``).
    p_alive_threshold
        Customers with P(alive) below this are at risk.
    min_value_quantile
        "Valuable" = ``value`` at or above this quantile over all customers (0.8 = top 20%).
    value
        Column that defines value (``historical_value``: repeat revenue so far; or ``clv_if_alive``).

    Returns
    -------
    pandas.DataFrame
        The at-risk customers, most valuable first: every column of ``values`` plus
        ``value_rank`` (1 = most valuable among all customers). Customers without repeat
        purchases never appear: BG/NBD gives them P(alive) = 1.
    """
    for col in ("p_alive", value):
        if col not in values.columns:
            raise CXLabError(f"the table has no column {col!r}", column=col,
                             fix="pass the table returned by cxlab.clv.customer_value")
    if not 0 <= p_alive_threshold <= 1:
        raise CXLabError(f"p_alive_threshold must be between 0 and 1, got {p_alive_threshold!r}",
                         fix="pass e.g. 0.5")
    if not 0 <= min_value_quantile < 1:
        raise CXLabError(f"min_value_quantile must be in [0, 1), got {min_value_quantile!r}",
                         fix="pass e.g. 0.8 for the top 20%")
    v = values[value].to_numpy(dtype="float64", na_value=np.nan)
    rank = pd.Series(v, index=values.index).rank(ascending=False, method="min")
    mask = (values["p_alive"].to_numpy() < p_alive_threshold) & _valuable(v, min_value_quantile)
    out = values.loc[mask].copy()
    out["value_rank"] = rank[mask].astype("int64").to_numpy()
    return out.sort_values([value, "p_alive"], ascending=[False, True], kind="stable")
