"""Regenerate the bad-input corpus (the committed files are the source of truth for tests).

Run from the repository root:  .venv/bin/python tests/data/bad_inputs/make_corpus.py
Each file is small and exercises one problem; expected outcomes live in tests/test_io.py
(CORPUS table).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
H = "response_id,customer_id,submitted_at,channel,likelihood_to_recommend,csat,comment"
RU_H = "ID анкеты;ID клиента;Дата;Канал;Оценка;Удовлетворенность;Комментарий"


def w(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def main() -> None:
    w("clean_utf8_comma.csv", H + "\n" + "\n".join([
        "R1,C001,2025-03-01 10:00:00,store,10,5,Great selection",
        "R2,C002,2025-03-02 11:30:00,web,9,4,",
        "R3,,2025-03-03 09:15:00,phone,3,2,\"Waited 20 minutes, nobody answered\"",
        "R4,C004,2025-03-04 18:45:00,chat,7,4,ok",
        "R5,C005,2025-03-05 12:00:00,email,8,,fine",
    ]) + "\n")
    ru_rows = [
        "A-001;000123;05.03.2025;магазин;10;5;Отличный выбор вин, сомелье помог",
        "A-002;000124;06.03.2025;сайт;9;4;Всё хорошо",
        "A-003;;07.03.2025;КЦ;2;1;Долго ждал на линии",
        "A-004;000126;08.03.2025 14:05;чат;8;4;",
    ]
    w("utf8_bom_semicolon_ru_headers.csv", "\ufeff" + RU_H + "\n" + "\n".join(ru_rows) + "\n")
    w("cp1251_semicolon.csv", RU_H + "\r\n" + "\r\n".join(ru_rows) + "\r\n", "cp1251")
    w("koi8r_semicolon.csv", RU_H + "\n" + "\n".join(ru_rows) + "\n", "koi8-r")
    w("utf16_tab.txt", "\ufeff" + RU_H.replace(";", "\t") + "\n" + "\n".join(r.replace(";", "\t") for r in ru_rows)
      + "\n", "utf-16-le")
    # UTF-8 text decoded as cp1251 by some tool and saved again as UTF-8 with BOM
    original = RU_H + "\n" + "\n".join(ru_rows) + "\n"
    garbled = original.encode("utf-8").decode("cp1251", errors="strict")
    w("bom_mojibake.csv", "\ufeff" + garbled)
    w("transactions_decimal_comma_nbsp.csv", "Номер чека;ID клиента;Дата;Сумма;Категория;Канал\n" + "\n".join([
        "T1;000123;05.03.2025 10:00;1\u00a0234,50;wine;магазин",
        "T2;000124;05.03.2025 11:00;2 490,00 ₽;cheese;сайт",
        "T3;000125;06.03.2025 12:00;15000;gifts;web shop",
        "T4;000126;06.03.2025 12:30;990,5;wine;Call-центр",
    ]) + "\n")
    w("dates_mixed.csv", "response_id,submitted_at,likelihood_to_recommend\n" + "\n".join([
        "R1,2025-03-05,9", "R2,05.03.2025,9", "R3,05/03/2025,9", "R4,45721,9", "R5,2025-03-05T08:30:00,9",
        "R6,5.3.2025 8:30,9",
    ]) + "\n")
    w("dates_two_digit_year.csv", "response_id;submitted_at;likelihood_to_recommend\nR1;05.03.25;9\nR2;31.12.24;7\n")
    w("date_31_02.csv", "response_id,submitted_at,likelihood_to_recommend\nR1,31.02.2024,9\nR2,29.02.2024,9\n"
                        "R3,2023-02-29,5\nR4,yesterday,6\n")
    w("nps_labels.csv", "response_id,submitted_at,likelihood_to_recommend,csat\n" + "\n".join([
        "R1,2025-03-01,10 - extremely likely,5 - very satisfied",
        "R2,2025-03-01,10 – крайне вероятно,5 – полностью удовлетворен",
        "R3,2025-03-01,0 - совсем не вероятно,1 - очень недоволен",
        "R4,2025-03-01,9.0,4",
    ]) + "\n")
    w("nonresponse_codes.csv", "response_id,submitted_at,likelihood_to_recommend,csat\n" + "\n".join([
        "R1,2025-03-01,N/A,4", "R2,2025-03-01,Затрудняюсь ответить,", "R3,2025-03-01,,5", "R4,2025-03-01,8,n/a",
        "R5,2025-03-01,7,Не знаю",
    ]) + "\n")
    w("scores_out_of_range.csv", "response_id,submitted_at,likelihood_to_recommend\n" + "\n".join([
        "R1,2025-03-01,11", "R2,2025-03-01,-1", "R3,2025-03-01,7.5", "R4,2025-03-01,very good", "R5,2025-03-01,10",
        "R6,2025-03-01,0", "R7,2025-03-01,6", "R8,2025-03-01,9",
    ]) + "\n")
    w("nps_column_on_1_to_5_scale.csv", "response_id,submitted_at,NPS\n" + "\n".join(
        f"R{i},2025-03-01,{v}" for i, v in enumerate([1, 2, 3, 4, 5, 5, 4, 3, 5, 4, 2, 5], start=1)) + "\n")
    w("csat_on_0_to_10_scale.csv", "response_id,submitted_at,likelihood_to_recommend,csat\n" + "\n".join(
        f"R{i},2025-03-01,8,{v}" for i, v in enumerate([9, 10, 8, 7, 10, 6, 9], start=1)) + "\n")
    w("ragged_rows.csv", H + "\n" + "\n".join([
        "R1,C001,2025-03-01 10:00:00,store,10,5,Great",
        "R2,C002,2025-03-02 11:30:00,web,9",
        "R3,C003,2025-03-03 09:15:00,phone,3,2,slow,extra,fields",
        "R4,C004,2025-03-04 18:45:00,chat,7,4,ok",
    ]) + "\n")
    w("comment_extra_delimiter.csv", "response_id;submitted_at;likelihood_to_recommend;comment\n" + "\n".join([
        "R1;05.03.2025;10;Отлично",
        "R2;05.03.2025;4;Дорого; доставка опоздала",
        "R3;05.03.2025;9;\"В кавычках; можно\"",
    ]) + "\n")
    w("header_only.csv", H + "\n")
    w("empty.csv", "")
    w("whitespace_only.csv", "\n  \n\n")
    w("channels_dictionary.csv", "response_id,submitted_at,channel,likelihood_to_recommend\n" + "\n".join(
        f"R{i},2025-03-01,{c},8" for i, c in enumerate(
            ["КЦ", "call center", "Call-центр", "колл-центр", "магазин", "shop", "сайт", "web shop", "чат", "почта",
             "e-mail", "VK", "Instagram", "Viber", "Telegram", "WhatsApp", "киоск", "киоск", "Phone"], start=1)) + "\n")
    w("duplicates_identical.csv", H + "\n" + "\n".join([
        "R1,C001,2025-03-01 10:00:00,store,10,5,Great",
        "R2,C002,2025-03-02 11:30:00,web,9,4,",
        "R1,C001,2025-03-01 10:00:00,store,10,5,Great",
        "R3,C003,2025-03-03 09:15:00,phone,3,2,slow",
        "R1,C001,2025-03-01 10:00:00,магазин,10,5,Great",
    ]) + "\n")
    w("duplicates_conflicting.csv", H + "\n" + "\n".join([
        "R1,C001,2025-03-01 10:00:00,store,10,5,Great",
        "R2,C002,2025-03-02 11:30:00,web,9,4,",
        "R1,C001,2025-03-01 10:00:00,store,6,5,Great",
    ]) + "\n")
    w("phones_scientific_notation.csv", "response_id;submitted_at;likelihood_to_recommend;Телефон\n" + "\n".join([
        "R1;05.03.2025;9;7,91235E+10", "R2;05.03.2025;8;7,91634E+10", "R3;05.03.2025;3;8,92612E+10",
    ]) + "\n")
    w("phone_one_scientific.csv", "response_id;submitted_at;likelihood_to_recommend;phone\n" + "\n".join([
        "R1;05.03.2025;9;+7 (912) 345-67-89", "R2;05.03.2025;8;89123456789", "R3;05.03.2025;3;7,91235E+10",
        "R4;05.03.2025;10;8 912 345 67 89", "R5;05.03.2025;10;12345",
    ]) + "\n")
    w("ids_leading_zeros.csv", "response_id,customer_id,submitted_at,likelihood_to_recommend\n"
                               "0001,000123,2025-03-01,9\n0002,0045,2025-03-01,7\n0003,1.23457E+11,2025-03-01,7\n")
    w("missing_required_column.csv", "response_id,channel,likelihood_to_recommend\nR1,store,9\n")
    w("two_headers_same_column.csv", "response_id,submitted_at,NPS,Оценка\nR1,2025-03-01,9,9\n")
    w("pipe_delimited.txt", "response_id|submitted_at|likelihood_to_recommend|comment\n"
                            "R1|2025-03-01|9|good, really\nR2|2025-03-02|6|meh; ok\n")
    w("quoted_multiline_comment.csv", "response_id,submitted_at,likelihood_to_recommend,comment\n"
                                      "R1,2025-03-01,9,\"first line\nsecond line\nthird line\"\n"
                                      "R2,2025-03-01,12,out of range here\n"
                                      "R3,2025-03-01,7,\"he said \"\"wow\"\"\"\n")
    w("blank_lines.csv", "response_id;submitted_at;likelihood_to_recommend;comment\n\nR1;05.03.2025;9;a\n;;;\n\n"
                         "R2;06.03.2025;99;b\n\n")
    w("latin1_not_russian.csv", "response_id,submitted_at,likelihood_to_recommend,comment\n"
                                "R1,2025-03-01,9,très bon café\nR2,2025-03-01,8,déjà vu à Zürich\n", "latin-1")
    w("unclosed_quote.csv", "response_id,submitted_at,likelihood_to_recommend,comment\nR1,2025-03-01,9,ok\n"
                            "R2,2025-03-01,8,\"never closed\nR3,2025-03-01,7,fine\nR4,2025-03-01,6,fine\n")
    w("transactions_bad_amounts.csv", "transaction_id,customer_id,timestamp,amount,channel\n" + "\n".join([
        "T1,C1,2025-01-05 10:00,1500.00,store", "T2,C1,2025-01-06 10:00,-300.00,store",
        "T3,C2,2025-01-07 10:00,abc,web", "T4,C2,2025-01-08 10:00,,web", "T5,C3,,200,web",
    ]) + "\n")
    w("interactions_bool_and_seconds.csv", "ID обращения;Канал;Дата;Телефон;Ожидание, сек;Решено;Ответ оператора\n"
      + "\n".join([
          "I1;КЦ;05.03.2025 10:00;+7 912 345-67-89;1 200;да;Здравствуйте!",
          "I2;Telegram;05.03.2025 11:00;;35;нет;Добрый день",
          "I3;чат;05.03.2025 12:00;;12,5;может быть;Привет",
          "I4;;05.03.2025 12:30;;10;да;Здравствуйте",
      ]) + "\n")
    w("customers_birth_year.csv", "ID клиента;ФИО;Телефон;Дата регистрации;Город;Год рождения\n" + "\n".join([
        "000123;Анна Иванова;+7 912 345-67-89;15.03.2024;Москва;1986",
        "000124;Ivan Petrov;89161234567;16.03.2024;Казань;1899",
        "000125;Ольга Смирнова;;2024-03-17;Москва;",
    ]) + "\n")
    (HERE / "zip_named_csv.csv").write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    w("slash_dates_month_first.csv", "response_id,submitted_at,likelihood_to_recommend\n"
                                     "R1,02/13/2025,9\nR2,03/05/2025,8\n")
    w("stated_answers.csv", "response_id;submitted_at;likelihood_to_recommend;Частота покупок;Ценовой сегмент;"
                            "Любимая категория\n" + "\n".join([
                                "R1;05.03.2025;9;раз в месяц;премиум;вино",
                                "R2;05.03.2025;7;Затрудняюсь ответить;средний;сыр",
                                "R3;05.03.2025;5;weekly;budget;",
                                "R4;05.03.2025;8;каждый день;mid;вино",
                            ]) + "\n")
    w("timezone_offsets.csv", "response_id,submitted_at,likelihood_to_recommend\n"
                              "R1,2025-03-05T10:00:00+03:00,9\nR2,2025-03-05T07:00:00Z,8\n")
    _issue9()
    _excel()
    _parquet()


def _issue9() -> None:
    """One file per class of issue 9 (values that must never be corrupted)."""
    tx = "Номер чека;ID клиента;Дата;Сумма"
    # decimal-comma majority, one English row (read by its own marks), one ambiguous value (quarantined)
    w("amounts_mixed_conventions.csv", tx + "\n" + "\n".join([
        "T1;000123;05.03.2025;1 234,56", "T2;000124;05.03.2025;990,50", "T3;000125;05.03.2025;1,234.56",
        "T4;000126;05.03.2025;1.234,56", "T5;000127;05.03.2025;15000", "T6;000128;05.03.2025;2,500",
        "T7;000129;05.03.2025;12 500,00 ₽",
    ]) + "\n")
    # a pure decimal-comma column: '1,234' follows the column (1.234); a pure English column: '1,234' = 1234
    w("amounts_comma_column_ambiguous.csv", tx + "\n" + "\n".join([
        "T1;C1;05.03.2025;990,5", "T2;C2;05.03.2025;1,234", "T3;C3;05.03.2025;12,75"]) + "\n")
    w("amounts_english_thousands.csv", "order id,customer id,date,amount\n" + "\n".join([
        "T1,C1,2025-03-05,\"1,234.50\"", "T2,C2,2025-03-05,\"2,500\"", "T3,C3,2025-03-05,\"1,250,000\"",
        "T4,C4,2025-03-05,99.99"]) + "\n")
    w("amounts_only_ambiguous.csv", "transaction_id,customer_id,timestamp,amount\n" + "\n".join([
        "T1,C1,2025-03-05,\"1,234\"", "T2,C2,2025-03-05,\"2,500\"", "T3,C3,2025-03-05,1500"]) + "\n")
    w("dates_impossible_implausible.csv", "response_id,submitted_at,likelihood_to_recommend\n" + "\n".join([
        "R1,05/03/3025,9", "R2,05.03.3025,8", "R3,01.01.1901,7", "R4,2099-01-01,6", "R5,05.03.2025,10",
        "R6,05.03.1850,5"]) + "\n")
    w("dates_yyyymmdd.csv", "customer_id date amount\n00001 19970101 11.77\n00002 19970112 12.00\n"
                            "00003 19971301 5.00\n00004 1997-01-02 7.50\n")
    w("summary_rows.csv", "ID клиента;Дата;Сумма;Категория\n" + "\n".join([
        "C1;05.03.2025;100,00;wine", "C2;05.03.2025;200,00;cheese", "Итого:;;300,00;", "Всего по магазину;;300,00;",
        "Total;;300,00;", "Grand total;;300,00;", "Среднее;;150,00;", ";;300,00;", "C3;06.03.2025;50,00;Итого", ";;300,00;Итого"]) + "\n")
    lines = ["ID анкеты;Дата;Оценка;Комментарий"] + [f"A{i};05.03.2025;9;Отличный сервис, спасибо {i}"
                                                     for i in range(1, 13)]
    (HERE / "cp1251_with_utf8_lines.csv").write_bytes(
        b"\n".join(ln.encode("utf-8" if i in (4, 9) else "cp1251") for i, ln in enumerate(lines)) + b"\n")
    (HERE / "utf8_with_cp1251_lines.csv").write_bytes(
        b"\n".join(ln.encode("cp1251" if i in (3,) else "utf-8") for i, ln in enumerate(lines)) + b"\n")
    (HERE / "latin1_lines_in_utf8.csv").write_bytes(
        b"\n".join(ln.encode("utf-8") for ln in lines[:5]) + b"\nA99;05.03.2025;9;tr\xe8s bon caf\xe9\n")
    body = "response_id,submitted_at,likelihood_to_recommend,comment\n" + "".join(
        f"R{i},2025-03-05,9,long enough comment number {i} to pass four kilobytes\n" for i in range(1, 81))
    (HERE / "nul_after_4k.csv").write_bytes(body.encode() + b"R81,2025-03-05,7,a\x00b\x07c\n")
    (HERE / "binary_named_csv.csv").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    w("html_saved_as_csv.csv", "<!DOCTYPE html>\n<html><body><table><tr><th>ID</th><th>NPS</th></tr>"
                               "<tr><td>1</td><td>9</td></tr></table></body></html>\n")
    w("excel_sep_hint.csv", "sep=;\nresponse_id;submitted_at;likelihood_to_recommend\nR1;05.03.2025;9\nR2;05.03.2025;11\n")
    w("duplicate_header_names.csv", "response_id,submitted_at,Оценка,Оценка\nR1,2025-03-01,9,4\nR2,2025-03-01,7,3\n")
    w("ids_invisible_and_damaged.csv", "response_id,customer_id,submitted_at,likelihood_to_recommend\n" + "\n".join([
        "R1,000123,2025-03-01,9", "R2,000123\u200b,2025-03-01,8", "R3,\ufeff000124,2025-03-01,7",
        "R4,\u00a0000125\u00a0,2025-03-01,6", "R5,126,2025-03-01,5", "R6,000127.0,2025-03-01,4",
        "R7,1.23457E+11,2025-03-01,3"]) + "\n")
    # a 1C-style sales export: cp1251, the only Cyrillic is in the header, amounts with NBSP thousands
    amounts = ["1\u00a0670,00", "1\u00a0210,00", "990,00", "12\u00a0500,50", "2\u00a0490,00", "760,00"]
    w("transactions_cp1251_nbsp_only.csv", "Номер чека;Код клиента;Дата покупки;Сумма, руб;Канал продаж\r\n" + "".join(
        f"T{i:07d};{i * 37:07d};0{i}.01.2024 14:33;{a};store\r\n" for i, a in enumerate(amounts, start=1)),
      "cp1251")
    w("employee_enps_cp1251.csv", "Табельный номер;Отдел;Дата;Оценка;Комментарий\n" + "\n".join([
        "E0001;stores;17.10.2025 23:37;7;", "E0002;office;08.10.2025 22:05;5;Слишком большая нагрузка",
        "E0003;stores;09.10.2025 10:00;10;Хорошая команда"]) + "\n", "cp1251")
    w("whitespace_aligned.txt", " customer_id  date   number_of_cds  dollar_value\n 00001 19970101  1   11.77\n"
                                " 00002 19970112  1   12.00\n 00002 19970112  5   77.00\n")
    w("extra_grouping_columns.csv", "response_id,submitted_at,likelihood_to_recommend,Country, Remote work ,notes\n"
      + "\n".join([f"R{i},2025-03-0{1 + i % 5},{i % 11},{['Germany', 'India', 'USA'][i % 3]},"
                    f"{['Yes', 'No'][i % 2]},free text number {i}  " for i in range(1, 13)]) + "\n")


def _excel() -> None:
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ответы"
    ws.append(["ID анкеты", "Дата", "Оценка", "Телефон", "Комментарий"])
    ws.append(["A1", dt.datetime(2025, 3, 5, 10, 0), 9, 79123456789, "Отлично"])
    ws.append(["A2", dt.datetime(2025, 3, 6, 11, 0), 10, "+7 912 345-67-89", None])
    ws.append([None, None, None, None, None])
    ws.append(["A3", "07.03.2025", "#N/A", None, "нет оценки"])
    ws.append(["A4", 45724, 15, None, "вне шкалы"])
    ws.append(["A5", dt.datetime(2025, 3, 9), 3, "7,91235E+10", "телефон испорчен"])
    wb.save(HERE / "excel_export.xlsx")

    # a formula without a saved value (openpyxl writes formulas without results, as a script would)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Продажи"
    ws.append(["ID клиента", "Дата", "Сумма"])
    ws.append(["C1", dt.datetime(2025, 3, 5), 100])
    ws.append(["C2", dt.datetime(2025, 3, 6), "=C2*2"])
    ws.append(["C3", dt.datetime(2025, 3, 7), 300])
    wb.save(HERE / "excel_formula_no_value.xlsx")
    # the first sheet is a summary; the records are on the second
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Сводка"
    ws.append(["Регион", "Выручка"])
    ws.append(["Москва", 1500])
    ws.append(["Итого", 1500])
    data = wb.create_sheet("Данные")
    data.append(["ID клиента", "Дата", "Сумма"])
    for i in range(1, 6):
        data.append([f"C{i}", dt.datetime(2025, 3, i), 100 * i])
    wb.save(HERE / "excel_summary_first_sheet.xlsx")


def _parquet() -> None:
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({
        "response_id": ["P1", "P2", "P3", "P4"],
        "submitted_at": pd.to_datetime(["2025-03-01 10:00", "2025-03-02 00:00", None, "2025-03-04 00:00"]),
        "likelihood_to_recommend": [9.0, np.nan, 7.0, 12.0],
        "channel": ["store", "КЦ", "web", "chat"],
        "weight": [1.0, 0.5, 1.2, 0.8],
    })
    frame.to_parquet(HERE / "typed_survey.parquet", index=False)

    import datetime as dt
    import decimal

    typed = pd.DataFrame({
        "response_id": ["P1", "P2", "P3", "P4"],
        "submitted_at": [dt.date(2025, 3, 1), dt.date(2025, 3, 2), dt.date(2025, 3, 3), None],
        "likelihood_to_recommend": [9.0, 10.0, np.nan, 7.0],
        "weight": [decimal.Decimal("1.0"), decimal.Decimal("0.75"), None, decimal.Decimal("1.25")],
        "called_back": [True, False, None, True],
        "call_time": [dt.time(10, 0), None, dt.time(11, 30), dt.time(9, 5)],
        "csat": [5.0, 4.0, 3.0, np.nan],
    })
    typed.to_parquet(HERE / "typed_mixed.parquet", index=False)


if __name__ == "__main__":
    main()
