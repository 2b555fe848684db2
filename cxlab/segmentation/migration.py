"""Segment migration between two snapshots."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["migration_matrix"]


def migration_matrix(before: pd.Series, after: pd.Series, *, absent: str = "(none)") -> pd.DataFrame:
    """How customers moved between segments from one period to the next.

    Parameters
    ----------
    before, after
        Segment per customer (indexed by customer id) at two observation ends. Customers
        present in only one of them are counted as coming from / going to ``absent``.

    Returns
    -------
    pandas.DataFrame
        Long table ``from_segment, to_segment, n, share`` where ``share`` is the fraction of
        the ``from_segment`` customers that moved to ``to_segment`` (rows sum to 1); every
        pair of segments is present (``n`` 0 when nobody moved that way).

    Examples
    --------
    >>> import pandas as pd
    >>> before = pd.Series({"a": "loyal", "b": "loyal", "c": "new", "d": "new"})
    >>> after = pd.Series({"a": "loyal", "b": "at risk", "c": "loyal", "e": "new"})
    >>> m = migration_matrix(before, after)
    >>> print(m[m["n"] > 0].round(2).to_string())
       from_segment to_segment  n  share
    0         loyal    at risk  1    0.5
    1         loyal      loyal  1    0.5
    5           new      loyal  1    0.5
    7           new     (none)  1    0.5
    10       (none)        new  1    1.0
    """
    for name, s in (("before", before), ("after", after)):
        if not isinstance(s, pd.Series):
            raise CXLabError(f"{name} must be a Series of segments indexed by customer id",
                             fix="pass e.g. segments['segment'] from rfm_segments")
        if s.index.has_duplicates:
            dup = s.index[s.index.duplicated()][:5].tolist()
            raise CXLabError(f"{name} has duplicated customer ids (e.g. {dup})", fix="one row per customer")
    both = pd.concat([before.astype("object").rename("from_segment"),
                      after.astype("object").rename("to_segment")], axis=1)
    both = both.fillna(absent)

    def _levels(s: pd.Series, col: str) -> list[str]:
        cats = list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype) else sorted(s.dropna().unique(),
                                                                                             key=str)
        levels = [str(c) for c in cats]
        return levels + [absent] if (both[col] == absent).any() else levels

    both = both.astype(str)
    frm, to = _levels(before, "from_segment"), _levels(after, "to_segment")
    counts = pd.crosstab(both["from_segment"], both["to_segment"]).reindex(index=frm, columns=to, fill_value=0)
    long = counts.stack().rename("n").reset_index()
    long.columns = ["from_segment", "to_segment", "n"]
    row_tot = long.groupby("from_segment")["n"].transform("sum")
    long["share"] = np.where(row_tot > 0, long["n"] / row_tot.where(row_tot > 0, 1), np.nan)
    long["n"] = long["n"].astype(np.int64)
    return long
