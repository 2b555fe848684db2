"""Plots, the explorer widget and the plain-language findings of the say-do gap."""

from __future__ import annotations

import sys

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from cxlab import survey_vs_behaviour as svb
from cxlab.findings import survey_vs_behaviour as fsvb
from cxlab.plots import survey_vs_behaviour as psvb


@pytest.fixture(scope="module")
def results(demo):
    link = svb.link_survey(demo.survey_responses, transactions=demo.transactions, customers=demo.customers)
    sd = svb.say_do_table(demo.survey_responses, link, demo.transactions, customers=demo.customers,
                          observation_end=demo.observation_end)
    prof = svb.customer_profile(demo.transactions, customers=demo.customers, observation_end=demo.observation_end)
    tier = svb.agreement(sd.assign(segment=sd["customer_id"].map(prof["segment"])), "stated_price_tier",
                         "actual_price_tier", by="segment")
    return {"link": link, "sd": sd, "prof": prof, "tier": tier}


def test_analysis_modules_import_no_plotting():
    import subprocess

    code = ("import sys, cxlab.survey_vs_behaviour; "
            "bad = [m for m in ('matplotlib.pyplot', 'ipywidgets', 'cxlab.plots', 'cxlab.widgets') if m in sys.modules]; "
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_heatmap_draws_every_cell(results):
    conf = results["tier"].confusion
    ax = psvb.plot_agreement_heatmap(conf)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == conf.size
    assert texts[0].startswith(f"{conf.iloc[0, 0]:,}")
    assert [t.get_text() for t in ax.get_yticklabels()] == list(conf.index)


def test_claims_bars_have_intervals(results):
    claims = results["tier"].claims
    ax = psvb.plot_claims(claims)
    shown = claims.dropna(subset=["over"])
    assert len(ax.patches) == 2 * len(shown)
    widths = sorted(p.get_width() for p in ax.patches[: len(shown)])
    assert widths == pytest.approx(sorted(shown["over"] * 100))
    assert len(ax.collections) >= 2  # error bars


def test_love_plot_and_coverage(results):
    bt = svb.balance_table(results["prof"], results["sd"]["customer_id"].dropna(), columns=["purchases", "revenue"])
    ax = psvb.plot_love(bt)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["purchases", "revenue"]
    ax2 = psvb.plot_coverage(results["link"].coverage)
    assert len(ax2.patches) == len(results["link"].coverage)


def test_bland_altman_and_calibration_plots(results):
    sd = results["sd"]
    stated = svb.stated_per_year(sd["stated_frequency"])
    na = svb.numeric_agreement(sd.assign(stated_per_year=stated), "stated_per_year", "purchases_per_year", log=True)
    ax = na.plot()
    assert len(ax.lines) >= 4  # bias, two limits, zero line
    ax2 = psvb.plot_calibration(na.calibration, x="stated", y="actual")
    assert ax2.get_title() == "Calibration"


def test_offer_and_triad_plots():
    summ = pd.DataFrame({"strategy": ["stated", "revealed"], "rate": [0.3, 0.4], "ci_low": [0.25, 0.35],
                         "ci_high": [0.35, 0.45], "n": [100, 100], "hits": [30, 40]})
    ax = psvb.plot_offer_backtest(summ)
    assert [round(p.get_height()) for p in ax.patches] == [30, 40]
    triad = pd.DataFrame({"driver": ["a", "b"], "say": [0.3, 0.1], "say_low": [0.2, 0.0], "say_high": [0.4, 0.2],
                          "do": [0.0, 0.2], "do_low": [-0.1, 0.1], "do_high": [0.1, 0.3]})
    ax2 = psvb.plot_driver_triad(triad)
    assert len(ax2.patches) == 4
    plt.close("all")


def test_explorer_updates_on_every_control(results, demo):
    from cxlab.widgets.survey_vs_behaviour import say_do_explorer

    cube = svb.say_do_cube(demo.survey_responses, results["link"], demo.transactions, windows=(180, 365),
                           segment=results["prof"]["segment"], customers=demo.customers,
                           observation_end=demo.observation_end)
    w = say_do_explorer(cube)
    # the explorer's numbers equal agreement() on the same selection
    ref = svb.agreement(results["sd"], "stated_price_tier", "actual_price_tier")
    assert w.statistics.set_index("statistic").loc["kappa", "estimate"] == pytest.approx(ref.estimate("kappa"))
    first = w.figure.image.value
    w.controls["window"].value = 180
    assert w.figure.image.value != first
    w.controls["segment"].value = cube.segments[0]
    n_seg = int(w.confusion.to_numpy().sum())
    assert 0 < n_seg < ref.n_pairs
    w.controls["pair"].value = "favourite category"
    assert list(w.confusion.index) == cube.levels["favourite category"]
    assert "kappa" in w.table.value


def test_findings_only_claim_what_the_intervals_support(results):
    text = fsvb.claim_finding(results["tier"], label="price tier")
    assert text.startswith("Respondents over-claim their price tier")
    # a balanced made-up result: no direction may be claimed
    claims = pd.DataFrame({"group": ["all"], "n": [60], "agree": [0.8], "over": [0.1], "under": [0.1],
                           "over_low": [0.05], "over_high": [0.2], "under_low": [0.05], "under_high": [0.2]})
    from types import SimpleNamespace

    neutral = fsvb.claim_finding(SimpleNamespace(claims=claims, ordered=True), label="frequency")
    assert neutral.startswith("No evidence")


def test_kappa_explanation_and_coverage_sentence(results):
    text = fsvb.kappa_explanation(results["tier"], label="price tier")
    assert "by chance" in text and "kappa" in text
    cov = fsvb.coverage_finding(results["link"])
    assert f"{results['link'].n_linked:,} of {results['link'].n_responses:,}" in cov


def test_offer_finding_and_recommendations():
    from types import SimpleNamespace

    summ = pd.DataFrame({"strategy": ["stated", "revealed"], "rate": [0.3, 0.4], "ci_low": [0.25, 0.35],
                         "ci_high": [0.35, 0.45], "n": [500, 500], "hits": [150, 200]})
    win = SimpleNamespace(summary_table=summ, comparison=pd.DataFrame(
        [{"difference": 0.1, "ci_low": 0.05, "ci_high": 0.15, "p_value": 0.001, "n": 500}]))
    tie = SimpleNamespace(summary_table=summ, comparison=pd.DataFrame(
        [{"difference": 0.01, "ci_low": -0.02, "ci_high": 0.04, "p_value": 0.4, "n": 500}]))
    assert fsvb.offer_finding(win).startswith("Offers from what customers do beat")
    assert fsvb.offer_finding(tie).startswith("No evidence")
    recs = fsvb.recommendations(backtest=tie, weighted_shift=-2.0)
    assert any("controlled test" in r for r in recs) and any("weighted" in r for r in recs)


def test_prediction_and_triad_findings():
    by_class = pd.DataFrame({"nps_class": ["detractor", "passive", "promoter"], "n": [200, 300, 400],
                             "repurchase": [0.4, 0.5, 0.7], "repurchase_low": [0.33, 0.44, 0.65],
                             "repurchase_high": [0.47, 0.56, 0.74]})
    from types import SimpleNamespace

    model = SimpleNamespace(auc=pd.DataFrame([{"estimate": 0.62, "ci_low": 0.6, "ci_high": 0.64}]))
    text = fsvb.prediction_finding(by_class, model, days=90)
    assert text.startswith("What customers say does predict") and "with its controls" in text
    # hostile test H9: a strong model AUC that comes from the controls is never credited to what was said
    strong_controls = SimpleNamespace(auc=pd.DataFrame([{"estimate": 0.86, "ci_low": 0.8, "ci_high": 0.91}]),
                                      auc_predictor=pd.DataFrame([{"estimate": 0.545, "ci_low": 0.48,
                                                                   "ci_high": 0.61}]))
    text = fsvb.prediction_finding(by_class, strong_controls, days=90)
    assert "no better than a coin toss" in text and "past behaviour adds most" in text and "strong" not in text
    said_weak = SimpleNamespace(auc=model.auc, auc_predictor=pd.DataFrame([{"estimate": 0.62, "ci_low": 0.6,
                                                                             "ci_high": 0.64}]))
    assert "a weak predictor" in fsvb.prediction_finding(by_class, said_weak, days=90)
    # the model's promoter-vs-detractor odds ratio decides when it is there (here its interval includes 1)
    ors = pd.DataFrame({"term": ["nps_class[T.promoter]"], "estimate": [1.3], "ci_low": [0.9], "ci_high": [1.8]})
    unsure = fsvb.prediction_finding(by_class, SimpleNamespace(auc=model.auc, odds_ratios=ors), days=90)
    assert unsure.startswith("No clear evidence")
    triad = pd.DataFrame({"driver": ["attr_quality", "attr_delivery"], "say": [0.3, 0.1], "do": [0.05, 0.2],
                          "do_low": [-0.05, 0.1], "n": [1000, 1000]})
    assert "delivery" in fsvb.triad_finding(triad) and "quality" in fsvb.triad_finding(triad)
