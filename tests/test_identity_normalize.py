"""Normalisers of cxlab.identity: e-mails, phones (reference: Google's phonenumbers itself)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import phonenumbers
import pytest

from cxlab.errors import CXLabError
from cxlab.identity.normalize import inspect_emails, inspect_phones, normalize_email, normalize_phone


# --------------------------------------------------------------------------- phones
@pytest.mark.parametrize("raw", ["+7 (912) 345-67-89", "89123456789", "8 912 345 67 89", "9123456789",
                                 "+79123456789", "7-912-345-67-89", "8 (912) 3456789", " +7 912 345 67 89 "])
def test_the_same_russian_mobile_in_every_format(raw):
    assert normalize_phone(raw) == "+79123456789"


def _reference_e164(v: str, region: str) -> str | None:
    """What phonenumbers itself answers (the reference the fast path must reproduce)."""
    try:
        n = phonenumbers.parse(v, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164) if phonenumbers.is_valid_number(n) else None


def test_fast_path_agrees_with_phonenumbers_on_random_numbers():
    # random national numbers over every leading digit (mobile 9xx, Moscow 495, Kazakhstan 7xx,
    # toll-free 800, nonsense 0xx/1xx) written in several styles; the vectorised path must give
    # exactly phonenumbers' answer for each
    rng = np.random.default_rng(7)
    nsn = [f"{d}{rng.integers(0, 10**9):09d}" for d in rng.integers(0, 10, 1500)]
    styles = [lambda x: "+7" + x, lambda x: "8" + x, lambda x: "7" + x, lambda x: x,
              lambda x: f"+7 ({x[:3]}) {x[3:6]}-{x[6:8]}-{x[8:]}", lambda x: "8" + x[:-1], lambda x: "+7" + x + "1"]
    raw = [styles[i % len(styles)](x) for i, x in enumerate(nsn)]
    raw += ["+70000000000", "00000", "+49 30 1234567", "+380 44 123 4567", "+1 212 555 0100", "abc", ""]
    got = normalize_phone(pd.Series(raw))
    want = [_reference_e164(v, "RU") for v in raw]
    mism = [(r, g, w) for r, g, w in zip(raw, got.tolist(), want) if (None if pd.isna(g) else g) != w]
    assert not mism, mism[:5]
    assert got.notna().sum() > 300  # the sample holds plenty of valid numbers, not only rejects


def test_invalid_numbers_are_missing_and_flagged():
    s = pd.Series(["+70000000000", "12345", "7,91235E+10", None, "8 912 345 67 89"], index=list("abcde"), name="tel")
    out = normalize_phone(s)
    assert out.index.tolist() == list("abcde") and out.name == "tel"
    assert out.isna().tolist() == [True, True, True, True, False]
    rep = inspect_phones(s)
    assert rep["reason"].tolist() == ["not a valid number", "not a valid number",
                                      "lost digits (spreadsheet scientific notation)", "missing", ""]
    assert rep["raw"].tolist()[:3] == ["+70000000000", "12345", "7,91235E+10"]  # raw kept as given


def test_other_regions_go_through_phonenumbers():
    assert normalize_phone("030 1234567", region="DE") == "+49301234567"
    assert normalize_phone("+49 30 1234567") == "+49301234567"  # an explicit country code wins
    assert normalize_phone("8 701 234 5678", region="kz") == _reference_e164("8 701 234 5678", "KZ")


def test_phone_bad_arguments():
    with pytest.raises(CXLabError, match="two-letter"):
        normalize_phone("89123456789", region="Russia")
    with pytest.raises(CXLabError, match="does not know"):
        normalize_phone("89123456789", region="XX")
    with pytest.raises(CXLabError, match="Series"):
        normalize_phone(89123456789)


# --------------------------------------------------------------------------- e-mails
def test_email_case_space_nfkc_zero_width():
    raw = pd.Series(["  Anna.Ivanova@Mail.RU ", "ANNA.IVANOVA@MAIL.RU", "anna.ivanova\u200b@mail.ru",
                     "\uff41nna.ivanova@mail.ru", "anna.ivanova@mail.ru\u00a0", "mailto:anna.ivanova@mail.ru"])
    assert normalize_email(raw).tolist() == ["anna.ivanova@mail.ru"] * 6


def test_email_unusable_values_are_missing():
    raw = pd.Series(["нет", "anna ivanova@mail.ru", "anna@", "@mail.ru", "anna@mail", None, "", np.nan])
    assert normalize_email(raw).isna().all()
    assert normalize_email(None) is None


def test_cyrillic_lookalike_is_flagged_not_fixed():
    latin = "oleg.petrov@mail.ru"
    spoof = "oleg.pеtrov@mail.ru"  # Cyrillic е (U+0435)
    s = pd.Series([latin, spoof, "почта@пример.рф"])
    norm = normalize_email(s)
    assert norm[1] == spoof and norm[1] != norm[0]  # never silently "repaired" into a match
    rep = inspect_emails(s)
    assert rep["lookalike"].tolist() == [False, True, False]  # an all-Cyrillic address is legitimate
    assert rep["valid"].all()
    assert "look-alike" in rep.loc[1, "reason"]


def test_inspect_emails_flags():
    s = pd.Series(["A@B.RU", "a@b.ru", "a\u200b@b.ru", None])
    rep = inspect_emails(s)
    assert rep["changed"].tolist() == [True, False, True, False]
    assert rep["zero_width"].tolist() == [False, False, True, False]
    assert rep["present"].tolist() == [True, True, True, False]
    assert list(rep.columns) == ["raw", "email", "present", "valid", "changed", "zero_width", "lookalike", "reason"]


def test_scalar_and_series_types():
    assert isinstance(normalize_email("a@b.ru"), str)
    out = normalize_email(pd.Series(["a@b.ru"], name="email"))
    assert isinstance(out, pd.Series) and out.name == "email"
    with pytest.raises(CXLabError):
        normalize_email(["a@b.ru"])


def test_docstring_examples_run():
    import doctest

    import cxlab.identity.normalize as mod

    res = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted >= 8 and res.failed == 0


# --------------------------------------------------------------------------- names and handles
from cxlab.identity.normalize import name_parts, normalize_handle, normalize_name  # noqa: E402


def test_name_order_case_yo_patronymic_and_script():
    variants = ["Фёдоров Пётр", "пётр  ФЕДОРОВ", "Федоров Петр Алексеевич", "Petr Fedorov", "FEDOROV PETR"]
    assert set(normalize_name(pd.Series(variants))) == {"fedorov petr"}
    parts = name_parts(pd.Series(["Федоров Петр Алексеевич", "Anna Maria Smith", "Иванова Анна"]))
    assert parts["patronymic"].tolist()[0] == "alekseevich"
    assert parts[["given", "family"]].values.tolist() == [["petr", "fedorov"], ["anna", "smith"], ["anna", "ivanova"]]


def test_transliteration_is_iuliia_not_a_home_made_table():
    import iuliia

    # the reference is the library's own schema: ICAO Doc 9303 (Russian passports) spells Юлия "Iuliia"
    assert normalize_name("Юлия", scheme="icao_doc_9303") == iuliia.ICAO_DOC_9303.translate("Юлия").lower() == "iuliia"
    assert normalize_name("Юлия") == iuliia.MOSMETRO.translate("Юлия").lower()
    with pytest.raises(CXLabError, match="scheme"):
        normalize_name("Юлия", scheme="klingon")


def test_empty_names_are_missing():
    out = name_parts(pd.Series(["", "  ", None, "!!!"]))
    assert out["name_key"].isna().all() and (out["n_words"] == 0).all()


def test_handles():
    raw = pd.Series(["@Anna_K", "anna_k", "https://instagram.com/anna_k?igsh=1", "t.me/Anna_K", "два слова", None])
    out = normalize_handle(raw, platform=pd.Series(["instagram", "Instagram", None, None, "vk", None]))
    assert out.tolist()[:4] == ["instagram:anna_k", "instagram:anna_k", "instagram:anna_k", "telegram:anna_k"]
    assert out.isna().tolist()[4:] == [True, True]


def test_hostile_api_inputs_float_phone_double_dot_email_company_names():
    """Hostile review H16: a phone column read as float, an address with two dots in a row
    (RFC 5321 forbids an empty dot-separated part), company names in bank/1C exports."""
    assert normalize_phone(pd.Series([79123456789.0, 89123456789])).tolist() == ["+79123456789"] * 2
    assert normalize_email(" ivan..petrov@mail.ru") is None
    assert normalize_email(pd.Series([".ivan@mail.ru", "ivan.@mail.ru", "ivan.petrov@mail.ru"])).isna().tolist() == [
        True, True, False]
    parts = name_parts(pd.Series(["ООО «Ромашка»", "Romashka LLC", "ИП Иванов Иван Иванович", "Анна Петрова"]))
    assert parts["organisation"].tolist() == [True, True, False, False]
    assert parts["name_key"].tolist()[:3] == ["org:romashka", "org:romashka", "ivan ivanov"]
    assert parts["given"].isna().tolist() == [True, True, False, False]
