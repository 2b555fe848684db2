"""The language of generated text: message catalogs, plural forms and number formatting.

Every sentence, title, table label and page heading that cxlab writes for a reader goes
through this module. English is the source language: a message is written in English in
the code (``_("NPS is {value}")``) and, in another language, looked up in a gettext
catalog (``cxlab/findings/locale/<lang>.po``), read with Babel when first needed — no
compile step, and the ``.po`` files are the standard format translators' tools edit.
Plural forms follow the catalog's ``Plural-Forms`` header (for Russian the CLDR rule:
1 ответ, 2 ответа, 5 ответов, 11 ответов, 21 ответ), numbers follow the language's CLDR
conventions through Babel (Russian: decimal comma, no-break space between thousands,
"−" for minus).

The language is chosen once for a notebook or a report (:func:`set_language`, or
temporarily with :func:`use_language`) and read by the findings and deliverable writers; a
data value from the user's file (their own channel or category names) never passes
through a catalog.

Examples
--------
>>> msg = ("{n} answer without a {grouping} is left out of the comparison.",
...        "{n} answers without a {grouping} are left out of the comparison.")
>>> with use_language("ru"):
...     for n in (1, 2, 5, 21):
...         print(ngettext(*msg, n).format(n=n, grouping="канал"))
...     fmt_number(12345.678, 1)
1 ответ без значения «канал» не вошёл в сравнение.
2 ответа без значения «канал» не вошли в сравнение.
5 ответов без значения «канал» не вошли в сравнение.
21 ответ без значения «канал» не вошёл в сравнение.
'12\xa0345,7'
>>> print(ngettext(*msg, 5).format(n=5, grouping="channel"))
5 answers without a channel are left out of the comparison.
"""

from __future__ import annotations

import contextlib
import gettext
import io
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from cxlab.errors import CXLabError

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "set_language", "get_language", "use_language", "check_language",
           "_", "N_", "NP_", "ngettext", "translate", "fmt_number", "fmt_decimal", "fmt_date", "noun_phrase"]

#: Languages of generated text: code -> name.
LANGUAGES = {"en": "English", "ru": "Russian (русский)"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


class _Active:
    """The active language: a process-wide setting (a notebook kernel runs each cell in a fresh context, so a
    context variable set in one cell would be lost in the next)."""

    def __init__(self) -> None:
        self.code = DEFAULT_LANGUAGE

    def get(self) -> str:
        return self.code


_active = _Active()


def check_language(lang: str | None) -> str:
    """The language code, or a :class:`~cxlab.errors.CXLabError` listing the available ones.

    Examples
    --------
    >>> check_language("RU"), check_language(None)
    ('ru', 'en')
    """
    code = (DEFAULT_LANGUAGE if lang is None else str(lang)).strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise CXLabError(f"language {lang!r} is not available for generated text",
                         fix="use one of: " + ", ".join(f"{k} ({v})" for k, v in LANGUAGES.items()))
    return code


def set_language(lang: str | None) -> str:
    """Write generated text in ``lang`` from now on; returns the code."""
    code = check_language(lang)
    _active.code = code
    return code


def get_language() -> str:
    """The language generated text is written in now."""
    return _active.get()


@contextlib.contextmanager
def use_language(lang: str | None) -> Iterator[str]:
    """Write generated text in ``lang`` inside a ``with`` block."""
    before, _active.code = _active.code, check_language(lang)
    try:
        yield _active.code
    finally:
        _active.code = before


@lru_cache(maxsize=None)
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(LOCALE_DIR / f"{lang}.po", "rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """``message`` in the active language (itself in English or when the catalog lacks it)."""
    lang = _active.get()
    return message if lang == "en" else _catalog(lang).gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it now (translated where it is shown)."""
    return message


translate = _


def NP_(context: str, message: str) -> str:
    """Mark a message with a context (e.g. ``"value"`` for vocabulary values) for the catalog."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the count ``n`` in the active language (its plural rules)."""
    lang = _active.get()
    if lang == "en":
        return singular if n == 1 else plural
    return _catalog(lang).ngettext(singular, plural, int(n))


def fmt_number(value: float, digits: int = 0, *, group: bool = True) -> str:
    """A number with ``digits`` decimals in the active language's style.

    English: ``12,345.7`` (``group=False``: ``12345.7``) and ``-3.5``; Russian: ``12 345,7``
    (no-break space) and ``−3,5``.

    Examples
    --------
    >>> fmt_number(12345.678, 1), fmt_number(-3.456, 2, group=False)
    ('12,345.7', '-3.46')
    """
    lang = _active.get()
    v = float(value)
    if lang == "en":
        return f"{v:,.{digits}f}" if group else f"{v:.{digits}f}"
    from babel.numbers import format_decimal

    pattern = ("#,##0" if group else "0") + ("." + "0" * digits if digits > 0 else "")
    text = format_decimal(round(v, digits) + 0.0, format=pattern, locale=lang, decimal_quantization=True)
    return text.replace("-", "−")


def fmt_date(value) -> str:
    """A date written out: ``31 December 1997`` in English, ``31 декабря 1997 г.`` in Russian (CLDR, Babel).

    Examples
    --------
    >>> import datetime
    >>> with use_language("ru"):
    ...     print(fmt_date(datetime.date(1997, 12, 31)).replace("\u202f", " "))
    31 декабря 1997 г.
    """
    lang = _active.get()
    if lang == "en":
        return f"{value:%-d %B %Y}"
    from babel.dates import format_date

    return format_date(value, format="long", locale=lang)


def fmt_decimal(value: float, digits: int = 2) -> str:
    """A number without thousands grouping (means on a scale, coefficients)."""
    return fmt_number(value, digits, group=False)


# Russian nouns for the grouping columns a sentence names ("3 канала"); other columns read as groups.
_RU_NOUNS = {"channel": "канал", "country": "страна", "region": "регион", "store": "магазин", "shop": "магазин",
             "department": "отдел", "city": "город", "segment": "сегмент", "team": "команда", "product": "продукт",
             "brand": "бренд", "branch": "филиал", "office": "офис", "site": "площадка", "market": "рынок",
             "tier": "уровень", "category": "категория", "platform": "платформа", "agent": "оператор",
             "language": "язык", "group": "группа", "answer": "ответ", "response": "ответ", "customer": "клиент",
             "respondent": "респондент", "person": "человек", "pair": "пара", "cell": "ячейка",
             "point": "пункт", "period": "период", "week": "неделя", "month": "месяц", "quarter": "квартал",
             "year": "год", "day": "день", "record": "запись", "purchase": "покупка", "comment": "комментарий"}
_CASES = {"nom": "nomn", "gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "loc": "loct"}


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=4096)
def _ru_inflect(word: str, n: int | None, case: str, plural: bool) -> str:
    parse = _morph().parse(word)[0]
    gram = {_CASES[case]}
    if n is None:
        gram.add("plur" if plural else "sing")
        form = parse.inflect(gram)
    else:
        form = parse.inflect(gram)
        form = form.make_agree_with_number(abs(int(n))) if form is not None else None
    return form.word if form is not None else word


def noun_phrase(noun: str, n: int | None = None, *, case: str = "nom", plural: bool | None = None) -> str:
    """A known noun (``"channel"``, ``"answer"``...) in the active language, agreed with ``n`` or in a case.

    In Russian the word is declined with pymorphy3 (``case`` is ``nom``, ``gen``, ``dat``,
    ``acc``, ``ins`` or ``loc``) and agreed with the number the CLDR way; in English it is the
    noun, plural unless ``n == 1``. The number itself is not included.

    Examples
    --------
    >>> with use_language("ru"):
    ...     print(noun_phrase("channel", 2), noun_phrase("channel", 5), noun_phrase("channel", 21, case="gen"),
    ...           noun_phrase("channel", case="gen", plural=True))
    канала каналов канала каналов
    """
    many = (n != 1) if plural is None else plural
    if _active.get() == "en":
        return noun + ("s" if many and not noun.endswith("s") else "")
    ru = _RU_NOUNS.get(noun, noun)
    if ru == noun and not any("а" <= ch <= "я" for ch in noun.lower()):
        return noun
    return _ru_inflect(ru, None if n is None else int(n), case, many if n is None else False)
