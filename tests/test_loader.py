"""The data contract's loader: files found by name, per-table paths, the Data used block,
skip notes and the clear error when a notebook's tables are all missing (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxlab.datasets import load_tables
from cxlab.errors import CXLabError
from cxlab.loader import find_tables

TX = "Номер чека;Клиент;Дата покупки;Сумма\nR1;001;05.03.2025;1 234,50\nR2;002;06.03.2025;99,90\nR3;001;07.04.2025;10,00\n"
SURVEY = "ID анкеты;Дата;Оценка\n1;05.03.2025;9\n2;06.03.2025;3\n3;07.03.2025;сорок\n"


def write(folder: Path, name: str, text: str, encoding: str = "cp1251") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


@pytest.mark.parametrize("name, table", [
    ("survey_responses.csv", "survey_responses"), ("NPS wave 3.xlsx", "survey_responses"),
    ("опрос_клиентов_2025.csv", "survey_responses"), ("customer_survey.csv", "survey_responses"),
    ("employee_survey.csv", "employee_survey"), ("eNPS.csv", "employee_survey"),
    ("Продажи.csv", "transactions"), ("client_orders.parquet", "transactions"), ("чеки.csv", "transactions"),
    ("clients.csv", "customers"), ("Клиенты CRM.xlsx", "customers"), ("обращения.csv", "interactions"),
    ("customer_contacts.csv", "interactions"),
])
def test_files_are_found_by_english_and_russian_names(tmp_path, name, table):
    write(tmp_path, name, "x")
    found, unused = find_tables(tmp_path)
    assert {k: v.name for k, v in found.items()} == {table: name} and unused == []


def test_unrelated_words_do_not_claim_a_table(tmp_path):
    for name in ["border_map.csv", "notes.txt", "readme.md", "~$survey.xlsx", ".hidden_survey.csv"]:
        write(tmp_path, name, "x")
    found, unused = find_tables(tmp_path)
    assert found == {} and [p.name for p in unused] == ["border_map.csv", "notes.txt"]


def test_two_files_for_one_table_is_an_error_that_says_how_to_choose(tmp_path):
    write(tmp_path, "survey_q1.csv", "x")
    write(tmp_path, "survey_q2.csv", "x")
    with pytest.raises(CXLabError) as err:
        find_tables(tmp_path)
    assert "survey_q1.csv, survey_q2.csv" in str(err.value) and "survey_path" in str(err.value)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CXLabError, match="does not exist"):
        load_tables(tmp_path / "nope")


def test_user_folder_loads_each_table_with_its_report(tmp_path):
    write(tmp_path, "продажи.csv", TX)
    write(tmp_path, "опрос.csv", SURVEY)
    t = load_tables(tmp_path, needs=["transactions"], notebook="01_segmentation")
    assert not t.is_demo and t.truth is None
    assert t.has("transactions") and t.has("survey_responses") and not t.has("customers")
    assert t.transactions["amount"].tolist() == [1234.5, 99.9, 10.0]
    used = t.data_used().set_index("table")
    assert used.loc["transactions", "file"] == "продажи.csv" and used.loc["transactions", "rows_kept"] == 3
    assert used.loc["survey_responses", ["rows_read", "rows_kept", "rows_quarantined"]].tolist() == [3, 2, 1]
    assert used.loc["transactions", "date_from"] == pd.Timestamp("2025-03-05").date()
    assert t.observation_end == pd.Timestamp("2025-04-07")
    html = t._repr_html_()
    assert html.startswith(f"<p><b>Data: files in the folder «{tmp_path.name}»</b>") and "продажи.csv" in html
    assert str(tmp_path.parent) not in html  # no analyst paths in a deliverable
    assert "Терруар" not in html and "Терруар" not in str(t)
    assert "Not provided: customers, interactions, employee_survey" in html


def test_per_table_path_overrides_the_folder(tmp_path):
    write(tmp_path, "продажи.csv", TX)
    other = write(tmp_path, "export.csv", TX.replace("R3;001;07.04.2025;10,00\n", ""))
    t = load_tables(tmp_path, transactions=other)
    assert len(t.transactions) == 2 and t.files["transactions"].name == "export.csv"
    assert [p.name for p in t.unused] == ["продажи.csv"]  # overridden; export.csv was used through the path


def test_per_table_path_alone_is_user_data_not_the_demo(tmp_path):
    t = load_tables(None, transactions=write(tmp_path, "x.csv", TX))
    assert not t.is_demo and t.source == "Data: the files given"


def test_missing_needed_tables_name_the_notebook_the_tables_and_the_folder(tmp_path):
    write(tmp_path, "опрос.csv", SURVEY)
    write(tmp_path, "misc.csv", "a,b\n1,2\n")
    with pytest.raises(CXLabError) as err:
        load_tables(tmp_path, needs=["transactions"], notebook="01_segmentation")
    msg = str(err.value)
    assert "notebook 01_segmentation needs a transactions table" in msg and str(tmp_path) in msg
    assert "misc.csv" in msg and "transactions_path" in msg


def test_skip_note_names_the_section_the_table_and_the_folder(tmp_path):
    write(tmp_path, "продажи.csv", TX)
    t = load_tables(tmp_path)
    note = t.skipped("survey_responses", "Linking answers to purchases")
    assert str(note) == (f"Skipped: Linking answers to purchases needs the survey_responses table, "
                         f"which is not in the folder «{tmp_path.name}».")
    assert note._repr_markdown_().startswith("**Skipped:**")


def test_demo_says_it_is_the_demo_first():
    t = load_tables(None, needs=["survey_responses"])
    assert t.is_demo and t.truth is not None
    assert t.source.startswith("Demo data: «Терруар»") and "not a client's data" in t.source
    assert t._repr_html_().startswith("<p><b>Demo data: «Терруар»")
    assert t.observation_end == pd.Timestamp("2025-12-31 23:59:59")
    used = t.data_used()
    assert used["table"].tolist() == ["customers", "transactions", "survey_responses", "interactions",
                                      "employee_survey"]
    assert (used["rows_kept"] > 0).all()


def test_employee_survey_keeps_its_department(tmp_path):
    write(tmp_path, "employee_survey.csv",
          "employee_id,department,submitted_at,likelihood_to_recommend\nE1,shop,2025-03-01,9\nE2,call centre,"
          "2025-03-02,4\n", encoding="utf-8")
    t = load_tables(tmp_path, needs=["employee_survey"])
    assert t.employee_survey["employee_id"].tolist() == ["E1", "E2"]
    assert t.employee_survey["department"].astype(str).tolist() == ["shop", "call centre"]


def test_a_broken_table_the_notebook_does_without_is_reported_not_fatal(tmp_path):
    write(tmp_path, "опрос.csv", SURVEY)
    (tmp_path / "продажи.csv").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    t = load_tables(tmp_path, needs=["survey_responses"], notebook="03_nps")
    assert t.has("survey_responses") and not t.has("transactions")
    assert "transactions" in t.problems and "transactions was not read" in t._repr_html_()
    with pytest.raises(CXLabError, match="продажи.csv"):
        load_tables(tmp_path, needs=["transactions"], notebook="01_segmentation")  # the one it needs: the error
    with pytest.raises(CXLabError, match="продажи.csv"):
        load_tables(tmp_path)  # no notebook context: strict


def test_reading_options_from_the_folder_file_and_the_environment(tmp_path, monkeypatch):
    write(tmp_path, "survey.csv", "ResponseId,SubmitDate,How likely are you to recommend us?\nR1,2025-03-01,9\n"
                                  "R2,2025-03-02,2\n", encoding="utf-8")
    (tmp_path / "cxlab.json").write_text('{"columns": {"ResponseId": "response_id", "SubmitDate": "submitted_at"}}')
    monkeypatch.setenv("CXLAB_READ_OPTIONS",
                       '{"tables": {"survey_responses": {"columns": '
                       '{"How likely are you to recommend us?": "likelihood_to_recommend"}}}}')
    t = load_tables(tmp_path, needs=["survey_responses"])
    assert t.survey_responses["likelihood_to_recommend"].tolist() == [9, 2]
    assert t.survey_responses["response_id"].tolist() == ["R1", "R2"]
    (tmp_path / "cxlab.json").write_text('{"colums": {}}')
    with pytest.raises(CXLabError, match="unknown reading option.*colums"):
        load_tables(tmp_path)


def test_a_csat_only_survey_loads_and_a_survey_without_any_score_is_refused(tmp_path):
    write(tmp_path, "csat_survey.csv", "ID анкеты;Дата;Удовлетворенность\n1;05.03.2025;4\n2;06.03.2025;5\n")
    t = load_tables(tmp_path, needs=["survey_responses"])
    assert t.survey_responses["csat"].tolist() == [4, 5] and "likelihood_to_recommend" not in t.survey_responses
    write(tmp_path, "csat_survey.csv", "ID анкеты;Дата;Город\n1;05.03.2025;Пермь\n")
    with pytest.raises(CXLabError, match="likelihood_to_recommend or csat or ces"):
        load_tables(tmp_path, needs=["survey_responses"])


def test_an_explicit_file_settles_two_candidates_in_the_folder(tmp_path):
    """Hostile test H11: the fix the ambiguity error gives (survey_path=) must work."""
    write(tmp_path, "survey_2023.csv", SURVEY)
    chosen = write(tmp_path, "survey_2024.csv", SURVEY.replace("3;07.03.2025;сорок\n", ""))
    t = load_tables(tmp_path, survey_responses=chosen)
    assert len(t.survey_responses) == 2 and [p.name for p in t.unused] == ["survey_2023.csv"]


def test_data_values_never_become_markup_in_tables():
    """Hostile test H13: a comment with <img src=http...> or <script> is shown as text."""
    from cxlab.findings import style_table

    html = style_table(pd.DataFrame({"comment": ['<img src="http://127.0.0.1:9/t.png"><script>x</script>']}))
    rendered = html.to_html()
    assert "<img" not in rendered and "<script>" not in rendered and "&lt;img" in rendered


def test_a_found_file_that_lost_every_row_is_named_with_the_reason(tmp_path):
    # HOSTILE3 H4: the error said no transactions table was found when transactions.csv was read and
    # every row quarantined; the reason and its fix were only in cxlab validate.
    (tmp_path / "transactions.csv").write_text(
        "customer_id,timestamp,amount\n" + "".join(f"C{i},someday {i},10.5\n" for i in range(30)), encoding="utf-8")
    with pytest.raises(CXLabError) as info:
        load_tables(tmp_path, needs=["transactions"], notebook="01_segmentation")
    message = str(info.value)
    assert "transactions.csv was read, but all 30 rows were quarantined" in message
    assert "not a date cxlab recognises" in message and "none was found" not in message


def test_a_table_that_lost_a_large_share_of_rows_is_warned_about_beside_the_figures(tmp_path):
    # HOSTILE3 H7: a third of the orders were quarantined and the report's headlines never said so.
    rows = "".join(f"C{i},2024-03-{1 + i % 28:02d},10.5\n" for i in range(80))
    rows += "".join(f"C{i},someday,10.5\n" for i in range(20))  # 20 % not dates
    (tmp_path / "transactions.csv").write_text("customer_id,timestamp,Total (EUR)\n" + rows, encoding="utf-8")
    t = load_tables(tmp_path, needs=["transactions"])
    assert len(t.transactions) == 80  # 'Total (EUR)' is the amount
    warning = t.quarantine_warnings()
    assert warning == [
        "20% of the rows of transactions.csv (20 of 100) were quarantined while loading; every figure from the "
        "transactions table leaves them out. Commonest reason: 'someday' is not a date cxlab recognises "
        + warning[0].split("is not a date cxlab recognises ", 1)[1]]
    assert "⚠ 20% of the rows" in t._repr_html_() and "WARNING: 20% of the rows" in str(t)
    assert load_tables().quarantine_warnings() == []  # the demo loses nothing


def test_a_currency_column_names_the_currency_and_several_currencies_are_refused(tmp_path):
    # HOSTILE3 H23: amounts in RUB, USD and EUR were added together silently.
    head = "Номер чека;Код клиента;Дата;Сумма;Валюта\n"
    (tmp_path / "продажи.csv").write_text(head + "A1;001;05.03.2025;1 234,50;руб.\nA2;002;06.03.2025;99,90;RUB\n",
                                          encoding="cp1251")
    assert load_tables(tmp_path, needs=["transactions"]).currency == "RUB"
    (tmp_path / "продажи.csv").write_text(head + "A1;001;05.03.2025;1 234,50;RUB\nA2;002;06.03.2025;99,90;USD\n"
                                          "A3;003;07.03.2025;5,00;EUR\n", encoding="cp1251")
    with pytest.raises(CXLabError, match=r"in 3 currencies \(EUR ×1, RUB ×1, USD ×1\)"):
        load_tables(tmp_path, needs=["transactions"], notebook="01_segmentation")
