"""rating_table on Polars and DuckDB frames: the same table as on pandas.

Reference: :func:`cxlab.nps.rating_table` on the same rows in pandas (itself checked against
scipy's t interval and statsmodels' Wilson interval in test_nps_ratings). On an engine frame
the answers per scale point are counted where the data is (:func:`cxlab.engine.rating_counts`)
and the mean, SD and top-box share follow from those counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab.nps import rating_table

pytest.importorskip("polars")
pytest.importorskip("duckdb")
from test_engine import as_engine  # noqa: E402 - the same conversion as the other engine tests


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 3000
    df = pd.DataFrame({
        "channel": rng.choice(["store", "web", "чат", "phone", None], n, p=[0.35, 0.3, 0.2, 0.14, 0.01]),
        "csat": rng.integers(1, 6, n).astype(float),
        "ces": rng.integers(1, 8, n).astype(float),
        "submitted_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 400 * 24, n), unit="h"),
    })
    df.loc[rng.random(n) < 0.06, "csat"] = np.nan
    df.loc[df["channel"].eq("phone") & (rng.random(n) < 0.96), "csat"] = np.nan  # a small group: suppressed
    return df


@pytest.mark.parametrize("kind", ["polars-lazy", "duckdb"])
@pytest.mark.parametrize("how", [dict(score="csat", by="channel"), dict(score="ces", by=None, top_box=1),
                                 dict(score="csat", by="channel", period="Q")])
def test_rating_table_on_an_engine_equals_pandas(survey, kind, how):
    expected = rating_table(survey, **how)
    got = rating_table(as_engine(survey, kind), **how)
    assert list(got.columns) == list(expected.columns)
    key = [c for c in ("channel", "period") if c in expected.columns]
    if key:
        expected = expected.astype({c: str for c in key}).sort_values(key).reset_index(drop=True)
        got = got.astype({c: str for c in key}).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-9)
    if "channel" in key:
        assert expected["suppressed"].any()  # the small phone group is hidden on both paths
