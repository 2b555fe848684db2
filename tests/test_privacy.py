"""Tests for cxlab.privacy: redaction of e-mails and phones, keyed pseudonyms, small cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab.errors import CXLabError
from cxlab.privacy import contains_pii, pseudonymise, redact, redact_text, suppress_small_cells

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


def test_pseudonymise_matches_hmac_sha256_rfc4231():
    # Reference: RFC 4231, test case 2: HMAC-SHA256 with key "Jefe" of "what do ya want for
    # nothing?". We first pin the standard-library HMAC to that vector, then check that our
    # pseudonym is exactly that HMAC (a 4-character key is below our minimum, hence the two steps).
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    import hmac, hashlib  # noqa: E401  (the reference implementation of HMAC)
    assert hmac.new(b"Jefe", b"what do ya want for nothing?", hashlib.sha256).hexdigest() == expected
    key = "a longer secret key"
    ref = hmac.new(key.encode(), b"0001234", hashlib.sha256).hexdigest()
    assert pseudonymise("0001234", key=key, prefix="", length=64) == ref
    assert pseudonymise(" 0001234 ", key=key) == "P" + ref[:12]  # surrounding spaces ignored


def test_pseudonymise_stable_keyed_and_shape_preserving():
    ids = pd.Series(["001", "002", None, "001"], dtype="string", name="customer_id")
    a = pseudonymise(ids, key="secret-one")
    b = pseudonymise(ids, key="secret-two")
    assert a.iloc[0] == a.iloc[3] and a.iloc[0] != a.iloc[1] and pd.isna(a.iloc[2])
    assert a.iloc[0] != b.iloc[0]
    assert a.name == "customer_id"
    assert len(set(pseudonymise([str(i) for i in range(20000)], key="k" * 16))) == 20000
    with pytest.raises(CXLabError, match="too short"):
        pseudonymise("1", key="abc")
    with pytest.raises(CXLabError):
        pseudonymise("1", key=None)


def test_suppress_small_cells():
    t = pd.DataFrame({"g": ["a", "b"], "n": [29, 30], "estimate": [10.0, 20.0], "low_base": [False, True]})
    out = suppress_small_cells(t)
    assert np.isnan(out.loc[0, "estimate"]) and out.loc[1, "estimate"] == 20.0
    assert out["suppressed"].tolist() == [True, False]
    assert out["n"].tolist() == [29, 30] and t.loc[0, "estimate"] == 10.0  # input untouched
    with pytest.raises(CXLabError):
        suppress_small_cells(t, n="base")
