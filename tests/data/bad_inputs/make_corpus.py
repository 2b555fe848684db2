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
    _excel()
    _parquet()


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


if __name__ == "__main__":
    main()
