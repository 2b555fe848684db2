"""Revenue concentration: Gini coefficient, Lorenz curve, shares of the top customers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxlab._checks import bad_rows
from cxlab.errors import CXLabError

__all__ = ["gini", "lorenz_curve", "top_share_table"]

# --------------------------------------------------------------------------------------
# Best customers: concentration of revenue
# --------------------------------------------------------------------------------------

def _clean_values(values: Any, name: str = "revenue") -> np.ndarray:
    x = pd.Series(values).to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(x) | (x < 0)
    if bad.any():
        raise CXLabError(f"{int(bad.sum())} value(s) are missing, infinite or negative", column=name,
                         rows=bad_rows(bad), fix="concentration measures need non-negative values per customer")
    if len(x) == 0 or x.sum() <= 0:
        raise CXLabError("there is no positive revenue to measure", column=name,
                         fix="check that the table has customers with purchases")
    return x


def gini(values: Any) -> float:
    """Gini coefficient of revenue across customers (0: equal; near 1: concentrated).

    Uses the sample-free (population) definition ``G = sum_i sum_j |x_i - x_j| / (2 n^2 mean)``,
    computed in O(n log n) as ``2 sum_i i x_(i) / (n sum x) - (n + 1) / n``.

    Parameters
    ----------
    values
        Non-negative value per customer (e.g. ``rfm_table(...)["revenue"]``).

    Returns
    -------
    float

    Examples
    --------
    >>> round(gini([10, 10, 10, 10]), 3), round(gini([0, 0, 0, 100]), 3), round(gini([1, 2, 3, 4, 90]), 3)
    (0.0, 0.75, 0.72)
    """
    x = np.sort(_clean_values(values))
    n = len(x)
    i = np.arange(1, n + 1)
    return float(2.0 * np.sum(i * x) / (n * x.sum()) - (n + 1) / n)


def lorenz_curve(values: Any, *, points: int | None = 201) -> pd.DataFrame:
    """Lorenz curve of revenue: share of revenue held by the poorest share of customers.

    Parameters
    ----------
    values
        Non-negative value per customer.
    points
        Number of evenly spaced points on the customer axis (interpolated exactly on the
        step curve); ``None`` returns one point per customer.

    Returns
    -------
    pandas.DataFrame
        ``customer_share`` (0..1, customers sorted from lowest to highest value) and
        ``revenue_share`` (cumulative share of revenue). The Pareto view ("top x% give
        y%") is ``1 - revenue_share`` at ``1 - customer_share``.

    Examples
    --------
    >>> print(lorenz_curve([1, 2, 3, 4, 90], points=None).round(3).to_string())
       customer_share  revenue_share
    0             0.0           0.00
    1             0.2           0.01
    2             0.4           0.03
    3             0.6           0.06
    4             0.8           0.10
    5             1.0           1.00
    """
    x = np.sort(_clean_values(values))
    n = len(x)
    cum = np.concatenate([[0.0], np.cumsum(x) / x.sum()])
    grid = np.arange(n + 1) / n
    if points is not None and points < n + 1:
        p = np.linspace(0.0, 1.0, points)
        return pd.DataFrame({"customer_share": p, "revenue_share": np.interp(p, grid, cum)})
    return pd.DataFrame({"customer_share": grid, "revenue_share": cum})


def top_share_table(values: Any, *, shares: Sequence[float] = (0.01, 0.05, 0.1, 0.2, 0.5)) -> pd.DataFrame:
    """Share of revenue from the top x% of customers.

    Returns
    -------
    pandas.DataFrame
        ``top_share`` (fraction of customers), ``n`` (customers in the top group, rounded up),
        ``revenue``, ``revenue_share`` (fraction of all revenue), ``min_value`` (the smallest
        value in the group: the threshold to be a "top" customer).

    Examples
    --------
    >>> print(top_share_table([1, 2, 3, 4, 90, 5, 6, 7, 8, 9], shares=(0.1, 0.5)).round(3).to_string())
       top_share  n  revenue  revenue_share  min_value
    0        0.1  1     90.0          0.667       90.0
    1        0.5  5    120.0          0.889        6.0
    """
    x = np.sort(_clean_values(values))[::-1]
    total = x.sum()
    rows = []
    for s in shares:
        if not 0 < s <= 1:
            raise CXLabError(f"top share {s!r} is not in (0, 1]", fix="pass fractions such as 0.2 for the top 20%")
        k = max(int(np.ceil(s * len(x) - 1e-9)), 1)
        rows.append((float(s), k, float(x[:k].sum()), float(x[:k].sum() / total), float(x[k - 1])))
    return pd.DataFrame(rows, columns=["top_share", "n", "revenue", "revenue_share", "min_value"])
