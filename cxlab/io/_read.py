"""The one entry point: :func:`read` a source into a canonical table."""

from __future__ import annotations

import functools
import os
import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError, CXLabWarning, format_rows
from cxlab.io import _vocab
from cxlab.io._report import QUARANTINE_COLUMNS, LoadReport, LoadResult, Normalisation
from cxlab.io._text import STR_DTYPE, RawTable, decode, detect_delimiter, tokenise
from cxlab.io._text import WHITESPACE as _WHITESPACE
from cxlab.io._values import BAD, MISSING, NONRESPONSE, OK, PARSERS, Options, Parsed, factorize, parse_text, to_text
from cxlab.schema import SURVEY_SCORES, TableSpec, coerce, table_spec, validate

__all__ = ["read", "read_survey", "read_transactions", "read_customers", "read_interactions"]

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat", ""}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}


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


# --------------------------------------------------------------------------- sources

def _source_name(source) -> str:
    if isinstance(source, str | os.PathLike):
        return str(source)
    if isinstance(source, pd.DataFrame):
        return "<DataFrame>"
    if isinstance(source, bytes | bytearray):
        return "<bytes>"
    return getattr(source, "name", None) or f"<{type(source).__name__}>"


def known_headers(spec: TableSpec) -> set[str]:
    keys = set()
    for col in spec.columns:
        keys.add(_vocab.normalise_label(col.name))
        keys.update(_vocab.normalise_label(a) for a in _vocab.COLUMN_ALIASES.get(spec.name, {}).get(col.name, []))
    return keys


def _acquire(source, spec: TableSpec, *, encoding, sep, sheet_name, name) -> RawTable:
    if hasattr(source, "to_pandas") and not isinstance(source, pd.DataFrame):
        source = source.to_pandas()
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, line_label="row")
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            raise CXLabError("file not found", file=name, fix="check the path (relative paths start in the "
                                                               f"working directory {os.getcwd()})")
        if path.is_dir():
            raise CXLabError("this is a folder, not a file", file=name, fix="give the path of one file")
        suffix = path.suffix.lower()
        if suffix in EXCEL_SUFFIXES:
            return _from_excel(path, sheet_name, name)
        if suffix == ".xls":
            raise CXLabError("old-style .xls workbooks are not supported", file=name,
                             fix="open it in Excel and save as .xlsx or CSV UTF-8")
        if suffix in PARQUET_SUFFIXES:
            try:
                frame = pd.read_parquet(path)
            except Exception as exc:  # pyarrow raises many types
                raise CXLabError(f"the Parquet file cannot be read ({exc.__class__.__name__})", file=name,
                                 fix="check that the file is complete and really Parquet") from None
            return _from_frame(frame, line_label="row")
        data = path.read_bytes()
    elif isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
            encoding = encoding or "utf-8"
    else:
        raise CXLabError(f"cannot read a {type(source).__name__}",
                         fix="pass a file path, bytes, a file object or a pandas DataFrame")
    return _from_bytes(data, spec, encoding=encoding, sep=sep, name=name)


def _from_bytes(data: bytes, spec: TableSpec, *, encoding, sep, name) -> RawTable:
    quick = _quick_utf8(data, spec, encoding=encoding, sep=sep, name=name)
    if quick is not None:
        return quick
    text, used, notes = decode(data, encoding=encoding, name=name)
    if not re.search(r"\S", text):
        raise CXLabError("the file is empty", file=name,
                         fix="export the data again with a header row and at least one data row")
    if "\r" in text and "\n" not in text:  # classic Mac line endings
        text = text.replace("\r", "\n")
        notes.append((None, "carriage-return-only line endings read as new lines", 1))
    hint = re.match(r"[ \t]*sep=(.)[ \t]*\r?(?:\n|$)", text)
    if hint:  # Excel's "sep=;" first line: the delimiter, not the header
        if sep is None:
            sep = hint.group(1)
        text = text[hint.end() - (1 if text[hint.end() - 1:hint.end()] == "\n" else 0):]
        plain = False
        notes.append((None, f"Excel's first line 'sep={hint.group(1)}' read as the delimiter (not the header)", 1))
    else:
        plain = True
    if sep is None:
        sep = detect_delimiter(text, known_headers=known_headers(spec), name=name)
    elif sep in (" ", r"\s+", _WHITESPACE):
        sep = _WHITESPACE
    elif len(sep) != 1:
        raise CXLabError(f"sep={sep!r} must be a single character", file=name,
                         fix="use sep=';' or sep=',' (or sep=' ' for columns separated by runs of spaces)")
    plain_utf8 = used == "utf-8" and not notes and plain
    body = data if plain_utf8 else text.encode("utf-8")
    raw = tokenise(text, data=body, sep=sep, name=name)
    raw.encoding = used
    raw.notes.extend(notes)
    return raw


def _quick_utf8(data: bytes, spec: TableSpec, *, encoding, sep, name) -> RawTable | None:
    """Big clean UTF-8 files: detect on the first megabyte and let pyarrow (which validates
    UTF-8 itself) tokenise the bytes, without decoding the whole file in Python first.
    Returns None whenever anything is unusual; the general path then handles the file."""
    import codecs

    from cxlab.io._text import (_fast_tokenise, has_control_bytes, _header_starts_file, _looks_like_mojibake,
                                _sample_records)

    if encoding not in (None, "utf-8") or len(data) < (4 << 20) or data[:3] == b"\xef\xbb\xbf" or \
            data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(data[: 1 << 20], final=False)
    except UnicodeDecodeError:
        return None
    if "\n" not in head or _looks_like_mojibake(head) or not _header_starts_file(head) or \
            head.lstrip().startswith(("<", "sep=")) or has_control_bytes(data):
        return None
    if sep is None:
        sep = detect_delimiter(head, known_headers=known_headers(spec), name=name)
    if len(sep) != 1:
        return None
    recs = _sample_records(head, sep, limit=1)
    if not recs:
        return None
    header = recs[0]
    fast = _fast_tokenise(data, sep, len(header))
    if fast is None:
        return None
    cols, lines, blank = fast
    return RawTable(header=header, columns=cols, lines=lines, blank_skipped=blank, delimiter=sep, encoding="utf-8")


def _from_frame(frame: pd.DataFrame, *, line_label: str) -> RawTable:
    n = len(frame)
    header = [str(c) for c in frame.columns]
    cols = [frame.iloc[:, j].reset_index(drop=True) for j in range(frame.shape[1])]
    numeric = {j for j, s in enumerate(cols)
               if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) and s.notna().any()}
    return RawTable(header=header, columns=cols, lines=np.arange(1, n + 1, dtype=np.int64), line_label=line_label,
                    numeric_columns=numeric)


def _from_excel(path: Path, sheet_name, name: str) -> RawTable:
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile / openpyxl raise many types
        raise CXLabError(f"the Excel workbook cannot be opened ({exc.__class__.__name__})", file=name,
                         fix="check that it opens in Excel and is saved as .xlsx") from None
    try:
        names = list(wb.sheetnames)
        if isinstance(sheet_name, int | np.integer) and not isinstance(sheet_name, bool):
            if not 0 <= sheet_name < len(names):
                raise CXLabError(f"the workbook has no sheet number {sheet_name}", file=name,
                                 fix=f"use sheet_name= with one of {names} (or a number from 0 to {len(names) - 1})")
            chosen = names[sheet_name]
        else:
            if sheet_name not in names:
                raise CXLabError(f"the workbook has no sheet {sheet_name!r}", file=name,
                                 fix=f"use sheet_name= with one of {names}")
            chosen = sheet_name
        header, rows, lines, blank, header_row, numeric = _sheet_rows(wb[chosen])
        sheets = {}
        for sn in names:
            if sn == chosen:
                sheets[sn] = (len(rows), header or [])
            else:
                h, r, _, _, _, _ = _sheet_rows(wb[sn], limit=100_000)
                sheets[sn] = (len(r), h or [])
    finally:
        wb.close()
    if header is None:
        others = [f"{k!r} ({v[0]:,} rows)" for k, v in sheets.items() if k != chosen and v[0]]
        raise CXLabError(f"the worksheet {chosen!r} is empty", file=name,
                         fix=(f"pass sheet_name= with one of the other sheets: {', '.join(others)}" if others else
                              "put a header row and the data on the first sheet, or pass sheet_name="))
    width = max([len(header)] + [len(r) for r in rows])
    header = header + [""] * (width - len(header))
    cols = [pd.Series([r[j] if j < len(r) else "" for r in rows], dtype=STR_DTYPE) for j in range(width)]
    raw = RawTable(header=header, columns=cols, lines=np.asarray(lines, dtype=np.int64), blank_skipped=blank,
                   encoding="xlsx", line_label="line", header_line=header_row, sheets=sheets, sheet=chosen,
                   numeric_columns={j for j, c in numeric.items() if c and c == len(rows)})
    raw.formula_cells = _formulas_without_value(path, chosen, names, header_row, lines)
    return raw


def _sheet_rows(ws, limit: int | None = None):
    from cxlab.io._values import _cell_text

    header = None
    rows: list[list[str]] = []
    lines: list[int] = []
    blank = 0
    header_row = 1
    numeric: dict[int, int] = {}
    for r, cells in enumerate(ws.iter_rows(values_only=True), start=1):
        vals = ["" if c is None else _cell_text(c) for c in cells]
        if not any(v.strip() for v in vals):
            if header is not None:
                blank += 1
            continue
        if header is None:
            header = vals
            header_row = r
            continue
        for j, c in enumerate(cells):
            if isinstance(c, int | float) and not isinstance(c, bool):
                numeric[j] = numeric.get(j, 0) + 1
        rows.append(vals)
        lines.append(r)
        if limit is not None and len(rows) >= limit:
            break
    return header, rows, lines, blank, header_row, numeric


def _formulas_without_value(path: Path, sheet: str, names: list[str], header_row: int, lines: list[int]):
    """Cells of ``sheet`` holding a formula but no saved result, as (row position, column, "D5")."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            wbxml = zf.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            rid = None
            for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wbxml):
                tag = m.group(0)
                nm = re.search(r'name="([^"]*)"', tag)
                if nm and _xml_unescape(nm.group(1)) == sheet:
                    rid = re.search(r'r:id="([^"]*)"', tag) or re.search(r'\bid="([^"]*)"', tag)
                    rid = rid.group(1) if rid else None
                    break
            target = None
            for m in re.finditer(r"<Relationship\b[^>]*>", rels):
                tag = m.group(0)
                if rid and f'Id="{rid}"' in tag:
                    target = re.search(r'Target="([^"]*)"', tag).group(1)
                    break
            if target is None:
                return []
            target = target.lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            xml = zf.read(member).decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile, AttributeError):
        return []
    if "<f" not in xml:
        return []
    pos_of_row = {r: i for i, r in enumerate(lines)}
    out = []
    for m in re.finditer(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", xml, re.S):
        attrs, body = m.group(1), m.group(2) or ""
        if "<f" not in body:
            continue
        if re.search(r"<v>[^<]+</v>|<is>", body):
            continue
        ref = re.search(r'r="([A-Z]+)(\d+)"', attrs)
        if not ref:
            continue
        letters, row = ref.group(1), int(ref.group(2))
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch) - 64
        if row in pos_of_row:
            out.append((pos_of_row[row], col - 1, f"{letters}{row}"))
    return out


def _xml_unescape(s: str) -> str:
    import html

    return html.unescape(s)


# --------------------------------------------------------------------------- mapping

def _column_letter(j: int) -> str:
    """0-based position -> spreadsheet column letter (0 -> A, 26 -> AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _position_key(key) -> int | None:
    """``"#4"`` or ``4`` (1-based, as a spreadsheet counts columns) -> 0-based position."""
    if isinstance(key, int | np.integer) and not isinstance(key, bool):
        return int(key) - 1
    if isinstance(key, str) and re.fullmatch(r"\s*#\d+\s*", key):
        return int(key.strip()[1:]) - 1
    return None


def clean_header(h: str) -> str:
    """An extra column's header as users will type it: invisible characters removed, spaces collapsed."""
    h = re.sub("[\u200b-\u200d\u2060\ufeff]", "", str(h)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", h).strip().strip("\"")


_SCALE_HINT = re.compile(r"\(?\s*(?:от\s+|from\s+)?\d+\s*(?:-|–|—|до|to|\s)\s*\d+\s*(?:баллов|points)?\s*\)?")
_PUNCT = re.compile(r"[.,:;!?()\[\]{}\"'«»*#№]+")


def _loose_header(key: str) -> str:
    """A folded header without punctuation and scale hints: 'эл. почта' → 'эл почта', 'оценка (0-10)' → 'оценка'.

    >>> _loose_header("оценка (0-10)"), _loose_header("эл. почта"), _loose_header("оценка от 0 до 10")
    ('оценка', 'эл почта', 'оценка')
    """
    text = _PUNCT.sub(" ", _SCALE_HINT.sub(" ", key))
    return " ".join(text.split())


_QUESTION_HINTS = {"likelihood_to_recommend": ("recommend", "порекоменд", "рекомендовать", "рекомендуете")}


def _map_header(raw: RawTable, spec: TableSpec, user: dict, name: str):  # noqa: C901 - one pass over headers
    canonical = {_vocab.normalise_label(c.name): c.name for c in spec.columns}
    aliases = {}
    for col, names in _vocab.COLUMN_ALIASES.get(spec.name, {}).items():
        for a in names:
            aliases.setdefault(_vocab.normalise_label(a), col)
    loose = {}
    for k, col in (*aliases.items(), *canonical.items()):
        loose.setdefault(_loose_header(k), col)
    bad_targets = [v for v in user.values() if v not in spec.names and v not in (None, "")]
    if bad_targets:
        raise CXLabError(f"columns= maps onto {bad_targets}, which are not columns of the {spec.name} table",
                         file=name, fix=f"map onto {', '.join(spec.names)} (or None to leave a column out)")
    by_pos: dict[int, str | None] = {}
    user_n: dict[str, str | None] = {}
    for k, v in user.items():
        pos = _position_key(k)
        if pos is not None:
            if not 0 <= pos < len(raw.header):
                raise CXLabError(f"columns= names column #{pos + 1}, but the file has {len(raw.header)} columns",
                                 file=name, fix="count columns from 1 (A = #1) as in a spreadsheet")
            by_pos[pos] = v or None
        else:
            user_n[_vocab.normalise_label(k)] = v or None
    mapping: dict[int, str] = {}
    extras: dict[int, str] = {}
    ignored = 0
    seen: dict[str, int] = {}
    for j, h in enumerate(raw.header):
        key = _vocab.normalise_label(h)
        if j in by_pos:
            target = by_pos[j]
            if target is None:
                ignored += 1
                continue
        elif key in user_n:
            target = user_n[key]
            if target is None:
                ignored += 1
                continue
        else:
            target = canonical.get(key) or aliases.get(key) or loose.get(_loose_header(key))
        if not key and target is None:
            if _all_blank(raw.columns[j]):
                ignored += 1
                continue
            extras[j] = f"unnamed_{j + 1}"
            continue
        if target is None:
            extras[j] = clean_header(h) or f"unnamed_{j + 1}"
            continue
        if target in seen:
            i = seen[target]
            other = raw.header[i]
            same = _vocab.normalise_label(other) == key
            where = (f"columns #{i + 1} ({_column_letter(i)}) and #{j + 1} ({_column_letter(j)})")
            fix = (f"say which is which by position: columns={{'#{i + 1}': {target!r}, '#{j + 1}': "
                   f"'<another column>'}} (map a column to None to leave it out)")
            if not same:
                fix += f", or by name: columns={{{h!r}: '<another column>'}}"
            raise CXLabError(f"two columns, {other!r} and {h!r} ({where}), both map to {target!r}", file=name,
                             column=target, rows=[raw.header_line], fix=fix)
        seen[target] = j
        mapping[j] = target
    # a survey question written out in full ("How likely are you to recommend us to a friend?") is the
    # NPS question when exactly one unmatched header asks about recommending; the report says so
    for target, words in _QUESTION_HINTS.items():
        if target in spec.names and target not in seen:
            hits = [j for j in extras if any(w in _vocab.normalise_label(raw.header[j]) for w in words)]
            if len(hits) == 1:
                j = hits[0]
                mapping[j], seen[target] = target, j
                del extras[j]
                raw.notes.append((target, f"header {raw.header[j]!r} asks about recommending: read as {target}", 1))
    has_score = bool(set(SURVEY_SCORES) & set(mapping.values()))  # a score header, even if every answer is empty
    # an optional column present but empty in every row is treated as absent
    empty_optional = [j for j, t in mapping.items() if not spec[t].required and _all_blank(raw.columns[j])]
    for j in empty_optional:
        raw.notes.append((mapping[j], "optional column empty in every row: treated as absent", 1))
        del mapping[j]
    missing = [c for c in spec.required if c not in set(mapping.values())]
    if spec.name == "survey_responses" and not has_score:
        missing.append(" or ".join(SURVEY_SCORES))
    if missing:
        found = ", ".join(repr(h) for h in raw.header)
        what = (f"the {spec.name} table needs column(s) {', '.join(missing)}, which none of the headers matches "
                f"(headers found: {found})")
        first = missing[0].split(" or ")[0]
        fix = f"rename the header(s), or pass columns={{'your header': {first!r}}}"
        if raw.sheets:
            what, fix = _sheet_hint(raw, spec, what, fix)
        raise CXLabError(what, file=name, column=missing[0], rows=[raw.header_line], fix=fix)
    return mapping, extras, ignored


def _sheet_hint(raw: RawTable, spec: TableSpec, what: str, fix: str) -> tuple[str, str]:
    """For a workbook: list every sheet, and point to the one whose header matches."""
    listing = []
    better = None
    for sheet, (rows, header) in raw.sheets.items():
        keys = {_vocab.normalise_label(h) for h in header}
        fits = sum(1 for c in spec.required if keys & _names_of(spec, c))
        ok = fits == len(spec.required)
        listing.append(f"{sheet!r} ({rows:,} rows{', headers match' if ok else ''})")
        if ok and better is None and sheet != raw.sheet:
            better = sheet
    what += f"; the workbook's sheets are {', '.join(listing)} (read: {raw.sheet!r})"
    if better is not None:
        fix = f"pass sheet_name={better!r}, or " + fix
    else:
        fix = "pass sheet_name= to choose another sheet, or " + fix
    return what, fix


def _names_of(spec: TableSpec, column: str) -> set[str]:
    names = {_vocab.normalise_label(column)}
    names.update(_vocab.normalise_label(a) for a in _vocab.COLUMN_ALIASES.get(spec.name, {}).get(column, []))
    return names


def _all_blank(s: pd.Series) -> bool:
    if len(s) > 1000 and not _blank_mask(s.iloc[:1000]).all():
        return False  # the common case, decided on the first rows
    return bool(np.all(_blank_mask(s)))


# --------------------------------------------------------------------------- loading

def _load(raw: RawTable, spec: TableSpec, opts: Options, name: str, user_cols: dict) -> LoadResult:
    mapping, extras, ignored = _map_header(raw, spec, user_cols, name)
    notes: list[Normalisation] = [Normalisation(c, a, n) for c, a, n in raw.notes]
    warns: list[str] = list(raw.warnings)
    if ignored:
        notes.append(Normalisation(None, "empty or unwanted columns left out", ignored))

    # rows whose every field is empty are blank lines, not rows
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
    n = len(lines)

    q_line: list[int] = []
    q_col: list[str | None] = []
    q_val: list[str] = []
    q_prob: list[str] = []
    q_reason: list[str] = []
    for line, text, width in raw.ragged:
        q_line.append(line)
        q_col.append(None)
        q_val.append(text[:200])
        q_prob.append("ragged_row")
        q_reason.append(f"the row has {width} fields but the header has {len(raw.header)} "
                        "(an unquoted delimiter inside a text, or a broken line)")

    summary = _summary_prescan(cols, mapping, extras, spec) if n else {}
    parsed: dict[str, Parsed] = {}
    rejected = np.zeros(n, dtype=bool)
    opts.lines = lines
    formula_rows: dict[int, list[tuple[str, str]]] = {}
    for pos, j, ref in raw.formula_cells:
        p = int(positions[pos]) if pos < len(positions) else -1
        if p >= 0 and j in mapping:
            formula_rows.setdefault(p, []).append((mapping[j], ref))
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
    _summary_blank_key(cols, mapping, spec, summary)
    for target, res in parsed.items():
        if res.bad_reasons:
            s = cols[next(j for j, t in mapping.items() if t == target)]
            for p, (problem, reason) in res.bad_reasons.items():
                if p in summary or any(t == target for t, _ in formula_rows.get(p, ())):
                    continue
                rejected[p] = True
                q_line.append(int(lines[p]))
                q_col.append(target)
                q_val.append(_raw_value(s, p))
                q_prob.append(problem)
                q_reason.append(reason)
    for p, cells in formula_rows.items():
        if p in summary:
            continue
        rejected[p] = True
        for target, ref in cells:
            q_line.append(int(lines[p]))
            q_col.append(target)
            q_val.append(f"formula in {ref}")
            q_prob.append("formula_without_value")
            q_reason.append(f"cell {ref} holds a formula whose result was never saved, so its value is unknown "
                            "(not an empty answer); open the workbook in Excel, let it recalculate, save, and load "
                            "it again")
    for p, (column, value) in summary.items():
        rejected[p] = True
        q_line.append(int(lines[p]))
        q_col.append(column)
        q_val.append(value)
        q_prob.append("summary_row")
        q_reason.append(f"summary row: {value!r} marks a totals/average line of the export, not a record"
                        if value else "summary row: no id and no date, only numbers (a totals line of the "
                                      "export, not a record)")
    if raw.formula_cells:
        refs = [ref for _, _, ref in raw.formula_cells]
        warns.append(f"{len(refs)} formula cells have no saved value ({format_rows(refs)}); they are not empty "
                     "answers: open the workbook in Excel, let it recalculate, save, and load it again")
    if summary and raw.sheets and len(raw.sheets) > 1 and 2 * len(summary) >= n:
        warns.append("the sheet read has summary rows; the workbook's sheets are "
                     + ", ".join(f"{k!r} ({v[0]:,} rows)" for k, v in raw.sheets.items())
                     + f" (read: {raw.sheet!r}); pass sheet_name= if the records are on another sheet")

    # duplicate keys among the rows that parsed
    dup_drop = np.zeros(n, dtype=bool)
    if spec.key and spec.key in parsed:
        key = parsed[spec.key].values
        ok_rows = ~rejected & (parsed[spec.key].status == OK)
        codes, uniques = factorize(key)
        dmask = np.zeros(n, dtype=bool)
        if len(uniques) < int((codes >= 0).sum()):
            counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
            dmask = (codes >= 0) & (counts[np.maximum(codes, 0)] > 1) & ok_rows
        if dmask.any():
            _duplicates(dmask, parsed, spec, lines, rejected, dup_drop, q_line, q_col, q_val, q_prob, q_reason,
                        warns, name, raw.line_label)

    keep = ~rejected & ~dup_drop
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
    data = _validate(coerce(frame, spec.name, add_missing=False), spec)

    implausible = {}
    lo, hi = opts.plausible
    for target, res in parsed.items():
        if spec[target].kind != "datetime":
            continue
        v = res.values.to_numpy()
        m = keep & ~np.isnat(v) & ((v < lo.to_datetime64()) | (v > hi.to_datetime64()))
        if m.any():
            where = np.flatnonzero(m)
            vals = v[where]
            implausible[target] = {"count": int(m.sum()), "lines": [int(x) for x in lines[where[:50]]],
                                   "earliest": pd.Timestamp(vals.min()), "latest": pd.Timestamp(vals.max())}
            warns.append(f"{target}: {int(m.sum()):,} dates outside the plausible window {lo:%Y-%m-%d} … "
                         f"{hi:%Y-%m-%d} ({raw.line_label}s {format_rows(implausible[target]['lines'])}; "
                         f"{pd.Timestamp(vals.min()):%Y-%m-%d} to {pd.Timestamp(vals.max()):%Y-%m-%d}); they are "
                         "kept: check them, or pass plausible_dates=(start, end) if your data really spans them")

    quarantine = pd.DataFrame({"line": pd.array(q_line, dtype="int64"), "column": pd.array(q_col, dtype="string"),
                               "value": pd.array(q_val, dtype="string"), "problem": pd.array(q_prob, dtype="string"),
                               "reason": pd.array(q_reason, dtype="string")}, columns=list(QUARANTINE_COLUMNS))
    quarantine = quarantine.sort_values(["line"], kind="stable").reset_index(drop=True)

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
    unmapped = {t: dict(r.unmapped.most_common()) for t, r in parsed.items() if r.unmapped}
    for t, labels in unmapped.items():
        warns.append(f"{sum(labels.values())} rows have {t} labels that are not in the dictionary "
                     f"({', '.join(repr(k) for k in list(labels)[:5])}); pass "
                     f"{'channel_map' if t == 'channel' else 'value_maps'}= to map them")
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


# a totals / average line of an export (first word of the value); RE2 syntax, matched case-insensitively
_SUMMARY_WORDS = (r"(?:итого|итог|всего|общий итог|общая сумма|в среднем|среднее|grand total|subtotal|sub-total|"
                  r"sub total|totals?|average|avg|mean)")
_SUMMARY_PREFIX = r"^[\s*=:(]*" + _SUMMARY_WORDS + r"(?:$|[^0-9A-Za-zА-Яа-яЁё_][^\n]{0,60}$)"
_SUMMARY_EXACT = r"^[\s*=:(]*(?:" + _SUMMARY_WORDS[3:-1] + r"|сумма|sum)[\s:.*)]*$"


@functools.lru_cache(maxsize=1)
def _summary_first():
    """First characters a summary label can start with (its words' initials and leading decoration)."""
    import pyarrow as pa

    return pa.array(sorted(set("ИиВвОоСсGgSsTtAaMm \t*=:(")))


def _matches(t: pd.Series, pattern: str) -> np.ndarray:
    """Case-insensitive regex search over a pyarrow string column, evaluated by pyarrow (RE2)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = getattr(t.array, "_pa_array", None)
    if arr is None:
        arr = pa.array(t.astype(object).where(t.notna(), "").tolist(), type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    # only values whose first character can start a summary word go to the regex (ids rarely do)
    first = pc.utf8_slice_codeunits(arr, 0, 1)
    cand = np.asarray(pc.fill_null(pc.is_in(first, value_set=_summary_first()), False).to_numpy(zero_copy_only=False),
                      dtype=bool)
    out = np.zeros(len(arr), dtype=bool)
    if cand.any():
        pos = np.flatnonzero(cand)
        hit = pc.match_substring_regex(arr.take(pa.array(pos)), pattern=pattern, ignore_case=True)
        out[pos] = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    return out


def _summary_prescan(cols, mapping, extras, spec) -> dict[int, tuple[str | None, str]]:
    """Rows whose id, open-category or extra column holds 'Итого', 'Total', 'Среднее'..."""
    found: dict[int, tuple[str | None, str]] = {}
    strong = [(j, t, _SUMMARY_PREFIX) for j, t in mapping.items() if spec[t].kind == "id"]
    # a label column reading 'Итого' marks a summary only on a row without an id or without a date
    weak = [(j, t, _SUMMARY_EXACT) for j, t in mapping.items()
            if spec[t].kind == "category" and not spec[t].categories]
    weak += [(j, e, _SUMMARY_EXACT) for j, e in extras.items()]
    weak += [(j, t, _SUMMARY_EXACT) for j, t in mapping.items() if t == "name"]
    for j, label, pattern in strong:
        t = to_text(cols[j])
        hit = _matches(t, pattern)
        for p in np.flatnonzero(hit):
            found.setdefault(int(p), (label, t.iloc[p].strip()))
    if weak:
        keyish = [j for j, t in mapping.items() if spec[t].kind in ("id", "datetime")]
        lacking = np.zeros(len(cols[0]), dtype=bool) if keyish else np.ones(len(cols[0]), dtype=bool)
        for j in keyish:
            lacking |= _blank_mask(cols[j])
        if lacking.any():
            rows = np.flatnonzero(lacking)
            for j, label, pattern in weak:
                t = to_text(cols[j])
                sub = t.iloc[rows].reset_index(drop=True) if len(rows) < len(t) else t
                for k in np.flatnonzero(_matches(sub, pattern)):
                    p = int(rows[k])
                    found.setdefault(p, (label, t.iloc[p].strip()))
    return found


def _summary_postscan(s: pd.Series, res: Parsed, target: str, found: dict) -> None:
    """Among the values a typed column rejected, those reading 'Итого', 'Total'..."""
    pos = np.fromiter(res.bad_reasons.keys(), dtype=np.int64)
    vals = to_text(s.iloc[pos].reset_index(drop=True))
    hit = _matches(vals, _SUMMARY_PREFIX)
    for p, v in zip(pos[hit], vals[hit]):
        found.setdefault(int(p), (target, v.strip()))


def _summary_blank_key(cols, mapping, spec, found: dict) -> None:
    """Rows with no id and no date but a number: the grand-total line under a table."""
    ids = [j for j, t in mapping.items() if spec[t].kind == "id"]
    dates = [j for j, t in mapping.items() if spec[t].kind == "datetime"]
    numbers = [j for j, t in mapping.items() if spec[t].kind in ("float", "score")]
    if not ids or not numbers:
        return
    blank = np.array(_blank_mask(cols[ids[0]]), dtype=bool, copy=True)
    if not blank.any():
        return
    for j in ids[1:] + dates:
        blank &= _blank_mask(cols[j])
    if not blank.any():
        return
    others = [j for j, t in mapping.items() if spec[t].kind in ("category", "bool", "text")]
    for j in others:
        blank &= _blank_mask(cols[j])
    has_number = np.zeros(len(blank), dtype=bool)
    for j in numbers:
        has_number |= ~_blank_mask(cols[j])
    for p in np.flatnonzero(blank & has_number):
        found.setdefault(int(p), (None, ""))


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


def _blank_mask(s: pd.Series) -> np.ndarray:
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow" and not s.hasnans:
        return (s.str.strip() == "").to_numpy()
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        return (s.isna() | (s.astype(object).map(lambda v: isinstance(v, str) and not v.strip()))).to_numpy(bool)
    return s.isna().to_numpy()


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


def _duplicates(dmask, parsed, spec, lines, rejected, dup_drop, q_line, q_col, q_val, q_prob, q_reason, warns,
                name, line_label) -> None:
    pos = np.flatnonzero(dmask)
    sub = pd.DataFrame({t: r.values.iloc[pos].reset_index(drop=True) for t, r in parsed.items()})
    sub = sub.astype({c: "string" for c in sub.columns if isinstance(sub[c].dtype, pd.CategoricalDtype)})
    sub["_pos"] = pos
    collapsed_lines = []
    for key, grp in sub.groupby(spec.key, sort=False):
        body = grp.drop(columns="_pos")
        distinct = len(body.drop_duplicates())
        group_lines = [int(lines[p]) for p in grp["_pos"]]
        if distinct == 1:
            first = group_lines[0]
            for p, ln in zip(grp["_pos"].iloc[1:], group_lines[1:]):
                dup_drop[p] = True
                q_line.append(ln)
                q_col.append(spec.key)
                q_val.append(str(key))
                q_prob.append("duplicate_collapsed")
                q_reason.append(f"identical duplicate of {line_label} {first} (kept once)")
                collapsed_lines.append(ln)
        else:
            for p, ln in zip(grp["_pos"], group_lines):
                rejected[p] = True
                q_line.append(ln)
                q_col.append(spec.key)
                q_val.append(str(key))
                q_prob.append("duplicate_conflict")
                q_reason.append(f"{spec.key} {key!r} appears on {line_label}s {format_rows(group_lines)} with "
                                "different values; fix the source and keep one")
    if collapsed_lines:
        warns.append(f"{len(collapsed_lines)} identical duplicate rows collapsed ({line_label}s "
                     f"{format_rows(sorted(collapsed_lines))})")
