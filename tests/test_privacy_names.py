"""Tests for person-name redaction (cxlab.privacy.names / redact): recall on planted names, precision on
product, place and brand words, known names from the user's tables, speed-relevant batching.

The planted sets are built here from name lists written for this test (Russian and English, with and
without patronymic, any case and order); a second Russian set comes from Faker's ru_RU name generator,
which the Russian detector does not use (it relies on pymorphy3's OpenCorpora dictionary and Natasha's
NER), so that set is held out. English names come from lists that overlap the Faker lists the detector
uses for Latin script: their recall measures the rules (order, case, cues), not the coverage of the lists.
"""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from cxlab.privacy import KnownNames, contains_pii, known_names, redact, redact_text

RU_FIRST_M = ["Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Илья", "Михаил", "Никита", "Роман", "Егор",
              "Иван", "Павел", "Олег", "Владимир", "Тимур", "Глеб", "Фёдор", "Ярослав"]
RU_FIRST_F = ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Екатерина", "Татьяна", "Ирина", "Светлана", "Юлия",
              "Дарья", "Ксения", "Полина", "Вера", "Людмила", "Галина"]
RU_LAST = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
           "Фёдоров", "Морозов", "Волков", "Лебедев", "Козлов", "Зайцев", "Белов", "Тихонов", "Григорьев"]
RU_PATR_M = ["Сергеевич", "Иванович", "Петрович", "Александрович", "Дмитриевич", "Олегович"]
RU_PATR_F = ["Сергеевна", "Ивановна", "Петровна", "Александровна", "Дмитриевна", "Олеговна"]
EN_FIRST = ["John", "Emma", "Oliver", "Sophie", "James", "Laura", "Daniel", "Julia", "Thomas", "Sarah", "Peter",
            "Claire", "Michael", "Jessica", "David", "Rachel", "Kevin", "Hannah"]
EN_LAST = ["Smith", "Brown", "Taylor", "Wilson", "Johnson", "Walker", "Harris", "Clarke", "Lewis", "Robinson",
           "Wright", "Thompson", "Hughes", "Edwards", "Green", "Hall", "Wood", "Turner"]
RU_TEMPLATES = ["Меня зовут {n}, заказ до сих пор не пришёл", "С уважением, {n}",
                "Спасибо {n} за помощь с выбором вина",
                "Оператор {n} был очень вежлив", "Звонил {n}, никто не перезвонил", "{n}. Доставка опоздала на три дня",
                "Курьер {n} приехал вовремя", "Передайте {n}, что всё понравилось",
                "Консультант {n} посоветовал отличный сыр", "Жалоба от {n}: товар испорчен"]
EN_TEMPLATES = ["My name is {n}, my order never arrived", "Kind regards, {n}", "Thanks to {n} for the help",
                "{n} here, the wine was corked", "The agent {n} was rude to me", "Please ask {n} to call me back",
                "Best regards, {n}", "Spoke to {n} twice, still no refund", "{n} recommended a great cheese",
                "Hello, this is {n}"]

# Sentences without any person name: products (wine and cheese), places, brands, and ordinary words
# that are also first names. Precision is measured on them.
NON_NAMES = [
    "Купил Шато Марго и Пино Нуар, оба отличные", "Каберне Совиньон из Чили понравился", "Бри и Камамбер были свежими",
    "Пармезан закончился, а Горгонзола была горькой", "Просекко и Шампанское к празднику", "Мерло урожая 2019 года",
    "The Pinot Noir was excellent", "Great Chardonnay and a decent Merlot", "Chateau Margaux was worth every penny",
    "Brie, Camembert and Gouda all fresh", "Bought a Rioja Reserva and some Manchego",
    "The Sauvignon Blanc was too sweet",
    "Риоха и Кьянти по акции", "Рислинг был слишком сладким", "Мальбек из Аргентины", "Херес и Портвейн в подарок",
    "Доставка в Москву заняла неделю", "Живу в Санкт-Петербурге, доставили быстро", "Заказ из Казани пришёл вовремя",
    "В Екатеринбурге нет вашего магазина", "Доставка в Королёв и Пушкин платная", "Магазин в Нижнем Новгороде закрыт",
    "Привезли в Тверь и Орёл без проблем", "Shipping to London took ages", "Ordered from Paris, arrived in Berlin",
    "The shop in Florence was lovely", "Delivery to Sydney and Houston is slow", "Магазин на Невском проспекте лучший",
    "В Краснодаре и Новосибирске цены выше", "Курьер в Кирове опоздал", "Доставка в Калининград стоит дорого",
    "Заказывал через Яндекс Доставку", "Оплатил картой Сбербанка", "Приложение Терруар постоянно зависает",
    "Лучше чем в Ароматном мире и ВинЛабе", "Ozon и Wildberries доставляют быстрее", "The Terroir app keeps crashing",
    "Paid with Apple Pay, works fine", "Cheaper on Amazon than here", "Telegram bot did not answer",
    "Пишу в Телеграм, а ответа нет", "Отличный выбор вин", "Будем заказывать ещё!", "Will order again next month",
    "May I get a refund?", "Grace period for returns is too short", "Hope you fix the website",
    "Спасибо за быстрый ответ", "Вера в ваш магазин потеряна", "Надежда на скидку не оправдалась",
    "Любовь к вашим сырам навсегда", "Роман с вашим магазином окончен", "Сомелье дал отличный совет",
    "Продавец был груб", "Служба поддержки не отвечает", "Customer service was great", "Excellent quality wines",
    "Mark the order as urgent please", "Frank opinion: prices are too high", "P.S. Thanks for the wine",
    "Т.е. доставка плохая", "Магазин на ул. Ленина закрыт", "Заказ № 12345 от 14.03.2025",
]


def _fem(last: str) -> str:
    return last + "а"


def planted(seed: int = 7, n: int = 400) -> list[tuple[str, str]]:
    """(text, name) pairs: Cyrillic and Latin, with and without patronymic, any case and order."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        if rng.random() < 0.6:
            fem = rng.random() < 0.5
            f = rng.choice(RU_FIRST_F if fem else RU_FIRST_M)
            last = rng.choice(RU_LAST)
            last = _fem(last) if fem else last
            p = rng.choice(RU_PATR_F if fem else RU_PATR_M)
            name = rng.choice([f, f"{f} {last}", f"{last} {f}", f"{last} {f} {p}", f"{f} {p}", f"{f} {p} {last}",
                               f"{f} {last}".lower(), f"{last} {f} {p}".lower(), f"{last} {f}".upper()])
            text = rng.choice(RU_TEMPLATES).format(n=name)
        else:
            f, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
            name = rng.choice([f, f"{f} {last}", f"{f} {last}".lower(), f"{f} {last[0]}.", f"{last}, {f}"])
            text = rng.choice(EN_TEMPLATES).format(n=name)
        out.append((text, name))
    return out


def _left(name: str, redacted: str) -> list[str]:
    """Words of the planted name (two letters or more) still present in the redacted text."""
    return [w for w in re.findall(r"\w+", name.lower())
            if len(w) > 1 and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", redacted.lower())]


def recall(pairs) -> tuple[float, list]:
    out = redact([t for t, _ in pairs])
    missed = [(t, r) for (t, name), r in zip(pairs, out) if _left(name, r)]
    return 1 - len(missed) / len(pairs), missed


@pytest.fixture(scope="module")
def planted_result():
    return recall(planted())


def test_issue_examples():
    assert redact_text("Меня зовут Иванов Пётр Сергеевич") == "Меня зовут [name]"
    assert redact_text("С уважением, Анна") == "С уважением, [name]"
    assert redact_text("John Smith here") == "[name] here"
    assert redact_text("иван петров звонил") == "[name] звонил"
    assert redact_text("Спасибо Алексею Смирнову за помощь") == "Спасибо [name] за помощь"  # inflected
    assert redact_text("звонила ПЕТРОВА ОЛЬГА НИКОЛАЕВНА") == "звонила [name]"
    assert redact_text("Передайте Иванову И.И.") == "Передайте [name]"
    assert redact_text("Jean-Pierre Dubois was helpful") == "[name] was helpful"


def test_recall_on_planted_names_in_both_languages(planted_result):
    rate, missed = planted_result
    assert rate >= 0.98, f"recall {rate:.3f}; missed e.g. {missed[:5]}"


def test_recall_by_language_and_form():
    pairs = planted(seed=11, n=300)
    ru = [(t, n) for t, n in pairs if re.search("[а-яё]", n, re.I)]
    en = [(t, n) for t, n in pairs if not re.search("[а-яё]", n, re.I)]
    lower = [(t, n) for t, n in pairs if n == n.lower()]
    assert len(ru) > 100 and len(en) > 80 and len(lower) > 40
    for subset in (ru, en, lower):
        rate, missed = recall(subset)
        assert rate >= 0.97, missed[:5]


def test_recall_on_held_out_russian_names_from_faker():
    # Faker's ru_RU generator (surname first or last, with patronymic, its own lists of names that the
    # Russian detector never reads): a held-out check of the morphology + NER.
    from faker import Faker

    fake = Faker("ru_RU")
    fake.seed_instance(2025)
    pairs = []
    for i in range(200):
        name = re.sub(r"^(?:тов\.|г-н|г-жа)\s+", "", fake.name())  # «Карпов Виктор Эдуардович», no title
        tmpl = RU_TEMPLATES[i % len(RU_TEMPLATES)]
        pairs.append((tmpl.format(n=name if i % 4 else name.lower()), name))
    rate, missed = recall(pairs)
    assert rate >= 0.95, f"held-out recall {rate:.3f}; missed e.g. {missed[:5]}"


def test_precision_on_products_places_and_brands():
    out = redact(NON_NAMES)
    changed = [(a, b) for a, b in zip(NON_NAMES, out) if a != b]
    assert len(changed) / len(NON_NAMES) <= 0.02, changed


def test_precision_on_city_and_street_names():
    # Faker's lists of Russian cities and streets. In context ("в город …", "на улице …") they are
    # kept; a bare city named after a person («Владимир», «Серов», «Королёв») cannot be told from a
    # name without context, so the bare-name rate is only bounded.
    from faker.providers.address.ru_RU import Provider as Address

    cities = [c for c in Address.city_names if "(" not in c]
    in_context = [f"Доставка в город {c} заняла неделю" for c in cities]
    changed = sum(a != b for a, b in zip(in_context, redact(in_context)))
    assert changed / len(in_context) <= 0.01, changed
    streets = [f"Магазин на улице {s} закрыт" for s in Address.street_titles]
    changed = sum(a != b for a, b in zip(streets, redact(streets)))
    assert changed / len(streets) <= 0.01, changed
    bare = [f"{c}: магазин закрыт, доставили поздно" for c in cities]
    changed = sum(a != b for a, b in zip(bare, redact(bare)))
    assert changed / len(bare) <= 0.06, changed


def test_demo_comments_keep_their_words(demo):
    # The demo's comments contain no names: redacting names must change none of them.
    comments = pd.Series(demo.survey_responses["comment"].dropna().unique())
    without_names = redact(comments, names=False)
    assert (redact(comments) == without_names).all()


def test_agent_messages_lose_customer_and_agent_names(demo):
    msgs = demo.interactions["agent_message"].drop_duplicates().head(300)
    out = redact(msgs)
    agents = ["Мария", "Ольга", "Игорь", "Светлана", "Денис", "Алина", "Mariya", "Olga", "Igor", "Svetlana", "Denis",
              "Alina"]
    firsts = set(demo.customers["name"].str.split().str[0])
    for text in out:
        assert not any(re.search(rf"\b{re.escape(n)}\b", text) for n in [*agents, *firsts]), text
    assert out.str.contains(r"\[name\]", regex=True).mean() > 0.5
    assert "Терруар" in " ".join(out) or "Terroir" in " ".join(out)  # the brand stays


def test_known_names_from_the_users_tables():
    customers = pd.DataFrame({"ФИО клиента": ["Хабибуллина Зульфия Рашитовна", "Oluwaseun Adeyemi"],
                              "Город": ["Казань", "Москва"]})
    known = known_names(customers)
    assert isinstance(known, KnownNames)
    # an unusual name, lower case and inflected, with no cue: found only through the user's table
    assert redact_text("передайте хабибуллиной спасибо", known_names=known) == "передайте [name] спасибо"
    assert redact_text("adeyemi called again", known_names=known) == "[name] called again"
    assert redact_text("передайте хабибуллиной спасибо") == "передайте хабибуллиной спасибо"
    assert "казань" not in known.words  # other columns are not names
    assert redact(["Привет от Adeyemi"], known_names=["Oluwaseun Adeyemi"]) == ["Привет от [name]"]


def test_contains_pii_sees_names_and_not_placeholders():
    flags = contains_pii(pd.Series(["С уважением, Анна", "[name] помог, [phone]", None, "Отличный выбор вин"]))
    assert flags.tolist() == [True, False, False, False]


def test_repeated_texts_are_processed_once(monkeypatch):
    import sys

    mod = sys.modules["cxlab.privacy.redaction"]

    seen = []
    real = mod.name_spans_many

    def spy(texts, **kw):
        seen.append(len(list(texts)))
        return real(texts, **kw)

    monkeypatch.setattr(mod, "name_spans_many", spy)
    out = redact(pd.Series(["С уважением, Анна"] * 500 + ["John Smith here"] * 500))
    assert seen == [2] and out.nunique() == 2


def test_report_prose_is_not_taken_for_names():
    # Method names that are surnames (Holm, Wilson, Lorenz, Mann-Whitney), acronyms, and words that are
    # first names in some language ("edit", "server") appear in every report; they are not people.
    prose = ["Holm-adjusted p-values; Wilson and Agresti-Coull intervals", "Lorenz curve and Gini coefficient",
             "Mann-Whitney and Kruskal-Wallis tests", "ARI between runs: 0.93", "edit the parameters cell",
             "restart the server", "Cohen's kappa (Fleiss for several raters)", "Benjamini-Hochberg correction",
             "BG/NBD (Fader, Hardie and Lee) and Gamma-Gamma", "Stuart-Maxwell and Bowker tests of symmetry"]
    assert redact(prose) == prose
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    lines = []
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                lines += [ln for ln in "".join(cell["source"]).splitlines() if ln.strip()]
    assert len(lines) > 50
    changed = [(a, b) for a, b in zip(lines, redact(lines, names=True)) if a != b]
    assert len(changed) / len(lines) <= 0.01, changed
