"""Figures in Russian: every static figure of cxlab.plots drawn on the demo company with ``lang="ru"``.

What is checked: no English word of cxlab's own figure vocabulary (the words of the messages in
``cxlab/plots/*.py``) is left in any title, axis label, tick label cxlab sets, legend entry, colour-bar
label or annotation (every ``matplotlib.text.Text`` of the figure); the only Latin words left are
technical names kept in Russian CX writing (NPS, CLV, BG/NBD, P(alive), top-2-box...) and values from
the user's own data (their driver columns, comment themes, ids). English output is covered by the
other plot tests, which still assert the English labels.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from cxlab.findings.i18n import get_language, use_language

ROOT = Path(__file__).resolve().parents[1]
PLOTS = ROOT / "cxlab" / "plots"
WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*")
#: Names a Russian CX report keeps in Latin letters (metrics, models, software, notation).
TECHNICAL = {"NPS", "CLV", "CSAT", "CES", "BG", "NBD", "Gamma-Gamma", "RFM", "HC3", "SD", "P", "alive", "splink",
             "CRM", "top-2-box", "e-mail", "ID", "log10", "x", "n",
             "mathdefault"}  # matplotlib's mathtext for the 10^k labels of a log axis


def _plot_vocabulary() -> set[str]:
    """Every English word of the messages the figures write (from the catalog extraction of cxlab/plots)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("update_catalog", ROOT / "tools" / "update_catalog.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    words = set()
    for msg in tool.extract():
        if not any(loc.startswith("cxlab/plots/") for loc, _line in msg.locations):
            continue
        for text in msg.id if isinstance(msg.id, tuple) else (msg.id,):
            text = re.sub(r"\{[^}]*\}", " ", text)
            words |= {w.lower() for w in WORD.findall(text.replace("_", " ")) if len(w) > 2}
    return words - {w.lower() for w in TECHNICAL}


VOCABULARY = _plot_vocabulary()


def _texts(ax) -> list[str]:
    fig = ax.figure if hasattr(ax, "figure") else ax
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]


def _english_left(ax, data_words=()) -> list[str]:
    """Latin words left in the figure that are neither technical names nor the user's own values."""
    allowed = {w.lower() for w in TECHNICAL}
    data = {w.lower() for w in data_words}
    left = []
    for text in _texts(ax):
        for w in WORD.findall(text):
            if w.lower() in data or (w.lower() in allowed and w.lower() not in VOCABULARY):
                continue  # the user's own value, or a technical name
            if w.lower() in VOCABULARY or len(w) > 1:
                left.append(f"{w!r} in {text!r}")
    return left


def _words(values) -> set[str]:
    """The Latin words of the user's values (their driver columns, themes, ids...)."""
    out = set()
    for v in values:
        out |= set(WORD.findall(str(v).replace("_", " ")))
    return out


DECIMAL_POINT = re.compile(r"^[−-]?\d+\.\d+$")


def check(ax, data_words=()):
    __tracebackhide__ = True
    (ax.figure if hasattr(ax, "figure") else ax).canvas.draw()  # tick labels are written when drawn
    left = _english_left(ax, data_words)
    assert not left, left
    points = [t for t in _texts(ax) if DECIMAL_POINT.match(t)]
    assert not points, f"numbers with a decimal point: {points[:5]}"
    assert re.search("[а-яё]", " ".join(_texts(ax)), flags=re.I), "no Russian text at all"


@pytest.fixture
def ru():
    with use_language("ru"):
        yield
    assert get_language() == "en"


@pytest.fixture(scope="module")
def summary(demo):
    from cxlab.rfm import rfm_summary

    return rfm_summary(demo.transactions, observation_end=demo.observation_end)


# --------------------------------------------------------------------------- the vocabulary itself
def test_the_figure_vocabulary_is_extracted():
    assert {"customers", "segment", "principal", "component", "tolerance", "planted"} <= VOCABULARY
    assert "nps" not in VOCABULARY


def test_no_plot_function_shadows_the_translation_function():
    """A name ``_`` bound in a function that also calls ``_()`` breaks it (UnboundLocalError)."""
    bad = []
    for path in sorted(PLOTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.Lambda)):
                nodes = list(ast.walk(node))
                calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in nodes)
                binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in nodes)
                args = any(a.arg == "_" for a in node.args.args)
                if calls and (binds or args):
                    bad.append(f"{path.name}:{getattr(node, 'name', 'lambda')}")
    assert not bad


# --------------------------------------------------------------------------- overview, ratings, NPS
def test_overview_and_ratings_in_russian(demo, ru):
    from cxlab.nps import rating_table
    from cxlab.overview import channel_mix, monthly_activity
    from cxlab.plots.overview import plot_channel_mix, plot_monthly_activity
    from cxlab.plots.ratings import plot_rating_by_group

    tables = demo.tables() if callable(demo.tables) else demo.tables
    ax = plot_monthly_activity(monthly_activity(tables))
    check(ax)
    assert ax.get_title() == "Активность во времени"
    ax.figure.canvas.draw()  # the date ticks are written when drawn: Russian month names, none in English
    ticks = " ".join(t.get_text() for t in ax.get_xticklabels()) + " " + ax.xaxis.get_offset_text().get_text()
    assert not re.search(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec", ticks), ticks
    assert re.search(r"янв|фев|мар|апр|май|июн|июл|авг|сен|окт|ноя|дек", ticks), ticks
    ax = plot_channel_mix(channel_mix(tables))
    check(ax)
    assert "магазин" in [t.get_text() for t in ax.get_xticklabels()]
    for value in ("mean", "pct_top_box"):
        t = rating_table(demo.survey_responses, score="csat", by="channel")
        ax = plot_rating_by_group(t, group="channel", value=value)
        check(ax)
    assert ax.get_xlabel() == "% в двух верхних баллах"


def test_nps_figures_in_russian(demo, ru):
    from cxlab import nps, text
    from cxlab.plots import nps as pn

    s = demo.survey_responses
    table = nps.nps_table(s, by="channel")
    ax = pn.plot_nps_by_group(table, group="channel")
    check(ax)
    assert ax.get_title() == "NPS по группам с доверительными интервалами"
    assert "доверительный интервал" in ax.get_legend_handles_labels()[1]
    ax = pn.plot_nps_distribution(table, group="channel")
    check(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["критики", "нейтралы", "промоутеры"]
    check(pn.plot_nps_trend(nps.nps_trend(s, period="Q")))
    check(pn.plot_nps_trend(nps.nps_trend(s, period="Q", by="channel"), group="channel"))
    drivers = nps.key_drivers(s, ordered_logit=False)
    check(pn.plot_driver_quadrant(drivers.table), _words(drivers.table["driver"]))
    lift = text.theme_lift(s)
    # theme labels come from the comment lexicon (chosen by the comments' language), like the user's data
    check(pn.plot_theme_lift(lift), _words(lift["label"]))
    ax = pn.plot_cutoff_sensitivity(nps.nps_cutoff_sensitivity(s))
    check(ax)
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "стандарт: критики 0–6, промоутеры 9–10"


# --------------------------------------------------------------------------- segments, CLV
def test_segment_figures_in_russian(demo, summary, ru):
    from cxlab import segmentation as seg
    from cxlab.plots import segments as ps

    rfm = pd.DataFrame({"days_since_last": summary["T"] - summary["recency"], "purchases": summary["frequency"] + 1,
                        "revenue": summary["monetary_value"] * (summary["frequency"] + 1) + 1.0})
    scored = seg.rfm_segments(seg.rfm_scores(rfm))
    for value in ("n", "share", "mean_revenue"):
        grid = seg.rfm_grid(scored).assign(mean_revenue=lambda d: d.get("mean_revenue", d["n"]))
        ax = ps.plot_rfm_heatmap(grid, value=value)
        check(ax)
    assert ax.get_title() == "Сетка RFM: средняя выручка"
    ax = ps.plot_segment_sizes(seg.segment_summary(scored.assign(avg_purchase=rfm["revenue"] / rfm["purchases"])))
    check(ax)
    assert "чемпионы" in " ".join(t.get_text() for t in ax.get_yticklabels()).lower()
    check(ps.plot_lorenz(seg.lorenz_curve(rfm["revenue"]), gini=0.42))
    feats = rfm.rename(columns={"days_since_last": "recency_days"})
    clusters = seg.cluster_customers(feats, k=3, columns=["recency_days", "purchases", "revenue"])
    ax = ps.plot_segment_scatter(clusters.table)
    check(ax)
    assert (ax.get_title(), ax.get_xlabel()) == ("Клиенты по сегментам", "главная компонента 1")
    assert ax.get_legend().get_texts()[0].get_text() == "сегмент 1"
    prof = seg.profile_table(feats[["recency_days", "purchases", "revenue"]], clusters.table["segment"])
    ax = ps.plot_cluster_profiles(prof)
    check(ax, _words(prof["feature"]))
    assert ax.get_title() == "Профили сегментов (индекс, 100 = среднее)"
    half = len(scored) // 2
    before, after = scored["segment"].iloc[:half], scored["segment"].iloc[half:2 * half]
    after.index = before.index
    check(ps.plot_migration(seg.migration_matrix(before, after)), {"none"})


def test_clv_figures_in_russian(demo, summary, ru):
    import cxlab.clv as clv
    from cxlab.plots import clv as pc

    bg = clv.fit_bgnbd(summary)
    rep = summary[summary["frequency"] > 0]
    gg = clv.fit_gamma_gamma(rep)
    values = clv.customer_value(rep, model=bg, spend_model=gg)
    ax = pc.plot_p_alive(values, threshold=0.3)
    check(ax)
    assert ax.get_legend().get_texts()[0].get_text() == "порог риска 0,30"
    check(pc.plot_clv_distribution(values, currency="₽"))
    tracking = pd.DataFrame({"date": pd.date_range("2024-01-07", periods=6, freq="W"),
                             "period": ["calibration"] * 4 + ["holdout"] * 2,
                             "actual": [1.0, 2, 3, 4, 5, 6], "predicted": [1.5, 2, 2.5, 4, 5, 5.5]})
    tracking["actual_cumulative"] = tracking["actual"].cumsum()
    tracking["predicted_cumulative"] = tracking["predicted"].cumsum()
    check(pc.plot_tracking(tracking))
    check(pc.plot_tracking(tracking, cumulative=False))
    holdout = pd.DataFrame({"frequency_cal": [0, 1, 2], "label": ["0", "1", "2+"], "n": [10, 5, 3],
                            "actual": [0.2, 0.8, 1.0], "se": [0.1, 0.2, 0.3], "ci_low": [0.0, 0.4, 0.4],
                            "ci_high": [0.4, 1.2, 1.6], "predicted": [0.25, 0.7, 1.1]})
    check(pc.plot_calibration_holdout(holdout))
    check(bg.plot())
    check(gg.plot())
    res = clv.clv_intervals(rep.iloc[:60], model=bg, spend_model=gg, n_draws=20, progress=False)
    ax = res.plot()
    check(ax, _words(rep.index[:60]))
    assert ax.get_title().startswith("30 лучших клиентов: CLV")
    for measure in ("p_alive", "expected_purchases"):
        check(pc.plot_clv_intervals(res.table, measure=measure), _words(rep.index[:60]))


# --------------------------------------------------------------------------- channels, identity, say-do
def test_channel_figures_in_russian(demo, ru):
    import cxlab.channels as ch
    from cxlab.datasets import load_tables
    from cxlab.plots import channels as pch

    t = load_tables(None)
    segments = t.truth.customers.set_index("customer_id")["segment"]
    survey = ch.respondent_context(t.survey_responses, customers=t.customers, segments=segments)
    audit = ch.flag_gaps(ch.audit_gaps(survey, t.interactions, covariates=["segment"]))
    ax = pch.plot_consistency_heatmap(audit)
    check(ax)
    assert ax.figure.axes[-1].get_ylabel() == "разрыв в SD (синий — лучше, красный — хуже)"
    nps_gaps = audit[audit["metric"] == "nps"]
    ax = pch.plot_channel_gaps(nps_gaps, band=5.0, unit="points")
    check(ax)
    assert ax.get_xlabel() == "разрыв с остальной компанией (п. NPS)"
    mix = ch.mix_adjusted_gaps(survey, covariates=["segment"])
    ax = pch.plot_raw_vs_adjusted(mix, truth={"phone": (-30.8, -20.8)})
    check(ax)
    assert "заложено в демо-данные" in ax.get_legend_handles_labels()[1]
    for unit in ("points", "scale", "%", "seconds"):
        ax = pch.plot_channel_gaps(nps_gaps, band=1.0, unit=unit)
        check(ax)
    pts, lim = ch.funnel_limits(survey, metric="nps")
    check(pch.plot_funnel(pts, lim, unit="points"))
    tone = ch.tone_features(t.interactions.head(1500))
    prof = ch.tone_profile(tone, t.interactions["channel"].head(1500), min_base=0)
    div = ch.tone_divergence(tone, t.interactions["channel"].head(1500), min_base=10, n_resamples=100)
    check(pch.plot_tone_profile(prof, divergence=div))


def test_identity_figures_in_russian(ru):
    from cxlab.identity import (cluster_sizes, fragmentation_audit, links_by_rule, probability_bands,
                                resolve_identities)
    from cxlab.plots import identity as pid

    recs = pd.DataFrame({
        "record_id": ["c1", "c2", "a", "b", "x", "y"], "customer_id": ["1", "2", None, None, None, None],
        "name": ["Анна Петрова", "Олег Орлов", "Петрова Анна", "Oleg Orlov", "Анна Петрова", "Ирина"],
        "email": ["anna.petrova@mail.ru", None, " ANNA.PETROVA@MAIL.RU", None, None, None],
        "phone": [None, "+7 912 000-11-22", None, "89120001122", None, None], "handle": None,
        "channel": ["crm", "crm", "chat", "phone", "social", "chat"]})
    small = resolve_identities(recs, probabilistic=False)
    ax = pid.plot_links_by_rule(links_by_rule(small))
    check(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["e-mail", "телефон"]
    check(pid.plot_cluster_sizes(cluster_sizes(small)))
    check(pid.plot_fragmentation(fragmentation_audit(small)))
    check(pid.plot_probability_bands(probability_bands(small)))
    sens = pd.DataFrame({"threshold": [0.5, 0.5, 0.9, 0.9], "persons": [40, 40, 44, 44],
                         "channel": ["web", "phone"] * 2, "n": [100, 90, 101, 92], "estimate": [30.0, -5.0, 31.0, -4.0],
                         "ci_low": [20.0, -15.0, 21.0, -14.0], "ci_high": [40.0, 5.0, 41.0, 6.0]})
    fig, (a1, a2) = plt.subplots(1, 2)
    chart = pid.ThresholdChart(sens, a1, a2, threshold=0.5)
    chart.update(0.9)
    check(fig)
    assert a1.get_legend().get_texts()[0].get_text() == "выбранный порог (0,9)"
    timeline = pd.DataFrame({"when": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01", "2024-03-02"]),
                             "channel": ["crm", "web", "phone", None],
                             "event": ["signed up", "purchase", "contact", "survey"]})
    ax = pid.plot_timeline(timeline)
    check(ax)
    assert {t.get_text() for t in ax.get_yticklabels()} == {"CRM", "сайт", "телефон", "неизвестно"}


def test_say_do_figures_in_russian(demo, ru):
    import cxlab.survey_vs_behaviour as svb
    from cxlab.plots import survey_vs_behaviour as psvb

    link = svb.link_survey(demo.survey_responses, transactions=demo.transactions, customers=demo.customers)
    check(psvb.plot_coverage(link.coverage))
    sd = svb.say_do_table(demo.survey_responses, link, demo.transactions, customers=demo.customers,
                          observation_end=demo.observation_end)
    prof = svb.customer_profile(demo.transactions, customers=demo.customers, observation_end=demo.observation_end)
    tier = svb.agreement(sd.assign(segment=sd["customer_id"].map(prof["segment"])), "stated_price_tier",
                         "actual_price_tier", by="segment")
    levels = _words(tier.confusion.columns) | _words(tier.confusion.index)
    check(psvb.plot_agreement_heatmap(tier.confusion), levels)
    groups = _words(tier.claims["group"]) - {"all"}
    check(psvb.plot_claims(tier.claims), groups)
    bt = svb.balance_table(prof, sd["customer_id"].dropna(), columns=["purchases", "revenue"])
    check(psvb.plot_love(bt), {"purchases", "revenue"})
    stated = svb.stated_per_year(sd["stated_frequency"])
    na = svb.numeric_agreement(sd.assign(stated_per_year=stated), "stated_per_year", "purchases_per_year", log=True)
    ax = na.plot()
    check(ax)
    assert any(t.startswith(" смещение ") for t in _texts(ax))
    ax = psvb.plot_calibration(na.calibration, x="stated", y="actual")
    check(ax)
    assert ax.get_title() == "Калибровка"
    by_class = pd.DataFrame({"nps_class": ["detractor", "passive", "promoter"], "n": [120, 200, 310],
                             "repurchase": [0.3, 0.4, 0.55], "repurchase_low": [0.22, 0.33, 0.5],
                             "repurchase_high": [0.38, 0.47, 0.6]})
    ax = psvb.plot_outcome_by_class(by_class)
    check(ax)
    assert ax.get_xticklabels()[0].get_text() == "критик\n(n=120)"
    summ = pd.DataFrame({"strategy": ["stated", "revealed"], "rate": [0.3, 0.4], "ci_low": [0.25, 0.35],
                         "ci_high": [0.35, 0.45], "n": [100, 100], "hits": [30, 40]})
    check(psvb.plot_offer_backtest(summ))
    triad = pd.DataFrame({"driver": ["attr_delivery", "attr_price"], "say": [0.3, 0.1], "say_low": [0.2, 0.0],
                          "say_high": [0.4, 0.2], "do": [0.0, 0.2], "do_low": [-0.1, 0.1], "do_high": [0.1, 0.3]})
    check(psvb.plot_driver_triad(triad), {"attr", "delivery", "price"})


# --------------------------------------------------------------------------- language at draw time
def test_language_is_read_when_the_figure_is_drawn(demo):
    from cxlab import nps
    from cxlab.plots import nps as pn

    table = nps.nps_table(demo.survey_responses, by="channel")
    with use_language("ru"):
        chart = pn.NPSByGroupChart(plt.subplots()[1])
        chart.update(table, group="channel")
    chart.update(table, group="channel")  # a redraw keeps the words the chart was built with
    assert chart.ax.get_title() == "NPS по группам с доверительными интервалами"
    ax = pn.plot_nps_by_group(table, group="channel")  # built in English: English, as before
    assert ax.get_title() == "NPS by group with confidence intervals"
    assert {t.get_text() for t in ax.get_yticklabels()} == set(table["channel"].astype(str))
    assert not re.search("[а-яё]", " ".join(_texts(ax)), flags=re.I)
