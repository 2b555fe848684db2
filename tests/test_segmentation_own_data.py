"""Segmentation on any company's data: cut points from data quantiles, the overdue check, clear errors.

Reference for the cut points: they are numpy's linear-interpolation quantiles (``np.quantile``,
Hyndman & Fan type 7, as R's default) of each column, recency mirrored (smaller is better),
then moved apart by one step where customers tie.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab import segmentation as seg
from cxlab.errors import CXLabError


def _rfm(seed=0, n=2000):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"days_since_last": rng.integers(0, 500, n),
                         "purchases": np.minimum(1 + rng.poisson(0.6, n), 20),  # most buy once
                         "revenue": np.round(rng.lognormal(3.5, 1.0, n), 2)})


def test_cut_points_are_the_data_quantiles_with_ties_moved_apart():
    rfm = _rfm()
    q = [0.25, 0.5, 0.75, 0.9]
    cuts = seg.quantile_cut_points(rfm, quantiles=q)
    np.testing.assert_allclose(cuts["revenue"], np.round(np.quantile(rfm["revenue"], q), 2))
    np.testing.assert_allclose(cuts["days_since_last"], np.round(np.quantile(rfm["days_since_last"],
                                                                             [0.1, 0.25, 0.5, 0.75])))
    raw = np.quantile(rfm["purchases"], q)
    assert raw[0] == raw[1] == 1  # ties: half the customers bought once
    assert cuts["purchases"][0] == 1 and all(np.diff(cuts["purchases"]) >= 1)
    for v in cuts.values():
        assert all(np.diff(v) > 0)


def test_custom_scores_give_the_top_group_its_quantile_share():
    rfm = _rfm(1)
    scores = seg.rfm_scores(rfm, method="custom", cut_points=seg.quantile_cut_points(rfm))
    # revenue is continuous: the best score goes to the top 10% (a value equal to a cut goes to the lower group)
    assert abs((scores["m_score"] == 5).mean() - 0.10) < 0.01
    assert abs((scores["r_score"] == 5).mean() - 0.10) < 0.02
    assert set(scores["f_score"]) <= {1, 2, 3, 4, 5}


@pytest.mark.parametrize("bad", [[0.5, 0.25], [0.0, 0.5], [0.5, 1.0], []])
def test_bad_quantiles_raise(bad):
    with pytest.raises(CXLabError, match="quantiles"):
        seg.quantile_cut_points(_rfm(), quantiles=bad)


def test_missing_column_raises():
    with pytest.raises(CXLabError, match="revenue"):
        seg.quantile_cut_points(_rfm().drop(columns="revenue"))


# ------------------------------------------------------------------ overdue (absolute beside the relative map)

def test_overdue_against_a_hand_computed_rhythm():
    # customer a: 4 repeat purchases over 120 days (mean gap 30), last purchase 30 days ago -> not overdue;
    # b: same rhythm, 61 days ago -> overdue (> 2 x 30); c: one-time buyer -> unknown
    s = pd.DataFrame({"frequency": [4, 4, 0], "recency": [120.0, 120.0, 0.0], "T": [150.0, 181.0, 10.0]},
                     index=["a", "b", "c"])
    out = seg.overdue(s)
    assert out.dtype == "boolean" and out.tolist() == [False, True, pd.NA]
    assert seg.overdue(s, factor=3).tolist()[:2] == [False, False]
    with pytest.raises(CXLabError, match="factor"):
        seg.overdue(s, factor=0)
    with pytest.raises(CXLabError, match="recency"):
        seg.overdue(s.drop(columns="recency"))


def test_overdue_share_by_segment_through_segment_summary():
    rng = np.random.default_rng(7)
    rows = []
    for i in range(120):  # 30 steady customers stop buying half-way
        stop = 180 if i < 30 else 365
        day = int(rng.integers(0, 10))
        while day <= stop:
            rows.append((f"C{i}", pd.Timestamp("2023-01-01") + pd.Timedelta(days=day), 20.0))
            day += int(rng.integers(10, 20))
    tx = pd.DataFrame(rows, columns=["customer_id", "timestamp", "amount"])
    end = pd.Timestamp("2023-12-31")
    segments = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(tx, observation_end=end)))
    segments = segments.join(seg.overdue(seg.rfm_summary(tx, observation_end=end)))
    summary = seg.segment_summary(segments, columns=("overdue",))
    # independent count: the 30 who stopped are overdue, nobody else is
    assert segments["overdue"].sum() == 30 and set(segments.index[segments["overdue"].fillna(False)]) == {
        f"C{i}" for i in range(30)}
    assert (summary["n"] * summary["mean_overdue"]).sum() == pytest.approx(30)


# ------------------------------------------------------------------ clear errors on small data

def test_choose_k_and_stability_refuse_more_segments_than_customers():
    f = pd.DataFrame({"purchases": [1.0, 2, 3, 4, 5], "revenue": [10.0, 20, 30, 40, 50]})
    with pytest.raises(CXLabError, match="5 customers"):
        seg.choose_k(f, ks=range(2, 8))
    with pytest.raises(CXLabError, match="5 customers"):
        seg.cluster_stability(f, ks=range(2, 8), n_boot=2, progress=False)
    assert len(seg.choose_k(f, ks=[2, 3], n_init=1)) == 2
