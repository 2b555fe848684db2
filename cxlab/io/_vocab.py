"""Editable vocabularies used by the readers: header aliases, channel and label maps,
non-response codes.

These are plain module-level dictionaries and sets. A user whose exports use other
words can extend them for a whole session (``cxlab.io.COLUMN_ALIASES["survey_responses"]
["likelihood_to_recommend"].append("Готовность рекомендовать")``) or pass
``columns=`` / ``channel_map=`` / ``value_maps=`` to :func:`cxlab.io.read` for one call.
Keys are compared after :func:`normalise_label` (case, spaces, dashes, ``ё``).
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "COLUMN_ALIASES",
    "CHANNEL_MAP",
    "VALUE_MAPS",
    "NON_RESPONSE",
    "BOOL_MAP",
    "normalise_label",
]

_SPACE = re.compile(r"[\s_\-‐‑‒–—/]+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")


def normalise_label(text: object) -> str:
    """Fold a header or label for dictionary look-up.

    Lower case, ``ё`` → ``е``, BOM and surrounding quotes removed, runs of spaces,
    underscores, hyphens, dashes and slashes collapsed to one space.

    >>> normalise_label("  Call-Центр ")
    'call центр'
    """
    if isinstance(text, str):
        return _normalise_str(text)
    return _normalise_str(str(text))


@functools.lru_cache(maxsize=65536)
def _normalise_str(text: str) -> str:
    s = _INVISIBLE.sub("", text).replace("\u00a0", " ").strip().strip("\"'«»").casefold().replace("ё", "е")
    return _SPACE.sub(" ", s).strip()


_ID_WORDS = ["id", "идентификатор", "код", "номер"]

#: Header aliases per canonical table: ``{table: {canonical column: [aliases]}}``.
#: The canonical name itself always matches and need not be listed.
COLUMN_ALIASES: dict[str, dict[str, list[str]]] = {
    "customers": {
        "customer_id": ["ID клиента", "клиент id", "код клиента", "номер клиента", "id", "client id",
                        "customer id", "customer", "клиент", "номер карты", "card number", "crm id", "карта", "карта лояльности", "номер карты лояльности", "дисконтная карта", "loyalty card", "loyalty card number"],
        "name": ["ФИО", "имя", "full name", "customer name", "имя клиента", "клиент фио"],
        "email": ["e-mail", "mail", "электронная почта", "почта", "email address", "эл почта", "e-mail клиента",
                  "email клиента", "почта клиента", "адрес электронной почты"],
        "phone": ["телефон", "тел", "тел.", "мобильный", "мобильный телефон", "phone number", "mobile",
                  "номер телефона"],
        "signup_date": ["дата регистрации", "дата", "registration date", "signup", "joined", "date",
                        "дата вступления"],
        "region": ["регион", "город", "city", "region/city"],
        "birth_year": ["год рождения", "year of birth", "birth year", "born"],
    },
    "transactions": {
        "transaction_id": ["ID транзакции", "номер чека", "чек", "номер заказа", "заказ", "order id", "order",
                           "receipt", "receipt id", "id"],
        "customer_id": ["ID клиента", "клиент id", "код клиента", "номер клиента", "client id", "customer id",
                        "customer", "клиент", "номер карты", "card number",
                        "карта", "карта лояльности", "номер карты лояльности", "дисконтная карта", "loyalty card", "loyalty card number"],
        "timestamp": ["дата", "дата и время", "время", "дата покупки", "дата заказа", "дата операции",
                      "дата транзакции", "дата платежа", "дата чека", "дата продажи", "date", "datetime",
                      "purchase date", "order date", "transaction date", "time"],
        "amount": ["сумма", "сумма покупки", "сумма заказа", "сумма, руб", "сумма руб", "итого", "выручка",
                   "total", "sum", "revenue", "value", "amount rub",
                   "dollar_value", "dollar value", "dollars", "sales", "spend", "order value", "order total",
                   "purchase amount", "amount usd", "amount eur"],
        "category": ["категория", "категория товара", "product category", "группа товаров"],
        "price_tier": ["ценовой сегмент", "ценовая категория", "price segment", "tier"],
        "channel": ["канал", "канал продаж", "sales channel", "source", "источник"],
    },
    "survey_responses": {
        "response_id": ["ID ответа", "номер анкеты", "анкета", "id анкеты", "response id", "response", "responseid",
                        "respondent id", "id респондента", "id"],
        "customer_id": ["ID клиента", "клиент id", "код клиента", "номер клиента", "client id", "customer id",
                        "customer", "клиент", "номер карты",
                        "карта", "карта лояльности", "номер карты лояльности", "дисконтная карта", "loyalty card", "loyalty card number"],
        "email": ["e-mail", "mail", "электронная почта", "почта", "email address", "эл почта", "e-mail клиента",
                  "email клиента", "почта клиента"],
        "phone": ["телефон", "тел", "тел.", "мобильный", "мобильный телефон", "phone number", "mobile",
                  "номер телефона", "телефон клиента"],
        "submitted_at": ["дата", "дата ответа", "дата заполнения", "дата и время", "время", "date",
                         "submitted", "submission date", "timestamp", "completed", "completed at", "end date",
                         "submitdate", "enddate", "submitted at"],
        "channel": ["канал", "канал обращения", "канал контакта", "channel of contact", "touchpoint",
                    "точка контакта"],
        "likelihood_to_recommend": ["оценка", "nps", "оценка nps", "nps оценка", "ltr", "рекомендация",
                                    "готовность рекомендовать", "вероятность рекомендации",
                                    "likelihood to recommend", "recommend", "how likely to recommend", "score",
                                    "nps score", "оценка рекомендации"],
        "csat": ["удовлетворенность", "оценка удовлетворенности", "satisfaction", "csat score"],
        "ces": ["усилия", "оценка усилий", "customer effort", "effort", "ces score"],
        "attr_quality": ["качество", "quality"],
        "attr_assortment": ["ассортимент", "assortment", "choice", "selection"],
        "attr_price": ["цена", "цены", "price", "value for money"],
        "attr_staff": ["персонал", "сотрудники", "staff"],
        "attr_delivery": ["доставка", "delivery"],
        "stated_frequency": ["частота покупок", "как часто покупаете", "purchase frequency", "frequency"],
        "stated_price_tier": ["ценовой сегмент", "обычный ценовой сегмент", "price tier", "usual price tier"],
        "stated_favourite_category": ["любимая категория", "favourite category", "favorite category"],
        "stated_repurchase_intent": ["намерение купить", "повторная покупка", "repurchase intent",
                                     "intent to repurchase"],
        "comment": ["комментарий", "комментарии", "отзыв", "почему", "почему такая оценка", "открытый ответ",
                    "comments", "verbatim", "feedback", "why", "reason", "why?", "почему?", "комментарий:"],
        "weight": ["вес", "weight factor", "survey weight"],
    },
    "employee_survey": {
        "employee_id": ["Табельный номер", "ID сотрудника", "код сотрудника", "сотрудник", "employee",
                        "employee id", "personnel number", "id"],
        "department": ["Отдел", "подразделение", "департамент", "служба", "team", "dept", "division"],
        "submitted_at": ["дата", "дата заполнения", "дата ответа", "date", "submitted", "timestamp"],
        "likelihood_to_recommend": ["оценка", "enps", "оценка enps", "готовность рекомендовать", "score",
                                    "recommend", "nps"],
        "comment": ["комментарий", "комментарии", "comments", "open answer"],
    },
    "interactions": {
        "interaction_id": ["ID обращения", "номер обращения", "обращение", "contact id", "ticket", "ticket id",
                           "case id", "id"],
        "channel": ["канал", "канал обращения", "source", "источник"],
        "platform": ["платформа", "сеть", "network"],
        "timestamp": ["дата", "дата и время", "время", "дата обращения", "date", "datetime", "created",
                      "created at", "start"],
        "customer_id": ["ID клиента", "код клиента", "номер клиента", "client id", "customer id", "клиент"],
        "name": ["имя", "фио", "contact name"],
        "email": ["e-mail", "mail", "электронная почта", "почта", "эл почта", "e-mail клиента", "email клиента",
                  "почта клиента"],
        "phone": ["телефон", "тел", "тел.", "phone number", "номер телефона", "мобильный", "мобильный телефон",
                  "телефон клиента"],
        "handle": ["ник", "аккаунт", "username", "user", "account"],
        "topic": ["тема", "тематика", "причина обращения", "reason", "subject"],
        "wait_seconds": ["ожидание, сек", "время ожидания", "wait", "wait time", "wait sec"],
        "handle_seconds": ["длительность, сек", "время обработки", "handle time", "aht", "duration"],
        "resolved": ["решено", "решен", "вопрос решен", "fcr", "solved"],
        "csat": ["оценка", "удовлетворенность", "satisfaction"],
        "agent_message": ["ответ оператора", "ответ", "сообщение оператора", "reply", "agent reply", "message"],
    },
}

#: Source channel labels → canonical channel (:data:`cxlab.schema.CHANNELS`).
CHANNEL_MAP: dict[str, str] = {
    # store
    "магазин": "store", "розница": "store", "офлайн": "store", "оффлайн": "store", "shop": "store",
    "retail": "store", "offline": "store", "бутик": "store", "точка продаж": "store", "in store": "store",
    "офис": "store", "отделение": "store", "филиал": "store", "салон": "store", "branch": "store",
    "office": "store", "офис продаж": "store",
    # web
    "сайт": "web", "интернет магазин": "web", "интернет-магазин": "web", "онлайн": "web", "web shop": "web",
    "webshop": "web", "website": "web", "site": "web", "online": "web", "e commerce": "web",
    "ecommerce": "web", "приложение": "web", "app": "web", "mobile app": "web",
    "мобильное приложение": "web", "интернет банк": "web", "интернет-банк": "web", "личный кабинет": "web",
    "мобильный банк": "web", "онлайн банк": "web", "internet banking": "web", "online banking": "web",
    "mobile banking": "web", "лк": "web",
    # phone
    "кц": "phone", "колл центр": "phone", "call центр": "phone", "call center": "phone",
    "call centre": "phone", "callcenter": "phone", "контакт центр": "phone", "контактный центр": "phone",
    "телефон": "phone", "звонок": "phone", "горячая линия": "phone", "телефония": "phone", "calls": "phone",
    "call": "phone", "hotline": "phone",
    # chat
    "чат": "chat", "онлайн чат": "chat", "чат на сайте": "chat", "web chat": "chat", "webchat": "chat",
    "live chat": "chat", "livechat": "chat", "чат бот": "chat", "чатбот": "chat", "бот": "chat",
    "chatbot": "chat", "chat bot": "chat", "bot": "chat",
    # email
    "почта": "email", "e mail": "email", "электронная почта": "email", "письмо": "email", "mail": "email",
    "емейл": "email", "имейл": "email",
    # social
    "vk": "social", "вк": "social", "вконтакте": "social", "vkontakte": "social", "facebook": "social",
    "fb": "social", "instagram": "social", "insta": "social", "инстаграм": "social", "фейсбук": "social",
    "соцсети": "social", "социальные сети": "social", "social media": "social", "ok": "social",
    "одноклассники": "social", "соцсеть": "social", "соц сети": "social",
    # messenger
    "viber": "messenger", "вайбер": "messenger", "telegram": "messenger", "телеграм": "messenger",
    "tg": "messenger", "whatsapp": "messenger", "ватсап": "messenger", "вотсап": "messenger",
    "мессенджер": "messenger", "мессенджеры": "messenger", "messengers": "messenger",
}

#: Labels of the other closed vocabularies → canonical value, per canonical column.
VALUE_MAPS: dict[str, dict[str, str]] = {
    "price_tier": {
        "эконом": "budget", "бюджетный": "budget", "бюджет": "budget", "низкий": "budget", "low": "budget",
        "economy": "budget", "cheap": "budget",
        "средний": "mid", "середина": "mid", "medium": "mid", "middle": "mid", "mid range": "mid",
        "премиум": "premium", "премиальный": "premium", "высокий": "premium", "high": "premium",
        "luxury": "premium", "люкс": "premium",
    },
    "stated_frequency": {
        "реже раза в квартал": "less_than_quarterly", "реже": "less_than_quarterly",
        "реже чем раз в квартал": "less_than_quarterly", "несколько раз в год": "less_than_quarterly",
        "less than quarterly": "less_than_quarterly", "rarely": "less_than_quarterly",
        "less often": "less_than_quarterly",
        "раз в квартал": "quarterly", "ежеквартально": "quarterly", "every quarter": "quarterly",
        "раз в месяц": "monthly", "ежемесячно": "monthly", "every month": "monthly", "once a month": "monthly",
        "раз в неделю": "weekly", "еженедельно": "weekly", "every week": "weekly", "once a week": "weekly",
        "чаще раза в неделю": "weekly",
    },
}
VALUE_MAPS["stated_price_tier"] = VALUE_MAPS["price_tier"]

#: Explicit non-response codes in answer columns (compared after normalise_label).
NON_RESPONSE: set[str] = {
    "n/a", "n a", "na", "nan", "none", "null", "-", "--", ".", "?", "dk", "don't know", "dont know",
    "do not know", "no answer", "not applicable", "prefer not to say", "refused", "skip", "skipped",
    "затрудняюсь ответить", "затрудняюсь", "не знаю", "нет ответа", "без ответа", "отказ",
    "не применимо", "неприменимо", "н/д", "н д", "нд", "не могу оценить", "не хочу отвечать",
    "#n a", "#н д", "нет данных",
}

#: Truth values for boolean columns.
BOOL_MAP: dict[str, bool] = {
    "true": True, "false": False, "yes": True, "no": False, "y": True, "n": False, "1": True, "0": False,
    "1.0": True, "0.0": False, "да": True, "нет": False, "д": True, "истина": True, "ложь": False,
    "t": True, "f": False, "решено": True, "не решено": False, "+": True,
}
