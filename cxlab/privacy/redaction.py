"""Redacting e-mails, phones, person names and other contact data in free text (verbatims, agent messages).

Phones are found with Google's ``phonenumbers`` matcher (Russian +7 / 8 formats by default,
international numbers with a ``+``), so ``+7 (912) 345-67-89``, ``8 912 345 67 89``,
``89123456789`` and ``+44 20 7946 0958`` are all caught, while dates, times and prices are left
alone. Person names are found by :mod:`cxlab.privacy.names` (Russian morphology, Latin name
lists, Natasha's NER, cues, and the names in the user's own tables). Disguised e-mails
(``name[at]domain.ru``, ``имя собака mail.ru``), social handles and profile links, bank card
numbers (Luhn-checked) and Russian document numbers (SNILS, INN, passport) are found by
:mod:`cxlab.privacy.patterns`, before the phone matcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from cxlab.errors import CXLabError
from cxlab.privacy.names import NAME_TOKEN, KnownNames, name_spans_many
from cxlab.privacy.patterns import CARD_TOKEN, DOCUMENT_TOKEN, HANDLE_TOKEN, named_as_order, pattern_spans

__all__ = ["EMAIL_TOKEN", "PHONE_TOKEN", "NAME_TOKEN", "CARD_TOKEN", "HANDLE_TOKEN", "DOCUMENT_TOKEN", "redact_text",
           "redact", "contains_pii", "find_pii", "known_names"]

EMAIL_TOKEN = "[email]"
PHONE_TOKEN = "[phone]"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])", re.UNICODE)
_DIGITS = re.compile(r"\d")
_DATE_LIKE = re.compile(r"(?<!\d)(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}[-./]\d{1,2}[-./]\d{1,2})(?!\d)")
# a fallback for long digit runs the matcher rejects (e.g. numbers with unusual grouping)
_LONG_NUMBER = re.compile(r"(?<![\w])\+?\d(?:[\s\-().]{0,2}\d){9,14}(?![\w])")


# 1 234 567 890 (digits grouped by thousands): an amount, not a phone
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+(?:[.,]\d{1,2})?$")


def _glued(text: str, start: int, end: int) -> bool:
    """The digits are part of a Latin code (a pseudonym "P6249708830ab", an order "ORD1234567890"); a
    number glued to Russian text («тел89123456789») is still a phone."""
    def code_char(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    return (start > 0 and code_char(text[start - 1])) or (end < len(text) and code_char(text[end]))


def _phone_spans(text: str, region: str) -> list[tuple[int, int]]:
    if len(_DIGITS.findall(text)) < 7:
        return []
    import phonenumbers

    spans = []
    for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        if _DATE_LIKE.search(m.raw_string) or len(_DIGITS.findall(m.raw_string)) < 10:
            continue  # dates, times and short numbers (prices, order counts) are not phones
        if _glued(text, m.start, m.end) or _THOUSANDS.match(m.raw_string) or named_as_order(text, m.start):
            continue
        spans.append((m.start, m.end))
    for m in _LONG_NUMBER.finditer(text):
        if _THOUSANDS.match(m.group()) or named_as_order(text, m.start()):
            continue
        if not any(s <= m.start() < e for s, e in spans) and not _DATE_LIKE.search(m.group()):
            digits = len(_DIGITS.findall(m.group()))
            if 10 <= digits <= 15:
                spans.append((m.start(), m.end()))
    return sorted(spans)


def _known(known_names) -> KnownNames | None:
    if known_names is None:
        return None
    if isinstance(known_names, KnownNames):
        return known_names
    if isinstance(known_names, str):
        known_names = [known_names]
    return KnownNames(known_names)


_TOKENS = {"email": EMAIL_TOKEN, "handle": HANDLE_TOKEN, "card": CARD_TOKEN, "document": DOCUMENT_TOKEN}
_ALL_TOKENS = (EMAIL_TOKEN, PHONE_TOKEN, NAME_TOKEN, CARD_TOKEN, HANDLE_TOKEN, DOCUMENT_TOKEN)


def _contact_spans(text: str, region: str) -> tuple[str, list[tuple[str, str]]]:
    """E-mails, then disguised e-mails, handles, cards and documents, then phones.

    Returns the text with each replaced by its default token and the list of ``(kind, found text)``.
    """
    found: list[tuple[str, str]] = [("email", m.group()) for m in _EMAIL.finditer(text)]
    out = _EMAIL.sub(EMAIL_TOKEN, text)
    spans = pattern_spans(out)
    found.extend((kind, out[a:b]) for kind, a, b in spans)
    for kind, a, b in reversed(spans):
        out = out[:a] + _TOKENS[kind] + out[b:]
    phones = _phone_spans(out, region)
    found.extend(("phone", out[a:b]) for a, b in phones)
    for a, b in reversed(phones):
        out = out[:a] + PHONE_TOKEN + out[b:]
    return out, found


def _contacts_redacted(text: str, email: str, phone: str, region: str) -> str:
    out, _ = _contact_spans(text, region)
    if email != EMAIL_TOKEN:
        out = out.replace(EMAIL_TOKEN, email)
    if phone != PHONE_TOKEN:
        out = out.replace(PHONE_TOKEN, phone)
    return out


def _mask_tokens(text: str, extra: tuple[str, ...] = ()) -> str:
    """Placeholders must not be read as words by the name finder: blank them out."""
    for token in (*_ALL_TOKENS, *extra):
        text = text.replace(token, "\x00" * len(token))
    return text


def _redact_many(texts: list[str], *, email: str, phone: str, name: str, region: str, names: bool,
                 known: KnownNames | None) -> list[str]:
    stage = [_contacts_redacted(t, email, phone, region) for t in texts]
    if not names:
        return stage
    # placeholders must not be read as words: mask them with a neutral character first
    masked = [_mask_tokens(t, (email, phone)) for t in stage]
    out = []
    for t, spans in zip(stage, name_spans_many(masked, known=known)):
        for start, end in reversed(spans):
            t = t[:start] + name + t[end:]
        out.append(t)
    return out


def redact_text(text: str, *, email: str = EMAIL_TOKEN, phone: str = PHONE_TOKEN, name: str = NAME_TOKEN,
                region: str = "RU", names: bool = True, known_names: Iterable[str] | KnownNames | None = None
                ) -> str:
    """Replace e-mail addresses, phone numbers, person names, handles, cards and documents in one string.

    Disguised e-mails (``name[at]domain.ru``) become ``[email]``; social handles and profile
    links ``[handle]``; bank card numbers ``[card]``; SNILS, INN and passport numbers
    ``[document]`` (see :mod:`cxlab.privacy.patterns`).

    Parameters
    ----------
    text
        Free text.
    email, phone, name
        Placeholders put in their place.
    region
        Default region for numbers written without a country code (``"RU"``: ``8 912 …``).
    names
        Also redact person names (Russian and English; see :mod:`cxlab.privacy.names`).
    known_names
        Full names from the user's own tables (customers, contacts), e.g. from
        :func:`known_names`: their words are always redacted, in any case or inflection.

    Returns
    -------
    str
        The text with every e-mail, phone and name replaced.

    Examples
    --------
    >>> redact_text("Пишите на anna.petrova@mail.ru или звоните 8 (912) 345-67-89")
    'Пишите на [email] или звоните [phone]'
    >>> redact_text("Меня зовут Иванов Пётр Сергеевич. С уважением, Анна")
    'Меня зовут [name]. С уважением, [name]'
    >>> redact_text("John Smith here, call me")
    '[name] here, call me'
    >>> redact_text("ivan (at) yandex dot ru, tg @ivan_petrov, карта 4276-3800-0000-0001")
    '[email], tg [handle], карта [card]'
    """
    if not isinstance(text, str):
        raise CXLabError(f"expected text, got {type(text).__name__}", fix="pass a string (or use redact() on a column)")
    return _redact_many([text], email=email, phone=phone, name=name, region=region, names=names,
                        known=_known(known_names))[0]


def redact(values, *, email: str = EMAIL_TOKEN, phone: str = PHONE_TOKEN, name: str = NAME_TOKEN,
           region: str = "RU", names: bool = True, known_names: Iterable[str] | KnownNames | None = None):
    """Redact e-mails, phones and person names in a string, a list or a Series of texts.

    Missing values stay missing; a Series keeps its index, name and dtype. Each distinct text
    is processed once, and the name finder runs in batches, so a column of thousands of
    comments takes seconds.

    Parameters
    ----------
    values
        A string, a list or a Series of texts.
    email, phone, name, region, names, known_names
        As in :func:`redact_text`.

    Returns
    -------
    str, list or pandas.Series
        Same shape as the input.

    Examples
    --------
    >>> redact(["write to a@b.ru", "иван петров звонил", None])
    ['write to [email]', '[name] звонил', None]
    """
    known = _known(known_names)
    if isinstance(values, str):
        return _redact_many([values], email=email, phone=phone, name=name, region=region, names=names,
                            known=known)[0]
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    present = series.dropna()
    uniq = [str(t) for t in pd.unique(present.astype(object))]
    mapping = dict(zip(uniq, _redact_many(uniq, email=email, phone=phone, name=name, region=region,
                                          names=names, known=known)))
    if not isinstance(values, pd.Series):
        return [t if _isna(t) else mapping[str(t)] for t in series.tolist()]
    out = series.map(lambda t: mapping.get(str(t), t) if not _isna(t) else t)
    if isinstance(values.dtype, pd.StringDtype):
        out = out.astype(values.dtype)
    return out.rename(values.name)


def _isna(v) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def contains_pii(values, *, region: str = "RU", names: bool = True,
                 known_names: Iterable[str] | KnownNames | None = None) -> pd.Series:
    """Whether each text still contains an e-mail address, a phone number or a person name.

    Examples
    --------
    >>> contains_pii(["ok", "call 89123456789", "С уважением, Анна", "[name] помог"]).tolist()
    [False, True, True, False]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    known = _known(known_names)
    present = series.dropna()
    uniq = [str(t) for t in pd.unique(present.astype(object))]
    flags = {}
    masked = []
    for t in uniq:
        flags[t] = bool(_contact_spans(t, region)[1])
        masked.append(_mask_tokens(t))
    if names:
        for t, spans in zip(uniq, name_spans_many(masked, known=known)):
            flags[t] = flags[t] or bool(spans)
    return series.map(lambda t: False if _isna(t) else flags[str(t)]).astype(bool)


def find_pii(text: str, *, region: str = "RU", names: bool = True,
             known_names: Iterable[str] | KnownNames | None = None) -> list[tuple[str, str]]:
    """The e-mails, phones and person names found in a text, e.g. a whole report, to check a deliverable.

    Parameters
    ----------
    text
        Any text (strip HTML tags first, e.g. ``re.sub(r"<[^>]+>", " ", html)``; long texts are
        scanned line by line).
    region, names, known_names
        As in :func:`redact_text`.

    Returns
    -------
    list of (kind, found text)
        ``kind`` is ``"email"``, ``"phone"``, ``"name"``, ``"handle"``, ``"card"`` or
        ``"document"``; empty when the text is clean.

    Examples
    --------
    >>> find_pii("NPS +32 (n = 412). Пишите на anna@mail.ru. С уважением, Анна. Holm-adjusted p < 0.001")
    [('email', 'anna@mail.ru'), ('name', 'Анна')]
    """
    if not isinstance(text, str):
        raise CXLabError(f"expected text, got {type(text).__name__}", fix="pass a string")
    found: list[tuple[str, str]] = []
    lines = [ln for ln in text.splitlines() if ln.strip()]
    masked = []
    for line in lines:
        clean, hits = _contact_spans(line, region)
        found.extend(hits)
        masked.append(_mask_tokens(clean))
    if names:
        for line, spans in zip(masked, name_spans_many(masked, known=_known(known_names))):
            found.extend(("name", line[a:b]) for a, b in spans)
    return found


def known_names(*tables: pd.DataFrame, columns: Iterable[str] | None = None) -> KnownNames:
    """The person names held in the user's own tables (customers, contacts), for redaction.

    Name columns are found by content (:func:`cxlab.privacy.personal_columns`), whatever their
    header; ``columns`` names them explicitly instead.

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({"ФИО клиента": ["Петрова Анна", "Козлов Игорь Павлович"]})
    >>> redact_text("Спасибо, что позвонили, козлов", known_names=known_names(customers))
    'Спасибо, что позвонили, [name]'
    """
    from cxlab.privacy.columns import column_kinds

    values: list[str] = []
    for table in tables:
        if table is None:
            continue
        cols = list(columns) if columns is not None else [c for c, k in column_kinds(table).items() if k == "name"]
        for c in cols:
            if c in table.columns:
                values.extend(str(v) for v in pd.unique(table[c].dropna().astype(object)))
    return KnownNames(values)
