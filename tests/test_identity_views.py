"""Plots, widgets and findings of identity resolution (drawn from small result tables)."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from cxlab.errors import CXLabError
from cxlab.findings import identity as fi
from cxlab.identity import (
    cluster_sizes,
    conflicts,
    fragmentation_audit,
    links_by_rule,
    probability_bands,
    resolve_identities,
    threshold_sensitivity,
)
from cxlab.plots import identity as pid
from cxlab.widgets.identity import mask_value, review_widget, threshold_explorer


@pytest.fixture(scope="module")
def small():
    recs = pd.DataFrame({
        "record_id": ["c1", "c2", "a", "b", "x", "y"], "customer_id": ["1", "2", None, None, None, None],
        "name": ["Анна Петрова", "Олег Орлов", "Петрова Анна", "Oleg Orlov", "Анна Петрова", "Ирина"],
        "email": ["anna.petrova@mail.ru", None, " ANNA.PETROVA@MAIL.RU", None, None, None],
        "phone": [None, "+7 912 000-11-22", None, "89120001122", None, None], "handle": None,
        "channel": ["crm", "crm", "chat", "phone", "social", "chat"]})
    return resolve_identities(recs, probabilistic=False)


def test_plots_draw_the_tables(small):
    import matplotlib.pyplot as plt

    ax = pid.plot_links_by_rule(links_by_rule(small))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["email", "phone"]  # no id is shared here
    ax = pid.plot_cluster_sizes(cluster_sizes(small))
    assert sum(p.get_height() for p in ax.patches) == small.n_persons
    ax = pid.plot_fragmentation(fragmentation_audit(small))
    assert [round(p.get_height()) for p in ax.patches][:2] == [6, 4]  # 2 ids + 4 unidentified -> 4 persons
    ax = pid.plot_probability_bands(probability_bands(small))
    assert len(ax.patches) == 3 * 4
    with pytest.raises(CXLabError, match="lacks the columns"):
        pid.plot_links_by_rule(pd.DataFrame({"x": [1]}))
    plt.close("all")


def test_threshold_explorer_updates(small):
    sens = pd.DataFrame({"threshold": [0.5, 0.5, 0.9, 0.9], "persons": [40, 40, 44, 44], "channel": ["web", "phone"] * 2,
                         "n": [100, 90, 101, 92], "estimate": [30.0, -5.0, 31.0, -4.0], "ci_low": [20.0, -15.0, 21.0, -14.0],
                         "ci_high": [40.0, 5.0, 41.0, 6.0]})
    w = threshold_explorer(sens, threshold=0.5)
    assert w.state == {"threshold": 0.5, "persons": 40}
    before = w.figure.image.value
    w.slider.value = 0.9
    assert w.state["persons"] == 44 and "44 persons" in w.info.value
    assert w.figure.image.value != before
    # the explorer reads the same table threshold_sensitivity returns
    assert set(threshold_sensitivity(small, (0.5, 0.9)).columns) == {"threshold", "persons"}


def test_review_widget_masks_and_saves(small, tmp_path):
    review = pd.DataFrame({"record_id_l": ["c1"], "record_id_r": ["x"], "match_probability": [0.7], "ambiguous": [False]})
    res = small.__class__(**{**small.__dict__, "review": review})
    path = tmp_path / "dec.csv"
    w = review_widget(res, path=path)
    assert "Петрова" not in w.table.value and "mail.ru" in w.table.value and "a***@" in w.table.value
    w.reject.click()
    saved = pd.read_csv(path, dtype=str)
    assert saved.to_dict("records") == [{"record_id_l": "c1", "record_id_r": "x", "decision": "reject"}]
    again = review_widget(res, path=path)  # earlier decisions are read back
    assert "decided: <b>reject</b>" in again.children[0].value
    again.accept.click()
    assert pd.read_csv(path, dtype=str)["decision"].tolist() == ["accept"]
    p = resolve_identities(small.records[["record_id", "customer_id", "name", "email", "phone", "handle"]],
                           probabilistic=False, decisions=path).person_of()
    assert p["c1"] == p["x"]
    assert mask_value("phone", None) == "–" and mask_value("name", "Анна Петрова") == "А. П."


def test_findings_follow_the_tables(small):
    assert fi.links_sentence(links_by_rule(small), len(small.records)).startswith("Of 6 contact records, 2 share")
    assert "no e-mail or phone" in fi.guards_sentence(conflicts(small))
    text = fi.fragmentation_sentence(fragmentation_audit(small))
    assert "gives 6 customers" in text and "4 persons" in text


def test_missing_splink_says_what_to_install(monkeypatch):
    from cxlab.identity import require_splink

    monkeypatch.setitem(sys.modules, "splink", None)
    with pytest.raises(CXLabError, match=r"pip install 'cxlab\[identity\]'"):
        require_splink()
