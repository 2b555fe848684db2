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

This module imports no plotting or notebook libraries.

Examples
--------
>>> import cxlab.clv as clv
>>> from cxlab.datasets import load_example
>>> from cxlab.segmentation import rfm_summary
>>> demo = load_example()
>>> rfm = rfm_summary(demo.transactions, customer_col="customer_id", datetime_col="timestamp",
...                   monetary_col="amount", observation_end=demo.observation_end)
>>> bg = clv.fit_bgnbd(rfm)
>>> gg = clv.fit_gamma_gamma(rfm)
>>> values = clv.customer_value(rfm, model=bg, spend_model=gg, horizon=12)
>>> bool(values["p_alive"].between(0, 1).all())
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from cxlab.errors import CXLabError

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
    "monthly_expected_purchases",
    "customer_value",
    "clv_intervals",
    "holdout_check",
    "tracking_series",
    "at_risk_customers",
]

TimeUnit = Literal["D", "W"] | float
_UNIT_DAYS = {"D": 1.0, "W": 7.0}
#: Average length of a calendar month in days (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12


# --------------------------------------------------------------------------- input checks


def _days_per_unit(time_unit: TimeUnit) -> float:
    if isinstance(time_unit, str):
        try:
            return _UNIT_DAYS[time_unit]
        except KeyError:
            raise CXLabError(
                f"unknown time unit {time_unit!r}",
                fix="use 'D' (days), 'W' (weeks) or a number of days per unit, the unit of recency and T",
            ) from None
    value = float(time_unit)
    if not value > 0:
        raise CXLabError(f"time unit must be a positive number of days, got {time_unit!r}",
                         fix="pass 'D', 'W' or a positive number of days")
    return value


def _column(frame: pd.DataFrame, name: str, *, role: str) -> np.ndarray:
    """A numeric column as float64, with a clear error when it is missing or not numeric."""
    if not isinstance(frame, pd.DataFrame):
        raise CXLabError(f"expected a per-customer summary DataFrame, got {type(frame).__name__}",
                         fix="pass the frame returned by cxlab.segmentation.rfm_summary")
    if name not in frame.columns:
        raise CXLabError(
            f"the summary has no column {name!r} ({role}); columns are {list(frame.columns)}",
            column=name,
            fix=f"pass the name of the {role} column with the matching keyword",
        )
    try:
        values = frame[name].to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):
        raise CXLabError(f"column {name!r} ({role}) is not numeric", column=name,
                         fix="convert it to numbers before fitting") from None
    bad = ~np.isfinite(values)
    if bad.any():
        _raise_rows(frame, bad, name, "is missing or not finite", "fill or drop these customers first")
    return values


def _raise_rows(frame: pd.DataFrame, bad: np.ndarray, column: str, problem: str, fix: str) -> None:
    positions = np.flatnonzero(bad)
    ids = ", ".join(str(v) for v in frame.index[positions[:5]])
    more = f" and {len(positions) - 5} more" if len(positions) > 5 else ""
    raise CXLabError(f"{len(positions)} customer(s) ({ids}{more}) {problem}", column=column,
                     rows=(positions + 1).tolist(), fix=fix)


def _rfm_arrays(frame: pd.DataFrame, frequency: str, recency: str, T: str) -> tuple[np.ndarray, ...]:
    x = _column(frame, frequency, role="frequency")
    tx = _column(frame, recency, role="recency")
    t_obs = _column(frame, T, role="T")
    if len(frame) == 0:
        raise CXLabError("the summary has no customers", fix="check the transactions and the observation end")
    checks = [
        ((x < 0) | (x != np.round(x)), frequency, "have a frequency that is not a whole number >= 0"),
        (tx < 0, recency, "have a negative recency"),
        (t_obs <= 0, T, "have T <= 0 (first purchase at or after the observation end)"),
        (tx > t_obs * (1 + 1e-9) + 1e-12, recency, "have recency greater than T"),
        ((x == 0) & (tx != 0), recency, "have no repeat purchase but a recency other than 0"),
    ]
    for bad, col, problem in checks:
        if bad.any():
            _raise_rows(frame, bad, col, problem,
                        "rebuild the summary with cxlab.segmentation.rfm_summary (frequency = repeat "
                        "purchase days, 0 <= recency <= T, recency = 0 when frequency = 0)")
    return x, tx, t_obs


def _weights(frame: pd.DataFrame, weights: str | None) -> np.ndarray | None:
    if weights is None:
        return None
    w = _column(frame, weights, role="weights")
    if (w < 0).any():
        _raise_rows(frame, w < 0, weights, "have a negative weight", "weights are customer counts (>= 0)")
    return w


# --------------------------------------------------------------------------- BG/NBD maths


def _bgnbd_ll_terms(log_params: np.ndarray, x, tx, T, with_grad: bool = False):
    """Per-customer BG/NBD log-likelihood (and its gradient w.r.t. the log-parameters)."""
    r, alpha, a, b = np.exp(log_params)
    has = x > 0
    log_at = np.log(alpha + T)
    log_atx = np.log(alpha + tx)
    bx1 = np.where(has, b + x - 1.0, 1.0)
    # u = log of the ratio of the "died after the last purchase" term to the "still alive" term
    u = np.where(has, math.log(a) - np.log(bx1) + (r + x) * (log_at - log_atx), -np.inf)
    ll = (special.betaln(a, b + x) - special.betaln(a, b) + special.gammaln(r + x) - special.gammaln(r)
          + r * math.log(alpha) - (r + x) * log_at + np.logaddexp(0.0, u))
    if not with_grad:
        return ll
    w = np.where(has, special.expit(u), 0.0)  # weight of the second term
    dg = special.digamma
    d_r = dg(r + x) - dg(r) + math.log(alpha) - log_at + w * (log_at - log_atx)
    d_alpha = r / alpha - (r + x) / (alpha + T) + w * (r + x) * (1.0 / (alpha + T) - 1.0 / (alpha + tx))
    d_a = dg(a + b) - dg(a + b + x) + w / a
    d_b = dg(b + x) - dg(a + b + x) - dg(b) + dg(a + b) - w / bx1
    grad = np.stack([d_r * r, d_alpha * alpha, d_a * a, d_b * b], axis=1)
    return ll, grad


def bgnbd_log_likelihood(summary: pd.DataFrame, *, params: dict[str, float] | Sequence[float],
                         frequency: str = "frequency", recency: str = "recency", T: str = "T",
                         weights: str | None = None) -> float:
    """Total BG/NBD log-likelihood of a summary at given parameters.

    Parameters
    ----------
    summary
        Per-customer summary with frequency, recency and T.
    params
        ``{"r", "alpha", "a", "b"}`` (a mapping, or a sequence in that order).
    frequency, recency, T, weights
        Column names; ``weights`` (optional) counts identical customers.

    Returns
    -------
    float
        The sum over customers of the log-likelihood (Fader, Hardie & Lee 2005, eq. 6).
    """
    x, tx, t_obs = _rfm_arrays(summary, frequency, recency, T)
    theta = _param_vector(params, ("r", "alpha", "a", "b"))
    ll = _bgnbd_ll_terms(np.log(theta), x, tx, t_obs)
    w = _weights(summary, weights)
    return float(ll.sum() if w is None else (w * ll).sum())


def _param_vector(params, names: tuple[str, ...]) -> np.ndarray:
    if isinstance(params, dict | pd.Series):
        values = [float(params[k]) for k in names]
    else:
        values = [float(v) for v in params]
    arr = np.asarray(values, dtype="float64")
    if arr.shape != (len(names),) or not (arr > 0).all():
        raise CXLabError(f"parameters must be {len(names)} positive numbers {names}, got {params!r}",
                         fix="pass the fitted parameters (fit.params)")
    return arr


def _p_alive(theta: np.ndarray, x, tx, T) -> np.ndarray:
    r, alpha, a, b = theta
    has = x > 0
    bx1 = np.where(has, b + x - 1.0, 1.0)
    u = np.where(has, math.log(a) - np.log(bx1) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx)), -np.inf)
    return special.expit(-u)  # 1 / (1 + e^u)


def _jacobi_rule(alpha_j: float, beta_j: float, n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    nodes, weights = special.roots_jacobi(n, alpha_j, beta_j)
    return nodes, weights


def _conditional_alive_expectation_quadrature(theta, x, T, t) -> np.ndarray:
    """E[purchases in (T, T+t] | alive at T, data] by Gauss-Jacobi quadrature over p.

    Given the data and being alive at T, lambda ~ Gamma(r + x, alpha + T) and
    p ~ Beta(a, b + x); a customer alive at T buys on average (1 - exp(-lambda p t)) / p
    more times in t. Averaging over lambda in closed form and over p by quadrature avoids
    the Gauss hypergeometric function, which loses accuracy for large r + x.
    """
    r, alpha, a, b = theta
    out = np.empty_like(np.asarray(T, dtype="float64"))
    for xv in np.unique(x):
        sel = x == xv
        nodes, wts = _jacobi_rule(b + xv - 1.0, a - 1.0)  # weight (1-s)^(b+x-1) (1+s)^(a-1)
        p = (1.0 + nodes) / 2.0
        wts = wts / wts.sum()
        base = (alpha + T[sel])[:, None]
        tt = np.broadcast_to(t, T.shape)[sel][:, None]
        inner = -np.expm1(-(r + xv) * np.log1p(p[None, :] * tt / base)) / p[None, :]
        out[sel] = inner @ wts
    return out


def _expected_purchases(theta: np.ndarray, x, tx, T, t) -> np.ndarray:
    """Conditional expected purchases in (T, T+t] (Fader, Hardie & Lee 2005, eq. 10)."""
    r, alpha, a, b = theta
    t = np.asarray(t, dtype="float64")
    z = t / (alpha + T + t)
    with np.errstate(all="ignore"):
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1.0, z)
        bracket = 1.0 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp
        alive_part = (a + b + x - 1.0) / (a - 1.0) * bracket
    pa = _p_alive(theta, x, tx, T)
    expected_if_alive = alive_part
    # hyp2f1 is unreliable for large r + x, and the closed form cancels badly when a is near 1:
    # recompute those customers (and any non-finite or impossible value) by quadrature.
    suspicious = ~np.isfinite(alive_part) | (alive_part < 0) | (abs(a - 1.0) < 1e-3) | (r + x > 50)
    suspicious = np.broadcast_to(suspicious, np.broadcast_shapes(np.shape(x), np.shape(T), np.shape(t)))
    if suspicious.any():
        xb, Tb = np.broadcast_arrays(x, T)
        tb = np.broadcast_to(t, xb.shape)
        expected_if_alive = np.array(np.broadcast_to(alive_part, xb.shape), dtype="float64")
        expected_if_alive[suspicious] = _conditional_alive_expectation_quadrature(
            theta, xb[suspicious], Tb[suspicious], tb[suspicious])
    return pa * expected_if_alive


def _population_expected(theta: np.ndarray, t) -> np.ndarray:
    """Unconditional E[X(t)] for a customer who made the first purchase at time 0 (eq. 9)."""
    r, alpha, a, b = theta
    t = np.asarray(t, dtype="float64")
    z = t / (alpha + t)
    hyp = special.hyp2f1(r, b, a + b - 1.0, z)
    val = (a + b - 1.0) / (a - 1.0) * (1.0 - np.exp(r * (math.log(alpha) - np.log(alpha + t))) * hyp)
    return np.where(t > 0, val, 0.0)


def _count_probability(theta: np.ndarray, t, n: int) -> np.ndarray:
    """P(X(t) = n) for a new customer (Fader, Hardie & Lee 2005, eq. 8)."""
    r, alpha, a, b = theta
    t = np.asarray(t, dtype="float64")
    log_q = np.log(alpha) - np.log(alpha + t)  # log(alpha / (alpha + t))
    log_s = np.log(t) - np.log(alpha + t)  # log(t / (alpha + t))
    first = np.exp(special.betaln(a, b + n) - special.betaln(a, b) + special.gammaln(r + n) - special.gammaln(r)
                   - special.gammaln(n + 1) + r * log_q + n * log_s)
    if n == 0:
        return first
    j = np.arange(n)[:, None]
    partial = np.exp(special.gammaln(r + j) - special.gammaln(r) - special.gammaln(j + 1) + r * log_q[None, ...]
                     + j * log_s[None, ...]).sum(axis=0)
    second = np.exp(special.betaln(a + 1, b + n - 1) - special.betaln(a, b)) * (1.0 - partial)
    return first + second


# --------------------------------------------------------------------------- fitting


def _minimise(neg_ll: Callable, x0: Sequence[np.ndarray]) -> tuple[optimize.OptimizeResult, bool]:
    """Minimise from the first start; try the other starts only if that does not converge."""

    def converged_at(res) -> bool:
        grad = neg_ll(res.x)[1]
        return bool(np.isfinite(res.fun) and np.max(np.abs(grad)) < 1e-5)

    best = None
    for start in x0:
        res = optimize.minimize(neg_ll, start, jac=True, method="L-BFGS-B", bounds=[(-20.0, 20.0)] * len(start),
                                options={"maxiter": 5000, "ftol": 1e-14, "gtol": 1e-8})
        # polish with BFGS (unbounded), which also refines the curvature estimate
        polished = optimize.minimize(neg_ll, res.x, jac=True, method="BFGS", options={"gtol": 1e-8, "maxiter": 500})
        if np.isfinite(polished.fun) and polished.fun <= res.fun:
            res = polished
        if best is None or res.fun < best.fun:
            best = res
        if converged_at(best):
            return best, True
    return best, converged_at(best)


def _hessian(grad_fn: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Central-difference Hessian of a function whose gradient is ``grad_fn``."""
    k = len(x)
    h = np.empty((k, k))
    for i in range(k):
        step = 1e-5 * max(1.0, abs(x[i]))
        e = np.zeros(k)
        e[i] = step
        h[i] = (grad_fn(x + e) - grad_fn(x - e)) / (2 * step)
    return (h + h.T) / 2


def _covariance(hessian: np.ndarray, converged: bool) -> tuple[np.ndarray, bool]:
    """Covariance of the log-parameters (inverse Hessian of the total negative log-likelihood).

    A singular Hessian or a non-positive variance means the optimum is not a proper maximum:
    the covariance is then all missing and the fit is flagged as not converged.
    """
    try:
        cov = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        return np.full(hessian.shape, np.nan), False
    return cov, converged and bool((np.diag(cov) > 0).all())


def _param_table(names, log_est, cov_log, level=0.95) -> pd.DataFrame:
    z = stats.norm.ppf(0.5 + level / 2)
    est = np.exp(log_est)
    se_log = np.sqrt(np.clip(np.diag(cov_log), 0, None)) if cov_log is not None else np.full(len(est), np.nan)
    return pd.DataFrame({
        "parameter": list(names),
        "estimate": est,
        "se": est * se_log,  # delta method
        "ci_low": np.exp(log_est - z * se_log),
        "ci_high": np.exp(log_est + z * se_log),
    })


@dataclass(frozen=True)
class _FitBase:
    table: pd.DataFrame
    log_likelihood: float
    n: int
    converged: bool
    cov_log: np.ndarray = field(repr=False)

    model_name = ""

    @property
    def params(self) -> pd.Series:
        """Point estimates by parameter name."""
        return pd.Series(self.table["estimate"].to_numpy(), index=self.table["parameter"].to_numpy(), name="estimate")

    @property
    def se(self) -> pd.Series:
        """Standard errors (delta method from the log-parameter Hessian)."""
        return pd.Series(self.table["se"].to_numpy(), index=self.table["parameter"].to_numpy(), name="se")

    @property
    def k(self) -> int:
        return len(self.table)

    @property
    def aic(self) -> float:
        return 2 * self.k - 2 * self.log_likelihood

    @property
    def bic(self) -> float:
        return self.k * math.log(self.n) - 2 * self.log_likelihood

    def fit_statistics(self) -> pd.DataFrame:
        """One row: model, n, log_likelihood, aic, bic, converged."""
        return pd.DataFrame([{"model": self.model_name, "n": self.n, "log_likelihood": self.log_likelihood,
                              "aic": self.aic, "bic": self.bic, "converged": self.converged}])

    def summary(self) -> str:
        """A plain-text summary: the parameter table and the fit statistics."""
        lines = [f"{self.model_name}: n = {self.n:,}, log-likelihood = {self.log_likelihood:,.2f}, "
                 f"AIC = {self.aic:,.1f}, BIC = {self.bic:,.1f}, converged = {self.converged}"]
        lines.append(self.table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = (f"<p><b>{self.model_name}</b> — n = {self.n:,}, log-likelihood = {self.log_likelihood:,.2f}, "
                f"AIC = {self.aic:,.1f}, converged = {self.converged}</p>")
        return head + self.table.to_html(index=False, float_format=lambda v: f"{v:.4g}", border=0)

    def draw_params(self, n_draws: int, rng: np.random.Generator) -> np.ndarray:
        """Parameter vectors drawn from the asymptotic normal of the log-parameters (n_draws x k)."""
        log_est = np.log(self.table["estimate"].to_numpy())
        if self.cov_log is None or not np.isfinite(self.cov_log).all():
            raise CXLabError(f"the {self.model_name} fit has no usable covariance matrix",
                             fix="check that the fit converged (fit.converged) and has enough customers")
        return np.exp(rng.multivariate_normal(log_est, self.cov_log, size=n_draws, method="eigh"))


@dataclass(frozen=True)
class BGNBDFit(_FitBase):
    """A fitted BG/NBD model (Fader, Hardie & Lee 2005).

    Attributes
    ----------
    table
        Columns ``parameter`` (r, alpha, a, b), ``estimate``, ``se``, ``ci_low``, ``ci_high``
        (95% interval, computed on the log scale so it stays positive).
    log_likelihood, n, converged
        Maximised log-likelihood, number of customers (sum of weights), optimiser status.
    cov_log
        Covariance matrix of the log-parameters (inverse Hessian).
    frequency_table
        Observed vs expected number of customers by number of repeat purchases in the
        observed period (columns ``frequency``, ``label``, ``actual``, ``expected``), the
        model check of Fader, Hardie & Lee's Figure 2.
    time_unit
        The unit of recency and T the model was fitted in ("D", "W" or days per unit).
    """

    frequency_table: pd.DataFrame = field(default=None, repr=False)
    time_unit: Any = "D"
    model_name = "BG/NBD"

    @property
    def theta(self) -> np.ndarray:
        return self.params[["r", "alpha", "a", "b"]].to_numpy()

    def plot(self, ax=None):
        """Observed vs expected customers by number of repeat purchases (see cxlab.plots.clv)."""
        from cxlab.plots.clv import plot_frequency_fit

        return plot_frequency_fit(self.frequency_table, ax=ax)


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


def fit_bgnbd(summary: pd.DataFrame, *, frequency: str = "frequency", recency: str = "recency", T: str = "T",
              weights: str | None = None, time_unit: TimeUnit = "D", max_frequency: int = 7) -> BGNBDFit:
    """Fit the BG/NBD model by maximum likelihood.

    Parameters
    ----------
    summary
        Per-customer summary (index = customer id) with frequency (repeat purchases),
        recency and T, e.g. from :func:`cxlab.segmentation.rfm_summary`.
    frequency, recency, T
        Column names.
    weights
        Optional column counting identical customers (for a compressed summary).
    time_unit
        Unit of recency and T ("D", "W" or days per unit); stored with the fit.
    max_frequency
        Last bucket ("max+") of the frequency check table.

    Returns
    -------
    BGNBDFit
        ``table`` columns: parameter, estimate, se, ci_low, ci_high; plus
        ``log_likelihood``, ``aic``, ``bic``, ``frequency_table``.

    Notes
    -----
    The parameters are optimised on the log scale (L-BFGS-B from several starting
    points, polished with BFGS) with the analytic gradient of the log-likelihood.
    On the 2,357 CDNOW customers (time in weeks) this gives r = 0.243, alpha = 4.414,
    a = 0.793, b = 2.426, LL = -9582.4, as published.
    """
    _days_per_unit(time_unit)
    x, tx, t_obs = _rfm_arrays(summary, frequency, recency, T)
    w = _weights(summary, weights)
    if w is None:
        keys = np.stack([x, tx, t_obs], axis=1)
        uniq, counts = np.unique(keys, axis=0, return_counts=True)
        xu, txu, Tu, wu = uniq[:, 0], uniq[:, 1], uniq[:, 2], counts.astype("float64")
    else:
        xu, txu, Tu, wu = x, tx, t_obs, w
    total = wu.sum()
    if (xu > 0).sum() == 0:
        raise CXLabError("no customer has a repeat purchase, so the BG/NBD model cannot be fitted",
                         column=frequency, fix="use a longer observation period")

    def neg_ll(theta):
        ll, grad = _bgnbd_ll_terms(theta, xu, txu, Tu, with_grad=True)
        value = -(wu * ll).sum() / total
        if not np.isfinite(value):
            return 1e10, np.zeros_like(theta)
        return value, -(wu[:, None] * grad).sum(axis=0) / total

    scale = float(np.mean(t_obs))
    starts = [np.log([1.0, scale, 1.0, 1.0]), np.log([0.5, scale / 10, 0.8, 2.5]), np.log([0.2, scale / 4, 2.0, 5.0])]
    res, converged = _minimise(neg_ll, starts)
    cov, converged = _covariance(_hessian(lambda th: neg_ll(th)[1], res.x) * total, converged)
    table = _param_table(("r", "alpha", "a", "b"), res.x, cov)
    theta = np.exp(res.x)
    freq_table = _frequency_table(theta, x if w is None else xu, t_obs if w is None else Tu,
                                  None if w is None else wu, max_frequency)
    return BGNBDFit(table=table, log_likelihood=float(-res.fun * total), n=int(round(total)), converged=converged,
                    cov_log=cov, frequency_table=freq_table, time_unit=time_unit)


def _frequency_table(theta, x, T, w, max_frequency: int) -> pd.DataFrame:
    w = np.ones_like(x) if w is None else w
    Tu, inv = np.unique(T, return_inverse=True)
    wT = np.bincount(inv, weights=w)
    rows = []
    cum = np.zeros_like(Tu)
    for n in range(max_frequency + 1):
        if n < max_frequency:
            prob = _count_probability(theta, Tu, n)
            cum = cum + prob
            actual = w[x == n].sum()
            label = str(n)
        else:
            prob = 1.0 - cum
            actual = w[x >= n].sum()
            label = f"{n}+"
        rows.append({"frequency": n, "label": label, "actual": float(actual), "expected": float((wT * prob).sum())})
    return pd.DataFrame(rows)


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
    x = _column(summary, frequency, role="frequency")
    if monetary_value not in summary.columns:
        _column(summary, monetary_value, role="monetary value")  # raises the missing-column error
    try:
        m = summary[monetary_value].to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):
        raise CXLabError(f"column {monetary_value!r} (monetary value) is not numeric", column=monetary_value,
                         fix="convert it to numbers before fitting") from None
    # customers without repeat purchases have no mean repeat spend: a missing value is fine there
    missing = (x > 0) & ~np.isfinite(m)
    if missing.any():
        _raise_rows(summary, missing, monetary_value, "have repeat purchases but a missing mean spend",
                    "fill or drop these customers first")
    m = np.where(x > 0, m, 0.0)
    if ((x < 0) | (x != np.round(x))).any():
        _raise_rows(summary, (x < 0) | (x != np.round(x)), frequency, "have a frequency that is not a whole number >= 0",
                    "rebuild the summary with cxlab.segmentation.rfm_summary")
    bad = (x > 0) & (m <= 0)
    if bad.any():
        _raise_rows(summary, bad, monetary_value, "have repeat purchases but a mean spend <= 0 (returns or "
                    "free orders?)", "the Gamma-Gamma model needs positive spend: net out returns per "
                    "purchase or drop these customers explicitly before fitting")
    return x, m


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


# --------------------------------------------------------------------------- predictions


def _model_theta(model, kind: type) -> np.ndarray:
    if not isinstance(model, kind):
        raise CXLabError(f"expected a {kind.__name__} (from cxlab.clv.fit_"
                         f"{'bgnbd' if kind is BGNBDFit else 'gamma_gamma'}), got {type(model).__name__}",
                         fix="fit the model first and pass it with model= / spend_model=")
    return model.theta


def p_alive(summary: pd.DataFrame, *, model: BGNBDFit, frequency: str = "frequency", recency: str = "recency",
            T: str = "T") -> pd.Series:
    """Probability that each customer is still active at the end of the observation period.

    Parameters
    ----------
    summary
        Per-customer summary (same time unit as the fit).
    model
        A fitted :class:`BGNBDFit`.
    frequency, recency, T
        Column names.

    Returns
    -------
    pandas.Series
        ``p_alive`` indexed like ``summary``. Under BG/NBD a customer without repeat
        purchases cannot have dropped out yet, so their P(alive) is 1.
    """
    x, tx, t_obs = _rfm_arrays(summary, frequency, recency, T)
    return pd.Series(_p_alive(_model_theta(model, BGNBDFit), x, tx, t_obs), index=summary.index, name="p_alive")


def expected_purchases(summary: pd.DataFrame, *, model: BGNBDFit, horizon: float, frequency: str = "frequency",
                       recency: str = "recency", T: str = "T") -> pd.Series:
    """Expected number of purchases of each customer in the next ``horizon`` time units.

    Parameters
    ----------
    summary
        Per-customer summary (same time unit as the fit).
    model
        A fitted :class:`BGNBDFit`.
    horizon
        Length of the forecast period, in the unit of recency and T.
    frequency, recency, T
        Column names.

    Returns
    -------
    pandas.Series
        ``expected_purchases`` indexed like ``summary`` (Fader, Hardie & Lee 2005, eq. 10).
    """
    if not horizon >= 0:
        raise CXLabError(f"horizon must be >= 0, got {horizon!r}", fix="pass a forecast length in time units")
    x, tx, t_obs = _rfm_arrays(summary, frequency, recency, T)
    values = _expected_purchases(_model_theta(model, BGNBDFit), x, tx, t_obs, float(horizon))
    return pd.Series(values, index=summary.index, name="expected_purchases")


def expected_purchases_population(model: BGNBDFit, *, t: float | Sequence[float] | np.ndarray) -> pd.DataFrame:
    """Expected repeat purchases E[X(t)] of a randomly chosen new customer, t units after the first.

    Parameters
    ----------
    model
        A fitted :class:`BGNBDFit`.
    t
        One or more times since the first purchase.

    Returns
    -------
    pandas.DataFrame
        Columns ``t`` and ``expected_purchases`` (Fader, Hardie & Lee 2005, eq. 9).
    """
    tt = np.atleast_1d(np.asarray(t, dtype="float64"))
    if (tt < 0).any() or not np.isfinite(tt).all():
        raise CXLabError("t must be finite and >= 0", fix="pass times since the first purchase")
    return pd.DataFrame({"t": tt, "expected_purchases": _population_expected(_model_theta(model, BGNBDFit), tt)})


def purchase_count_probability(model: BGNBDFit, *, t: float, max_count: int = 10) -> pd.DataFrame:
    """P(X(t) = n): distribution of the number of repeat purchases in t units for a new customer.

    Parameters
    ----------
    model
        A fitted :class:`BGNBDFit`.
    t
        Time since the first purchase.
    max_count
        Largest n listed.

    Returns
    -------
    pandas.DataFrame
        Columns ``n`` and ``probability`` (Fader, Hardie & Lee 2005, eq. 8).
    """
    theta = _model_theta(model, BGNBDFit)
    if not t > 0:
        raise CXLabError(f"t must be > 0, got {t!r}", fix="pass a time since the first purchase")
    n = np.arange(max_count + 1)
    probs = [float(_count_probability(theta, np.array([float(t)]), int(k))[0]) for k in n]
    return pd.DataFrame({"n": n, "probability": probs})


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
    """
    theta = _model_theta(spend_model, GammaGammaFit)
    if theta[1] <= 1:
        raise CXLabError(f"the fitted q = {theta[1]:.3g} <= 1, so mean spend is infinite under the model",
                         fix="check the spend data for extreme values")
    x, m = _spend_arrays(summary, frequency, monetary_value)
    return pd.Series(_expected_spend(theta, x, m), index=summary.index, name="expected_spend")


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


# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class CLVIntervals:
    """Parametric-bootstrap intervals for per-customer and total predictions.

    Attributes
    ----------
    table
        Long table, one row per customer and measure: ``customer_id`` (the summary's
        index), ``measure`` (p_alive, expected_purchases, expected_spend, clv),
        ``estimate`` (at the fitted parameters), ``ci_low``, ``ci_high``.
    totals
        One row per measure summed over customers (expected_purchases, clv): ``measure``,
        ``n`` (customers), ``estimate``, ``se`` (standard deviation over draws),
        ``ci_low``, ``ci_high``.
    draws
        Total CLV and total expected purchases for each parameter draw.
    level, n_draws, method
        Interval level, number of draws and a sentence saying what the interval covers.
    """

    table: pd.DataFrame
    totals: pd.DataFrame
    draws: pd.DataFrame = field(repr=False)
    level: float
    n_draws: int
    method: str

    def summary(self) -> str:
        t = self.totals.set_index("measure")
        pct = int(round(self.level * 100))
        parts = [f"{m}: {r.estimate:,.1f} ({pct}% interval {r.ci_low:,.1f} to {r.ci_high:,.1f})"
                 for m, r in t.iterrows()]
        return f"{self.method}\n" + "\n".join(parts)

    def plot(self, ax=None):
        """Per-customer CLV with its interval, customers sorted by CLV (see cxlab.plots.clv)."""
        from cxlab.plots.clv import plot_clv_intervals

        return plot_clv_intervals(self.table, ax=ax)

    def _repr_html_(self) -> str:
        return f"<p>{self.method}</p>" + self.totals.to_html(index=False, float_format=lambda v: f"{v:,.2f}", border=0)


def clv_intervals(summary: pd.DataFrame, *, model: BGNBDFit, spend_model: GammaGammaFit, horizon: int = 12,
                  discount_rate: float = 0.1, discount_period: Literal["year", "month"] = "year",
                  margin: float = 1.0, time_unit: TimeUnit | None = None, days_per_month: float = DAYS_PER_MONTH,
                  n_draws: int = 500, level: float = 0.9, seed: int | None = 0, progress: bool = True,
                  frequency: str = "frequency", recency: str = "recency", T: str = "T",
                  monetary_value: str = "monetary_value") -> CLVIntervals:
    """Prediction intervals by parametric bootstrap over the parameter uncertainty.

    Draws ``n_draws`` parameter vectors from the asymptotic normal distribution of the
    log-parameters of both fits (independently: the models are fitted separately and spend
    is assumed independent of purchasing), recomputes P(alive), expected purchases,
    expected spend and CLV for every customer at each draw, and reports percentile
    intervals. The interval covers the uncertainty in the *expected* value that comes from
    estimating the model; it is not the (much wider) range of what one customer will
    actually buy.

    Parameters
    ----------
    summary, model, spend_model, horizon, discount_rate, discount_period, margin, time_unit,
    days_per_month, frequency, recency, T, monetary_value
        As for :func:`customer_value`.
    n_draws
        Number of parameter draws.
    level
        Interval level (0.9 = 5th to 95th percentile).
    seed
        Seed of the random generator (None: not reproducible).
    progress
        Show a progress bar (tqdm).

    Returns
    -------
    CLVIntervals
        ``table`` (customer_id, measure, estimate, ci_low, ci_high), ``totals``
        (measure, n, estimate, se, ci_low, ci_high), ``draws``.
    """
    from tqdm.auto import tqdm

    if not 0 < level < 1:
        raise CXLabError(f"level must be between 0 and 1, got {level!r}", fix="pass e.g. level=0.9")
    if int(n_draws) != n_draws or n_draws < 10:
        raise CXLabError(f"n_draws must be a whole number >= 10, got {n_draws!r}", fix="pass e.g. n_draws=500")
    point = customer_value(summary, model=model, spend_model=spend_model, horizon=horizon,
                           discount_rate=discount_rate, discount_period=discount_period, margin=margin,
                           time_unit=time_unit, days_per_month=days_per_month, frequency=frequency,
                           recency=recency, T=T, monetary_value=monetary_value)
    x, tx, t_obs, m = (point[c].to_numpy() for c in ("frequency", "recency", "T", "monetary_value"))
    unit = model.time_unit if time_unit is None else time_unit
    step = _month_steps(unit, days_per_month)
    factors = _discount_factors(discount_rate, discount_period, int(horizon))
    rng = np.random.default_rng(seed)
    bg_draws = model.draw_params(int(n_draws), rng)
    gg_draws = spend_model.draw_params(int(n_draws), rng)
    keys = np.stack([x, tx, t_obs], axis=1)
    uniq, inv = np.unique(keys, axis=0, return_inverse=True)
    inv = inv.ravel()
    xu, txu, Tu = uniq[:, 0], uniq[:, 1], uniq[:, 2]
    n = len(point)
    measures = ("p_alive", "expected_purchases", "expected_spend", "clv")
    # Store draws as float32 to bound memory (n_draws x customers per measure).
    store = {k: np.empty((int(n_draws), n), dtype="float32") for k in measures}
    for i in tqdm(range(int(n_draws)), desc="CLV bootstrap", disable=not progress):
        th = bg_draws[i]
        cum = np.zeros((len(uniq), int(horizon) + 1))
        for mth in range(1, int(horizon) + 1):
            cum[:, mth] = _expected_purchases(th, xu, txu, Tu, mth * step)
        monthly = np.diff(cum, axis=1)
        pa = _p_alive(th, xu, txu, Tu)[inv]
        purchases = monthly.sum(axis=1)[inv]
        disc = (monthly @ factors)[inv]
        g = gg_draws[i]
        spend = _expected_spend(g, x, m) if g[1] > 1 else np.full(n, np.nan)
        store["p_alive"][i] = pa
        store["expected_purchases"][i] = purchases
        store["expected_spend"][i] = spend
        store["clv"][i] = margin * spend * disc
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    ids = summary.index.to_numpy()
    frames = []
    for k in measures:
        lo, hi = np.nanquantile(store[k], [lo_q, hi_q], axis=0)
        frames.append(pd.DataFrame({"customer_id": ids, "measure": k, "estimate": point[k].to_numpy(),
                                    "ci_low": lo.astype("float64"), "ci_high": hi.astype("float64")}))
    table = pd.concat(frames, ignore_index=True)
    draws = pd.DataFrame({"draw": np.arange(int(n_draws)),
                          "total_expected_purchases": store["expected_purchases"].sum(axis=1, dtype="float64"),
                          "total_clv": store["clv"].sum(axis=1, dtype="float64")})
    totals = []
    for k, col in (("expected_purchases", "total_expected_purchases"), ("clv", "total_clv")):
        vals = draws[col].to_numpy()
        lo, hi = np.nanquantile(vals, [lo_q, hi_q])
        totals.append({"measure": k, "n": n, "estimate": float(point[k].sum()), "se": float(np.nanstd(vals, ddof=1)),
                       "ci_low": float(lo), "ci_high": float(hi)})
    method = (f"Parametric bootstrap: {int(n_draws)} parameter draws from the asymptotic normal of the "
              f"log-parameters of both models; {int(round(level * 100))}% percentile intervals cover "
              "parameter uncertainty only, not the randomness of individual customers' purchases.")
    return CLVIntervals(table=table, totals=pd.DataFrame(totals), draws=draws, level=level,
                        n_draws=int(n_draws), method=method)


# --------------------------------------------------------------------------- holdout checks


@dataclass(frozen=True)
class HoldoutCheck:
    """Predicted vs actual purchases in a holdout period.

    Attributes
    ----------
    table
        By number of repeat purchases in the calibration period (the conditional
        expectations check of Fader, Hardie & Lee 2005, Figure 4): ``frequency_cal``,
        ``label`` ("0", ..., "7+"), ``n``, ``actual`` (mean holdout purchases), ``se``,
        ``ci_low``, ``ci_high`` (95% normal interval of the actual mean), ``predicted``.
    customers
        Per customer: ``frequency_cal``, ``actual``, ``predicted``, ``error``
        (predicted - actual).
    metrics
        ``metric`` (mae, rmse, mean_error, total_actual, total_predicted,
        relative_error_total, bucket_mae) and ``estimate``.
    tracking
        The cumulative tracking series (see :func:`tracking_series`), or None when no
        transactions were given.
    """

    table: pd.DataFrame
    customers: pd.DataFrame = field(repr=False)
    metrics: pd.DataFrame
    tracking: pd.DataFrame | None = field(default=None, repr=False)

    def summary(self) -> str:
        m = self.metrics.set_index("metric")["estimate"]
        return (f"Holdout: {m['total_predicted']:,.0f} purchases predicted vs {m['total_actual']:,.0f} actual "
                f"({m['relative_error_total']:+.1%}); per customer MAE {m['mae']:.3f}, RMSE {m['rmse']:.3f}")

    def plot(self, ax=None):
        """Calibration-period frequency vs mean holdout purchases, actual and predicted."""
        from cxlab.plots.clv import plot_calibration_holdout

        return plot_calibration_holdout(self.table, ax=ax)

    def _repr_html_(self) -> str:
        return (f"<p>{self.summary()}</p>"
                + self.table.to_html(index=False, float_format=lambda v: f"{v:,.3f}", border=0))


def holdout_check(cal_holdout: pd.DataFrame, *, model: BGNBDFit, frequency_cal: str = "frequency_cal",
                  recency_cal: str = "recency_cal", T_cal: str = "T_cal",
                  frequency_holdout: str = "frequency_holdout", duration_holdout: str = "duration_holdout",
                  max_frequency: int = 7, transactions: pd.DataFrame | None = None,
                  customer_col: str = "customer_id", datetime_col: str = "timestamp",
                  calibration_end: Any = None, observation_end: Any = None, step: float = 7.0,
                  time_unit: TimeUnit | None = None) -> HoldoutCheck:
    """Compare the model's forecast with what customers actually bought in a holdout period.

    Parameters
    ----------
    cal_holdout
        One row per customer with calibration statistics and holdout purchases, as from
        :func:`cxlab.segmentation.calibration_and_holdout` (lifetimes' column names).
    model
        A :class:`BGNBDFit` fitted on the calibration columns only.
    frequency_cal, recency_cal, T_cal, frequency_holdout, duration_holdout
        Column names.
    max_frequency
        Last calibration-frequency bucket ("7+").
    transactions, customer_col, datetime_col, calibration_end, observation_end, step, time_unit
        Optional: with the transactions, also compute the cumulative tracking series
        (:func:`tracking_series`) with these arguments.

    Returns
    -------
    HoldoutCheck
        ``table`` (frequency_cal, label, n, actual, se, ci_low, ci_high, predicted),
        ``customers``, ``metrics`` (metric, estimate) and ``tracking``.
    """
    x, tx, t_obs = _rfm_arrays(cal_holdout, frequency_cal, recency_cal, T_cal)
    actual = _column(cal_holdout, frequency_holdout, role="holdout purchases")
    duration = _column(cal_holdout, duration_holdout, role="holdout duration")
    if (duration < 0).any():
        _raise_rows(cal_holdout, duration < 0, duration_holdout, "have a negative holdout duration",
                    "the observation end must be after the calibration end")
    predicted = _expected_purchases(_model_theta(model, BGNBDFit), x, tx, t_obs, duration)
    bucket = np.minimum(x, max_frequency).astype(int)
    customers = pd.DataFrame({"frequency_cal": x.astype(int), "actual": actual, "predicted": predicted,
                              "error": predicted - actual}, index=cal_holdout.index)
    grouped = pd.DataFrame({"bucket": bucket, "actual": actual, "predicted": predicted}).groupby("bucket")
    table = grouped.agg(n=("actual", "size"), actual=("actual", "mean"), sd=("actual", "std"),
                        predicted=("predicted", "mean")).reindex(range(max_frequency + 1))
    table["n"] = table["n"].fillna(0).astype("int64")
    table["se"] = table["sd"] / np.sqrt(table["n"].where(table["n"] > 0))
    z = stats.norm.ppf(0.975)
    table["ci_low"] = table["actual"] - z * table["se"]
    table["ci_high"] = table["actual"] + z * table["se"]
    table = table.reset_index(names="frequency_cal")
    table["label"] = [str(k) if k < max_frequency else f"{k}+" for k in table["frequency_cal"]]
    table = table[["frequency_cal", "label", "n", "actual", "se", "ci_low", "ci_high", "predicted"]]
    err = predicted - actual
    filled = table[table["n"] > 0]
    metrics = pd.DataFrame({
        "metric": ["mae", "rmse", "mean_error", "total_actual", "total_predicted", "relative_error_total",
                   "bucket_mae"],
        "estimate": [float(np.mean(np.abs(err))), float(np.sqrt(np.mean(err ** 2))), float(np.mean(err)),
                     float(actual.sum()), float(predicted.sum()),
                     float(predicted.sum() / actual.sum() - 1) if actual.sum() > 0 else math.nan,
                     float(np.average(np.abs(filled["predicted"] - filled["actual"]), weights=filled["n"]))],
    })
    tracking = None
    if transactions is not None:
        if calibration_end is None or observation_end is None:
            raise CXLabError("the tracking series needs calibration_end and observation_end",
                             fix="pass both dates together with transactions")
        tracking = tracking_series(transactions, model=model, customer_col=customer_col, datetime_col=datetime_col,
                                   calibration_end=calibration_end, observation_end=observation_end, step=step,
                                   time_unit=time_unit)
    return HoldoutCheck(table=table, customers=customers, metrics=metrics, tracking=tracking)


def tracking_series(transactions: pd.DataFrame, *, model: BGNBDFit, customer_col: str = "customer_id",
                    datetime_col: str = "timestamp", calibration_end: Any, observation_end: Any,
                    step: float = 7.0, time_unit: TimeUnit | None = None) -> pd.DataFrame:
    """Cumulative repeat purchases, actual vs predicted, over calibration and holdout periods.

    The tracking plot of Fader, Hardie & Lee (2005, Figure 3): for the customers whose first
    purchase is on or before ``calibration_end`` (the ones the model was fitted on), the
    actual cumulative number of repeat purchase days is compared, at every ``step`` days,
    with the model's expectation ``sum_i E[X(t - first_i)]`` (unconditional, eq. 9).
    Purchases on the same calendar day count once, as in :func:`cxlab.segmentation.rfm_summary`.

    Parameters
    ----------
    transactions
        One row per purchase (line or order) with customer and timestamp columns.
    model
        A :class:`BGNBDFit` fitted on the calibration period.
    customer_col, datetime_col
        Column names.
    calibration_end, observation_end
        End of the calibration period and of the whole observation period (inclusive days).
    step
        Spacing of the evaluation points, in days.
    time_unit
        Unit the model was fitted in; defaults to the model's.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (end of each step), ``period`` ("calibration" / "holdout"),
        ``actual``, ``predicted`` (repeat purchases within the step), ``actual_cumulative``,
        ``predicted_cumulative``, ``n_customers``.
    """
    for col in (customer_col, datetime_col):
        if col not in transactions.columns:
            raise CXLabError(f"the transactions have no column {col!r}", column=col,
                             fix="pass the right customer_col / datetime_col")
    theta = _model_theta(model, BGNBDFit)
    unit_days = _days_per_unit(model.time_unit if time_unit is None else time_unit)
    try:
        ts = pd.to_datetime(transactions[datetime_col])
    except (TypeError, ValueError):
        raise CXLabError("timestamps cannot be read as dates", column=datetime_col,
                         fix="convert the column to datetime first") from None
    bad = ts.isna().to_numpy() | transactions[customer_col].isna().to_numpy()
    if bad.any():
        _raise_rows(transactions, bad, datetime_col if ts.isna().any() else customer_col,
                    "have a missing timestamp or customer id", "fill or drop these rows before the tracking check")
    cal_end = _day_number(pd.Timestamp(calibration_end))
    obs_end = _day_number(pd.Timestamp(observation_end))
    if obs_end <= cal_end:
        raise CXLabError("observation_end must be after calibration_end", fix="check the two dates")
    days = ts.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype("int64")
    codes, _ = pd.factorize(transactions[customer_col])
    keep = days <= obs_end
    # one purchase per customer and calendar day
    pairs = np.unique(codes[keep].astype("int64") * (1 << 32) + (days[keep] - days.min()))
    cust = pairs >> 32
    day = (pairs & ((1 << 32) - 1)) + days.min()
    starts = np.r_[0, np.flatnonzero(np.diff(cust)) + 1]
    first = np.repeat(day[starts], np.diff(np.r_[starts, len(day)]))
    in_cohort = first <= cal_end
    births = day[starts][day[starts] <= cal_end]
    if len(births) == 0:
        raise CXLabError("no customer made a first purchase on or before calibration_end",
                         fix="check calibration_end against the transaction dates")
    repeat_days = np.sort(day[in_cohort & (day > first)])
    start = int(births.min())
    step_days = max(1, int(round(step)))
    grid = np.unique(np.minimum(np.arange(start + step_days, obs_end + step_days, step_days), obs_end))
    # actual: repeat purchase days on or before each grid day
    actual_cum = np.searchsorted(repeat_days, grid, side="right").astype("float64")
    # predicted: sum over first-purchase days of E[X(age)], age = grid day - first day (as T in rfm_summary)
    bu, bc = np.unique(births, return_counts=True)
    age = np.clip(grid[:, None] - bu[None, :], 0, None).astype("float64") / unit_days
    pred_cum = (_population_expected(theta, age) * bc[None, :]).sum(axis=1)
    out = pd.DataFrame({
        "date": pd.to_datetime(grid.astype("datetime64[D]")).astype("datetime64[ns]"),
        "period": np.where(grid <= cal_end, "calibration", "holdout"),
        "actual": np.diff(actual_cum, prepend=0.0),
        "predicted": np.diff(pred_cum, prepend=0.0),
        "actual_cumulative": actual_cum,
        "predicted_cumulative": pred_cum,
        "n_customers": len(births),
    })
    return out


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
