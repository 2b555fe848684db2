"""The currency of the amounts, read from a currency column when an export has one.

cxlab adds amounts up (revenue, RFM monetary value, lifetime value), which is only right when
they are in one currency. An export with a currency column («Валюта», ``currency``) says which:
one currency is taken as the currency of the report; several are refused, naming them, rather
than added together as if they were one.
"""

from __future__ import annotations

import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["CURRENCY_HEADERS", "amounts_currency"]

#: headers (folded) of a column naming each amount's currency
CURRENCY_HEADERS = ("currency", "currency code", "ccy", "curr", "валюта", "код валюты", "валюта платежа",
                    "валюта операции")
_SYMBOLS = {"₽": "RUB", "РУБ": "RUB", "РУБ.": "RUB", "Р": "RUB", "Р.": "RUB", "RUR": "RUB", "$": "USD", "€": "EUR",
            "£": "GBP", "¥": "JPY", "₸": "KZT", "₴": "UAH", "ДОЛЛ": "USD", "ЕВРО": "EUR"}


def amounts_currency(table: pd.DataFrame | None, file: str = "the transactions") -> str | None:
    """The one currency of the amounts, from a currency column; ``None`` when there is no such column.

    Examples
    --------
    >>> t = pd.DataFrame({"amount": [10.0, 5.0], "Валюта": ["руб.", "RUB"]})
    >>> amounts_currency(t)
    'RUB'
    >>> amounts_currency(pd.DataFrame({"amount": [1.0, 2.0], "currency": ["USD", "EUR"]}), "orders.csv")
    Traceback (most recent call last):
    ...
    cxlab.errors.CXLabError: orders.csv, column 'currency': the amounts are in 2 currencies (EUR ×1, USD ×1), and cxlab adds amounts up, so they must be in one. What to do: convert the amounts to one currency in the export, or keep the rows of one currency, then run again.
    """
    if table is None or not isinstance(table, pd.DataFrame):
        return None
    column = next((c for c in table.columns if " ".join(str(c).lower().replace("_", " ").split()) in CURRENCY_HEADERS),
                  None)
    if column is None:
        return None
    codes = table[column].dropna().astype(str).str.strip().str.upper()
    codes = codes[codes != ""].map(lambda v: _SYMBOLS.get(v, v))
    counts = codes.value_counts()
    if len(counts) == 0:
        return None
    if len(counts) > 1:
        said = ", ".join(f"{code} ×{n:,}" for code, n in sorted(counts.items()))
        raise CXLabError(f"the amounts are in {len(counts)} currencies ({said}), and cxlab adds amounts up, so they "
                         "must be in one", file=file, column=str(column),
                         fix="convert the amounts to one currency in the export, or keep the rows of one currency, "
                             "then run again")
    return str(counts.index[0])
