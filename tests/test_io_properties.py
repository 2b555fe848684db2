"""Property-based tests of cxlab.io: messy generated CSVs never lose a row and never leak a
non-cxlab exception."""

from __future__ import annotations

import csv
import io
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import cxlab.io
from cxlab.errors import CXLabError
from cxlab.io import _text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADERS = ["response_id", "submitted_at", "likelihood_to_recommend", "csat", "channel", "comment", "phone",
           "weight"]
RU_HEADERS = ["ID анкеты", "Дата", "Оценка", "Удовлетворенность", "Канал", "Комментарий", "Телефон", "Вес"]

ids = st.one_of(st.from_regex(r"[A-Z]?[0-9]{1,5}", fullmatch=True), st.just(""), st.just("1,23457E+11"))
dates = st.sampled_from(["2025-03-05", "05.03.2025", "5.3.25", "31.02.2024", "45721", "2025-03-05T10:00:00+03:00",
                         "05/03/2025", "13/13/2025", "", "вчера", "2025-13-01", "1.1.2025 8:05"])
scores = st.one_of(st.integers(-3, 14).map(str), st.sampled_from(
    ["", "N/A", "Затрудняюсь ответить", "10 - extremely likely", "0 – совсем нет", "7.5", "9,0", "abc", "#N/A"]))
channels = st.sampled_from(["store", "КЦ", "call center", "Call-центр", "сайт", "Viber", "VK", "", "киоск", "Phone"])
comments = st.text(alphabet=st.sampled_from(list("абвгд abc,;|\t\"'\n\r.–ё") + ["Ё", "€", "№"]), max_size=25)
phones = st.sampled_from(["", "+7 912 345-67-89", "89123456789", "7,91235E+10", "12345", "8 (495) 123-45-67"])
weights = st.sampled_from(["", "1", "0,75", "1.25", "1 000,5", "-1", "x", "1e3", "inf"])

row = st.tuples(ids, dates, scores, scores, channels, comments, phones, weights)


def build(rows, *, sep, russian_headers, encoding, blank_lines, break_rows, quote_all=False) -> bytes:
    # QUOTE_MINIMAL leaves a bare "\r" unquoted (a broken line, as some exporters write);
    # quote_all gives a strictly well-formed file
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(RU_HEADERS if russian_headers else HEADERS)
    for i, r in enumerate(rows):
        r = list(r)
        if i in break_rows:
            r = r[: i % len(r)] if i % 2 else r + ["extra"]
        writer.writerow(r)
        if i in blank_lines:
            buf.write("\n")
    text = buf.getvalue()
    return ("\ufeff" + text).encode("utf-8") if encoding == "utf-8-sig" else text.encode(encoding, errors="replace")


@SETTINGS
@given(rows=st.lists(row, max_size=25), sep=st.sampled_from([",", ";", "\t", "|"]), russian=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
       blank=st.sets(st.integers(0, 25), max_size=3), broken=st.sets(st.integers(0, 25), max_size=3))
def test_messy_csv_row_invariant(rows, sep, russian, encoding, blank, broken):
    data = build(rows, sep=sep, russian_headers=russian, encoding=encoding, blank_lines=blank, break_rows=broken)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = cxlab.io.read(data, "survey")
    except CXLabError:
        return  # the only exception allowed to escape
    rep = res.report
    assert rep.rows_read == rep.rows_kept + rep.rows_quarantined
    assert len(res.data) == rep.rows_kept
    assert set(res.quarantine["line"]).isdisjoint(res.lines.tolist())
    assert res.quarantine["reason"].notna().all()


@SETTINGS
@given(rows=st.lists(row, min_size=1, max_size=25), sep=st.sampled_from([",", ";"]))
def test_well_formed_csv_accounts_for_every_row(rows, sep):
    # a well-formed file (quoted by the csv module, no breakage): every generated row is either
    # loaded or quarantined; only all-blank rows may be skipped, and they are counted as such
    data = build(rows, sep=sep, russian_headers=False, encoding="utf-8", blank_lines=set(), break_rows=set(),
                 quote_all=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = cxlab.io.read(data, "survey")
    except CXLabError:
        return
    all_blank = sum(all(not str(f).strip() for f in r) for r in rows)
    assert res.report.rows_read + res.report.blank_rows_skipped == len(rows)
    assert res.report.blank_rows_skipped == all_blank


cell = st.text(alphabet=st.sampled_from(list('ab1 ,;"\n\r') + ["ж"]), max_size=8)


@SETTINGS
@given(table=st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=15),
       sep=st.sampled_from([",", ";"]))
def test_fast_path_matches_python_csv(table, sep):
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows([["a", "b", "c"]] + table)
    text = buf.getvalue()
    fast = _text._fast_tokenise(text.encode("utf-8"), sep, 3)
    try:
        slow_cols, slow_lines, ragged, _ = _text._slow_tokenise(text, sep, 3, "x")
    except CXLabError:
        # the exact path refuses the file (a bare "\r" that csv.writer left unquoted):
        # the fast path must not have accepted it either
        assert fast is None
        return
    if fast is None:
        return  # irregular for the fast path: the exact path is used, nothing to compare
    cols, lines, _ = fast
    assert lines.tolist() == slow_lines.tolist()
    for f, s in zip(cols, slow_cols):
        assert f.tolist() == s.tolist()


@SETTINGS
@given(frame=st.lists(st.tuples(st.from_regex(r"R[0-9]{1,4}", fullmatch=True),
                                st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
                                st.one_of(st.none(), st.datetimes(min_value=pd.Timestamp("1990-01-01").to_pydatetime(),
                                                                  max_value=pd.Timestamp("2030-01-01").to_pydatetime()))),
                      max_size=20))
def test_dataframe_source_invariant(frame):
    df = pd.DataFrame(frame, columns=["response_id", "likelihood_to_recommend", "submitted_at"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = cxlab.io.read(df, "survey")
    except CXLabError:
        return
    assert res.report.rows_read == res.report.rows_kept + res.report.rows_quarantined
    assert res.report.rows_read + res.report.blank_rows_skipped == len(df)


# --------------------------------------------------------------------------- issue 9: values are never corrupted

PHRASES = ["Отличный выбор вин", "Доставка опоздала", "Всё понравилось, спасибо", "Дорого", "Сомелье помог",
           "Долго ждал на линии"]


def _render_amount(value: float, style: str, rng_bits: int) -> str:
    """Write an amount the way one convention writes it (the value itself is the ground truth)."""
    cents = round(value * 100)
    whole, frac = divmod(cents, 100)
    with_frac = frac != 0 or rng_bits % 3 == 0
    groups = f"{whole:,}"
    if style == "en":
        text = groups + (f".{frac:02d}" if with_frac else "")
        return ("$" if rng_bits % 5 == 0 else "") + text
    if style == "ru":
        sep = "\u00a0" if rng_bits % 2 else " "
        text = groups.replace(",", sep) + (f",{frac:02d}" if with_frac else "")
        return text + (" руб." if rng_bits % 7 == 0 else "")
    if style == "eu":
        return groups.replace(",", ".") + (f",{frac:02d}" if with_frac else "")
    return f"{whole}" + (f".{frac:02d}" if with_frac else "")  # plain


MINORITY_SAFE = {"en", "ru", "eu"}


def _render_date(ts: pd.Timestamp, style: str) -> tuple[str, pd.Timestamp]:
    if style == "iso":
        return ts.strftime("%Y-%m-%d %H:%M"), ts
    if style == "iso_t":
        return ts.strftime("%Y-%m-%dT%H:%M:%S"), ts
    if style == "dmy":
        return ts.strftime("%d.%m.%Y %H:%M"), ts
    if style == "dmy_date":
        return ts.strftime("%d.%m.%Y"), ts.normalize()
    if style == "slash":
        return ts.strftime("%d/%m/%Y"), ts.normalize()
    serial = (ts.normalize() - pd.Timestamp("1899-12-30")).days  # Excel's 1900 date system
    return str(serial), ts.normalize()


export_row = st.tuples(st.integers(0, 5_000_000).map(lambda c: c / 100),
                       st.datetimes(min_value=pd.Timestamp("2015-01-01").to_pydatetime(),
                                    max_value=pd.Timestamp("2026-06-30").to_pydatetime()),
                       st.booleans(), st.integers(0, 1000),
                       st.sampled_from(["iso", "iso_t", "dmy", "dmy_date", "slash", "serial"]),
                       st.integers(0, len(PHRASES) - 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(export_row, min_size=1, max_size=20),
       majority=st.sampled_from(["en", "ru", "eu", "plain"]), minority=st.sampled_from(sorted(MINORITY_SAFE)),
       sep=st.sampled_from([";", ",", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
       utf8_lines=st.sets(st.integers(0, 20), max_size=3),
       summaries=st.lists(st.tuples(st.integers(0, 20), st.sampled_from(["Итого", "Всего:", "Total", "Grand total",
                                                                          "Среднее", ""])), max_size=3))
def test_mixed_exports_keep_every_value_written(rows, majority, minority, sep, encoding, utf8_lines, summaries):
    # the minority convention is written only in forms that prove themselves (with decimals): a lone
    # "1,500" from another convention is indistinguishable from the majority's own "1,500" by any reader
    header = ["Номер чека", "Код клиента", "Дата", "Сумма", "Комментарий"]
    truth = {}
    records = []
    for i, (amount, when, is_minor, bits, dstyle, phrase) in enumerate(rows):
        ts = pd.Timestamp(when).floor("min")
        style = minority if is_minor and bits % 4 == 0 else majority
        text = _render_amount(amount, style, bits)
        if style != majority:
            cents = round(amount * 100)
            text = _render_amount((cents + (1 if cents % 100 == 0 else 0)) / 100, style, 3)  # with decimals
            amount = (cents + (1 if cents % 100 == 0 else 0)) / 100
        date_text, ts = _render_date(ts, dstyle)
        # customer numbers from 1: an all-zero id ('000000') is a till's "no loyalty card" and is quarantined
        records.append([f"T{i:05d}", f"{i % 7 + 1:06d}", date_text, text, PHRASES[phrase]])
        truth[f"T{i:05d}"] = (amount, ts, PHRASES[phrase])
    total = f"{sum(v[0] for v in truth.values()):.2f}"
    summary_lines = set()
    for pos, word in sorted(summaries, reverse=True):
        pos = min(pos, len(records))
        records.insert(pos, [word, "", "", total.replace(".", ","), ""])
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows([header] + records)
    lines = buf.getvalue().split("\n")
    for n, rec in enumerate(records, start=2):
        if not rec[0].startswith("T"):
            summary_lines.add(n)
    if encoding == "cp1251":
        parts = [ln.encode("utf-8" if i in utf8_lines and i > 0 else "cp1251") for i, ln in enumerate(lines)]
        data = b"\n".join(parts)
    else:
        data = ("\ufeff" if encoding == "utf-8-sig" else "").encode() + "\n".join(lines).encode("utf-8")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = cxlab.io.read(data, "transactions")
    except CXLabError as exc:
        event(f"refused: {exc.problem[:40]}")
        return  # the only exception allowed to escape
    event("loaded")
    rep = res.report
    assert rep.rows_read == len(records)
    assert rep.rows_read == rep.rows_kept + rep.rows_quarantined
    q = res.quarantine
    assert set(q.loc[q["line"].isin(summary_lines), "problem"]) <= {"summary_row"}
    assert set(q["line"]) >= summary_lines
    assert set(q["problem"]) <= {"summary_row", "ambiguous_number"}
    for tid, amount, ts, comment in zip(res.data["transaction_id"], res.data["amount"], res.data["timestamp"],
                                        res.data["Комментарий"].astype(str)):
        want = truth[tid]
        assert amount == pytest.approx(want[0], abs=1e-9), (tid, amount, want)
        assert ts == want[1]
        assert comment == want[2]
