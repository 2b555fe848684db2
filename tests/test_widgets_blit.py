"""Explorers redraw only their moving parts over a cached background: what the user sees must be
exactly what a full draw of the same figure gives (same pixels), after every kind of change.

Reference: the explorer's own figure drawn from scratch (``FigureImage.full_png``: a plain
``canvas.draw()`` of every artist), compared pixel by pixel with the PNG the explorer shows.
"""

from __future__ import annotations

import io
import threading

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from cxlab.widgets._base import Explorer, png_bytes


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _check(w, plan, *, edge_pixels: int = 0) -> list[str]:
    """Apply each change; the shown PNG must equal a full redraw; return how each one was drawn.

    ``edge_pixels``: pixels allowed to differ (a shaded band that reaches the axes' edge is
    painted over the antialiased inner end of each tick mark by a blit, under it by a full draw).
    """
    how = []
    for name, value in plan:
        w.controls[name].value = value
        shown = _pixels(w.figure.image.value)
        how.append(w.figure.last_render)
        full = _pixels(w.figure.full_png())
        assert shown.shape == full.shape
        differ = int((shown != full).any(axis=2).sum())
        assert differ <= edge_pixels, f"after {name}={value!r}: {differ} pixels differ from a full redraw"
    return how


@pytest.fixture(scope="module")
def survey():
    rng = np.random.default_rng(3)
    n = 3000
    return pd.DataFrame({
        "submitted_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 180, n), unit="D"),
        "channel": pd.Categorical(rng.choice(["store", "web", "phone"], n)),
        "likelihood_to_recommend": rng.integers(0, 11, n),
    })


def test_png_bytes_is_a_lossless_png():
    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, (7, 5, 4), dtype=np.uint8)
    back = np.asarray(Image.open(io.BytesIO(png_bytes(rgba, alpha=True))))
    assert back.shape == (7, 5, 4) and (back == rgba).all()
    back = np.asarray(Image.open(io.BytesIO(png_bytes(rgba))))
    assert back.shape == (7, 5, 3) and (back == rgba[:, :, :3]).all()


def test_nps_explorer_blit_equals_full_draw(survey):
    from cxlab.widgets.nps import nps_explorer

    w = nps_explorer(survey, groups=["channel"])
    months = list(w.controls["period"].options)
    how = _check(w, [("min_base", 100), ("ci", "wald"), ("detractor_max", 5), ("promoter_min", 8),
                     ("group_by", "(all responses)"), ("group_by", "channel"), ("period", (months[1], months[-2])),
                     ("ci", "bootstrap"), ("min_base", 0)])
    assert how.count("blit") >= 6  # most changes only redraw the moving parts


def test_segment_explorer_blit_equals_full_draw():
    from cxlab.widgets.segments import segment_explorer

    rng = np.random.default_rng(0)
    n = 300
    g = rng.integers(0, 3, n)
    f = pd.DataFrame({"days_since_last": np.array([10, 300, 60])[g] * rng.lognormal(0, 0.2, n),
                      "purchases": np.array([20, 2, 5])[g] * rng.lognormal(0, 0.2, n),
                      "revenue": np.array([50000, 2000, 8000])[g] * rng.lognormal(0, 0.2, n)})
    w = segment_explorer(f, k=3, precompute=False)
    how = _check(w, [("k", 4), ("method", "gmm"), ("k", 3), ("method", "kmeans"),
                     ("features", ("days_since_last", "revenue")), ("k", 2)])
    # a number of segments seen for the first time draws its names and legend into a new
    # background (kept); after that, other k and method redraw only the image and the markers
    assert how[:4] == ["full", "blit", "blit", "blit"]


def test_segment_explorer_fits_ahead_and_k_changes_do_not_refit():
    from cxlab import segmentation as seg
    from cxlab.widgets.segments import segment_explorer

    rng = np.random.default_rng(1)
    f = pd.DataFrame(rng.lognormal(0, 1, (200, 3)), columns=["days_since_last", "purchases", "revenue"])
    w = segment_explorer(f, k=3, k_range=(2, 4))
    assert w.wait_idle(timeout=300) and len(w._fits._done) == 1  # nobody at the controls yet: nothing ahead
    w.prefetch()
    assert w.wait_idle(timeout=300)
    fitted = set(w._fits._done)
    cols = tuple(w.controls["features"].value)
    assert {(cols, m, k) for m in ("kmeans", "gmm") for k in (2, 3, 4)} <= fitted
    calls = []
    original = w._fits._fit

    def counted(key):  # fits asked for by a control change (the main thread), not by the background
        if threading.current_thread() is threading.main_thread():
            calls.append(key)
        return original(key)

    w._fits._fit = counted
    w.controls["k"].value = 4
    w.controls["method"].value = "gmm"
    w.controls["k"].value = 2
    assert calls == []  # served from the fits made ahead
    static = seg.cluster_customers(f, method="gmm", k=2, random_state=0)
    assert (w.result.table["segment"] == static.table["segment"]).all()
    w.close()


def test_channel_audit_and_threshold_explorers_share_the_base_class(demo):
    from cxlab.channels import respondent_context
    from cxlab.widgets.channels import ChannelAuditExplorer, channel_audit_explorer
    from cxlab.widgets.identity import ThresholdExplorer, threshold_explorer

    assert issubclass(ChannelAuditExplorer, Explorer) and issubclass(ThresholdExplorer, Explorer)
    seg = demo.truth.customers.set_index("customer_id")["segment"]
    survey = respondent_context(demo.survey_responses, customers=demo.customers, segments=seg)
    ex = channel_audit_explorer(survey, demo.interactions)
    channels = list(ex.controls["channels"].options)
    _check(ex, [("tolerance", 0.4), ("adjust_for", ()), ("channels", tuple(channels[:-1])),
                ("channels", tuple(channels)), ("metric", list(ex.cells)[-1])], edge_pixels=len(channels))

    sens = pd.DataFrame({"threshold": [0.5, 0.5, 0.9, 0.9], "persons": [40, 40, 44, 44],
                         "channel": ["web", "phone"] * 2, "n": [100, 90, 101, 92],
                         "estimate": [30.0, -5.0, 31.0, -4.0], "ci_low": [20.0, -15.0, 21.0, -14.0],
                         "ci_high": [40.0, 5.0, 41.0, 6.0]})
    w = threshold_explorer(sens, threshold=0.5)
    assert _check(w, [("threshold", 0.9), ("threshold", 0.5)]) == ["blit", "blit"]
    assert w.chart.legend.get_texts()[0].get_text() == "threshold used (0.5)"
