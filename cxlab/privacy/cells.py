"""Small-cell suppression for result tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["suppress_small_cells"]


def suppress_small_cells(table: pd.DataFrame, *, n: str = "n", min_base: int = 30,
                         columns: Sequence[str] | Iterable[str] | None = None) -> pd.DataFrame:
    """Blank the values of rows whose base is below ``min_base`` (a copy; input unchanged).

    Parameters
    ----------
    table
        A result table with a base column.
    n
        Name of the base column (kept visible).
    min_base
        Rows with fewer than this are suppressed.
    columns
        Columns to blank; default all numeric columns except ``n``.

    Returns
    -------
    pandas.DataFrame
        A copy with the chosen values set to missing and a boolean ``suppressed`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"channel": ["store", "chat"], "n": [412, 12], "estimate": [41.0, -8.0]})
    >>> suppress_small_cells(t, min_base=30)
      channel    n  estimate  suppressed
    0   store  412      41.0       False
    1    chat   12       NaN        True
    """
    if n not in table.columns:
        raise CXLabError(f"the table has no base column {n!r}", column=n, fix="pass n='<your count column>'")
    out = table.copy()
    small = ~(pd.to_numeric(out[n], errors="coerce") >= min_base)
    if columns is None:
        columns = [c for c in out.columns if c != n and pd.api.types.is_numeric_dtype(out[c])
                   and not pd.api.types.is_bool_dtype(out[c])]
    for c in columns:
        out[c] = out[c].where(~small)
    out["suppressed"] = small.to_numpy()
    return out
