"""Synthetic people for the demo: Russian and English names, regions, and the e-mails and
phones written the many ways real exports write them.
"""

from __future__ import annotations

import numpy as np


# ---------------------------------------------------------------------------------------
# Names, e-mails and phones
# ---------------------------------------------------------------------------------------
_RU_MALE = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл",
            "Михаил", "Никита", "Матвей", "Роман", "Егор", "Иван", "Павел", "Олег", "Владимир"]
_RU_FEMALE = ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Екатерина", "Татьяна", "Ирина", "Светлана",
              "Юлия", "Анастасия", "Дарья", "Ксения", "Полина", "Виктория", "Марина", "Алина"]
_RU_SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
                "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
                "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин"]
_EN_FIRST = ["John", "Emma", "Oliver", "Sophie", "James", "Laura", "Daniel", "Julia", "Thomas", "Anna",
             "Mark", "Sarah", "Peter", "Claire"]
_EN_LAST = ["Smith", "Brown", "Taylor", "Wilson", "Müller", "Schmidt", "Martin", "Bernard", "Rossi",
            "Jensen", "Novak", "Walker"]
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
))
_REGIONS = ("Москва", "Санкт-Петербург", "Екатеринбург", "Казань", "Новосибирск", "Нижний Новгород", "Краснодар")
_REGION_P = np.array([0.38, 0.20, 0.10, 0.09, 0.08, 0.08, 0.07])
_REGION_RESPONSE = np.array([1.35, 1.1, 0.9, 0.85, 0.8, 0.8, 0.75])  # Moscow answers surveys more often
_DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru")


def _translit(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        t = _TRANSLIT.get(low, low)
        out.append(t.capitalize() if ch != low and t else t)
    return "".join(out)


def _format_phone(digits10: str, style: int) -> str:
    """Format the 10 national digits of a Russian mobile number in one of six styles."""
    a, b, c, d = digits10[:3], digits10[3:6], digits10[6:8], digits10[8:]
    return [
        f"+7 ({a}) {b}-{c}-{d}",
        f"8{digits10}",
        f"8 {a} {b} {c} {d}",
        f"+7{digits10}",
        f"7-{a}-{b}-{c}-{d}",
        f"8 ({a}) {b}{c}{d}",
    ][style]


def _noisy_email(email: str, rng: np.random.Generator) -> str:
    u = rng.random()
    if u < 0.25:
        return email.upper()
    if u < 0.5:
        local, _, dom = email.partition("@")
        return local.capitalize() + "@" + dom.capitalize()
    if u < 0.75:
        return f"  {email} "
    return email
