"""Write a company's data the way Russian CRMs and survey platforms export it.

A demo company of another size and seed (:func:`cxlab.datasets.make_demo`) is written as
cp1251 files with `;` separators, Russian headers, dd.mm.yyyy dates, decimal commas and
non-breaking-space thousands, under Russian file names — the shape of a real client
folder, so tests can run ``cxlab report --data`` on it and check that the reports are
about these files and not about the demo company.

Run ``python tests/data/own/make_export_folder.py DEST`` to write one by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from cxlab.datasets import make_demo

FILES = {"customers": "Клиенты CRM.csv", "transactions": "продажи_2024-2025.csv",
         "survey_responses": "опрос NPS.csv", "interactions": "обращения.csv",
         "employee_survey": "сотрудники eNPS.csv"}

HEADERS = {
    "customers": {"customer_id": "Код клиента", "name": "ФИО", "email": "Электронная почта", "phone": "Телефон",
                  "signup_date": "Дата регистрации", "region": "Город", "birth_year": "Год рождения"},
    "transactions": {"transaction_id": "Номер чека", "customer_id": "Код клиента", "timestamp": "Дата покупки",
                     "amount": "Сумма, руб", "category": "Категория товара", "price_tier": "Ценовой сегмент",
                     "channel": "Канал продаж"},
    "survey_responses": {"response_id": "Номер анкеты", "customer_id": "Код клиента",
                         "email": "Электронная почта", "phone": "Телефон", "submitted_at": "Дата заполнения",
                         "channel": "Канал контакта", "likelihood_to_recommend": "Оценка NPS",
                         "csat": "Удовлетворенность", "ces": "Оценка усилий", "attr_quality": "Качество",
                         "attr_assortment": "Ассортимент", "attr_price": "Цена", "attr_staff": "Персонал",
                         "attr_delivery": "Доставка", "stated_frequency": "Частота покупок",
                         "stated_price_tier": "Обычный ценовой сегмент",
                         "stated_favourite_category": "Любимая категория",
                         "stated_repurchase_intent": "Намерение купить", "comment": "Комментарий"},
    "interactions": {"interaction_id": "Номер обращения", "channel": "Канал обращения", "platform": "Платформа",
                     "timestamp": "Дата обращения", "customer_id": "Код клиента", "name": "ФИО",
                     "email": "Электронная почта", "phone": "Телефон", "handle": "Аккаунт", "topic": "Тема",
                     "wait_seconds": "Время ожидания", "handle_seconds": "Время обработки",
                     "resolved": "Вопрос решен", "csat": "Удовлетворенность", "agent_message": "Ответ оператора"},
    "employee_survey": {"employee_id": "Табельный номер", "department": "Отдел", "submitted_at": "Дата",
                        "likelihood_to_recommend": "Оценка", "comment": "Комментарий"},
}


def _ru_number(v: float) -> str:
    if pd.isna(v):
        return ""
    whole, frac = f"{float(v):,.2f}".split(".")
    return whole.replace(",", "\u00a0") + "," + frac


def _ru_frame(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for col, header in HEADERS[table].items():
        if col not in frame.columns:
            continue
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            fmt = "%d.%m.%Y" if col == "signup_date" else "%d.%m.%Y %H:%M"
            out[header] = s.dt.strftime(fmt).fillna("")
        elif col in ("amount", "wait_seconds", "handle_seconds"):
            out[header] = s.map(_ru_number)
        elif col == "resolved":
            out[header] = s.map({True: "да", False: "нет"}).fillna("")
        else:
            out[header] = s.astype(object).where(s.notna(), "")
    return out


def write_exports(folder: str | Path, *, n_customers: int = 600, seed: int = 7,
                  tables: Iterable[str] = tuple(FILES)) -> dict[str, Path]:
    """Write the chosen tables of a demo company (size ``n_customers``, ``seed``) as Russian exports."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    demo = make_demo(n_customers, seed)
    written = {}
    # another company: the demo's brand name in agents' messages and comments becomes this one's
    brand = {"Терруар": "Ромашка", "Terroir": "Romashka"}
    for table in tables:
        frame = _ru_frame(getattr(demo, table), table)
        for col in frame.columns:
            if frame[col].dtype == object:
                for a, b in brand.items():
                    frame[col] = frame[col].map(lambda v, a=a, b=b: v.replace(a, b) if isinstance(v, str) else v)
        path = folder / FILES[table]
        with open(path, "w", encoding="cp1251", errors="replace", newline="") as fh:
            frame.to_csv(fh, sep=";", index=False, lineterminator="\r\n")
        written[table] = path
    return written


if __name__ == "__main__":
    for t, p in write_exports(sys.argv[1]).items():
        print(t, p)
