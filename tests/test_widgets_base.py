"""The shared explorer machinery: one base class, thin widgets, static fallback, hold and cache."""

from __future__ import annotations

import ast
import base64
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlab.widgets._base import Explorer
from cxlab.widgets.nps import nps_explorer

WIDGETS = Path(__file__).resolve().parents[1] / "cxlab" / "widgets"


@pytest.fixture(scope="module")
def survey():
    rng = np.random.default_rng(3)
    n = 2000
    return pd.DataFrame({
        "submitted_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 180, n), unit="D"),
        "channel": pd.Categorical(rng.choice(["store", "web", "phone"], n)),
        "likelihood_to_recommend": rng.integers(0, 11, n),
    })


def test_every_explorer_derives_from_the_base_class():
    from cxlab.widgets.clv import CLVWhatIf
    from cxlab.widgets.nps import NPSExplorer
    from cxlab.widgets.segments import SegmentExplorer
    from cxlab.widgets.survey_vs_behaviour import SayDoExplorer

    assert all(issubclass(cls, Explorer) for cls in (NPSExplorer, SegmentExplorer, CLVWhatIf, SayDoExplorer))


def test_widgets_read_no_private_analysis_names():
    # issue 11: widgets compute through public analysis functions only (private helpers of the
    # widget layer itself, cxlab.widgets._base, and the shared input checks, cxlab._checks, are fine)
    for path in WIDGETS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cxlab.") \
                    and not node.module.startswith(("cxlab.widgets", "cxlab._checks")):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private and "._" not in node.module, f"{path.name} imports {node.module} {private}"
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                assert not (isinstance(owner, ast.Name) and owner.id in {"clv", "_nps", "nps", "_seg", "seg"}), \
                    f"{path.name} reads {owner.id}.{node.attr}"


def test_static_fallback_has_the_current_figure_and_a_text(survey):
    w = nps_explorer(survey, groups=["channel"])
    bundle = w._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
    assert "NPS explorer" in bundle["text/plain"] and "VBox(" not in bundle["text/plain"]


def test_hold_redraws_once_and_counts_are_cached(survey):
    w = nps_explorer(survey, groups=["channel"])
    calls = []
    original = w.figure.refresh
    w.figure.refresh = lambda: (calls.append(1), original())
    with w.hold():
        w.controls["detractor_max"].value = 5
        w.controls["promoter_min"].value = 8
        w.controls["min_base"].value = 0
    assert len(calls) == 1
    assert w.counts("channel") is w.counts("channel")  # counted once per grouping
