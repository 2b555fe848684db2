"""What a notebook needs from the data: a clear error when a needed table is missing or unusable.

Used by :func:`cxlab.loader.load_tables` (and re-exported there).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cxlab._find_tables import _PARAM
from cxlab.errors import CXLabError

if TYPE_CHECKING:
    from cxlab.loader import Tables


def _in_the_users_words(exc: CXLabError) -> CXLabError:
    """Under ``cxlab report`` (which sets ``$CXLAB_OUTPUT_DIR``), advice in command-line flags, not Python."""
    if not os.environ.get("CXLAB_OUTPUT_DIR") or not exc.fix:
        return exc
    from cxlab.io._messages import for_command_line

    return CXLabError(exc.problem, file=exc.file, column=exc.column, rows=exc.rows, fix=for_command_line(exc.fix))


def _found_but_unusable(tables: Tables, needs: list[str], who: str) -> None:
    """A needed file that was found but could not be read, or lost every row to the quarantine: say that."""
    for name in needs:
        if name in tables.problems:
            raise CXLabError(f"{who} needs the {name} table; {tables.problems[name]}",
                             file=str(tables.files.get(name, "")) or None)
        report = tables.reports.get(name)
        quarantine = tables.quarantines.get(name)
        if report is None or quarantine is None or not len(quarantine) or report.rows_kept:
            continue
        reasons = quarantine.groupby("problem")["reason"].agg(["size", "first"]).sort_values("size", ascending=False)
        said = "; ".join(f"{n:,} × {first}" for n, first in zip(reasons["size"], reasons["first"]))
        advice = " ".join(getattr(report, "warnings", ())) or "see the load report: cxlab validate on the file"
        raise _in_the_users_words(CXLabError(
            f"{who} needs the {name} table: {tables.files[name].name} was read, but all {report.rows_read:,} rows "
            f"were quarantined ({said})", file=str(tables.files[name]), fix=advice))


def _check_needs(tables: Tables, needs: Sequence[str], notebook: str | None) -> None:
    from cxlab.loader import TABLE_NAMES

    needs = [needs] if isinstance(needs, str) else list(needs)
    bad = [n for n in needs if n not in TABLE_NAMES]
    if bad:
        raise CXLabError(f"unknown table names in needs: {', '.join(bad)}",
                         fix=f"use names among {', '.join(TABLE_NAMES)}")
    if not needs or any(tables.has(n) for n in needs):
        return
    who = f"notebook {notebook}" if notebook else "this analysis"
    _found_but_unusable(tables, needs, who)
    what = " or ".join(f"a {n} table" for n in needs)
    where = str(tables.data_dir) if tables.data_dir is not None else "the files given"
    seen = ", ".join(p.name for p in tables.files.values()) or "none"
    unused = ", ".join(p.name for p in tables.unused)
    raise CXLabError(
        f"{who} needs {what}, and none was found in {where} (tables found: {seen}"
        + (f"; files whose name says no table: {unused}" if unused else "") + ")",
        file=where,
        fix="put the export in the folder with a name that says what it holds (e.g. "
            + ", ".join(f"'{n}.csv'" for n in needs) + ") or pass its path with "
            + " / ".join(f"{_PARAM[n]}=" for n in needs))
