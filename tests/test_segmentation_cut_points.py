"""RFM cut points from quantiles of the data (any currency, any buying rhythm).

Reference: the cut points are numpy's linear-interpolation quantiles (``np.quantile``,
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
