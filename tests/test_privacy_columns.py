"""Tests for personal columns found by content and for safe_view; the end-to-end leak test: a demo company
of another size and seed with e-mails, phones in ten formats and full names planted in comments and in
contact columns under headers cxlab does not know, run through safe_view, must show none of them."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cxlab.datasets import make_demo
from cxlab.errors import CXLabError
from cxlab.privacy import (DEMO_KEY, column_kinds, is_pseudonym, known_names, personal_columns, pseudonymise,
                           redact, safe_view)

KEY = "Tq8-vWz3LmN6pRx2YcK7"
EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")


def ten_formats(d: str) -> list[str]:
    """Ten ways people write the Russian mobile number whose 10 national digits are ``d``."""
    a, b, c, e = d[:3], d[3:6], d[6:8], d[8:]
    return [f"+7 ({a}) {b}-{c}-{e}", f"8{d}", f"8 {a} {b} {c} {e}", f"+7{d}", f"7-{a}-{b}-{c}-{e}",
            f"8 ({a}) {b}{c}{e}", f"+7-{a}-{b}-{c}-{e}", f"8({a}){b}-{c}-{e}", f"+7 {a} {b}{c}{e}",
            f"8.{a}.{b}.{c}.{e}"]


# ------------------------------------------------------------------------------------------
# column kinds by content
# ------------------------------------------------------------------------------------------
def test_unknown_headers_are_recognised_by_content():
    df = pd.DataFrame({
        "ФИО клиента": ["Иванов Пётр Сергеевич", "Смирнова Анна", "Кузнецов Олег Иванович", "Попова Мария",
                        "ЗАЙЦЕВ ТИМУР", "белова галина петровна", "Петров-Водкин Кузьма", "Анна Ли"],
        "Моб. телефон": ["8 912 345 67 89", "+7 (903) 111-22-33", "89261234567", "7-916-000-11-22",
                         "8(912)345-67-89", "+7 912 3456789", "8.912.345.67.89", None],
        "E-mail клиента": ["a.b@mail.ru", "ANNA@YANDEX.RU", " x_y@gmail.com ", "m.popova@bk.ru", "t.z@inbox.ru",
                           "galina@почта.рф", None, "anna.li@gmail.com"],
        "Contact": ["John Smith", "emma.walker@example.com", "+44 20 7946 0958", "Oliver Brown", "Иван Петров",
                    "8 903 111 22 33", "ivan@mail.ru", "Мария"],
        "Insta": ["@anna_p12", "@john.smith", "@oleg_k", "@mariya", "@tz", "@galina_b", "@kuzma", "@li"],
        "Номер клиента": ["000123", "000124", "000125", "000126", "000127", "000128", "000129", "000130"],
        "Город": ["Москва", "Казань", "Королёв", "Владимир", "Тверь", "Самара", "Москва", "Новосибирск"],
        "Товар": ["Шато Марго", "Пино Нуар", "Бри", "Каберне Совиньон", "Камамбер", "Риоха", "Просекко", "Мерло"],
        "Канал": ["store", "phone", "chat", "store", "web", "email", "social", "store"],
        "Сумма": [1250.5, 990.0, 15000.0, 300.0, 10.0, 20.0, 30.0, 40.0],
        "Отзыв": ["Курьер опоздал на два часа, очень неудобно", "Всё отлично, буду заказывать ещё",
                  "Пишите на a.b@mail.ru, отвечу вечером", "Цены выше, чем у конкурентов", "Хороший выбор сыров",
                  "Доставка быстрая, спасибо", "Сомелье дал отличный совет", "Ничего особенного"],
        "Дата": pd.date_range("2025-01-01", periods=8, freq="MS"),
    })
    kinds = column_kinds(df)
    assert kinds == {"ФИО клиента": "name", "Моб. телефон": "phone", "E-mail клиента": "email",
                     "Contact": "contact", "Insta": "handle", "Номер клиента": "id", "Город": "other",
                     "Товар": "other", "Канал": "other", "Сумма": "other", "Отзыв": "text", "Дата": "other"}
    assert personal_columns(df) == ["ФИО клиента", "Моб. телефон", "E-mail клиента", "Contact", "Insta",
                                    "Номер клиента"]


def test_numeric_phones_and_codes():
    df = pd.DataFrame({"tel": np.array([79123456789, 79031112233, 79261234567], dtype="int64"),
                       "amount": [100, 250, 990], "client no": [1001, 1002, 1003],
                       "code": ["C-000123", "C-000124", "C-000125"]})
    assert column_kinds(df) == {"tel": "phone", "amount": "other", "client no": "id", "code": "id"}


def test_column_kinds_of_the_demo_tables(demo):
    assert column_kinds(demo.customers) == {"customer_id": "id", "name": "name", "email": "email", "phone": "phone",
                                            "signup_date": "other", "region": "other", "birth_year": "other"}
    kinds = column_kinds(demo.interactions)
    assert {c for c, k in kinds.items() if k != "other"} == {"interaction_id", "customer_id", "name", "email",
                                                            "phone", "handle", "agent_message"}
    assert kinds["agent_message"] == "text"
    with pytest.raises(CXLabError):
        column_kinds([1, 2])


def test_safe_view_short_text_and_labels():
    df = pd.DataFrame({"note": ["Спасибо Анне", "Супер", "Долго", "ok", "Иван помог", "Быстро", "Нормально"],
                       "city": ["Владимир", "Москва", "Казань", "Москва", "Тверь", "Самара", "Владимир"]})
    out = safe_view(df, key=KEY)
    assert out["note"].tolist() == ["Спасибо [name]", "Супер", "Долго", "ok", "[name] помог", "Быстро", "Нормально"]
    assert out["city"].tolist() == df["city"].tolist()  # a label column keeps its values


def test_safe_view_pseudonymises_drops_and_redacts():
    df = pd.DataFrame({"customer_id": ["000123", "124", None], "Contact": ["John Smith", "Emma Walker", None],
                       "region": pd.Categorical(["Москва", "Казань", "Москва"]),
                       "comment": ["Emma was very helpful, thanks", "Call me: 8 912 345 67 89 please", None]})
    out = safe_view(df, key=KEY)
    assert list(out.columns) == ["customer_id", "region", "comment"]
    assert out["customer_id"].tolist()[:2] == pseudonymise(["123", "124"], key=KEY)
    assert out["customer_id"].isna().tolist() == [False, False, True]
    assert out["comment"].tolist()[:2] == ["[name] was very helpful, thanks", "Call me: [phone] please"]
    assert out["region"].dtype == "category" and out.index.equals(df.index)
    assert list(df.columns) == ["customer_id", "Contact", "region", "comment"]  # input untouched
    assert "customer_id" not in safe_view(df, key=KEY, drop="ids").columns
    with pytest.raises(CXLabError, match="weak|short"):
        safe_view(df, key="secret")


# ------------------------------------------------------------------------------------------
# the end-to-end leak test
# ------------------------------------------------------------------------------------------
PATR = {"m": ["Сергеевич", "Иванович", "Олегович"], "f": ["Сергеевна", "Ивановна", "Олеговна"]}
OTHER_NAMES = ["Зайцев Тимур Рашидович", "Белова Галина", "Daniel Hughes", "Rachel Edwards", "Тихонов Глеб",
               "Kevin Turner", "Григорьева Людмила Петровна", "Hannah Wright"]


@pytest.fixture(scope="module")
def leaky():
    """The demo at another size and seed, with personal data planted in comments and contact columns."""
    demo = make_demo(400, seed=2024)
    rng = np.random.default_rng(99)
    cust = demo.customers.copy()
    digits = cust["phone"].str.replace(r"\D", "", regex=True).str[-10:].astype(object)
    missing = digits.isna() | (digits.str.len() != 10)
    digits[missing] = [f"9{int(x):09d}" for x in rng.integers(0, 10**9, int(missing.sum()))]
    planted_names: set[str] = set()

    def full_name(i: int) -> str:
        name = str(cust["name"].iloc[i])
        parts = name.split()
        if re.search("[а-яё]", name, re.I) and rng.random() < 0.5:  # add a patronymic, any word order
            patr = rng.choice(PATR["f" if parts[-1].endswith("а") else "m"])
            name = rng.choice([f"{parts[0]} {patr} {parts[1]}", f"{parts[1]} {parts[0]} {patr}"])
        elif rng.random() < 0.2:
            name = name.lower()
        planted_names.add(name)
        return name

    survey = demo.survey_responses.copy()
    comments = survey["comment"].astype(object).to_numpy().copy()
    resp_ids = survey["customer_id"].astype(object).to_numpy()
    pos = {cid: k for k, cid in enumerate(cust["customer_id"])}
    planted_rows = []
    for r in range(len(survey)):
        if rng.random() >= 0.25:
            continue
        k = pos.get(resp_ids[r], int(rng.integers(len(cust))))
        u = rng.random()
        base = comments[r] if isinstance(comments[r], str) else "Отзыв"
        if u < 0.3:
            extra = f". Перезвоните: {ten_formats(digits.iloc[k])[int(rng.integers(10))]}"
        elif u < 0.5 and pd.notna(cust["email"].iloc[k]):
            extra = f". Пишите на {cust['email'].iloc[k].strip()}"
        elif u < 0.75:
            extra = rng.choice([". Меня зовут {}", ". С уважением, {}", ". {} here, call me back", ". Звонил {}"]
                               ).format(full_name(k))
        else:
            other = str(rng.choice(OTHER_NAMES))
            planted_names.add(other)
            extra = f". Спасибо, {other}, и позвоните {ten_formats(digits.iloc[k])[int(rng.integers(10))]}"
        comments[r] = base + extra
        planted_rows.append(r)
    survey["comment"] = pd.array(comments, dtype="string")
    survey = survey.rename(columns={"comment": "Отзыв клиента", "email": "Почта", "phone": "Тел."})

    # contact columns under headers cxlab does not know; a mixed "Contact" column in ten phone formats
    cust["Contact"] = [
        ten_formats(digits.iloc[i])[i % 10] if i % 3 == 0 else
        (cust["email"].iloc[i] if i % 3 == 1 and pd.notna(cust["email"].iloc[i]) else full_name(i))
        for i in range(len(cust))]
    cust = cust.rename(columns={"name": "ФИО клиента", "phone": "Моб. телефон", "email": "E-mail клиента",
                                "customer_id": "Клиент"})
    inter = demo.interactions.rename(columns={"name": "Contact", "phone": "Телефон для связи", "email": "Mail"})
    tables = {"customers": cust, "transactions": demo.transactions, "survey_responses": survey,
              "interactions": inter, "employee_survey": demo.employee_survey}
    return dict(tables=tables, digits=set(digits), planted_rows=planted_rows, planted_names=planted_names,
                demo=demo)


def _cells(df: pd.DataFrame) -> list[str]:
    return [str(v) for c in df.columns for v in df[c].dropna().tolist()]


@pytest.fixture(scope="module")
def shown(leaky):
    t = leaky["tables"]
    known = known_names(t["customers"], t["interactions"])
    return {name: safe_view(df, key=KEY, known_names=known) for name, df in t.items()}


def test_planted_data_is_really_there(leaky):
    cells = " ".join(_cells(leaky["tables"]["survey_responses"]))
    assert len(leaky["planted_rows"]) > 100
    assert len(EMAIL.findall(cells)) > 20
    assert sum(d in re.sub(r"\D", "", cells) for d in list(leaky["digits"])[:400]) > 30
    assert len(leaky["planted_names"]) > 60


def test_no_email_phone_name_or_raw_id_in_any_table(leaky, shown):
    demo = leaky["demo"]
    raw_ids = set(demo.customers["customer_id"]) | set(demo.transactions["transaction_id"].dropna()) | set(
        demo.survey_responses["response_id"]) | set(demo.interactions["interaction_id"]) | set(
        demo.employee_survey["employee_id"])
    surnames = set()
    for name in set(demo.customers["name"]) | leaky["planted_names"]:
        words = re.findall(r"[^\W\d_]+", name)
        surnames.update(w.lower() for w in words[1:] if len(w) > 3)
    for table, out in shown.items():
        cells = _cells(out)
        text = "\n".join(cells)
        assert not EMAIL.search(text), (table, EMAIL.search(text).group())
        digit_runs = set(re.findall(r"\d{10,}", re.sub(r"[\s()+\-.]", "", text)))
        leaked_phones = [d for d in leaky["digits"] if any(d in run for run in digit_runs)]
        assert not leaked_phones, (table, leaked_phones[:3])
        for col in out.columns:  # independent of the detector: a phone's digits, whatever its format
            if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                digits = out[col].dropna().astype(str).str.replace(r"\D", "", regex=True)
                assert not digits.str[-10:].isin(leaky["digits"]).any(), (table, col)
        lowered = text.lower()
        found = [s for s in surnames if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", lowered)]
        assert not found, (table, found[:5])
        assert not raw_ids & set(cells), (table, sorted(raw_ids & set(cells))[:3])
        id_cols = [c for c, k in column_kinds(leaky["tables"][table]).items() if k == "id"]
        assert id_cols, table  # every table has its ids, and they are shown only as pseudonyms
        for c in id_cols:
            assert out[c].dropna().map(is_pseudonym).all(), (table, c)
    for table, out in shown.items():
        long_ids = [i for i in raw_ids if len(str(i)) >= 7]
        blob = "\n".join(_cells(out))
        assert not any(i in blob for i in long_ids), table


def test_contact_columns_dropped_and_ids_pseudonymised(leaky, shown):
    cust = shown["customers"]
    assert list(cust.columns) == ["Клиент", "signup_date", "region", "birth_year"]
    assert cust["Клиент"].map(is_pseudonym).all()
    assert set(shown["survey_responses"].columns) & {"Почта", "Тел."} == set()
    assert "Отзыв клиента" in shown["survey_responses"].columns
    inter = shown["interactions"]
    assert not {"Contact", "Телефон для связи", "Mail", "handle"} & set(inter.columns)
    assert inter["interaction_id"].map(is_pseudonym).all()
    # the same customer has the same pseudonym in every table, so tables still join
    tx = shown["transactions"]
    assert set(tx["customer_id"]) <= set(cust["Клиент"])


def test_planted_comments_keep_their_words(leaky, shown):
    src = leaky["tables"]["survey_responses"]["Отзыв клиента"]
    out = shown["survey_responses"]["Отзыв клиента"]
    rows = leaky["planted_rows"]
    changed = (src.iloc[rows] != out.iloc[rows]).mean()
    assert changed == 1.0
    assert out.iloc[rows].str.contains(r"\[(?:email|phone|name)\]", regex=True).all()
    untouched = src.drop(src.index[rows]).dropna()
    # comments we did not touch lose only the contacts the demo itself plants: no word taken for a name
    assert (out.loc[untouched.index] == redact(untouched, names=False)).all()


def test_safe_view_demo_key_and_doc_example():
    df = pd.DataFrame({"customer_id": ["000123"], "comment": ["ok"]})
    assert safe_view(df, key=DEMO_KEY)["customer_id"].iloc[0] == pseudonymise("123", key=DEMO_KEY)
