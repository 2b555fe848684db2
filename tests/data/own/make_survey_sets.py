"""Build the survey test sets that look like a user's own data, not like the demo company.

Run ``python tests/data/own/make_survey_sets.py [DEST]`` (default: next to this script).
The output is deterministic: the same files, byte for byte, on every run (fixed seeds,
no timestamps). Four folders, one per set:

``dev_survey/``
    A one-wave survey shaped like a public developer survey: a 0–10 recommend score,
    the respondents' own grouping columns ``country`` and ``remote`` (no channel column,
    no attribute ratings, no comments), some countries with very few answers and a few
    blank countries. Submitted within one quarter, so there is no trend to show.
``csat_only/``
    A satisfaction survey without an NPS question: ``csat`` on 1–5, a canonical
    ``channel`` column and the user's own ``region`` column, over two quarters.
``small_wave_null/``
    A realistic small wave (about 490 responses) as a cp1251, ``;``-separated export
    with Russian headers, dd.mm.yyyy dates and decimal commas in the weight, over six
    channels and three price tiers; every channel x price-tier cell holds fewer than 30
    responses. The likelihood to recommend is drawn from ONE distribution for every
    channel: there is no channel effect to find. No delivery rating. Also a small
    employee survey (cp1251) with departments below the minimum base.
``small_wave_effect/``
    The same design with a real, planted effect: the chat channel's scores are drawn
    from a worse distribution (NPS about −43 against +14..+27 elsewhere; p < 0.001).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent

# ----------------------------------------------------------------------------- set 1
_COUNTRIES = {  # country: (responses, shift of the latent score)
    "United States": 420, "Germany": 260, "India": 230, "United Kingdom": 180, "Brazil": 120,
    "Poland": 95, "Canada": 80, "Netherlands": 48, "Norway": 22, "Kenya": 14,
}
_COUNTRY_SHIFT = {"United States": 0.0, "Germany": -0.4, "India": 0.5, "United Kingdom": -0.2, "Brazil": 0.4,
                  "Poland": -0.1, "Canada": 0.1, "Netherlands": -0.3, "Norway": 0.2, "Kenya": 0.3}
_REMOTE = ("Remote", "Hybrid (some remote, some in-person)", "In-person")
_REMOTE_SHIFT = (0.5, 0.0, -0.6)


def _ltr(rng: np.random.Generator, latent: np.ndarray) -> np.ndarray:
    """0–10 answers from a latent score (mean about 7.3, heaped on 8–10 as real NPS data is)."""
    return np.clip(np.rint(latent + rng.normal(0.0, 1.9, latent.size)), 0, 10).astype(int)


def dev_survey(seed: int = 2024) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    country = np.repeat(list(_COUNTRIES), list(_COUNTRIES.values()))
    n = country.size
    remote_i = rng.choice(3, size=n, p=[0.42, 0.41, 0.17])
    latent = 7.2 + np.array([_COUNTRY_SHIFT[c] for c in country]) + np.array(_REMOTE_SHIFT)[remote_i]
    score = _ltr(rng, latent)
    remote = np.array(_REMOTE, dtype=object)[remote_i]
    country = country.astype(object)
    country[rng.random(n) < 0.015] = ""  # a few respondents skipped the country question
    remote[rng.random(n) < 0.02] = ""
    order = rng.permutation(n)
    start = pd.Timestamp("2024-05-19")
    when = start + pd.to_timedelta(np.sort(rng.integers(0, 27 * 24 * 3600, n)), unit="s")
    frame = pd.DataFrame({
        "Response ID": np.arange(1, n + 1),
        "End date": when.strftime("%Y-%m-%d %H:%M:%S"),
        "country": country[order],
        "remote": remote[order],
        "Likelihood to recommend": score[order],
    })
    return frame


# ----------------------------------------------------------------------------- set 2
_REGIONS = ("North", "South", "East", "West", "Central")


def csat_only(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 900
    region_i = rng.choice(5, size=n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    channel = rng.choice(["store", "web", "phone"], size=n, p=[0.5, 0.3, 0.2])
    latent = 3.9 + np.array([0.1, 0.0, -0.2, 0.05, 0.0])[region_i] + np.where(channel == "phone", -0.5, 0.0)
    csat = np.clip(np.rint(latent + rng.normal(0, 0.9, n)), 1, 5).astype(int)
    start = pd.Timestamp("2025-02-01")
    when = start + pd.to_timedelta(np.sort(rng.integers(0, 150 * 24 * 3600, n)), unit="s")
    return pd.DataFrame({
        "response_id": [f"R{i:05d}" for i in range(1, n + 1)],
        "submitted_at": when.strftime("%Y-%m-%d %H:%M"),
        "channel": channel,
        "region": np.array(_REGIONS, dtype=object)[region_i],
        "CSAT score": csat,
    })


# ------------------------------------------------------------------------- sets 3 and 4
#: channel labels as a Russian export writes them (mapped by cxlab.io to the canonical channels)
_CHANNELS_RU = ("Магазин", "Сайт", "КЦ", "Чат", "Почта", "Телеграм")
_TIERS_RU = ("Эконом", "Средний", "Премиум")
#: responses per channel (rows) x price tier (columns): every cell below the minimum base of 30
_CELLS = np.array([
    [29, 28, 26],
    [28, 29, 27],
    [27, 28, 25],
    [26, 29, 24],
    [28, 27, 26],
    [27, 28, 26],
])
_NEG_RU = {
    "waiting": ["Долго ждал ответа оператора",
                "Ответа в чате пришлось ждать почти час",
                "Дозвониться невозможно, всё время занято"],
    "staff": ["Консультант был груб", "Сотрудник не захотел помочь"],
    "price": ["Цены выше, чем у конкурентов", "Слишком дорого"],
    "quality": ["Товар сломался через неделю", "Качество разочаровало"],
}
_POS_RU = {
    "staff": ["Очень вежливый и внимательный персонал", "Консультант помог с выбором"],
    "quality": ["Качество на высоте", "Отличное качество товара"],
    "price": ["Цены разумные", "Хорошие скидки"],
}
_MID_RU = ["В целом нормально", "Неплохо, но есть что улучшить"]
#: one seed for both small waves: the effect set holds the same answers as the no-effect set except
#: that chat's are drawn lower. In the no-effect set chat happens to have the lowest NPS (+5 against
#: +14..+27; chi-square across channels p = 0.78): a trap for findings that name the lowest group.
NULL_SEED = 13
#: how much lower the chat channel's latent score is in the effect set (0–10 points)
EFFECT_SHIFT = 1.4
EFFECT_SEED = 13


def small_wave(seed: int, *, effect: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ch_i = np.repeat(np.arange(6), _CELLS.sum(axis=1))
    tier_i = np.concatenate([np.repeat(np.arange(3), row) for row in _CELLS])
    n = ch_i.size
    latent = 7.9 + np.array([-0.3, 0.0, 0.3])[tier_i]
    if effect:  # the chat channel (index 3) is much worse: a real channel effect
        latent = latent - np.where(ch_i == 3, EFFECT_SHIFT, 0.0)
    ltr = _ltr(rng, latent)
    ratings = {}
    for name, weight in (("Качество", 0.8), ("Ассортимент", 0.4), ("Цена", 0.5), ("Персонал", 0.7)):
        r = 3.2 + weight * (ltr - 7.0) / 2.0 + rng.normal(0, 0.8, n)
        ratings[name] = np.clip(np.rint(r), 1, 5).astype(int)
    comment = np.empty(n, dtype=object)
    has = rng.random(n) < 0.6
    for i in np.flatnonzero(has):
        if ltr[i] <= 6:
            theme = list(_NEG_RU)[rng.integers(len(_NEG_RU))]
            comment[i] = _NEG_RU[theme][rng.integers(len(_NEG_RU[theme]))]
        elif ltr[i] >= 9:
            theme = list(_POS_RU)[rng.integers(len(_POS_RU))]
            comment[i] = _POS_RU[theme][rng.integers(len(_POS_RU[theme]))]
        else:
            comment[i] = _MID_RU[rng.integers(len(_MID_RU))]
    comment[~has] = ""
    weight = np.round(rng.uniform(0.7, 1.3, n), 2)
    start = pd.Timestamp("2025-03-03")
    when = start + pd.to_timedelta(np.sort(rng.integers(0, 24 * 24 * 60, n)), unit="min")
    order = rng.permutation(n)
    frame = pd.DataFrame({
        "ID анкеты": [f"{100000 + i}" for i in range(n)],
        "Дата заполнения": when.strftime("%d.%m.%Y %H:%M"),
        "Канал": np.array(_CHANNELS_RU, dtype=object)[ch_i][order],
        "Ценовой сегмент": np.array(_TIERS_RU, dtype=object)[tier_i][order],
        "Оценка": ltr[order],
        **{k: v[order] for k, v in ratings.items()},
        "Комментарий": comment[order],
        "Вес": [f"{w:.2f}".replace(".", ",") for w in weight[order]],
    })
    return frame


_DEPARTMENTS_RU = {"Магазины": (70, 0.3), "Контакт-центр": (45, -1.2), "Склад": (24, -0.2), "Офис": (18, 0.4)}


def employee_wave(seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dept = np.repeat(list(_DEPARTMENTS_RU), [v[0] for v in _DEPARTMENTS_RU.values()])
    n = dept.size
    shift = np.array([_DEPARTMENTS_RU[d][1] for d in dept])
    score = _ltr(rng, 7.0 + shift)
    when = pd.Timestamp("2025-03-10") + pd.to_timedelta(rng.integers(0, 10 * 24 * 60, n), unit="min")
    return pd.DataFrame({
        "Табельный номер": [f"T{i:03d}" for i in range(1, n + 1)],
        "Подразделение": dept,
        "Дата": when.strftime("%d.%m.%Y"),
        "Оценка": score,
    })


def _write_csv(frame: pd.DataFrame, path: Path, *, encoding: str = "utf-8", sep: str = ",") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = frame.to_csv(index=False, sep=sep, lineterminator="\r\n" if encoding == "cp1251" else "\n")
    path.write_bytes(text.encode(encoding))


def write_all(dest: str | Path = HERE) -> dict[str, Path]:
    """Write the four sets under ``dest``; return {set name: folder}."""
    dest = Path(dest)
    out = {}
    _write_csv(dev_survey(), dest / "dev_survey" / "survey_responses.csv")
    _write_csv(csat_only(), dest / "csat_only" / "survey_responses.csv")
    for name, seed, effect in (("small_wave_null", NULL_SEED, False), ("small_wave_effect", EFFECT_SEED, True)):
        _write_csv(small_wave(seed, effect=effect), dest / name / "survey_responses.csv", encoding="cp1251", sep=";")
        _write_csv(employee_wave(), dest / name / "employee_survey.csv", encoding="cp1251", sep=";")
    for name in ("dev_survey", "csat_only", "small_wave_null", "small_wave_effect"):
        out[name] = dest / name
    return out


if __name__ == "__main__":
    for name, folder in write_all(sys.argv[1] if len(sys.argv) > 1 else HERE).items():
        print(f"{name}: {folder}")
