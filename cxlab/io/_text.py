"""From raw bytes to a table of strings: encoding, delimiter, tokenising, line numbers."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["RawTable", "decode", "detect_delimiter", "tokenise", "DELIMITERS", "DELIMITER_NAMES", "STR_DTYPE"]

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
FALLBACK_ENCODINGS = ("cp1251", "koi8-r")
STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)

# The ten most frequent lower-case letters of Russian text (о е а и н т с р в л ≈ 55% of letters).
_COMMON_RU = set("оеаинтсрвл")
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

def _russian_score(text: str) -> float:
    """How much a decoded text looks like Russian: 0 (not at all) to 1.

    The share of the ten commonest Russian lower-case letters among non-ASCII
    characters, times the share of non-ASCII words written wholly in Cyrillic (a
    Latin-1 text misread as cp1251 gives mixed words such as 'cafй')."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return 1.0
    common = sum(ch in _COMMON_RU for ch in non_ascii) / len(non_ascii)
    words = [w for w in re.findall(r"[^\W\d_]+", text) if not w.isascii()]
    pure = sum(all("\u0400" <= ch <= "\u04ff" for ch in w) for w in words) / max(len(words), 1)
    return common * pure


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


def _looks_like_mojibake(text: str) -> bool:
    hits = len(_MOJIBAKE.findall(text))
    cyr = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    return hits >= 3 and 2 * hits >= 0.6 * cyr


def decode(data: bytes, *, encoding: str | None, name: str) -> tuple[str, str, list[tuple[str | None, str, int]]]:
    """Decode bytes strictly; return (text, encoding used, notes)."""
    notes: list[tuple[str | None, str, int]] = []
    if not re.search(rb"[^ \t\r\n\x00\xef\xbb\xbf\xff\xfe]", data):
        raise CXLabError("the file is empty", file=name,
                         fix="export the data again with a header row and at least one data row")
    if data[:4] == b"PK\x03\x04":
        raise CXLabError("this is a zip/Excel workbook, not a text file", file=name,
                         fix="give it the .xlsx extension (cxlab reads Excel directly) or export to CSV")
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise CXLabError(f"the file cannot be decoded as {encoding!r} ({exc.__class__.__name__})", file=name,
                             fix="leave encoding=None to let cxlab detect it, or name the right encoding") from None
        return text.lstrip("\ufeff"), encoding, notes
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        used = "utf-16"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise CXLabError("the file starts with a UTF-16 byte-order mark but is not valid UTF-16", file=name,
                             fix="export it again as UTF-8") from None
    elif data[:3] == b"\xef\xbb\xbf":
        used = "utf-8-sig"
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise CXLabError("the file starts with a UTF-8 byte-order mark but contains bytes that are not UTF-8 "
                             "(two encodings mixed in one file)", file=name, rows=[line],
                             fix="open it in a text editor and save it again as UTF-8") from None
    else:
        head = data[:4096]
        if head.count(b"\x00") > len(head) // 4:
            even, odd = head[0::2].count(b"\x00"), head[1::2].count(b"\x00")
            candidates = ["utf-16-le"] if odd > even else ["utf-16-be"]
        elif b"\x00" in head:
            raise CXLabError("the file contains NUL bytes: it is binary, not a text export", file=name,
                             fix="export the data as CSV (UTF-8) or Excel .xlsx")
        else:
            candidates = ["utf-8"]
        text = None
        for enc in candidates:
            try:
                text = data.decode(enc)
                used = enc
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            best = None
            for enc in FALLBACK_ENCODINGS:
                candidate = data.decode(enc, errors="replace")
                score = _russian_score(candidate[:200_000])
                if best is None or score > best[0]:
                    best = (score, enc, candidate)
            if best[0] < 0.3 or "\ufffd" in best[2]:
                raise CXLabError("the encoding could not be detected: the file is neither UTF-8 nor plausible "
                                 "Russian text in cp1251/koi8-r", file=name,
                                 fix="pass encoding='...' explicitly, or export the file again as UTF-8")
            _, used, text = best
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
    return text.lstrip("\ufeff"), used, notes


# --------------------------------------------------------------------------- delimiter

def _sample_records(text: str, sep: str, limit: int = 200) -> list[list[str]]:
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


def tokenise(text: str, *, data: bytes | None, sep: str, name: str) -> RawTable:
    """Split decoded text into header and string columns (fast path first, exact slow path on any irregularity)."""
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
    return RawTable(header=header, columns=cols, lines=lines, ragged=ragged, blank_skipped=blank, delimiter=sep)


def _header_starts_file(text: str) -> bool:
    """The fast path assumes the header is on line 1 (no blank lines before it)."""
    return bool(text) and text[0] not in "\r\n"
