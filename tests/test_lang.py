"""The language of generated text (issue 10, item 6): ``--lang ru`` / the ``lang`` parameter.

References: the Russian plural rule is CLDR's (``babel.messages.plurals.get_plural("ru")``, the same rule
as the GNU gettext manual's Russian ``Plural-Forms``); Russian number style (decimal comma, no-break
space between thousands) is CLDR's ``ru`` locale as Babel ships it.
"""

from __future__ import annotations

import importlib.util
import re
import string
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cxlab import report
from cxlab.errors import CXLabError
from cxlab.findings import fmt_count, fmt_p, fmt_pct, fmt_signed, style_table
from cxlab.findings import nps as fnd
from cxlab.findings.i18n import LANGUAGES, check_language, get_language, ngettext, noun_phrase, use_language

ROOT = Path(__file__).resolve().parents[1]
NBSP = "\u00a0"


def _tool():
    spec = importlib.util.spec_from_file_location("update_catalog", ROOT / "tools" / "update_catalog.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _catalog():
    from babel.messages.pofile import read_po

    with open(ROOT / "cxlab" / "findings" / "locale" / "ru.po", "rb") as fh:
        return read_po(fh, locale="ru")


# --------------------------------------------------------------------------- the catalog
def test_every_english_message_has_a_russian_translation():
    template = _tool().extract()
    ru = _catalog()
    missing, bad_fields = [], []
    for msg in template:
        if not msg.id:
            continue
        found = ru.get(msg.id, context=msg.context)
        strings = found.string if found is not None else None
        forms = strings if isinstance(strings, tuple) else (strings,)
        if found is None or not all(forms) or found.fuzzy:
            missing.append(msg.id)
            continue
        if isinstance(msg.id, tuple):
            assert len(forms) == 3, msg.id  # Russian has three plural forms
        allowed = set().union(*(_fields(m) for m in (msg.id if isinstance(msg.id, tuple) else (msg.id,))))
        for form in forms:
            if not _fields(form) <= allowed:
                bad_fields.append((msg.id, form))
    assert len(template) > 250
    assert not missing, f"{len(missing)} messages without a Russian translation, e.g. {missing[:3]}"
    assert not bad_fields, f"translations using fields the code does not pass: {bad_fields[:3]}"


def test_catalog_plural_rule_is_cldrs():
    from babel.messages.plurals import get_plural

    assert _catalog().plural_forms == get_plural("ru").plural_forms
    with use_language("ru"):
        forms = {n: ngettext("{n} answer", "{n} answers", n) for n in (1, 2, 5, 11, 21, 22, 25, 111, 101)}
    # without a catalog entry gettext falls back to English: check the rule through a real message instead
    msg = ("Only {n} answer has a score, fewer than the minimum base of {min_base}: no NPS is reported.",
           "Only {n} answers have a score, fewer than the minimum base of {min_base}: no NPS is reported.")
    with use_language("ru"):
        got = {n: ngettext(*msg, n) for n in (1, 2, 5, 11, 21, 22, 25, 111, 101)}
    assert got[1] == got[21] == got[101] and "ответ " in got[1].format(n=1, min_base=30)
    assert got[2] == got[22] and "ответа " in got[2].format(n=2, min_base=30)
    assert got[5] == got[11] == got[25] == got[111] and "ответов " in got[5].format(n=5, min_base=30)
    assert forms[5] == "{n} answers"  # an unknown message stays English


# --------------------------------------------------------------------------- language choice
def test_unknown_language_is_refused_listing_the_available_ones():
    with pytest.raises(CXLabError) as err:
        check_language("de")
    assert "en" in str(err.value) and "ru" in str(err.value)
    assert check_language("ru_RU") == "ru" and set(LANGUAGES) == {"en", "ru"}


def test_report_refuses_an_unknown_lang_before_any_notebook_runs(tmp_path, capsys):
    out = tmp_path / "out"
    assert report.main(["--lang", "xx", "--notebooks", "03", "--output", str(out)]) == 2
    msg = capsys.readouterr().err
    assert "'xx'" in msg and "en (English)" in msg and "ru (Russian" in msg
    assert not out.exists()  # nothing ran, nothing written
    with pytest.raises(CXLabError, match="not available"):
        report.run_all(out, ["03"], parameters={"lang": "fr"}, progress=False)
    assert not out.exists()


def test_lang_is_a_shared_parameter_of_every_notebook():
    assert "lang" in report.SHARED_PARAMETERS
    for nb in report.list_notebooks():
        params = report.notebook_parameters(nb)
        assert "lang" in params, nb.name


# --------------------------------------------------------------------------- numbers and words
def test_russian_numbers_and_p_values():
    with use_language("ru"):
        assert fmt_p(0.00002) == "p < 0,001" and fmt_p(0.0234) == "p = 0,023" and fmt_p(0.5) == "p = 0,50"
        assert fmt_signed(-3.26, 1) == "−3,3" and fmt_signed(12.4) == "+12" and fmt_signed(-1234.5, 1) == "−1" + NBSP + "234,5"
        assert fmt_count(12345.0) == "12" + NBSP + "345" and fmt_pct(0.237) == "24" + NBSP + "%"
        assert fmt_p(float("nan")) == "p не рассчитано"
    assert get_language() == "en"
    assert (fmt_p(0.00002), fmt_signed(-3.26, 1), fmt_count(12345.0), fmt_pct(0.237)) == ("p < 0.001", "−3.3",
                                                                                          "12,345", "24%")


@pytest.mark.parametrize(("n", "word"), [(1, "канал"), (2, "канала"), (5, "каналов"), (11, "каналов"),
                                         (21, "канал"), (22, "канала")])
def test_russian_nouns_agree_with_numbers(n, word):
    with use_language("ru"):
        assert noun_phrase("channel", n) == word


@pytest.mark.parametrize(("n", "form"), [(1, "содержит только 1 ответ "), (2, "содержат только 2 ответа "),
                                         (5, "содержат только 5 ответов "), (11, "содержат только 11 ответов "),
                                         (21, "содержит только 21 ответ ")])
def test_findings_use_russian_plural_forms(n, form):
    row = {"estimate": float("nan"), "ci_low": float("nan"), "ci_high": float("nan"), "pct_promoters": float("nan"),
           "pct_detractors": float("nan"), "n": n, "n_effective": float(n), "suppressed": True}
    with use_language("ru"):
        assert form in fnd.overall_nps(row).text


def test_a_finding_in_russian_keeps_the_users_values_and_translates_cxlabs():
    from cxlab.nps import nps_pairwise

    df = pd.DataFrame({"channel": ["Самовывоз"] * 60 + ["phone"] * 60,
                       "likelihood_to_recommend": [10, 9, 8, 3] * 15 + [10, 7, 7, 2] * 15})
    with use_language("ru"):
        f = fnd.group_differences(nps_pairwise(df, by="channel"), grouping="channel")
        table = style_table(pd.DataFrame({"channel": ["store", "Самовывоз"], "n": [1234.0, 5.0],
                                          "p_value": [0.0001, 0.2]})).data
    assert "**телефон**" in f.text and "между каналами" in f.text and "хи-квадрат = 10,0" in f.text
    assert "phone" not in f.text and "chi-square" not in f.text
    assert list(table.columns) == ["канал", "n", "p"]
    assert table["канал"].tolist() == ["магазин", "Самовывоз"] and table["n"].iloc[0] == "1" + NBSP + "234"
    assert table["p"].iloc[0] == "< 0,001"


def test_english_is_the_default_and_unchanged():
    row = {"estimate": 21.6, "ci_low": 18.9, "ci_high": 24.2, "pct_promoters": 45.2, "pct_detractors": 23.6,
           "n": 3895, "n_effective": 3895.0, "suppressed": False}
    expected = "**NPS is +22** (95 % CI +19 to +24; 45 % promoters, 24 % detractors, n = 3,895)."
    assert fnd.overall_nps(row).text == expected
    with use_language("ru"):
        assert fnd.overall_nps(row).text.startswith("**NPS равен +22** (95" + NBSP + "%-й ДИ от +19 до +24;")
    with use_language("en"):
        assert fnd.overall_nps(row).text == expected


# --------------------------------------------------------------------------- the deliverables in Russian
#: English sentence words and headings that must not be left in a Russian deliverable.
ENGLISH = ["Headline findings", "Reports", "Methods appendix", "Data used", "Rules", "Parameters", "Software",
           "Privacy", "period ", "Generated by", "the client only", "NPS is", "no evidence", "answers",
           "significantly", "Intervals are", "Groups with fewer", "customer-experience report", "Methods and data",
           " CI ", "promoters", "detractors", "adjusted", "per wave", "lowest", "differ", "Demo data", "made-up"]


@pytest.mark.notebook
def test_report_in_russian_on_the_demo(tmp_path):
    out = tmp_path / "ru"
    assert report.main(["--notebooks", "00", "03", "--lang", "ru", "--output", str(out), "--format", "html,pptx"]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    methods = (out / "methods.html").read_text(encoding="utf-8")
    for page in (index, methods):
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S))
        text = re.sub(r"<table>.*?</table>", " ", text, flags=re.S)
        left = [w for w in ENGLISH if w in re.sub(r"<tr>.*?</tr>", " ", text, flags=re.S)]
        assert not left, left
        assert "lang='ru'" in page
    assert "Главные выводы" in index and "Приложение о методах" in index and "отчёт о клиентском опыте" in index
    assert "**" not in index and "NPS равен" in index
    assert re.search(r"\d,\d", index)  # decimal comma in the findings' numbers
    assert "нет оснований считать" in index or "значимо" in index
    assert "Правила" in methods and "двусторонние" in methods
    report_page = (out / "03_nps.html").read_text(encoding="utf-8")
    assert "← все отчёты" in report_page and "Демо-данные" in report_page
    assert "NPS равен" in report_page and "хи-квадрат" in report_page
    from pptx import Presentation

    deck = Presentation(str(out / "deck.pptx"))
    titles = [s.shapes.title.text for s in deck.slides]
    assert len(titles) >= 3 and titles[-1] == "Методы и данные"
    for t in titles[1:]:
        assert re.search("[а-яё]", t, flags=re.I), t  # every finding's slide title is Russian
        assert not any(w in t for w in ("NPS is", "No evidence", "lowest", "differ")), t
    assert zipfile.is_zipfile(out / "deck.pptx")


def test_every_playbook_and_segment_word_has_a_russian_label():
    from cxlab.findings.format import value_label
    from cxlab.segmentation.playbook import DEFAULT_PLAYBOOK
    from cxlab.segmentation.scores import SEGMENT_ORDER
    from cxlab.schema import CHANNELS

    words = set(SEGMENT_ORDER) | set(CHANNELS)
    for column in ("segment", "strategy", "actions", "channels", "goal"):
        words |= set(DEFAULT_PLAYBOOK[column])
    with use_language("ru"):
        untranslated = sorted(w for w in words if value_label(w) == w)
    assert not untranslated
    assert value_label("store") == "store"  # English: unchanged


def test_no_function_shadows_the_translation_function():
    """A loop variable named ``_`` in a function that also calls ``_()`` breaks it (UnboundLocalError)."""
    import ast

    files = sorted((ROOT / "cxlab" / "findings").glob("*.py")) + [
        ROOT / "cxlab" / "report" / name for name in ("__init__.py", "deliverables.py", "deck.py")]
    bad = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                            for n in ast.walk(node))
                binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                            for n in ast.walk(node))
                if calls and binds:
                    bad.append(f"{path.name}:{node.name}")
    assert not bad


# --------------------------------------------------------------------------- HOSTILE2 findings fixes
def _sens(social_nan: bool):
    import numpy as np

    nan = np.nan
    rows = []
    for t, persons, web in ((0.5, 2060, 30.0), (0.99, 2124, 30.0)):
        rows.append({"threshold": t, "persons": persons, "channel": "web", "estimate": web, "ci_low": web - 8,
                     "ci_high": web + 8, "n": 400})
        s = nan if social_nan else 10.0 + 15 * (t > 0.9)
        rows.append({"threshold": t, "persons": persons, "channel": "social", "estimate": s,
                     "ci_low": s - 5 if not social_nan else nan, "ci_high": s + 5 if not social_nan else nan, "n": 9})
    return pd.DataFrame(rows)


def test_threshold_sensitivity_ignores_suppressed_channels():
    """HOSTILE2 H6: a suppressed channel (NaN interval) made a 0.0-point move read as 'more than the half-width'."""
    from cxlab.findings import identity as fi

    stable = _sens(social_nan=True)
    assert fi.sensitivity_title(stable) == "The channel NPS does not hinge on the match threshold"
    assert "well inside its interval" in fi.sensitivity_sentence(stable, 0.95)
    moving = _sens(social_nan=False)  # social moves 15 points with a half-width of 5: the effect is real
    assert fi.sensitivity_title(moving) == "The channel NPS depends on the match threshold"
    assert "(social), more than the half-width" in fi.sensitivity_sentence(moving, 0.95)
    empty = stable[stable["channel"] == "social"]
    assert "no channel has enough answers" in fi.sensitivity_sentence(empty, 0.95)


def test_mix_explains_the_gap_only_when_adjustment_removes_much_of_it():
    """HOSTILE2 H12: raw +16 → adjusted +14 (CI −2 to +29) is the same gap, not a customer-mix artefact."""
    from cxlab.findings import channels as fch

    row = {"channel": "web", "n": 153, "raw_gap": 16.0, "raw_ci_low": 0.4, "raw_ci_high": 32.0,
           "adjusted_gap": 14.0, "adjusted_ci_low": -2.0, "adjusted_ci_high": 29.0, "covariates": "segment"}
    same = fch.mix_finding(row, metric="nps")
    assert "about the same" in same and "explained by who uses" not in same
    mixed = fch.mix_finding({**row, "adjusted_gap": 3.0, "adjusted_ci_low": -9.0, "adjusted_ci_high": 15.0}, metric="nps")
    assert "explained by who uses web" in mixed  # adjustment removed most of the gap
    with use_language("ru"):
        assert "состав клиентов его не объясняет" in fch.mix_finding(row, metric="nps")


def _claims(over_by_group):
    from types import SimpleNamespace

    rows = [{"group": "all", "n": 600, "over": 0.25, "over_low": 0.22, "over_high": 0.29, "under": 0.05,
             "under_low": 0.03, "under_high": 0.07, "agree": 0.7}]
    for name, (n, over) in over_by_group.items():
        rows.append({"group": name, "n": n, "over": over, "over_low": over - 0.08, "over_high": over + 0.08,
                     "under": 0.05, "under_low": 0.02, "under_high": 0.09, "agree": 0.7})
    return SimpleNamespace(claims=pd.DataFrame(rows), ordered=True)


def test_a_segment_is_named_as_over_claiming_most_only_when_segments_differ():
    """HOSTILE2 H13: overlapping segment shares (uniform over-claim) must not name a 'worst' segment."""
    from cxlab.findings.survey_vs_behaviour import recommendations

    uniform = recommendations(tier=_claims({"segment: at risk": (40, 0.30), "segment: loyal": (200, 0.24),
                                            "segment: champions": (150, 0.22)}))[0]
    assert "about 25% overstate it." in uniform and "most in" not in uniform
    differ = recommendations(tier=_claims({"segment: at risk": (300, 0.45), "segment: loyal": (300, 0.12)}))[0]
    assert "most in segment: at risk (the groups differ: chi-square p < 0.001)" in differ


def test_deck_footer_names_the_part_a_finding_comes_from(tmp_path):
    """HOSTILE2 H17: part-2 findings were labelled with part 1's title in the deck footer."""
    import nbformat

    from cxlab.findings.key import FINDING_MIME
    from cxlab.report.deliverables import collect_results

    def finding(title):
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={FINDING_MIME: {"title": title, "text": "t."},
                                                                     "text/plain": title})]
        return cell

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Part 1: identities"), finding("A"),
                nbformat.v4.new_markdown_cell("# Part 2 — channels\n\n## 2.1 metrics"), finding("B")]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, str(path))
    r = collect_results(path, None)
    assert [f.title for f, _png in r.findings] == ["A", "B"]
    assert r.sections == ["Part 1: identities", "Part 2 — channels"]
