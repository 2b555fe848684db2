"""Customer lifetime value: BG/NBD purchases, Gamma-Gamma spend, P(alive), CLV, holdout checks.

The models work on the per-customer RFM summary (one row per customer, indexed by
customer id) that :func:`cxlab.segmentation.rfm_summary` returns, with the definitions of
Fader and Hardie: ``frequency`` = number of repeat purchase days, ``recency`` = time from
the first to the last purchase, ``T`` = age at the end of the observation period,
``monetary_value`` = mean value of the repeat purchases. All times are in one unit (days
by default; say which with ``time_unit``).

* **BG/NBD** (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
  alive, a customer buys as a Poisson process with rate ``lambda ~ Gamma(r, alpha)``; after
  each purchase they drop out with probability ``p ~ Beta(a, b)``.
* **Gamma-Gamma** (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value"): the
  value of each transaction is ``Gamma(p, nu)``, with ``nu ~ Gamma(q, gamma)`` across
  customers, independent of the purchase process.

Both are fitted by maximum likelihood on the log of their parameters (scipy L-BFGS-B with
analytic gradients); standard errors come from the inverse Hessian of the log-likelihood
(numerical derivative of the analytic gradient), turned into natural-scale standard errors
by the delta method. Prediction intervals (:func:`clv_intervals`) are a parametric
bootstrap over *parameter uncertainty*: parameter vectors are drawn from the asymptotic
normal distribution of the log-parameters and every prediction is recomputed per draw.

Modules (each re-exported here): ``bgnbd`` (purchase model, P(alive), expected
purchases), ``gamma_gamma`` (spend model), ``value`` (monthly purchases, discounted CLV,
customers at risk), ``intervals`` (bootstrap intervals), ``checks`` (calibration/holdout,
tracking); ``_fit`` holds the maximum-likelihood machinery both models share. The RFM
summary they read comes from :mod:`cxlab.rfm`.

This package imports no plotting or notebook libraries.

Examples
--------
>>> import cxlab.clv as clv
>>> from cxlab.datasets import load_example
>>> from cxlab.segmentation import rfm_summary
>>> demo = load_example()
>>> rfm = rfm_summary(demo.transactions, observation_end=demo.observation_end)
>>> bg = clv.fit_bgnbd(rfm)
>>> gg = clv.fit_gamma_gamma(rfm)
>>> values = clv.customer_value(rfm, model=bg, spend_model=gg, horizon=12)
>>> print(values[["p_alive", "expected_purchases", "clv"]].describe().loc[["mean", "50%"]].round(2).to_string())
      p_alive  expected_purchases       clv
mean     0.66                4.28  16433.75
50%      0.89                3.16   6114.36
"""

from cxlab.clv._fit import DAYS_PER_MONTH, TimeUnit, _param_table
from cxlab.clv.bgnbd import (
    BGNBDFit,
    _conditional_alive_expectation_quadrature,
    bgnbd_log_likelihood,
    expected_purchases,
    expected_purchases_population,
    fit_bgnbd,
    p_alive,
    purchase_count_probability,
)
from cxlab.clv.checks import HoldoutCheck, holdout_check, tracking_series
from cxlab.clv.gamma_gamma import (
    GammaGammaFit,
    expected_spend,
    fit_gamma_gamma,
    gamma_gamma_log_likelihood,
    nonpositive_spend,
)
from cxlab.clv.intervals import CLVIntervals, clv_intervals
from cxlab.clv.value import (
    _discount_factors,
    _monthly_discount,
    _valuable,
    _value_at_stake,
    at_risk_customers,
    customer_value,
    discount_factors,
    discounted_value,
    monthly_expected_purchases,
    monthly_value,
    valuable,
    value_at_stake,
)

__all__ = [
    "BGNBDFit",
    "GammaGammaFit",
    "HoldoutCheck",
    "CLVIntervals",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "bgnbd_log_likelihood",
    "gamma_gamma_log_likelihood",
    "p_alive",
    "expected_purchases",
    "expected_purchases_population",
    "purchase_count_probability",
    "expected_spend",
    "nonpositive_spend",
    "monthly_expected_purchases",
    "monthly_value",
    "discount_factors",
    "discounted_value",
    "value_at_stake",
    "valuable",
    "customer_value",
    "clv_intervals",
    "holdout_check",
    "tracking_series",
    "at_risk_customers",
]
