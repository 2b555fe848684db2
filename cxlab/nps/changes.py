"""What changed in one period against the others: attribute ratings and comment themes.

When the NPS falls significantly in a period, the first questions are which rating fell
with it and which complaint grew among that period's detractors. Both are answered with
a test, so a finding can say whether the change is larger than chance:

* :func:`rating_shift` — mean rating in the period against the other periods, Welch's
  t-test per attribute, p-values adjusted across attributes (Holm);
* :func:`theme_shift` — share of detractors mentioning each comment theme in the
  period against the other periods, Fisher's exact test per theme, Holm-adjusted.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlab._lazy import lazy_module
from cxlab import stats as cxs
from cxlab.errors import CXLabError

_st = lazy_module("scipy.stats")

__all__ = ["rating_shift", "theme_shift"]


def rating_shift(data: pd.DataFrame, *, mask, columns: Sequence[str], alpha: float = 0.05,
                 adjust: str = "holm") -> pd.DataFrame:
    """Mean of each rating inside ``mask`` against outside it, with Welch's t-test.

    Parameters
    ----------
    data
        Survey responses.
    mask
        Boolean array or Series: the rows of the period (or group) examined.
    columns
        Rating columns to compare (e.g. the attribute ratings present).
    alpha, adjust
        Significance level and p-value adjustment across the columns.

    Returns
    -------
    pandas.DataFrame
        One row per column, sorted by ``difference``: ``attribute``, ``n_in``, ``n_out``,
        ``mean_in``, ``mean_out``, ``difference`` (in − out), ``statistic`` (Welch t),
        ``p_value``, ``p_adjusted``, ``significant``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"attr_a": [1, 2, 1, 2, 4, 5, 4, 5], "attr_b": [3, 4, 3, 4, 3, 4, 4, 3]})
    >>> r = rating_shift(df, mask=[True] * 4 + [False] * 4, columns=["attr_a", "attr_b"])
    >>> print(r[["attribute", "mean_in", "mean_out", "difference"]].to_string(index=False))
    attribute  mean_in  mean_out  difference
       attr_a      1.5       4.5        -3.0
       attr_b      3.5       3.5         0.0
    """
    mask = np.asarray(mask, dtype=bool)
    if mask.shape != (len(data),):
        raise CXLabError("the mask must have one value per row of the data", fix="build it from the same table")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise CXLabError(f"the survey table has no column(s) {', '.join(map(repr, missing))}", column=missing[0],
                         fix="pass rating columns that are present")
    rows = []
    for col in columns:
        v = pd.to_numeric(data[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        a, b = v[mask & ~np.isnan(v)], v[~mask & ~np.isnan(v)]
        if len(a) >= 2 and len(b) >= 2 and (a.var() > 0 or b.var() > 0):
            t, p = _st.ttest_ind(a, b, equal_var=False)
        else:
            t, p = np.nan, np.nan
        rows.append({"attribute": col, "n_in": len(a), "n_out": len(b),
                     "mean_in": a.mean() if len(a) else np.nan, "mean_out": b.mean() if len(b) else np.nan,
                     "statistic": t, "p_value": p})
    out = pd.DataFrame(rows, columns=["attribute", "n_in", "n_out", "mean_in", "mean_out", "statistic", "p_value"])
    out.insert(5, "difference", out["mean_in"] - out["mean_out"])
    out["p_adjusted"] = cxs.adjust_pvalues(out["p_value"].to_numpy(dtype=float), method=adjust)
    out["significant"] = out["p_adjusted"] < alpha
    return out.sort_values("difference", kind="mergesort").reset_index(drop=True)


def theme_shift(lift_in: pd.DataFrame, lift_out: pd.DataFrame, *, alpha: float = 0.05,
                adjust: str = "holm") -> pd.DataFrame:
    """Share of detractors mentioning each theme inside a period against outside it.

    Parameters
    ----------
    lift_in, lift_out
        :func:`cxlab.text.theme_lift` tables of the period and of the other periods.
    alpha, adjust
        Significance level and p-value adjustment across themes.

    Returns
    -------
    pandas.DataFrame
        One row per theme, largest growth first: ``theme``, ``label``,
        ``detractors_in``, ``detractors_out`` (commenting detractors), ``pct_in``,
        ``pct_out`` (% of them mentioning the theme), ``difference`` (points),
        ``p_value`` (Fisher's exact test, two-sided), ``p_adjusted``, ``significant``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"theme": ["wait"], "label": ["Waiting"], "n_detractors": [40], "mentions_detractors": [30]})
    >>> b = pd.DataFrame({"theme": ["wait"], "label": ["Waiting"], "n_detractors": [60], "mentions_detractors": [12]})
    >>> r = theme_shift(a, b)
    >>> print(r[["theme", "pct_in", "pct_out", "difference"]].to_string(index=False))
    theme  pct_in  pct_out  difference
     wait    75.0     20.0        55.0
    """
    need = ["theme", "label", "n_detractors", "mentions_detractors"]
    for t in (lift_in, lift_out):
        missing = [c for c in need if c not in t.columns]
        if missing:
            raise CXLabError(f"a theme table lacks {', '.join(missing)}", fix="pass cxlab.text.theme_lift tables")
    m = lift_in[need].merge(lift_out[need], on=["theme", "label"], suffixes=("_in", "_out"))
    rows = []
    for r in m.itertuples(index=False):
        a, n_a = int(r.mentions_detractors_in), int(r.n_detractors_in)
        b, n_b = int(r.mentions_detractors_out), int(r.n_detractors_out)
        p = _st.fisher_exact([[a, n_a - a], [b, n_b - b]])[1] if n_a and n_b else np.nan
        rows.append({"theme": r.theme, "label": r.label, "detractors_in": n_a, "detractors_out": n_b,
                     "pct_in": 100 * a / n_a if n_a else np.nan, "pct_out": 100 * b / n_b if n_b else np.nan,
                     "p_value": p})
    out = pd.DataFrame(rows, columns=["theme", "label", "detractors_in", "detractors_out", "pct_in", "pct_out",
                                      "p_value"])
    out.insert(6, "difference", out["pct_in"] - out["pct_out"])
    out["p_adjusted"] = cxs.adjust_pvalues(out["p_value"].to_numpy(dtype=float), method=adjust)
    out["significant"] = out["p_adjusted"] < alpha
    return out.sort_values("difference", ascending=False, kind="mergesort").reset_index(drop=True)
