"""Notebook 03 (NPS) on surveys shaped unlike the demo company (issue 8), and on the demo.

The sets are written by tests/data/own/make_survey_sets.py (committed, deterministic):

* ``dev_survey`` — one wave, 0–10 score, the user's own grouping columns country and remote, no
  channel, no ratings, no comments (like a public developer survey);
* ``csat_only`` — CSAT 1–5 and no NPS question;
* ``small_wave_null`` — 488 answers, cp1251 ``;`` export with Russian headers and decimal commas, six
  channels, every channel × price-tier cell below the minimum base, NO channel effect;
* ``small_wave_effect`` — the same answers with a real effect planted in the chat channel.

Each run must finish without a failing cell, print no ``nan``/``<NA>``, carry no demo wording, show
the "Data used" block first (naming the file and its row count), and show the skip notes and the
findings its data support — and nothing more.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from cxlab.findings.nps import NO_EVIDENCE
from cxlab.report import execute_notebook
from cxlab.schema import SURVEY_RESPONSES

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "03_nps.ipynb"
OWN = Path(__file__).parent / "data" / "own"
_LTR_REQUIRED = next(c for c in SURVEY_RESPONSES.columns if c.name == "likelihood_to_recommend").required

CASES = {
    "dev_survey": {"data_dir": str(OWN / "dev_survey")},
    # a per-table path instead of a folder
    "csat_only": {"survey_path": str(OWN / "csat_only" / "survey_responses.csv")},
    # min_base as a float, as a command line or a YAML file may give it
    "small_wave_null": {"data_dir": str(OWN / "small_wave_null"), "min_base": 30.0},
    "small_wave_effect": {"data_dir": str(OWN / "small_wave_effect")},
    "demo": {},
}
_CHANNEL_WORDS = ("store", "web", "phone", "chat", "email", "social", "messenger")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    cache: dict[str, dict] = {}

    def run(name: str) -> dict:
        if name not in cache:
            out = tmp_path_factory.mktemp(name) / "03_nps.ipynb"
            executed = execute_notebook(NOTEBOOK, out, parameters=CASES[name])
            cache[name] = json.loads(executed.read_text(encoding="utf-8"))
        return cache[name]

    return run


def _outputs(nb: dict) -> list[str]:
    """Every text output, HTML reduced to its visible text."""
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if "text/html" in data:
                h = re.sub(r"<style.*?</style>", " ", "".join(data["text/html"]), flags=re.S)
                out.append(html.unescape(re.sub(r"<[^>]+>", " ", h)))
            elif "text/markdown" in data:
                out.append("".join(data["text/markdown"]))
            elif "text/plain" in data:
                out.append("".join(data["text/plain"]))
            if "text" in o:
                out.append("".join(o["text"]))
    return out


def _common(nb: dict, name: str) -> str:
    errors = [f"{o['ename']}: {o['evalue']}" for c in nb["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, f"{name}: {errors}"
    outs = _outputs(nb)
    text = "\n".join(outs)
    assert not re.search(r"\bnan\b", text, flags=re.I), f"{name}: 'nan' in the output"
    assert "<NA>" not in text and "NaT" not in text
    assert "Traceback" not in text
    return text


def _first_output(nb: dict) -> str:
    return _outputs(nb)[0]


@pytest.mark.notebook
@pytest.mark.slow
def test_one_wave_survey_with_own_grouping_columns(runs):
    nb = runs("dev_survey")
    text = _common(nb, "dev_survey")
    first = _first_output(nb)
    assert first.strip().startswith("Data: files in") and "survey_responses.csv" in first and "1,469" in first
    assert "Терруар" not in text and "sommelier" not in text.lower() and "wine" not in text.lower()
    assert not re.search(r"\b(" + "|".join(_CHANNEL_WORDS) + r")\b", text), "channel wording without a channel"
    assert "delivery" not in text.lower()
    assert "### By country" in text and "### By remote" in text
    assert "no trend to show" in text
    assert "**Skipped:** key drivers need at least two attribute ratings" in text
    assert "**Skipped:** the survey has no open comments." in text
    assert "needs the employee_survey table" in text
    assert "(missing)" not in text.replace("answers without a", "")
    assert "answers without a country are left out" in text
    assert "Germany has the lowest NPS of the countries." in text  # the headline's title


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.skipif(_LTR_REQUIRED, reason="the schema still requires likelihood_to_recommend (io helper makes it "
                                          "optional: a survey needs one of likelihood_to_recommend/csat/ces)")
def test_csat_only_survey_is_analysed_on_its_ratings(runs):
    nb = runs("csat_only")
    text = _common(nb, "csat_only")
    first = _first_output(nb)
    assert first.strip().startswith("Data: the files given") and "survey_responses.csv" in first and "900" in first
    assert "**Skipped:** the NPS sections (1–6) need a 0–10 likelihood-to-recommend question" in text
    assert "NPS is" not in text and "promoters" not in text.split("## 8.")[-1]
    assert "Mean CSAT is" in text and "answer 4 or 5" in text
    assert "CSAT by quarter" in text
    assert not re.search(r"\b(chat|email|social|messenger)\b", text)
    assert "delivery" not in text.lower() and "Терруар" not in text


@pytest.mark.notebook
@pytest.mark.slow
def test_small_wave_without_an_effect_claims_none(runs):
    nb = runs("small_wave_null")
    text = _common(nb, "small_wave_null")
    first = _first_output(nb)
    assert "survey_responses.csv" in first and "488" in first and "employee_survey.csv" in first and "157" in first
    assert NO_EVIDENCE in text
    assert "Every channel × stated price tier cell has fewer than 30 answers" in text
    assert "Look into the chat" not in text and "chat has the lowest NPS" not in text
    assert "Do not act on differences between channels yet" in text
    assert "no trend to show" in text
    assert "eNPS is" in text
    assert "delivery" not in text.lower() and "sommelier" not in text.lower() and "Терруар" not in text
    assert not re.search(r"\bsocial\b", text)


@pytest.mark.notebook
@pytest.mark.slow
def test_small_wave_with_a_real_effect_finds_it(runs):
    nb = runs("small_wave_effect")
    text = _common(nb, "small_wave_effect")
    assert "chat has the lowest NPS of the channels" in text
    assert "Look into the chat experience" in text
    assert "Every channel × stated price tier cell has fewer than 30 answers" in text
    assert "and stays behind" not in text  # cannot be checked within tiers at this sample size
    assert "delivery" not in text.lower() and "Терруар" not in text


@pytest.mark.notebook
@pytest.mark.slow
def test_demo_numbers_unchanged(runs):
    """The demo's planted truths, with the numbers the notebook printed before issue 8."""
    nb = runs("demo")
    text = _common(nb, "demo")
    assert _first_output(nb).strip().startswith("Demo data: «Терруар»")
    assert "NPS is +22" in text and "n = 3,895" in text
    assert "phone has the lowest NPS of the channels" in text and "−4 (95 % CI −9 to +2, n = 783)" in text
    assert "NPS fell significantly in 2025Q2" in text and "+10, 16 points below the quarter before" in text
    assert "the rating that fell most is **delivery**" in text
    assert "The strongest driver is quality" in text
    assert "**eNPS is −12**" in text
