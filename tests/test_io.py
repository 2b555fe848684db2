"""cxlab.io: the bad-input corpus, round trips of the demo company, and parsing checked
against independent references (Python's strptime, openpyxl, phonenumbers)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxlab.io
from cxlab.errors import CXLabError, CXLabWarning
from cxlab.schema import CHANNELS
from cxlab.io import _text
from cxlab.schema import pandera_schema, table_spec

CORPUS = Path(__file__).parent / "data" / "bad_inputs"


def load(name, kind="survey", **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CXLabWarning)
        return cxlab.io.read(CORPUS / name, kind, **kw)


# --------------------------------------------------------------------------- the corpus
# (file, kind, options, expected): expected is either ("error", words that must appear in the
# message) or (rows_read, rows_kept, rows_quarantined, {problem: rows}).
CASES = [
    ("clean_utf8_comma.csv", "survey", {}, (5, 5, 0, {})),
    ("utf8_bom_semicolon_ru_headers.csv", "survey", {}, (4, 4, 0, {})),
    ("cp1251_semicolon.csv", "survey", {}, (4, 4, 0, {})),
    ("koi8r_semicolon.csv", "survey", {}, (4, 4, 0, {})),
    ("utf16_tab.txt", "survey", {}, (4, 4, 0, {})),
    ("bom_mojibake.csv", "survey", {}, (4, 4, 0, {})),
    ("transactions_decimal_comma_nbsp.csv", "transactions", {}, (4, 4, 0, {})),
    ("dates_mixed.csv", "survey", {}, (6, 6, 0, {})),
    ("dates_two_digit_year.csv", "survey", {}, (2, 2, 0, {})),
    ("date_31_02.csv", "survey", {}, (4, 1, 3, {"invalid_date": 2, "unknown_date_format": 1})),
    ("nps_labels.csv", "survey", {}, (4, 4, 0, {})),
    ("nonresponse_codes.csv", "survey", {}, (5, 5, 0, {})),
    ("scores_out_of_range.csv", "survey", {}, (8, 4, 4, {"out_of_range": 2, "not_whole": 1, "not_a_score": 1})),
    ("nps_column_on_1_to_5_scale.csv", "survey", {}, ("error", ["'NPS'", "1–5", "columns="])),
    ("csat_on_0_to_10_scale.csv", "survey", {}, ("error", ["'csat'", "outside the 1–5 scale"])),
    ("ragged_rows.csv", "survey", {}, (4, 2, 2, {"ragged_row": 2})),
    ("comment_extra_delimiter.csv", "survey", {}, (3, 2, 1, {"ragged_row": 1})),
    ("header_only.csv", "survey", {}, (0, 0, 0, {})),
    ("empty.csv", "survey", {}, ("error", ["empty"])),
    ("whitespace_only.csv", "survey", {}, ("error", ["empty"])),
    ("channels_dictionary.csv", "survey", {}, (19, 19, 0, {})),  # 'киоск' kept as a channel of its own
    ("channels_dictionary.csv", "survey", {"channel_map": {"киоск": "store"}}, (19, 19, 0, {})),
    ("duplicates_identical.csv", "survey", {}, (5, 3, 2, {"duplicate_collapsed": 2})),
    ("duplicates_conflicting.csv", "survey", {}, (3, 1, 2, {"duplicate_conflict": 2})),
    ("phones_scientific_notation.csv", "survey", {}, ("error", ["scientific notation", "'phone'", "rows 2, 3, 4",
                                                               "Text"])),
    # one phone in scientific notation: the response is kept, only its phone is left empty (with a note)
    ("phone_one_scientific.csv", "survey", {}, (5, 5, 0, {})),
    ("ids_leading_zeros.csv", "survey", {}, (3, 2, 1, {"scientific_notation": 1})),
    ("missing_required_column.csv", "survey", {}, ("error", ["submitted_at", "columns="])),
    ("missing_required_column.csv", "survey", {"columns": {"channel": "submitted_at"}},
     (1, 0, 1, {"unknown_date_format": 1})),
    ("two_headers_same_column.csv", "survey", {}, ("error", ["'NPS'", "'Оценка'", "likelihood_to_recommend"])),
    ("pipe_delimited.txt", "survey", {}, (2, 2, 0, {})),
    ("quoted_multiline_comment.csv", "survey", {}, (3, 2, 1, {"out_of_range": 1})),
    ("blank_lines.csv", "survey", {}, (2, 1, 1, {"out_of_range": 1})),
    ("latin1_not_russian.csv", "survey", {}, ("error", ["encoding", "encoding="])),
    ("latin1_not_russian.csv", "survey", {"encoding": "latin-1"}, (2, 2, 0, {})),
    ("unclosed_quote.csv", "survey", {}, ("error", ["unclosed quote", "row 3"])),
    ("transactions_bad_amounts.csv", "transactions", {},
     (5, 1, 4, {"missing_value": 2, "below_minimum": 1, "not_a_number": 1})),
    ("interactions_bool_and_seconds.csv", "interactions", {}, (4, 2, 2, {"not_boolean": 1, "missing_value": 1})),
    ("customers_birth_year.csv", "customers", {}, (3, 2, 1, {"out_of_range": 1})),
    ("zip_named_csv.csv", "survey", {}, ("error", ["zip", ".xlsx"])),
    ("slash_dates_month_first.csv", "survey", {}, (2, 2, 0, {})),  # 02/13 shows the column is month-first
    ("slash_dates_month_first.csv", "survey", {"dayfirst": False}, (2, 2, 0, {})),
    ("stated_answers.csv", "survey", {}, (4, 3, 1, {"unknown_label": 1})),
    ("timezone_offsets.csv", "survey", {}, (2, 2, 0, {})),
    ("excel_export.xlsx", "survey", {}, (5, 4, 1, {"out_of_range": 1})),  # its sci-notation phone is left empty
    ("typed_survey.parquet", "survey", {}, (4, 2, 2, {"missing_value": 1, "out_of_range": 1})),
    # issue 9: values that must never be corrupted
    ("amounts_mixed_conventions.csv", "transactions", {}, (7, 6, 1, {"ambiguous_number": 1})),
    ("amounts_comma_column_ambiguous.csv", "transactions", {}, (3, 3, 0, {})),
    ("amounts_english_thousands.csv", "transactions", {}, (4, 4, 0, {})),
    ("amounts_only_ambiguous.csv", "transactions", {}, (3, 1, 2, {"ambiguous_number": 2})),
    ("amounts_only_ambiguous.csv", "transactions", {"decimal": "."}, (3, 3, 0, {})),
    ("dates_impossible_implausible.csv", "survey", {}, (6, 1, 5, {"impossible_date": 3, "implausible_date": 2})),
    ("dates_yyyymmdd.csv", "transactions", {}, (4, 1, 3, {"unknown_date_format": 3})),
    ("dates_yyyymmdd.csv", "transactions", {"date_format": "%Y%m%d"}, (4, 2, 2, {"date_format_mismatch": 2})),
    ("summary_rows.csv", "transactions", {}, (10, 3, 7, {"summary_row": 7})),
    ("cp1251_with_utf8_lines.csv", "survey", {}, (12, 12, 0, {})),
    ("utf8_with_cp1251_lines.csv", "survey", {}, (12, 12, 0, {})),
    ("latin1_lines_in_utf8.csv", "survey", {}, ("error", ["row 6", "not UTF-8", "encoding="])),
    ("nul_after_4k.csv", "survey", {}, (81, 81, 0, {})),
    ("binary_named_csv.csv", "survey", {}, ("error", ["binary", "row 1"])),
    ("html_saved_as_csv.csv", "survey", {}, ("error", ["HTML", "row 1", "CSV UTF-8"])),
    ("excel_sep_hint.csv", "survey", {}, (2, 1, 1, {"out_of_range": 1})),
    ("duplicate_header_names.csv", "survey", {}, ("error", ["#3", "#4", "columns={'#3'"])),
    ("duplicate_header_names.csv", "survey", {"columns": {"#4": "csat"}}, (2, 2, 0, {})),
    ("ids_invisible_and_damaged.csv", "survey", {}, (7, 6, 1, {"scientific_notation": 1})),
    ("whitespace_aligned.txt", "transactions", {"columns": {"date": "timestamp", "dollar_value": "amount"},
                                                "date_format": "%Y%m%d"}, (3, 3, 0, {})),
    ("extra_grouping_columns.csv", "survey", {}, (12, 12, 0, {})),
    ("excel_formula_no_value.xlsx", "transactions", {}, (3, 2, 1, {"formula_without_value": 1})),
    ("excel_summary_first_sheet.xlsx", "transactions", {}, ("error", ["'Сводка'", "'Данные'", "sheet_name='Данные'"])),
    ("excel_summary_first_sheet.xlsx", "transactions", {"sheet_name": "Данные"}, (5, 5, 0, {})),
    ("typed_mixed.parquet", "survey", {}, (4, 3, 1, {"missing_value": 1})),
    ("transactions_cp1251_nbsp_only.csv", "transactions", {}, (6, 6, 0, {})),
    ("employee_enps_cp1251.csv", "employee_survey", {}, (3, 3, 0, {})),
]


def test_corpus_is_complete():
    files = {p.name for p in CORPUS.iterdir() if p.suffix != ".py"}
    covered = {c[0] for c in CASES}
    assert len(files) >= 30
    assert files == covered, f"corpus files without an expected outcome: {files - covered}"


@pytest.mark.parametrize("name, kind, options, expected", CASES,
                         ids=[f"{c[0]}{'+' + ','.join(c[2]) if c[2] else ''}" for c in CASES])
def test_corpus_outcome(name, kind, options, expected):
    if expected[0] == "error":
        with pytest.raises(CXLabError) as info:
            load(name, kind, **options)
        message = str(info.value)
        assert name in message  # the message names the file
        for word in expected[1]:
            assert word in message, message
        return
    res = load(name, kind, **options)
    rows_read, kept, quarantined, problems = expected
    rep = res.report
    assert (rep.rows_read, rep.rows_kept, rep.rows_quarantined) == (rows_read, kept, quarantined)
    assert rep.rows_read == rep.rows_kept + rep.rows_quarantined  # the invariant
    assert rep.problems == problems
    assert len(res.data) == kept == len(res.lines)
    assert res.quarantine["line"].nunique() == quarantined
    assert res.quarantine["reason"].notna().all() and (res.quarantine["reason"].str.len() > 10).all()
    # canonical dtypes, and the canonical schema (with its uniqueness check) holds
    pandera_schema(kind).validate(res.data)
    spec = table_spec(kind)
    # only the canonical columns the source has (absent ones are listed, not added)
    assert set(rep.columns_present) | set(rep.columns_absent) == set(spec.names)
    assert [c for c in res.data.columns if c in spec.names] == list(rep.columns_present)
    for col in spec.columns:
        if col.name not in res.data.columns:
            continue
        want = "Int16" if col.kind == "score" and col.scale[1] > 127 else col.dtype
        assert str(res.data[col.name].dtype) == want or (want == "category" and
                                                          isinstance(res.data[col.name].dtype, pd.CategoricalDtype))
    assert str(rep) and rep._repr_html_().startswith("<div>")


# --------------------------------------------------------------------------- what the corpus files contain

def test_russian_encodings_give_the_same_table():
    ref = load("utf8_bom_semicolon_ru_headers.csv").data
    for name in ["cp1251_semicolon.csv", "koi8r_semicolon.csv", "utf16_tab.txt", "bom_mojibake.csv"]:
        pd.testing.assert_frame_equal(load(name).data, ref)
    assert ref["comment"].iloc[0] == "Отличный выбор вин, сомелье помог"
    assert ref["customer_id"].tolist()[:2] == ["000123", "000124"]  # leading zeros kept
    assert ref["channel"].tolist() == ["store", "web", "phone", "chat"]
    assert ref["submitted_at"].iloc[3] == pd.Timestamp("2025-03-08 14:05")
    assert load("cp1251_semicolon.csv").report.encoding == "cp1251"
    assert load("koi8r_semicolon.csv").report.encoding == "koi8-r"
    moj = load("bom_mojibake.csv").report
    assert "mojibake" in moj.encoding and any("mojibake" in n.action for n in moj.normalisations)


def test_decimal_commas_nbsp_and_currency():
    res = load("transactions_decimal_comma_nbsp.csv", "transactions")
    assert res.data["amount"].tolist() == [1234.5, 2490.0, 15000.0, 990.5]
    assert res.data["channel"].tolist() == ["store", "web", "web", "phone"]
    actions = {n.action for n in res.report.normalisations if n.column == "amount"}
    assert any("decimal comma" in a for a in actions) and any("currency" in a for a in actions)
    assert any("non-breaking" in a for a in actions)


def test_dates_against_strptime_and_openpyxl():
    from openpyxl.utils.datetime import from_excel

    res = load("dates_mixed.csv")
    want = pd.Timestamp("2025-03-05")
    got = res.data["submitted_at"]
    assert (got.iloc[:4] == want).all()
    # Excel serial 45721: reference is openpyxl's own converter (1900 date system)
    assert got.iloc[3] == pd.Timestamp(from_excel(45721))
    assert got.iloc[5] == pd.Timestamp("2025-03-05 08:30")
    assert res.report.date_formats["submitted_at"]["Excel serial day number"] == 1
    # two-digit years: the pivot is Python's strptime %y rule (POSIX: 69–99 → 19xx, 00–68 → 20xx)
    with pytest.warns(CXLabWarning, match="two-digit years"):
        two = cxlab.io.read(CORPUS / "dates_two_digit_year.csv", "survey")
    assert two.data["submitted_at"].iloc[0] == pd.Timestamp(dt.datetime.strptime("05.03.25", "%d.%m.%y"))
    assert two.data["submitted_at"].iloc[1] == pd.Timestamp(dt.datetime.strptime("31.12.24", "%d.%m.%y"))
    frame = pd.DataFrame({"response_id": ["a", "b"], "submitted_at": ["01.01.69", "31.12.68"],
                          "likelihood_to_recommend": [1, 2]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CXLabWarning)
        got = cxlab.io.read(frame, "survey").data["submitted_at"]
    for raw, value in zip(frame["submitted_at"], got):
        assert value == pd.Timestamp(dt.datetime.strptime(raw, "%d.%m.%y"))


def test_invalid_dates_are_quarantined_with_reasons():
    res = load("date_31_02.csv")
    q = res.quarantine.set_index("line")
    assert q.loc[2, "value"] == "31.02.2024" and "calendar" in q.loc[2, "reason"]
    assert q.loc[4, "value"] == "2023-02-29"
    assert q.loc[5, "problem"] == "unknown_date_format"
    assert res.data["submitted_at"].tolist() == [pd.Timestamp("2024-02-29")]  # a real leap day
    # a value that can only be month-first decides the column: 03/05 is 5 March there, not 3 May
    month_first = load("slash_dates_month_first.csv")
    assert month_first.data["submitted_at"].tolist() == [pd.Timestamp("2025-02-13"), pd.Timestamp("2025-03-05")]
    assert any("month first" in n.action for n in month_first.report.normalisations)
    assert load("slash_dates_month_first.csv", dayfirst=False).data["submitted_at"].tolist() == [
        pd.Timestamp("2025-02-13"), pd.Timestamp("2025-03-05")]


def _dates(values, **options):
    frame = pd.DataFrame({"response_id": [f"R{i}" for i in range(len(values))], "submitted_at": values,
                          "likelihood_to_recommend": [9] * len(values)})
    return cxlab.io.read(frame, "survey", **options)


def test_day_and_month_order_is_decided_per_column():
    # HOSTILE3 H3: a US export (mm/dd/yyyy) was read half month-first-quarantined and half misread day-first.
    # Reference: datetime.strptime with the format each value was written in.
    us = ["08/04/2024 16:00", "07/12/2024", "03/07/2025", "05/13/2025 12:29 PM", "12/25/2024 1:05 AM"]
    got = _dates(us).data["submitted_at"].tolist()
    assert got == [dt.datetime(2024, 8, 4, 16), dt.datetime(2024, 7, 12), dt.datetime(2025, 3, 7),
                   dt.datetime(2025, 5, 13, 12, 29), dt.datetime(2024, 12, 25, 1, 5)]
    # a day-first column with one stray month-first typo: the typo is quarantined with the hint, the rest kept
    days = [f"{d:02d}/{m:02d}/2024" for d in range(1, 29) for m in range(1, 13)][:300]
    res = _dates(days + ["05/13/2024"])
    assert res.report.rows_kept == 300 and res.data["submitted_at"].iloc[12] == pd.Timestamp("2024-01-02")
    assert "dayfirst=False" in res.quarantine["reason"].iloc[0]
    # both orders in earnest (a merged export): each value read as it shows; one that could be either is
    # quarantined, never guessed
    mixed = _dates(["13/05/2024", "05/14/2024", "03/04/2024", "07/07/2024"] * 3)
    assert mixed.data["submitted_at"].tolist() == [pd.Timestamp("2024-05-13"), pd.Timestamp("2024-05-14"),
                                                   pd.Timestamp("2024-07-07")] * 3
    assert set(mixed.quarantine["problem"]) == {"ambiguous_date"} and len(mixed.quarantine) == 3
    # nothing shows the order: day first, and the load report says it was assumed
    assumed = _dates(["01/02/2024", "03/04/2024"])
    assert assumed.data["submitted_at"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-04-03")]
    assert any("not shown by any value" in n.action for n in assumed.report.normalisations)


def test_month_names_and_twelve_hour_clocks():
    # HOSTILE3 H4/H7: '27 May 2024' beside ISO dates, AM/PM times of POS exports. Reference: strptime.
    got = _dates(["27 May 2024", "27 мая 2024 г.", "May 27, 2024", "3 сентября 2023 14:05", "1 Mar 2024",
                  "2024-05-27", "12/01/2024 12:00 AM"]).data["submitted_at"].tolist()
    assert got == [dt.datetime(2024, 5, 27)] * 3 + [dt.datetime(2023, 9, 3, 14, 5), dt.datetime(2024, 3, 1),
                                                     dt.datetime(2024, 5, 27), dt.datetime(2024, 1, 12, 0, 0)]
    bad = _dates(["05/13/2025 13:10 PM", "05/14/2025"]).quarantine
    assert bad["problem"].tolist() == ["invalid_date"]  # 13 o'clock PM does not exist


def test_timezones_keep_local_clock_time():
    res = load("timezone_offsets.csv")
    assert res.data["submitted_at"].tolist() == [pd.Timestamp("2025-03-05 10:00"), pd.Timestamp("2025-03-05 07:00")]
    assert any("time-zone" in n.action for n in res.report.normalisations)


def test_scale_labels_and_non_response():
    res = load("nps_labels.csv")
    assert res.data["likelihood_to_recommend"].tolist() == [10, 10, 0, 9]
    assert res.data["csat"].tolist() == [5, 5, 1, 4]
    nr = load("nonresponse_codes.csv")
    assert nr.report.non_response == {"likelihood_to_recommend": 3, "csat": 3}
    assert nr.data["likelihood_to_recommend"].isna().sum() == 3  # counted, not silent
    q = load("scores_out_of_range.csv").quarantine.set_index("line")
    assert q.loc[2, "problem"] == "out_of_range" and q.loc[2, "value"] == "11"
    assert q.loc[4, "problem"] == "not_whole"


def test_channel_dictionary_and_unmapped_labels():
    with pytest.warns(CXLabWarning, match="киоск"):
        res = cxlab.io.read(CORPUS / "channels_dictionary.csv", "survey")
    # a label cxlab does not know is a channel of the user's own: the rows stay, the label is kept
    # as given, and the warning says how to map it onto a canonical channel if it is one
    assert res.report.rows_quarantined == 0 and len(res.data) == 19
    shown = res.data["channel"].astype(str).tolist()
    assert shown.count("киоск") == 2
    assert [c for c in shown if c != "киоск"] == ["phone"] * 4 + ["store"] * 2 + ["web"] * 2 + ["chat"] + [
        "email"] * 2 + ["social"] * 2 + ["messenger"] * 3 + ["phone"]
    assert list(res.data["channel"].cat.categories) == [*CHANNELS, "киоск"]
    assert res.report.unmapped_labels == {"channel": {"киоск": 2}}
    assert "kept as channels of their own" in str(res.report)
    # the module-level dictionary is editable by the user
    cxlab.io.CHANNEL_MAP["киоск"] = "store"
    try:
        assert load("channels_dictionary.csv").report.rows_quarantined == 0
    finally:
        del cxlab.io.CHANNEL_MAP["киоск"]
    with pytest.raises(CXLabError, match="not canonical"):
        load("channels_dictionary.csv", channel_map={"киоск": "kiosk"})


def test_ragged_rows_and_line_numbers():
    q = load("ragged_rows.csv").quarantine
    assert q["line"].tolist() == [3, 4] and q["column"].isna().all()
    assert "7 fields" in q["reason"].iloc[0] or "5 fields" in q["reason"].iloc[0]
    extra = load("comment_extra_delimiter.csv")
    assert extra.quarantine["line"].tolist() == [3]
    assert extra.data["comment"].tolist() == ["Отлично", "В кавычках; можно"]
    multi = load("quoted_multiline_comment.csv")
    assert multi.quarantine["line"].tolist() == [5]  # the record after a 3-line comment starts on line 5
    assert multi.data["comment"].tolist() == ["first line\nsecond line\nthird line", 'he said "wow"']
    assert multi.lines.tolist() == [2, 6]
    blank = load("blank_lines.csv")
    assert blank.quarantine["line"].tolist() == [6] and blank.lines.tolist() == [3]
    assert blank.report.blank_rows_skipped == 4
    xl = load("excel_export.xlsx")
    assert xl.quarantine["line"].tolist() == [6]  # spreadsheet row numbers
    assert xl.lines.tolist() == [2, 3, 5, 7]


def test_duplicates():
    with pytest.warns(CXLabWarning, match="identical duplicate rows collapsed"):
        res = cxlab.io.read(CORPUS / "duplicates_identical.csv", "survey")
    assert res.data["response_id"].tolist() == ["R1", "R2", "R3"]
    # line 6 differs only in how the channel is written ("магазин" = store): identical after parsing
    assert res.quarantine["line"].tolist() == [4, 6]
    assert "line 2" in res.quarantine["reason"].iloc[0]
    con = load("duplicates_conflicting.csv")
    assert con.data["response_id"].tolist() == ["R2"]
    assert con.quarantine["line"].tolist() == [2, 4]


def test_phones_against_phonenumbers():
    import phonenumbers

    res = load("phone_one_scientific.csv", normalise_phones=True)
    raw = ["+7 (912) 345-67-89", "89123456789", "8 912 345 67 89"]
    want = [phonenumbers.format_number(phonenumbers.parse(r, "RU"), phonenumbers.PhoneNumberFormat.E164)
            for r in raw]
    phones = res.data["phone"].tolist()
    assert [phones[0], phones[1], phones[3]] == want == ["+79123456789"] * 3
    assert pd.isna(phones[2])  # '7,91235E+10': digits lost, left empty (the response is kept)
    assert res.data["phone"].iloc[4] == "12345"  # not a valid number: kept as given, and counted
    kept = load("phone_one_scientific.csv")
    assert kept.data["phone"].tolist()[:2] == raw[:2]
    assert any("not valid" in n.action and n.count == 1 for n in kept.report.normalisations)
    assert kept.data["phone"].isna().sum() == 1 and len(kept.quarantine) == 0  # row kept, phone left empty
    assert any("scientific notation" in n.action and n.count == 1 for n in kept.report.normalisations)
    assert any("scientific notation" in w for w in kept.report.warnings)


def test_ids_are_strings():
    res = load("ids_leading_zeros.csv")
    assert res.data["response_id"].tolist() == ["0001", "0002"]
    assert res.data["customer_id"].tolist() == ["000123", "0045"]


def test_interactions_and_customers():
    res = load("interactions_bool_and_seconds.csv", "interactions")
    assert res.data["wait_seconds"].tolist() == [1200.0, 35.0]
    assert res.data["resolved"].tolist() == [True, False]
    assert res.data["channel"].tolist() == ["phone", "messenger"]
    assert set(res.quarantine["column"]) == {"resolved", "channel"}
    cust = load("customers_birth_year.csv", "customers")
    assert str(cust.data["birth_year"].dtype) == "Int16"
    assert cust.data["birth_year"].tolist()[0] == 1986
    assert cust.quarantine["value"].tolist() == ["1899"]


def test_stated_answers_are_mapped():
    res = load("stated_answers.csv")
    assert res.data["stated_frequency"].astype(object).tolist()[:2] == ["monthly", None] or \
        res.data["stated_frequency"].isna().iloc[1]
    assert res.data["stated_price_tier"].tolist() == ["premium", "mid", "budget"]
    assert res.report.non_response["stated_frequency"] == 1
    assert res.report.unmapped_labels == {"stated_frequency": {"каждый день": 1}}


# --------------------------------------------------------------------------- API behaviour

def test_dataframe_source_is_not_mutated_and_unpacks():
    frame = pd.DataFrame({"ID анкеты": ["1", "2"], "Дата": ["05.03.2025", "06.03.2025"], "Оценка": ["9", " 10 "],
                          "Канал": ["КЦ", "сайт"], "Extra": ["x", ""]})
    before = frame.copy()
    data, quarantine, report = cxlab.io.read(frame, "survey")
    pd.testing.assert_frame_equal(frame, before)
    assert data["likelihood_to_recommend"].tolist() == [9, 10]
    assert report.extra_columns == ("Extra",) and data["Extra"].tolist()[0] == "x"
    assert report.column_mapping["Оценка"] == "likelihood_to_recommend"
    assert report.line_label == "row" and len(quarantine) == 0


def test_convenience_readers_and_errors():
    res = cxlab.io.read_transactions(CORPUS / "transactions_decimal_comma_nbsp.csv")
    assert res.report.table == "transactions"
    with pytest.raises(CXLabError, match="file not found"):
        cxlab.io.read_survey("no/such/file.csv")
    with pytest.raises(CXLabError, match="unknown table kind"):
        cxlab.io.read(CORPUS / "clean_utf8_comma.csv", "orders")
    with pytest.raises(CXLabError, match="not columns of"):
        cxlab.io.read(CORPUS / "clean_utf8_comma.csv", "survey", columns={"csat": "satisfaction"})
    with pytest.raises(CXLabError, match="cannot read"):
        cxlab.io.read(12345, "survey")
    with pytest.raises(CXLabError, match="no sheet"):
        cxlab.io.read(CORPUS / "excel_export.xlsx", "survey", sheet_name="Лист9")
    raw = (CORPUS / "cp1251_semicolon.csv").read_bytes()
    with pytest.raises(CXLabError, match="cannot be decoded as 'utf-8'"):
        cxlab.io.read(raw, "survey", encoding="utf-8")
    assert cxlab.io.read(raw, "survey", encoding="cp1251", sep=";").report.rows_kept == 4


def test_report_text_and_html():
    res = load("channels_dictionary.csv")
    text = str(res.report)
    assert "rows read 19 = kept 19 + quarantined 0" in text and "comma" in text and "'КЦ' → phone" in text
    assert "unmapped channel labels (kept as channels of their own): 'киоск' ×2" in text
    html = res._repr_html_()
    assert "киоск" in html
    assert "Quarantine" in load("date_31_02.csv")._repr_html_()
    assert "NOTHING USABLE" in str(load("header_only.csv").report)
    frame = res.report.normalisations_frame()
    assert list(frame.columns) == ["column", "action", "count"] and (frame["count"] > 0).all()


def test_import_loads_no_plotting_or_notebook_stack():
    code = ("import sys, cxlab.io; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('matplotlib', 'seaborn', 'ipywidgets', 'IPython', 'jupyter_client')]; print(bad); assert not bad")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# --------------------------------------------------------------------------- fast path versus exact path

def _fast_and_slow(text: str, sep: str):
    data = text.encode("utf-8")
    fast = _text._fast_tokenise(data, sep, len(text.split("\n", 1)[0].split(sep)))
    slow = _text._slow_tokenise(text, sep, len(text.split("\n", 1)[0].split(sep)), "x")
    return fast, slow


def test_fast_tokeniser_agrees_with_python_csv():
    text = ('a,b,c\n1,"x, y",3\n\n4,"multi\nline",6\n7,"q ""quoted""",9\r\n10,,12\n')
    fast, slow = _fast_and_slow(text, ",")
    assert fast is not None
    fcols, flines, fblank = fast
    scols, slines, ragged, sblank = slow
    assert flines.tolist() == slines.tolist() == [2, 4, 6, 7]
    assert fblank == sblank == 1 and not ragged
    for f, s in zip(fcols, scols):
        assert [v.rstrip("\r") for v in f.tolist()] == [v.rstrip("\r") for v in s.tolist()]
    # a ragged row sends the reader down the exact path
    assert _fast_and_slow("a,b\n1,2\n3\n", ",")[0] is None


def test_large_file_line_numbers_on_the_fast_path(tmp_path):
    n = 20_000
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"response_id": [f"R{i}" for i in range(n)],
                          "submitted_at": "2025-01-02 03:04:05",
                          "likelihood_to_recommend": rng.integers(0, 11, n).astype(str),
                          "comment": np.where(rng.random(n) < 0.1, "multi\nline, comment", "ok")})
    frame.loc[n - 5, "likelihood_to_recommend"] = "12"
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    res = cxlab.io.read(path, "survey")
    expected_line = 2 + (n - 5) + int((frame["comment"].iloc[: n - 5].str.count("\n")).sum())
    assert res.quarantine["line"].tolist() == [expected_line]
    assert res.report.rows_kept == n - 1


# --------------------------------------------------------------------------- the demo company round trip

def _same_values(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for c in a.columns:
        x, y = a[c], b[c]
        if isinstance(x.dtype, pd.CategoricalDtype) or isinstance(y.dtype, pd.CategoricalDtype):
            x, y = x.astype("string"), y.astype("string")
        pd.testing.assert_series_equal(x.reset_index(drop=True), y.reset_index(drop=True), check_names=False,
                                       check_dtype=False, check_exact=False, rtol=1e-12)
        assert str(a[c].dtype) == str(b[c].dtype) or isinstance(a[c].dtype, pd.CategoricalDtype)


@pytest.mark.parametrize("table, kind", [("survey_responses", "survey"), ("transactions", "transactions"),
                                         ("customers", "customers"), ("interactions", "interactions")])
def test_demo_round_trip_csv_and_russian_export(demo, tmp_path, table, kind):
    original = getattr(demo, table)
    path = tmp_path / f"{table}.csv"
    original.to_csv(path, index=False)
    res = cxlab.io.read(path, kind)
    assert res.report.rows_quarantined == 0
    _same_values(res.data, original)
    # the same table as a Russian Excel user would export it: cp1251, ';', decimal commas, dd.mm.yyyy
    ru = original.copy()
    for c in ru.columns:
        if pd.api.types.is_datetime64_any_dtype(ru[c]):
            ru[c] = ru[c].dt.strftime("%d.%m.%Y %H:%M:%S")
    path_ru = tmp_path / f"{table}_ru.csv"
    ru.to_csv(path_ru, index=False, sep=";", decimal=",", encoding="cp1251", errors="replace")
    res_ru = cxlab.io.read(path_ru, kind)
    ascii_only = path_ru.read_bytes().isascii()  # e.g. transactions: no Cyrillic, so also valid UTF-8
    assert res_ru.report.encoding == ("utf-8" if ascii_only else "cp1251") and res_ru.report.delimiter == ";"
    assert res_ru.report.rows_quarantined == 0
    text_cols = [c.name for c in table_spec(kind).columns if c.kind == "text"]
    _same_values(res_ru.data.drop(columns=text_cols), original.drop(columns=text_cols))


def test_demo_parquet_and_frame(demo, tmp_path):
    path = tmp_path / "survey.parquet"
    demo.survey_responses.to_parquet(path)
    _same_values(cxlab.io.read(path, "survey").data, demo.survey_responses)
    _same_values(cxlab.io.read(demo.transactions, "transactions").data, demo.transactions)


def test_big_utf8_quick_path_equals_general_path(tmp_path, monkeypatch):
    import cxlab.io._sources as reader

    n = 80_000
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"response_id": [f"R{i:06d}" for i in range(n)],
                          "submitted_at": "2025-01-02 03:04:05",
                          "channel": rng.choice(["store", "КЦ", "web"], n),
                          "likelihood_to_recommend": rng.integers(0, 12, n).astype(str),
                          "comment": rng.choice(["Отлично, спасибо", "", "slow; \"very\" slow", "a\nb"], n),
                          "weight": rng.random(n).round(3)})
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    assert path.stat().st_size > 4 << 20  # large enough for the quick path
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CXLabWarning)
        quick = cxlab.io.read(path, "survey")
        monkeypatch.setattr(reader, "_quick_utf8", lambda *a, **k: None)
        general = cxlab.io.read(path, "survey")
    pd.testing.assert_frame_equal(quick.data, general.data)
    pd.testing.assert_frame_equal(quick.quarantine, general.quarantine)
    assert quick.report == general.report
    assert quick.report.rows_quarantined == int((frame["likelihood_to_recommend"].astype(int) > 10).sum())


@pytest.mark.parametrize("header, rows", [
    ("НОМЕР ЧЕКА;КАРТА;ДАТА;СУММА", ["Ч-{i:05d};{c};05.03.2025;1 234,50"]),  # capitals, as 1C writes them
    ("Номер чека;Карта;Дата;Сумма", ["Ч-{i:05d};{c};05.03.2025;99,90"]),    # a Cyrillic prefix on every row
])
def test_cp1251_with_capital_headers_or_repeated_prefixes_is_not_read_as_koi8(header, rows):
    # HOSTILE3 H6: capital cp1251 letters are lower-case KOI8-R letters, so the detector preferred KOI8-R
    # and every header became «мНЛЕП ВЕЙЮ». Reference: the text the bytes were made from.
    lines = [header] + [rows[0].format(i=i, c=1000 + i % 37) for i in range(200)]
    data = ("\n".join(lines) + "\n").encode("cp1251")
    res = cxlab.io.read(data, "transactions")
    assert res.report.encoding == "cp1251"
    assert res.data["transaction_id"].iloc[0] == "Ч-00000" and res.data["customer_id"].iloc[0] == "1000"
    koi8 = ("Номер чека;Карта;Дата;Сумма\n" + "Ч-1;7;05.03.2025;10,00\n" * 5).encode("koi8-r")
    assert cxlab.io.read(koi8, "transactions").report.encoding == "koi8-r"  # a real KOI8-R file still is one


def test_order_line_exports_keep_every_line_and_conflicts_are_still_refused():
    # HOSTILE3 H22: an export with one row per order line repeats the order id; every line of a
    # multi-line order was quarantined as a conflicting duplicate (747 rows read, 78 kept).
    text = ("transaction_id;customer_id;timestamp;amount;category\n"
            "O1;C1;05.03.2025 10:00;100,00;wine\nO1;C1;05.03.2025 10:00;25,50;cheese\n"
            "O1;C1;05.03.2025 10:00;25,50;cheese\n"          # two identical items in the same order
            "O2;C2;06.03.2025 11:00;10,00;wine\n"
            "O3;C3;07.03.2025 12:00;5,00;wine\nO3;C4;07.03.2025 12:00;7,00;wine\n")  # one id, two customers
    res = cxlab.io.read(text.encode("utf-8"), "transactions")
    assert res.data["transaction_id"].tolist() == ["O1", "O1", "O1", "O2"]
    assert res.data.loc[res.data["transaction_id"] == "O1", "amount"].sum() == pytest.approx(151.0)
    assert set(res.quarantine["problem"]) == {"duplicate_conflict"} and len(res.quarantine) == 2  # O3 conflicts
    assert any("kept as the lines of 1 order (" in w for w in res.report.warnings)


def test_a_no_card_placeholder_id_is_not_one_huge_customer():
    # HOSTILE3 H15: tills write 00000000 for purchases without a loyalty card; that id became the
    # biggest customer (segment 1 = 0 % of customers, 50 % of revenue).
    rows = [f"T{i};{'00000000' if i % 2 else f'{1000 + i % 7:08d}'};05.03.2025;10,00" for i in range(40)]
    rows += ["T90;нет карты;05.03.2025;10,00", "T91;0;05.03.2025;10,00", "T92;99999999;05.03.2025;10,00"]
    res = cxlab.io.read(("transaction_id;customer_id;timestamp;amount\n" + "\n".join(rows) + "\n").encode(), "transactions")
    assert len(res.data) == 20 and not res.data["customer_id"].isin(["00000000", "0", "нет карты", "99999999"]).any()
    assert set(res.quarantine["problem"]) == {"placeholder_id"} and len(res.quarantine) == 23
    assert "without a loyalty card" in res.quarantine["reason"].iloc[0]
    survey = cxlab.io.read(b"response_id;customer_id;submitted_at;likelihood_to_recommend\nR1;0000;2025-03-01;9\n"
                           b"R2;C7;2025-03-01;3\n", "survey")
    assert survey.report.rows_kept == 2 and survey.data["customer_id"].isna().tolist() == [True, False]


def test_the_question_that_asks_about_recommending_wins_over_a_generic_score_header():
    # HOSTILE3 H20: a generic «Оценка» (0–10) was taken as the NPS question over «Порекомендуете ли вы нас?».
    text = ("ID;Дата;Оценка;Порекомендуете ли вы нас?\n"
            + "".join(f"R{i};05.03.2025;{i % 11};{(i * 7) % 11}\n" for i in range(30))).encode("cp1251")
    res = cxlab.io.read(text, "survey")
    assert res.data["likelihood_to_recommend"].tolist() == [(i * 7) % 11 for i in range(30)]
    assert res.data["Оценка"].astype(int).tolist() == [i % 11 for i in range(30)]  # kept under its own name
    assert any("asks about recommending" in w and "'Оценка'" in w for w in res.report.warnings)
    mine = cxlab.io.read(text, "survey", columns={"Оценка": "likelihood_to_recommend",
                                                  "Порекомендуете ли вы нас?": None})
    assert mine.data["likelihood_to_recommend"].tolist() == [i % 11 for i in range(30)]  # the user decides
