"""Prediction intervals for CLV by parametric bootstrap over parameter uncertainty."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from cxlab.clv._fit import DAYS_PER_MONTH, TimeUnit
from cxlab.clv.bgnbd import BGNBDFit, _expected_purchases, _p_alive
from cxlab.clv.gamma_gamma import GammaGammaFit, _expected_spend
from cxlab.clv.value import _discount_factors, _month_steps, customer_value
from cxlab.errors import CXLabError

__all__ = ["CLVIntervals", "clv_intervals"]

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


def _summarise_draws(store: dict, point: pd.DataFrame, ids: np.ndarray, level: float, n_draws: int):
    """Per-customer percentile intervals, totals per draw and interval of the totals."""
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    n = len(ids)
    frames = []
    for k in store:
        lo, hi = np.nanquantile(store[k], [lo_q, hi_q], axis=0)
        frames.append(pd.DataFrame({"customer_id": ids, "measure": k, "estimate": point[k].to_numpy(),
                                    "ci_low": lo.astype("float64"), "ci_high": hi.astype("float64")}))
    table = pd.concat(frames, ignore_index=True)
    draws = pd.DataFrame({"draw": np.arange(n_draws),
                          "total_expected_purchases": store["expected_purchases"].sum(axis=1, dtype="float64"),
                          "total_clv": store["clv"].sum(axis=1, dtype="float64")})
    totals = []
    for k, col in (("expected_purchases", "total_expected_purchases"), ("clv", "total_clv")):
        vals = draws[col].to_numpy()
        lo, hi = np.nanquantile(vals, [lo_q, hi_q])
        totals.append({"measure": k, "n": n, "estimate": float(point[k].sum()), "se": float(np.nanstd(vals, ddof=1)),
                       "ci_low": float(lo), "ci_high": float(hi)})
    return table, draws, pd.DataFrame(totals)


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
    >>> res = clv_intervals(summary, model=bg, spend_model=gg, horizon=12, n_draws=100, progress=False)
    >>> print(res.totals[["measure", "n", "estimate", "ci_low", "ci_high"]].round(1).to_string())
                  measure     n  estimate   ci_low  ci_high
    0  expected_purchases  1000    2007.3   1870.6   2144.6
    1                 clv  1000   82628.2  76901.1  88577.1
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
    table, draws, totals = _summarise_draws(store, point, summary.index.to_numpy(), level, int(n_draws))
    method = (f"Parametric bootstrap: {int(n_draws)} parameter draws from the asymptotic normal of the "
              f"log-parameters of both models; {int(round(level * 100))}% percentile intervals cover "
              "parameter uncertainty only, not the randomness of individual customers' purchases.")
    return CLVIntervals(table=table, totals=totals, draws=draws, level=level,
                        n_draws=int(n_draws), method=method)
