"""Finding personal columns by their content, and a safe view of a table to show.

Headers are not trusted: a column called "Contact", «Моб. телефон» or «ФИО клиента» is
recognised by what its values look like. Each column gets one kind:

``email``, ``phone``, ``name``, ``handle`` (``@user``, profile links), ``contact`` (a mix of those),
``card`` (bank card numbers), ``document`` (SNILS, INN, passport numbers)
    contact details and personal numbers: dropped by :func:`safe_view`.
``id``
    customer or record ids: pseudonymised by :func:`safe_view`. Recognised by the canonical
    id columns (``customer_id``, ``response_id``, ...), by a header that says "id"/«код»/«номер»,
    or by content: short codes with digits, nearly all distinct (``C000123``, ``000123``).
``text``
    free text (comments, agent messages): redacted of e-mails, phones and names.
``other``
    everything else: kept as it is.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["column_kinds", "personal_columns", "safe_view", "CONTACT_KINDS"]

CONTACT_KINDS = ("email", "phone", "name", "handle", "contact", "card", "document")
_SAMPLE = 300
_SHARE = 0.2  # a column with at least this share of contact values is a contact column

_ID_COLUMNS = {"customer_id", "response_id", "interaction_id", "transaction_id", "employee_id", "order_id",
               "client_id", "user_id", "account_id", "contact_id", "person_id", "member_id", "card_id",
               "loyalty_card", "card_number"}
_ID_HEADER = re.compile(r"(?:^|[\W_])(?:id|ид|uid|guid|uuid|код|номер|no|nr|num|number|№)(?:$|[\W_])|_id$|^id",
                        re.IGNORECASE)
_EMAIL_FULL = re.compile(r"^\s*[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\s*$", re.UNICODE)
_HANDLE = re.compile(r"^\s*@[\w.]{2,}\s*$")
_CODE = re.compile(r"^[^\W_]{0,6}[-_/.]?\d{3,}[^\W_]{0,3}$|^[0-9a-fA-F-]{16,}$")
_PHONE_CHARS = re.compile(r"^[\d\s()+\-.]{7,}$")
_WORDS = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _sample(series: pd.Series) -> list[str]:
    values = series.dropna()
    if values.empty:
        return []
    uniq = pd.unique(values.astype(object))
    if len(uniq) > _SAMPLE:
        rng = np.random.default_rng(0)
        uniq = uniq[rng.choice(len(uniq), _SAMPLE, replace=False)]
    return [str(v).strip() for v in uniq if str(v).strip()]


def _is_phone(value: str) -> bool:
    from cxlab.privacy.redaction import _DIGITS, _phone_spans

    digits = len(_DIGITS.findall(value))
    if not 10 <= digits <= 15:
        return False
    if _PHONE_CHARS.match(value):
        return True
    spans = _phone_spans(value, "RU")
    covered = sum(e - s for s, e in spans)
    return covered >= 0.7 * len(value.strip())


def _pattern_kind(value: str) -> str | None:
    """``"card"``, ``"document"`` or ``"handle"`` when the value is (nearly) all one such number or link."""
    from cxlab.privacy.patterns import pattern_spans

    spans = pattern_spans(value)
    if len(spans) == 1:
        kind, a, b = spans[0]
        if kind != "email" and b - a >= 0.8 * len(value.strip()):
            return kind
    return None


def _name_share(values: list[str]) -> float:
    """Share of values that are a person's name (1–4 words, found as a name by the name finder)."""
    from cxlab.privacy.names import name_spans_many

    cand = [v for v in values
            if 1 <= len(_WORDS.findall(v)) <= 4 and len(v) <= 80 and not any(ch.isdigit() for ch in v)]
    if not cand:
        return 0.0
    hits = 0
    for v, spans in zip(cand, name_spans_many(cand, ner=False)):
        covered = sum(e - s for s, e in spans)
        letters = sum(len(w) for w in _WORDS.findall(v))
        if covered >= 0.6 * len(v) or (letters and covered >= letters * 0.6):
            hits += 1
    return hits / len(values)


def _kind(name, series: pd.Series) -> str:
    header = str(name)
    if header.lower() in _ID_COLUMNS:
        return "id"
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
        return "other"
    if pd.api.types.is_float_dtype(series):
        return "other"
    values = _sample(series)
    if not values:
        return "other"
    n = len(values)
    if pd.api.types.is_integer_dtype(series):
        if sum(_is_phone(v) for v in values) / n >= 0.5:
            return "phone"
        if sum(_pattern_kind(v) == "card" for v in values) / n >= 0.5:
            return "card"
        return "id" if _ID_HEADER.search(header) else "other"
    emails = sum(bool(_EMAIL_FULL.match(v)) for v in values) / n
    phones = sum(_is_phone(v) for v in values) / n
    patterns = [_pattern_kind(v) for v in values]
    for kind in ("card", "document"):
        if patterns.count(kind) / n >= 0.5:
            return kind
    handles = sum(bool(_HANDLE.match(v)) or p == "handle" for v, p in zip(values, patterns)) / n
    names = _name_share([v for v in values if not (_EMAIL_FULL.match(v) or _HANDLE.match(v))]) * (
        sum(not (_EMAIL_FULL.match(v) or _HANDLE.match(v)) for v in values) / n)
    shares = {"email": emails, "phone": phones, "handle": handles, "name": names}
    best = max(shares, key=shares.get)
    present = [k for k, v in shares.items() if v >= 0.05]
    if shares[best] >= 0.5 and len(present) == 1:
        return best
    if sum(shares.values()) >= 0.5 and len(present) >= 2:
        return "contact"  # a mix: e-mails, phones, handles and names in one column
    if shares[best] >= 0.5:
        return best
    if emails + phones + handles >= _SHARE:
        return "contact"  # a column where many values are contact details
    words = np.array([len(v.split()) for v in values])
    if np.median(words) >= 3 or np.mean([len(v) for v in values]) >= 30:
        return "text"
    codes = sum(bool(_CODE.match(v)) for v in values) / n
    distinct = series.dropna().nunique() / max(series.notna().sum(), 1)
    if (codes >= 0.9 and distinct >= 0.5) or (_ID_HEADER.search(header) and codes >= 0.5):
        return "id"
    return "other"


def column_kinds(df: pd.DataFrame) -> dict:
    """The kind of every column, judged by content (see the module notes).

    Returns
    -------
    dict
        Column name -> ``"email"``, ``"phone"``, ``"name"``, ``"handle"``, ``"contact"``,
        ``"card"``, ``"document"``, ``"id"``, ``"text"`` or ``"other"``, in the table's column order.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Contact": ["John Smith", "Анна Петрова", "Emma Walker"],
    ...                    "Моб. телефон": ["8 912 345 67 89", "+7 (903) 111-22-33", "89261234567"],
    ...                    "Отзыв": ["Очень быстрая доставка, спасибо", "Всё хорошо, буду заказывать ещё",
    ...                              "Курьер опоздал на два часа"],
    ...                    "Город": ["Москва", "Казань", "Москва"]})
    >>> column_kinds(df)
    {'Contact': 'name', 'Моб. телефон': 'phone', 'Отзыв': 'text', 'Город': 'other'}
    """
    if not isinstance(df, pd.DataFrame):
        raise CXLabError(f"expected a table (DataFrame), got {type(df).__name__}", fix="pass a pandas DataFrame")
    return {c: _kind(c, df[c]) for c in df.columns}


def personal_columns(df: pd.DataFrame) -> list:
    """Columns holding personal data (contact details or ids), found by content.

    Returns
    -------
    list
        Names of the columns whose kind is a contact kind (e-mail, phone, name, handle, mixed
        contact) or ``id``, in the table's order. Free-text columns are not listed: they are
        kept and redacted by :func:`safe_view`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"E-mail клиента": ["a@b.ru", "c@d.com"], "Сумма": [10.5, 20.0],
    ...                    "ФИО клиента": ["Иванов Пётр Сергеевич", "Смирнова Анна"]})
    >>> personal_columns(df)
    ['E-mail клиента', 'ФИО клиента']
    """
    return [c for c, k in column_kinds(df).items() if k in CONTACT_KINDS or k == "id"]


def safe_view(df: pd.DataFrame, *, key: str | bytes, known_names=None, drop: str = "contacts") -> pd.DataFrame:
    """A copy of a table that is safe to show: ids pseudonymised, contacts dropped, text redacted.

    Call it before displaying or exporting any rows of a user's table.

    Parameters
    ----------
    df
        Any table (canonical or not; headers are not trusted).
    key
        The pseudonymisation key (:func:`cxlab.privacy.resolve_key`).
    known_names
        Names from the user's own tables (:func:`cxlab.privacy.known_names`); the names found in
        ``df``'s own name columns are added.
    drop
        ``"contacts"`` (default) drops contact columns; ``"ids"`` drops id columns too.

    Returns
    -------
    pandas.DataFrame
        Same rows and index; id columns replaced by pseudonyms (``P`` + 12 hex), e-mail /
        phone / name / handle / mixed contact columns removed, free-text columns (and columns of
        short, mostly distinct phrases) redacted of e-mails, phones and names, other text columns
        (labels such as a city) redacted of e-mails and phones.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxlab.privacy import DEMO_KEY
    >>> df = pd.DataFrame({"customer_id": ["000123", "000124"], "Contact": ["John Smith", "Emma Walker"],
    ...                    "comment": ["Emma was very helpful, thanks", "Call me: 8 912 345 67 89 please"]})
    >>> safe_view(df, key=DEMO_KEY)
         customer_id                          comment
    0  P6e142b76f07b  [name] was very helpful, thanks
    1  P38d00e933638          Call me: [phone] please
    """
    from cxlab.privacy.names import KnownNames
    from cxlab.privacy.pseudonyms import pseudonymise
    from cxlab.privacy.redaction import redact

    if drop not in ("contacts", "ids"):
        raise CXLabError(f"drop must be 'contacts' or 'ids', got {drop!r}", fix="e.g. drop='contacts'")
    kinds = column_kinds(df)
    own = [str(v) for c, k in kinds.items() if k == "name" for v in pd.unique(df[c].dropna().astype(object))]
    if known_names is None:
        known = KnownNames(own)
    else:
        base = known_names if isinstance(known_names, KnownNames) else KnownNames(
            [known_names] if isinstance(known_names, str) else known_names)
        extra = KnownNames(own)
        known = KnownNames()
        known.words = base.words | extra.words
        known.lemmas = base.lemmas | extra.lemmas
    out = df.copy()
    for c, k in kinds.items():
        if k in CONTACT_KINDS or (k == "id" and drop == "ids"):
            out = out.drop(columns=[c])
        elif k == "id":
            out[c] = pseudonymise(out[c], key=key)
        elif k == "text":
            out[c] = redact(out[c], known_names=known)
        elif _is_text_dtype(out[c]):
            col = out[c]
            if isinstance(col.dtype, pd.CategoricalDtype):
                red = redact(pd.Series(col.cat.categories.astype(object)), names=False)
                if list(red) != list(col.cat.categories):
                    out[c] = redact(col.astype(object), names=False)
            else:
                # Short phrases ("Спасибо Анне") are redacted of names too, when the column's values are
                # mostly distinct; single words (a city such as «Владимир») and repeated labels only of
                # e-mails and phones.
                present = col.dropna()
                varied = len(present) > 0 and present.nunique() / len(present) >= 0.5
                phrase = col.astype(object).map(lambda v: isinstance(v, str) and len(v.split()) >= 2)
                red = redact(col, names=False)
                if varied and phrase.any():
                    red = red.astype(object).where(~phrase, redact(col.astype(object), known_names=known))
                    if isinstance(col.dtype, pd.StringDtype):
                        red = red.astype(col.dtype)
                out[c] = red
    return out


def _is_text_dtype(series: pd.Series) -> bool:
    return (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)
            or isinstance(series.dtype, pd.CategoricalDtype))
