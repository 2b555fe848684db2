"""Larger-than-memory files: scan a Parquet or CSV file lazily and analyse it where it lies."""

from __future__ import annotations

import os
from pathlib import Path

from cxlab.engine._frame import require_module
from cxlab.errors import CXLabError

__all__ = ["scan", "scan_summary", "SCAN_CHECKS", "SCAN_ENGINES", "DEFAULT_SCAN_ENGINE", "DEFAULT_MEMORY_LIMIT"]

SCAN_ENGINES = ("duckdb", "polars")
#: chosen by a measured trial (benchmarks/bench_scale.py; numbers in README "Big data")
DEFAULT_SCAN_ENGINE = "duckdb"
#: DuckDB spills to disk beyond this (its own buffers; the process peaks somewhat above it)
DEFAULT_MEMORY_LIMIT = "3GB"

_PARQUET = (".parquet", ".pq")
_CSV = (".csv", ".tsv", ".txt")


def _kind(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if path.is_dir() or any(s in _PARQUET for s in suffixes):
        return "parquet"
    if any(s in _CSV for s in suffixes):
        return "csv"
    raise CXLabError(f"cxlab.scan reads Parquet and CSV files, not {path.suffix or 'this file'}", file=str(path),
                     fix="convert the file to Parquet, or load a small file with cxlab.io.read")


def scan(path: str | os.PathLike, *, engine: str = "auto", memory_limit: str = DEFAULT_MEMORY_LIMIT,
         threads: int | None = None, **options):
    """Open a Parquet or CSV file (or a folder of Parquet files) lazily: nothing is read yet.

    The result is a DuckDB relation (default) or a Polars LazyFrame that every counting
    step of cxlab accepts — :func:`cxlab.nps.nps_table`, :func:`cxlab.nps.score_counts`,
    :func:`cxlab.segmentation.rfm_summary`, :func:`cxlab.channels.answer_counts` ... — which
    then reads only the columns it needs, in one streaming pass, and brings back the small
    summary. A file much larger than the memory works.

    What is checked: the columns exist and have the right types (numbers, timestamps), and
    each analysis raises :class:`~cxlab.errors.CXLabError` on the values it cannot use (scores
    outside the scale, purchases without customer, time or amount, negative amounts),
    naming the column. What is *not* done, unlike :func:`cxlab.io.read`: encoding and
    delimiter detection, decimal commas, day-first dates, the row-by-row quarantine with
    source line numbers. Write big files as Parquet (typed columns), or pass the reader's
    options for a plain CSV.

    Parameters
    ----------
    path
        A ``.parquet`` file, a folder of Parquet files (a partitioned data set; also a glob
        such as ``"sales/*.parquet"``), or a ``.csv`` file.
    engine
        ``"duckdb"``, ``"polars"`` or ``"auto"`` (= DuckDB: in the trial of benchmarks/bench_scale.py
        at 10M rows it took less CPU and memory than Polars for both the NPS counts (2.5 s / 0.35 GB
        against 3.2 s / 0.44 GB) and the RFM summary (6.7 s / 1.31 GB against 10.4 s / 1.55 GB),
        and it spills to disk beyond ``memory_limit``).
    memory_limit
        DuckDB's memory budget (``"3GB"``); work beyond it spills to a temporary directory.
    threads
        Threads DuckDB may use (default: all cores).
    **options
        Passed to the reader: ``duckdb.read_parquet`` / ``duckdb.read_csv`` or
        ``polars.scan_parquet`` / ``polars.scan_csv`` (e.g. ``sep=";"`` for DuckDB CSV).

    Returns
    -------
    duckdb.DuckDBPyRelation or polars.LazyFrame

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> import cxlab, cxlab.nps
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"channel": ["web", "web", "store", "store", "store"],
    ...               "likelihood_to_recommend": [10, 3, 9, 9, 6]}).to_parquet(folder / "survey.parquet")
    >>> survey = cxlab.scan(folder / "survey.parquet")
    >>> print(cxlab.nps.nps_table(survey, by="channel", min_base=1, low_base=1)[["channel", "n", "estimate"]]
    ...       .round(1).to_string(index=False))
    channel  n  estimate
      store  3      33.3
        web  2       0.0
    """
    p = Path(path).expanduser()
    glob = any(ch in str(p) for ch in "*?[")
    if not glob and not p.exists():
        raise CXLabError(f"there is no file {p}", file=str(p), fix="check the path")
    kind = "parquet" if glob and str(p).lower().endswith(_PARQUET) else _kind(p) if not glob else "csv"
    if engine == "auto":
        engine = DEFAULT_SCAN_ENGINE
    if engine not in SCAN_ENGINES:
        raise CXLabError(f"unknown scan engine {engine!r}", fix=f"use one of {', '.join(SCAN_ENGINES)} or 'auto'")
    target = str(p / "**" / "*.parquet") if p.is_dir() else str(p)
    if engine == "polars":
        pl = require_module("polars")
        if kind == "parquet":
            return pl.scan_parquet(target, **options)
        return pl.scan_csv(target, try_parse_dates=True, **options)
    duckdb = require_module("duckdb")
    import tempfile

    spill = Path(tempfile.gettempdir()) / "cxlab_duckdb_spill"  # never the user's working folder
    con = duckdb.connect(config={"memory_limit": memory_limit, "preserve_insertion_order": False,
                                 "temp_directory": str(spill), **({"threads": int(threads)} if threads else {})})
    if kind == "parquet":
        return con.read_parquet(target, **options)
    return con.read_csv(target, **options)


#: what a scanned table has been through, for a "Data used" block
SCAN_CHECKS = ("scanned lazily, not loaded: column names and types checked; each analysis refuses values it "
               "cannot use (scores off the scale, purchases without customer, time or amount) naming the column; "
               "no encoding/decimal-comma/date-format repair and no row quarantine (cxlab.io.read does those "
               "for files it loads)")


def scan_summary(frame, *, table: str = "", file: str = "", time_col: str | None = None):
    """One "Data used" row for a scanned (not loaded) table: rows, date range and the checks that ran.

    Parameters
    ----------
    frame
        A frame from :func:`scan` (or any engine frame).
    table, file
        Names to show (give the file name only, never a full path).
    time_col
        Column whose first and last date to show (skipped when absent).

    Returns
    -------
    pandas.DataFrame
        One row: ``table``, ``file``, ``rows_read``, ``rows_kept`` (the same: nothing is
        quarantined), ``rows_quarantined`` (0), ``date_from``, ``date_to``, ``loaded``
        (``"scanned"``) and ``checks`` (:data:`SCAN_CHECKS`) — the columns of
        :meth:`cxlab.loader.Tables.data_used` plus the last two.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"customer_id": ["a", "b"], "timestamp": pd.to_datetime(["2025-01-05", "2025-03-01"]),
    ...               "amount": [10.0, 5.5]}).to_parquet(folder / "sales.parquet")
    >>> row = scan_summary(scan(folder / "sales.parquet"), table="transactions", file="sales.parquet",
    ...                    time_col="timestamp")
    >>> print(row[["table", "rows_read", "date_from", "date_to", "loaded"]].to_string(index=False))
           table  rows_read  date_from    date_to  loaded
    transactions          2 2025-01-05 2025-03-01 scanned
    """
    import pandas as pd

    from cxlab.engine._frame import collect, columns_of, lazy

    nw = require_module("narwhals")
    lf = lazy(frame)
    aggs = [nw.len().alias("rows")]
    has_time = time_col is not None and time_col in columns_of(lf)
    if has_time:
        aggs += [nw.col(time_col).min().alias("first"), nw.col(time_col).max().alias("last")]
    got = collect(lf.select(*aggs)).iloc[0]
    first = pd.Timestamp(got["first"]).date() if has_time and pd.notna(got["first"]) else None
    last = pd.Timestamp(got["last"]).date() if has_time and pd.notna(got["last"]) else None
    rows = int(got["rows"])
    return pd.DataFrame([{"table": table, "file": file, "rows_read": rows, "rows_kept": rows, "rows_quarantined": 0,
                          "date_from": first, "date_to": last, "loaded": "scanned", "checks": SCAN_CHECKS}])
