"""Complementary (secondary) cell suppression for tables that also show their total.

Hiding the groups below the minimum base is not enough when the same page shows the
total: for any additive statistic (a count, a share, a mean, an NPS — an NPS is the mean
of +100/0/−100 per answer) the hidden groups' combined value is

    (total × N − Σ shown value × n) / Σ hidden n,

so one hidden group is recovered exactly, and several small hidden groups together are
recovered as one small group. Statistical offices handle this with *secondary* (or
*complementary*) suppression: after the *primary* suppression of the small cells, further
cells are hidden until what can be derived by subtraction is at least as large as a cell
that may be shown. This module applies that rule to one-way tables (groups that add up
to a shown total):

1. primary: every cell with fewer than ``min_base`` answers is hidden;
2. while the hidden cells with answers are fewer than two, or hold fewer than
   ``min_base`` answers together, the smallest still-shown cell is hidden as well
   (the next-smallest shown group is the cheapest complement: least information lost);
3. if no shown cell is left and the condition still fails, the total must not be shown
   either (``hide_total``).

References: Hundepool et al., *Statistical Disclosure Control* (Wiley, 2012), ch. 4
"Magnitude tabular data" and 5 "Frequency tables" (primary and secondary suppression);
Eurostat, *Handbook on Statistical Disclosure Control* (2010 ESSnet SDC), section on
secondary cell suppression; ONS, *Disclosure control guidance for tables produced from
surveys* (2014): "secondary suppression … to prevent the primary suppressed cells being
recovered by differencing". Maintained tools that do this (R's ``sdcTable``,
τ-ARGUS and its Python wrapper ``pytauargus``, 14 MB of compiled solvers in beta) solve
the general multi-dimensional, hierarchical problem by linear programming; a one-way
table with its total needs only the rule above, so cxlab keeps it small and dependency-free.

What this does not cover: several tables that share cells (e.g. NPS by region and by
channel on the same page are each protected, but not against each other), and two-way
tables with both margins shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["Suppression", "complementary_suppression", "protect_groups", "complementary_mask",
           "suppression_note", "COMPLEMENTARY_NOTE"]

#: Wording used in table notes and findings for cells hidden only to protect smaller ones.
COMPLEMENTARY_NOTE = "also hidden so that the small groups cannot be derived from the total"


@dataclass(frozen=True)
class Suppression:
    """Result of :func:`complementary_suppression`.

    Attributes
    ----------
    primary
        Cells hidden because they are below the minimum base (or marked by the caller).
    secondary
        Cells of at least the minimum base hidden only so that the primary cells cannot
        be derived from the total.
    hide_total
        True when even hiding every cell leaves fewer than ``min_base`` answers (or one
        group) hidden: then the total must not be shown either.
    """

    primary: np.ndarray
    secondary: np.ndarray
    hide_total: bool

    @property
    def hidden(self) -> np.ndarray:
        """Every hidden cell, primary or secondary."""
        return self.primary | self.secondary


def _counts(n) -> np.ndarray:
    arr = np.asarray(n, dtype=float).reshape(-1)
    if np.isnan(arr).any() or (arr < 0).any():
        raise CXLabError("the group bases must be non-negative numbers", column="n",
                         fix="pass the number of answers per group (0 for an empty group)")
    return arr


def complementary_suppression(n, *, min_base: int, primary=None, exempt=None) -> Suppression:
    """Primary and complementary suppression of the cells of a one-way table with a total.

    Parameters
    ----------
    n
        Answers per cell (group); the cells add up to the table's total.
    min_base
        Cells with fewer answers are hidden (primary suppression), and what can be derived
        by subtracting the shown cells from the total must hold at least this many answers
        and at least two groups.
    primary
        Optional boolean mask of cells already hidden for another reason; default
        ``n < min_base``.
    exempt
        Optional boolean mask of hidden cells that need no protection of their own, such
        as the answers without a group value (not a group of identifiable people); they
        still count towards the hidden total that protects the others.

    Returns
    -------
    Suppression
        Boolean arrays ``primary`` and ``secondary`` (same order as ``n``) and ``hide_total``.

    Examples
    --------
    The employee survey of the hostile test H17: IT (8) and accounting (3) are hidden,
    and with them the smaller of the two large departments, so that the 11 people of IT
    and accounting cannot be recovered by subtraction from the company's eNPS.

    >>> s = complementary_suppression([60, 45, 8, 3], min_base=40)
    >>> s.primary.tolist(), s.secondary.tolist(), s.hide_total
    ([False, False, True, True], [False, True, False, False], False)
    >>> complementary_suppression([60, 45, 50], min_base=40).hidden.tolist()
    [False, False, False]
    """
    if min_base < 0:
        raise CXLabError(f"min_base must be 0 or more, got {min_base}", fix="e.g. min_base=30")
    counts = _counts(n)
    first = ~(counts >= min_base) if primary is None else np.asarray(primary, dtype=bool).reshape(-1).copy()
    if first.shape != counts.shape:
        raise CXLabError("the primary mask and the bases have different lengths", fix="pass one flag per group")
    free = (np.zeros(counts.shape, dtype=bool) if exempt is None
            else np.asarray(exempt, dtype=bool).reshape(-1))
    hidden = first.copy()
    answered = counts > 0

    def exposed() -> bool:
        cells = hidden & answered
        return bool((cells & ~free).any()) and (int(cells.sum()) < 2 or counts[cells].sum() < min_base)

    hide_total = False
    while exposed():
        candidates = np.flatnonzero(~hidden & answered)
        if candidates.size == 0:
            hide_total = True
            break
        # the smallest shown cell (first in table order on ties): the least information lost
        hidden[candidates[np.argmin(counts[candidates])]] = True  # argmin: first of ties
    return Suppression(primary=first, secondary=hidden & ~first, hide_total=hide_total)


def complementary_mask(groups: pd.DataFrame | None, n, primary, *, min_base: int,
                       within: Sequence[str] | None = None, exempt=None) -> np.ndarray:
    """Cells to hide in addition to ``primary``, applying the rule within partitions.

    ``groups`` holds the table's grouping columns (one row per cell); the rule is applied
    separately to the rows of each combination of the ``within`` columns (e.g. each
    period of an NPS-by-channel-and-quarter table, whose channels add up to the quarter's
    total). ``within=None`` treats the whole table as one set of cells. ``exempt`` is as in
    :func:`complementary_suppression`.

    Examples
    --------
    >>> import pandas as pd
    >>> g = pd.DataFrame({"q": ["Q1"] * 3 + ["Q2"] * 3, "channel": ["web", "shop", "chat"] * 2})
    >>> complementary_mask(g, [50, 80, 5, 50, 80, 45], [False, False, True, False, False, False],
    ...                    min_base=30, within=["q"]).tolist()
    [True, False, False, False, False, False]
    """
    counts = _counts(n)
    first = np.asarray(primary, dtype=bool).reshape(-1)
    free = np.zeros(counts.shape, dtype=bool) if exempt is None else np.asarray(exempt, dtype=bool).reshape(-1)
    out = np.zeros(counts.shape, dtype=bool)
    if not first.any():
        return out
    if not within:
        return complementary_suppression(counts, min_base=min_base, primary=first, exempt=free).secondary
    keys = groups[list(within)].astype(object).where(groups[list(within)].notna(), "\x00missing")
    for _, idx in keys.groupby(list(within), sort=False, dropna=False).indices.items():
        idx = np.asarray(idx)
        out[idx] = complementary_suppression(counts[idx], min_base=min_base, primary=first[idx],
                                             exempt=free[idx]).secondary
    return out


def protect_groups(table: pd.DataFrame, *, n: str = "n", min_base: int = 30, within: Sequence[str] | None = None,
                   columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Hide small groups and the groups needed to protect them (a copy; input unchanged).

    Parameters
    ----------
    table
        A result table with one row per group and a base column; if it has a boolean
        ``suppressed`` column, those rows count as already hidden.
    n
        The base column (kept visible).
    min_base
        Minimum base of a shown group and of anything derivable by subtraction.
    within
        Columns whose combinations form separate one-way tables (see
        :func:`complementary_mask`).
    columns
        Value columns to blank; default every numeric column except ``n``.

    Returns
    -------
    pandas.DataFrame
        A copy with ``suppressed`` (primary or secondary) and ``complementary`` (secondary
        only) columns and the values of hidden rows set to missing.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"department": ["Sales", "Warehouse", "IT", "Accounts"], "n": [60, 45, 8, 3],
    ...                   "estimate": [-50.0, -51.1, 0.0, 0.0]})
    >>> protect_groups(t, min_base=40)
      department   n  estimate  suppressed  complementary
    0      Sales  60     -50.0       False          False
    1  Warehouse  45       NaN        True           True
    2         IT   8       NaN        True          False
    3   Accounts   3       NaN        True          False
    """
    if n not in table.columns:
        raise CXLabError(f"the table has no base column {n!r}", column=n, fix="pass n='<your count column>'")
    out = table.copy()
    counts = pd.to_numeric(out[n], errors="coerce").fillna(0).to_numpy(dtype=float)
    primary = ~(counts >= min_base)
    if "suppressed" in out.columns:
        primary |= out["suppressed"].fillna(True).to_numpy(dtype=bool)
    secondary = complementary_mask(out, counts, primary, min_base=min_base, within=within)
    hide = primary | secondary
    if columns is None:
        columns = [c for c in out.columns if c not in (n, "suppressed", "complementary", "low_base")
                   and pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])]
    for c in columns:
        out[c] = out[c].where(~hide)
    out["suppressed"] = hide
    out["complementary"] = secondary
    return out


def suppression_note(table: pd.DataFrame, *, group: str, min_base: int, n: str = "n") -> str:
    """One sentence for a table note: which groups are hidden, and why.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"department": ["Sales", "Warehouse", "IT", "Accounts"], "n": [60, 45, 8, 3]})
    >>> print(suppression_note(protect_groups(t, min_base=40), group="department", min_base=40))
    Not shown: IT (n = 8), Accounts (n = 3) (fewer than 40 answers); Warehouse (n = 45) also hidden so that the small groups cannot be derived from the total.
    """
    if "suppressed" not in table.columns:
        return ""
    hidden = table["suppressed"].fillna(False).astype(bool)
    second = (table["complementary"].fillna(False).astype(bool) if "complementary" in table.columns
              else pd.Series(False, index=table.index))

    def listed(rows: pd.DataFrame) -> str:
        return ", ".join(f"{g} (n = {int(k):,})" for g, k in zip(rows[group], rows[n], strict=True))

    small, extra = table[hidden & ~second], table[second]
    parts = []
    if len(small):
        parts.append(f"Not shown: {listed(small)} (fewer than {min_base} answers)")
    if len(extra):
        parts.append(f"{listed(extra)} {COMPLEMENTARY_NOTE}")
    return ("; ".join(parts) + ".") if parts else ""


def table_complementary(groups: pd.DataFrame, names: Sequence[str], n, primary, *, min_base: int,
                        complementary: bool | None = None) -> np.ndarray:
    """The complementary cells of an analysis table grouped by ``names`` (used by ``nps_table`` & co.).

    The cells of the first grouping column other than ``period`` are protected within each
    combination of the other columns (each period of a by-group trend); the row of answers
    without a value in that column is hidden when small but needs no protection itself. ``complementary=None``
    applies the rule whenever there is such a column (a table by period alone is a time
    series of one group, not a split of a total); ``False`` never; ``True`` also across
    the periods of a table by period alone.
    """
    names = list(names)
    size = int(np.asarray(n).size)
    if complementary is False or not names or size < 2:
        return np.zeros(size, dtype=bool)
    along = [c for c in names if c != "period"]
    if not along and not complementary:
        return np.zeros(size, dtype=bool)
    first = along[0] if along else names[0]
    return complementary_mask(groups, n, primary, min_base=min_base, within=[c for c in names if c != first],
                              exempt=groups[first].isna().to_numpy())
