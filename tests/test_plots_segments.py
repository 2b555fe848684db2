"""Plot tests: check what was drawn (cells, bars, labels, lines), not only that nothing crashed."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from cxlab import segmentation as seg
from cxlab.errors import CXLabError
from cxlab.plots import segments as ps


@pytest.fixture(scope="module")
def scored():
    rng = np.random.default_rng(0)
    rfm = pd.DataFrame({"days_since_last": rng.random(500) * 400, "purchases": rng.integers(1, 30, 500).astype(float),
                        "revenue": rng.gamma(2, 5000, 500)})
    return seg.rfm_segments(seg.rfm_scores(rfm))


def test_rfm_heatmap_draws_grid_with_counts(scored):
    grid = seg.rfm_grid(scored)
    ax = ps.plot_rfm_heatmap(grid)
    img = ax.images[0].get_array()
    assert img.shape == (5, 5)
    # top row of the picture is recency score 5
    assert [t.get_text() for t in ax.get_yticklabels()] == ["5", "4", "3", "2", "1"]
    top_left = grid[(grid.r_score == 5) & (grid.f_score == 1)]["n"].item()
    assert img[0, 0] == top_left
    assert sum(float(t.get_text().replace(",", "")) for t in ax.texts) == len(scored)


def test_segment_sizes_bars(scored):
    summary = seg.segment_summary(scored)
    ax = ps.plot_segment_sizes(summary)
    assert len(ax.patches) == 2 * len(summary)
    widths = sorted(p.get_width() for p in ax.patches[len(summary):])
    np.testing.assert_allclose(widths, sorted(summary["revenue_share"]))
    assert [t.get_text() for t in ax.get_yticklabels()] == summary["segment"].tolist()
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"customers", "revenue"}


def test_lorenz_plot_has_curve_and_equality_line():
    lc = seg.lorenz_curve([1.0, 2, 3, 4, 10], points=None)
    ax = ps.plot_lorenz(lc, gini=0.36)
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[1].get_ydata(), lc["revenue_share"])
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0, 1])
    assert "Gini 0.36" in ax.get_title()


def test_cluster_profile_heatmap_cells_match_index():
    prof = seg.profile_table(pd.DataFrame({"x": [1.0, 3.0, 8.0], "y": [1.0, 1.0, 4.0]}), [1, 1, 2])
    ax = ps.plot_cluster_profiles(prof)
    assert ax.images[0].get_array().shape == (2, 2)
    cells = sorted(t.get_text() for t in ax.texts if not t.get_text().startswith("segment"))
    assert cells == sorted(f"{v:.0f}" for v in prof["index"])
    # the segment names are texts beside the rows (right-aligned left of the image), top row first
    rows = [t for t in ax.texts if t.get_text().startswith("segment")]
    assert [t.get_text() for t in sorted(rows, key=lambda t: t.get_position()[1])] == ["segment 1", "segment 2"]
    assert all(t.get_ha() == "right" and t.get_position()[0] == 0 for t in rows)


def test_migration_heatmap_shares():
    m = seg.migration_matrix(pd.Series({"a": "x", "b": "x", "c": "y"}), pd.Series({"a": "x", "b": "y", "c": "y"}))
    fig, ax = plt.subplots()
    out = ps.plot_migration(m, ax=ax)
    assert out is ax
    arr = ax.images[0].get_array()
    np.testing.assert_allclose(arr, [[0.5, 0.5], [0.0, 1.0]])
    assert sorted(t.get_text() for t in ax.texts) == ["100%", "50%", "50%"]


def test_plot_bad_table():
    with pytest.raises(CXLabError, match="lorenz_curve"):
        ps.plot_lorenz(pd.DataFrame({"a": [1]}))


def test_segmentation_result_plot_hands_off():
    rng = np.random.default_rng(1)
    f = pd.DataFrame({"revenue": rng.gamma(2, 100, 60), "purchases": rng.integers(1, 9, 60).astype(float)})
    res = seg.cluster_customers(f, k=3)
    ax = res.plot()
    assert ax.images[0].get_array().shape == (3, 2)
