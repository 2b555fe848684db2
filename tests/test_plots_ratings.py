"""Rating figures draw what rating_table computed: points, interval lines, suppressed groups marked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab.nps import rating_table
from cxlab.plots.ratings import plot_rating_by_group


def _table():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"csat": rng.integers(1, 6, 200), "store": np.repeat(["A", "B", "C"], [100, 80, 20])})
    # primary suppression only: C (20) hidden, A and B drawn
    return rating_table(df, score="csat", by="store", min_base=30, low_base=50, complementary=False)


def test_means_with_intervals_and_a_suppressed_group():
    t = _table()
    ax = plot_rating_by_group(t, group="store")
    assert [x.get_text() for x in ax.get_yticklabels()] == ["A", "B", "C"]
    segs = ax.collections[0].get_segments()  # one interval line per shown group
    assert len(segs) == 2
    ends = sorted((round(s[0][0], 6), round(s[1][0], 6)) for s in segs)
    assert ends == sorted((round(a, 6), round(b, 6)) for a, b in t.loc[~t["suppressed"], ["ci_low", "ci_high"]]
                          .itertuples(index=False))
    assert any(txt.get_text() == "suppressed (n = 20)" for txt in ax.texts)
    assert ax.get_xlim()[0] == 1.0


def test_top_box_shares_in_percent():
    t = _table()
    ax = plot_rating_by_group(t, group="store", value="pct_top_box")
    y = ax.lines[0].get_xdata()
    assert np.allclose(sorted(y), sorted(t.loc[~t["suppressed"], "pct_top_box"]))
    assert ax.get_xlabel() == "% in the top two points" and ax.get_xlim()[0] == 0.0
