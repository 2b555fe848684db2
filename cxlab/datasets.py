"""The demo company: «Терруар» (Terroir), an omnichannel wine-and-gourmet retailer.

:func:`make_demo` generates the four canonical tables (plus a small employee survey)
deterministically from a seed, with known truths planted in them so that students can
check their answers and tests can check that the analyses recover them:

* behavioural segments (champions, loyal, occasional, gift buyers, lapsed) with
  different frequency, spend, price tier, category and channel mix; champions (5 %) carry
  a large share of revenue;
* a say–do gap: a known share of respondents claim a higher price tier / purchase
  frequency than they actually buy, varying by segment;
* a channel inconsistency: the call centre (``phone``) scores lower, partly because of
  who calls (customer mix) and partly a real channel effect; agents in ``social`` write in
  a curt, off-brand voice;
* identity fragmentation: customers who contact the company through several channels
  under differently formatted e-mails, phones and names with no shared customer id;
* NPS that moves over time, with a real drop in 2025 Q2 (delivery problems), and
  English / Russian verbatims whose themes differ between promoters and detractors.

:func:`load_example` reads the default copy shipped in ``data/demo`` (plain CSV files a
user can open in Excel) and regenerates it when cxlab is used outside the repository.
The planted truths are documented in ``data/README.md``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.schema import CHANNELS, DEMO_CATEGORIES, PRICE_TIERS, STATED_FREQUENCIES, coerce

__all__ = [
    "Demo",
    "Truth",
    "make_demo",
    "load_example",
    "write_demo",
    "demo_dir",
    "actual_frequency_bucket",
    "SEGMENTS",
    "DEFAULT_N_CUSTOMERS",
    "DEFAULT_SEED",
]

DEFAULT_N_CUSTOMERS = 3000
DEFAULT_SEED = 42
COMPANY = "Терруар"
DEMO_CURRENCY = "RUB"  # the demo company's amounts are in roubles

WINDOW_START = pd.Timestamp("2024-01-01")
OBSERVATION_END = pd.Timestamp("2025-12-31 23:59:59")
SURVEY_START = pd.Timestamp("2024-07-01")
DROP_PERIOD = ("2025-04-01", "2025-06-30")  # 2025 Q2: delivery problems

# ---------------------------------------------------------------------------------------
# Segment definitions: the planted behavioural truth
# ---------------------------------------------------------------------------------------
_CAT = DEMO_CATEGORIES  # wine, spirits, cheese, delicatessen, accessories, gifts
SEGMENTS: dict[str, dict[str, Any]] = {
    "champions": dict(
        share=0.05, rate=2.2, spend=5200, sigma=0.40, tier=(0.05, 0.25, 0.70),
        sales_channel=(0.55, 0.42, 0.03), category=(0.50, 0.20, 0.12, 0.10, 0.05, 0.03),
        satisfaction=1.0, respond=2.0, contacts=3.0, phone_share=0.08, overclaim=0.05,
    ),
    "loyal": dict(
        share=0.20, rate=1.0, spend=2600, sigma=0.45, tier=(0.15, 0.60, 0.25),
        sales_channel=(0.60, 0.35, 0.05), category=(0.45, 0.15, 0.15, 0.15, 0.05, 0.05),
        satisfaction=0.6, respond=1.7, contacts=2.0, phone_share=0.10, overclaim=0.15,
    ),
    "occasional": dict(
        share=0.35, rate=0.30, spend=1500, sigma=0.50, tier=(0.50, 0.40, 0.10),
        sales_channel=(0.50, 0.35, 0.15), category=(0.40, 0.20, 0.15, 0.15, 0.05, 0.05),
        satisfaction=0.0, respond=1.1, contacts=1.0, phone_share=0.24, overclaim=0.35,
    ),
    "gift_buyers": dict(
        share=0.15, rate=0.22, spend=3600, sigma=0.40, tier=(0.20, 0.50, 0.30),
        sales_channel=(0.25, 0.70, 0.05), category=(0.20, 0.15, 0.05, 0.10, 0.10, 0.40),
        satisfaction=0.3, respond=1.0, contacts=1.2, phone_share=0.12, overclaim=0.25,
    ),
    "lapsed": dict(
        share=0.25, rate=0.80, spend=1800, sigma=0.50, tier=(0.45, 0.45, 0.10),
        sales_channel=(0.45, 0.30, 0.25), category=(0.45, 0.20, 0.10, 0.15, 0.05, 0.05),
        satisfaction=-0.25, respond=1.2, contacts=1.5, phone_share=0.32, overclaim=0.40,
    ),
}
_SALES_CHANNELS = ("store", "web", "phone")
_TIER_MULT = {"budget": 0.55, "mid": 1.0, "premium": 1.9}
# Gift buying peaks: New Year, 23 February, 8 March (relative weights by calendar month).
_GIFT_SEASON = np.array([0.6, 1.6, 2.6, 0.5, 0.4, 0.3, 0.3, 0.4, 0.5, 0.6, 1.2, 3.0])

# Survey model: attribute latents -> likelihood to recommend (planted driver weights).
DRIVER_WEIGHTS = {"attr_quality": 0.95, "attr_staff": 0.70, "attr_delivery": 0.55,
                  "attr_price": 0.35, "attr_assortment": 0.15}
PHONE_STAFF_EFFECT = -0.35  # real channel effect on the staff rating (latent units)
PHONE_DIRECT_EFFECT = -0.4  # real channel effect on likelihood to recommend (0–10 scale)
DROP_DELIVERY_EFFECT = -1.4  # delivery rating in 2025 Q2 (latent units)
UNDERCLAIM = 0.04  # share stating one level *below* what they do
BRAND_VOICE_OFF_CHANNEL = "social"


# ---------------------------------------------------------------------------------------
# Result containers
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Truth:
    """The planted truths of a demo dataset (for checking analyses, never for analysing).

    Attributes
    ----------
    customers
        customer_id, segment, fragmented (appears in ≥ 2 channels without a customer id).
    survey
        response_id, customer_id (true, also where the table's is missing),
        overclaims_tier, overclaims_frequency, underclaims_frequency,
        actual_price_tier, actual_frequency.
    interactions
        interaction_id, customer_id: the true person behind every contact.
    params
        planted effect sizes and headline figures measured on the generated data.
    """

    customers: pd.DataFrame
    survey: pd.DataFrame
    interactions: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Demo:
    """The demo company's tables, in canonical form (see :mod:`cxlab.schema`)."""

    customers: pd.DataFrame
    transactions: pd.DataFrame
    survey_responses: pd.DataFrame
    interactions: pd.DataFrame
    employee_survey: pd.DataFrame
    observation_end: pd.Timestamp = OBSERVATION_END
    truth: Truth | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four canonical tables by name."""
        return {"customers": self.customers, "transactions": self.transactions,
                "survey_responses": self.survey_responses, "interactions": self.interactions}

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><code>{k}</code></td><td>{len(v):,}</td><td>{len(v.columns)}</td></tr>"
            for k, v in {**self.tables(), "employee_survey": self.employee_survey}.items()
        )
        return (f"<b>Demo company «{COMPANY}»</b> (observation end {self.observation_end:%Y-%m-%d})"
                f"<table><tr><th>table</th><th>rows</th><th>columns</th></tr>{rows}</table>")


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


# ---------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------
def make_demo(n_customers: int = DEFAULT_N_CUSTOMERS, seed: int = DEFAULT_SEED, *,
              return_truth: bool = True, n_employees: int = 400) -> Demo:
    """Generate the demo company deterministically.

    Parameters
    ----------
    n_customers
        Number of customers. The shipped copy has 3,000; any size works (tables grow
        proportionally: about 9 transactions, 1.3 survey responses and 1.8 contacts per customer).
    seed
        Seed of the random generator: the same seed gives identical tables.
    return_truth
        Attach the planted truths as ``demo.truth``.
    n_employees
        Size of the employee (eNPS) survey.

    Returns
    -------
    Demo
        ``customers``, ``transactions``, ``survey_responses``, ``interactions``,
        ``employee_survey`` in canonical form, and ``truth`` (or ``None``).

    Examples
    --------
    >>> demo = make_demo(300, seed=1)
    >>> sorted(demo.truth.customers["segment"].unique())
    ['champions', 'gift_buyers', 'lapsed', 'loyal', 'occasional']
    """
    if n_customers < 50:
        raise CXLabError("the demo needs at least 50 customers", fix="pass n_customers >= 50")
    rng = np.random.default_rng(seed)
    customers, cust = _make_customers(rng, n_customers)
    transactions = _make_transactions(rng, cust)
    survey, survey_truth = _make_survey(rng, cust, transactions)
    interactions, inter_truth = _make_interactions(rng, cust)
    employees = _make_employee_survey(np.random.default_rng(seed + 1), n_employees)

    truth = None
    if return_truth:
        ids = cust["customer_id"]
        n_channels = (
            inter_truth.loc[interactions["customer_id"].isna().to_numpy()]
            .merge(interactions[["interaction_id", "channel"]], on="interaction_id")
            .groupby("customer_id", observed=True)["channel"].nunique()
        )
        frag = ids.map(n_channels).fillna(0).ge(2)
        truth_customers = pd.DataFrame({"customer_id": ids, "segment": cust["segment"], "fragmented": frag})
        truth = Truth(customers=truth_customers, survey=survey_truth, interactions=inter_truth)
        truth = Truth(customers=truth.customers, survey=truth.survey, interactions=truth.interactions,
                      params=_measure_truths(transactions, survey, interactions, truth))
    return Demo(
        customers=coerce(customers, "customers"),
        transactions=coerce(transactions, "transactions"),
        survey_responses=coerce(survey, "survey_responses"),
        interactions=coerce(interactions, "interactions"),
        employee_survey=employees,
        truth=truth,
    )


def _make_customers(rng: np.random.Generator, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Long by design: one random stream drawn in a fixed order (splitting it would risk reordering the
    # draws and so changing the shipped demo data and every number the notebooks and tests check).
    names = list(SEGMENTS)
    shares = np.array([SEGMENTS[s]["share"] for s in names])
    # exact segment sizes (largest remainder), shuffled: the documented shares hold exactly
    counts = np.floor(shares * n).astype(int)
    counts[np.argsort(-(shares * n - counts))[: n - counts.sum()]] += 1
    seg = rng.permutation(np.repeat(np.arange(len(names)), counts))
    segment = np.array(names)[seg]

    script = rng.choice(3, size=n, p=[0.75, 0.15, 0.10])  # 0 Cyrillic, 1 transliterated, 2 English
    female = rng.random(n) < 0.55
    first = np.where(female, rng.choice(_RU_FEMALE, n), rng.choice(_RU_MALE, n))
    sur = rng.choice(_RU_SURNAMES, n)
    sur = np.where(female, np.char.add(sur.astype(str), "а"), sur)
    en_first, en_last = rng.choice(_EN_FIRST, n), rng.choice(_EN_LAST, n)
    name_ru = np.char.add(np.char.add(first.astype(str), " "), sur.astype(str))
    name_lat = np.array([_translit(x) for x in name_ru])
    name_en = np.char.add(np.char.add(en_first.astype(str), " "), en_last.astype(str))
    name = np.where(script == 0, name_ru, np.where(script == 1, name_lat, name_en))
    latin = np.where(script == 2, name_en, name_lat)

    digits = rng.integers(900_000_0000, 999_999_9999, size=n, endpoint=True).astype(str)
    year_tag = rng.integers(70, 100, size=n)
    dom = rng.choice(_DOMAINS, n)
    local = [f"{ln.lower().replace(' ', '.')}{yt if u < 0.5 else ''}" for ln, yt, u in
             zip(latin, year_tag, rng.random(n))]
    email = np.array([f"{lo}@{d}".replace("ü", "u") for lo, d in zip(local, dom)])

    # signup: lapsed customers joined in 2024's first 9 months, others throughout
    start_day = np.where(segment == "lapsed", rng.integers(0, 270, n), rng.integers(0, 545, n))
    signup = WINDOW_START + pd.to_timedelta(start_day, unit="D")
    active_end = np.full(n, OBSERVATION_END, dtype="datetime64[ns]")
    lapse = segment == "lapsed"
    active_end[lapse] = (signup[lapse] + pd.to_timedelta(rng.integers(60, 300, lapse.sum()), unit="D")).to_numpy()

    ids = np.char.zfill(rng.permutation(np.arange(1, 10 * n))[:n].astype(str), 7)
    region = rng.choice(len(_REGIONS), size=n, p=_REGION_P)
    tier_pref = np.array([rng.choice(3, p=SEGMENTS[s]["tier"]) for s in segment])

    has_email = rng.random(n) < 0.9
    has_phone = rng.random(n) < 0.92
    phone_style = rng.integers(0, 6, n)
    crm_email = [(_noisy_email(e, rng) if rng.random() < 0.3 else e) if h else None
                 for e, h in zip(email, has_email)]
    crm_phone = [_format_phone(d, s) if h else None for d, s, h in zip(digits, phone_style, has_phone)]

    customers = pd.DataFrame({
        "customer_id": ids,
        "name": name,
        "email": crm_email,
        "phone": crm_phone,
        "signup_date": signup.normalize(),
        "region": np.array(_REGIONS)[region],
        "birth_year": rng.integers(1952, 2005, n),
    })
    internal = pd.DataFrame({
        "customer_id": ids, "segment": segment, "script": script, "name": name, "latin": latin,
        "first": np.where(script == 2, en_first, first), "email": email, "digits": digits,
        "has_email": has_email, "has_phone": has_phone, "signup": signup, "active_end": active_end,
        "region": region, "tier_pref": tier_pref,
    })
    return customers, internal


def _make_transactions(rng: np.random.Generator, cust: pd.DataFrame) -> pd.DataFrame:
    n = len(cust)
    seg = cust["segment"].to_numpy()
    start = cust["signup"].to_numpy().astype("datetime64[s]").astype(np.int64)
    end = cust["active_end"].to_numpy().astype("datetime64[s]").astype(np.int64)
    span_days = np.maximum(end - start, 0) / 86400.0
    rate = np.array([SEGMENTS[s]["rate"] for s in seg]) / 30.44  # purchases per day
    gift = seg == "gift_buyers"
    thin_max = np.where(gift, _GIFT_SEASON.max(), 1.0)
    # Repeat purchases: (inhomogeneous) Poisson process, by thinning for the gift season.
    n_draw = rng.poisson(rate * span_days * thin_max)
    owner = np.repeat(np.arange(n), n_draw)
    t = start[owner] + rng.random(owner.size) * (end[owner] - start[owner])
    months = (t.astype("datetime64[s]").astype("datetime64[M]").astype(int) % 12)
    keep = ~gift[owner] | (rng.random(owner.size) < _GIFT_SEASON[months] / _GIFT_SEASON.max())
    owner, t = owner[keep], t[keep]
    # Every customer's first purchase is on the signup day.
    first_t = start + rng.integers(10 * 3600, 21 * 3600, n)
    owner = np.concatenate([np.arange(n), owner])
    t = np.concatenate([first_t, t])
    # shop hours: move each purchase to a time of day between 10:00 and 21:59
    day = t - t % 86400
    t = day + rng.integers(10 * 3600, 22 * 3600, t.size)

    seg_o = seg[owner]
    m = owner.size
    tier_pref = cust["tier_pref"].to_numpy()[owner]
    other = (tier_pref + rng.integers(1, 3, m)) % 3
    tier = np.where(rng.random(m) < 0.75, tier_pref, other)
    cat = np.empty(m, dtype=object)
    chan = np.empty(m, dtype=object)
    amount = np.empty(m)
    for s, p in SEGMENTS.items():
        idx = np.flatnonzero(seg_o == s)
        cat[idx] = rng.choice(_CAT, size=idx.size, p=p["category"])
        chan[idx] = rng.choice(_SALES_CHANNELS, size=idx.size, p=p["sales_channel"])
        amount[idx] = rng.lognormal(np.log(p["spend"]), p["sigma"], idx.size)
    amount *= np.array([_TIER_MULT[k] for k in PRICE_TIERS])[tier]
    amount = np.maximum(np.round(amount / 10) * 10 - 10, 90.0)  # price points like 2490

    order = np.lexsort((owner, t))
    tx = pd.DataFrame({
        "customer_id": cust["customer_id"].to_numpy()[owner[order]],
        "timestamp": t[order].astype("datetime64[s]").astype("datetime64[ns]"),
        "amount": amount[order],
        "category": cat[order],
        "price_tier": np.array(PRICE_TIERS)[tier[order]],
        "channel": chan[order],
    })
    tx.insert(0, "transaction_id", [f"T{i:07d}" for i in range(1, len(tx) + 1)])
    return tx


def actual_frequency_bucket(purchases_per_year: np.ndarray | pd.Series) -> np.ndarray:
    """Map an annual purchase rate to the stated-frequency vocabulary.

    weekly: ≥ 36 a year (about 3 a month or more); monthly: 10–35; quarterly: 3–9;
    less_than_quarterly: fewer than 3. The same cut points define the demo's truth.

    Examples
    --------
    >>> actual_frequency_bucket([1, 5, 20, 60]).tolist()
    ['less_than_quarterly', 'quarterly', 'monthly', 'weekly']
    """
    r = np.asarray(purchases_per_year, dtype=float)
    return np.array(STATED_FREQUENCIES)[np.searchsorted([3, 10, 36], r, side="right")]


def _behaviour_before(cust: pd.DataFrame, tx: pd.DataFrame, resp_cust: np.ndarray,
                      when: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Annualised purchase count and modal price tier in the 365 days before each response."""
    code = pd.Index(cust["customer_id"]).get_indexer(tx["customer_id"])
    tx_t = tx["timestamp"].to_numpy()
    tier_code = pd.Categorical(tx["price_tier"], categories=PRICE_TIERS).codes
    order = np.lexsort((tx_t, code))
    code, tx_t, tier_code = code[order], tx_t[order], tier_code[order]
    starts = np.searchsorted(code, np.arange(len(cust)))
    ends = np.searchsorted(code, np.arange(len(cust)), side="right")
    signup = cust["signup"].to_numpy()
    rate = np.empty(len(when))
    tier = np.empty(len(when), dtype=int)
    year = np.timedelta64(365, "D")
    for i, (c, w) in enumerate(zip(resp_cust, when)):
        ts = tx_t[starts[c]:ends[c]]
        lo = np.searchsorted(ts, w - year)
        hi = np.searchsorted(ts, w)
        exposure = min(365.0, max((w - signup[c]) / np.timedelta64(1, "D"), 30.0))
        rate[i] = (hi - lo) * 365.0 / exposure
        tiers = tier_code[starts[c] + lo: starts[c] + hi]
        tier[i] = np.bincount(tiers, minlength=3).argmax() if tiers.size else 0
    return rate, tier


def _make_survey(rng: np.random.Generator, cust: pd.DataFrame,
                 tx: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Long by design: one random stream drawn in a fixed order (splitting it would risk reordering the
    # draws and so changing the shipped demo data and every number the notebooks and tests check).
    seg = cust["segment"].to_numpy()
    lam = np.array([SEGMENTS[s]["respond"] for s in seg]) * _REGION_RESPONSE[cust["region"].to_numpy()]
    k = rng.poisson(lam * 0.95)
    rc = np.repeat(np.arange(len(cust)), k)
    sec = "datetime64[s]"
    lo = np.maximum(cust["signup"].to_numpy().astype(sec), SURVEY_START.to_datetime64().astype(sec))[rc]
    lo = lo.astype(np.int64) + 2 * 86400
    # a relationship survey goes to the whole base, lapsed customers included
    hi = np.int64(OBSERVATION_END.to_datetime64().astype(sec).astype(np.int64))
    ok = hi > lo
    rc, lo = rc[ok], lo[ok]
    when = lo + (rng.random(rc.size) * (hi - lo)).astype(np.int64)
    when = (when - when % 86400 + rng.integers(8 * 3600, 23 * 3600, when.size)).astype(sec)
    order = np.argsort(when, kind="stable")
    rc, when = rc[order], when[order].astype("datetime64[ns]")
    n = rc.size
    rseg = seg[rc]

    # channel the survey is about: purchase channels and service channels; phone share by segment
    chan = np.empty(n, dtype=object)
    for s, p in SEGMENTS.items():
        idx = np.flatnonzero(rseg == s)
        ph = p["phone_share"]
        probs = np.array([0.36, 0.24, ph, 0.10, 0.08, 0.06, 0.06])
        probs[[0, 1, 3, 4, 5, 6]] *= (1 - ph) / probs[[0, 1, 3, 4, 5, 6]].sum()
        chan[idx] = rng.choice(CHANNELS, size=idx.size, p=probs)
    phone = chan == "phone"
    in_drop = (when >= np.datetime64(DROP_PERIOD[0])) & (when < np.datetime64(DROP_PERIOD[1]) + np.timedelta64(1, "D"))

    sat = np.array([SEGMENTS[s]["satisfaction"] for s in rseg])
    common = rng.normal(0, 0.75, n)
    latents = {}
    for a in DRIVER_WEIGHTS:
        x = sat * 0.8 + common + rng.normal(0, 0.7, n)
        if a == "attr_staff":
            x = x + PHONE_STAFF_EFFECT * phone
        if a == "attr_delivery":
            x = x + DROP_DELIVERY_EFFECT * in_drop
        latents[a] = x
    ltr_latent = 8.05 + sum(w * latents[a] for a, w in DRIVER_WEIGHTS.items()) / 1.6 \
        + PHONE_DIRECT_EFFECT * phone + rng.normal(0, 1.1, n)
    ltr = np.clip(np.rint(ltr_latent), 0, 10).astype(float)
    ratings = {a: np.clip(np.rint(3.4 + 0.85 * x), 1, 5).astype(float) for a, x in latents.items()}
    csat = np.clip(np.rint(1.0 + (ltr_latent - 1.0) / 2.3 + rng.normal(0, 0.45, n)), 1, 5)
    ces = np.clip(np.rint(5.2 + 0.5 * common - 1.2 * phone + rng.normal(0, 0.9, n)), 1, 7)
    intent = np.clip(np.rint(1.2 + 0.34 * ltr_latent + 0.4 * (rseg != "lapsed") + rng.normal(0, 0.6, n)), 1, 5)

    # explicit non-response
    ltr[rng.random(n) < 0.015] = np.nan
    csat[rng.random(n) < 0.10] = np.nan
    ces[rng.random(n) < 0.20] = np.nan
    for a in ratings:
        ratings[a][rng.random(n) < 0.05] = np.nan

    # say–do gap: actual behaviour in the 365 days before, then stated = actual (+1 for over-claimers)
    rate, tier_actual = _behaviour_before(cust, tx, rc, when)
    freq_actual = actual_frequency_bucket(rate)
    freq_code = pd.Categorical(freq_actual, categories=STATED_FREQUENCIES).codes
    p_over = np.array([SEGMENTS[s]["overclaim"] for s in rseg])
    over_t = (rng.random(n) < p_over) & (tier_actual < 2)
    over_f = (rng.random(n) < p_over) & (freq_code < 3)
    under_f = ~over_f & (rng.random(n) < UNDERCLAIM) & (freq_code > 0)
    stated_tier = np.array(PRICE_TIERS)[tier_actual + over_t]
    stated_freq = np.array(STATED_FREQUENCIES)[freq_code + over_f - under_f]
    fav_true = (tx.groupby("customer_id", observed=True)["category"]
                .agg(lambda c: c.value_counts().index[0]))
    fav = cust["customer_id"].map(fav_true).to_numpy()[rc]
    fav = np.where(rng.random(n) < 0.8, fav, rng.choice(_CAT, n))

    # verbatims
    lang_ru = np.where(cust["script"].to_numpy()[rc] == 0, rng.random(n) < 0.9, rng.random(n) < 0.2)
    comments = _comments(rng, ltr, ratings, phone, lang_ru, cust, rc)

    # identification: ~12 % without customer id, with e-mail or phone instead
    no_id = rng.random(n) < 0.12
    use_email = cust["has_email"].to_numpy()[rc] & (rng.random(n) < 0.7)
    use_phone = ~use_email & cust["has_phone"].to_numpy()[rc]
    no_id &= use_email | use_phone
    email_given = np.array([_noisy_email(e, rng) for e in cust["email"].to_numpy()[rc]], dtype=object)
    phone_given = np.array([_format_phone(d, s) for d, s in zip(cust["digits"].to_numpy()[rc],
                                                                 rng.integers(0, 6, n))], dtype=object)
    ids = cust["customer_id"].to_numpy()[rc]

    # post-stratification weights by region: population share / respondent share
    region = cust["region"].to_numpy()[rc]
    pop = np.bincount(cust["region"].to_numpy(), minlength=len(_REGIONS)) / len(cust)
    samp = np.bincount(region, minlength=len(_REGIONS)) / n
    weight = (pop / np.where(samp > 0, samp, 1))[region]

    survey = pd.DataFrame({
        "response_id": [f"R{i:06d}" for i in range(1, n + 1)],
        "customer_id": np.where(no_id, None, ids),
        "email": np.where(no_id & use_email, email_given, None),
        "phone": np.where(no_id & use_phone, phone_given, None),
        "submitted_at": when,
        "channel": chan,
        "likelihood_to_recommend": ltr,
        "csat": csat,
        "ces": ces,
        **ratings,
        "stated_frequency": stated_freq,
        "stated_price_tier": stated_tier,
        "stated_favourite_category": fav,
        "stated_repurchase_intent": intent,
        "comment": comments,
        "weight": np.round(weight, 6),
    })
    truth = pd.DataFrame({
        "response_id": survey["response_id"], "customer_id": ids, "segment": rseg,
        "overclaims_tier": over_t, "overclaims_frequency": over_f, "underclaims_frequency": under_f,
        "actual_price_tier": np.array(PRICE_TIERS)[tier_actual], "actual_frequency": freq_actual,
        "actual_purchases_per_year": rate,
    })
    return survey, truth


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


_TOPICS = ("order", "delivery", "return", "product_question", "complaint", "loyalty_programme")
_WAIT_MEDIAN = {"store": 60, "web": 14400, "phone": 240, "chat": 45, "email": 18000, "social": 5400,
                "messenger": 600}
_RESOLVED_P = {"store": 0.88, "web": 0.8, "phone": 0.72, "chat": 0.82, "email": 0.78, "social": 0.74,
               "messenger": 0.8}
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


def _make_interactions(rng: np.random.Generator, cust: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Long by design: one random stream drawn in a fixed order (splitting it would risk reordering the
    # draws and so changing the shipped demo data and every number the notebooks and tests check).
    n = len(cust)
    seg = cust["segment"].to_numpy()
    multi = rng.random(n) < 0.3  # customers who use several service channels
    lam = np.array([SEGMENTS[s]["contacts"] for s in seg])
    k = rng.poisson(lam * 0.9) + multi * 2
    owner = np.repeat(np.arange(n), k)
    m = owner.size
    # channel: multichannel customers spread contacts over several anonymous channels;
    # the others keep to one preferred channel (plus store/web, which identify them)
    anon = np.array(["phone", "chat", "email", "social", "messenger"])
    pref = rng.integers(0, 5, n)
    phone_pref = np.array([SEGMENTS[s]["phone_share"] for s in seg]) * 1.5 > rng.random(n)
    pref = np.where(phone_pref, 0, pref)
    use_anon = rng.random(m) < 0.75
    own_multi = multi[owner]
    chan_idx = np.where(own_multi, rng.integers(0, 5, m), pref[owner])
    channel = np.where(use_anon, anon[chan_idx], np.where(rng.random(m) < 0.6, "store", "web"))

    start = cust["signup"].to_numpy().astype("datetime64[s]").astype(np.int64)[owner]
    end = cust["active_end"].to_numpy().astype("datetime64[s]").astype(np.int64)[owner]
    ts = start + (rng.random(m) * np.maximum(end - start, 1)).astype(np.int64)
    ts = (ts - ts % 86400 + rng.integers(8 * 3600, 22 * 3600, m)).astype("datetime64[s]")  # 08:00–21:59

    first = cust["first"].to_numpy()[owner]
    name = cust["name"].to_numpy()[owner]
    latin = cust["latin"].to_numpy()[owner]
    email = cust["email"].to_numpy()[owner]
    digits = cust["digits"].to_numpy()[owner]
    script = cust["script"].to_numpy()[owner]
    ru = np.where(script == 0, rng.random(m) < 0.9, rng.random(m) < 0.2)
    ids = cust["customer_id"].to_numpy()[owner]

    cols = {c: np.full(m, None, dtype=object) for c in ("customer_id", "name", "email", "phone", "handle",
                                                        "platform")}
    for i in range(m):
        ch = channel[i]
        u = rng.random()
        if ch in ("store", "web"):
            cols["customer_id"][i] = ids[i]
            cols["name"][i] = name[i]
        elif ch == "phone":
            cols["phone"][i] = _format_phone(digits[i], int(rng.integers(0, 6)))
            parts = str(name[i]).split(" ")
            cols["name"][i] = name[i] if u < 0.4 else (f"{parts[-1]} {parts[0]}" if u < 0.7 else first[i])
        elif ch == "chat":
            cols["name"][i] = first[i] if u < 0.5 else name[i]
            if rng.random() < 0.7:
                cols["email"][i] = _noisy_email(email[i], rng)
        elif ch == "email":
            cols["email"][i] = _noisy_email(email[i], rng)
            cols["name"][i] = name[i] if u < 0.6 else latin[i]
        elif ch == "social":
            cols["platform"][i] = "instagram" if u < 0.55 else "facebook"
            cols["handle"][i] = "@" + str(latin[i]).lower().replace(" ", "_") + str(int(rng.integers(1, 99)))
            cols["name"][i] = latin[i]
        else:  # messenger
            cols["platform"][i] = "telegram" if u < 0.5 else "viber"
            cols["phone"][i] = _format_phone(digits[i], int(rng.integers(0, 6)))
            cols["name"][i] = first[i]
            if cols["platform"][i] == "telegram" and rng.random() < 0.5:
                cols["handle"][i] = "@" + str(latin[i]).split(" ")[0].lower() + str(int(rng.integers(100, 999)))
    wait = np.array([rng.lognormal(np.log(_WAIT_MEDIAN[c]), 0.6) for c in channel]).round(0)
    handle_s = rng.lognormal(np.log(300), 0.5, m).round(0)
    resolved = rng.random(m) < np.array([_RESOLVED_P[c] for c in channel])
    csat = np.clip(np.rint(3.9 + 0.8 * resolved - 0.7 * (channel == "phone") - 0.5 * (channel == "social")
                           + 0.4 * np.array([SEGMENTS[s]["satisfaction"] for s in seg[owner]])
                           + rng.normal(0, 0.8, m)), 1, 5)
    csat[rng.random(m) < 0.6] = np.nan
    message = [_agent_message(rng, c, f, r) for c, f, r in zip(channel, first, ru)]

    order = np.argsort(ts, kind="stable")
    inter = pd.DataFrame({
        "channel": channel, "platform": cols["platform"], "timestamp": ts.astype("datetime64[ns]"),
        "customer_id": cols["customer_id"], "name": cols["name"], "email": cols["email"],
        "phone": cols["phone"], "handle": cols["handle"], "topic": rng.choice(_TOPICS, m),
        "wait_seconds": wait, "handle_seconds": handle_s, "resolved": resolved, "csat": csat,
        "agent_message": message,
    }).iloc[order].reset_index(drop=True)
    inter.insert(0, "interaction_id", [f"I{i:07d}" for i in range(1, m + 1)])
    truth = pd.DataFrame({"interaction_id": inter["interaction_id"], "customer_id": ids[order]})
    return inter, truth


_DEPARTMENTS = {"stores": (160, 0.4), "call_centre": (70, -1.6), "logistics": (60, -0.3),
                "sommeliers": (30, 1.0), "office": (80, 0.2)}


def _make_employee_survey(rng: np.random.Generator, n: int) -> pd.DataFrame:
    sizes = np.array([v[0] for v in _DEPARTMENTS.values()], dtype=float)
    dept = rng.choice(list(_DEPARTMENTS), size=n, p=sizes / sizes.sum())
    eff = np.array([_DEPARTMENTS[d][1] for d in dept])
    score = np.clip(np.rint(7.3 + 1.2 * eff + rng.normal(0, 1.9, n)), 0, 10)
    good = ["Хорошая команда и интересная работа", "Great team, I learn a lot about wine",
            "Гибкий график", "Supportive manager"]
    bad = ["Слишком большая нагрузка на линии", "Low pay for the workload", "Нет карьерного роста",
           "Постоянные переработки"]
    comment = [rng.choice(bad) if s <= 6 else (rng.choice(good) if s >= 9 else None) for s in score]
    when = pd.Timestamp("2025-10-01") + pd.to_timedelta(rng.integers(0, 21 * 24 * 60, n), unit="min")
    return pd.DataFrame({
        "employee_id": pd.array([f"E{i:04d}" for i in range(1, n + 1)], dtype="string"),
        "department": pd.Categorical(dept, categories=list(_DEPARTMENTS)),
        "submitted_at": when.astype("datetime64[ns]"),
        "likelihood_to_recommend": pd.array(score.astype(int), dtype="Int8"),
        "comment": pd.array(comment, dtype="string"),
    })


# ---------------------------------------------------------------------------------------
# Headline truths measured on the generated data
# ---------------------------------------------------------------------------------------
def _nps(scores: pd.Series) -> float:
    s = scores.dropna()
    return float(100 * ((s >= 9).mean() - (s <= 6).mean())) if len(s) else float("nan")


def _measure_truths(tx: pd.DataFrame, survey: pd.DataFrame, inter: pd.DataFrame, truth: Truth) -> dict:
    seg = truth.customers.set_index("customer_id")["segment"]
    rev = tx.groupby(tx["customer_id"].map(seg))["amount"].sum()
    ltr = pd.to_numeric(survey["likelihood_to_recommend"])
    quarter = pd.PeriodIndex(survey["submitted_at"], freq="Q").astype(str)
    by_q = {q: _nps(ltr[quarter == q]) for q in sorted(set(quarter))}
    phone = survey["channel"].eq("phone").to_numpy()
    rseg = truth.survey["segment"].to_numpy()
    within = []
    for s in SEGMENTS:
        a, b = ltr[(rseg == s) & phone], ltr[(rseg == s) & ~phone]
        within.append((len(a), _nps(a) - _nps(b)))
    w = np.array([x[0] for x in within], dtype=float)
    within_gap = float(np.nansum(w * np.array([x[1] for x in within])) / w.sum())
    ts = truth.survey
    return {
        "segment_shares": truth.customers["segment"].value_counts(normalize=True).round(4).to_dict(),
        "segment_revenue_share": (rev / rev.sum()).round(4).to_dict(),
        "nps_overall": round(_nps(ltr), 2),
        "nps_by_quarter": {k: round(v, 2) for k, v in by_q.items()},
        "drop_quarter": "2025Q2",
        "phone_nps_gap_raw": round(_nps(ltr[phone]) - _nps(ltr[~phone]), 2),
        "phone_nps_gap_within_segment": round(within_gap, 2),
        "phone_direct_effect_ltr": PHONE_DIRECT_EFFECT,
        "phone_staff_effect_latent": PHONE_STAFF_EFFECT,
        "drop_delivery_effect_latent": DROP_DELIVERY_EFFECT,
        "driver_weights": DRIVER_WEIGHTS,
        "overclaim_probability_by_segment": {s: p["overclaim"] for s, p in SEGMENTS.items()},
        "overclaims_tier_share": round(float(ts["overclaims_tier"].mean()), 4),
        "overclaims_frequency_share": round(float(ts["overclaims_frequency"].mean()), 4),
        "underclaims_frequency_share": round(float(ts["underclaims_frequency"].mean()), 4),
        "overclaims_tier_share_by_segment": ts.groupby("segment")["overclaims_tier"].mean().round(4).to_dict(),
        "fragmented_share": round(float(truth.customers["fragmented"].mean()), 4),
        "survey_missing_customer_id_share": round(float(survey["customer_id"].isna().mean()), 4),
        "brand_voice_off_channel": BRAND_VOICE_OFF_CHANNEL,
        "observation_end": str(OBSERVATION_END),
    }


# ---------------------------------------------------------------------------------------
# Files: write and load the shipped copy
# ---------------------------------------------------------------------------------------
_FILES = {"customers": "customers.csv", "transactions": "transactions.csv",
          "survey_responses": "survey_responses.csv", "interactions": "interactions.csv",
          "employee_survey": "employee_survey.csv"}


def demo_dir() -> Path:
    """Where the demo files live: ``data/demo`` in the repository, else a user cache folder.

    Examples
    --------
    >>> demo_dir().name
    'demo'
    """
    repo = Path(__file__).resolve().parents[1] / "data" / "demo"
    if (repo.parent / "README.md").exists():
        return repo
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "cxlab" / "demo"


def write_demo(directory: str | os.PathLike | None = None, *, n_customers: int = DEFAULT_N_CUSTOMERS,
               seed: int = DEFAULT_SEED) -> Path:
    """Generate the demo and write it as UTF-8 CSV files (plus the truth) into ``directory``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = write_demo(Path(tempfile.mkdtemp()) / "demo", n_customers=100, seed=1)
    >>> sorted(p.name for p in folder.glob("*.csv"))
    ['customers.csv', 'employee_survey.csv', 'interactions.csv', 'survey_responses.csv', 'transactions.csv']
    """
    directory = Path(directory) if directory is not None else demo_dir()
    (directory / "truth").mkdir(parents=True, exist_ok=True)
    demo = make_demo(n_customers, seed, return_truth=True)
    for attr, fname in _FILES.items():
        getattr(demo, attr).to_csv(directory / fname, index=False, encoding="utf-8", date_format="%Y-%m-%d %H:%M:%S")
    demo.truth.customers.to_csv(directory / "truth" / "customers.csv", index=False)
    demo.truth.survey.to_csv(directory / "truth" / "survey.csv", index=False)
    demo.truth.interactions.to_csv(directory / "truth" / "interactions.csv", index=False)
    meta = {"n_customers": n_customers, "seed": seed, **demo.truth.params}
    (directory / "truth" / "params.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return directory


def _read(path: Path, kind: str | None) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    if kind is None:
        return df
    for col in df.columns:
        if col == "resolved":
            df[col] = df[col].map({"True": True, "False": False})
    return coerce(df, kind)


def load_example(*, truth: bool = True, directory: str | os.PathLike | None = None) -> Demo:
    """Load the demo company (3,000 customers, seed 42) from ``data/demo``.

    The files are regenerated deterministically (a few seconds) when they are missing, e.g.
    when cxlab is installed outside its repository (they then live in ``~/.cache/cxlab/demo``).

    Parameters
    ----------
    truth
        Also load the planted truths (``demo.truth``).
    directory
        Read (or write, when missing) the demo files here instead of :func:`demo_dir`.

    Examples
    --------
    >>> demo = load_example()
    >>> demo.transactions["customer_id"].dtype
    <StringDtype(na_value=<NA>)>
    """
    directory = Path(directory) if directory is not None else demo_dir()
    if not all((directory / f).exists() for f in _FILES.values()) or not (directory / "truth" / "params.json").exists():
        write_demo(directory)
    tables = {attr: _read(directory / fname, None if attr == "employee_survey" else attr)
              for attr, fname in _FILES.items()}
    emp = tables["employee_survey"]
    tables["employee_survey"] = pd.DataFrame({
        "employee_id": emp["employee_id"].astype("string"),
        "department": pd.Categorical(emp["department"], categories=list(_DEPARTMENTS)),
        "submitted_at": pd.to_datetime(emp["submitted_at"]).astype("datetime64[ns]"),
        "likelihood_to_recommend": pd.to_numeric(emp["likelihood_to_recommend"]).astype("Int8"),
        "comment": emp["comment"].astype("string"),
    })
    tr = None
    if truth:
        tdir = directory / "truth"
        tc = pd.read_csv(tdir / "customers.csv", dtype={"customer_id": str})
        ts = pd.read_csv(tdir / "survey.csv", dtype={"response_id": str, "customer_id": str})
        ti = pd.read_csv(tdir / "interactions.csv", dtype=str)
        params = json.loads((tdir / "params.json").read_text(encoding="utf-8"))
        tr = Truth(customers=tc, survey=ts, interactions=ti, params=params)
    return Demo(**tables, truth=tr)


# The folder loader of the data contract lives in cxlab.loader; it is re-exported here because
# users look for "load my data" next to "load the example".
from cxlab.loader import Tables, example_path, load_tables  # noqa: E402

__all__ += ["Tables", "load_tables", "example_path"]
