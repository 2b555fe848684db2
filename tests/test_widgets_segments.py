"""Widget tests: set control values, check what is shown changed accordingly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab.errors import CXLabError
from cxlab.widgets.segments import segment_explorer


@pytest.fixture(scope="module")
def features():
    rng = np.random.default_rng(0)
    n = 400
    g = rng.integers(0, 4, n)
    f = pd.DataFrame({
        "days_since_last": np.array([10, 300, 60, 30])[g] * rng.lognormal(0, 0.2, n),
        "purchases": np.array([20, 2, 5, 8])[g] * rng.lognormal(0, 0.2, n),
        "revenue": np.array([50000, 2000, 8000, 12000])[g] * rng.lognormal(0, 0.2, n),
        "cat_gifts": np.clip(np.array([0.1, 0.1, 0.2, 0.8])[g] + rng.normal(0, 0.05, n), 0, 1),
    }, index=pd.Index([f"c{i:04d}" for i in range(n)], name="customer_id"))
    return f


def test_explorer_updates_profiles_scatter_and_table(features):
    w = segment_explorer(features, k=3)
    first_png = w.figure.image.value
    assert first_png[:4] == b"\x89PNG"
    ax_p, ax_s = w.figure.axes
    assert ax_p.images[-1].get_array().shape == (3, 4)
    assert sum(len(line.get_xdata()) for line in w.scatter.lines) == len(features)  # every customer drawn
    assert w.table.value.count("<tr") == 1 + 3

    w.controls["k"].value = 5
    assert w.result.k == 5
    assert ax_p.images[-1].get_array().shape == (5, 4)
    assert set(np.unique(w.scatter.segments)) == {1, 2, 3, 4, 5}
    assert [len(line.get_xdata()) for line in w.scatter.lines[:5]] == w.result.sizes["n"].tolist()
    assert w.table.value.count("<tr") == 1 + 5
    assert len(ax_s.get_legend().get_texts()) == 5
    assert w.figure.image.value != first_png

    w.controls["features"].value = ("days_since_last", "revenue")
    assert ax_p.images[-1].get_array().shape == (5, 2)
    assert [t.get_text() for t in ax_p.get_xticklabels()] == ["days_since_last", "revenue"]

    w.controls["method"].value = "gmm"
    assert w.result.method == "gmm"
    assert "silhouette" in w.status.value


def test_explorer_needs_two_features_and_samples(features):
    w = segment_explorer(features, k=3, max_customers=100)
    assert len(w.result.table) == 100
    before = w.figure.image.value
    w.controls["features"].value = ("revenue",)
    assert "at least two" in w.status.value
    assert w.figure.image.value == before
    with pytest.raises(CXLabError, match="outside"):
        segment_explorer(features, k=20)


def test_explorer_shows_the_static_segment_sizes_at_the_same_settings(demo):
    # Reference: cxlab.segmentation.cluster_customers called directly, as the notebook's static
    # table does (issue 11: the explorer once gave 760/405/797/656/382 against 752/407/775/354/712).
    from cxlab import segmentation as seg

    features = seg.customer_features(demo.transactions, observation_end=demo.observation_end)
    for method in ("kmeans", "gmm"):
        static = seg.cluster_customers(features, method=method, k=5, random_state=0)
        w = segment_explorer(features, method=method, k=5, random_state=0)
        assert w.result.sizes["n"].tolist() == static.sizes["n"].tolist()
        assert (w.result.table["segment"] == static.table["segment"]).all()
        shown = w.scatter.segments.tolist()
        assert shown == static.table["segment"].tolist()


def test_fits_made_ahead_in_a_worker_process_equal_the_fits_made_here(features):
    # Reference: cluster_customers called in this process at the same settings. The worker is a
    # separate interpreter (so its fits do not slow the answers); its results must be the same.
    import os

    from cxlab import segmentation as seg

    w = segment_explorer(features, k=3, k_range=(2, 4))
    w.prefetch()
    assert w.wait_idle(timeout=300)
    worker = w._fits._worker
    assert worker is not None and worker._process.pid != os.getpid()  # fitted out of process
    cols = tuple(w.controls["features"].value)
    for method in ("kmeans", "gmm"):
        for k in (2, 4):
            ahead = w._fits._done[(cols, method, k)]
            here = seg.cluster_customers(features, method=method, k=k, columns=list(cols), random_state=0)
            assert ahead.silhouette_known  # computed in the worker, shipped with the fit
            assert (ahead.table["segment"] == here.table["segment"]).all()
            assert ahead.sizes["n"].tolist() == here.sizes["n"].tolist()
            assert ahead.silhouette == pytest.approx(here.silhouette, abs=1e-12)
    process = worker._process
    w.close()
    assert process.wait(timeout=30) is not None  # the worker ends with its explorer


def test_without_a_worker_process_the_fits_are_made_in_a_thread(features, monkeypatch):
    import cxlab.widgets.segments as module

    def no_process(*args, **kwargs):
        raise OSError("no processes in this sandbox")

    monkeypatch.setattr(module, "FitWorker", no_process)
    w = segment_explorer(features, k=3, k_range=(2, 4))
    w.prefetch()
    assert w.wait_idle(timeout=300)
    cols = tuple(w.controls["features"].value)
    assert {(cols, m, k) for m in ("kmeans", "gmm") for k in (2, 3, 4)} <= set(w._fits._done)
    assert w._fits._worker is None
    w.close()


def test_silhouette_follows_the_figure_and_equals_the_static_one(features):
    # Reference: sklearn.metrics.silhouette_score through cluster_customers (the static table).
    from cxlab import segmentation as seg

    w = segment_explorer(features, k=3, precompute=False)
    w.controls["k"].value = 4  # fitted here: segments at once, silhouette a moment later
    assert w.result.k == 4
    assert w.wait_idle(timeout=300)
    static = seg.cluster_customers(features, k=4, random_state=0)
    assert f"silhouette {static.silhouette:.2f}" in w.status.value
    assert w.result.silhouette == pytest.approx(static.silhouette, abs=1e-12)


def test_old_workers_are_ended_when_explorers_are_made_again(features):
    # Re-running a notebook cell makes a new explorer while the old one stays registered: at most
    # MAX_WORKERS fitting processes stay alive; an explorer whose worker was ended still fits.
    from cxlab.widgets import _fitworker

    made = []
    for _ in range(_fitworker.MAX_WORKERS + 1):
        w = segment_explorer(features, k=3, k_range=(2, 4))
        w.prefetch()
        assert w.wait_idle(timeout=300)
        made.append(w)
    first = made[0]._fits._worker
    assert first is not None and first._process.wait(timeout=30) is not None  # the oldest was ended
    assert sum(w._fits._worker._process.poll() is None for w in made) == _fitworker.MAX_WORKERS
    made[0].controls["k"].value = 2  # already fitted ahead: served
    made[0].controls["features"].value = ("days_since_last", "revenue")  # fitted here
    made[0].prefetch()
    assert made[0].wait_idle(timeout=300) and made[0].result.k == 2
    assert made[0]._fits._worker is None  # it noticed, and fits ahead in a thread now
    cols = tuple(made[0].controls["features"].value)
    assert (cols, "gmm", 2) in made[0]._fits._done
    for w in made:
        w.close()


def test_a_refused_setting_is_said_in_the_status_and_the_slider_fits_the_customers(features):
    # HOSTILE3 H8: with 10 customers the slider offered k = 10, the fit refused it from inside the
    # control's callback (a log entry, nothing on the page) and the figure no longer matched the controls.
    small = features.iloc[:10]
    w = segment_explorer(small, k=3)
    assert w.controls["k"].max == 9  # no more segments than customers allow
    w.controls["features"].value = ("days_since_last", "cat_gifts")
    before = w.figure.image.value
    w._fits._fit = lambda key: (_ for _ in ()).throw(CXLabError("the clustering did not work", fix="try fewer"))
    w.controls["k"].value = 5
    assert "the clustering did not work" in w.status.value and "last valid setting" in w.status.value
    assert w.figure.image.value == before
    inf = features.assign(revenue=features["revenue"].where(features.index != "c0001", np.inf))
    with pytest.raises(CXLabError, match="infinite feature values"):
        segment_explorer(inf, k=3)
