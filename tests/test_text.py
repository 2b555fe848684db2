"""Tests for cxlab.text: lexicons, stemming, theme coding and theme lift."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st
from statsmodels.stats.multitest import multipletests

from cxlab import text
from cxlab.errors import CXLabError


def test_shipped_lexicons_load_and_validate():
    names = text.available_lexicons()
    assert {"customer_en", "customer_ru", "employee"} <= set(names)
    for name in names:
        lex = text.load_lexicon(name)
        assert lex["themes"] and all(spec["keywords"] for spec in lex["themes"].values())
    en, ru = text.load_lexicon("customer_en"), text.load_lexicon("customer_ru")
    assert set(en["themes"]) == set(ru["themes"])  # the two languages code the same themes


@pytest.mark.parametrize("forms", [
    ["доставка", "доставки", "доставку", "доставкой", "доставке"],
    ["цена", "цены", "цену", "ценой"],
    ["курьер", "курьера", "курьером", "курьеры", "курьерам"],
    ["price", "prices"],
    ["wait", "waits", "waited", "waiting"],
    ["delivery", "deliveries"],
    ["stop", "stopped", "stopping"],
])
def test_stem_maps_word_forms_together(forms):
    assert len({text.stem(f) for f in forms}) == 1, [text.stem(f) for f in forms]


def test_tokenize_and_language():
    assert text.tokenize("Всё ОК, e-mail: x@y.ru!") == ["все", "ок", "e-mail", "x", "y", "ru"]
    assert text.detect_language("Доставка опоздала") == "ru"
    assert text.detect_language("Delivery was late") == "en"
    assert text.detect_language("123") is None and text.detect_language(None) is None


def test_code_themes_word_forms_prefixes_phrases():
    s = pd.Series(["Доставку привезли с опозданием", "Great selection, fair prices", "Kept on hold for ages",
                   "Продавец был груб", "", None, "Nothing special"], index=list("abcdefg"))
    c = text.code_themes(s)
    assert c.index.tolist() == list("abcdefg")
    assert c.loc["a", "delivery"] and c.loc["b", "assortment"] and c.loc["b", "good_value"]
    assert c.loc["c", "waiting"] and c.loc["d", "staff_rudeness"]
    assert c["has_comment"].tolist() == [True, True, True, True, False, False, True]
    assert c.loc["g", "n_themes"] == 0 and c.loc["e", "n_themes"] == 0
    assert c.loc["a", "language"] == "ru" and c.loc["b", "language"] == "en"
    # 'hold' alone is not the phrase 'on hold'
    assert not text.code_themes(pd.Series(["please hold the door"]))["waiting"].iloc[0]


def test_editable_lexicon_dict_list_and_file(tmp_path):
    custom = {"parking": ["parking", "парковк*", "car park"]}
    c = text.code_themes(pd.Series(["No parking spaces", "Негде парковаться", "Парковка платная",
                                    "The car park was full"]), lexicon=custom)
    assert c["parking"].tolist() == [True, False, True, True]
    lex = text.load_lexicon("customer_ru")
    lex["themes"]["delivery"]["keywords"].append("самокат*")
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(lex, ensure_ascii=False), encoding="utf-8")
    assert text.code_themes(pd.Series(["самокатом привезли"]), lexicon=str(path))["delivery"].iloc[0]
    merged = text.code_themes(pd.Series(["no parking"]), lexicon=["customer_en", custom])
    assert merged["parking"].iloc[0] and "delivery" in merged
    with pytest.raises(CXLabError):
        text.code_themes(pd.Series(["x"]), lexicon={"themes": {"bad": "not a list"}})
    with pytest.raises(CXLabError, match="unknown lexicon"):
        text.load_lexicon("klingon")


def test_theme_lift_matches_hand_counts_and_fisher():
    comments = (["Delivery was late"] * 30 + ["Nice staff"] * 10 + ["Great selection"] * 5
                + ["Great selection"] * 30 + ["Delivery was fast"] * 5 + ["Nice staff"] * 10
                + ["ok"] * 20)
    scores = [3] * 45 + [10] * 45 + [8] * 20
    df = pd.DataFrame({"comment": comments, "likelihood_to_recommend": scores})
    t = text.theme_lift(df).set_index("theme")
    d = t.loc["delivery"]
    assert d["n_detractors"] == 45 and d["n_promoters"] == 45 and d["n_passives"] == 20
    assert d["mentions_detractors"] == 30 and d["mentions_promoters"] == 5
    assert d["pct_all"] == pytest.approx(35 / 110 * 100)
    assert d["lift_detractors"] == pytest.approx((30 / 45) / (35 / 110))
    # Reference: scipy.stats.fisher_exact on the 2×2 table, Holm via statsmodels
    assert d["p_value"] == pytest.approx(st.fisher_exact([[30, 15], [5, 40]])[1])
    np.testing.assert_allclose(t["p_adjusted"].dropna(), multipletests(t["p_value"].dropna(), method="holm")[1])
    assert d["leans"] == "detractors" and t.loc["assortment", "leans"] == "promoters"
    # no test below the minimum base
    small = text.theme_lift(df.iloc[:40].assign(likelihood_to_recommend=[3] * 20 + [10] * 20))
    assert small["p_value"].isna().all()


def test_example_quotes_redacted_and_filtered():
    df = pd.DataFrame({"comment": ["Доставка опоздала. Перезвоните мне: 8 912 345 67 89",
                                   "Delivery late, write to a.b@mail.ru", "Delivery was fast", "Nice staff"],
                       "likelihood_to_recommend": [2, 5, 10, 3], "channel": ["web", "phone", "web", "store"]})
    q = text.example_quotes(df, theme="delivery", nps_class="detractor", n=5, columns=["channel"])
    assert len(q) == 2 and set(q["nps_class"]) == {"detractor"}
    assert "[phone]" in q["quote"].iloc[0] and "[email]" in q["quote"].iloc[1]
    assert list(q.columns) == ["score", "nps_class", "channel", "quote"]
    with pytest.raises(CXLabError, match="unknown theme"):
        text.example_quotes(df, theme="parking")


def test_demo_theme_directions(demo):
    s = demo.survey_responses
    t = text.theme_lift(s).set_index("theme")
    for theme in ("delivery", "price_too_high", "waiting", "staff_rudeness"):
        assert t.loc[theme, "leans"] == "detractors", theme
    for theme in ("assortment", "staff_advice", "quality"):
        assert t.loc[theme, "leans"] == "promoters", theme
    # about two thirds of the comments are Russian
    lang = text.code_themes(s)["language"].dropna()
    assert 0.55 < (lang == "ru").mean() < 0.8


def test_stem_is_snowball():
    # Reference: the Snowball project's sample vocabularies and outputs
    # (snowballstem.org, algorithms/english and algorithms/russian, voc.txt -> output.txt).
    from cxlab.text import stem

    english = {"consign": "consign", "consigned": "consign", "consigning": "consign", "consignment": "consign",
               "consistency": "consist", "knackeries": "knackeri", "knaves": "knave"}
    russian = {"вагон": "вагон", "вагона": "вагон", "вагонов": "вагон", "вавиловка": "вавиловк",
               "важнейшие": "важн", "важно": "важн"}
    assert {w: stem(w) for w in english} == english
    assert {w: stem(w) for w in russian} == russian
    assert stem("Ёлка") == stem("елка")


def test_lexicons_code_every_planted_demo_theme():
    # Reference: the demo generator's own verbatim templates (cxlab.datasets), each written for one
    # planted theme; with the Snowball stemmer every sentence is still coded with that theme.
    from cxlab import datasets
    from cxlab.text import code_themes

    accepted = {("negative", "delivery"): {"delivery"}, ("positive", "delivery"): {"delivery"},
                ("negative", "price"): {"price_too_high"}, ("positive", "price"): {"good_value"},
                ("negative", "waiting"): {"waiting"}, ("negative", "staff"): {"staff_rudeness"},
                ("positive", "staff"): {"staff_advice"}, ("negative", "quality"): {"product_problems"},
                ("positive", "quality"): {"quality"}, ("negative", "assortment"): {"assortment"},
                ("positive", "assortment"): {"assortment"}}
    rows = [(kind, theme, s) for kind, table in (("negative", datasets._NEGATIVE), ("positive", datasets._POSITIVE))
            for theme, (ru, en) in table.items() for s in ru + en]
    frame = pd.DataFrame(rows, columns=["kind", "theme", "comment"])
    coded = code_themes(frame)
    for i, (kind, theme, sentence) in enumerate(rows):
        hits = {c for c in accepted[(kind, theme)] if bool(coded[c].iloc[i])}
        assert hits, f"{sentence!r} is not coded as {accepted[(kind, theme)]}"
