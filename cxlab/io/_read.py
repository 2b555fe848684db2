"""The one entry point: :func:`read` a source into a canonical table."""

from __future__ import annotations

import functools
import warnings
from collections import Counter

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError, CXLabWarning, format_rows
from cxlab.io import _vocab
from cxlab.io._headers import _blank_mask, _map_header, clean_header
from cxlab.io._report import QUARANTINE_COLUMNS, LoadReport, LoadResult, Normalisation
from cxlab.io._sources import _acquire, _quick_utf8, _source_name, known_headers
from cxlab.io._summary import _summary_blank_key, _summary_postscan, _summary_prescan
from cxlab.io._text import RawTable
from cxlab.io._values import BAD, MISSING, NONRESPONSE, OK, PARSERS, Options, Parsed, factorize, parse_text, to_text
from cxlab.schema import TableSpec, coerce, table_spec, validate
from cxlab.io._rowchecks import _drop_duplicate_keys, _implausible_dates, _implausible_event_times

__all__ = ["read", "read_survey", "read_transactions", "read_customers", "read_interactions"]


def read(
    source,
    kind: str,
    *,
    columns: dict[str, str] | None = None,
    channel_map: dict[str, str] | None = None,
    value_maps: dict[str, dict[str, str]] | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    dayfirst: bool = True,
    decimal: str | None = None,
    sheet_name: str | int = 0,
    non_response: set[str] | None = None,
    phone_region: str = "RU",
    normalise_phones: bool = False,
    name: str | None = None,
    date_format: str | None = None,
    plausible_dates: tuple | None = None,
) -> LoadResult:
    """Read a file or DataFrame into a canonical cxlab table, never losing a row.

    Every input row ends up either in ``result.data`` or in ``result.quarantine``
    (with its source line, column, raw value and reason); the two always add up to
    ``result.report.rows_read``. Problems that cannot be fixed row by row (unreadable
    file, missing required column, a score column on the wrong scale) raise
    :class:`~cxlab.errors.CXLabError` naming the file, column, rows and what to do.

    Parameters
    ----------
    source
        A path (``.csv``, ``.tsv``, ``.txt``, ``.xlsx``, ``.parquet``), raw bytes, a
        file-like object, or a pandas DataFrame (anything with ``to_pandas()`` is
        converted first).
    kind
        ``"survey"`` (``"survey_responses"``), ``"transactions"``, ``"customers"`` or
        ``"interactions"``.
    columns
        Extra header mapping ``{"your header": "canonical_name"}``; it takes precedence
        over :data:`cxlab.io.COLUMN_ALIASES`. A key ``"#4"`` names a column by its position
        (counted from 1, as in a spreadsheet: ``#1`` is column A), which tells apart two
        columns with the same header; a value ``None`` leaves the column out.
    channel_map, value_maps
        Extra labels ``{"label": "canonical"}`` for ``channel`` and, per column, for the
        other closed vocabularies (``price_tier``, ``stated_frequency``...); they extend
        :data:`cxlab.io.CHANNEL_MAP` and :data:`cxlab.io.VALUE_MAPS`.
    encoding
        Text encoding; by default strict UTF-8 (with or without BOM), then cp1251 /
        koi8-r / UTF-16 checked for plausible Russian text.
    sep
        Field delimiter; by default one of ``, ; \\t |`` chosen by the header and
        consistent field counts.
    dayfirst
        Read ``01.02.2024`` and ``01/02/2024`` as 1 February (default) or, when False,
        slash dates as month first.
    decimal
        ``","`` or ``"."``; by default decided per column from the values.
    sheet_name
        Worksheet of an Excel file (name or 0-based position).
    non_response
        Extra explicit non-response codes (added to :data:`cxlab.io.NON_RESPONSE`).
    phone_region, normalise_phones
        Region for ``phonenumbers`` validation; when ``normalise_phones`` phones are
        rewritten to E.164 (``+79123456789``), otherwise kept as given.
    name
        Name of the source in messages and the report (default: the file name).
    date_format
        A ``strftime`` format for every date column, e.g. ``"%Y%m%d"`` for ``19970101``;
        a value that does not match it is quarantined with the reason. By default the
        formats listed above are recognised value by value.
    plausible_dates
        ``(start, end)`` of the dates expected in the data (default: 1990-01-01 to one
        year after today). Dates outside it are kept and flagged in the report; dates
        before 1900 or after 2200 are impossible and quarantined.

    Returns
    -------
    LoadResult
        ``data`` (the canonical columns present in the source, with canonical dtypes;
        absent optional columns are *not* added, see ``report.columns_absent``; then the
        source's other columns under their cleaned headers, as categories when they have
        few distinct values, else as text kept as given), ``quarantine`` (columns ``line, column, value, problem, reason``),
        ``report`` (:class:`LoadReport`) and ``lines`` (source line of each kept row).

    Examples
    --------
    >>> import pandas as pd, cxlab.io
    >>> raw = pd.DataFrame({"ID анкеты": ["1", "2", "3"], "Дата": ["05.03.2025", "31.02.2025", "2025-03-07"],
    ...                     "Оценка": ["10 - крайне вероятно", "7", "Затрудняюсь ответить"]})
    >>> res = cxlab.io.read(raw, "survey")
    >>> res.report.rows_read, res.report.rows_kept, res.report.rows_quarantined
    (3, 2, 1)
    >>> res.data["likelihood_to_recommend"].tolist()
    [10, <NA>]
    """
    spec = table_spec(kind)
    opts = Options(
        dayfirst=dayfirst,
        decimal=decimal,
        channel_map={**_vocab.CHANNEL_MAP, **(channel_map or {})},
        value_maps={k: {**v, **((value_maps or {}).get(k, {}))} for k, v in _vocab.VALUE_MAPS.items()}
        | {k: v for k, v in (value_maps or {}).items() if k not in _vocab.VALUE_MAPS},
        non_response={_vocab.normalise_label(x) for x in (_vocab.NON_RESPONSE | set(non_response or ()))},
        phone_region=phone_region,
        normalise_phones=normalise_phones,
    )
    if decimal not in (None, ",", "."):
        raise CXLabError(f"decimal={decimal!r} is not supported", fix="use decimal=',' or decimal='.'")
    opts.date_format = date_format or None
    opts.plausible = _plausible_window(plausible_dates)
    label = name or _source_name(source)
    try:
        raw = _acquire(source, spec, encoding=encoding, sep=sep, sheet_name=sheet_name, name=label)
        return _load(raw, spec, opts, label, columns or {})
    except CXLabError:
        raise
    except (UnicodeError, ValueError, TypeError, KeyError, IndexError, OSError, MemoryError, AttributeError,
            OverflowError, ArithmeticError, AssertionError) as exc:
        raise CXLabError(f"the source could not be loaded ({exc.__class__.__name__}: {exc})", file=label,
                         fix="check the file opens in a spreadsheet; if it does, report this as a cxlab bug "
                             "with the file attached") from None


def _plausible_window(window) -> tuple[pd.Timestamp, pd.Timestamp]:
    today = pd.Timestamp.today().normalize()
    default = (pd.Timestamp("1990-01-01"), today + pd.DateOffset(years=1))
    if window is None:
        return default
    try:
        start, end = window
        start = default[0] if start is None else pd.Timestamp(start)
        end = default[1] if end is None else pd.Timestamp(end)
    except (TypeError, ValueError) as exc:
        raise CXLabError(f"plausible_dates={window!r} is not a (start, end) pair of dates ({exc})",
                         fix="write e.g. plausible_dates=('1995-01-01', '2026-12-31')") from None
    if start > end:
        raise CXLabError(f"plausible_dates starts after it ends ({start:%Y-%m-%d} > {end:%Y-%m-%d})",
                         fix="give (start, end) in that order")
    return start, end


def _reader(kind: str):
    def reader(source, **kwargs) -> LoadResult:
        return read(source, kind, **kwargs)

    reader.__name__ = f"read_{kind}"
    reader.__qualname__ = reader.__name__
    reader.__doc__ = f"Read a source into the ``{table_spec(kind).name}`` table: ``read(source, {kind!r}, ...)``."
    return reader


read_survey = _reader("survey")
read_transactions = _reader("transactions")
read_customers = _reader("customers")
read_interactions = _reader("interactions")


# --------------------------------------------------------------------------- loading

class _Quarantine:
    """The rejected cells of one load, in the order they were found (one list per quarantine column)."""

    def __init__(self) -> None:
        self.line: list[int] = []
        self.column: list[str | None] = []
        self.value: list[str] = []
        self.problem: list[str] = []
        self.reason: list[str] = []

    def add(self, line: int, column: str | None, value: str, problem: str, reason: str) -> None:
        self.line.append(line)
        self.column.append(column)
        self.value.append(value)
        self.problem.append(problem)
        self.reason.append(reason)

    def frame(self) -> pd.DataFrame:
        """The quarantine table, sorted by source line (stable: cells of one line keep their order)."""
        quarantine = pd.DataFrame({"line": pd.array(self.line, dtype="int64"),
                                   "column": pd.array(self.column, dtype="string"),
                                   "value": pd.array(self.value, dtype="string"),
                                   "problem": pd.array(self.problem, dtype="string"),
                                   "reason": pd.array(self.reason, dtype="string")}, columns=list(QUARANTINE_COLUMNS))
        return quarantine.sort_values(["line"], kind="stable").reset_index(drop=True)


def _load(raw: RawTable, spec: TableSpec, opts: Options, name: str, user_cols: dict) -> LoadResult:
    """Parse, check and quarantine the raw cells of one table; every step below keeps the row accounting."""
    mapping, extras, ignored = _map_header(raw, spec, user_cols, name)
    notes: list[Normalisation] = [Normalisation(c, a, n) for c, a, n in raw.notes]
    warns: list[str] = list(raw.warnings)
    if ignored:
        notes.append(Normalisation(None, "empty or unwanted columns left out", ignored))
    cols, lines, positions, blank_skipped = _drop_blank_rows(raw)
    n = len(lines)
    q = _Quarantine()
    for line, text, width in raw.ragged:
        q.add(line, None, text[:200], "ragged_row", f"the row has {width} fields but the header has "
              f"{len(raw.header)} (an unquoted delimiter inside a text, or a broken line)")

    summary = _summary_prescan(cols, mapping, extras, spec) if n else {}
    opts.lines = lines
    formula_rows: dict[int, list[tuple[str, str]]] = {}
    for pos, j, ref in raw.formula_cells:
        p = int(positions[pos]) if pos < len(positions) else -1
        if p >= 0 and j in mapping:
            formula_rows.setdefault(p, []).append((mapping[j], ref))
    parsed = _parse_columns(raw, cols, mapping, spec, opts, name, summary, warns, notes)
    _summary_blank_key(cols, mapping, spec, summary)
    rejected = _quarantine_rejects(parsed, cols, mapping, lines, summary, formula_rows, q)
    _workbook_warnings(raw, summary, n, warns)
    dup_drop = _drop_duplicate_keys(parsed, spec, lines, rejected, q, warns, name, raw.line_label)

    rejected |= _implausible_event_times(parsed, spec, ~rejected & ~dup_drop, lines, opts, q, raw.line_label)
    keep = ~rejected & ~dup_drop
    data, extra_names = _kept_frame(parsed, extras, cols, keep, spec)
    implausible = _implausible_dates(parsed, spec, keep, lines, opts, raw.line_label, warns)
    quarantine = q.frame()

    rows_read = n + len(raw.ragged)
    rows_kept = int(keep.sum())
    rows_quarantined = int(quarantine["line"].nunique())
    if rows_read != rows_kept + rows_quarantined:  # pragma: no cover - an internal invariant
        raise AssertionError(f"row accounting broken: {rows_read} != {rows_kept} + {rows_quarantined}")

    non_response = {}
    for target, res in parsed.items():
        col = spec[target]
        if col.kind == "score" or target.startswith("stated_"):
            non_response[target] = int((res.status[keep] == NONRESPONSE).sum())
    date_formats = {t: dict(r.formats) for t, r in parsed.items() if r.formats}
    unmapped = _value_warnings(parsed, warns)
    if rows_read == 0:
        warns.append("the source has a header but no data rows")
    problems = dict(Counter(quarantine.drop_duplicates(["line", "problem"])["problem"].tolist()).most_common())
    present = tuple(c for c in spec.names if c in parsed)
    report = LoadReport(
        source=name, table=spec.name, rows_read=rows_read, rows_kept=rows_kept, rows_quarantined=rows_quarantined,
        blank_rows_skipped=blank_skipped, non_response=non_response, encoding=raw.encoding,
        delimiter=raw.delimiter, date_formats=date_formats,
        column_mapping={raw.header[j]: t for j, t in mapping.items()}, extra_columns=tuple(extra_names),
        normalisations=tuple(notes), unmapped_labels=unmapped, problems=problems, warnings=tuple(warns),
        line_label=raw.line_label, columns_present=present,
        columns_absent=tuple(c for c in spec.names if c not in parsed), implausible_dates=implausible,
        sheets=tuple(raw.sheets), sheet=raw.sheet,
    )
    for w in warns:
        warnings.warn(f"{name}: {w}", CXLabWarning, stacklevel=3)
    return LoadResult(data=data, quarantine=quarantine, report=report, lines=lines[keep])


def _drop_blank_rows(raw: RawTable) -> tuple[list[pd.Series], np.ndarray, np.ndarray, int]:
    """Columns and source lines without the rows whose every field is empty (blank lines, not rows).

    Also returns, for every raw row, its position among the rows kept (-1 when dropped), and the
    number of blank rows skipped in all.
    """
    cols = raw.columns
    lines = raw.lines
    blank_skipped = raw.blank_skipped
    positions = np.arange(len(lines))
    if len(lines):
        empty = np.ones(len(lines), dtype=bool)
        for s in cols:
            empty &= _blank_mask(s)
            if not empty.any():
                break
        if empty.any():
            blank_skipped += int(empty.sum())
            keep = ~empty
            cols = [s[keep].reset_index(drop=True) for s in cols]
            lines = lines[keep]
            positions = np.full(len(keep), -1)
            positions[keep] = np.arange(int(keep.sum()))
    return cols, lines, positions, blank_skipped


def _parse_columns(raw: RawTable, cols: list[pd.Series], mapping: dict, spec: TableSpec, opts: Options, name: str,
                   summary: dict, warns: list[str], notes: list[Normalisation]) -> dict[str, Parsed]:
    """Parse every mapped column with the parser of its kind; a required column's empty cells become rejects."""
    parsed: dict[str, Parsed] = {}
    for j, target in mapping.items():
        col = spec[target]
        s = cols[j]
        if col.kind in ("id", "text"):
            res = parse_text(s, col, opts, name=name)
        else:
            res = PARSERS[col.kind](s, col, opts)
        if col.kind == "score":
            _check_scale(res, col, raw.header[j], name, raw)
        if not col.nullable:
            for p in np.flatnonzero(res.status == MISSING):
                res.bad_reasons[int(p)] = ("missing_value", f"{col.name} is empty")
            res.status[res.status == MISSING] = BAD
        if col.kind == "id" and j in raw.numeric_columns:
            warns.append(f"{target} is stored as numbers in the source: leading zeros (000123) are lost if your "
                         "system writes them; export the column as text (in Excel: format the column as Text)")
        if col.kind in ("datetime", "float", "score", "category") and res.bad_reasons:
            _summary_postscan(s, res, target, summary)
        parsed[target] = res
        warns.extend(f"{target}: {w}" for w in res.warnings)
        for action, count in res.notes.items():
            notes.append(Normalisation(target, action, int(count)))
    return parsed


def _quarantine_rejects(parsed: dict[str, Parsed], cols: list[pd.Series], mapping: dict, lines: np.ndarray,
                        summary: dict, formula_rows: dict, q: _Quarantine) -> np.ndarray:
    """Quarantine the cells that did not parse, formula cells without a value and summary rows.

    Returns the mask of rejected rows. A summary row is quarantined once, as a summary row, not
    for each of its cells.
    """
    rejected = np.zeros(len(lines), dtype=bool)
    for target, res in parsed.items():
        if res.bad_reasons:
            s = cols[next(j for j, t in mapping.items() if t == target)]
            for p, (problem, reason) in res.bad_reasons.items():
                if p in summary or any(t == target for t, _ in formula_rows.get(p, ())):
                    continue
                rejected[p] = True
                q.add(int(lines[p]), target, _raw_value(s, p), problem, reason)
    for p, cells in formula_rows.items():
        if p in summary:
            continue
        rejected[p] = True
        for target, ref in cells:
            q.add(int(lines[p]), target, f"formula in {ref}", "formula_without_value",
                  f"cell {ref} holds a formula whose result was never saved, so its value is unknown "
                  "(not an empty answer); open the workbook in Excel, let it recalculate, save, and load it again")
    for p, (column, value) in summary.items():
        rejected[p] = True
        q.add(int(lines[p]), column, value, "summary_row",
              f"summary row: {value!r} marks a totals/average line of the export, not a record"
              if value else "summary row: no id and no date, only numbers (a totals line of the "
                            "export, not a record)")
    return rejected


def _workbook_warnings(raw: RawTable, summary: dict, n: int, warns: list[str]) -> None:
    """Warnings about the workbook: formula cells without a saved value, records perhaps on another sheet."""
    if raw.formula_cells:
        refs = [ref for _, _, ref in raw.formula_cells]
        warns.append(f"{len(refs)} formula cells have no saved value ({format_rows(refs)}); they are not empty "
                     "answers: open the workbook in Excel, let it recalculate, save, and load it again")
    if summary and raw.sheets and len(raw.sheets) > 1 and 2 * len(summary) >= n:
        warns.append("the sheet read has summary rows; the workbook's sheets are "
                     + ", ".join(f"{k!r} ({v[0]:,} rows)" for k, v in raw.sheets.items())
                     + f" (read: {raw.sheet!r}); pass sheet_name= if the records are on another sheet")


def _kept_frame(parsed: dict[str, Parsed], extras: dict, cols: list[pd.Series], keep: np.ndarray,
                spec: TableSpec) -> tuple[pd.DataFrame, list[str]]:
    """The kept rows as a validated canonical table, extra columns after the canonical ones (and their names)."""
    out = {}
    for target, res in parsed.items():
        out[target] = res.values[keep].reset_index(drop=True) if not keep.all() else res.values.reset_index(drop=True)
    frame = pd.DataFrame(out)
    extra_names = []
    for j, extra in extras.items():
        label = extra
        while label in frame.columns or label in spec.names:
            label = f"{extra}_{j + 1}" if label == extra else f"{label}_"
        frame[label] = _extra_values(cols[j], keep)
        extra_names.append(label)
    if len(frame.columns) == 0:
        frame = pd.DataFrame(index=range(int(keep.sum())))
    return _validate(coerce(frame, spec.name, add_missing=False), spec), extra_names


def _value_warnings(parsed: dict[str, Parsed], warns: list[str]) -> dict[str, dict[str, int]]:
    """Warnings that say what to pass next time (unmapped labels, 2-digit years, ambiguous numbers, date formats).

    Returns the unmapped labels per column, most common first.
    """
    unmapped = {t: dict(r.unmapped.most_common()) for t, r in parsed.items() if r.unmapped}
    for t, labels in unmapped.items():
        shown = ", ".join(repr(k) for k in list(labels)[:5])
        if t == "channel":
            from cxlab.schema import CHANNELS

            warns.append(f"{sum(labels.values())} rows have channel labels that are not among cxlab's channels "
                         f"({shown}): kept as channels of their own; if one of them is {', '.join(CHANNELS)}, "
                         f"pass channel_map= to say so (e.g. channel_map={{{next(iter(labels))!r}: 'web'}})")
        else:
            warns.append(f"{sum(labels.values())} rows have {t} labels that are not in the dictionary "
                         f"({shown}); pass value_maps= to map them")
    for t, r in parsed.items():
        if any("2-digit year" in f for f in r.formats):
            warns.append(f"{t}: two-digit years were expanded with a pivot (00–68 → 2000s, 69–99 → 1900s); "
                         "check that this is right for your data")
        amb = sum(1 for p in r.bad_reasons.values() if p[0] == "ambiguous_number")
        if amb:
            warns.append(f"{t}: {amb:,} values such as '1,234' could be a thousand or one point something and "
                         "were quarantined; pass decimal=',' or decimal='.' to say which mark is the decimal one")
        fmt_bad = sum(1 for p in r.bad_reasons.values() if p[0] in ("unknown_date_format", "date_format_mismatch"))
        if fmt_bad and fmt_bad * 2 > len(r.values):
            ex = next(p[1] for p in r.bad_reasons.values() if p[0] in ("unknown_date_format", "date_format_mismatch"))
            warns.append(f"{t}: {fmt_bad:,} of {len(r.values):,} dates were not recognised (first: {ex}); name the "
                         "format with date_format= (e.g. date_format='%Y%m%d')")
    return unmapped


def _extra_values(s: pd.Series, keep: np.ndarray) -> pd.Series:
    """An extra column: a category when it has few distinct values (a grouping), else text kept as given."""
    t = to_text(s)[keep].reset_index(drop=True)
    stripped = t.str.strip()
    nonempty = stripped != ""
    k = int(nonempty.sum())
    if k:
        codes, uniques = factorize(stripped[nonempty])
        distinct = len(uniques)
        if distinct <= 0.5 * k and (distinct <= 50 or distinct <= min(1000, 0.2 * k)):
            return stripped.where(nonempty).astype("category")
    return t.where(nonempty).astype("string")


def _validate(data: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Validate with the canonical pandera schema.

    The key's uniqueness is already guaranteed by the duplicate step above (identical
    duplicates collapsed, conflicting ones quarantined), so pandera's own, slower,
    uniqueness check is switched off here; every other check of the schema runs.
    """
    import pandera.errors as pe

    schema = _io_schema(spec.name)
    try:
        return schema.validate(data, lazy=True)
    except pe.SchemaErrors:  # pragma: no cover - means a parser let a bad value through: a cxlab bug
        return validate(data, spec.name)


@functools.lru_cache(maxsize=None)
def _io_schema(table: str):
    """The canonical pandera schema without the key's uniqueness check (built once per table)."""
    from cxlab.schema import pandera_schema

    schema = pandera_schema(table)
    key = table_spec(table).key
    if key and key in schema.columns:
        schema = schema.update_column(key, unique=False)
    return schema


def _raw_value(s: pd.Series, p: int) -> str:
    v = s.iloc[p]
    if v is None or (isinstance(v, float) and v != v):
        return ""
    from cxlab.io._values import _cell_text

    return _cell_text(v)


def _check_scale(res: Parsed, col, header: str, name: str, raw: RawTable) -> None:
    lo, hi = col.scale
    if hi - lo > 20:
        return  # birth years and similar: no scale heuristics
    valid = res.values.dropna()
    out = sum(1 for p in res.bad_reasons.values() if p[0] == "out_of_range")
    if out >= 3 and out > len(valid):
        raise CXLabError(f"most values of {header!r} lie outside the {lo}–{hi} scale of {col.name}: the column is "
                         "on another scale", file=name, column=header,
                         fix=f"check that this is the {col.name} question; recode it to {lo}–{hi} before loading, "
                             "or map another column with columns=")
    if (lo, hi) == (0, 10) and len(valid) >= 10 and int(valid.max()) <= 5:
        raise CXLabError(f"{header!r} is mapped to {col.name} (a 0–10 scale) but its highest value is "
                         f"{int(valid.max())} in {len(valid)} answers: it looks like a 1–5 rating, not NPS",
                         file=name, column=header,
                         fix="map the real 0–10 'how likely are you to recommend' column with columns=, or load "
                             "this one as csat")


