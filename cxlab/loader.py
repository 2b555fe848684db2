"""The data contract: one loader for every notebook and command.

A user's data is a folder holding any of the canonical tables (``customers``,
``transactions``, ``survey_responses``, ``interactions``) and the optional
``employee_survey``, as CSV/TSV/TXT, Excel or Parquet files found by name (English or
Russian words in the file name), plus optional per-table paths that override the
folder. :func:`load_tables` reads each table through :func:`cxlab.io.read` and returns
a :class:`Tables` holding the tables, their load reports and quarantines, and a "Data
used" block that every notebook shows first. ``data_dir=None`` (and no per-table path)
means the built-in demo company, and the block's first line says so, so a demo report
can never be mistaken for a client's.

This module imports no plotting or notebook libraries.
"""

from __future__ import annotations

import html
import json
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from cxlab._scanned import (  # noqa: F401 - the scan threshold belongs to the loader's public names
    DEFAULT_SCAN_ABOVE,
    SCAN_ABOVE_ENV,
    SCANNED_TABLES,
    ScannedTablesMixin,
    _Note,
    _scan_one,
    _should_scan,
    parse_size,
    scan_above_env,
    scan_threshold,
)
from cxlab._find_tables import DATA_SUFFIXES, FILE_WORDS, _PARAM, _table_of, find_tables  # noqa: F401
from cxlab._needs import _check_needs, _in_the_users_words  # noqa: F401
from cxlab.errors import CXLabError

__all__ = ["Tables", "load_tables", "example_path", "data_used_html", "read_options", "READ_OPTIONS_ENV", "FOLDER_OPTIONS",
           "find_tables", "TABLE_NAMES", "FILE_WORDS", "DATA_SUFFIXES", "SCAN_ABOVE_ENV", "DEFAULT_SCAN_ABOVE",
           "parse_size", "scan_threshold", "scan_above_env", "SCANNED_TABLES"]

TABLE_NAMES = ("customers", "transactions", "survey_responses", "interactions", "employee_survey")


_TIME_COLUMN = {"customers": "signup_date", "transactions": "timestamp", "survey_responses": "submitted_at",
                "interactions": "timestamp", "employee_survey": "submitted_at"}


def example_path(name: str) -> Path:
    """Path of a shipped example file (``data/examples`` in a checkout, else inside the package).

    Examples
    --------
    >>> example_path("messy_survey_cp1251.csv").name
    'messy_survey_cp1251.csv'
    """
    here = Path(__file__).resolve().parent
    for folder in (here.parent / "data" / "examples", here / "_examples"):
        if (folder / name).is_file():
            return folder / name
    raise CXLabError(f"there is no example file {name!r}", fix="reinstall cxlab; the examples ship with it")


# --------------------------------------------------------------------------- the result

#: A table that loses at least this share of its rows to the quarantine gets a warning beside the figures.
QUARANTINE_WARNING_SHARE = 0.05


@dataclass(frozen=True)
class Tables(ScannedTablesMixin):
    """The tables a notebook works on, where they came from and how they loaded.

    Attributes
    ----------
    customers, transactions, survey_responses, interactions, employee_survey
        Canonical tables, or ``None`` when absent.
    is_demo
        True for the built-in demo company.
    source
        One line saying whose data this is (the first line of the "Data used" block).
    files, reports, quarantines
        By table name: the file read, its :class:`cxlab.io.LoadReport`, its quarantine.
    unused
        Data files in the folder whose name says no table.
    truth
        The demo's planted truths (``None`` for a user's data).
    notes
        What the loader did across tables that the user must know (e.g. customer ids
        written with and without leading zeros in two files, matched by their number).
    currency
        The currency of the amounts when cxlab knows it: the demo's, or the one value of a currency
        column in the transactions («Валюта», ``currency``); otherwise ``None`` and the user names it
        (``currency`` parameter). Several currencies in that column are refused, not added up.
    lazy
        By table name, the :class:`cxlab.engine.loading.ScannedTable` of a file above the scan
        threshold: the table itself is then a DuckDB relation (:meth:`is_lazy`), counted where it lies.
    set_aside, memory_notes
        Set by :meth:`in_memory`: scanned tables left out of a notebook that needs rows in memory
        (why, for :meth:`skipped`), and what was sampled or set aside, in words.
    """

    customers: pd.DataFrame | None = None
    transactions: pd.DataFrame | None = None
    survey_responses: pd.DataFrame | None = None
    interactions: pd.DataFrame | None = None
    employee_survey: pd.DataFrame | None = None
    is_demo: bool = False
    source: str = ""
    data_dir: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    reports: dict[str, Any] = field(default_factory=dict)
    quarantines: dict[str, pd.DataFrame] = field(default_factory=dict)
    unused: tuple[Path, ...] = ()
    truth: Any = None
    demo_observation_end: pd.Timestamp | None = None
    problems: dict[str, str] = field(default_factory=dict)
    currency: str | None = None
    notes: tuple[str, ...] = ()
    lazy: dict[str, Any] = field(default_factory=dict)
    set_aside: dict[str, str] = field(default_factory=dict)
    memory_notes: tuple[str, ...] = ()

    def has(self, name: str) -> bool:
        """True when table ``name`` is present and has at least one row."""
        if name in self.lazy:
            return self.lazy[name].rows_kept > 0
        t = getattr(self, name, None)
        return t is not None and len(t) > 0

    def get(self, name: str) -> pd.DataFrame | None:
        """The table, or ``None``."""
        return getattr(self, name) if name in TABLE_NAMES else None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The present canonical tables by name (employee survey excluded)."""
        return {n: getattr(self, n) for n in TABLE_NAMES[:4] if self.has(n)}

    @property
    def observation_end(self) -> pd.Timestamp | None:
        """The demo's observation end, else the latest purchase (or, without purchases, the latest date)."""
        if self.demo_observation_end is not None:
            return self.demo_observation_end
        order = ["transactions", "survey_responses", "interactions", "employee_survey", "customers"]
        for name in order:
            rng = self.date_range(name)
            if rng is not None:
                return rng[1]
        return None

    def date_range(self, name: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """First and last date of a table's time column, or ``None``."""
        if name in self.lazy:
            s = self.lazy[name]
            return (s.date_from, s.date_to) if s.date_from is not None else None
        t, col = self.get(name), _TIME_COLUMN.get(name)
        if t is None or col not in t.columns:
            return None
        s = t[col].dropna()
        return (s.min(), s.max()) if len(s) else None

    def data_used(self) -> pd.DataFrame:
        """One row per table: file, rows read / kept / quarantined, date range."""
        rows = []
        for name in TABLE_NAMES:
            t = self.get(name)
            if t is None:
                continue
            rep = self.reports.get(name)
            if name in self.lazy:
                s = self.lazy[name]
                read, kept, quarantined = s.rows_read, s.rows_kept, s.rows_quarantined
            else:
                read = rep.rows_read if rep is not None else len(t)
                kept = len(t)
                quarantined = rep.rows_quarantined if rep is not None else 0
            rng = self.date_range(name)
            path = self.files.get(name)
            file = path.name if path is not None else "(in memory)"
            if name in self.lazy:
                file += " (scanned with DuckDB)"
            rows.append({"table": name, "file": file,
                         "rows_read": read, "rows_kept": kept, "rows_quarantined": quarantined,
                         "date_from": rng[0].date() if rng else None, "date_to": rng[1].date() if rng else None})
        cols = ["table", "file", "rows_read", "rows_kept", "rows_quarantined", "date_from", "date_to"]
        return pd.DataFrame(rows, columns=cols)

    def missing(self) -> list[str]:
        """Tables that are absent."""
        return [n for n in TABLE_NAMES if not self.has(n)]

    def skipped(self, table: str | Sequence[str], section: str, *, columns: Sequence[str] = ()) -> _Note:
        """A visible note for a section skipped because a table (or a column of it) is missing.

        The note gives the true reason: a table that is absent, a table that is loaded but lacks
        the ``columns`` the section needs, or data files whose name said no table.

        Examples
        --------
        >>> print(Tables(source="Data: x").skipped("transactions", "Customer lifetime value"))
        Skipped: Customer lifetime value needs the transactions table, which is not in the data.
        >>> t = Tables(interactions=pd.DataFrame({"channel": ["chat"]}), source="Data: x")
        >>> print(t.skipped("interactions", "Brand voice", columns=["agent_message"]))
        Skipped: Brand voice needs the column agent_message of the interactions table, which it does not have.
        """
        names = [table] if isinstance(table, str) else list(table)
        missing = [n for n in names if not self.has(n)]
        aside = [n for n in missing if n in self.set_aside]
        if aside:
            return _Note(f"**Skipped:** *{section}* needs {self.set_aside[aside[0]]}")
        if not missing:
            lacking = [c for c in columns if not any(c in self.get(n).columns for n in names)]
            what = " and ".join(f"the {n} table" for n in names)
            they = "it does" if len(names) == 1 else "they do"
            if lacking:
                word = "column" if len(lacking) == 1 else "columns"
                return _Note(f"**Skipped:** *{section}* needs the {word} {', '.join(lacking)} of {what}, "
                             f"which {they} not have.")
            verbs = "is loaded but lacks" if len(names) == 1 else "are loaded but lack"
            return _Note(f"**Skipped:** *{section}*: {what} {verbs} what this section needs (see the notes above).")
        where = f"in the folder «{self.data_dir.name}»" if self.data_dir is not None else "in the data"
        what = " and ".join(f"the {n} table" for n in missing)
        verb = "is" if len(missing) == 1 else "are"
        text = f"**Skipped:** *{section}* needs {what}, which {verb} not {where}."
        if self.unused:
            files = ", ".join(f"«{p.name}»" for p in self.unused)
            text += (f" Files not recognised by their name: {files} — if one holds the {missing[0]} table, rename it "
                     f"to say so (e.g. '{missing[0]}.csv') or pass its path as {_PARAM.get(missing[0], 'a path')}.")
        return _Note(text)

    def __str__(self) -> str:
        lines = [self.source, "Data used:"]
        for r in self.data_used().itertuples(index=False):
            dates = f", {r.date_from} to {r.date_to}" if r.date_from is not None else ""
            lines.append(f"  {r.table}: {r.file} — {r.rows_read:,} rows read, {r.rows_kept:,} kept, "
                         f"{r.rows_quarantined:,} quarantined{dates}")
        absent = [n for n in TABLE_NAMES if self.get(n) is None]
        if absent:
            lines.append("  not provided: " + ", ".join(absent))
        if self.unused:
            lines.append("  files not used (name says no table): " + ", ".join(p.name for p in self.unused))
        for name, why in self.problems.items():
            lines.append(f"  {name}: NOT READ — {why}")
        lines.extend(f"  note: {n}" for n in self.notes)
        lines.extend(f"  WARNING: {w}" for w in self.quarantine_warnings())
        return "\n".join(lines)

    def quarantine_warnings(self, share: float = QUARANTINE_WARNING_SHARE) -> list[str]:
        """One sentence per table that lost at least ``share`` of its rows to the quarantine: every figure
        leaves them out, so the reader must see it next to the figures, not only in a row count."""
        out = []
        for name, report in self.reports.items():
            read, lost = int(getattr(report, "rows_read", 0)), int(getattr(report, "rows_quarantined", 0))
            if not read or lost < share * read:
                continue
            file = self.files[name].name if name in self.files else name
            text = (f"{lost / read:.0%} of the rows of {file} ({lost:,} of {read:,}) were quarantined while loading; "
                    "every figure from the " + name.replace("_", " ") + " table leaves them out.")
            q = self.quarantines.get(name)
            if q is not None and len(q):
                top = q["reason"].iloc[int(q["problem"].map(q["problem"].value_counts()).to_numpy().argmax())]
                text += f" Commonest reason: {top}."
            out.append(text)
        return out

    def _repr_html_(self) -> str:
        used = self.data_used()
        absent = [n for n in TABLE_NAMES if self.get(n) is None and n not in self.problems]
        notes = []
        if absent:
            notes.append("Not provided: " + ", ".join(absent) + ".")
        if self.unused:
            notes.append("Files not used (the name says no table): "
                         + ", ".join(html.escape(p.name) for p in self.unused) + ".")
        for name, why in self.problems.items():
            notes.append(f"<b>{html.escape(name)} was not read</b> (this notebook can do without it): "
                         f"{html.escape(why)}")
        notes.extend(html.escape(n) for n in self.notes)
        notes = [f"<b>⚠ {html.escape(w)}</b>" for w in self.quarantine_warnings()] + notes
        q = sum(int(r.rows_quarantined) for r in used.itertuples(index=False))
        if q:
            where = ("<code>tables.quarantines</code>; for scanned tables, counts by reason in "
                     "<code>tables.quarantine_summary()</code>") if self.lazy else "<code>tables.quarantines</code>"
            notes.append(f"{q:,} rows were quarantined while loading (see {where}).")
        return (f"<p><b>{html.escape(self.source)}</b></p><p>Data used:</p>" + data_used_html(used)
                + "".join(f"<p>{n}</p>" for n in notes))


def data_used_html(used: pd.DataFrame | None) -> str:
    """The Data used table (:meth:`Tables.data_used`) as HTML: one look in notebooks, index and appendix."""
    if used is None or not len(used):
        return "<p>No data table was loaded.</p>"
    right = "style='text-align:right'"
    rows = "".join(
        f"<tr><td>{html.escape(str(r.table))}</td><td>{html.escape(str(r.file))}</td>"
        f"<td {right}>{int(r.rows_read):,}</td><td {right}>{int(r.rows_kept):,}</td>"
        f"<td {right}>{int(r.rows_quarantined):,}</td>"
        f"<td>{'' if r.date_from is None else f'{r.date_from} – {r.date_to}'}</td></tr>"
        for r in used.itertuples(index=False))
    return ("<table><tr><th>table</th><th>file</th><th>rows read</th><th>kept</th><th>quarantined</th>"
            f"<th>dates</th></tr>{rows}</table>")


# --------------------------------------------------------------------------- loading

#: Reading options for every notebook of a run (JSON; ``cxlab report --column/--sheet`` sets it).
READ_OPTIONS_ENV = "CXLAB_READ_OPTIONS"
#: A file in the data folder with the same options, kept with the client's data.
FOLDER_OPTIONS = "cxlab.json"
_OPTION_KEYS = {"columns", "sheet_name", "date_format", "decimal", "dayfirst", "encoding", "sep", "channel_map",
                "value_maps", "non_response", "phone_region"}


def read_options(folder: Path | None = None, options: Mapping[str, Mapping[str, Any]] | None = None, *,
                 shared: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Per-table :func:`cxlab.io.read` options from ``cxlab.json`` in the folder, then the environment, then
    ``shared`` (options for every table, as command-line flags give them), then ``options`` (per table).

    The JSON holds options for every table at the top level and per table under ``"tables"``::

        {"columns": {"How likely are you to recommend us?": "likelihood_to_recommend"},
         "tables": {"survey_responses": {"sheet_name": "Responses"}}}

    Examples
    --------
    >>> read_options(None, {"transactions": {"date_format": "%Y%m%d"}})["transactions"]
    {'date_format': '%Y%m%d'}
    """
    sources: list[tuple[str, Mapping[str, Any]]] = []
    if folder is not None and (Path(folder) / FOLDER_OPTIONS).is_file():
        path = Path(folder) / FOLDER_OPTIONS
        try:
            sources.append((str(path), json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, UnicodeDecodeError) as exc:
            raise CXLabError(f"{FOLDER_OPTIONS} is not valid JSON ({exc})", file=str(path),
                             fix="fix the file (a JSON object) or remove it") from None
    if os.environ.get(READ_OPTIONS_ENV):
        sources.append((READ_OPTIONS_ENV, json.loads(os.environ[READ_OPTIONS_ENV])))
    if shared:
        sources.append(("the command line", shared))
    out: dict[str, dict[str, Any]] = {name: {} for name in TABLE_NAMES}
    for where, src in sources:
        bad = set(src) - _OPTION_KEYS - {"tables"}
        per_table = src.get("tables", {})
        bad |= {f"tables.{t}" for t in per_table if t not in TABLE_NAMES}
        if bad:
            raise CXLabError(f"unknown reading option(s) {', '.join(sorted(bad))} in {where}", file=where,
                             fix=f"use {', '.join(sorted(_OPTION_KEYS))}, and per table under 'tables' "
                                 f"({', '.join(TABLE_NAMES)})")
        shared_columns = src.get("columns") or {}
        if shared_columns:  # a header mapping for every table: a target no table has is a typo
            known = {c for t in TABLE_NAMES for c in _table_columns(t)}
            typos = sorted({v for v in shared_columns.values() if v not in (None, "") and v not in known})
            if typos:
                raise CXLabError(f"column mapping onto {', '.join(map(repr, typos))}, which no table has ({where})",
                                 file=where, fix="map headers onto cxlab column names (see data/README.md), e.g. "
                                                 "'Оценка=likelihood_to_recommend'")
        for name in TABLE_NAMES:
            merged = {k: v for k, v in src.items() if k != "tables"}
            if shared_columns:  # each table takes the mappings onto its own columns
                own = _table_columns(name)
                merged["columns"] = {h: c for h, c in shared_columns.items() if c in (None, "") or c in own}
                if not merged["columns"]:
                    del merged["columns"]
            merged.update(per_table.get(name, {}))
            for k, v in merged.items():
                if isinstance(v, dict) and isinstance(out[name].get(k), dict):
                    out[name][k] = {**out[name][k], **v}
                else:
                    out[name][k] = v
    for name, opts in (options or {}).items():
        out.setdefault(name, {}).update(opts)
    return {k: v for k, v in out.items() if v}

def _table_columns(name: str) -> set[str]:
    from cxlab.schema import EMPLOYEE_SURVEY, TABLES

    spec = EMPLOYEE_SURVEY if name == "employee_survey" else TABLES[name]
    return set(spec.names)


def _read_one(name: str, path: Path, opts: Mapping[str, Any]):
    from cxlab import io as cxio
    from cxlab._currency import amounts_currency

    opts = dict(opts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # everything warned about is in the load report shown to the user
        loaded = cxio.read(path, name, **opts)
    if name == "transactions":
        amounts_currency(loaded.data, path.name)  # several currencies are refused, not added up
    return loaded, loaded.data


def _demo_tables(notebook: str | None) -> Tables:
    from cxlab.datasets import (COMPANY, DEFAULT_N_CUSTOMERS, DEFAULT_SEED, DEMO_CURRENCY, _FILES, demo_dir,
                                load_example)

    demo = load_example()
    folder = demo_dir()
    tables = {n: getattr(demo, n) for n in TABLE_NAMES}
    return Tables(**tables, is_demo=True, data_dir=None, truth=demo.truth,
                  source=f"Demo data: «{COMPANY}», a made-up company ({DEFAULT_N_CUSTOMERS:,} customers, "
                         f"generated with seed {DEFAULT_SEED}) — not a client's data",
                  files={n: folder / f for n, f in _FILES.items()},
                  demo_observation_end=demo.observation_end, currency=DEMO_CURRENCY)


def load_tables(data_dir: str | os.PathLike | None = None, *,
                customers: str | os.PathLike | None = None,
                transactions: str | os.PathLike | None = None,
                survey_responses: str | os.PathLike | None = None,
                interactions: str | os.PathLike | None = None,
                employee_survey: str | os.PathLike | None = None,
                date_format: str | None = None,
                options: Mapping[str, Mapping[str, Any]] | None = None,
                needs: Sequence[str] = (),
                notebook: str | None = None,
                scan_above: int | str | None = None) -> Tables:
    """Load a user's folder of exports (or the demo company) into the canonical tables.

    Parameters
    ----------
    data_dir
        Folder holding the exports, found by name (see :data:`FILE_WORDS`). ``None``
        (with no per-table path) loads the built-in demo company.
    customers, transactions, survey_responses, interactions, employee_survey
        Paths of single files; they override what is found in ``data_dir``.
    date_format
        A ``strftime`` format for dates the reader does not recognise (e.g.
        ``"%Y%m%d"`` for ``19970101``), passed to every table.
    options
        Extra :func:`cxlab.io.read` arguments per table, e.g.
        ``{"survey_responses": {"columns": {"Оценка NPS": "likelihood_to_recommend"}}}``.
    needs
        The tables the calling notebook can work with: at least one must be present,
        otherwise a :class:`~cxlab.errors.CXLabError` names the notebook, the tables and
        the folder searched.
    notebook
        Name of the calling notebook, for messages.
    scan_above
        Size (bytes, or text such as ``"500MB"``, ``"2GB"``; ``0`` = always, ``"never"``) above which a
        Parquet or CSV file is scanned with DuckDB (:func:`cxlab.scan`) instead of being read into
        pandas. Default: ``$CXLAB_SCAN_ABOVE`` (set by ``cxlab report --scan-above``), else 1 GB.
        Only the transactions and the survey responses are scanned (:data:`SCANNED_TABLES`); the
        other tables are always read.
        A scanned table is a DuckDB relation (:meth:`Tables.is_lazy`); its headers are matched
        and renamed as for a read file, the checks DuckDB can make run there (rows with a
        missing id, time or amount, a negative amount or a score off the scale are left out and
        counted), and the "Data used" notes say which row checks were not made.

    Returns
    -------
    Tables

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "продажи.csv").write_text(
    ...     "Чек;Клиент;Дата;Сумма\\nA1;001;05.03.2025;1 234,50\\nA2;002;06.03.2025;99,90\\n", encoding="cp1251")
    >>> t = load_tables(d, needs=["transactions"], notebook="01_segmentation")
    >>> t.is_demo, t.has("survey_responses")
    (False, False)
    >>> t.data_used()[["table", "file", "rows_read", "rows_kept", "rows_quarantined"]]
              table         file  rows_read  rows_kept  rows_quarantined
    0  transactions  продажи.csv          2          2                 0
    """
    explicit = {"customers": customers, "transactions": transactions, "survey_responses": survey_responses,
                "interactions": interactions, "employee_survey": employee_survey}
    explicit = {k: Path(v).expanduser() for k, v in explicit.items() if v not in (None, "")}
    if data_dir in (None, "") and not explicit:
        result = _demo_tables(notebook)
        _check_needs(result, needs, notebook)
        return result

    folder = Path(data_dir).expanduser() if data_dir not in (None, "") else None
    found, unused = _files(folder, explicit)
    unknown = set(options or {}) - set(TABLE_NAMES)
    if unknown:
        raise CXLabError(f"options for unknown tables: {', '.join(sorted(unknown))}",
                         fix=f"use table names among {', '.join(TABLE_NAMES)}")
    needs = [needs] if isinstance(needs, str) else list(needs)
    tables, reports, quarantines, problems, errors, lazy = _read_all(
        found, read_options(folder, options), date_format, scan_threshold(scan_above), needs)
    # the folder's name only: a full path (user name, other clients' folders) has no place in a deliverable
    where = f"files in the folder «{folder.name}»" if folder is not None else "the files given"
    from cxlab.io.ids import harmonise_customer_ids

    in_memory = {n: t for n, t in tables.items() if n not in lazy}
    notes = harmonise_customer_ids(in_memory, {n: p.name for n, p in found.items() if n not in lazy})
    tables.update(in_memory)
    notes = [lazy[n].note() for n in TABLE_NAMES if n in lazy] + list(notes)
    from cxlab._currency import amounts_currency

    result = Tables(**tables, is_demo=False, data_dir=folder, source=f"Data: {where}",
                    files=dict(found), reports=reports, quarantines=quarantines, unused=tuple(unused),
                    problems=problems, notes=tuple(notes), lazy=lazy,
                    currency=(lazy["transactions"].currency if "transactions" in lazy
                              else amounts_currency(tables.get("transactions"))))
    if needs and not any(result.has(n) for n in needs):
        for n in needs:
            if n in errors:
                raise errors[n]
    _check_needs(result, needs, notebook)
    return result


def _files(folder: Path | None, explicit: Mapping[str, Path]) -> tuple[dict[str, Path], list[Path]]:
    """Which file holds which table (the folder's, overridden by explicit paths) and the unused files."""
    found: dict[str, Path] = {}
    unused: list[Path] = []
    if folder is not None:
        found, unused = find_tables(folder, given=list(explicit))
    for name, path in explicit.items():
        if not path.is_file():
            raise CXLabError(f"there is no file {path} for the {name} table", file=str(path),
                             fix=f"check the path given as {_PARAM[name]}")
        if name in found and found[name].resolve() != path.resolve():
            unused.append(found[name])  # overridden by the explicit path: say it was not used
        found[name] = path
    chosen = {p.resolve() for p in found.values()}
    unused = sorted({p for p in unused if p.resolve() not in chosen})
    return found, unused


def _read_all(found: Mapping[str, Path], opts_all: Mapping[str, Mapping[str, Any]], date_format: str | None,
              threshold: int | None, needs: Sequence[str]):
    """Read (or, above the threshold, scan) every table found; a failed table is a problem when ``needs``."""
    tables: dict[str, Any] = {}
    reports, quarantines, problems, errors = {}, {}, {}, {}
    lazy: dict[str, Any] = {}
    for name in TABLE_NAMES:
        if name not in found:
            continue
        opts = dict(opts_all.get(name, {}))
        if date_format is not None:
            opts.setdefault("date_format", date_format)
        try:
            if _should_scan(name, found[name], threshold):
                lazy[name] = replace(_scan_one(name, found[name], opts), threshold=threshold)
                tables[name] = lazy[name].data
                continue
            loaded, data = _read_one(name, found[name], opts)
        except CXLabError as exc:
            exc = _in_the_users_words(exc)
            if not needs:
                raise exc from None
            # Say why the table was not read, and go on while the notebook has something to work with.
            problems[name], errors[name] = str(exc), exc
            continue
        tables[name], reports[name], quarantines[name] = data, loaded.report, loaded.quarantine
    return tables, reports, quarantines, problems, errors, lazy
