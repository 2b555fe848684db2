"""Channel audit: figures (what was drawn), the audit explorer (set controls, check what is
shown) and the plain-language findings (each claims only what its test supports)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from statsmodels.stats.power import NormalIndPower  # noqa: E402

import cxlab.channels as ch  # noqa: E402
import cxlab.findings.channels as fch  # noqa: E402
from cxlab.plots import channels as pch  # noqa: E402


@pytest.fixture(scope="module")
def demo():
    from cxlab.datasets import load_tables

    t = load_tables(None)
    seg = t.truth.customers.set_index("customer_id")["segment"]
    survey = ch.respondent_context(t.survey_responses, customers=t.customers, segments=seg)
    return t, survey


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


# ------------------------------------------------------------------ plots
def test_raw_vs_adjusted_draws_three_estimates_per_channel_and_the_truth(demo):
    t, survey = demo
    mix = ch.mix_adjusted_gaps(survey, covariates=["segment"])
    ax = pch.plot_raw_vs_adjusted(mix, truth={"phone": (-30.8, -20.8)})
    labels = [line.get_label() for line in ax.get_lines()]
    assert {"raw", "adjusted for mix (regression, HC3)", "direct standardisation", "planted (demo truth)"} <= set(labels)
    assert [tk.get_text() for tk in ax.get_yticklabels()] == mix["channel"].tolist()
    assert len(ax.collections) == 3  # one set of interval lines per estimate


def test_heatmap_marks_flagged_cells(demo):
    t, survey = demo
    audit = ch.flag_gaps(ch.audit_gaps(survey, t.interactions, covariates=["segment"]))
    ax = pch.plot_consistency_heatmap(audit)
    texts = [x.get_text() for x in ax.texts]
    assert sum("⚑" in s for s in texts) == int(audit["flagged"].sum())
    assert len(ax.get_xticklabels()) == audit["metric"].nunique()


def test_funnel_and_tone_profile_draw_every_channel(demo):
    t, survey = demo
    pts, lim = ch.funnel_limits(survey, metric="nps")
    ax = pch.plot_funnel(pts, lim)
    assert len(ax.texts) == len(pts) and len(ax.get_lines()) == 5  # 2 levels × 2 limits + target
    tone = ch.tone_features(t.interactions.head(1500))
    prof = ch.tone_profile(tone, t.interactions["channel"].head(1500), min_base=0)
    ax = pch.plot_tone_profile(prof)
    assert len(ax.get_yticklabels()) == t.interactions["channel"].head(1500).nunique()


def test_gap_chart_updates_in_place():
    fig, ax = plt.subplots()
    chart = pch.GapChart(ax, max_channels=3)
    table = pd.DataFrame({"channel": ["a", "b", "c"], "gap": [-10.0, 2.0, np.nan], "ci_low": [-15.0, -3.0, np.nan],
                          "ci_high": [-5.0, 7.0, np.nan], "flagged": [True, False, False], "n": [100, 90, 10]})
    chart.update(table, band=4.0, unit="points")
    assert len(chart._lines.get_segments()) == 2
    assert chart._texts[0].get_text().endswith("⚑") and "not tested" in chart._texts[2].get_text()
    assert chart._band.get_width() == pytest.approx(8.0)
    chart.update(table.iloc[:2], band=1.0)
    assert chart._texts[2].get_text() == "" and [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]


# ------------------------------------------------------------------ explorer
def test_explorer_controls_change_what_is_shown(demo):
    from cxlab.widgets.channels import channel_audit_explorer

    t, survey = demo
    ex = channel_audit_explorer(survey, t.interactions)
    c = ex.controls
    assert c["adjust_for"].value == ("segment", "region", "age_cohort")
    phone = ex.table.set_index("channel").loc["phone"]
    cells = ch.metric_cells(survey, "nps", strata=["segment", "region", "age_cohort"])
    ref = ch.standardised_gaps(cells, strata=["segment", "region", "age_cohort"]).set_index("channel").loc["phone"]
    assert phone["gap"] == pytest.approx(ref["gap"])  # the explorer computes through the public function
    png = ex.figure.image.value
    assert png[:4] == b"\x89PNG"
    c["adjust_for"].value = ()
    raw = ex.table.set_index("channel").loc["phone", "gap"]
    assert raw == pytest.approx(t.truth.params["phone_nps_gap_raw"], abs=0.05)
    assert ex.figure.image.value != png
    c["tolerance"].value = 1.0
    assert not ex.table["flagged"].any()
    c["tolerance"].value = 0.2
    assert ex.table.set_index("channel").loc["phone", "flagged"]
    c["channels"].value = ("store", "web", "phone")
    assert ex.table["channel"].tolist() == ["store", "web", "phone"]
    c["channels"].value = ("store",)
    assert "at least two channels" in ex.status.value
    c["channels"].value = tuple(c["channels"].options)
    c["adjust_for"].value = ("segment", "region", "age_cohort")
    c["metric"].value = "fcr"  # contacts carry no segment column here: shown raw, with a note
    assert "Not adjusted for" in ex.status.value
    assert ex.table.set_index("channel").loc["phone", "worse"]


# ------------------------------------------------------------------ findings
def test_gap_sentence_claims_only_what_the_interval_supports():
    sig = fch.gap_sentence("phone", "nps", -30.8, -36.6, -24.9, 783)
    assert "lower than" in sig and "no evidence" not in sig
    none = fch.gap_sentence("chat", "csat", 0.05, -0.1, 0.2, 120, rest_n=3000, sd=0.9)
    assert "no evidence of a difference" in none and "lower" not in none and "higher" not in none
    need = NormalIndPower().solve_power(effect_size=0.2, alpha=0.05, power=0.8, ratio=3000 / 120)
    assert f"about {int(np.ceil(need)):,} answers" in none


def test_mix_finding_explains_the_share_due_to_the_mix(demo):
    t, survey = demo
    mix = ch.mix_adjusted_gaps(survey, covariates=["segment"]).set_index("channel")
    text = fch.mix_finding(mix.loc["phone"].rename_axis(None).to_dict() | {"channel": "phone"}, metric="nps")
    assert "the channel itself" in text and "explained by who uses phone" in text
    no_adj = mix.loc["phone"].to_dict() | {"channel": "phone", "adjusted_gap": -2.0, "adjusted_ci_low": -8.0,
                                           "adjusted_ci_high": 4.0}
    text = fch.mix_finding(no_adj, metric="nps")
    assert "no evidence of a gap" in text and "explained by who uses phone" in text


def test_tone_and_consistency_findings_and_recommendations(demo):
    t, survey = demo
    div = pd.DataFrame({"channel": ["social", "chat", "store"], "n": [700, 700, 800], "divergence": [3.4, 0.03, 0.02],
                        "ci_low": [3.3, 0.01, 0.0], "ci_high": [3.5, 0.06, 0.05], "flagged": [True, False, False],
                        "largest_feature": ["greeting", "words", "words"], "largest_h": [-3.1, 0.1, 0.1]})
    text = fch.tone_finding(div)
    assert text.startswith("Social messages are off-brand") and "chat, store" in text
    audit = ch.flag_gaps(ch.audit_gaps(survey, covariates=["segment"], metrics=["nps"]))
    lines = fch.consistency_findings(ch.consistency_index(audit))
    assert "phone" in lines[0] and "materially worse" in lines[0]
    recs = fch.recommendations(ch.ranked_inconsistencies(audit), div)
    assert recs[0].startswith("Phone — NPS") and recs[-1].startswith("Social — tone off-brand")
    calm = fch.recommendations(ch.ranked_inconsistencies(audit, tolerance=5.0))
    assert calm == [fch.recommendations(ch.ranked_inconsistencies(audit, tolerance=5.0))[0]] and "No channel" in calm[0]


def test_homogeneity_finding_says_no_evidence_when_p_is_large():
    tests = pd.DataFrame([{"metric": "nps", "test": "chi-square", "channels": 3, "n": 300, "statistic": 1.2,
                           "dof": 4, "p_value": 0.88, "effect_size": 0.04, "effect_measure": "Cramér's V"}])
    assert fch.homogeneity_finding(tests).startswith("No evidence that NPS differs")


def test_heatmap_text_is_readable_on_dark_cells_and_names_percentage_points():
    # HOSTILE2 H21: values on the darkest cells were printed in black, and rate gaps had no unit.
    gaps = pd.DataFrame({
        "metric": ["nps", "nps", "fcr", "fcr"], "label": ["NPS", "NPS", "First-contact resolution"] * 1 + ["First-contact resolution"],
        "unit": ["points", "points", "%", "%"], "channel": ["web", "phone", "web", "phone"],
        "gap": [62.8, -73.0, 1.0, -1.0], "effect_size": [0.9, -0.9, 0.05, -0.05], "flagged": [True, True, False, False],
        "higher_is_better": [True] * 4})
    ax = pch.plot_consistency_heatmap(gaps)
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours["+62.8 ⚑"] == "white" and colours["-73.0 ⚑"] == "white"  # the two darkest cells
    assert colours["+1.0 pp"] == "black" and colours["-1.0 pp"] == "black"  # pale cells, percentage points
    plt.close(ax.figure)
