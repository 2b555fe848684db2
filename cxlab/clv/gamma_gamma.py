"""Gamma-Gamma spend model (Fader & Hardie 2013): likelihood, fit, expected spend."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from cxlab._checks import numeric_column, raise_rows
from cxlab.clv._fit import (
    _covariance,
    _FitBase,
    _hessian,
    _minimise,
    _model_theta,
    _param_table,
)
from cxlab.clv.bgnbd import _param_vector
from cxlab.errors import CXLabError

__all__ = ["GammaGammaFit", "fit_gamma_gamma", "gamma_gamma_log_likelihood", "expected_spend", "nonpositive_spend"]


@dataclass(frozen=True)
class GammaGammaFit(_FitBase):
    """A fitted Gamma-Gamma spend model (Fader & Hardie 2013).

    Attributes
    ----------
    table
        Columns ``parameter`` (p, q, gamma), ``estimate``, ``se``, ``ci_low``, ``ci_high``.
    log_likelihood, n, converged, cov_log
        As for :class:`BGNBDFit`; ``n`` counts the repeat customers used.
    n_excluded
        Customers left out because they have no repeat purchase (their mean repeat spend
        is undefined); they still get a prediction, the population mean.
    density_table
        Observed vs model density of the mean repeat spend (columns ``bin_low``,
        ``bin_high``, ``observed``, ``expected``), the check of Fader & Hardie's note.
    """

    n_excluded: int = 0
    density_table: pd.DataFrame = field(default=None, repr=False)
    model_name = "Gamma-Gamma"

    @property
    def theta(self) -> np.ndarray:
        return self.params[["p", "q", "gamma"]].to_numpy()

    @property
    def population_mean(self) -> float:
        """E(Z) = p * gamma / (q - 1), the mean spend per transaction across customers (inf if q <= 1)."""
        p, q, g = self.theta
        return p * g / (q - 1) if q > 1 else math.inf

    def plot(self, ax=None):
        """Observed vs model density of mean repeat spend (see cxlab.plots.clv)."""
        from cxlab.plots.clv import plot_spend_fit

        return plot_spend_fit(self.density_table, ax=ax)



def _gg_ll_terms(log_params, x, z, with_grad=False):
    p, q, g = np.exp(log_params)
    px = p * x
    log_gxz = np.log(g + x * z)
    ll = (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * math.log(g)
          + (px - 1) * np.log(z) + px * np.log(x) - (px + q) * log_gxz)
    if not with_grad:
        return ll
    dg = special.digamma
    d_p = x * (dg(px + q) - dg(px) + np.log(z) + np.log(x) - log_gxz)
    d_q = dg(px + q) - dg(q) + math.log(g) - log_gxz
    d_g = q / g - (px + q) / (g + x * z)
    return ll, np.stack([d_p * p, d_q * q, d_g * g], axis=1)


def _spend_arrays(summary, frequency, monetary_value):
    x = numeric_column(summary, frequency, role="frequency")
    if monetary_value not in summary.columns:
        numeric_column(summary, monetary_value, role="monetary value")  # raises the missing-column error
    try:
        m = summary[monetary_value].to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):
        raise CXLabError(f"column {monetary_value!r} (monetary value) is not numeric", column=monetary_value,
                         fix="convert it to numbers before fitting") from None
    # customers without repeat purchases have no mean repeat spend: a missing value is fine there
    missing = (x > 0) & ~np.isfinite(m)
    if missing.any():
        raise_rows(summary, missing, monetary_value, "have repeat purchases but a missing mean spend",
                   "fill or drop these customers first")
    m = np.where(x > 0, m, 0.0)
    if ((x < 0) | (x != np.round(x))).any():
        raise_rows(summary, (x < 0) | (x != np.round(x)), frequency, "have a frequency that is not a whole number >= 0",
                   "rebuild the summary with cxlab.segmentation.rfm_summary")
    bad = (x > 0) & (m <= 0)
    if bad.any():
        raise_rows(summary, bad, monetary_value, "have repeat purchases but a mean spend <= 0 (returns or "
                   "free orders?)", "the Gamma-Gamma model needs positive spend: net out returns per "
                   "purchase, or leave these customers out explicitly with "
                   "summary[~cxlab.clv.nonpositive_spend(summary)] and say how many")
    return x, m


def nonpositive_spend(summary: pd.DataFrame, *, frequency: str = "frequency",
                      monetary_value: str = "monetary_value") -> pd.Series:
    """Customers the Gamma-Gamma spend model cannot use: repeat buyers whose mean repeat spend is <= 0.

    The Gamma-Gamma likelihood is defined for positive spend only, so a customer whose
    repeat purchases were all free (or refunded) cannot enter :func:`fit_gamma_gamma` or
    :func:`expected_spend`. Leave them out explicitly, count them and say why
    (``cxlab.findings.clv.spend_exclusion_note``); their purchases still count everywhere else.

    Parameters
    ----------
    summary
        Per-customer summary with frequency (repeat purchases) and mean repeat spend, e.g.
        from :func:`cxlab.segmentation.rfm_summary`.
    frequency, monetary_value
        Column names.

    Returns
    -------
    pandas.Series
        Boolean, indexed like ``summary``: True for a customer with at least one repeat
        purchase and a mean repeat spend of zero or less (customers without repeat
        purchases are False: the model does not use their spend at all).

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [0, 2, 1, 3], "monetary_value": [0.0, 12.5, 0.0, -4.0]},
    ...                  index=pd.Index(["a", "b", "c", "d"], name="customer_id"))
    >>> nonpositive_spend(s)
    customer_id
    a    False
    b    False
    c     True
    d     True
    Name: nonpositive_spend, dtype: bool
    """
    x = numeric_column(summary, frequency, role="frequency")
    if monetary_value not in summary.columns:
        numeric_column(summary, monetary_value, role="monetary value")  # raises the missing-column error
    try:
        m = summary[monetary_value].to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):
        raise CXLabError(f"column {monetary_value!r} (monetary value) is not numeric", column=monetary_value,
                         fix="convert it to numbers first") from None
    with np.errstate(invalid="ignore"):
        bad = (x > 0) & (m <= 0)
    return pd.Series(bad, index=summary.index, name="nonpositive_spend")


def gamma_gamma_log_likelihood(summary: pd.DataFrame, *, params: dict[str, float] | Sequence[float],
                               frequency: str = "frequency", monetary_value: str = "monetary_value") -> float:
    """Total Gamma-Gamma log-likelihood over the repeat customers (Fader & Hardie 2013, eq. 1a).

    Parameters
    ----------
    summary
        Per-customer summary with frequency and mean repeat spend.
    params
        ``{"p", "q", "gamma"}`` (a mapping, or a sequence in that order).
    frequency, monetary_value
        Column names.

    Returns
    -------
    float
        Sum of log f(mean spend | p, q, gamma; x) over customers with frequency > 0.

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
    >>> round(gamma_gamma_log_likelihood(summary, params={"p": 3.6, "q": 4.7, "gamma": 43.1}), 2)
    -3325.18
    """
    x, m = _spend_arrays(summary, frequency, monetary_value)
    theta = _param_vector(params, ("p", "q", "gamma"))
    keep = x > 0
    return float(_gg_ll_terms(np.log(theta), x[keep], m[keep]).sum())


def fit_gamma_gamma(summary: pd.DataFrame, *, frequency: str = "frequency",
                    monetary_value: str = "monetary_value", bins: int = 30) -> GammaGammaFit:
    """Fit the Gamma-Gamma spend model by maximum likelihood on the repeat customers.

    Parameters
    ----------
    summary
        Per-customer summary with frequency (repeat purchases) and ``monetary_value``
        (mean value of the repeat purchases).
    frequency, monetary_value
        Column names.
    bins
        Number of bins of the density check table.

    Returns
    -------
    GammaGammaFit
        ``table`` columns: parameter (p, q, gamma), estimate, se, ci_low, ci_high; plus
        ``log_likelihood``, ``aic``, ``bic``, ``n_excluded``, ``density_table``.

    Notes
    -----
    Customers without repeat purchases are excluded from the fit (counted in
    ``n_excluded``). The model assumes spend is independent of purchase frequency; check
    it (e.g. the correlation of frequency and mean spend among repeat customers). On the
    946 CDNOW repeat customers this gives p = 6.25, q = 3.74, gamma = 15.44 as published.

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
    >>> gg = fit_gamma_gamma(summary)
    >>> print(gg.table.round(2).to_string())
      parameter  estimate     se  ci_low  ci_high
    0         p      3.56   0.67    2.46     5.16
    1         q      4.69   0.38    3.99     5.50
    2     gamma     43.06  11.12   25.96    71.43
    >>> round(float(gg.population_mean), 2)
    41.63
    """
    x, m = _spend_arrays(summary, frequency, monetary_value)
    keep = x > 0
    if keep.sum() < 3:
        raise CXLabError(f"only {int(keep.sum())} customer(s) have repeat purchases; the Gamma-Gamma model "
                         "needs many more", column=frequency, fix="use a longer observation period")
    xk, mk = x[keep], m[keep]
    # Terms that depend on x only are evaluated once per distinct x (few) and weighted by counts.
    ux, inv, counts = np.unique(xk, return_inverse=True, return_counts=True)
    inv = inv.ravel()
    n_rep = len(xk)
    log_m, log_x = np.log(mk), np.log(xk)
    sum_xlogm_xlogx = float((xk * (log_m + log_x)).sum())
    sum_logm = float(log_m.sum())
    dg = special.digamma

    def neg_ll(theta):
        p, q, g = np.exp(theta)
        pu = p * ux
        log_gxz = np.log(g + xk * mk)
        per_x = counts * (special.gammaln(pu + q) - special.gammaln(pu))
        ll = (per_x.sum() - n_rep * (special.gammaln(q) - q * math.log(g)) + p * sum_xlogm_xlogx - sum_logm
              - ((p * xk + q) * log_gxz).sum())
        if not np.isfinite(ll):
            return 1e10, np.zeros_like(theta)
        dpq = dg(pu + q)
        d_p = (counts * ux * (dpq - dg(pu))).sum() + sum_xlogm_xlogx - (xk * log_gxz).sum()
        d_q = (counts * dpq).sum() - n_rep * dg(q) + n_rep * math.log(g) - log_gxz.sum()
        d_g = n_rep * q / g - ((p * xk + q) / (g + xk * mk)).sum()
        grad = np.array([d_p * p, d_q * q, d_g * g])
        return -ll / n_rep, -grad / n_rep

    scale = float(np.mean(mk))
    starts = [np.log([1.0, 1.0, 1.0]), np.log([2.0, 3.0, scale]), np.log([5.0, 4.0, scale / 2])]
    res, converged = _minimise(neg_ll, starts)
    n = int(keep.sum())
    cov, converged = _covariance(_hessian(lambda th: neg_ll(th)[1], res.x) * n, converged)
    table = _param_table(("p", "q", "gamma"), res.x, cov)
    density = _spend_density_table(np.exp(res.x), xk, mk, bins)
    return GammaGammaFit(table=table, log_likelihood=float(-res.fun * n), n=n, converged=converged, cov_log=cov,
                         n_excluded=int((~keep).sum()), density_table=density)


def _spend_density_table(theta, x, m, bins: int) -> pd.DataFrame:
    upper = float(np.quantile(m, 0.99))
    edges = np.linspace(0.0, upper, bins + 1)
    observed, _ = np.histogram(m, bins=edges)
    width = np.diff(edges)
    xs, counts = np.unique(x, return_counts=True)
    # model probability of each bin, mixing f(mean spend | x) over the observed x (B2 distribution)
    p, q, g = theta
    expected = np.zeros(bins)
    for xv, c in zip(xs, counts, strict=True):
        # mean spend z given x: x*z/(g + x*z) ~ Beta(p x, q)
        cdf = special.betainc(p * xv, q, xv * edges / (g + xv * edges))
        expected += c * np.diff(cdf)
    n = len(m)
    return pd.DataFrame({"bin_low": edges[:-1], "bin_high": edges[1:], "observed": observed / (n * width),
                         "expected": expected / (n * width)})



def _expected_spend(theta, x, m) -> np.ndarray:
    p, q, g = theta
    mm = np.where(x > 0, m, 0.0)
    return p * (g + x * mm) / (p * x + q - 1.0)


def expected_spend(summary: pd.DataFrame, *, spend_model: GammaGammaFit, frequency: str = "frequency",
                   monetary_value: str = "monetary_value") -> pd.Series:
    """Expected mean value of each customer's future transactions (Fader & Hardie 2013, eq. 5).

    Parameters
    ----------
    summary
        Per-customer summary with frequency and mean repeat spend.
    spend_model
        A fitted :class:`GammaGammaFit`.
    frequency, monetary_value
        Column names.

    Returns
    -------
    pandas.Series
        ``expected_spend`` indexed like ``summary``: a weighted average of the population
        mean and the customer's own mean spend, the weight on the latter growing with the
        number of repeat purchases. Customers without repeat purchases get the population mean.

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
    >>> gg = fit_gamma_gamma(summary)
    >>> print(pd.DataFrame({"frequency": summary["frequency"], "mean_spend": summary["monetary_value"],
    ...                     "expected_spend": expected_spend(summary, spend_model=gg)}).head(4).round(2).to_string())
       frequency  mean_spend  expected_spend
    0        2.0       53.70           49.59
    1        2.0       26.42           31.61
    2        1.0       38.00           39.85
    3        0.0        0.00           41.63
    """
    theta = _model_theta(spend_model, GammaGammaFit)
    if theta[1] <= 1:
        raise CXLabError(f"the fitted q = {theta[1]:.3g} <= 1, so mean spend is infinite under the model",
                         fix="check the spend data for extreme values")
    x, m = _spend_arrays(summary, frequency, monetary_value)
    return pd.Series(_expected_spend(theta, x, m), index=summary.index, name="expected_spend")
