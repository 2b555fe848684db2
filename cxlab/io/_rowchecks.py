"""Row checks of a load: repeated keys (identical, conflicting, order lines) and dates outside the plausible window."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxlab.errors import format_rows
from cxlab.io._cells import OK, Options, Parsed, factorize
from cxlab.schema import TableSpec

if TYPE_CHECKING:
    from cxlab.io._read import _Quarantine


def _drop_duplicate_keys(parsed: dict[str, Parsed], spec: TableSpec, lines: np.ndarray, rejected: np.ndarray,
                         q: _Quarantine, warns: list[str], name: str, line_label: str) -> np.ndarray:
    """Duplicate keys among the rows that parsed: identical copies collapse, conflicting ones are rejected.

    Returns the mask of collapsed copies (``rejected`` is updated in place for conflicts).
    """
    n = len(lines)
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
            _duplicates(dmask, parsed, spec, lines, rejected, dup_drop, q.line, q.column, q.value, q.problem,
                        q.reason, warns, name, line_label)
    return dup_drop


#: the column that says when a row happened: a date there outside the plausible window (a purchase in
#: 2099, a survey answer in 1900) cannot be placed in time, and would become a period of its own
EVENT_TIME = {"transactions": "timestamp", "survey_responses": "submitted_at", "interactions": "timestamp",
              "employee_survey": "submitted_at"}


def _implausible_event_times(parsed: dict[str, Parsed], spec: TableSpec, keep: np.ndarray, lines: np.ndarray,
                             opts: Options, q: _Quarantine, line_label: str) -> np.ndarray:
    """Rows whose event time lies outside the plausible window: quarantined with the reason (other date
    columns, such as a sign-up date, keep such values and are flagged by :func:`_implausible_dates`)."""
    target = EVENT_TIME.get(spec.name)
    out = np.zeros(len(keep), dtype=bool)
    if target is None or target not in parsed:
        return out
    lo, hi = opts.plausible
    v = parsed[target].values.to_numpy()
    out = keep & ~np.isnat(v) & ((v < lo.to_datetime64()) | (v > hi.to_datetime64()))
    for p in np.flatnonzero(out):
        when = pd.Timestamp(v[p])
        q.add(int(lines[p]), target, f"{when:%Y-%m-%d}", "implausible_date",
              f"{when:%Y-%m-%d} is outside the plausible window {lo:%Y-%m-%d} … {hi:%Y-%m-%d} for the time of a "
              f"{spec.row} (a typo or a placeholder date?); correct it in the source, or pass "
              "plausible_dates=(start, end) if your data really spans it")
    return out


def _implausible_dates(parsed: dict[str, Parsed], spec: TableSpec, keep: np.ndarray, lines: np.ndarray,
                       opts: Options, line_label: str, warns: list[str]) -> dict[str, dict]:
    """Kept dates outside the plausible window, per column (kept, but reported and warned about)."""
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
                         f"{hi:%Y-%m-%d} ({line_label}s {format_rows(implausible[target]['lines'])}; "
                         f"{pd.Timestamp(vals.min()):%Y-%m-%d} to {pd.Timestamp(vals.max()):%Y-%m-%d}); they are "
                         "kept: check them, or pass plausible_dates=(start, end) if your data really spans them")
    return implausible


def _duplicates(dmask, parsed, spec, lines, rejected, dup_drop, q_line, q_col, q_val, q_prob, q_reason, warns,
                name, line_label) -> None:
    pos = np.flatnonzero(dmask)
    sub = pd.DataFrame({t: r.values.iloc[pos].reset_index(drop=True) for t, r in parsed.items()})
    sub = sub.astype({c: "string" for c in sub.columns if isinstance(sub[c].dtype, pd.CategoricalDtype)})
    sub["_pos"] = pos
    collapsed_lines = []
    order_lines = orders = 0
    for key, grp in sub.groupby(spec.key, sort=False):
        body = grp.drop(columns="_pos")
        distinct = len(body.drop_duplicates())
        group_lines = [int(lines[p]) for p in grp["_pos"]]
        if distinct > 1 and _lines_of_one_order(body, spec):
            order_lines, orders = order_lines + len(grp), orders + 1  # an order-line export: every line kept
        elif distinct == 1:
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
    if order_lines:
        warns.append(f"{order_lines:,} rows share their {spec.key} with other rows of the same customer and time: "
                     f"kept as the lines of {orders:,} order{'s' if orders != 1 else ''} (a purchase is counted once per day; the amounts of "
                     "its lines add up)")


def _lines_of_one_order(body: pd.DataFrame, spec) -> bool:
    """Rows of a transactions export that repeat an order id for one customer at one time: order lines."""
    if spec.name != "transactions" or not {"customer_id", "timestamp"} <= set(body.columns):
        return False
    return body["customer_id"].nunique(dropna=False) == 1 and body["timestamp"].nunique(dropna=False) == 1
