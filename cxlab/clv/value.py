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

__all__ = [
    "monthly_expected_purchases",
    "monthly_value",
    "discount_factors",
    "discounted_value",
    "customer_value",
    "value_at_stake",
    "valuable",
    "at_risk_customers",
]


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

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)  # 1,000 simulated customers observed for 52 weeks
    >>> n, weeks = 1000, 52.0
    >>> active = np.minimum(rng.exponential(30.0, n), weeks)
    >>> x = rng.poisson(rng.gamma(1.0, 0.25, n) * active).astype(float)
    >>> summary = pd.DataFrame({"frequency": x, "recency": np.where(x > 0, active * rng.beta(np.maximum(x, 1), 1), 0.0),
    ...                         "T": weeks, "monetary_value": np.where(x > 0, rng.gamma(4.0, 10.0, n), 0.0)})
    >>> from cxlab.clv import fit_bgnbd
    >>> bg = fit_bgnbd(summary, time_unit="W")
    >>> print(monthly_expected_purchases(summary, model=bg, months=3).head(3).round(3).to_string())
    month      1      2      3
    0      0.071  0.069  0.067
    1      0.114  0.111  0.108
    2      0.007  0.007  0.007
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


def discount_factors(discount_rate: float, *, months: int, discount_period: Literal["year", "month"] = "year"
                     ) -> np.ndarray:
    """Discount factor of each of the next ``months`` months: ``1 / (1 + d)^m``, m = 1..months.

    ``d`` is the monthly rate: ``discount_rate`` itself when ``discount_period="month"``,
    ``(1 + discount_rate)^(1/12) - 1`` for an annual rate.

    Examples
    --------
    >>> discount_factors(0.1, months=3).round(4)
    array([0.9921, 0.9842, 0.9765])
    >>> discount_factors(0.01, months=2, discount_period="month").round(4)
    array([0.9901, 0.9803])
    """
    d = _monthly_discount(discount_rate, discount_period)
    return (1.0 + d) ** -np.arange(1, int(months) + 1, dtype="float64")


def _discount_factors(discount_rate, discount_period, months) -> np.ndarray:
    # kept for code written against the private name
    return discount_factors(discount_rate, months=months, discount_period=discount_period)


def monthly_value(summary: pd.DataFrame, *, model: BGNBDFit, spend_model: GammaGammaFit, months: int = 12,
                  margin: float = 1.0, time_unit: TimeUnit | None = None, days_per_month: float = DAYS_PER_MONTH,
                  frequency: str = "frequency", recency: str = "recency", T: str = "T",
                  monetary_value: str = "monetary_value") -> pd.DataFrame:
    """Expected (undiscounted) value of each customer in each of the next ``months`` months.

    ``margin x expected spend per purchase x expected purchases in the month``: the matrix
    every discounted CLV over any horizon up to ``months`` is a weighted sum of
    (:func:`discounted_value`). The CLV what-if explorer computes it once.

    Parameters
    ----------
    summary, model, spend_model, margin, time_unit, days_per_month, frequency, recency, T, monetary_value
        As for :func:`customer_value`.
    months
        Number of months.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``summary``, one column per month ``1..months``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)  # 1,000 simulated customers observed for 52 weeks
    >>> n, weeks = 1000, 52.0
    >>> active = np.minimum(rng.exponential(30.0, n), weeks)
    >>> x = rng.poisson(rng.gamma(1.0, 0.25, n) * active).astype(float)
    >>> summary = pd.DataFrame({"frequency": x, "recency": np.where(x > 0, active * rng.beta(np.maximum(x, 1), 1), 0.0),
    ...                         "T": weeks, "monetary_value": np.where(x > 0, rng.gamma(4.0, 10.0, n), 0.0)})
    >>> from cxlab.clv import fit_bgnbd, fit_gamma_gamma
    >>> bg, gg = fit_bgnbd(summary, time_unit="W"), fit_gamma_gamma(summary)
    >>> value = monthly_value(summary, model=bg, spend_model=gg, months=3)
    >>> print(value.head(3).round(2).to_string())
    month     1     2     3
    0      3.53  3.44  3.34
    1      3.60  3.50  3.41
    2      0.28  0.27  0.26
    """
    spend = expected_spend(summary, spend_model=spend_model, frequency=frequency,
                           monetary_value=monetary_value).to_numpy()
    purchases = monthly_expected_purchases(summary, model=model, months=months, time_unit=time_unit,
                                           days_per_month=days_per_month, frequency=frequency, recency=recency,
                                           T=T)
    return purchases.mul(margin * spend, axis=0)


def discounted_value(monthly: pd.DataFrame | np.ndarray, *, horizon: int, discount_rate: float,
                     discount_period: Literal["year", "month"] = "year"):
    """Discounted value of each customer over the first ``horizon`` months of a monthly value matrix.

    Parameters
    ----------
    monthly
        Customers x months, from :func:`monthly_value` (a DataFrame, or its ``.to_numpy()``).
    horizon
        Months to add up (at most the number of columns).
    discount_rate, discount_period
        As for :func:`customer_value`.

    Returns
    -------
    pandas.Series or numpy.ndarray
        The CLV of each customer (a Series named ``clv`` for a DataFrame input), equal to
        :func:`customer_value`'s ``clv`` at the same settings.

    Examples
    --------
    >>> import pandas as pd
    >>> monthly = pd.DataFrame([[100.0, 100.0, 100.0], [10.0, 0.0, 0.0]], index=["a", "b"], columns=[1, 2, 3])
    >>> print(discounted_value(monthly, horizon=3, discount_rate=0.1).round(2).to_string())
    a    295.28
    b      9.92
    """
    values = monthly.to_numpy(dtype="float64") if isinstance(monthly, pd.DataFrame) else np.asarray(monthly)
    if int(horizon) != horizon or not 1 <= horizon <= values.shape[1]:
        raise CXLabError(f"horizon must be a whole number of months from 1 to {values.shape[1]}, got {horizon!r}",
                         fix="compute the monthly values for a longer period, or choose a shorter horizon")
    clv = values[:, : int(horizon)] @ discount_factors(discount_rate, months=int(horizon),
                                                       discount_period=discount_period)
    return pd.Series(clv, index=monthly.index, name="clv") if isinstance(monthly, pd.DataFrame) else clv


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

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)  # 1,000 simulated customers observed for 52 weeks
    >>> n, weeks = 1000, 52.0
    >>> active = np.minimum(rng.exponential(30.0, n), weeks)
    >>> x = rng.poisson(rng.gamma(1.0, 0.25, n) * active).astype(float)
    >>> summary = pd.DataFrame({"frequency": x, "recency": np.where(x > 0, active * rng.beta(np.maximum(x, 1), 1), 0.0),
    ...                         "T": weeks, "monetary_value": np.where(x > 0, rng.gamma(4.0, 10.0, n), 0.0)})
    >>> from cxlab.clv import fit_bgnbd, fit_gamma_gamma
    >>> bg, gg = fit_bgnbd(summary, time_unit="W"), fit_gamma_gamma(summary)
    >>> values = customer_value(summary, model=bg, spend_model=gg, horizon=12, discount_rate=0.1)
    >>> shown = ["frequency", "p_alive", "expected_purchases", "expected_spend", "clv"]
    >>> print(values[shown].head(4).round(2).to_string())
       frequency  p_alive  expected_purchases  expected_spend    clv
    0        2.0     0.36                0.75           49.59  35.20
    1        2.0     0.58                1.19           31.61  35.86
    2        1.0     0.06                0.07           39.85   2.83
    3        0.0     1.00                0.41           41.63  16.29
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
    factors = discount_factors(discount_rate, months=int(horizon), discount_period=discount_period)
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
    out["clv_if_alive"], out["value_at_stake"] = value_at_stake(clv, pa)
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


def value_at_stake(clv, p_alive) -> tuple[np.ndarray, np.ndarray]:
    """CLV were the customer surely active (clv / P(alive)) and the value at stake (that minus clv).

    Both are undefined (NaN) for a customer whose P(alive) is 0. Shared by
    :func:`customer_value` and the what-if explorer, so the two always agree.

    Examples
    --------
    >>> import numpy as np
    >>> if_alive, stake = value_at_stake(np.array([100.0, 50.0, 10.0]), np.array([1.0, 0.5, 0.0]))
    >>> if_alive, stake
    (array([100., 100.,  nan]), array([ 0., 50., nan]))
    """
    clv, p_alive = np.asarray(clv, dtype="float64"), np.asarray(p_alive, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        if_alive = np.where(p_alive > 0, clv / p_alive, np.nan)
    return if_alive, if_alive - clv


def valuable(value, *, min_value_quantile: float = 0.8) -> np.ndarray:
    """The "valuable" rule of the at-risk list: value at or above the quantile, and positive.

    Examples
    --------
    >>> valuable([0.0, 10.0, 20.0, 300.0, 40.0], min_value_quantile=0.6)
    array([False, False, False,  True,  True])
    """
    value = np.asarray(value, dtype="float64")
    return (value >= float(np.nanquantile(value, min_value_quantile))) & (value > 0)


# the private names existing code and tests were written against
_value_at_stake = value_at_stake


def _valuable(value, min_value_quantile):
    return valuable(value, min_value_quantile=min_value_quantile)



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

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)  # 1,000 simulated customers observed for 52 weeks
    >>> n, weeks = 1000, 52.0
    >>> active = np.minimum(rng.exponential(30.0, n), weeks)
    >>> x = rng.poisson(rng.gamma(1.0, 0.25, n) * active).astype(float)
    >>> summary = pd.DataFrame({"frequency": x, "recency": np.where(x > 0, active * rng.beta(np.maximum(x, 1), 1), 0.0),
    ...                         "T": weeks, "monetary_value": np.where(x > 0, rng.gamma(4.0, 10.0, n), 0.0)})
    >>> from cxlab.clv import fit_bgnbd, fit_gamma_gamma
    >>> bg, gg = fit_bgnbd(summary, time_unit="W"), fit_gamma_gamma(summary)
    >>> values = customer_value(summary, model=bg, spend_model=gg)
    >>> risk = at_risk_customers(values, p_alive_threshold=0.3, min_value_quantile=0.8)
    >>> len(risk)
    102
    >>> print(risk[["frequency", "historical_value", "p_alive", "value_rank"]].head(3).round(2).to_string())
         frequency  historical_value  p_alive  value_rank
    68        40.0           2861.38     0.00           6
    216       18.0           2734.45     0.00           7
    457       31.0           2464.66     0.08           9
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
    at_risk = values["p_alive"].to_numpy() < p_alive_threshold
    mask = at_risk & valuable(v, min_value_quantile=min_value_quantile)
    out = values.loc[mask].copy()
    out["value_rank"] = rank[mask].astype("int64").to_numpy()
    return out.sort_values([value, "p_alive"], ascending=[False, True], kind="stable")
