"""Model checks: calibration/holdout comparison and the cumulative tracking plot series."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from cxlab._checks import numeric_column, raise_rows
from cxlab.clv._fit import TimeUnit, _days_per_unit, _model_theta
from cxlab.clv.bgnbd import BGNBDFit, _expected_purchases, _population_expected
from cxlab.clv.value import _day_number
from cxlab.errors import CXLabError
from cxlab.rfm import _rfm_arrays

__all__ = ["HoldoutCheck", "holdout_check", "tracking_series"]

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
    >>> cal_holdout = summary.rename(columns={"frequency": "frequency_cal", "recency": "recency_cal", "T": "T_cal"})
    >>> cal_holdout["duration_holdout"] = 26.0
    >>> cal_holdout["frequency_holdout"] = rng.poisson(np.where(summary["recency"] > 40, 1.0, 0.1))
    >>> check = holdout_check(cal_holdout, model=bg, max_frequency=3)
    >>> print(check.table[["label", "n", "actual", "predicted"]].round(2).to_string())
      label    n  actual  predicted
    0     0  248    0.12       0.21
    1     1  134    0.10       0.24
    2     2  103    0.16       0.30
    3    3+  515    0.40       2.02
    """
    x, tx, t_obs = _rfm_arrays(cal_holdout, frequency_cal, recency_cal, T_cal)
    actual = numeric_column(cal_holdout, frequency_holdout, role="holdout purchases")
    duration = numeric_column(cal_holdout, duration_holdout, role="holdout duration")
    if (duration < 0).any():
        raise_rows(cal_holdout, duration < 0, duration_holdout, "have a negative holdout duration",
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

    Examples
    --------
    >>> import pandas as pd
    >>> from cxlab.clv import fit_bgnbd
    >>> from cxlab.datasets import load_example
    >>> from cxlab.segmentation import calibration_and_holdout
    >>> demo = load_example()
    >>> cal = calibration_and_holdout(demo.transactions, calibration_end="2025-03-31",
    ...                               observation_end=demo.observation_end)
    >>> bg = fit_bgnbd(cal.rename(columns={"frequency_cal": "frequency", "recency_cal": "recency", "T_cal": "T"}))
    >>> track = tracking_series(demo.transactions, model=bg, calibration_end="2025-03-31",
    ...                         observation_end=demo.observation_end, step=28)
    >>> shown = track[["date", "period", "actual_cumulative", "predicted_cumulative"]].tail(3)
    >>> print(shown.round({"predicted_cumulative": 0}).to_string())
             date   period  actual_cumulative  predicted_cumulative
    24 2025-12-01  holdout            21057.0               20356.0
    25 2025-12-29  holdout            22255.0               21155.0
    26 2025-12-31  holdout            22333.0               21212.0
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
        raise_rows(transactions, bad, datetime_col if ts.isna().any() else customer_col,
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
