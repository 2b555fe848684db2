"""Opening a canonical table lazily: a big file is scanned with DuckDB instead of being read.

:func:`cxlab.loader.load_tables` reads a file into pandas through :mod:`cxlab.io` (encoding
and delimiter detection, decimal commas, day-first dates, a row-by-row quarantine with line
numbers). Above a size threshold it calls :func:`scan_table` instead: the file stays where it
is, its headers are matched to the canonical columns by the same rules (Russian and English
aliases, the user's ``columns=`` mapping), the columns are renamed and typed lazily, and the
checks that can run inside DuckDB run there in one pass (missing ids, times and amounts,
negative amounts, scores off the scale). Rows failing a check are left out of the table and
counted by reason, so no row is lost silently; their line numbers are not kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cxlab.engine._frame import require_module
from cxlab.engine.scanning import DEFAULT_MEMORY_LIMIT, _kind, scan
from cxlab.errors import CXLabError

__all__ = ["ScannedTable", "scan_table", "format_size"]

_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
            "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
_TIMES = ("TIMESTAMP", "DATE")


def format_size(n_bytes: int) -> str:
    """A file size in decimal units, as a file manager shows it.

    Examples
    --------
    >>> format_size(3_210_000_000), format_size(750_000), format_size(12)
    ('3.2 GB', '750 kB', '12 bytes')
    """
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= size:
            value = n_bytes / size
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{n_bytes} bytes"


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


@dataclass(frozen=True)
class ScannedTable:
    """A canonical table opened lazily, and what the one checking pass found.

    Attributes
    ----------
    data
        A DuckDB relation with the canonical column names and types; rows that failed a
        check are filtered out (nothing is read until an analysis asks).
    file, size
        File name (never a path) and size in bytes.
    rows_read, rows_kept
        Rows in the file and rows in ``data``.
    left_out
        Rows left out by reason (``{"missing customer_id": 12, ...}``); a row failing two
        checks counts under each, once in ``rows_read - rows_kept``.
    date_from, date_to
        First and last value of the table's time column among the kept rows.
    renamed
        Headers read as another canonical column (``{"Дата": "timestamp"}``).
    """

    data: Any
    file: str
    size: int
    rows_read: int
    rows_kept: int
    left_out: dict[str, int] = field(default_factory=dict)
    date_from: Any = None
    date_to: Any = None
    renamed: dict[str, str] = field(default_factory=dict)
    engine: str = "DuckDB"
    threshold: int | None = None  # the scan threshold (bytes) the file was above
    table: str = ""
    currency: str | None = None  # the one value of a currency column, when the file has one

    def sample(self, n: int, *, seed: int = 0):
        """A seeded random sample of at most ``n`` kept rows, as pandas (DuckDB's reservoir sampling)."""
        if self.rows_kept <= n:
            frame = self.data.df()
        else:
            frame = self.data.query("t", f"SELECT * FROM t USING SAMPLE reservoir({int(n)} ROWS) "
                                         f"REPEATABLE ({int(seed)})").df()
        return _canonical_dtypes(frame, self.table)

    @property
    def rows_quarantined(self) -> int:
        return self.rows_read - self.rows_kept

    def note(self) -> str:
        """The "Data used" note: what was scanned, which checks ran, which did not."""
        text = (f"{self.file} ({format_size(self.size)}, {self.rows_read:,} rows) was scanned with {self.engine}, "
                "not loaded: heavy steps ran there; the row checks made for smaller files (quarantine with line "
                "numbers, encoding, decimal-comma and date-format repair, dates outside the plausible window, "
                "mapping of channel labels, placeholder and duplicate ids) were not made.")
        if self.left_out:
            parts = ", ".join(f"{n:,} with {why}" for why, n in self.left_out.items())
            text += (f" Checked in {self.engine}: {self.rows_quarantined:,} rows were left out ({parts}); "
                     f"{self.rows_kept:,} rows kept.")
        else:
            text += f" Checked in {self.engine}: no row has a missing key value or a value out of range."
        if self.renamed:
            text += " Headers read as: " + ", ".join(f"«{h}» → {c}" for h, c in self.renamed.items()) + "."
        return text


def _spec(table: str):
    from cxlab.schema import EMPLOYEE_SURVEY, TABLES

    return EMPLOYEE_SURVEY if table == "employee_survey" else TABLES[table]


def _typed(expr: str, kind: str, dtype: str, header: str, target: str, file: str, csv: bool) -> str:
    """The column cast to its canonical type, or a CXLabError when the file's type cannot be used."""
    base = dtype.split("(")[0].upper()
    numeric = base.startswith(_NUMERIC)
    if kind == "id":
        if base in ("FLOAT", "DOUBLE") or base.startswith("DECIMAL"):  # 1001.0 -> '1001', as cxlab.io reads it
            return f"CAST(CAST({expr} AS HUGEINT) AS VARCHAR)"
        return f"CAST({expr} AS VARCHAR)"
    if kind == "datetime":
        if base.startswith(_TIMES):
            return f"CAST({expr} AS TIMESTAMP)"
        what = "dates/times"
    elif kind in ("float", "score"):
        if numeric:
            return f"CAST({expr} AS DOUBLE)"
        what = "numbers"
    elif kind == "bool":
        return expr
    else:  # text, category
        return expr if base == "VARCHAR" else f"CAST({expr} AS VARCHAR)"
    how = ("DuckDB's CSV reader could not type it" if csv else "the file stores it")
    raise CXLabError(f"column «{header}» ({target}) of {file} must hold {what}, but {how} as {dtype}",
                     file=file, column=target,
                     fix="convert the file to Parquet with typed columns (numbers as numbers, dates as timestamps), "
                         "or raise the scan threshold (cxlab report --scan-above, load_tables(scan_above=...), "
                         "$CXLAB_SCAN_ABOVE) so that the file is loaded and repaired row by row")


def _checks(spec, present: dict[str, str]) -> list[tuple[str, str]]:
    """(reason, SQL condition) for each check that runs in the engine, on the renamed columns."""
    out = []
    for col in spec.columns:
        if col.name not in present:
            continue
        x = _q(col.name)
        if col.required and not col.nullable:
            out.append((f"missing {col.name}", f"{x} IS NULL"))
        if col.kind == "float":
            out.append((f"{col.name} not a finite number", f"(isnan({x}) OR isinf({x}))"))
            if col.min_value is not None:
                below = "negative" if col.min_value == 0 else f"below {col.min_value:g}"
                out.append((f"{below} {col.name}", f"{x} < {float(col.min_value)!r}"))
        elif col.kind == "score" and col.scale is not None:
            lo, hi = col.scale
            out.append((f"{col.name} not a whole number {lo}–{hi}",
                        f"({x} < {lo} OR {x} > {hi} OR {x} <> round({x}) OR isnan({x}))"))
    return out


def scan_table(path: str | os.PathLike, table: str, *, columns: dict | None = None, sep: str | None = None,
               date_format: str | None = None, memory_limit: str = DEFAULT_MEMORY_LIMIT,
               threads: int | None = None) -> ScannedTable:
    """Open one canonical table from a big Parquet (or typed CSV) file without reading it.

    Parameters
    ----------
    path
        A ``.parquet`` or ``.csv``/``.tsv``/``.txt`` file.
    table
        Which canonical table it holds (``"transactions"``, ``"survey_responses"`` ...).
    columns
        The user's header mapping (``{"Дата покупки": "timestamp"}``), as for :func:`cxlab.io.read`.
    sep, date_format
        For CSV: the delimiter and a ``strftime`` format of the timestamps (DuckDB detects both otherwise).
    memory_limit, threads
        As for :func:`cxlab.scan`.

    Returns
    -------
    ScannedTable

    Raises
    ------
    CXLabError
        When a required column is missing, or a column cannot be typed (text where numbers or
        dates are needed: a CSV with decimal commas or day-first dates, for instance), naming
        the file and the column.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"Клиент": [1, 2, None], "Дата": pd.to_datetime(["2025-01-05", "2025-02-01", "2025-02-03"]),
    ...               "Сумма": [120.0, -5.0, 40.0]}).to_parquet(d / "sales.parquet")
    >>> t = scan_table(d / "sales.parquet", "transactions")
    >>> t.rows_read, t.rows_kept, t.left_out
    (3, 1, {'missing customer_id': 1, 'negative amount': 1})
    >>> print(t.data.order("customer_id").df().to_string(index=False))
    customer_id  timestamp  amount
              1 2025-01-05   120.0
    """
    from cxlab.io._headers import _map_header, clean_header
    from cxlab.io._text import RawTable

    import numpy as np

    duckdb = require_module("duckdb")
    p = Path(path)
    file = p.name
    kind = _kind(p)
    spec = _spec(table)
    options: dict[str, Any] = {}
    if kind == "csv":
        if sep:
            options["sep"] = sep
        if date_format:
            options["timestamp_format"] = date_format
    try:
        rel = scan(p, engine="duckdb", memory_limit=memory_limit, threads=threads, **options)
        headers, types = list(rel.columns), [str(t) for t in rel.types]
    except duckdb.Error as exc:
        raise CXLabError(f"DuckDB could not read {file} ({str(exc).splitlines()[0]})", file=file,
                         fix="convert the file to Parquet, or raise the scan threshold (cxlab report --scan-above) "
                             "so that the file is loaded and repaired row by row") from None
    raw = RawTable(header=headers, columns=[pd.Series(["x"]) for _ in headers], lines=np.array([1]))
    mapping, extras, _ = _map_header(raw, spec, dict(columns or {}), file)
    select, present, renamed = [], {}, {}
    for j, target in sorted(mapping.items()):
        expr = _typed(_q(headers[j]), spec[target].kind, types[j], headers[j], target, file, kind == "csv")
        select.append(f"{expr} AS {_q(target)}")
        present[target] = headers[j]
        if headers[j] != target:
            renamed[headers[j]] = target
    taken = set(present)
    for j, name in sorted(extras.items()):
        name = clean_header(name) or f"unnamed_{j + 1}"
        if name in taken:
            continue
        taken.add(name)
        select.append(f"{_q(headers[j])} AS {_q(name)}")
    typed = rel.project(", ".join(select))
    rows, n_bad, left_out, first, last, bad = _check_pass(typed, table, _checks(spec, present), present, sorted(taken),
                                                     file, duckdb, csv=kind == "csv")
    data = typed.filter(f"NOT ({bad})") if n_bad else typed
    return ScannedTable(data=data, file=file, size=_size(p), rows_read=rows, rows_kept=rows - n_bad,
                        left_out=left_out, date_from=first, date_to=last, renamed=renamed, table=table)


def _check_pass(typed, table: str, checks: list[tuple[str, str]], present: dict, columns: list[str], file: str,
                duckdb, *, csv: bool):
    """One aggregation over the renamed table: rows, rows failing each check, first and last time (and the
    SQL condition of a failing row)."""
    bad = " OR ".join(f"coalesce({cond}, false)" for _, cond in checks) or "false"
    time_col = {"customers": "signup_date", "survey_responses": "submitted_at",
                "employee_survey": "submitted_at"}.get(table, "timestamp")
    aggs = ["count(*) AS _rows", f"count_if({bad}) AS _bad"]
    aggs += [f"count_if(coalesce({cond}, false)) AS _c{i}" for i, (_, cond) in enumerate(checks)]
    if time_col in present:
        aggs += [f"min({_q(time_col)}) FILTER (WHERE NOT ({bad})) AS _first",
                 f"max({_q(time_col)}) FILTER (WHERE NOT ({bad})) AS _last"]
    if csv:  # force every value through DuckDB's types now, not in the middle of an analysis
        aggs += [f"count({_q(c)}) AS _n{i}" for i, c in enumerate(columns)]
    try:
        got = typed.aggregate(", ".join(aggs)).fetchall()[0]
    except duckdb.Error as exc:
        raise CXLabError(f"DuckDB could not type every value of {file} ({str(exc).splitlines()[0]})", file=file,
                         fix="convert the file to Parquet with typed columns, or raise the scan threshold "
                             "(cxlab report --scan-above) so that the file is loaded and repaired row by row") from None
    rows, n_bad = int(got[0]), int(got[1])
    left_out = {why: int(got[2 + i]) for i, (why, _) in enumerate(checks) if got[2 + i]}
    first = last = None
    if time_col in present:
        k = 2 + len(checks)
        first = None if got[k] is None else pd.Timestamp(got[k])
        last = None if got[k + 1] is None else pd.Timestamp(got[k + 1])
    return rows, n_bad, left_out, first, last, bad


def _canonical_dtypes(frame, table: str):
    """Rows brought back from DuckDB, with the dtypes :func:`cxlab.io.read` gives (Int8 scores, categories ...)."""
    if not table:
        return frame
    spec = _spec(table)
    for col in spec.columns:
        if col.name not in frame.columns:
            continue
        if col.kind == "score":
            frame[col.name] = frame[col.name].round().astype("Int8")
        elif col.kind == "category":
            values = frame[col.name].astype("string")
            cats = list(col.categories) if col.categories else sorted(values.dropna().unique())
            cats += sorted(set(values.dropna().unique()) - set(cats))
            frame[col.name] = pd.Categorical(values.astype(object).where(values.notna(), None), categories=cats,
                                             ordered=col.ordered)
        elif col.kind in ("id", "text"):
            frame[col.name] = frame[col.name].astype("string")
        elif col.kind == "datetime":
            frame[col.name] = pd.to_datetime(frame[col.name]).astype("datetime64[ns]")
    return frame


def _size(p: Path) -> int:
    if p.is_dir():
        return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return p.stat().st_size

