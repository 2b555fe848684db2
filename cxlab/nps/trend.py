"""NPS by period with tests of each period-over-period change."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab import stats as cxs
from cxlab._checks import as_list
from cxlab.nps.compare import _diff_method, _difference, _label, _side
from cxlab.nps.counts import DEFAULT_SCORE, _check_cutoffs, score_counts
from cxlab.nps.intervals import _classes, nps_from_counts

__all__ = ["nps_trend"]


# ----------------------------------------------------------------- trend
def nps_trend(data: pd.DataFrame, *, period: str = "M", date: str = "submitted_at", by=None,
              score: str = DEFAULT_SCORE, weight: str | None = None, ci: str = "adjusted_wald",
              confidence: float = 0.95, alpha: float = 0.05, adjust: str = "holm",
              min_base: int = cxs.DEFAULT_MIN_BASE, low_base: int = cxs.DEFAULT_LOW_BASE,
              detractor_max: int = 6, promoter_min: int = 9, n_resamples: int = 2000,
              seed: int | None = 0) -> pd.DataFrame:
    """NPS by period with intervals and tests of each period-over-period change.

    Parameters
    ----------
    data
        Survey responses.
    period
        ``"W"``, ``"M"`` (default) or ``"Q"`` (or ``"Y"``).
    date
        Timestamp column.
    by
        Optional grouping column(s): one trend per group.
    ci
        Interval method for each period's NPS; the change is tested with the Wald
        (or, for ``"adjusted_wald"``, adjusted Wald) two-sample z-test.
    alpha, adjust
        A change is marked ``significant`` when its p-value, adjusted across all the
        changes in the table (default Holm), is below ``alpha``.
    score, weight, confidence, min_base, low_base, detractor_max, promoter_min, n_resamples, seed
        As in :func:`nps_table`.

    Returns
    -------
    pandas.DataFrame
        Columns of :func:`nps_table` (with ``period`` and ``period_start``) plus
        ``change`` (points versus the previous period of the same group), ``change_se``,
        ``change_ci_low``, ``change_ci_high``, ``statistic``, ``p_value``,
        ``p_adjusted`` and ``significant``. Periods without responses are absent; the
        change is measured against the previous period present.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "submitted_at": pd.to_datetime(["2025-01-15"] * 100 + ["2025-02-15"] * 100),
    ...     "likelihood_to_recommend": [10] * 50 + [7] * 30 + [3] * 20 + [10] * 30 + [7] * 30 + [3] * 40})
    >>> trend = nps_trend(survey, period="M")
    >>> print(trend[["period", "n", "estimate", "change", "p_value", "significant"]].round({"p_value": 4}).to_string())
        period    n  estimate  change  p_value  significant
    0  2025-01  100      30.0     NaN      NaN        False
    1  2025-02  100     -10.0   -40.0   0.0005         True
    """
    method = _diff_method(ci)
    dmax, pmin = _check_cutoffs(detractor_max, promoter_min)
    counts = score_counts(data, score=score, by=by, period=period, date=date, weight=weight)
    counts = counts[counts["period"].notna()]
    by_cols = as_list(by)
    counts = counts.sort_values(by_cols + ["period"], kind="mergesort").reset_index(drop=True)
    tab = nps_from_counts(counts, detractor_max=dmax, promoter_min=pmin, ci=ci, confidence=confidence,
                          min_base=min_base, low_base=low_base, n_resamples=n_resamples, seed=seed)
    tab.insert(len(by_cols) + 1, "period_start", pd.PeriodIndex(tab["period"]).start_time)
    cls = _classes(counts, dmax, pmin)
    n = len(tab)
    prev = np.arange(n) - 1
    if by_cols:
        key = _label(counts, by_cols).to_numpy()
        first = np.r_[True, key[1:] != key[:-1]]
    else:
        first = np.r_[True, np.zeros(n - 1, dtype=bool)] if n else np.zeros(0, dtype=bool)
    has_prev = ~first
    cols = ["change", "change_se", "change_ci_low", "change_ci_high", "statistic", "p_value"]
    result = {c: np.full(n, np.nan) for c in cols}
    rows = np.flatnonzero(has_prev)
    if rows.size:
        res = _difference(_side(cls, rows), _side(cls, prev[rows]), method, cxs.z_critical(confidence))
        ok = ~(tab["suppressed"].to_numpy()[rows] | tab["suppressed"].to_numpy()[prev[rows]])
        for c, k in zip(cols, ["estimate", "se", "ci_low", "ci_high", "statistic", "p_value"], strict=True):
            result[c][rows] = np.where(ok, res[k], np.nan)
    for c in cols:
        tab[c] = result[c]
    tab["p_adjusted"] = cxs.adjust_pvalues(tab["p_value"], method=adjust)
    tab["significant"] = tab["p_adjusted"] < alpha
    return tab
