"""Rating scales that are not the NPS (cxlab.nps.ratings) and "what changed in a period" (cxlab.nps.changes).

References: statsmodels ``DescrStatsW.tconfint_mean`` (t interval of a mean), statsmodels
``proportion_confint(method="wilson")`` (Wilson interval), statsmodels ``Table.test_nominal_association``
(Pearson chi-square of a contingency table), scipy ``kruskal`` (Kruskal–Wallis H with tie correction),
statsmodels ``ttest_ind(usevar="unequal")`` (Welch's t-test) and scipy ``fisher_exact``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW, ttest_ind

from cxlab import nps
from cxlab.errors import CXLabError


@pytest.fixture(scope="module")
def csat():
    rng = np.random.default_rng(3)
    n = 600
    store = rng.choice(["North", "South", "East"], size=n, p=[0.5, 0.3, 0.2])
    score = np.clip(np.rint(3.8 + np.where(store == "East", -0.6, 0.0) + rng.normal(0, 0.9, n)), 1, 5)
    df = pd.DataFrame({"csat": pd.array(score.astype(int), dtype="Int8"), "store": store,
                       "ces": pd.array(np.clip(np.rint(rng.normal(5, 1.2, n)), 1, 7).astype(int), dtype="Int8"),
                       "submitted_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 180, n), "D")})
    df.loc[rng.choice(n, 25, replace=False), "csat"] = pd.NA
    return df


# ------------------------------------------------------------------ the NPS scale guard
@pytest.mark.parametrize("column", ["csat", "ces", "attr_quality", "stated_repurchase_intent"])
def test_nps_functions_refuse_a_rating_scale(csat, column):
    df = csat.assign(attr_quality=csat["csat"], stated_repurchase_intent=csat["csat"])
    for call in (lambda: nps.nps_table(df, score=column), lambda: nps.score_counts(df, score=column),
                 lambda: nps.nps_trend(df, score=column), lambda: nps.nps_pairwise(df, by="store", score=column),
                 lambda: nps.classify_nps(df[column])):
        with pytest.raises(CXLabError, match="apply to a 0–10 question") as err:
            call()
        assert err.value.column == column and "rating_table" in err.value.fix


def test_nps_on_the_recommend_question_still_works(csat):
    df = csat.assign(likelihood_to_recommend=pd.array([9, 10, 3] * 200, dtype="Int8"))
    t = nps.nps_table(df)
    assert t["estimate"].iloc[0] == pytest.approx(100 * (400 - 200) / 600)


# ------------------------------------------------------------------ rating_table
def test_rating_table_matches_statsmodels(csat):
    t = nps.rating_table(csat, score="csat", by="store", confidence=0.9, min_base=30)
    for row in t.itertuples():
        x = csat.loc[csat["store"] == row.store, "csat"].dropna().astype(float).to_numpy()
        lo, hi = DescrStatsW(x).tconfint_mean(alpha=0.1)
        assert row.n == len(x) and row.mean == pytest.approx(x.mean(), abs=1e-12)
        assert (row.ci_low, row.ci_high) == pytest.approx((lo, hi), abs=1e-10)
        top = int((x >= 4).sum())
        wlo, whi = proportion_confint(top, len(x), alpha=0.1, method="wilson")
        assert row.top_box == top
        assert (row.top_box_ci_low, row.top_box_ci_high) == pytest.approx((100 * wlo, 100 * whi), abs=1e-8)
        assert row.scale_min == 1 and row.scale_max == 5
    assert t["n_missing"].sum() == 25


def test_rating_table_top_box_of_a_1_to_7_scale_is_6_and_7(csat):
    t = nps.rating_table(csat, score="ces").iloc[0]
    x = csat["ces"].astype(float)
    assert t["pct_top_box"] == pytest.approx(100 * (x >= 6).mean())
    assert (t["scale_min"], t["scale_max"]) == (1, 7)


def test_rating_table_suppresses_small_groups_and_flags_low_bases(csat):
    t = nps.rating_table(csat, score="csat", by="store", min_base=150, low_base=250).set_index("store")
    assert t.loc["East", "suppressed"] and np.isnan(t.loc["East", "mean"]) and t.loc["East", "n"] > 0
    assert not t.loc["North", "suppressed"]
    assert t.loc["South", "low_base"] and not t.loc["North", "low_base"]


def test_rating_table_by_period(csat):
    t = nps.rating_table(csat, score="csat", period="Q")
    assert [str(p) for p in t["period"]] == ["2025Q1", "2025Q2", "2025Q3"][: len(t)]
    assert t["n"].sum() == csat["csat"].notna().sum()


def test_rating_values_off_the_scale_are_refused_with_rows():
    df = pd.DataFrame({"csat": [5, 4, 7, 0, 3]})
    with pytest.raises(CXLabError) as err:
        nps.rating_table(df, score="csat")
    assert err.value.rows == [3, 4] and err.value.column == "csat"


def test_rating_scale_from_schema_or_given():
    assert nps.rating_scale("csat") == (1, 5) and nps.rating_scale("ces") == (1, 7)
    with pytest.raises(CXLabError, match="not known"):
        nps.rating_scale("my_own_rating")
    assert nps.rating_scale("my_own_rating", (1, 10)) == (1, 10)
    t = nps.rating_table(pd.DataFrame({"r": [1, 10, 9, 5]}), score="r", scale=(1, 10), min_base=1)
    assert t["pct_top_box"].iloc[0] == 50.0


# ------------------------------------------------------------------ compare_ratings
def test_compare_ratings_matches_scipy_and_statsmodels(csat):
    r = nps.compare_ratings(csat, score="csat", by="store", min_base=30).set_index("test")
    groups = [g["csat"].dropna().astype(float).to_numpy() for _, g in csat.groupby("store")]
    h, p = st.kruskal(*groups)
    assert r.loc["kruskal_wallis", "statistic"] == pytest.approx(h, rel=1e-12)
    assert r.loc["kruskal_wallis", "p_value"] == pytest.approx(p, rel=1e-10)
    assert r.loc["kruskal_wallis", "p_value"] < 0.001  # the East store is planted 0.6 points lower
    table = np.array([[np.sum(g >= 4), np.sum(g < 4)] for g in groups])
    ref = Table(table).test_nominal_association()
    assert r.loc["chi_square_top_box", "statistic"] == pytest.approx(ref.statistic, rel=1e-10)
    assert r.loc["chi_square_top_box", "p_value"] == pytest.approx(ref.pvalue, rel=1e-8)
    assert r.loc["chi_square_top_box", "dof"] == ref.df == 2


def test_compare_ratings_with_one_group_tests_nothing(csat):
    r = nps.compare_ratings(csat, score="csat", by="store", min_base=250)
    assert (r["groups"] == 1).all() and r["p_value"].isna().all()


# ------------------------------------------------------------------ which columns
def test_score_and_grouping_columns_of_a_users_file():
    df = pd.DataFrame({"response_id": [str(i) for i in range(8)], "country": ["DE", "FR"] * 4,
                       "remote": ["yes", "no", "hybrid", None] * 2, "comment": [f"text {i}" for i in range(8)],
                       "free_text_id": [f"x{i}" for i in range(8)], "likelihood_to_recommend": [9] * 8,
                       "csat": [None] * 8, "submitted_at": pd.Timestamp("2024-05-01")})
    assert nps.grouping_columns(df) == ["country", "remote"]
    assert nps.grouping_columns(df.assign(channel=pd.Categorical(["web", "store"] * 4))) == ["channel", "country",
                                                                                           "remote"]
    assert nps.score_columns(df) == {"likelihood_to_recommend": (0, 10)}
    assert nps.nps_column(df) == "likelihood_to_recommend"
    assert nps.nps_column(df.drop(columns="likelihood_to_recommend")) is None
    assert nps.nps_column(df.assign(ces=3), "ces") is None
    assert nps.rating_columns(df.assign(ces=3), nps_score=None, score="ces") == ["ces"]
    with pytest.raises(CXLabError, match="no rating column"):
        nps.rating_columns(df, nps_score=None, columns=["nps_2"])


# ------------------------------------------------------------------ what changed in a period
def test_rating_shift_is_welchs_t_test_holm_adjusted():
    rng = np.random.default_rng(1)
    n = 400
    mask = np.arange(n) < 120
    df = pd.DataFrame({"attr_delivery": np.clip(np.rint(3.5 - 1.0 * mask + rng.normal(0, 1, n)), 1, 5),
                       "attr_price": np.clip(np.rint(3.5 + rng.normal(0, 1, n)), 1, 5)})
    r = nps.rating_shift(df, mask=mask, columns=["attr_price", "attr_delivery"]).set_index("attribute")
    for col in df:
        a, b = df.loc[mask, col].to_numpy(), df.loc[~mask, col].to_numpy()
        t, p, _ = ttest_ind(a, b, usevar="unequal")
        assert r.loc[col, "statistic"] == pytest.approx(t, rel=1e-10)
        assert r.loc[col, "p_value"] == pytest.approx(p, rel=1e-8)
        assert r.loc[col, "difference"] == pytest.approx(a.mean() - b.mean())
    # Holm with two tests: the smaller p doubled, the larger kept (if not below the first)
    ps = r["p_value"].sort_values()
    assert r.loc[ps.index[0], "p_adjusted"] == pytest.approx(min(1, 2 * ps.iloc[0]))
    assert r.index[0] == "attr_delivery" and bool(r.loc["attr_delivery", "significant"])
    assert not bool(r.loc["attr_price", "significant"])


def test_theme_shift_is_fishers_exact_test():
    a = pd.DataFrame({"theme": ["wait", "price"], "label": ["Waiting", "Price"], "n_detractors": [40, 40],
                      "mentions_detractors": [22, 5]})
    b = pd.DataFrame({"theme": ["wait", "price"], "label": ["Waiting", "Price"], "n_detractors": [90, 90],
                      "mentions_detractors": [15, 12]})
    r = nps.theme_shift(a, b).set_index("theme")
    assert r.loc["wait", "p_value"] == pytest.approx(st.fisher_exact([[22, 18], [15, 75]])[1], rel=1e-12)
    assert r.loc["price", "p_value"] == pytest.approx(st.fisher_exact([[5, 35], [12, 78]])[1], rel=1e-12)
    assert r.index[0] == "wait" and bool(r.loc["wait", "significant"]) and not bool(r.loc["price", "significant"])


def test_grouping_never_picks_a_column_of_person_names_or_phones():
    """Hostile test H4: a B2B survey with the account holder's full name on every answer must not be
    grouped (and so printed) by that name."""
    names = ["Иванов Пётр Сергеевич", "Кузнецов Алексей", "Попова Мария Ивановна", "Смирнова Анна Викторовна"]
    df = pd.DataFrame({"ФИО клиента": names * 20, "Моб. телефон": ["+7 912 345-67-8" + str(i % 4) for i in range(80)],
                       "branch": ["north", "south"] * 40, "likelihood_to_recommend": [9, 3, 10, 6] * 20})
    assert nps.grouping_columns(df) == ["branch"]
