"""Key-driver analysis: which attribute ratings drive likelihood to recommend."""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlab import stats as cxs
from cxlab._checks import require_columns
from cxlab.errors import CXLabError
from cxlab.nps.counts import DEFAULT_SCORE
from cxlab.schema import RATING_SCALE

__all__ = ["key_drivers", "DriverAnalysis", "DEFAULT_DRIVERS"]

DEFAULT_DRIVERS: tuple[str, ...] = ("attr_quality", "attr_assortment", "attr_price", "attr_staff", "attr_delivery")


@dataclass(frozen=True)
class DriverAnalysis:
    """Key-driver analysis of likelihood to recommend.

    Attributes
    ----------
    table
        One row per driver: ``driver``, ``n``, ``estimate`` (standardised regression
        coefficient), ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``correlation``,
        ``relative_weight`` (Johnson's, share of R² explained, 0..R²), ``importance``
        (relative weight as % of R²), ``lmg`` (Shapley/LMG share of R², when computed),
        ``ologit_coef``, ``ologit_p_value`` (ordered logit on standardised drivers),
        ``performance`` (mean rating), ``performance_pct`` (mean rating on a 0–100 scale)
        ``quadrant``, and the quadrant boundaries ``importance_cut`` (an equal share,
        100 / number of drivers) and ``performance_cut`` (mean ``performance_pct``).
    r_squared
        R² of the linear model.
    n, n_dropped
        Responses used, and responses left out because the target or a driver was missing.
    target
        The outcome column.
    """

    table: pd.DataFrame
    r_squared: float
    n: int
    n_dropped: int
    target: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        """Plain-language summary."""
        t = self.table.sort_values("importance", ascending=False)
        top = t.iloc[0]
        fix = t[t["quadrant"] == "priority to improve"]["driver"].tolist()
        text = (f"The {len(t)} attributes explain {self.r_squared:.0%} of the variance in {self.target} "
                f"(n = {self.n}; {self.n_dropped} responses with gaps left out). The strongest driver is "
                f"{top['driver']} ({top['importance']:.0f}% of the explained variance).")
        if fix:
            text += f" Priority to improve (important, below-average rating): {', '.join(fix)}."
        return text

    def plot(self, ax=None):
        """Importance-versus-performance quadrant chart."""
        from cxlab.plots.nps import plot_driver_quadrant

        return plot_driver_quadrant(self.table, ax=ax)

    def _repr_html_(self) -> str:
        return f"<p>{self.summary()}</p>" + self.table.to_html(index=False, float_format=lambda v: f"{v:.3f}")


def _r2_from_corr(rxx: np.ndarray, rxy: np.ndarray, subset: Sequence[int]) -> float:
    if not subset:
        return 0.0
    s = list(subset)
    r = rxy[s]
    return float(r @ np.linalg.solve(rxx[np.ix_(s, s)], r))


def _relative_weights(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights from the correlation matrix."""
    evals, evecs = np.linalg.eigh(rxx)
    evals = np.clip(evals, 0.0, None)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T  # Rxx^(1/2): correlations of X with orthogonal Z
    beta_z = np.linalg.solve(lam, rxy)  # regression of y on the orthogonal counterparts Z
    return (lam**2) @ (beta_z**2)


def _lmg(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """LMG / Shapley decomposition of R²: average increment over all orders (via subsets)."""
    p = len(rxy)
    cache: dict[frozenset, float] = {}

    def r2(s):
        key = frozenset(s)
        if key not in cache:
            cache[key] = _r2_from_corr(rxx, rxy, sorted(key))
        return cache[key]

    out = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            w = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            for s in itertools.combinations(others, size):
                out[j] += w * (r2((*s, j)) - r2(s))
    return out


def _ordered_logit(y: np.ndarray, zx: np.ndarray, drivers: list[str]) -> tuple[np.ndarray, np.ndarray, bool]:
    """Ordered logit of the 0–10 outcome on the standardised drivers (statsmodels ``OrderedModel``)."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    levels = np.unique(y)
    y_cat = pd.Series(pd.Categorical(y, categories=levels, ordered=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = OrderedModel(y_cat, pd.DataFrame(zx, columns=drivers), distr="logit").fit(
            method="bfgs", disp=False, maxiter=2000)
    return fit.params[drivers].to_numpy(), fit.pvalues[drivers].to_numpy(), fit.mle_retvals.get("converged", True)


def _complete_ratings(data: pd.DataFrame, target: str, drivers: list[str],
                      min_base: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Driver ratings and target of the responses that have all of them, and the mask of those responses.

    Refuses too few complete responses and a driver every respondent rated the same.
    """
    frame = pd.DataFrame({c: pd.to_numeric(data[c], errors="coerce").astype("float64") for c in [target, *drivers]})
    complete = frame.notna().all(axis=1).to_numpy()
    used = frame[complete]
    n = len(used)
    if n < max(min_base, len(drivers) + 10):
        raise CXLabError(f"only {n} responses have the target and every driver", column=target,
                         fix="use fewer drivers or more data")
    X = used[drivers].to_numpy()
    y = used[target].to_numpy()
    sd = X.std(axis=0, ddof=1)
    const = np.flatnonzero(sd == 0)
    if const.size:
        raise CXLabError("a driver has the same rating for everyone, so it cannot explain anything",
                         column=drivers[const[0]], fix="drop that driver")
    return X, y, complete


def key_drivers(data: pd.DataFrame, *, target: str = DEFAULT_SCORE, drivers: Sequence[str] | None = None,
                confidence: float = 0.95, ordered_logit: bool = True, lmg: bool | None = None,
                scale: tuple[float, float] | None = RATING_SCALE,
                min_base: int = cxs.DEFAULT_MIN_BASE) -> DriverAnalysis:
    """Which attribute ratings drive likelihood to recommend, and where to act.

    Three views that should agree: the standardised linear regression (with
    intervals), Johnson's relative weights (each driver's share of R², robust to
    correlated drivers) plus the LMG/Shapley decomposition as a check, and an ordered
    logit on the 0–10 outcome (statsmodels ``OrderedModel``), which respects that the
    outcome is an ordinal scale. Performance is each driver's mean rating; the quadrant
    crosses importance with performance (split at their averages).

    Parameters
    ----------
    data
        Survey responses with the target and the driver ratings.
    target
        Outcome column (0–10).
    drivers
        Rating columns; default: the ``attr_*`` columns present.
    confidence
        Level of the coefficient intervals.
    ordered_logit
        Fit the ordered-logit check (about a second on a few thousand rows).
    lmg
        Compute the LMG/Shapley decomposition (exact, 2^p subsets). Default: when there
        are at most 12 drivers.
    scale
        Rating scale (min, max) for ``performance_pct``; ``None`` uses the observed range.
    min_base
        Fewer complete responses than this (or than drivers + 10) is an error.

    Returns
    -------
    DriverAnalysis
        See the class for the columns of ``.table``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> ratings = rng.integers(1, 6, size=(300, 3))
    >>> ltr = np.clip(np.round(1.5 * ratings[:, 0] + 0.5 * ratings[:, 1] + rng.normal(0, 1.5, 300)), 0, 10)
    >>> survey = pd.DataFrame({"attr_quality": ratings[:, 0], "attr_price": ratings[:, 1],
    ...                        "attr_staff": ratings[:, 2], "likelihood_to_recommend": ltr})
    >>> result = key_drivers(survey, ordered_logit=False)
    >>> print(result.table[["driver", "estimate", "importance", "performance", "quadrant"]].round(2).to_string())
             driver  estimate  importance  performance            quadrant
    0  attr_quality      0.78       90.27         3.10        key strength
    1    attr_price      0.24        9.62         3.11  secondary strength
    2    attr_staff     -0.03        0.11         3.00        low priority
    """
    import statsmodels.api as sm

    if drivers is None:
        drivers = [c for c in DEFAULT_DRIVERS if c in getattr(data, "columns", [])]
    drivers = list(drivers)
    if not drivers:
        raise CXLabError("no driver columns given or found", fix=f"pass drivers=[...], e.g. {list(DEFAULT_DRIVERS)}")
    require_columns(data, [target, *drivers], "the survey table")
    X, y, complete = _complete_ratings(data, target, drivers, min_base)
    n = len(y)
    zx = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    zy = (y - y.mean()) / y.std(ddof=1)
    ols = sm.OLS(zy, sm.add_constant(zx)).fit()
    ci = ols.conf_int(alpha=1 - cxs._check_confidence(confidence))[1:]
    corr = np.corrcoef(np.column_stack([X, y]), rowvar=False)
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    rw = _relative_weights(rxx, rxy)
    r2 = float(ols.rsquared)
    if lmg is None:
        lmg = len(drivers) <= 12
    lmg_values = _lmg(rxx, rxy) if lmg else np.full(len(drivers), np.nan)
    notes = []
    o_coef = o_p = np.full(len(drivers), np.nan)
    if ordered_logit:
        o_coef, o_p, converged = _ordered_logit(y, zx, drivers)
        if not converged:
            notes.append("the ordered logit did not converge; read its coefficients with care")
    perf = X.mean(axis=0)
    lo, hi = scale if scale is not None else (X.min(), X.max())
    perf_pct = (perf - lo) / (hi - lo) * 100
    importance = rw / rw.sum() * 100 if rw.sum() > 0 else np.full(len(drivers), np.nan)
    importance_cut = 100 / len(drivers)  # an equal share of the explained variance
    performance_cut = float(perf_pct.mean())
    high_imp = importance >= importance_cut
    high_perf = perf_pct >= performance_cut
    quadrant = np.select(
        [high_imp & high_perf, high_imp & ~high_perf, ~high_imp & high_perf],
        ["key strength", "priority to improve", "secondary strength"], default="low priority")
    table = pd.DataFrame({
        "driver": drivers, "n": n, "estimate": ols.params[1:], "se": ols.bse[1:], "ci_low": ci[:, 0],
        "ci_high": ci[:, 1], "p_value": ols.pvalues[1:], "correlation": rxy, "relative_weight": rw,
        "importance": importance, "lmg": lmg_values, "ologit_coef": o_coef, "ologit_p_value": o_p,
        "performance": perf, "performance_pct": perf_pct, "quadrant": quadrant,
        "importance_cut": importance_cut, "performance_cut": performance_cut,
    })
    return DriverAnalysis(table=table, r_squared=r2, n=n, n_dropped=int((~complete).sum()), target=target,
                          notes=tuple(notes))
