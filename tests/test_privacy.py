"""Tests for cxlab.privacy: redaction of e-mails and phones, small cells (keys: test_privacy_keys.py;
names: test_privacy_names.py; columns and the end-to-end leak test: test_privacy_columns.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab.errors import CXLabError
from cxlab.privacy import contains_pii, redact, redact_text, suppress_small_cells

PHONES = [
    "+7 (912) 345-67-89", "8 912 345 67 89", "89123456789", "+79123456789", "8(912)3456789",
    "8-912-345-67-89", "7-991-914-01-43", "8 (940) 7303128", "+44 20 7946 0958", "+1-202-555-0143",
]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_formats_are_redacted(phone):
    for template in ("Перезвоните мне: {}", "Call me back on {}.", "{}", "тел.{}!"):
        out = redact_text(template.format(phone))
        assert "[phone]" in out
        assert not any(ch.isdigit() for ch in out), out


def test_emails_are_redacted_latin_and_cyrillic():
    text = "Пишите на Mariya.vasileva91@Mail.ru, или иван@почта.рф; a.b+tag@sub.example.co.uk"
    assert redact_text(text) == "Пишите на [email], или [email]; [email]"


def test_dates_times_prices_untouched():
    for text in ["Заказ 12345 от 14.03.2025 12:30, сумма 12 500 руб.", "2025-03-14 12:30:00",
                 "цена 1 250 000 руб за 12 бутылок", "Waited 3 days, 2 hours", "Доставка 31.12.2025"]:
        assert redact_text(text) == text


def test_redact_series_keeps_index_missing_and_dtype():
    s = pd.Series(["ok", None, "write to a@b.ru", "call 89123456789"], index=[10, 11, 12, 13], dtype="string",
                  name="comment")
    out = redact(s)
    assert out.index.tolist() == [10, 11, 12, 13] and out.name == "comment" and out.dtype == s.dtype
    assert out.iloc[0] == "ok" and pd.isna(out.iloc[1])
    assert out.iloc[2] == "write to [email]" and out.iloc[3] == "call [phone]"
    assert contains_pii(s).tolist() == [False, False, True, True]
    assert not contains_pii(out).any()
    assert redact(["x@y.com"]) == ["[email]"]


def test_demo_verbatims_fully_redacted(demo):
    comments = demo.survey_responses["comment"]
    assert contains_pii(comments).sum() > 0  # the demo plants e-mails and phones
    assert not contains_pii(redact(comments)).any()


def test_suppress_small_cells():
    t = pd.DataFrame({"g": ["a", "b"], "n": [29, 30], "estimate": [10.0, 20.0], "low_base": [False, True]})
    out = suppress_small_cells(t)
    assert np.isnan(out.loc[0, "estimate"]) and out.loc[1, "estimate"] == 20.0
    assert out["suppressed"].tolist() == [True, False]
    assert out["n"].tolist() == [29, 30] and t.loc[0, "estimate"] == 10.0  # input untouched
    with pytest.raises(CXLabError):
        suppress_small_cells(t, n="base")


def test_pseudonyms_codes_and_amounts_are_not_phones():
    from cxlab.privacy import DEMO_KEY, find_pii, pseudonymise

    ps = pseudonymise([str(i) for i in range(5000)], key=DEMO_KEY)  # many are "P" + 12 digits-heavy hex
    text = "\n".join(" ".join(ps[i:i + 10]) for i in range(0, 5000, 10))
    assert redact_text(text) == text and find_pii(text) == []
    for keep in ["Revenue 1 234 567 890 RUB", "n = 1,234,567,890", "order ORD1234567890 shipped",
                 "95% CI 30.1–34.2, p < 0.001"]:
        assert redact_text(keep) == keep


def test_find_pii_lists_what_a_deliverable_still_holds():
    from cxlab.privacy import find_pii

    html_text = ("NPS by channel: store +41 (n = 412, 95% CI 33–48), Holm-adjusted p < 0.001.\n"
                 "Quote: «Перезвоните 8 912 345 67 89», write to anna.petrova@mail.ru — Иванов Пётр")
    assert find_pii(html_text) == [("email", "anna.petrova@mail.ru"), ("phone", "8 912 345 67 89"),
                                   ("name", "Иванов Пётр")]
    assert find_pii("Quote: «Перезвоните [phone]», write to [email] — [name]") == []
    with pytest.raises(CXLabError):
        find_pii(None)


def test_phone_glued_to_russian_text_is_still_a_phone():
    assert redact_text("тел89123456789, звоните") == "тел[phone], звоните"
