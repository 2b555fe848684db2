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
import re
import warnings
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["Tables", "load_tables", "example_path", "data_used_html", "read_options", "READ_OPTIONS_ENV", "FOLDER_OPTIONS",
           "find_tables", "TABLE_NAMES", "FILE_WORDS", "DATA_SUFFIXES", "SCAN_ABOVE_ENV", "DEFAULT_SCAN_ABOVE",
           "parse_size", "scan_threshold", "scan_above_env", "SCANNED_TABLES"]

TABLE_NAMES = ("customers", "transactions", "survey_responses", "interactions", "employee_survey")
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")

#: Words in a file name that say which table it holds (lower case; Russian stems match word starts).
#: Edit to taste: ``cxlab.loader.FILE_WORDS["transactions"].append("чеки_розница")``.
FILE_WORDS: dict[str, list[str]] = {
    "employee_survey": ["employee", "employees", "enps", "staff", "сотрудник", "персонал", "enps"],
    "survey_responses": ["survey", "surveys", "responses", "response", "nps", "csat", "answers", "feedback",
                         "опрос", "анкет", "ответ", "отзыв"],
    "transactions": ["transactions", "transaction", "purchases", "purchase", "orders", "order", "sales",
                     "receipts", "payments", "покупк", "продаж", "заказ", "чек", "транзакц", "операци", "платеж", "платёж",
                     "выписк"],
    "interactions": ["interactions", "interaction", "contacts", "tickets", "calls", "chats", "обращени",
                     "звонк", "тикет", "контакт"],
    "customers": ["customers", "customer", "clients", "client", "crm", "клиент", "покупател"],
}
#: Files larger than this (bytes on disk) are scanned with DuckDB instead of being read (see README "Big data").
#: 1 GB: a CSV of that size takes 2–4 GB of memory once read into pandas, as much as a laptop can spare.
DEFAULT_SCAN_ABOVE = 1_000_000_000
#: The environment variable that sets the threshold for every notebook of a run (``cxlab report --scan-above``).
SCAN_ABOVE_ENV = "CXLAB_SCAN_ABOVE"
_SCANNABLE = (".csv", ".tsv", ".txt", ".parquet", ".pq")
#: The tables whose analyses run in the engine; customers and interactions (identity resolution, profiles,
#: row-level text) are always read into memory.
SCANNED_TABLES = ("transactions", "survey_responses")
_LATIN_EXACT = re.compile(r"^[a-z]+$")
_TIME_COLUMN = {"customers": "signup_date", "transactions": "timestamp", "survey_responses": "submitted_at",
                "interactions": "timestamp", "employee_survey": "submitted_at"}
_PARAM = {"customers": "customers_path", "transactions": "transactions_path", "survey_responses": "survey_path",
          "interactions": "interactions_path", "employee_survey": "employee_path"}


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


# --------------------------------------------------------------------------- finding files

def _words(stem: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-zа-яё]+", stem.lower().replace("ё", "е")) if w]


def _matches(word: str, key: str) -> bool:
    # Latin words are matched whole ("order" must not match "border"); Russian keys are stems.
    return word == key if _LATIN_EXACT.match(key) else word.startswith(key)


# The most specific first: "employee_survey" also says "survey", "customer_survey" also says "customer",
# "client_orders" also says "client".
_MATCH_ORDER = ("employee_survey", "survey_responses", "interactions", "transactions", "customers")


def _table_of(path: Path) -> str | None:
    words = _words(path.stem)
    for table in _MATCH_ORDER:
        if any(_matches(w, k) for w in words for k in FILE_WORDS[table]):
            return table
    return None


def find_tables(data_dir: str | os.PathLike, *, given: Sequence[str] = ()) -> tuple[dict[str, Path], list[Path]]:
    """Which file in ``data_dir`` holds which table.

    Returns
    -------
    found, unused
        ``found`` maps a table name to its file; ``unused`` lists data files whose name
        says no table (pass them explicitly, e.g. ``survey_path=...``). Tables in ``given``
        (passed as explicit files) are not looked for: their candidates count as unused.

    Raises
    ------
    CXLabError
        When the folder does not exist, or two files claim the same table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for f in ["Продажи 2024.csv", "nps_wave3.xlsx", "notes.txt", "~$nps_wave3.xlsx"]:
    ...     _ = (d / f).write_text("x")
    >>> found, unused = find_tables(d)
    >>> {k: v.name for k, v in found.items()}, [p.name for p in unused]
    ({'survey_responses': 'nps_wave3.xlsx', 'transactions': 'Продажи 2024.csv'}, ['notes.txt'])
    """
    folder = Path(data_dir).expanduser()
    if not folder.is_dir():
        raise CXLabError(f"the data folder {folder} does not exist" if not folder.exists()
                         else f"{folder} is a file, not a folder", file=str(folder),
                         fix="pass data_dir (cxlab report --data) the folder that holds your exports")
    candidates = sorted(p for p in folder.iterdir()
                        if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                        and not p.name.startswith((".", "~$")))
    claims: dict[str, list[Path]] = {}
    unused = []
    for p in candidates:
        t = _table_of(p)
        if t is None:
            unused.append(p)
        else:
            claims.setdefault(t, []).append(p)
    for t, paths in claims.items():
        if t in given:  # an explicit file for this table: the folder's candidates are simply not used
            unused.extend(paths)
            continue
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            raise CXLabError(f"{len(paths)} files in {folder} look like the {t} table: {names}",
                             file=str(folder),
                             fix=f"keep one of them in the folder, or name the file to use with {_PARAM[t]}= "
                                 f"(cxlab report: -p {_PARAM[t]} FILE)")
    found = {t: claims[t][0] for t in sorted(claims) if t not in given}
    return found, unused


# --------------------------------------------------------------------------- the result

class _Note:
    """A short Markdown note that renders in Jupyter and prints as text elsewhere."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text.replace("*", "")

    __repr__ = __str__


@dataclass(frozen=True)
class Tables:
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
        The currency of the amounts when cxlab knows it (the demo's); ``None`` for a user's data,
        whose currency the user names (``currency`` parameter).
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

    def in_memory(self, n: int = 200_000, *, seed: int = 0) -> Tables:
        """The same tables with none scanned: for notebooks whose steps need rows in memory.

        A scanned survey becomes a seeded random sample of ``n`` rows (all of it when smaller); a
        scanned transactions table is set aside, and :meth:`skipped` then says in words that a
        section needing it was skipped because the file is above the scan threshold.
        """
        if not self.lazy:
            return self
        changes: dict[str, Any] = {"lazy": {}, "set_aside": dict(self.set_aside)}
        said = []
        for name, s in self.lazy.items():
            if name == "survey_responses":
                changes[name] = s.sample(n, seed=seed)
                if s.rows_kept > n:
                    said.append(f"*{s.file} was scanned, not loaded:* this report works on a random sample of "
                                f"{n:,} of its {s.rows_kept:,} rows (seed {seed}), brought into memory.")
            else:
                changes[name] = None
                changes["set_aside"][name] = str(self.skipped_lazy(name, "this section")).split(" needs ", 1)[1]
                said.append(f"*{s.file} was scanned, not loaded:* the sections of this report that need every row of "
                            f"the {name} table are skipped (each says so).")
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
        return [n for n in TABLE_NAMES if n in self.lazy]

    def skipped_lazy(self, table: str, section: str) -> _Note:
        """A visible note for a section that needs every row of a table in memory, which was scanned instead.

        Examples
        --------
        >>> from cxlab.engine.loading import ScannedTable
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
        return "\n".join(lines)

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


def read_options(folder: Path | None = None, options: Mapping[str, Mapping[str, Any]] | None = None
                 ) -> dict[str, dict[str, Any]]:
    """Per-table :func:`cxlab.io.read` options from ``cxlab.json`` in the folder, then the environment, then ``options``.

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

    opts = dict(opts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # everything warned about is in the load report shown to the user
        loaded = cxio.read(path, name, **opts)
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

    found: dict[str, Path] = {}
    unused: list[Path] = []
    folder = Path(data_dir).expanduser() if data_dir not in (None, "") else None
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
    unknown = set(options or {}) - set(TABLE_NAMES)
    if unknown:
        raise CXLabError(f"options for unknown tables: {', '.join(sorted(unknown))}",
                         fix=f"use table names among {', '.join(TABLE_NAMES)}")
    tables: dict[str, pd.DataFrame] = {}
    reports, quarantines, problems, errors = {}, {}, {}, {}
    needs = [needs] if isinstance(needs, str) else list(needs)
    opts_all = read_options(folder, options)
    threshold = scan_threshold(scan_above)
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
    # the folder's name only: a full path (user name, other clients' folders) has no place in a deliverable
    where = f"files in the folder «{folder.name}»" if folder is not None else "the files given"
    from cxlab.io.ids import harmonise_customer_ids

    in_memory = {n: t for n, t in tables.items() if n not in lazy}
    notes = harmonise_customer_ids(in_memory, {n: p.name for n, p in found.items() if n not in lazy})
    tables.update(in_memory)
    notes = [lazy[n].note() for n in TABLE_NAMES if n in lazy] + list(notes)
    result = Tables(**tables, is_demo=False, data_dir=folder, source=f"Data: {where}",
                    files=dict(found), reports=reports, quarantines=quarantines, unused=tuple(unused),
                    problems=problems, notes=tuple(notes), lazy=lazy)
    if needs and not any(result.has(n) for n in needs):
        for n in needs:
            if n in errors:
                raise errors[n]
    _check_needs(result, needs, notebook)
    return result


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

    return scan_table(path, name, columns=opts.get("columns"), sep=opts.get("sep"),
                      date_format=opts.get("date_format"))


def _in_the_users_words(exc: CXLabError) -> CXLabError:
    """Under ``cxlab report`` (which sets ``$CXLAB_OUTPUT_DIR``), advice in command-line flags, not Python."""
    if not os.environ.get("CXLAB_OUTPUT_DIR") or not exc.fix:
        return exc
    from cxlab.io._messages import for_command_line

    return CXLabError(exc.problem, file=exc.file, column=exc.column, rows=exc.rows, fix=for_command_line(exc.fix))


def _check_needs(tables: Tables, needs: Sequence[str], notebook: str | None) -> None:
    needs = [needs] if isinstance(needs, str) else list(needs)
    bad = [n for n in needs if n not in TABLE_NAMES]
    if bad:
        raise CXLabError(f"unknown table names in needs: {', '.join(bad)}",
                         fix=f"use names among {', '.join(TABLE_NAMES)}")
    if not needs or any(tables.has(n) for n in needs):
        return
    who = f"notebook {notebook}" if notebook else "this analysis"
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
