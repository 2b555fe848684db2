"""Brand-voice consistency: tone features, profile, divergence (cxlab.channels.voice).

Reference: the demo company plants curt, off-brand replies in ``social`` only
(``truth.params["brand_voice_off_channel"]``; data/README.md: 0 % greetings in social,
100 % elsewhere).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxlab.channels as ch
from cxlab import text


@pytest.fixture(scope="module")
def demo_tone():
    from cxlab.datasets import load_tables

    t = load_tables(None)
    return t, ch.tone_features(t.interactions)


def test_tone_divergence_flags_social_and_only_social(demo_tone):
    tables, tone = demo_tone
    div = ch.tone_divergence(tone, tables.interactions["channel"])
    assert div.loc[div["flagged"], "channel"].tolist() == [tables.truth.params["brand_voice_off_channel"]] == ["social"]
    social = div.set_index("channel").loc["social"]
    assert social["ci_low"] > 1.0  # not a borderline call: a large difference on every feature
    others = div[div["channel"] != "social"]
    assert (others["ci_high"] < ch.DEFAULT_TOLERANCE).all()


def test_tone_profile_recovers_the_planted_greeting_shares(demo_tone):
    tables, tone = demo_tone
    prof = ch.tone_profile(tone, tables.interactions["channel"]).set_index(["channel", "feature"])
    assert prof.loc[("social", "greeting"), "estimate"] == 0.0
    for c in ("store", "web", "phone", "chat", "email", "messenger"):
        assert prof.loc[(c, "greeting"), "estimate"] == 100.0
        assert prof.loc[(c, "by_name"), "estimate"] > 95  # names matched across alphabets (iuliia)
    assert prof.loc[("social", "slang"), "estimate"] == 100.0


@pytest.mark.parametrize("message, expected", [
    ("Добрый день, Ольга! Приносим извинения за задержку. Всего доброго!", {"greeting", "apology", "sign_off", "by_name"}),
    ("Hello Olga, sorry for the delay. Kind regards, Anna", {"greeting", "apology", "sign_off", "by_name"}),
    ("ну ты даёшь, щас гляну))", {"informal_you", "slang", "emoticon"}),
    ("Пишите в лс!!! 😀", {"slang", "emoji", "exclaims"}),
    ("Ваш заказ готов, пожалуйста", {"formal_you", "politeness"}),
])
def test_tone_features_of_single_messages(message, expected):
    f = ch.tone_features(pd.DataFrame({"agent_message": [message], "name": ["Ольга Петрова"]})).iloc[0]
    flags = {c for c in (*ch.LEXICON_FEATURES, *ch.TEXT_FEATURES) if bool(f[c]) is True}
    assert flags == expected


def test_tone_lexicons_are_editable_and_shipped_beside_the_others():
    assert {"tone_en", "tone_ru"} <= set(text.available_lexicons())
    lex = text.load_lexicon("tone_ru")
    assert set(lex["themes"]) == set(ch.LEXICON_FEATURES) == set(text.load_lexicon("tone_en")["themes"])
    lex["themes"]["slang"]["keywords"].append("чё")
    f = ch.tone_features(pd.DataFrame({"agent_message": ["чё надо"]}), lexicon=lex, name=None)
    assert bool(f.loc[0, "slang"]) and f["by_name"].isna().all()


def test_divergence_is_zero_for_identical_channels_and_needs_a_base():
    brand, curt = "Здравствуйте! Спасибо. С уважением, Анна", "ок"
    frame = pd.DataFrame({"agent_message": [brand] * 80 + [curt] * 20,
                          "channel": ["a"] * 20 + ["b"] * 20 + ["c"] * 20 + ["d"] * 20 + ["e"] * 20})
    tone = ch.tone_features(frame, name=None)
    div = ch.tone_divergence(tone, frame["channel"], min_base=10, n_resamples=200).set_index("channel")
    for c in "abcd":  # the usual voice is the median of the other channels: one off-brand channel does not move it
        assert div.loc[c, "divergence"] == pytest.approx(0.0) and not div.loc[c, "flagged"]
    assert div.loc["e", "flagged"]
    small = ch.tone_divergence(tone, frame["channel"], min_base=30, n_resamples=200)
    assert small["divergence"].isna().all()  # below the base: not scored
