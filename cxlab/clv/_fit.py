"""Shared machinery of the CLV models: time units, input arrays, maximum likelihood, parameter tables."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from cxlab._checks import numeric_column, raise_rows
from cxlab.errors import CXLabError

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



def _weights(frame: pd.DataFrame, weights: str | None) -> np.ndarray | None:
    if weights is None:
        return None
    w = numeric_column(frame, weights, role="weights")
    if (w < 0).any():
        raise_rows(frame, w < 0, weights, "have a negative weight", "weights are customer counts (>= 0)")
    return w



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
    with np.errstate(over="ignore"):  # a fit at the edge of the parameter space has an infinite upper bound
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
        if not self.converged:
            raise CXLabError(f"the {self.model_name} fit did not converge, so its parameter uncertainty is unknown "
                             "and no interval can be drawn from it",
                             fix="check fit.converged before asking for intervals; a BG/NBD fit does not converge "
                                 "when hardly anyone stops buying (no drop-out to estimate) or with too few "
                                 "repeat customers")
        if self.cov_log is None or not np.isfinite(self.cov_log).all():
            raise CXLabError(f"the {self.model_name} fit has no usable covariance matrix",
                             fix="check that the fit converged (fit.converged) and has enough customers")
        return np.exp(rng.multivariate_normal(log_est, self.cov_log, size=n_draws, method="eigh"))




def _model_theta(model, kind: type) -> np.ndarray:
    if not isinstance(model, kind):
        raise CXLabError(f"expected a {kind.__name__} (from cxlab.clv.fit_"
                         f"{'bgnbd' if kind.__name__ == 'BGNBDFit' else 'gamma_gamma'}), got {type(model).__name__}",
                         fix="fit the model first and pass it with model= / spend_model=")
    return model.theta
