"""A bank's and a retailer's exports, shaped unlike the demo (hostile test 2, HOSTILE2.md H1–H13).

Each test is one thing a real folder did to the kit: ids with and without leading zeros in two
files, everyday Russian headers and channel labels, a complaint topic written in Russian, a
metric with no estimable gap, survey ids that match no purchase, phones Excel turned into
``7,91235E+10``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxlab.channels as ch
from cxlab.errors import CXLabError
from cxlab.io.ids import harmonise_customer_ids
from cxlab.loader import find_tables, load_tables, read_options

CUSTOMERS = ("Код клиента;ФИО;Эл. почта;Телефон\n"
             "000001;Лебедев Фёдор Петрович;f.lebedev@mail.ru;+7 (912) 345-67-89\n"
             "000002;Зайцева Анна Ивановна;anna.z@yandex.ru;8 912 000 11 22\n"
             "000003;Котов Илья;;7,91235E+10\n")
CARDS = ("Код клиента;Дата операции;Сумма;Канал\n"
         "1;05.03.2025;1 234,50;Отделение\n2;06.03.2025;99,90;Интернет-банк\n1;07.04.2025;10,00;Мобильное приложение\n")
SURVEY = ("ID анкеты;Дата;Оценка (0-10);Эл. почта;Канал\n"
          "A1;05.03.2025;9;f.lebedev@mail.ru;Офис\nA2;06.03.2025;3;anna.z@yandex.ru;Чат-бот\n")
CONTACTS = ("ID обращения;Дата обращения;Канал обращения;Тема;Решено;Код клиента\n"
            "T1;05.03.2025;Офис;Жалоба;да;000001\nT2;06.03.2025;Колл-центр;Кредит;нет;000002\n"
            "T3;07.03.2025;Колл-центр;Претензия по карте;да;000002\nT4;08.03.2025;Офис;Перевод;да;000003\n")


def folder(tmp_path: Path) -> Path:
    for name, text in (("клиенты.csv", CUSTOMERS), ("операции по картам.csv", CARDS),
                       ("опрос NPS ноябрь.csv", SURVEY), ("обращения.csv", CONTACTS)):
        (tmp_path / name).write_text(text, encoding="cp1251")
    return tmp_path


def test_a_bank_folder_loads_whole_with_its_own_words(tmp_path):
    t = load_tables(folder(tmp_path))
    # «операции по картам» is the transactions table (H8)
    assert t.files["transactions"].name == "операции по картам.csv"
    # headers: 'Эл. почта', 'Оценка (0-10)', 'Дата операции' (H2)
    assert t.customers["email"].notna().sum() == 2
    assert t.survey_responses["likelihood_to_recommend"].tolist() == [9, 3]
    assert t.transactions["timestamp"].notna().all()
    # channel labels a bank uses (H3): no row lost
    assert t.transactions["channel"].astype(str).tolist() == ["store", "web", "web"]
    assert t.survey_responses["channel"].astype(str).tolist() == ["store", "chat"]
    assert sum(len(q) for q in t.quarantines.values()) == 0
    # a phone in scientific notation is left empty, the customer kept (H3)
    assert len(t.customers) == 3 and pd.isna(t.customers["phone"].iloc[2])
    assert any("scientific notation" in w for w in t.reports["customers"].warnings)


def test_ids_with_and_without_leading_zeros_are_one_customer_with_a_note(tmp_path):
    t = load_tables(folder(tmp_path))  # H7: «000001» in customers, «1» in the card operations
    assert set(t.transactions["customer_id"]) <= set(t.customers["customer_id"])
    assert set(t.interactions["customer_id"]) <= set(t.customers["customer_id"])
    assert any("leading zeros" in n and "клиенты.csv" in n for n in t.notes)
    assert "leading zeros" in t._repr_html_() and "leading zeros" in str(t)


def test_ids_are_left_alone_when_the_tables_agree_or_zeros_tell_customers_apart():
    same = {"customers": pd.DataFrame({"customer_id": ["001", "002"]}),
            "transactions": pd.DataFrame({"customer_id": ["001", "001"]})}
    assert harmonise_customer_ids(same) == [] and same["customers"]["customer_id"].tolist() == ["001", "002"]
    # '01' and '1' are two customers in the customer table: matching by number would merge them
    clash = {"customers": pd.DataFrame({"customer_id": ["01", "1", "002"]}),
             "transactions": pd.DataFrame({"customer_id": ["2"]})}
    notes = harmonise_customer_ids(clash)
    assert clash["customers"]["customer_id"].tolist() == ["01", "1", "002"]
    assert "NOT matched" in notes[0]
    apart = {"customers": pd.DataFrame({"customer_id": ["C1"]}), "transactions": pd.DataFrame({"customer_id": ["9"]})}
    assert "No customer id of customers is found in transactions" in harmonise_customer_ids(apart)[0]


def test_the_demo_ids_are_untouched():
    t = load_tables(None)
    assert t.notes == () and t.customers["customer_id"].str.startswith("0").all()


def test_a_folder_wide_column_mapping_applies_to_the_tables_that_have_the_column(tmp_path, monkeypatch):
    # H1: one --column for the survey must not be refused by the customers table
    monkeypatch.setenv("CXLAB_READ_OPTIONS", '{"columns": {"Балл": "likelihood_to_recommend", "Когда": "timestamp"}}')
    opts = read_options(None)
    assert opts["survey_responses"]["columns"] == {"Балл": "likelihood_to_recommend"}
    assert opts["transactions"]["columns"] == {"Когда": "timestamp"}
    assert "columns" not in opts.get("customers", {})
    monkeypatch.setenv("CXLAB_READ_OPTIONS", '{"columns": {"Балл": "likelihood_to_recomend"}}')
    with pytest.raises(CXLabError, match="likelihood_to_recomend.*which no table has"):
        read_options(None)


def test_skip_notes_give_the_true_reason(tmp_path):
    t = load_tables(folder(tmp_path))
    note = str(t.skipped("interactions", "Brand voice", columns=["agent_message"]))
    assert "needs the column agent_message of the interactions table" in note and "not in the folder" not in note
    (tmp_path / "операции по картам.csv").rename(tmp_path / "движение средств.csv")
    t = load_tables(tmp_path)
    note = str(t.skipped("transactions", "Linking"))
    assert "not in the folder" in note and "«движение средств.csv»" in note and "transactions_path" in note


def test_complaints_are_found_in_russian_topics_and_absent_topics_give_no_rate(tmp_path):
    t = load_tables(folder(tmp_path))
    m = ch.channel_metrics(interactions=t.interactions, metrics=["complaint_rate"], min_base=0, low_base=0)
    rate = m.set_index("channel")["estimate"]
    assert rate["store"] == 50.0 and rate["phone"] == 50.0  # «Жалоба», «Претензия по карте» (H5)
    plain = pd.DataFrame({"channel": ["store", "phone"], "topic": ["Кредит", "Перевод"]})
    assert "complaint_rate" not in ch.available_metrics(plain, "interactions")
    with pytest.raises(CXLabError, match="no topic of interactions mentions a complaint"):
        ch.channel_metrics(interactions=plain, metrics=["complaint_rate"])


def test_a_metric_without_any_estimable_gap_does_not_stop_the_index():
    # H4: every channel at 0 % (or suppressed) gives no effect size; the index still comes out
    rng = np.random.default_rng(1)
    survey = pd.DataFrame({"channel": np.repeat(["store", "web", "phone"], 60),
                           "likelihood_to_recommend": rng.integers(0, 11, 180)})
    contacts = pd.DataFrame({"channel": np.repeat(["store", "web", "phone"], 60), "topic": "complaint",
                             "resolved": True})
    gaps = ch.audit_gaps(survey, contacts, metrics=["nps", "fcr"])
    index = ch.consistency_index(gaps)
    fcr = index.set_index("metric").loc["fcr"]
    assert fcr["index"] == 100.0 and pd.isna(fcr["largest_gap_channel"]) and np.isnan(fcr["largest_effect"])


def test_survey_ids_that_match_no_customer_get_missing_context_not_a_crash():
    # H11: a prospects' survey (no id in the purchase history)
    survey = pd.DataFrame({"customer_id": pd.array(["9001", "9002", None], dtype="string"),
                           "channel": ["store", "web", "web"]})
    segments = pd.DataFrame({"customer_id": ["1", "2"], "segment": ["champions", "at risk"]})
    customers = pd.DataFrame({"customer_id": ["1", "2"], "region": ["Север", "Юг"]})
    out = ch.respondent_context(survey, segments=segments, customers=customers)
    assert out["segment"].tolist() == [ch.MISSING_LABEL] * 3 and out["region"].tolist() == [ch.MISSING_LABEL] * 3


def test_scorecard_order_value_in_the_clients_currency():
    tx = pd.DataFrame({"customer_id": ["1", "2", "3"], "timestamp": pd.to_datetime(["2025-01-01"] * 3),
                       "amount": [100.0, 200.0, 300.0], "channel": ["store", "store", "web"]})
    card = ch.channel_scorecard(transactions=tx, currency="USD", min_base=0, low_base=0)
    assert set(card.loc[card["measure"] == "order_value", "unit"]) == {"USD"}
    assert set(ch.channel_scorecard(transactions=tx, min_base=0, low_base=0)
               .loc[lambda c: c["measure"] == "order_value", "unit"]) == {"amount"}


def test_find_tables_knows_bank_words(tmp_path):
    for name in ("выписка по счёту.csv", "платежи 2025.csv"):
        d = tmp_path / name.split()[0]
        d.mkdir()
        (d / name).write_text("x")
        assert "transactions" in find_tables(d)[0]


def test_under_cxlab_report_the_advice_is_in_command_line_flags(tmp_path, monkeypatch):
    (tmp_path / "опрос.csv").write_text("ID анкеты;Дата;Балл\nA1;05.03.2025;9\n", encoding="cp1251")
    with pytest.raises(CXLabError) as py:
        load_tables(tmp_path)
    assert "columns={" in str(py.value)
    monkeypatch.setenv("CXLAB_OUTPUT_DIR", str(tmp_path / "out"))
    with pytest.raises(CXLabError) as cli:
        load_tables(tmp_path)
    assert "--column '" in str(cli.value) and "columns={" not in str(cli.value)


def test_link_survey_matches_ids_read_as_numbers_to_zero_padded_purchases():
    # H16: pd.read_csv gives 123 / 124.0; the purchases say "000123"; the link uses the purchases' spelling
    import cxlab.survey_vs_behaviour as svb

    survey = pd.DataFrame({"response_id": ["r1", "r2", "r3"], "customer_id": [123, 124.0, None],
                           "submitted_at": pd.to_datetime(["2025-01-05"] * 3), "likelihood_to_recommend": [9, 5, 7]})
    tx = pd.DataFrame({"customer_id": ["000123", "000124", "000125"], "timestamp": pd.to_datetime(["2025-01-01"] * 3),
                       "amount": [1.0, 2.0, 3.0]})
    link = svb.link_survey(survey, transactions=tx)
    assert link.table["customer_id"].tolist()[:2] == ["000123", "000124"]
    assert link.table["linked_by"].tolist()[:2] == ["customer_id", "customer_id"]
    ambiguous = pd.concat([tx, pd.DataFrame({"customer_id": ["123"], "timestamp": tx["timestamp"][:1],
                                             "amount": [1.0]})])
    assert svb.link_survey(survey, transactions=ambiguous).table["customer_id"].iloc[1] == "000124"


def test_validate_a_whole_folder_and_a_file_by_its_name(tmp_path, capsys):
    from cxlab.cli import main

    d = folder(tmp_path)
    assert main(["validate", str(d)]) == 0
    out = capsys.readouterr().out
    for name in ("клиенты.csv (customers)", "операции по картам.csv (transactions)",
                 "опрос NPS ноябрь.csv (survey_responses)", "обращения.csv (interactions)"):
        assert f"== {name}" in out
    assert main(["validate", str(d / "обращения.csv")]) == 0  # the kind from the name
    assert "→ interactions" in capsys.readouterr().out


def test_a_survey_from_another_period_than_the_purchases_is_said_not_counted_as_zero():
    # H18: a 2016 survey against 2012–2013 purchases
    import cxlab.survey_vs_behaviour as svb

    survey = pd.DataFrame({"response_id": ["r1", "r2"], "customer_id": ["1", "2"],
                           "submitted_at": pd.to_datetime(["2016-10-01", "2016-10-02"]),
                           "stated_frequency": ["monthly", "weekly"]})
    tx = pd.DataFrame({"customer_id": ["1", "2"], "timestamp": pd.to_datetime(["2012-03-01", "2013-12-30"]),
                       "amount": [10.0, 20.0]})
    link = svb.link_survey(survey, transactions=tx)
    with pytest.raises(CXLabError, match=r"survey is dated 01.10.2016.*purchases 01.03.2012–30.12.2013"):
        svb.say_do_table(survey, link, tx)


def test_command_line_pairs_for_columns_and_channels():
    from cxlab.report import flag_pairs

    assert flag_pairs(["Офис=store", " Чат-бот = chat "], "--channel", "LABEL=CHANNEL", "'Офис=store'") == \
        {"Офис": "store", "Чат-бот": "chat"}
    with pytest.raises(CXLabError, match="--channel 'Офис' is not of the form LABEL=CHANNEL"):
        flag_pairs(["Офис"], "--channel", "LABEL=CHANNEL", "'Офис=store'")


def test_camel_case_headers_of_bi_exports_are_recognised(tmp_path):
    (tmp_path / "orders.csv").write_text("CustomerID,OrderDate,OrderTotal,ProductLine\n1,2014-01-02,10.5,bikes\n",
                                         encoding="utf-8")
    t = load_tables(tmp_path)
    assert {"customer_id", "timestamp", "amount"} <= set(t.transactions.columns)
    assert "ProductLine" in t.transactions.columns  # unknown headers are kept as they are


def test_weighting_that_changes_nothing_is_said_so():
    # new-user run: "the NPS is +4 instead of +4"
    from cxlab.findings.survey_vs_behaviour import representativeness_finding

    balance = pd.DataFrame({"variable": ["frequency"], "smd": [0.02], "smd_weighted": [0.01]})
    summary = pd.DataFrame({"design_effect": [1.01], "effective_n": [347.0], "n": [350]})
    same = representativeness_finding(balance, summary=summary, nps_raw=4.2, nps_weighted=3.9)
    assert "does not change the NPS (+4;" in same and "instead of" not in same
    moved = representativeness_finding(balance, summary=summary, nps_raw=4.2, nps_weighted=7.0)
    assert "the NPS is +7 instead of +4" in moved


def test_recommendations_are_never_an_empty_list():
    # new-user run: 02 printed a "Recommendations" heading with nothing under it (a survey with no stated answers)
    from cxlab.findings.survey_vs_behaviour import recommendations

    recs = recommendations(tier=None, frequency=None, binary=None, backtest=None, weighted_shift=0.2)
    assert len(recs) == 1 and recs[0].startswith("No action follows from these data")


def test_a_channel_label_cxlab_does_not_know_keeps_its_rows(tmp_path):
    # A purchase through a marketplace or at an ATM is still a purchase: dropping the row for its
    # channel label once made the RFM revenue wrong. Reference: the sums of the file by hand.
    (tmp_path / "операции.csv").write_text(
        "Код клиента;Дата операции;Сумма;Канал\n"
        "1;05.03.2025;1 000,00;Маркетплейс\n1;06.04.2025;500,00;Отделение\n2;07.04.2025;250,50;Банкомат\n"
        "2;08.04.2025;100,00;Банкомат\n3;09.04.2025;50,00;\n", encoding="cp1251")
    tables = load_tables(tmp_path)
    warnings = " ".join(tables.reports["transactions"].warnings)
    assert "kept as channels of their own" in warnings and "Банкомат" in warnings
    tx = tables.transactions
    assert len(tx) == 5 and tx["amount"].sum() == pytest.approx(1900.50)
    assert tx["channel"].astype("string").tolist() == ["Маркетплейс", "store", "Банкомат", "Банкомат", pd.NA]
    from cxlab.segmentation import rfm_table

    rfm = rfm_table(tx, observation_end=pd.Timestamp("2025-05-01"))
    assert rfm["revenue"].to_dict() == pytest.approx({"1": 1500.0, "2": 350.5, "3": 50.0})
    assert rfm["purchases"].to_dict() == {"1": 2, "2": 2, "3": 1}
