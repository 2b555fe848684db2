"""Input checks shared by every analysis module.

One place for the questions every analysis asks of its input: is it a table, does it
have these columns, are these values numbers, are these weights usable. Each check
raises a :class:`cxlab.errors.CXLabError` that names the column, the rows (counted from
1, as a spreadsheet user counts data rows) and what to do.

Scales (0–10 for likelihood to recommend, 1–5 for attribute ratings) are not defined
here: they come from :mod:`cxlab.schema`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["as_list", "bad_rows", "require_columns", "numeric_column", "raise_rows", "nonnegative_weights"]


def as_list(by) -> list[str]:
    """``None`` -> ``[]``, one name -> ``[name]``, a sequence of names -> a list."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def bad_rows(mask: np.ndarray, limit: int = 50) -> list[int]:
    """Row numbers (from 1) where ``mask`` is true, at most ``limit`` of them."""
    return (np.flatnonzero(mask)[:limit] + 1).tolist()


def require_columns(data: pd.DataFrame, columns: Iterable[str], what: str = "the data", *,
                    problem: str = "has no column(s)", fix: str | None = None,
                    frame_fix: str = "pass the survey table (e.g. demo.survey_responses)") -> None:
    """Raise unless ``data`` is a DataFrame holding every one of ``columns``.

    ``what`` names the table in the message ("the survey table"); ``problem`` is the
    wording of the complaint; ``fix`` replaces the default advice (the available columns).
    """
    if not isinstance(data, pd.DataFrame):
        raise CXLabError(f"expected a pandas DataFrame, got {type(data).__name__}", fix=frame_fix)
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise CXLabError(
            f"{what} {problem} {', '.join(map(repr, missing))}",
            column=missing[0],
            fix=fix or f"pick from the available columns: {', '.join(map(str, data.columns[:30]))}",
        )


def raise_rows(frame: pd.DataFrame, bad: np.ndarray, column: str, problem: str, fix: str,
               unit: str = "customer(s)") -> None:
    """Raise for the rows where ``bad`` is true, naming up to five of them by index label."""
    positions = np.flatnonzero(bad)
    ids = ", ".join(str(v) for v in frame.index[positions[:5]])
    more = f" and {len(positions) - 5} more" if len(positions) > 5 else ""
    raise CXLabError(f"{len(positions)} {unit} ({ids}{more}) {problem}", column=column,
                     rows=(positions + 1).tolist(), fix=fix)


def numeric_column(frame: pd.DataFrame, name: str, *, role: str, what: str = "the summary",
                   frame_what: str = "a per-customer summary DataFrame",
                   frame_fix: str = "pass the frame returned by cxlab.segmentation.rfm_summary") -> np.ndarray:
    """A numeric column as float64; raises when it is absent, not numeric, missing or infinite."""
    if not isinstance(frame, pd.DataFrame):
        raise CXLabError(f"expected {frame_what}, got {type(frame).__name__}", fix=frame_fix)
    if name not in frame.columns:
        raise CXLabError(
            f"{what} has no column {name!r} ({role}); columns are {list(frame.columns)}",
            column=name,
            fix=f"pass the name of the {role} column with the matching keyword",
        )
    try:
        values = frame[name].to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):
        raise CXLabError(f"column {name!r} ({role}) is not numeric", column=name,
                         fix="convert it to numbers before fitting") from None
    bad = ~np.isfinite(values)
    if bad.any():
        raise_rows(frame, bad, name, "is missing or not finite", "fill or drop these customers first")
    return values


def nonnegative_weights(data: pd.DataFrame, weight: str) -> np.ndarray:
    """Survey weights as float64; raises on missing, negative, infinite or non-numeric weights."""
    w = pd.to_numeric(data[weight], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(w) | (w < 0) | np.isinf(w)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise CXLabError(f"{rows.size} weight(s) are missing, negative or not numbers", column=weight,
                         rows=(rows + 1).tolist(),
                         fix="give every response a non-negative weight (1 when unweighted)")
    return w
