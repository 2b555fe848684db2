"""cxlab.io never corrupts a value (issue 9) and loads what a user's file really has (issue 8).

Each class of the issue has a test here: numbers written in mixed conventions, dates that
would wrap around, summary rows, mixed encodings and control bytes, damaged ids, Excel
formulas and summary sheets, typed inputs, messages in the words of the interface, and
optional / extra columns. References: the values the test itself wrote (the generator is
the ground truth), Python's ``datetime.strptime`` for dates, pandas' ``read_csv`` for the
CDNOW master file, openpyxl for cell references.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import random
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxlab.io
from cxlab.errors import CXLabError, CXLabWarning
from cxlab.schema import TABLES, table_spec

CORPUS = Path(__file__).parent / "data" / "bad_inputs"


def read(source, kind="transactions", **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CXLabWarning)
        return cxlab.io.read(source, kind, **kw)


def tx_file(amounts: list[str], sep: str = ";") -> bytes:
    rows = [sep.join(["transaction_id", "customer_id", "timestamp", "amount"])]
    rows += [sep.join([f"T{i}", f"C{i}", "05.03.2025", f'"{a}"' if sep in a else a]) for i, a in enumerate(amounts)]
    return ("\n".join(rows) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- 1. numbers

# every value proves its own convention; the truth is what was written
UNAMBIGUOUS = [("1 234,56", 1234.56), ("1.234,56", 1234.56), ("1,234.56", 1234.56), ("990,50", 990.5),
               ("15000", 15000.0)]


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(UNAMBIGUOUS)))))
def test_mixed_conventions_in_every_order_keep_every_value(order):
    values = [UNAMBIGUOUS[i] for i in order]
    res = read(tx_file([v for v, _ in values]))
    assert res.report.rows_quarantined == 0
    assert res.data["amount"].tolist() == pytest.approx([x for _, x in values], abs=1e-9)


def test_one_english_row_never_rescales_a_russian_column():
    # the file: ';' and decimal commas, one row written the English way
    russian = [f"{v:,.2f}".replace(",", " ").replace(".", ",") for v in (1234.56, 990.5, 25000.0, 12.3, 5400.75)]
    for position in range(len(russian) + 1):
        col = russian[:position] + ["1,234.56"] + russian[position:]
        res = read(tx_file(col))
        want = [1234.56, 990.5, 25000.0, 12.3, 5400.75]
        want = want[:position] + [1234.56] + want[position:]
        assert res.data["amount"].tolist() == pytest.approx(want)


def test_ambiguous_values_are_quarantined_in_a_mixed_column_never_rescaled():
    for col in itertools.permutations(["1 234,56", "1,234.56", "2,500", "1.250"]):
        res = read(tx_file(list(col)))
        q = res.quarantine.set_index("value")
        assert set(q.index) == {"2,500", "1.250"}
        assert (q["problem"] == "ambiguous_number").all()
        assert q.loc["2,500", "reason"].startswith("'2,500' could be 2,500 or 2.5")
        assert "decimal=" in q.loc["2,500", "reason"]
        assert sorted(res.data["amount"]) == [1234.56, 1234.56]
    # the user says which convention: the ambiguous values are read that way and flagged
    res = read(tx_file(["1 234,56", "1,234.56", "2,500"]), decimal=",")
    assert res.data["amount"].tolist() == [1234.56, 1234.56, 2.5]
    assert any("decimal=','" in n.action for n in res.report.normalisations)


def test_ambiguous_values_follow_a_consistent_column():
    # a column that only ever uses a decimal comma: '1,234' is one point two three four
    assert read(tx_file(["990,5", "1,234", "12,75"])).data["amount"].tolist() == [990.5, 1.234, 12.75]
    # English thousands proven elsewhere in the column: '2,500' is two thousand five hundred
    assert read(tx_file(["1,234.50", "2,500", "99.99"], sep=",")).data["amount"].tolist() == [1234.5, 2500, 99.99]
    # a decimal point proven elsewhere: '1.234' is one point two three four (the clean fast path too)
    assert read(tx_file(["1.234", "12.5", "7"])).data["amount"].tolist() == [1.234, 12.5, 7.0]
    # no evidence at all: quarantined, and the report says what to pass
    with pytest.warns(CXLabWarning, match="decimal="):
        res = cxlab.io.read(tx_file(["1.234", "2.500", "7"]), "transactions")
    assert res.report.rows_quarantined == 2


# --------------------------------------------------------------------------- 2. dates

def survey_dates(values: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"response_id": [f"R{i}" for i in range(len(values))], "submitted_at": values,
                         "likelihood_to_recommend": [9] * len(values)})


def test_no_wrap_around_and_no_file_level_failure():
    res = read(survey_dates(["05/03/3025", "05.03.2025", "05.03.3025", "3025-03-05", "06.03.2025"]), "survey")
    assert res.data["submitted_at"].tolist() == [pd.Timestamp("2025-03-05"), pd.Timestamp("2025-03-06")]
    q = res.quarantine
    assert q["problem"].tolist() == ["impossible_date"] * 3
    assert all("3025" in r and "typo" in r for r in q["reason"])
    assert q["line"].tolist() == [1, 3, 4]
    # a zero-padded column with one out-of-range year: the other rows load
    dmy = [f"{d:02d}.03.2025" for d in range(1, 29)] + ["15.03.2525"]
    assert read(survey_dates(dmy), "survey").report.rows_kept == 28


def test_plausible_window_quarantines_event_times_and_flags_other_dates():
    # HOSTILE3 H13: a survey answer dated 2099 became the "latest period" of the NPS trend. The time of an
    # answer, a purchase or a contact outside the plausible window is quarantined with the reason; other
    # dates (a sign-up date) are kept and flagged.
    values = ["01.01.1901", "2099-01-01", "05.03.2025"]
    res = read(survey_dates(values), "survey")
    assert res.report.rows_kept == 1 and res.quarantine["problem"].tolist() == ["implausible_date"] * 2
    assert res.quarantine["line"].tolist() == [1, 2] and "plausible_dates=" in res.quarantine["reason"].iloc[0]
    wide = read(survey_dates(values), "survey", plausible_dates=("1900-01-01", "2100-01-01"))
    assert wide.report.rows_kept == 3 and wide.report.implausible_dates == {}
    customers = pd.DataFrame({"customer_id": ["a", "b"], "signup_date": ["01.01.1901", "05.03.2025"]})
    with pytest.warns(CXLabWarning, match="plausible window"):
        kept = cxlab.io.read(customers, "customers")
    assert kept.report.rows_kept == 2  # implausible, not impossible: kept and flagged
    info = kept.report.implausible_dates["signup_date"]
    assert info["count"] == 1 and "implausible dates" in str(kept.report)


def test_date_format_against_strptime():
    raw = ["19970101", "19970112", "19980630", "19970230", "1997-01-02", "97010"]
    res = read(survey_dates(raw), "survey", date_format="%Y%m%d")
    want = []
    for r in raw:
        try:
            want.append(pd.Timestamp(dt.datetime.strptime(r, "%Y%m%d")))
        except ValueError:
            want.append(None)
    assert res.data["submitted_at"].tolist() == [w for w in want if w is not None]
    q = res.quarantine.set_index("value")
    assert "date_format='%Y%m%d'" in q.loc["1997-01-02", "reason"]
    assert q.loc["19970230", "problem"] in ("invalid_date", "date_format_mismatch")
    with pytest.raises(CXLabError, match="date_format"):
        read(survey_dates(raw), "survey", date_format="%Q")
    # without date_format the quarantine says what to pass
    hint = read(survey_dates(raw), "survey").quarantine.set_index("value").loc["19970101", "reason"]
    assert "date_format='%Y%m%d'" in hint


# --------------------------------------------------------------------------- 3. summary rows

def test_summary_rows_are_quarantined_with_the_reason():
    res = read(CORPUS / "summary_rows.csv")
    assert res.data["customer_id"].tolist() == ["C1", "C2", "C3"]  # C3's category 'Итого' has an id and a date
    q = res.quarantine
    assert (q["problem"] == "summary_row").all() and len(q) == 7
    assert q["reason"].str.startswith("summary row").all()
    assert set(q["value"]) >= {"Итого:", "Всего по магазину", "Total", "Grand total", "Среднее"}
    # revenue is not counted twice
    assert res.data["amount"].sum() == pytest.approx(350.0)


# --------------------------------------------------------------------------- 4. encodings, control bytes

def test_mixed_encodings_are_decoded_by_line_and_flagged():
    ref = read(CORPUS / "cp1251_with_utf8_lines.csv", "survey")
    assert ref.data["comment"].str.startswith("Отличный сервис").all()
    note = next(n for n in ref.report.normalisations if "UTF-8 lines" in n.action)
    assert note.count == 2 and "lines 5, 10" in note.action
    other = read(CORPUS / "utf8_with_cp1251_lines.csv", "survey")
    pd.testing.assert_frame_equal(other.data, ref.data)
    assert any("lines 4" in n.action and "cp1251" in n.action for n in other.report.normalisations)


def test_control_bytes_are_removed_and_counted_binary_is_refused_with_its_line():
    res = read(CORPUS / "nul_after_4k.csv", "survey")
    assert res.data["comment"].iloc[-1] == "abc"
    assert not res.data["comment"].str.contains("[\x00-\x08]", regex=True).any()
    note = next(n for n in res.report.normalisations if "control characters" in n.action)
    assert note.count == 2 and "lines 82" in note.action
    head = b"response_id,submitted_at,likelihood_to_recommend\nR1,2025-03-01,9\n"
    with pytest.raises(CXLabError, match="binary") as info:
        read(head + b"\x00\x01\x02\x03" * 4000, "survey")
    assert info.value.rows == [3]


# --------------------------------------------------------------------------- 5. ids

def test_invisible_characters_and_spreadsheet_damage_in_ids():
    with pytest.warns(CXLabWarning) as caught:
        res = cxlab.io.read(CORPUS / "ids_invisible_and_damaged.csv", "survey")
    ids = res.data["customer_id"].tolist()
    assert ids[:4] == ["000123", "000123", "000124", "000125"]  # one customer, not two
    note = next(n for n in res.report.normalisations if "invisible" in n.action)
    assert note.column == "customer_id" and note.count == 3
    text = " ".join(str(w.message) for w in caught)
    assert "'000127.0'" in text and "Text" in text  # a number-formatted id, with what to do
    assert "'126'" in text and "zero-padded to 6 digits" in text
    assert res.quarantine["problem"].tolist() == ["scientific_notation"]


# --------------------------------------------------------------------------- 6. Excel

def test_formula_without_saved_value_is_flagged_by_cell():
    import openpyxl

    res = read(CORPUS / "excel_formula_no_value.xlsx")
    q = res.quarantine
    assert q["value"].tolist() == ["formula in C3"] and q["line"].tolist() == [3]
    # reference: openpyxl (formulas as written) sees a formula in that cell
    ws = openpyxl.load_workbook(CORPUS / "excel_formula_no_value.xlsx", data_only=False).active
    assert str(ws["C3"].value).startswith("=")
    assert any("C3" in w for w in res.report.warnings)


def test_all_sheets_listed_when_the_first_is_a_summary():
    with pytest.raises(CXLabError) as info:
        read(CORPUS / "excel_summary_first_sheet.xlsx")
    assert "sheet_name='Данные'" in info.value.fix and "'Сводка'" in info.value.problem
    res = read(CORPUS / "excel_summary_first_sheet.xlsx", sheet_name="Данные")
    assert res.report.sheets == ("Сводка", "Данные") and res.report.sheet == "Данные"
    assert res.data["amount"].tolist() == [100.0, 200.0, 300.0, 400.0, 500.0]


# --------------------------------------------------------------------------- 7. typed inputs

def test_typed_parquet_goes_through_the_same_rules():
    res = read(CORPUS / "typed_mixed.parquet", "survey")
    assert res.data["submitted_at"].tolist() == [pd.Timestamp(f"2025-03-0{d}") for d in (1, 2, 3)]
    assert res.data["weight"].tolist()[:2] == [1.0, 0.75] and np.isnan(res.data["weight"].iloc[2])
    assert res.data["likelihood_to_recommend"].tolist()[:2] == [9, 10]
    assert res.data["called_back"].tolist() == ["true", "false", None] or \
        res.data["called_back"].astype(object).tolist()[:2] == ["true", "false"]
    assert res.data["call_time"].astype(object).tolist()[0] == "10:00:00"


def test_mixed_object_columns_lose_no_value():
    # what pd.read_excel gives for a messy sheet: numbers and text in one object column
    frame = pd.DataFrame({"response_id": ["R1", 2, 3.0, "R4", decimal.Decimal("5")],
                          "submitted_at": [dt.datetime(2025, 3, 1), "05.03.2025", 45721, pd.Timestamp("2025-03-02"),
                                           dt.date(2025, 3, 3)],
                          "likelihood_to_recommend": [9, "10", 7.0, "N/A", np.int64(8)],
                          "weight": [1.0, "1,5", 2, None, decimal.Decimal("0.5")]}, dtype=object)
    res = read(frame, "survey")
    assert res.report.rows_quarantined == 0
    assert res.data["response_id"].tolist() == ["R1", "2", "3", "R4", "5"]
    assert res.data["weight"].tolist()[:3] == [1.0, 1.5, 2.0] and res.data["weight"].iloc[4] == 0.5
    assert res.data["likelihood_to_recommend"].tolist()[:3] == [9, 10, 7]
    tx = read(pd.DataFrame({"customer_id": ["C1", "C2"], "timestamp": ["2025-03-01", dt.date(2025, 3, 2)],
                            "amount": [1500, "1 234,50"]}, dtype=object))
    assert tx.data["amount"].tolist() == [1500.0, 1234.5]


def test_exotic_typed_columns_never_raise_a_raw_exception():
    n = 4
    frame = pd.DataFrame({
        "response_id": pd.array([1, 2, None, 4], dtype="Int64"),
        "submitted_at": pd.to_datetime(["2025-03-01", None, "2025-03-03", "2025-03-04"]).tz_localize("Europe/Moscow"),
        "likelihood_to_recommend": pd.array([True, False, None, True], dtype="boolean"),
        "csat": pd.Categorical([1, 2, 3, None]),
        "weight": pd.array([1.5, None, 2.5, 3.5], dtype="Float64"),
        "comment": [b"bytes", dt.time(1, 2), dt.timedelta(days=1), None],
        "extra": pd.Series([1.0, np.inf, -np.inf, np.nan]),
    })
    res = read(frame, "survey")
    assert res.report.rows_read == res.report.rows_kept + res.report.rows_quarantined == n


# --------------------------------------------------------------------------- 8. messages

def test_messages_use_cli_flags_on_the_command_line_and_arguments_in_python(capsys):
    from cxlab.cli import main

    with pytest.raises(CXLabError) as info:
        read(CORPUS / "duplicate_header_names.csv", "survey")
    assert "columns={'#3'" in str(info.value) and "duplicate_header_names.csv" in str(info.value)
    assert main(["validate", str(CORPUS / "duplicate_header_names.csv"), "--kind", "survey"]) == 2
    err = capsys.readouterr().err
    assert "--column '#3=likelihood_to_recommend'" in err and "columns=" not in err
    assert main(["validate", str(CORPUS / "duplicate_header_names.csv"), "--kind", "survey",
                 "--column", "#4=csat"]) == 0
    assert main(["validate", str(CORPUS / "dates_yyyymmdd.csv"), "--kind", "transactions"]) == 0
    out = capsys.readouterr().out
    assert "--date-format '%Y%m%d'" in out and "date_format=" not in out
    assert main(["validate", str(CORPUS / "dates_yyyymmdd.csv"), "--kind", "transactions",
                 "--date-format", "%Y%m%d"]) == 0
    assert "date_format '%Y%m%d' ×2" in capsys.readouterr().out


def test_excel_sep_hint_line_is_honoured():
    res = read(CORPUS / "excel_sep_hint.csv", "survey")
    assert res.report.delimiter == ";"
    assert res.lines.tolist() == [3] and res.quarantine["line"].tolist() == [4]  # physical lines


def test_huge_field_next_to_a_ragged_row(tmp_path):
    text = ("response_id,submitted_at,likelihood_to_recommend,comment\n"
            f'R1,2025-03-01,9,"{"x" * 300_000}"\nR2,2025-03-01,9\nR3,2025-03-01,8,ok\n')
    res = read(text.encode(), "survey")
    assert res.report.rows_kept == 2 and len(res.data["comment"].iloc[0]) == 300_000
    assert res.quarantine["problem"].tolist() == ["ragged_row"] and res.quarantine["line"].tolist() == [3]


# --------------------------------------------------------------------------- issue 8: the columns a file really has

REQUIRED_ONLY = {
    "customers": "customer_id\n000123\n000124\n",
    "transactions": "customer_id;timestamp;amount\nC1;05.03.2025;1 500,00\nC1;06.03.2025;990,50\n",
    "survey_responses": "response_id,submitted_at,csat\nR1,2025-03-01,4\nR2,2025-03-02,\n",
    "interactions": "interaction_id,channel,timestamp\nI1,КЦ,2025-03-01 10:00\nI2,chat,2025-03-02 11:00\n",
}


@pytest.mark.parametrize("table", list(TABLES))
def test_a_file_with_only_the_required_columns_loads(table):
    spec = table_spec(table)
    # a survey needs one score column besides its required ones (an NPS, a CSAT or a CES survey)
    required = [c for c in spec.names if c in spec.required or (table == "survey_responses" and c == "csat")]
    header = REQUIRED_ONLY[table].splitlines()[0]
    assert sorted(header.replace(";", ",").split(",")) == sorted(required)  # really only the required ones
    res = cxlab.io.read(REQUIRED_ONLY[table].encode(), table)
    assert res.report.rows_kept == 2 and res.report.rows_quarantined == 0
    assert list(res.data.columns) == required  # absent optional columns are not added
    assert res.report.columns_present == tuple(required)
    assert set(res.report.columns_absent) == set(spec.names) - set(required)
    assert "absent" in str(res.report)


def test_missing_optional_column_never_sends_the_user_back_to_cxlab_io_read():
    from cxlab.schema import validate

    frame = pd.DataFrame({"transaction_id": pd.array([None, None], dtype="string"), "customer_id": ["C1", "C2"],
                          "timestamp": pd.to_datetime(["2025-03-01", "2025-03-02"]), "amount": [1.0, 2.0]})
    with pytest.raises(CXLabError) as info:
        validate(frame, "transactions")
    assert "cxlab.io.read" not in str(info.value) and "optional" in str(info.value)
    # an optional column present but empty in a file is treated as absent
    res = read(b"transaction_id,customer_id,timestamp,amount\n,C1,2025-03-01,5\n,C2,2025-03-02,6\n")
    assert res.report.rows_kept == 2 and "transaction_id" not in res.data.columns


def test_extra_columns_are_kept_for_grouping():
    import cxlab.nps as nps

    res = read(CORPUS / "extra_grouping_columns.csv", "survey")
    assert res.report.extra_columns == ("Country", "Remote work", "notes")
    assert isinstance(res.data["Country"].dtype, pd.CategoricalDtype)
    assert res.data["notes"].iloc[0] == "free text number 1  "  # free text untouched
    table = nps.nps_table(res.data, by=["Country"], min_base=1)
    assert sorted(table["Country"].astype(str)) == ["Germany", "India", "USA"]


def test_cdnow_master_file_loads_every_purchase():
    import importlib.util

    spec = importlib.util.find_spec("lifetimes")  # located, not imported (its import warns under pandas 3)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("lifetimes is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "CDNOW_master.txt"
    if not path.exists():
        pytest.skip("lifetimes' CDNOW_master.txt is not installed")
    res = read(path, "transactions", columns={"date": "timestamp", "dollar_value": "amount"}, date_format="%Y%m%d")
    assert res.report.rows_read == res.report.rows_kept == 69_659
    # reference: pandas' own whitespace reader on the same file
    ref = pd.read_csv(path, sep=r"\s+", dtype=str)
    assert res.data["customer_id"].tolist() == ref["customer_id"].tolist()
    assert res.data["amount"].sum() == pytest.approx(ref["dollar_value"].astype(float).sum(), rel=1e-12)
    assert (res.data["timestamp"] == pd.to_datetime(ref["date"], format="%Y%m%d")).all()
    # its headers are recognised without columns= ('date', 'dollar_value'); only the date format is named
    assert read(path, "transactions", date_format="%Y%m%d").report.rows_kept == 69_659


# --------------------------------------------------------------------------- the fuzz

def _fuzz_file(rng: random.Random) -> bytes:
    header = rng.choice([["response_id", "submitted_at", "likelihood_to_recommend", "weight", "comment"],
                         ["ID анкеты", "Дата", "Оценка", "Вес", "Комментарий"],
                         ["transaction_id", "customer_id", "timestamp", "amount", "channel"]])
    sep = rng.choice([",", ";", "\t", "|", " "])
    cells = ["R1", "000123", "", "05.03.2025", "2025-03-05T10:00:00+03:00", "05/03/3025", "19970101", "45721",
             "10", "N/A", "1 234,56", "1,234.56", "1.234,56", "2,500", "-3", "1e400", "inf", "Итого", "Total",
             "Отличный выбор", '"quoted, text"', '"unclosed', "магазин", "КЦ", "1,23457E+11", "123.0",
             "\u200bC1", "\ufeff", "\x00", "\x07", "31.02.2024", "0000-00-00", "9999-99-99", "12:30", "—"]
    rows = [sep.join(header)]
    for _ in range(rng.randint(0, 12)):
        rows.append(sep.join(rng.choice(cells) for _ in range(len(header) + rng.choice([0, 0, 0, -1, 1]))))
    text = "\n".join(rows) + rng.choice(["\n", "", "\r\n", "\n\n"])
    encoding = rng.choice(["utf-8", "utf-8", "cp1251", "utf-16", "koi8-r", "utf-8-sig"])
    data = text.encode(encoding, errors="replace")
    mutation = rng.random()
    if mutation < 0.15 and data:
        pos = rng.randrange(len(data))
        data = data[:pos] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + data[pos:]
    elif mutation < 0.2:
        data = data[: rng.randrange(len(data) + 1)]
    elif mutation < 0.25:
        data = b"sep=" + sep.encode() + b"\n" + data
    elif mutation < 0.28:
        data = "<html><table><tr><td>x</td></tr></table></html>".encode()
    return data


def test_fuzz_500_files_no_internal_error():
    rng = random.Random(20250305)
    kinds = ["survey", "transactions", "customers", "interactions"]
    escaped, internal = [], []
    for i in range(500):
        data = _fuzz_file(rng)
        kind = kinds[i % 4]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = cxlab.io.read(data, kind)
        except CXLabError as exc:
            if "cxlab bug" in str(exc):
                internal.append((i, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - that is what the test looks for
            escaped.append((i, repr(exc)))
            continue
        rep = res.report
        assert rep.rows_read == rep.rows_kept + rep.rows_quarantined
        assert len(res.data) == rep.rows_kept
    assert not escaped, escaped[:5]
    assert not internal, internal[:5]


def test_fuzz_typed_frames_no_internal_error():
    rng = np.random.default_rng(7)
    pool = [1, 1.0, 1.5, -2, np.nan, None, "1,5", "x", True, dt.date(2025, 3, 1), dt.datetime(2025, 3, 1, 10),
            dt.time(10, 0), decimal.Decimal("1.25"), pd.Timestamp("2025-03-05"), pd.NaT, "Итого", "", b"\x00",
            np.int64(7), np.float32(2.5), 10**20, "05/03/3025", pd.Timestamp("1850-01-01")]
    for _ in range(60):
        n = int(rng.integers(0, 6))
        frame = pd.DataFrame({c: [pool[int(rng.integers(len(pool)))] for _ in range(n)] for c in
                              ["response_id", "submitted_at", "likelihood_to_recommend", "weight", "channel",
                               "comment", "Country"]}, dtype=object)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = cxlab.io.read(frame, "survey")
        except CXLabError as exc:
            assert "cxlab bug" not in str(exc), str(exc)
            continue
        assert res.report.rows_read + res.report.blank_rows_skipped == n


def test_report_lists_sheet_and_columns_in_html():
    html = read(CORPUS / "excel_summary_first_sheet.xlsx", sheet_name="Данные").report._repr_html_()
    assert "absent (not added)" in html and "Данные" in html


def test_employee_survey_and_a_cp1251_export_whose_only_cyrillic_is_the_header():
    emp = read(CORPUS / "employee_enps_cp1251.csv", "employee_survey")
    assert emp.data["likelihood_to_recommend"].tolist() == [7, 5, 10]
    assert emp.data["comment"].iloc[1] == "Слишком большая нагрузка"
    # anonymous eNPS: only the score is required
    assert read(b"score\n9\n3\n", "enps").report.rows_kept == 2
    sales = read(CORPUS / "transactions_cp1251_nbsp_only.csv")
    assert sales.report.encoding == "cp1251"
    assert sales.data["amount"].tolist() == [1670.0, 1210.0, 990.0, 12500.5, 2490.0, 760.0]


def test_a_date_format_that_fits_no_value_of_a_column_is_not_applied_to_it():
    """One --date-format for a whole folder names one file's dates; another file's dd/mm/yyyy
    column must not lose every row to it (found running cxlab report on a folder)."""
    raw = "response_id,submitted_at,likelihood_to_recommend\nR1,06/11/2020,9\nR2,08/11/2020,3\n"
    res = cxlab.io.read(raw.encode(), "survey", date_format="%Y%m%d")
    assert res.report.rows_kept == 2
    assert res.data["submitted_at"].tolist() == [pd.Timestamp("2020-11-06"), pd.Timestamp("2020-11-08")]
    assert any("fits no value" in n.action for n in res.report.normalisations)
    # where the format fits some values, the others are still quarantined, never guessed
    mixed = "response_id,submitted_at,likelihood_to_recommend\nR1,20201106,9\nR2,08/11/2020,3\n"
    res = cxlab.io.read(mixed.encode(), "survey", date_format="%Y%m%d")
    assert res.report.rows_kept == 1 and res.report.rows_quarantined == 1
