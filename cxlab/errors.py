"""The one exception type a cxlab user sees.

Every problem the kit cannot fix by itself is raised as :class:`CXLabError`, whose
message says *where* (file, column, rows) and *what to do*. Lower-level pandas,
Unicode or pandera errors are caught at the boundary and re-raised as this type,
so no raw traceback from a dependency reaches a notebook user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["CXLabError", "CXLabWarning", "format_rows"]


def format_rows(rows: Iterable[int], limit: int = 10) -> str:
    """Format row numbers as a short, human-readable list ("3, 7, 12 and 40 more")."""
    rows = list(rows)
    if not rows:
        return ""
    head = ", ".join(str(r) for r in rows[:limit])
    extra = len(rows) - limit
    return f"{head} and {extra} more" if extra > 0 else head


class CXLabError(ValueError):
    """An error the user can act on.

    Parameters
    ----------
    problem
        What went wrong, in one sentence.
    file, column
        Where it went wrong, when known.
    rows
        1-based source line numbers (as a spreadsheet shows them), when known.
    fix
        What the user can do about it.

    Examples
    --------
    >>> err = CXLabError("scores above 10", file="survey.csv", column="ltr", rows=[4, 9], fix="check the scale")
    >>> print(err)
    survey.csv, column 'ltr', rows 4, 9: scores above 10. What to do: check the scale.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        column: str | None = None,
        rows: Sequence[int] | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = None if file is None else str(file)
        self.column = column
        self.rows = list(rows) if rows is not None else []
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.column:
            where.append(f"column {self.column!r}")
        if self.rows:
            label = "row" if len(self.rows) == 1 else "rows"
            where.append(f"{label} {format_rows(self.rows)}")
        text = (", ".join(where) + ": " if where else "") + self.problem.rstrip(".") + "."
        if self.fix:
            text += f" What to do: {self.fix.rstrip('.')}."
        return text


class CXLabWarning(UserWarning):
    """A problem cxlab normalised by itself (and reported) rather than refusing the data."""
