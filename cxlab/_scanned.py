"""Tables above the scan threshold: the threshold itself and what :class:`cxlab.loader.Tables` does with them.

A transactions or survey file larger than the threshold (:data:`DEFAULT_SCAN_ABOVE`, or
``load_tables(scan_above=...)``, ``$CXLAB_SCAN_ABOVE``, ``cxlab report --scan-above``) is opened
with DuckDB (:func:`cxlab.engine.loading.scan_table`) instead of being read; the methods here
say which tables are lazy, sample them, set them aside for notebooks that need rows in memory,
and say so in words. Re-exported by :mod:`cxlab.loader`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cxlab.errors import CXLabError

if TYPE_CHECKING:
    from cxlab.loader import Tables

__all__ = ["DEFAULT_SCAN_ABOVE", "SCAN_ABOVE_ENV", "SCANNED_TABLES", "ScannedTablesMixin", "parse_size",
           "scan_threshold", "scan_above_env"]

#: Files larger than this (bytes on disk) are scanned with DuckDB instead of being read (see README "Big data").
#: 1 GB: a CSV of that size takes 2–4 GB of memory once read into pandas, as much as a laptop can spare.
DEFAULT_SCAN_ABOVE = 1_000_000_000
#: The environment variable that sets the threshold for every notebook of a run (``cxlab report --scan-above``).
SCAN_ABOVE_ENV = "CXLAB_SCAN_ABOVE"
_SCANNABLE = (".csv", ".tsv", ".txt", ".parquet", ".pq")
#: The tables whose analyses run in the engine; customers and interactions (identity resolution, profiles,
#: row-level text) are always read into memory.
SCANNED_TABLES = ("transactions", "survey_responses")

class _Note:
    """A short Markdown note that renders in Jupyter and prints as text elsewhere."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text.replace("*", "")

    __repr__ = __str__


class ScannedTablesMixin:
    """The methods of :class:`cxlab.loader.Tables` about scanned (lazy) tables."""

    def in_memory(self, n: int = 200_000, *, seed: int = 0, keep_lazy: Sequence[str] = ()) -> Tables:
        """The same tables with none scanned: for notebooks whose steps need rows in memory.

        A scanned survey becomes a seeded random sample of ``n`` rows (all of it when smaller); a
        scanned transactions table is set aside, and :meth:`skipped` then says in words that a
        section needing it was skipped because the file is above the scan threshold. Tables named in
        ``keep_lazy`` stay scanned: the notebook counts them in the engine and guards its row-level steps.
        """
        if not self.lazy:
            return self
        changes: dict[str, Any] = {"lazy": {}, "set_aside": dict(self.set_aside)}
        said = []
        for name, s in self.lazy.items():
            if name in keep_lazy:
                changes["lazy"][name] = s
                said.append(f"*{s.file} was scanned, not loaded:* what this report needs from it is counted or "
                            "selected in DuckDB; the sections that need every row in memory are skipped (each says so).")
            elif name == "survey_responses":
                changes[name] = s.sample(n, seed=seed)
                if s.rows_kept > n:
                    said.append(f"*{s.file} was scanned, not loaded:* this report works on a random sample of "
                                f"{n:,} of its {s.rows_kept:,} rows (seed {seed}), brought into memory.")
            else:
                changes[name] = None
                changes["set_aside"][name] = str(self.skipped_lazy(name, "this section")).split(" needs ", 1)[1]
                said.append(f"*{s.file} was scanned, not loaded:* this report needs every row of the {name} table in "
                            f"memory, so its purchase columns (profiles, timelines, scorecard) are left out and the "
                            f"sections that need them are skipped.")
        return replace(self, **changes, memory_notes=tuple(said))

    def memory_note(self) -> _Note | None:
        """What :meth:`in_memory` sampled or set aside, in words (``None`` when nothing)."""
        return _Note(" ".join(self.memory_notes)) if self.memory_notes else None

    def rows(self, name: str) -> int:
        """Rows kept in table ``name`` (counted by DuckDB for a scanned table); 0 when absent."""
        if name in self.lazy:
            return self.lazy[name].rows_kept
        t = self.get(name)
        return 0 if t is None else len(t)

    def head(self, name: str, n: int = 5) -> pd.DataFrame:
        """The first ``n`` rows of a table as pandas, scanned or not."""
        if name in self.lazy:
            return self.lazy[name].data.limit(int(n)).df()
        return self.get(name).head(n)

    def is_lazy(self, name: str) -> bool:
        """True when table ``name`` was scanned with DuckDB (a file above the scan threshold), not loaded.

        A lazy table is a DuckDB relation: the counting steps of cxlab (:func:`cxlab.nps.nps_table`,
        :func:`cxlab.segmentation.rfm_summary`, :func:`cxlab.segmentation.rfm_table` ...) run on it in
        DuckDB; row-level pandas code does not.
        """
        return name in self.lazy

    def lazy_tables(self) -> list[str]:
        """Names of the tables that were scanned, not loaded."""
        return [n for n in SCANNED_TABLES if n in self.lazy]

    def skipped_lazy(self, table: str, section: str) -> _Note:
        """A visible note for a section that needs every row of a table in memory, which was scanned instead.

        Examples
        --------
        >>> from cxlab.engine.loading import ScannedTable
        >>> from cxlab.loader import Tables
        >>> t = Tables(lazy={"transactions": ScannedTable(None, "sales.parquet", 3_200_000_000, 10, 10,
        ...                                               threshold=1_000_000_000)})
        >>> print(t.skipped_lazy("transactions", "The tracking plot"))
        Skipped: The tracking plot needs every row of the transactions table in memory; sales.parquet (3.2 GB) is above the scan threshold (1.0 GB) and was scanned with DuckDB instead. To run it, load the file: raise the threshold (cxlab report --scan-above 4GB, or $CXLAB_SCAN_ABOVE) if the memory allows.
        """
        from cxlab.engine.loading import format_size

        s = self.lazy[table]
        limit = "the scan threshold" + (f" ({format_size(s.threshold)})" if s.threshold else "")
        bigger = format_size(max(int(s.size * 1.25), 1_000_000_000)).replace(" ", "").replace(".0", "")
        return _Note(f"**Skipped:** *{section}* needs every row of the {table} table in memory; {s.file} "
                     f"({format_size(s.size)}) is above {limit} and was scanned with {s.engine} instead. To run it, "
                     f"load the file: raise the threshold (cxlab report --scan-above {bigger}, or ${SCAN_ABOVE_ENV}) "
                     "if the memory allows.")

    def sample(self, table: str, n: int = 200_000, *, seed: int = 0) -> pd.DataFrame | None:
        """The table in memory: itself when loaded; for a scanned table a seeded random sample of ``n`` rows.

        Row-level steps (key drivers, verbatim themes, say-do pairs) run on this sample when the file
        was too big to load; :meth:`sample_note` says so in words.
        """
        if table not in self.lazy:
            return self.get(table)
        return self.lazy[table].sample(n, seed=seed)

    def sample_note(self, table: str, n: int = 200_000, *, seed: int = 0) -> _Note | None:
        """What :meth:`sample` did, in words (``None`` for a loaded table)."""
        if table not in self.lazy:
            return None
        s = self.lazy[table]
        if s.rows_kept <= n:
            return None
        return _Note(f"*{s.file} was scanned, not loaded:* the counts (NPS, its interval, trends) use all "
                     f"{s.rows_kept:,} rows; the row-level steps of this report run on a random sample of {n:,} rows "
                     f"(seed {seed}), brought into memory.")

    def quarantine_summary(self) -> pd.DataFrame:
        """Rows left out while loading, by table and reason (``table``, ``reason``, ``rows``), scanned tables included."""
        parts = [q.assign(table=name).groupby(["table", "reason"], observed=True).size().rename("rows").reset_index()
                 for name, q in self.quarantines.items() if q is not None and len(q) and "reason" in q]
        parts += [pd.DataFrame({"table": name, "reason": list(s.left_out), "rows": list(s.left_out.values())})
                  for name, s in self.lazy.items() if s.left_out]
        if not parts:
            return pd.DataFrame(columns=["table", "reason", "rows"])
        out = pd.concat(parts, ignore_index=True)
        return out.sort_values("rows", ascending=False, kind="stable").reset_index(drop=True)


def parse_size(value: int | float | str | None) -> int | None:
    """A file size from a number of bytes or text with a decimal unit; ``None`` means never.

    Examples
    --------
    >>> parse_size("500MB"), parse_size("2GB"), parse_size("1.5 GB"), parse_size(0), parse_size("never")
    (500000000, 2000000000, 1500000000, 0, None)
    """
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0:
            raise CXLabError(f"a scan threshold cannot be negative ({value})", fix="use 0 (always scan) or a size")
        return int(value)
    text = str(value).strip().lower().replace(" ", "").replace("_", "")
    if text in ("never", "off", "none", "inf"):
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(b|k|kb|m|mb|g|gb|t|tb)?", text)
    if m is None:
        raise CXLabError(f"{value!r} is not a size", fix="write a size such as 500MB, 2GB or 0 (always scan), "
                                                          "or 'never'")
    unit = {"": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12,
            "tb": 1e12}[m.group(2) or ""]
    return int(float(m.group(1)) * unit)


def scan_threshold(scan_above: int | str | None = None) -> int | None:
    """The scan threshold in bytes: ``scan_above``, else ``$CXLAB_SCAN_ABOVE``, else :data:`DEFAULT_SCAN_ABOVE`.

    Examples
    --------
    >>> scan_threshold("750MB")
    750000000
    """
    if scan_above is not None and scan_above != "":
        return parse_size(scan_above)
    env = os.environ.get(SCAN_ABOVE_ENV, "").strip()
    if env:
        try:
            return parse_size(env)
        except CXLabError as exc:
            raise CXLabError(f"${SCAN_ABOVE_ENV}: {exc.problem}", fix=exc.fix) from None
    return DEFAULT_SCAN_ABOVE


@contextmanager
def scan_above_env(value: str | int | None):
    """Set ``$CXLAB_SCAN_ABOVE`` for the notebooks run inside the block (``cxlab report --scan-above``).

    The size is checked first, so a typo stops the run before any notebook starts; ``None`` leaves
    the environment as it is.

    Examples
    --------
    >>> with scan_above_env("500MB"):
    ...     scan_threshold()
    500000000
    """
    if value is None:
        yield
        return
    try:
        parse_size(value)
    except CXLabError as exc:
        raise CXLabError(f"--scan-above: {exc.problem}", fix=exc.fix) from None
    before = os.environ.get(SCAN_ABOVE_ENV)
    os.environ[SCAN_ABOVE_ENV] = str(value)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SCAN_ABOVE_ENV, None)
        else:
            os.environ[SCAN_ABOVE_ENV] = before


def _should_scan(name: str, path: Path, threshold: int | None) -> bool:
    if threshold is None or name not in SCANNED_TABLES or path.suffix.lower() not in _SCANNABLE:
        return False  # Excel is always read: a workbook is never the size that needs a scan
    return path.stat().st_size > threshold or threshold == 0


def _scan_one(name: str, path: Path, opts: Mapping[str, Any]):
    from cxlab.engine.loading import scan_table

    scanned = scan_table(path, name, columns=opts.get("columns"), sep=opts.get("sep"),
                         date_format=opts.get("date_format"))
    if name == "transactions":  # several currencies are refused, as for a loaded file
        scanned = replace(scanned, currency=scanned_currency(scanned))
    return scanned


def scanned_currency(scanned) -> str | None:
    """:func:`cxlab._currency.amounts_currency` of a scanned table: its currency column counted in DuckDB.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxlab.engine.loading import scan_table
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"customer_id": ["a", "b"], "timestamp": pd.to_datetime(["2025-01-05", "2025-02-01"]),
    ...               "amount": [1.0, 2.0], "Валюта": ["руб.", "RUB"]}).to_parquet(d / "sales.parquet")
    >>> scanned_currency(scan_table(d / "sales.parquet", "transactions"))
    'RUB'
    """
    from cxlab._currency import _SYMBOLS, CURRENCY_HEADERS

    column = next((c for c in scanned.data.columns
                   if " ".join(str(c).lower().replace("_", " ").split()) in CURRENCY_HEADERS), None)
    if column is None:
        return None
    q = '"' + str(column).replace('"', '""') + '"'
    rows = scanned.data.aggregate(f"CAST({q} AS VARCHAR) AS v, count(*) AS n", q).fetchall()
    counts: dict[str, int] = {}
    for value, n in rows:
        code = "" if value is None else value.strip().upper()
        code = _SYMBOLS.get(code, code)
        if code:
            counts[code] = counts.get(code, 0) + int(n)
    if not counts:
        return None
    if len(counts) > 1:
        said = ", ".join(f"{code} ×{n:,}" for code, n in sorted(counts.items()))
        raise CXLabError(f"the amounts are in {len(counts)} currencies ({said}), and cxlab adds amounts up, so they "
                         "must be in one", file=scanned.file, column=str(column),
                         fix="convert the amounts to one currency in the export, or keep the rows of one currency, "
                             "then run again")
    return next(iter(counts))
