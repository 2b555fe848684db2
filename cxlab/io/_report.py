"""The load report and the load result."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["LoadReport", "LoadResult", "Normalisation", "QUARANTINE_COLUMNS"]

QUARANTINE_COLUMNS = ("line", "column", "value", "problem", "reason")


@dataclass(frozen=True)
class Normalisation:
    """One thing the reader changed, in which column, and on how many values."""

    column: str | None
    action: str
    count: int


@dataclass(frozen=True)
class LoadReport:
    """What happened while loading one source.

    ``rows_read == rows_kept + rows_quarantined`` always holds; blank lines are not rows
    and are counted separately in ``blank_rows_skipped``. ``columns_present`` /
    ``columns_absent`` list the canonical columns found and not found; ``implausible_dates``
    the dates kept but outside the plausible window (count, lines, earliest, latest);
    ``sheets`` / ``sheet`` the worksheets of an Excel source and the one read.
    """

    source: str
    table: str
    rows_read: int
    rows_kept: int
    rows_quarantined: int
    blank_rows_skipped: int = 0
    non_response: dict[str, int] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    date_formats: dict[str, dict[str, int]] = field(default_factory=dict)
    column_mapping: dict[str, str] = field(default_factory=dict)
    extra_columns: tuple[str, ...] = ()
    normalisations: tuple[Normalisation, ...] = ()
    unmapped_labels: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    line_label: str = "line"
    columns_present: tuple[str, ...] = ()
    columns_absent: tuple[str, ...] = ()
    implausible_dates: dict[str, dict] = field(default_factory=dict)
    sheets: tuple[str, ...] = ()
    sheet: str | None = None

    @property
    def ok(self) -> bool:
        """True when at least one row was loaded."""
        return self.rows_kept > 0

    def normalisations_frame(self) -> pd.DataFrame:
        """The normalisations as a tidy table (column, action, count)."""
        return pd.DataFrame([(n.column, n.action, n.count) for n in self.normalisations],
                            columns=["column", "action", "count"])

    def _delimiter_name(self) -> str | None:
        from cxlab.io._text import DELIMITER_NAMES

        if self.delimiter is None:
            return None
        return f"{DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))} ({self.delimiter!r})"

    def __str__(self) -> str:
        out = [f"cxlab load report — {self.source} → {self.table}",
               f"  rows read {self.rows_read:,} = kept {self.rows_kept:,} + quarantined {self.rows_quarantined:,}"]
        if self.blank_rows_skipped:
            out.append(f"  blank rows skipped (not counted as rows): {self.blank_rows_skipped:,}")
        if self.encoding:
            out.append(f"  encoding: {self.encoding}")
        if self.delimiter:
            out.append(f"  delimiter: {self._delimiter_name()}")
        for col, fmts in self.date_formats.items():
            out.append(f"  date format ({col}): " + ", ".join(f"{k} ×{v:,}" for k, v in fmts.items()))
        if self.sheet is not None:
            out.append(f"  sheet: {self.sheet!r}" + (f" (sheets: {', '.join(repr(s) for s in self.sheets)})"
                                                     if len(self.sheets) > 1 else ""))
        renamed = {k: v for k, v in self.column_mapping.items() if k != v}
        if renamed:
            out.append("  columns renamed: " + ", ".join(f"{k!r} → {v}" for k, v in renamed.items()))
        if self.columns_present:
            out.append("  canonical columns present: " + ", ".join(self.columns_present))
        if self.columns_absent:
            out.append("  canonical columns absent (not added): " + ", ".join(self.columns_absent))
        if self.extra_columns:
            out.append("  extra columns kept: " + ", ".join(repr(c) for c in self.extra_columns))
        for col, info in self.implausible_dates.items():
            out.append(f"  implausible dates ({col}, kept): {info['count']:,} "
                       f"({info['earliest']:%Y-%m-%d} … {info['latest']:%Y-%m-%d})")
        nr = {k: v for k, v in self.non_response.items() if v}
        if nr:
            out.append("  non-response (kept as missing, not errors): "
                       + ", ".join(f"{k} {v:,}" for k, v in nr.items()))
        if self.normalisations:
            out.append("  normalisations applied:")
            out.extend(f"    {n.column or '(file)'}: {n.action} ×{n.count:,}" for n in self.normalisations)
        for col, labels in self.unmapped_labels.items():
            fate = "kept as channels of their own" if col == "channel" else "rows quarantined"
            out.append(f"  unmapped {col} labels ({fate}): "
                       + ", ".join(f"{k!r} ×{v:,}" for k, v in labels.items()))
        if self.problems:
            out.append("  quarantine reasons: " + ", ".join(f"{k} ×{v:,}" for k, v in self.problems.items()))
        for w in self.warnings:
            out.append(f"  warning: {w}")
        if not self.ok:
            out.append("  NOTHING USABLE WAS LOADED")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = [("source", f"{e(self.source)} → <b>{e(self.table)}</b>"),
                ("rows", f"read <b>{self.rows_read:,}</b> = kept <b>{self.rows_kept:,}</b> + quarantined "
                         f"<b>{self.rows_quarantined:,}</b>"
                         + (f" &nbsp;(blank rows skipped: {self.blank_rows_skipped:,})"
                            if self.blank_rows_skipped else ""))]
        if self.encoding:
            rows.append(("encoding", e(self.encoding)))
        if self.delimiter:
            rows.append(("delimiter", e(self._delimiter_name())))
        for col, fmts in self.date_formats.items():
            rows.append((f"dates ({e(col)})", e(", ".join(f"{k} ×{v:,}" for k, v in fmts.items()))))
        if self.sheet is not None:
            rows.append(("sheet", e(f"{self.sheet!r}" + (f" (sheets: {', '.join(repr(s) for s in self.sheets)})"
                                                            if len(self.sheets) > 1 else ""))))
        renamed = {k: v for k, v in self.column_mapping.items() if k != v}
        if renamed:
            rows.append(("columns renamed", e(", ".join(f"{k!r} → {v}" for k, v in renamed.items()))))
        if self.columns_present:
            rows.append(("canonical columns", e(", ".join(self.columns_present))))
        if self.columns_absent:
            rows.append(("absent (not added)", e(", ".join(self.columns_absent))))
        if self.extra_columns:
            rows.append(("extra columns", e(", ".join(self.extra_columns))))
        for col, info in self.implausible_dates.items():
            rows.append((f"implausible dates ({e(col)})", e(f"{info['count']:,} kept "
                                                           f"({info['earliest']:%Y-%m-%d} … {info['latest']:%Y-%m-%d})")))
        nr = {k: v for k, v in self.non_response.items() if v}
        if nr:
            rows.append(("non-response", e(", ".join(f"{k} {v:,}" for k, v in nr.items()))))
        if self.normalisations:
            rows.append(("normalisations", "<br>".join(e(f"{n.column or '(file)'}: {n.action} ×{n.count:,}")
                                                       for n in self.normalisations)))
        for col, labels in self.unmapped_labels.items():
            rows.append((f"unmapped {e(col)}", e(", ".join(f"{k!r} ×{v:,}" for k, v in labels.items()))))
        if self.problems:
            rows.append(("quarantined for", e(", ".join(f"{k} ×{v:,}" for k, v in self.problems.items()))))
        for w in self.warnings:
            rows.append(("⚠ warning", e(w)))
        body = "".join(f"<tr><th style='text-align:left;vertical-align:top'>{k}</th>"
                       f"<td style='text-align:left'>{v}</td></tr>" for k, v in rows)
        status = "" if self.ok else "<p style='color:#b00'><b>Nothing usable was loaded.</b></p>"
        return f"<div><b>cxlab load report</b>{status}<table>{body}</table></div>"


@dataclass(frozen=True)
class LoadResult:
    """A loaded canonical table, the rows that were refused, and the report.

    Attributes
    ----------
    data
        The canonical columns the source has (dtypes as :func:`cxlab.schema.coerce`,
        validated by :func:`cxlab.schema.pandera_schema`; absent optional columns are not
        added, see ``report.columns_absent``), then the source's other columns under their
        cleaned headers (categories when they have few distinct values, else text as given).
    quarantine
        One row per problem found: ``line`` (source line; for a DataFrame the 1-based
        row position), ``column`` (canonical name, or None for a whole-row problem),
        ``value`` (the raw text), ``problem`` (a short code) and ``reason``.
    report
        A :class:`LoadReport`.
    lines
        The source line of every row of ``data``.
    """

    data: pd.DataFrame
    quarantine: pd.DataFrame
    report: LoadReport
    lines: np.ndarray

    @property
    def table(self) -> pd.DataFrame:
        """Alias of ``data`` (the kit's result objects expose ``.table``)."""
        return self.data

    def summary(self) -> str:
        return str(self.report)

    def __iter__(self):
        # allows ``data, quarantine, report = cxlab.io.read(...)``
        return iter((self.data, self.quarantine, self.report))

    def _repr_html_(self) -> str:
        parts = [self.report._repr_html_()]
        if len(self.quarantine):
            parts.append("<p><b>Quarantine</b> (first 10 problems)</p>" + self.quarantine.head(10).to_html(index=False))
        return "".join(parts)
