"""From raw bytes to a table of strings: encoding, delimiter, tokenising, line numbers."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.io._russian import _russian_score

__all__ = ["RawTable", "decode", "detect_delimiter", "tokenise", "DELIMITERS", "DELIMITER_NAMES", "STR_DTYPE"]

DELIMITERS = (",", ";", "\t", "|")
#: columns separated by runs of spaces (``sep=" "`` or detected in a fixed-width text dump)
WHITESPACE = "whitespace"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", WHITESPACE: "runs of spaces"}
FALLBACK_ENCODINGS = ("cp1251", "koi8-r")
STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)

# UTF-8 Cyrillic (lead byte D0/D1) read as cp1251 shows as Р/С followed by a cp1251 upper-half symbol.
_MOJIBAKE = re.compile("[РС][\u0080-\u00bf\u0402-\u040f\u0452-\u045f\u0490\u0491\u2013-\u2026\u2030\u2039"
                       "\u203a\u20ac\u2116\u2122]")


@dataclass
class RawTable:
    """Strings (or typed values from a DataFrame) before any parsing."""

    header: list[str]
    columns: list[pd.Series]
    lines: np.ndarray  # 1-based source line (or row) of every record
    ragged: list[tuple[int, str, int]] = field(default_factory=list)  # (line, raw text, n fields)
    blank_skipped: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[tuple[str | None, str, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    line_label: str = "line"
    header_line: int = 1  # physical line (or spreadsheet row) of the header
    # Excel: every sheet {name: (data rows, header)}, the sheet read, and formula cells without a
    # saved value as (position in columns, column index, cell reference)
    sheets: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    sheet: str | None = None
    formula_cells: list[tuple[int, int, str]] = field(default_factory=list)
    numeric_columns: set[int] = field(default_factory=set)  # typed sources: columns holding numbers


# --------------------------------------------------------------------------- encoding

def _cp1251_bytes(text: str) -> bytes:
    """Encode to cp1251, mapping C1 controls (which Windows uses for cp1251's holes) to their byte."""
    try:
        return text.encode("cp1251")
    except UnicodeEncodeError:
        out = bytearray()
        for ch in text:
            if 0x80 <= ord(ch) <= 0x9F:
                out.append(ord(ch))
            else:
                out += ch.encode("cp1251")
        return bytes(out)


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _looks_like_mojibake(text: str) -> bool:
    hits = len(_MOJIBAKE.findall(text))
    if hits < 3:
        return False
    cyr = len(_CYRILLIC.findall(text))
    return 2 * hits >= 0.6 * cyr


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# UTF-8 sequences that a cp1251/koi8-r line practically never contains: Cyrillic letters and common punctuation
_UTF8_HINT = re.compile(b"[\xd0\xd1][\x80-\xbf]|\xe2\x80[\x93\x94\x98\x99\x9c\x9d\xa6]|\xe2\x84\x96|\xc2[\xa0\xab\xbb]")


_ALLOWED_BYTES = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 13)) and b != 127)


def has_control_bytes(data: bytes) -> bool:
    """True when the bytes hold NUL or another control byte (tab, CR and LF excepted); fast on big files."""
    return bool(data.translate(None, _ALLOWED_BYTES))


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _refuse_markup(data: bytes, name: str) -> None:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")) or \
            (head.startswith(b"<") and b"<table" in data[:65536].lower()):
        raise CXLabError("this is an HTML page (a web table saved with a .csv name), not a CSV export", file=name,
                         rows=[1], fix="open it in Excel and save it as .xlsx or 'CSV UTF-8', or export the data "
                                       "again as CSV from the source system")
    if head.startswith(b"<?xml"):
        what = ("an Excel 2003 XML spreadsheet" if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]
                else "an XML document")
        raise CXLabError(f"this is {what}, not a CSV export", file=name, rows=[1],
                         fix="open it in Excel and save it as .xlsx or 'CSV UTF-8'")


def _refuse_binary(data: bytes, name: str) -> None:
    head = data[:65536]
    ctrl = _CONTROL_BYTES.findall(head)
    if head.count(b"\x00") > len(head) // 100 + 2 or len(ctrl) > len(head) // 20 + 8:
        m = _CONTROL_BYTES.search(data)
        raise CXLabError("the file is binary (it is full of control bytes such as NUL), not a text export",
                         file=name, rows=[_line_of(data, m.start())] if m else None,
                         fix="export the data as CSV (UTF-8) or Excel .xlsx; if this is a database or archive "
                             "file, open it in the program that made it and export from there")


def decode(data: bytes, *, encoding: str | None, name: str) -> tuple[str, str, list[tuple[str | None, str, int]]]:
    """Decode bytes; return (text, encoding used, notes).

    Strict UTF-8 first; a file mostly in one encoding with some lines in another (UTF-8 lines
    pasted into a cp1251 export, or the reverse) is decoded line by line where that is
    unambiguous and the lines are listed in the notes, or refused naming them. Control bytes
    (NUL and the like) are removed with a count and their lines, never kept; a binary file is
    refused naming the first line with such bytes."""
    notes: list[tuple[str | None, str, int]] = []
    if not re.search(rb"[^ \t\r\n\x00\xef\xbb\xbf\xff\xfe]", data):
        raise CXLabError("the file is empty", file=name,
                         fix="export the data again with a header row and at least one data row")
    if data[:4] == b"PK\x03\x04":
        raise CXLabError("this is a zip/Excel workbook, not a text file", file=name,
                         fix="give it the .xlsx extension (cxlab reads Excel directly) or export to CSV")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise CXLabError("this is an old-style .xls workbook, not a text file", file=name,
                         fix="open it in Excel and save it as .xlsx or 'CSV UTF-8'")
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    head = data[:4096]
    if not utf16 and head.count(b"\x00") > len(head) // 4:
        even, odd = head[0::2].count(b"\x00"), head[1::2].count(b"\x00")
        try:
            text = data.decode("utf-16-le" if odd > even else "utf-16-be")
            return _finish(text, "utf-16-le" if odd > even else "utf-16-be", notes, name)
        except UnicodeDecodeError:
            pass
    if not utf16:
        _refuse_markup(data, name)
        _refuse_binary(data, name)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise CXLabError(f"the file cannot be decoded as {encoding!r} (bytes that are not {encoding} from "
                             "this line on)", file=name, rows=[_line_of(data, exc.start)],
                             fix="leave encoding=None to let cxlab detect it (it also handles files that mix "
                                 "UTF-8 and cp1251 lines), or name the right encoding") from None
        except LookupError:
            raise CXLabError(f"{encoding!r} is not an encoding Python knows", file=name,
                             fix="use e.g. encoding='utf-8', 'cp1251', 'koi8-r' or 'utf-16'") from None
        return _finish(text, encoding, notes, name)
    if utf16:
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CXLabError("the file starts with a UTF-16 byte-order mark but is not valid UTF-16", file=name,
                             rows=[_line_of(data, exc.start)], fix="export it again as UTF-8") from None
        return _finish(text, "utf-16", notes, name)
    bom = data[:3] == b"\xef\xbb\xbf"
    body = data[3:] if bom else data
    try:
        text = body.decode("utf-8")
        used = "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        text, used = _decode_by_line(body, notes, name, bom=bom)
    return _finish(text, used, notes, name)


def _finish(text: str, used: str, notes: list, name: str) -> tuple[str, str, list]:
    text = text.lstrip("\ufeff")
    if _looks_like_mojibake(text[:200_000]):
        try:
            repaired = _cp1251_bytes(text).decode("utf-8")
        except UnicodeError:
            raise CXLabError("the text is garbled (UTF-8 that was read as cp1251 and saved again: 'РћС‚Р»...')",
                             file=name,
                             fix="export the data again from the source system as UTF-8") from None
        notes.append((None, "repaired mojibake (UTF-8 text that had been decoded as cp1251 and re-saved)", 1))
        text = repaired
        used = f"{used} (repaired cp1251 mojibake)"
    if _CONTROL.search(text):
        lines = []
        count = 0
        last, line = 0, 1
        for m in _CONTROL.finditer(text):
            count += 1
            if len(lines) < 10:
                line += text.count("\n", last, m.start())
                last = m.start()
                if not lines or lines[-1] != line:
                    lines.append(line)
        text = _CONTROL.sub("", text)
        from cxlab.errors import format_rows

        notes.append((None, f"control characters (NUL and the like) removed (lines {format_rows(lines)}"
                            f"{' …' if count > len(lines) else ''})", count))
    return text, used, notes


def _legacy(lines_bytes: list[bytes]) -> tuple[str, float]:
    """The legacy Russian encoding that makes these lines most plausible, and its score."""
    sample = b"\n".join(lines_bytes)[:200_000]
    best = ("cp1251", -1.0)
    for enc in FALLBACK_ENCODINGS:
        candidate = sample.decode(enc, errors="replace")
        score = -1.0 if "\ufffd" in candidate else _russian_score(candidate)
        if score > best[1]:
            best = (enc, score)
    return best


def _decode_by_line(data: bytes, notes: list, name: str, *, bom: bool) -> tuple[str, str]:
    """A file mixing encodings line by line: decode each line in its own; returns (text, encoding said)."""
    lines = data.split(b"\n")
    if _mostly_utf8(lines, bom):
        return _utf8_with_legacy_lines(lines, notes, name, bom)
    return _legacy_with_utf8_lines(data, lines, notes, name)


def _mostly_utf8(lines: list[bytes], bom: bool) -> bool:
    """Which encoding holds most lines? Decided on the first megabyte (the whole file is then treated exactly)."""
    sample_n = utf8_n = 0
    size = 0
    for ln in lines:
        size += len(ln)
        if not ln.isascii():
            sample_n += 1
            try:
                ln.decode("utf-8")
                utf8_n += 1
            except UnicodeDecodeError:
                pass
        if size > 1 << 20:
            break
    return bom or utf8_n * 2 > sample_n


def _utf8_with_legacy_lines(lines: list[bytes], notes: list, name: str, bom: bool) -> tuple[str, str]:
    """A mostly UTF-8 file: the lines that are not UTF-8 decoded in the legacy encoding they look like."""
    from cxlab.errors import format_rows

    bad = []
    for i, ln in enumerate(lines):
        if ln.isascii():
            continue
        try:
            ln.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i)
    enc, score = _legacy([lines[i] for i in bad])
    if score < 0.3:
        raise CXLabError(f"{len(bad)} lines are not UTF-8 like the rest of the file, nor plausible Russian "
                         "text in cp1251/koi8-r", file=name, rows=[i + 1 for i in bad[:50]],
                         fix="open the file in a text editor, fix or delete those lines and save it as UTF-8, "
                             "or pass encoding='...' if you know the encoding")
    bad_set = set(bad)
    out = [ln.decode(enc) if i in bad_set else ln.decode("utf-8") for i, ln in enumerate(lines)]
    rows = [i + 1 for i in bad]
    notes.append((None, f"lines not in UTF-8 like the rest decoded as {enc} (lines {format_rows(rows)})",
                  len(bad)))
    return "\n".join(out), ("utf-8-sig" if bom else "utf-8") + f" (+{len(bad)} {enc} lines)"


def _legacy_with_utf8_lines(data: bytes, lines: list[bytes], notes: list, name: str) -> tuple[str, str]:
    """Mostly a legacy encoding: find the UTF-8 lines among those carrying UTF-8-only byte pairs."""
    from cxlab.errors import format_rows

    legacy_lines = [ln for ln in lines[:20000] if not ln.isascii()]
    enc, score = _legacy(legacy_lines)
    if score < 0.3:
        raise CXLabError("the encoding could not be detected: the file is neither UTF-8 nor plausible Russian text "
                         "in cp1251/koi8-r", file=name,
                         rows=[i + 1 for i, ln in enumerate(lines) if not ln.isascii()][:10],
                         fix="pass encoding='...' explicitly, or export the file again as UTF-8")
    utf8_rows = []
    cand = sorted({data.count(b"\n", 0, m.start()) for m in _UTF8_HINT.finditer(data)}) \
        if _UTF8_HINT.search(data) else []
    replace = {}
    for i in cand:
        ln = lines[i]
        try:
            u = ln.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _russian_score(u) >= _russian_score(ln.decode(enc, errors="replace")):
            replace[i] = u
            utf8_rows.append(i + 1)
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise CXLabError(f"the file is mostly {enc} but has bytes that are not {enc}", file=name,
                         rows=[_line_of(data, exc.start)], fix="pass encoding='...' or save the file as UTF-8") from None
    if replace:
        out = text.split("\n")
        for i, u in replace.items():
            out[i] = u
        text = "\n".join(out)
        notes.append((None, f"UTF-8 lines in a mostly {enc} file decoded as UTF-8 (lines {format_rows(utf8_rows)})",
                      len(utf8_rows)))
        return text, f"{enc} (+{len(utf8_rows)} UTF-8 lines)"
    return text, enc


# --------------------------------------------------------------------------- delimiter

class _big_fields:
    """Let Python's csv module read fields of any size (its default limit is 128 KB) for one call."""

    def __enter__(self):
        self.old = csv.field_size_limit()
        csv.field_size_limit(2**31 - 1)

    def __exit__(self, *exc):
        csv.field_size_limit(self.old)
        return False


def _sample_records(text: str, sep: str, limit: int = 200) -> list[list[str]]:
    with _big_fields():
        return _sample_records_inner(text, sep, limit)


def _sample_records_inner(text: str, sep: str, limit: int = 200) -> list[list[str]]:
    sample = text[:65536]
    if len(text) > 65536 and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=sep, quotechar='"', doublequote=True,
                        strict=False)
    out = []
    try:
        for rec in reader:
            if rec and any(f.strip() for f in rec):
                out.append(rec)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def detect_delimiter(text: str, *, known_headers: set[str], name: str) -> str:
    """Choose among ``, ; tab |`` by recognised header names, then consistent field counts."""
    from cxlab.io._vocab import normalise_label

    best = None
    for sep in DELIMITERS:
        recs = _sample_records(text, sep)
        if not recs:
            continue
        width = len(recs[0])
        if width < 2:
            continue
        known = sum(normalise_label(h) in known_headers for h in recs[0])
        body = recs[1:] or [recs[0]]
        consistent = sum(len(r) == width for r in body) / len(body)
        score = (known, consistent, width)
        if best is None or score > best[0]:
            best = (score, sep)
    if best is None and _whitespace_aligned(text):
        return WHITESPACE
    if best is None and normalise_label(text.split("\n", 1)[0]) in known_headers:
        return ","  # a one-column file whose header is a known column
    if best is None:
        raise CXLabError("no delimiter (comma, semicolon, tab or pipe) splits the header into several columns",
                         file=name, rows=[1],
                         fix="check that the first line is the header row, or pass sep='...'")
    return best[1]


# --------------------------------------------------------------------------- tokenising

def _record_starts(data: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """Start line and emptiness of every CSV record, quote-aware, computed with numpy.

    Returns None when the quotes do not balance (the slow path then reports where)."""
    arr = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(arr == 10)
    quotes = np.flatnonzero(arr == 34)
    if len(quotes) % 2:
        return None
    inside = np.searchsorted(quotes, nl) % 2 == 1
    ends = nl[~inside]
    if len(data) and data[-1:] != b"\n":
        ends = np.append(ends, len(data))
    starts = np.concatenate([[0], ends[:-1] + 1]) if len(ends) else np.array([0])
    length = ends - starts
    # a record holding only "\r" is an empty line too
    cr_only = (length == 1) & (arr[np.minimum(starts, len(arr) - 1)] == 13)
    empty = (length == 0) | cr_only
    line_of_start = np.searchsorted(nl, starts) + 1
    return line_of_start, empty


def _fast_tokenise(data: bytes, sep: str, width: int) -> tuple[list[pd.Series], np.ndarray] | None:
    """pyarrow's multithreaded CSV reader, all columns as strings; None when the file is not regular."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # a bare carriage return: pyarrow would treat it as a line end, the exact path decides
    bad: list[object] = []

    def handler(row):
        bad.append(row)
        return "skip"

    names = [f"f{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=True,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True,
                                             newlines_in_values=True, ignore_empty_lines=True,
                                             invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException, ValueError):
        return None
    if bad:
        return None
    n = table.num_rows
    blank = 0
    total_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    first_nl = data.find(b"\n")
    header_is_one_line = first_nl >= 0 and data[:first_nl].count(b'"') % 2 == 0
    if header_is_one_line and total_lines == n + 1:
        lines = np.arange(2, n + 2, dtype=np.int64)
    else:
        rec = _record_starts(data)
        if rec is None:
            return None
        starts, empty = rec
        blank = int(empty.sum())
        starts = starts[~empty]
        if len(starts) != n + 1 or empty[0]:
            return None
        lines = starts[1:].astype(np.int64)
    cols = [pd.Series(table.column(i).to_pandas(types_mapper={pa.large_string(): STR_DTYPE}.get).array,
                      dtype=STR_DTYPE) for i in range(width)]
    return cols, lines, blank


def _slow_tokenise(text: str, sep: str, width: int, name: str):
    with _big_fields():
        return _slow_tokenise_inner(text, sep, width, name)


def _slow_tokenise_inner(text: str, sep: str, width: int, name: str):
    """Python's csv module, record by record, with exact line numbers and ragged rows kept aside."""
    # lines are split at "\n" only, so line numbers match the fast path (and grep -n / wc -l);
    # a bare "\r" inside an unquoted field is then reported instead of silently splitting a row
    reader = csv.reader(io.StringIO(text, newline="\n"), delimiter=sep, quotechar='"', doublequote=True,
                        strict=False)
    rows: list[list[str]] = []
    lines: list[int] = []
    ragged: list[tuple[int, str, int]] = []
    blank = 0
    prev = 1  # the header is line 1 (records may span lines; we track the start line)
    first = True
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if first:
                if rec:
                    first = False
                continue
            if not rec:
                blank += 1
                continue
            if len(rec) != width:
                if not any(f.strip() for f in rec):
                    blank += 1
                    continue
                ragged.append((start, sep.join(rec), len(rec)))
                continue
            rows.append(rec)
            lines.append(start)
    except csv.Error as exc:
        raise CXLabError(f"the file cannot be split into fields ({exc})", file=name, rows=[reader.line_num],
                         fix="look for an unclosed quote (\") or a stray carriage return (\\r) inside a field on "
                             "that line and fix or remove it") from None
    if rows and text.count('"') % 2 == 1:
        # an unclosed quote swallowed the rest of the file into one field
        for i, rec in enumerate(rows):
            if any("\n" in f for f in rec) and i == len(rows) - 1:
                raise CXLabError("an unclosed quote (\") swallows the rest of the file into one field",
                                 file=name, rows=[lines[i]],
                                 fix="close or remove the quote on that line and load the file again")
    cols = [pd.Series([r[j] for r in rows], dtype=STR_DTYPE) for j in range(width)]
    return cols, np.asarray(lines, dtype=np.int64), ragged, blank


def _whitespace_aligned(text: str) -> bool:
    """Columns separated by runs of spaces (a fixed-width text dump): same field count on most lines."""
    lines = [ln for ln in text[:65536].split("\n")[:200] if ln.strip()]
    if len(lines) < 2 or '"' in text[:65536]:
        return False
    width = len(lines[0].split())
    if width < 2:
        return False
    return sum(len(ln.split()) == width for ln in lines[1:]) >= 0.8 * (len(lines) - 1)


def _whitespace_tokenise(text: str, name: str) -> RawTable:
    lines = text.split("\n")
    if lines and not lines[-1].strip():
        lines.pop()  # the end of the last line, not a blank line
    header = None
    header_line = 1
    rows: list[list[str]] = []
    where: list[int] = []
    ragged: list[tuple[int, str, int]] = []
    blank = 0
    for i, ln in enumerate(lines, start=1):
        parts = ln.split()
        if header is None:
            if parts:
                header, header_line = parts, i
            continue
        if not parts:
            blank += 1
            continue
        if len(parts) != len(header):
            ragged.append((i, ln.strip(), len(parts)))
            continue
        rows.append(parts)
        where.append(i)
    if header is None:
        raise CXLabError("the file has no header row", file=name, fix="add a header row with column names")
    cols = [pd.Series([r[j] for r in rows], dtype=STR_DTYPE) for j in range(len(header))]
    return RawTable(header=header, columns=cols, lines=np.asarray(where, dtype=np.int64), ragged=ragged,
                    blank_skipped=blank, delimiter=WHITESPACE, header_line=header_line)


def tokenise(text: str, *, data: bytes | None, sep: str, name: str) -> RawTable:
    """Split decoded text into header and string columns (fast path first, exact slow path on any irregularity)."""
    if sep == WHITESPACE:
        return _whitespace_tokenise(text, name)
    recs = _sample_records(text, sep, limit=1)
    if not recs:
        raise CXLabError("the file has no header row", file=name, fix="add a header row with column names")
    header = recs[0]
    width = len(header)
    if data is None:
        data = text.encode("utf-8")
    fast = _fast_tokenise(data, sep, width) if _header_starts_file(text) else None
    if fast is not None:
        cols, lines, blank = fast
        return RawTable(header=header, columns=cols, lines=lines, blank_skipped=blank, delimiter=sep)
    cols, lines, ragged, blank = _slow_tokenise(text, sep, width, name)
    header_line = 1
    for ln in text.split("\n", 50):
        if ln.strip(" \t\r" + sep):
            break
        header_line += 1
    return RawTable(header=header, columns=cols, lines=lines, ragged=ragged, blank_skipped=blank, delimiter=sep,
                    header_line=header_line)


def _header_starts_file(text: str) -> bool:
    """The fast path assumes the header is on line 1 (no blank lines before it)."""
    return bool(text) and text[0] not in "\r\n"
