"""What every normaliser shares: one value or a Series in, the same shape out, and each distinct value
normalised once (contact columns repeat a lot).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

#: Invisible characters removed from e-mails (zero-width space/joiners, word joiner, BOM, soft hyphen).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_ZW_RE = re.compile(f"[{ZERO_WIDTH}]")
_ZW_TABLE = str.maketrans("", "", ZERO_WIDTH)
_WS_RE = re.compile(r"\s+")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[a-z]")


def _is_series(x: object) -> bool:
    return isinstance(x, pd.Series)


def _as_series(x: pd.Series | str | None, what: str) -> pd.Series:
    if _is_series(x):
        return x
    if x is None or isinstance(x, str) or (isinstance(x, float) and np.isnan(x)):
        return pd.Series([x], dtype=object)
    raise CXLabError(f"{what} expects a text value or a pandas Series, got {type(x).__name__}",
                     fix="pass one string or a DataFrame column")


def _finish(values: pd.Series, x: pd.Series | str | None) -> pd.Series | str | None:
    if _is_series(x):
        out = values.astype("string")
        out.index = x.index
        out.name = x.name
        return out
    v = values.iloc[0]
    return None if pd.isna(v) else str(v)


def _factorize_text(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Code per row (-1 = missing) and the distinct values as Python strings.

    Contact columns repeat a lot, so every normaliser works once per distinct value; for
    Arrow-backed text the factorisation is a dictionary encoding, with no Python object per row.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u = np.asarray(uniques, dtype=object)
    if not isinstance(s.dtype, pd.StringDtype):
        # numbers in a text column: a phone read as float (79123456789.0, a numeric column with
        # one blank) is the integer it holds, not "79123456789.0"
        u = np.array([str(int(x)) if isinstance(x, (float, np.floating)) and float(x).is_integer()
                      else str(x) for x in u], dtype=object)
    return np.asarray(codes, dtype=np.int64), u


def _expand(codes: np.ndarray, mapped: list | np.ndarray, index: pd.Index) -> pd.Series:
    table = np.empty(len(mapped) + 1, dtype=object)
    table[:-1] = mapped
    table[-1] = None  # code -1: missing
    return pd.Series(table[codes], index=index, dtype=object)


def _map_unique(s: pd.Series, fn) -> pd.Series:
    """Apply ``fn`` once per distinct non-missing value (contact columns repeat a lot)."""
    codes, uniques = _factorize_text(s)
    return _expand(codes, [fn(u) for u in uniques], s.index)


def _map_unique_vec(s: pd.Series, fn) -> pd.Series:
    """Like :func:`_map_unique` with a function that takes all distinct values at once."""
    codes, uniques = _factorize_text(s)
    mapped = np.asarray(fn(uniques), dtype=object) if len(uniques) else np.array([], dtype=object)
    return _expand(codes, mapped, s.index)
