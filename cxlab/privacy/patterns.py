"""Personal data written as patterns: disguised e-mails, social handles, bank cards, Russian documents.

Each finder returns ``(kind, start, end)`` spans; :mod:`cxlab.privacy.redaction` runs them
before the phone matcher, so a card or SNILS number is not half-read as a phone.

* **Disguised e-mails**: ``name[at]domain.ru``, ``name (at) domain dot ru``,
  ``имя собака mail.ru``, ``ivan.p at gmail.com``, ``name @ domain . ru``.
* **Social handles**: ``@ivan_petrov`` and profile links (``t.me/…``, ``vk.com/id…``,
  ``ok.ru/profile/…``, ``instagram.com/…``, ``wa.me/…`` and others).
* **Bank cards**: 13–19 digits starting with 2–6 (Mir, Visa, Mastercard, Maestro, Amex,
  UnionPay, JCB): in one run or in card-like groups when they pass the Luhn check
  (``stdnum.luhn`` from python-stdnum); printed as on a card (4-4-4-4, 4-6-5) even with a
  mistyped digit; masked card numbers ``4276 **** **** 1234``. A number named as an order,
  invoice or tracking number ("заказ № …", "order #…") is neither a card nor a phone.
* **Russian documents**: SNILS (``123-456-789 64``, check digits by the Pension Fund
  rule), INN after the word ИНН/INN (check digits by ``stdnum.ru.inn``), passport series
  and number after the word паспорт/passport, a person's bank account (20 digits, 40817…).

Ordinary numbers are left alone: prices, amounts, order numbers, dates, times and
statistics fail the length, the check digits or the cue.
"""

from __future__ import annotations

import re

__all__ = ["CARD_TOKEN", "HANDLE_TOKEN", "DOCUMENT_TOKEN", "pattern_spans", "luhn_valid", "snils_valid",
           "inn_valid", "named_as_order"]

CARD_TOKEN = "[card]"
HANDLE_TOKEN = "[handle]"
DOCUMENT_TOKEN = "[document]"

_TLD = r"[^\W\d_]{2,}"
# the weaker disguises (" at ", spaces around "@") need a real top-level domain, so that
# "контакт @anna.smirnova" stays a handle and "look at this.Then" stays prose
_KNOWN_TLD = (r"(?:ru|рф|su|com|net|org|info|biz|pro|me|io|co|ua|by|kz|uz|kg|tj|am|az|ge|md|ee|lv|lt|de|uk|fr|it|"
              r"es|pl|cz|fi|se|no|dk|nl|ch|at|be|us|ca|au|jp|cn|in|br|edu|gov|online|site|xyz|app|dev|ai|tv|cc)")
_LABEL = r"[\w-]+"
_LOCAL = r"[\w%+-]+(?:\.[\w%+-]+)*"
_BR_AT = r"\s*[\[({<]\s*(?:at|собака|эт)\s*[\])}>]\s*"          # [at] (at) {at} <at> [собака]
_BR_DOT = r"\s*[\[({<]\s*(?:dot|точка)\s*[\])}>]\s*"            # [dot] (dot) [точка]
_WORD_DOT = r"\s+(?:dot|точка)\s+"
_SP_DOT = r"\s*\.\s*"
# 1) a bracketed "at", any dot: name[at]domain.ru, name (at) domain dot ru, name [at] domain [dot] ru
_EMAIL_BRACKET = re.compile(
    rf"(?<![\w.+-]){_LOCAL}{_BR_AT}{_LABEL}(?:(?:{_BR_DOT}|{_WORD_DOT}|{_SP_DOT}){_LABEL})*"
    rf"(?:{_BR_DOT}|{_WORD_DOT}|{_SP_DOT}){_TLD}(?![\w-])", re.IGNORECASE | re.UNICODE)
# 2) "собака"/"собачка" as a word: ivan собака mail.ru, ivan собака mail точка ru
_EMAIL_SOBAKA = re.compile(
    rf"(?<![\w.+-])[A-Za-z0-9][\w.%+-]*\s+(?:собака|собачка)\s+{_LABEL}(?:(?:{_BR_DOT}|{_WORD_DOT}|\.){_LABEL})*"
    rf"(?:{_BR_DOT}|{_WORD_DOT}|\.){_TLD}(?![\w-])", re.IGNORECASE | re.UNICODE)
# 3) " at " as a word needs a written-out dot (name at domain dot ru), or a local part that
#    looks like a mailbox (a dot, digit or underscore: ivan.p at gmail.com), so that
#    "we shopped at ozon.ru" stays as it is
_EMAIL_AT_WORD = re.compile(
    rf"(?<![\w.+-])(?:{_LOCAL}\s+at\s+{_LABEL}(?:(?:{_BR_DOT}|{_WORD_DOT}){_LABEL})*(?:{_BR_DOT}|{_WORD_DOT}){_TLD}"
    rf"|[A-Za-z0-9]*[._\d][\w.%+-]*\s+at\s+{_LABEL}(?:\.{_LABEL})*\.{_KNOWN_TLD})(?![\w-])",
    re.IGNORECASE | re.UNICODE)
# 4) spaces around a real "@" or dot: name @ domain . ru
_EMAIL_SPACED = re.compile(
    rf"(?<![\w.+-]){_LOCAL}\s*@\s*{_LABEL}(?:{_SP_DOT}{_LABEL})*{_SP_DOT}{_KNOWN_TLD}(?![\w-])", re.UNICODE)

_SOCIAL_HOSTS = (r"t\.me|telegram\.me|telegram\.dog|vk\.com|vk\.ru|vkontakte\.ru|ok\.ru|odnoklassniki\.ru|"
                 r"instagram\.com|instagr\.am|facebook\.com|fb\.com|fb\.me|twitter\.com|x\.com|wa\.me|"
                 r"tiktok\.com|youtube\.com|linkedin\.com|dzen\.ru|max\.ru|viber\.click")
_PROFILE_URL = re.compile(rf"(?<![\w.])(?:https?://)?(?:www\.|m\.)?(?:{_SOCIAL_HOSTS})/[^\s,;!?()\[\]«»\"']+",
                          re.IGNORECASE)
_AT_HANDLE = re.compile(r"(?<![\w@.+-])@(?=[\w.]*[^\W\d_])[A-Za-z0-9_][A-Za-z0-9_.]{1,31}(?<!\.)(?![\w@])")

_CARD = re.compile(r"(?<![\w.,+-])[2-6]\d{3}(?:[ \-\u00a0]?\d){9,15}(?![\w]|[.,]\d)")
_CARD_MASKED = re.compile(r"(?<![\w])\d{4}[ \-]?\d{0,2}[*xX•]{2,}(?:[ \-]?[*xX•]{2,}){0,3}[ \-]?\d{4}(?![\w])")
# a Russian bank account of a person (20 digits, balance accounts 40817/40820/423…)
_ACCOUNT = re.compile(r"(?<![\w.,-])(?:408(?:17|20)|423\d\d)\d{15}(?![\w]|[.,]\d)")
_SNILS = re.compile(r"(?<![\w.,-])\d{3}[- ]\d{3}[- ]\d{3}[- ]\d{2}(?![\w]|[.,-]\d)")
_SNILS_CUE = re.compile(r"(?:СНИЛС|SNILS)\W{0,5}(\d{3}[- ]?\d{3}[- ]?\d{3}[- ]?\d{2})(?!\d)", re.IGNORECASE)
_INN_CUE = re.compile(r"(?:ИНН|INN|TIN)\W{0,5}(\d{10}|\d{12})(?!\d)", re.IGNORECASE)
_PASSPORT_CUE = re.compile(
    r"(?:паспорт\w*|passport)\D{0,25}?(?:сери[ия]\s*)?(\d{2}\s?\d{2})\s*(?:№|N|номер|no\.?)?\s*(\d{6})(?!\d)",
    re.IGNORECASE)


# "заказ № 4000123412341234", "order #2023456789012", "трек-номер …": a number named as an order,
# invoice or parcel number is not a card or a phone
ORDER_CUE = re.compile(r"(?:заказ\w*|order|№|#|артикул\w*|накладн\w*|трек\w*(?:[- ]номер\w*)?|tracking(?: number)?|"
                       r"invoice|чек\w*|receipt|sku|barcode|штрих-?код\w*)\W{0,3}(?:№|#|no\.?|nr\.?)?\s*$",
                       re.IGNORECASE)


def named_as_order(text: str, start: int) -> bool:
    """The number starting at ``start`` follows an order / invoice / tracking cue."""
    return bool(ORDER_CUE.search(text[max(0, start - 30):start]))


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check of a card number (python-stdnum's ``luhn``).

    Examples
    --------
    >>> luhn_valid("4111111111111111"), luhn_valid("4111111111111112")
    (True, False)
    """
    from stdnum import luhn

    return bool(digits.isdigit() and luhn.is_valid(digits))


def snils_valid(digits: str) -> bool:
    """SNILS check digits: Σ digit × (9 − position) over the first nine digits, then mod 101
    (100 and 101 give 00), as published by the Pension Fund of Russia.

    Examples
    --------
    >>> snils_valid("11223344595"), snils_valid("11223344596")
    (True, False)
    """
    if len(digits) != 11 or not digits.isdigit():
        return False
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits[:9]))
    check = total if total < 100 else (0 if total in (100, 101) else total % 101)
    check = 0 if check == 100 else check
    return f"{check:02d}" == digits[9:]


def inn_valid(digits: str) -> bool:
    """Russian taxpayer number (10 digits for a company, 12 for a person) with valid check
    digits (python-stdnum's ``ru.inn``).

    Examples
    --------
    >>> inn_valid("7707083893"), inn_valid("7707083894")
    (True, False)
    """
    from stdnum.ru import inn

    return bool(inn.is_valid(digits))


def _only_digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def pattern_spans(text: str) -> list[tuple[str, int, int]]:
    """Disguised e-mails, handles, cards and documents in ``text``: ``(kind, start, end)``, no overlaps.

    ``kind`` is ``"email"``, ``"handle"``, ``"card"`` or ``"document"``.

    Examples
    --------
    >>> t = "пишите ivan[at]yandex.ru или @ivan_petrov, карта 4111 1111 1111 1111, заказ 123456"
    >>> [(k, t[a:b]) for k, a, b in pattern_spans(t)]
    [('email', 'ivan[at]yandex.ru'), ('handle', '@ivan_petrov'), ('card', '4111 1111 1111 1111')]
    """
    found: list[tuple[str, int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if not any(s < end and start < e for _, s, e in found):
            found.append((kind, start, end))

    for rx in (_EMAIL_BRACKET, _EMAIL_SOBAKA, _EMAIL_AT_WORD, _EMAIL_SPACED):
        for m in rx.finditer(text):
            add("email", m.start(), m.end())
    for m in _PROFILE_URL.finditer(text):
        add("handle", m.start(), m.end())
    for m in _AT_HANDLE.finditer(text):
        add("handle", m.start(), m.end())
    for rx in (_SNILS_CUE, _INN_CUE):
        for m in rx.finditer(text):
            digits = _only_digits(m.group(1))
            if (snils_valid if rx is _SNILS_CUE else inn_valid)(digits):
                add("document", m.start(1), m.end(1))
    for m in _SNILS.finditer(text):
        if snils_valid(_only_digits(m.group())):
            add("document", m.start(), m.end())
    for m in _ACCOUNT.finditer(text):
        add("document", m.start(), m.end())
    for m in _PASSPORT_CUE.finditer(text):
        add("document", m.start(1), m.end(2))
    for m in _CARD.finditer(text):
        digits = _only_digits(m.group())
        if not 13 <= len(digits) <= 19 or named_as_order(text, m.start()):
            continue
        grouping = _card_grouping(m.group())
        # printed like a card (4-4-4-4 with separators): a card even with a typo in a digit;
        # one run of digits: only when the Luhn check passes
        if grouping == "printed" or (grouping == "run" and luhn_valid(digits)) or (grouping and luhn_valid(digits)):
            add("card", m.start(), m.end())
    for m in _CARD_MASKED.finditer(text):
        add("card", m.start(), m.end())
    return sorted(found, key=lambda x: x[1])


def _card_grouping(raw: str) -> str:
    """``"run"`` (one run of digits), ``"printed"`` (4-4-4-4 or 4-6-5 groups, as on a card),
    ``"groups"`` (other card-like groupings) or ``""`` (not grouped like a card)."""
    groups = re.split(r"[ \-\u00a0]", raw)
    if len(groups) == 1:
        return "run"
    if len({c for c in raw if not c.isdigit()}) != 1:
        return ""
    sizes = [len(g) for g in groups]
    if sizes in ([4, 4, 4, 4], [4, 6, 5]):
        return "printed"
    return "groups" if sizes in ([4, 6, 4], [4, 4, 4, 4, 3], [4, 4, 4, 4, 2], [4, 4, 4, 1], [4, 4, 4, 3],
                                 [4, 4, 4, 2], [4, 4, 4, 4, 1]) else ""
