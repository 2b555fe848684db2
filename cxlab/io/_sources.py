"""Getting the raw cells of a source: a path (CSV/TSV/TXT, Excel, Parquet), bytes or a DataFrame.

Text is decoded and split by :mod:`cxlab.io._text` (with a quick path for large clean UTF-8
files); Excel sheets are read cell by cell (formula cells without a cached value are
reported with their cell address); DataFrames are taken as they are. The result is a
:class:`~cxlab.io._text.RawTable` of strings with the source line of every row.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.io import _vocab
from cxlab.io._text import STR_DTYPE, RawTable, decode, detect_delimiter, tokenise
from cxlab.io._text import WHITESPACE as _WHITESPACE
from cxlab.schema import TableSpec

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat", ""}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}


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
