"""Finding the canonical tables in a folder of exports by their file names (English or Russian words).

Re-exported by :mod:`cxlab.loader` (``cxlab.loader.FILE_WORDS`` and ``cxlab.loader.find_tables``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from cxlab.errors import CXLabError

__all__ = ["find_tables", "FILE_WORDS", "DATA_SUFFIXES"]

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")

#: Words in a file name that say which table it holds (lower case; Russian stems match word starts).
#: Edit to taste: ``cxlab.loader.FILE_WORDS["transactions"].append("чеки_розница")``.
FILE_WORDS: dict[str, list[str]] = {
    "employee_survey": ["employee", "employees", "enps", "staff", "сотрудник", "персонал", "enps"],
    "survey_responses": ["survey", "surveys", "responses", "response", "nps", "csat", "answers", "feedback",
                         "опрос", "анкет", "ответ", "отзыв"],
    "transactions": ["transactions", "transaction", "purchases", "purchase", "orders", "order", "sales",
                     "receipts", "payments", "покупк", "продаж", "заказ", "чек", "транзакц", "операци", "платеж", "платёж",
                     "выписк"],
    "interactions": ["interactions", "interaction", "contacts", "tickets", "calls", "chats", "обращени",
                     "звонк", "тикет", "контакт"],
    "customers": ["customers", "customer", "clients", "client", "crm", "клиент", "покупател"],
}
_LATIN_EXACT = re.compile(r"^[a-z]+$")
_PARAM = {"customers": "customers_path", "transactions": "transactions_path", "survey_responses": "survey_path",
          "interactions": "interactions_path", "employee_survey": "employee_path"}


def _words(stem: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-zа-яё]+", stem.lower().replace("ё", "е")) if w]


def _matches(word: str, key: str) -> bool:
    # Latin words are matched whole ("order" must not match "border"); Russian keys are stems.
    return word == key if _LATIN_EXACT.match(key) else word.startswith(key)


# The most specific first: "employee_survey" also says "survey", "customer_survey" also says "customer",
# "client_orders" also says "client".
_MATCH_ORDER = ("employee_survey", "survey_responses", "interactions", "transactions", "customers")


def _table_of(path: Path) -> str | None:
    words = _words(path.stem)
    for table in _MATCH_ORDER:
        if any(_matches(w, k) for w in words for k in FILE_WORDS[table]):
            return table
    return None


def find_tables(data_dir: str | os.PathLike, *, given: Sequence[str] = ()) -> tuple[dict[str, Path], list[Path]]:
    """Which file in ``data_dir`` holds which table.

    Returns
    -------
    found, unused
        ``found`` maps a table name to its file; ``unused`` lists data files whose name
        says no table (pass them explicitly, e.g. ``survey_path=...``). Tables in ``given``
        (passed as explicit files) are not looked for: their candidates count as unused.

    Raises
    ------
    CXLabError
        When the folder does not exist, or two files claim the same table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for f in ["Продажи 2024.csv", "nps_wave3.xlsx", "notes.txt", "~$nps_wave3.xlsx"]:
    ...     _ = (d / f).write_text("x")
    >>> found, unused = find_tables(d)
    >>> {k: v.name for k, v in found.items()}, [p.name for p in unused]
    ({'survey_responses': 'nps_wave3.xlsx', 'transactions': 'Продажи 2024.csv'}, ['notes.txt'])
    """
    folder = Path(data_dir).expanduser()
    if not folder.is_dir():
        raise CXLabError(f"the data folder {folder} does not exist" if not folder.exists()
                         else f"{folder} is a file, not a folder", file=str(folder),
                         fix="pass data_dir (cxlab report --data) the folder that holds your exports")
    candidates = sorted(p for p in folder.iterdir()
                        if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                        and not p.name.startswith((".", "~$")))
    claims: dict[str, list[Path]] = {}
    unused = []
    for p in candidates:
        t = _table_of(p)
        if t is None:
            unused.append(p)
        else:
            claims.setdefault(t, []).append(p)
    for t, paths in claims.items():
        if t in given:  # an explicit file for this table: the folder's candidates are simply not used
            unused.extend(paths)
            continue
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            raise CXLabError(f"{len(paths)} files in {folder} look like the {t} table: {names}",
                             file=str(folder),
                             fix=f"keep one of them in the folder, or name the file to use with {_PARAM[t]}= "
                                 f"(cxlab report: -p {_PARAM[t]} FILE)")
    found = {t: claims[t][0] for t in sorted(claims) if t not in given}
    return found, unused
