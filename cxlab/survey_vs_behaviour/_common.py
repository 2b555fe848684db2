"""Shared checks and vocabularies of the survey-versus-behaviour theme (private)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from cxlab import stats as cxs
from cxlab.errors import CXLabError
from cxlab.schema import PRICE_TIERS, STATED_FREQUENCIES

#: Ordered levels of the stated/actual pairs the kit knows (any other pair: pass ``categories``).
FREQUENCY_LEVELS: tuple[str, ...] = STATED_FREQUENCIES
TIER_LEVELS: tuple[str, ...] = PRICE_TIERS
#: Annual purchase counts at which the frequency bands start (quarterly from 3 a year, monthly
#: from 10, weekly from 36): the band edges of ``data/README.md``.
FREQUENCY_EDGES: tuple[float, ...] = (3.0, 10.0, 36.0)
#: A representative annual count for each stated band (for numeric comparisons of a banded answer).
FREQUENCY_NOMINAL_PER_YEAR: dict[str, float] = {"less_than_quarterly": 1.5, "quarterly": 4.0,
                                                "monthly": 12.0, "weekly": 52.0}


def require_frame(data, what: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise CXLabError(f"{what} must be a pandas DataFrame, got {type(data).__name__}",
                         fix=f"pass the {what} table as loaded by cxlab.datasets / cxlab.io")
    return data


def require_columns(data: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise CXLabError(f"{what} has no column {', '.join(repr(c) for c in missing)}",
                         column=missing[0],
                         fix=f"rename the column in {what} or pass the column name as a parameter "
                             f"(columns present: {', '.join(map(str, list(data.columns)[:15]))})")


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def text_key(series: pd.Series) -> pd.Series:
    """Ids as stripped text with missing kept missing (ids are text everywhere in cxlab)."""
    s = series.astype("string").str.strip()
    return s.mask(s == "")


def wilson(count, n, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    return cxs.proportion_ci(count, n, method="wilson", confidence=confidence)


def levels_of(series: pd.Series, categories: Sequence | None) -> list:
    """The ordered levels of a stated/actual column."""
    if categories is not None:
        return list(categories)
    if isinstance(series.dtype, pd.CategoricalDtype):
        return list(series.cat.categories)
    values = set(series.dropna().astype(str).unique())
    for known in (FREQUENCY_LEVELS, TIER_LEVELS):
        if values and values <= set(known):
            return list(known)
    return sorted(values)
