"""Recognising a frame's engine, wrapping it in narwhals, and the missing-engine messages."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["engine_name", "is_pandas", "lazy", "require_module", "collect", "columns_of", "require_engine_columns"]

#: extra to install for each optional engine (``pip install 'cxlab[<extra>]'``)
EXTRAS = {"polars": "polars", "duckdb": "duckdb", "pyspark": "spark"}


def require_module(name: str):
    """Import an optional engine or raise a :class:`CXLabError` saying what to install."""
    try:
        return importlib.import_module(name)
    except ImportError:
        top = name.split(".")[0]
        how = f"pip install 'cxlab[{EXTRAS[top]}]'" if top in EXTRAS else f"pip install {top}"
        raise CXLabError(f"this needs the optional package {top!r}, which is not installed", fix=how) from None


def is_pandas(data) -> bool:
    return isinstance(data, pd.DataFrame)


def engine_name(data) -> str:
    """``"pandas"``, ``"polars"``, ``"polars-lazy"``, ``"duckdb"``, ``"spark"`` — or a CXLabError."""
    if isinstance(data, pd.DataFrame):
        return "pandas"
    module = type(data).__module__.split(".")[0]
    name = type(data).__name__
    if module == "polars":
        return "polars-lazy" if name == "LazyFrame" else "polars"
    if module in ("duckdb", "_duckdb"):
        return "duckdb"
    if module == "pyspark":
        return "spark"
    if module == "narwhals":
        return "narwhals"
    raise CXLabError(f"cxlab cannot read a {module}.{name}",
                     fix="pass a pandas, Polars (DataFrame or LazyFrame), DuckDB relation or PySpark DataFrame, "
                         "or a file path to cxlab.scan")


def lazy(data):
    """The frame as a narwhals LazyFrame (nothing is computed)."""
    engine_name(data)  # refuses unknown types with a clear message
    nw = require_module("narwhals")
    frame = data if type(data).__module__.startswith("narwhals") else nw.from_native(data)
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def columns_of(lf) -> list[str]:
    return list(lf.collect_schema().names())


def require_engine_columns(lf, columns: Iterable[str], what: str) -> None:
    have = columns_of(lf)
    missing = [c for c in columns if c not in have]
    if missing:
        raise CXLabError(f"{what} has no column(s) {', '.join(map(repr, missing))}", column=missing[0],
                         fix=f"rename your columns or pass the names (it has {', '.join(map(str, have[:12]))})")


def collect(lf) -> pd.DataFrame:
    """Run a (small, aggregated) narwhals LazyFrame and bring the result back as pandas.

    Text columns come back as pandas' default string dtype, as they do when pandas reads a file.
    """
    return lf.collect(backend="pandas").to_native().reset_index(drop=True)
