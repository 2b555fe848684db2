"""The demo's words: survey comments whose themes differ between detractors and promoters
(English and Russian), and agents' replies (curt and off-brand in one channel).
"""

from __future__ import annotations

import numpy as np

from cxlab.datasets._people import _format_phone, _translit
from cxlab.datasets._spec import BRAND_VOICE_OFF_CHANNEL, COMPANY


# ---------------------------------------------------------------------------------------
# Verbatim templates (theme -> sentences), English and Russian
# ---------------------------------------------------------------------------------------
_NEGATIVE = {
    "delivery": (["Доставка опоздала на три дня", "Курьер так и не приехал в назначенное время",
                  "Заказ доставили с опозданием, коробка была помята", "Ждал доставку больше недели"],
                 ["Delivery was three days late", "The courier never showed up in the time slot",
                  "My order arrived late and the box was damaged", "Waited over a week for delivery"]),
    "price": (["Цены выше, чем у конкурентов", "Слишком дорого для такого качества",
               "Цены выросли, скидок почти нет"],
              ["Prices are higher than elsewhere", "Too expensive for what you get",
               "Prices went up and there are hardly any discounts"]),
    "waiting": (["Долго ждал ответа оператора на линии", "Полчаса на телефоне, никто не ответил",
                 "Дозвониться невозможно, всё время занято"],
                ["Kept on hold for ages on the phone", "Half an hour waiting on the line",
                 "Impossible to get through to anyone"]),
    "staff": (["Продавец был груб и не захотел помочь", "Консультант хамил", "Персонал невежливый"],
              ["The shop assistant was rude and unhelpful", "Staff were impolite", "The agent was rude to me"]),
    "quality": (["Вино оказалось испорченным", "Сыр был несвежий", "Качество товара разочаровало"],
                ["The wine was corked", "The cheese was not fresh", "Quality was disappointing"]),
    "assortment": (["Мало выбора, любимого вина нет в наличии", "Ассортимент стал беднее"],
                   ["Not much choice, my favourite wine is out of stock", "The selection has got smaller"]),
}
_POSITIVE = {
    "assortment": (["Отличный выбор вин", "Огромный ассортимент, всегда нахожу что-то новое",
                    "Прекрасный выбор сыров и деликатесов"],
                   ["Great selection of wines", "Huge choice, always something new to try",
                    "Wonderful range of cheeses and delicacies"]),
    "staff": (["Сомелье дал отличный совет", "Очень внимательный и вежливый персонал",
               "Консультант помог подобрать вино к ужину"],
              ["The sommelier gave great advice", "Very friendly and helpful staff",
               "The assistant helped me pick a wine for dinner"]),
    "quality": (["Качество всегда на высоте", "Вино отличного качества", "Свежие и качественные продукты"],
                ["Quality is always excellent", "Excellent quality wines", "Fresh, high-quality products"]),
    "delivery": (["Быстрая доставка, всё аккуратно упаковано", "Привезли в тот же день"],
                 ["Fast delivery, everything well packed", "Delivered the same day"]),
    "price": (["Хорошие цены и приятные скидки", "Цены разумные"],
              ["Good prices and nice discounts", "Fair prices"]),
}
_NEUTRAL = (["В целом нормально", "Неплохо, но есть что улучшить", "Обычный магазин"],
            ["It's ok overall", "Fine, but could be better", "Nothing special"])
_ATTR_THEME = {"attr_quality": "quality", "attr_assortment": "assortment", "attr_price": "price",
               "attr_staff": "staff", "attr_delivery": "delivery"}


def _comments(rng, ltr, ratings, phone, lang_ru, cust, rc) -> np.ndarray:
    n = ltr.size
    out = np.empty(n, dtype=object)
    has = rng.random(n) < 0.7
    rmat = np.column_stack([np.nan_to_num(ratings[a], nan=3.0) for a in _ATTR_THEME])
    attrs = list(_ATTR_THEME)
    jitter = rng.random(rmat.shape) * 0.5  # ties broken at random, not by column order
    worst = (rmat + jitter).argmin(axis=1)
    best = (rmat + jitter).argmax(axis=1)
    for i in np.flatnonzero(has & ~np.isnan(ltr)):
        li = 0 if lang_ru[i] else 1
        if ltr[i] <= 6:
            theme = "waiting" if phone[i] and rng.random() < 0.6 else _ATTR_THEME[attrs[worst[i]]]
            text = rng.choice(_NEGATIVE[theme][li])
        elif ltr[i] >= 9:
            theme = _ATTR_THEME[attrs[best[i]]]
            text = rng.choice(_POSITIVE[theme][li])
        else:
            text = rng.choice(_NEUTRAL[li])
        u = rng.random()
        if u < 0.03:  # personal data left in the comment (must be redacted in reports)
            contact = _format_phone(cust["digits"].iloc[rc[i]], int(rng.integers(0, 6)))
            text += (f". Перезвоните мне: {contact}" if li == 0 else f". Call me back on {contact}")
        elif u < 0.05:
            text += (f". Пишите на {cust['email'].iloc[rc[i]]}" if li == 0
                     else f". Write to {cust['email'].iloc[rc[i]]}")
        out[i] = text
    return out
_AGENTS = ["Мария", "Ольга", "Игорь", "Светлана", "Денис", "Алина"]


def _agent_message(rng, channel: str, first: str, ru: bool) -> str:
    agent = rng.choice(_AGENTS)
    if channel == BRAND_VOICE_OFF_CHANNEL:  # planted: curt, off-brand replies
        if ru:
            return str(rng.choice(["ок, щас гляну", "ну так бывает)) ждите", "пишите в лс!!!",
                                   "не знаю, звоните в магазин", "ага, передам 👍"]))
        return str(rng.choice(["ok will check", "happens lol, just wait", "dm us!!!",
                               "no idea, call the shop", "yep, passing it on 👍"]))
    if ru:
        body = rng.choice(["Спасибо за обращение, уже проверяем ваш заказ.",
                           "Благодарим, что написали нам. Мы всё уладим в течение дня.",
                           "Спасибо, что обратились! Подскажем с выбором с удовольствием."])
        return f"Здравствуйте, {first}! {body} С уважением, {agent}, «{COMPANY}»."
    body = rng.choice(["Thank you for contacting us, we are checking your order now.",
                       "Thanks for getting in touch. We will sort this out today.",
                       "Thank you for reaching out! We are happy to help you choose."])
    return f"Hello {first}, {body} Kind regards, {_translit(agent)}, Terroir."
