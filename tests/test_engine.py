"""cxlab.engine: Polars (eager, lazy) and DuckDB give the same small tables as the pandas paths.

The reference for every comparison is the pandas implementation on the same rows
(cxlab.nps.score_counts, cxlab.rfm.rfm_summary — itself checked against lifetimes in
test_segmentation — and cxlab.channels.answer_counts); key and rating counts are checked
against plain pandas ``value_counts`` / ``crosstab``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab import engine
from cxlab.channels import answer_counts
from cxlab.errors import CXLabError
from cxlab.nps import nps_table, score_counts
from cxlab.rfm import rfm_summary

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")

ENGINES = ["polars", "polars-lazy", "duckdb"]


def as_engine(df: pd.DataFrame, kind: str):
    frame = pl.from_pandas(df)  # NaN scores become nulls, as a Parquet file stores them
    if kind == "polars":
        return frame
    if kind == "polars-lazy":
        return frame.lazy()
    con = duckdb.connect()
    con.register("frame_view", frame.to_arrow())
    return con.sql("select * from frame_view")


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 4000
    df = pd.DataFrame({
        "channel": rng.choice(["store", "web", "чат", "phone", None], n, p=[0.3, 0.3, 0.2, 0.19, 0.01]),
        "region": rng.choice([1, 2, 3], n),  # an integer grouping column
        "likelihood_to_recommend": rng.integers(0, 11, n).astype(float),
        "csat": rng.integers(1, 6, n).astype(float),
        "submitted_at": pd.Timestamp("1969-11-20") + pd.to_timedelta(rng.integers(0, 900 * 24, n), unit="h"),
        "w": rng.gamma(2.0, 0.5, n),
    })
    df.loc[rng.random(n) < 0.08, "likelihood_to_recommend"] = np.nan
    df.loc[rng.random(n) < 0.05, "csat"] = np.nan
    df.loc[rng.random(n) < 0.01, "submitted_at"] = pd.NaT
    return df


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 6000
    ids = rng.integers(0, 700, n)
    return pd.DataFrame({
        "customer_id": pd.Series([f"c{i:04d}" for i in ids], dtype="str"),
        "customer_int": ids.astype(np.int64),
        # few distinct days: many customers buy twice on the same day (ties merge into one period)
        "timestamp": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 500 * 24 * 60, n), unit="min"),
        "amount": np.round(rng.gamma(2.0, 30.0, n), 2),
        "channel": rng.choice(["store", "web"], n),
    })


@pytest.mark.parametrize("kind", ENGINES)
@pytest.mark.parametrize("period", [None, "D", "W", "M", "Q", "Y"])
def test_score_counts_equal_pandas(survey, kind, period):
    ref = score_counts(survey, by=["channel", "region"], period=period)
    got = score_counts(as_engine(survey, kind), by=["channel", "region"], period=period)
    pd.testing.assert_frame_equal(got, ref, check_dtype=False)


@pytest.mark.parametrize("kind", ENGINES)
def test_weighted_counts_and_nps_table_equal_pandas(survey, kind):
    frame = as_engine(survey, kind)
    ref = score_counts(survey, by="channel", period="M", weight="w")
    got = score_counts(frame, by="channel", period="M", weight="w")
    pd.testing.assert_frame_equal(got, ref, check_dtype=False, rtol=1e-12)
    ref_t = nps_table(survey, by="channel", progress=False)
    got_t = nps_table(frame, by="channel", progress=False)
    pd.testing.assert_frame_equal(got_t, ref_t, check_dtype=False)
    overall = nps_table(frame, weight="w", progress=False)
    pd.testing.assert_frame_equal(overall, nps_table(survey, weight="w", progress=False), check_dtype=False)


@pytest.mark.parametrize("kind", ENGINES)
def test_empty_selection_gives_empty_table(survey, kind):
    empty = survey.iloc[:0]
    got = score_counts(as_engine(empty, kind), by="channel")
    assert len(got) == 0
    assert list(got.columns) == list(score_counts(empty, by="channel").columns)


@pytest.mark.parametrize("kind", ENGINES)
def test_bad_scores_raise_with_the_column(survey, kind):
    bad = survey.assign(likelihood_to_recommend=survey["likelihood_to_recommend"].where(survey.index != 5, 12.0))
    with pytest.raises(CXLabError, match="likelihood_to_recommend.*not whole numbers from 0 to 10"):
        score_counts(as_engine(bad, kind), by="channel")
    half = survey.assign(likelihood_to_recommend=survey["likelihood_to_recommend"].where(survey.index != 5, 7.5))
    with pytest.raises(CXLabError, match="7.5"):
        score_counts(as_engine(half, kind))


@pytest.mark.parametrize("kind", ENGINES)
def test_rating_counts_match_crosstab(survey, kind):
    got = engine.rating_counts(as_engine(survey, kind), score="csat", by="region")
    # reference: plain pandas crosstab of the same column
    ref = pd.crosstab(survey["region"], survey["csat"])
    assert got["region"].tolist() == ref.index.tolist()
    for v in range(1, 6):
        assert got[f"count_{v}"].tolist() == ref[float(v)].tolist()
    assert got["count_missing"].tolist() == survey["csat"].isna().groupby(survey["region"]).sum().tolist()


@pytest.mark.parametrize("kind", ENGINES)
@pytest.mark.parametrize("scale", [None, (0, 10)])
def test_answer_counts_equal_pandas(survey, kind, scale):
    ref = answer_counts(survey, score="likelihood_to_recommend", scale=scale)
    got = answer_counts(as_engine(survey, kind), score="likelihood_to_recommend", scale=scale)
    pd.testing.assert_frame_equal(got, ref, check_dtype=False, check_names=False)
    assert "(missing)" in got.index


@pytest.mark.parametrize("kind", ENGINES)
@pytest.mark.parametrize("ids", ["customer_id", "customer_int"])
@pytest.mark.parametrize("options", [{}, {"freq": "W"}, {"freq": "h", "freq_multiplier": 24},
                                     {"observation_end": "2024-01-31"}, {"include_first_transaction": True},
                                     {"monetary_col": None}])
def test_rfm_summary_equal_pandas(transactions, kind, ids, options):
    ref = rfm_summary(transactions, customer_col=ids, **options)
    got = rfm_summary(as_engine(transactions, kind), customer_col=ids, **options)
    pd.testing.assert_frame_equal(got, ref, check_index_type=False, rtol=1e-10)


@pytest.mark.parametrize("kind", ENGINES)
def test_rfm_errors_name_the_column(transactions, kind):
    neg = transactions.assign(amount=transactions["amount"].where(transactions.index != 3, -5.0))
    with pytest.raises(CXLabError, match="1 transaction.*negative amount"):
        rfm_summary(as_engine(neg, kind))
    no_id = transactions.assign(customer_id=transactions["customer_id"].where(transactions.index % 100 != 0))
    with pytest.raises(CXLabError, match="60 transaction.*no customer id"):
        rfm_summary(as_engine(no_id, kind))
    with pytest.raises(CXLabError, match="before every purchase"):
        rfm_summary(as_engine(transactions, kind), observation_end="2000-01-01")


@pytest.mark.parametrize("kind", ENGINES)
def test_behaviour_around_equal_pandas(transactions, kind):
    from cxlab.survey_vs_behaviour import behaviour_around

    rng = np.random.default_rng(3)
    link = pd.DataFrame({"response_id": [f"r{i}" for i in range(60)],
                         "customer_id": rng.choice(transactions["customer_id"].unique(), 60).astype(object),
                         "submitted_at": pd.Timestamp("2023-09-01") + pd.to_timedelta(rng.integers(0, 200, 60), "D")})
    link.loc[[4, 9], "customer_id"] = None
    ref = behaviour_around(link, transactions, before_days=180, after_days=60)
    got = behaviour_around(link, as_engine(transactions, kind), before_days=180, after_days=60)
    pd.testing.assert_frame_equal(got, ref, check_dtype=False)


@pytest.mark.parametrize("kind", ["pandas", *ENGINES])
def test_key_counts_match_value_counts(kind):
    recs = pd.DataFrame({"email": ["a@x.ru", "a@x.ru", "b@y.ru", None, "c@z.ru", "c@z.ru", "c@z.ru"],
                         "phone": ["+7912", None, "+7912", "+7913", None, None, None],
                         "customer_id": ["1", "2", "3", "4", "5", "5", None]})
    got = engine.key_counts(recs if kind == "pandas" else as_engine(recs, kind), keys=["email", "phone", "handle"])
    # reference: pandas value_counts of each column, and distinct non-missing ids per value
    for key in ("email", "phone"):
        vc = recs[key].value_counts()
        want = vc[vc >= 2]
        part = got[got["key"] == key].set_index("value")
        assert part["n_records"].to_dict() == want.to_dict()
        ids = recs.dropna(subset=[key]).groupby(key)["customer_id"].nunique()
        assert part["n_ids"].to_dict() == ids[want.index].to_dict()


def test_unknown_frame_and_missing_engine_messages(monkeypatch):
    with pytest.raises(CXLabError, match="cannot read a builtins.dict"):
        score_counts({"likelihood_to_recommend": [1]})
    import sys

    # as if pyspark were not installed (None in sys.modules makes `import` fail, even when loaded already)
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(CXLabError, match=r"pip install 'cxlab\[spark\]'"):
        engine.require_module("pyspark.sql")
    for module, extra in (("polars", "polars"), ("duckdb", "duckdb")):
        monkeypatch.setitem(sys.modules, module, None)
        with pytest.raises(CXLabError, match=rf"pip install 'cxlab\[{extra}\]'"):
            engine.require_module(module)


@pytest.mark.parametrize("scan_engine", ["duckdb", "polars"])
@pytest.mark.parametrize("fmt", ["parquet", "csv", "folder"])
def test_scan_files_equal_pandas(tmp_path, survey, transactions, scan_engine, fmt):
    import cxlab

    tx = transactions.drop(columns=["customer_int"])
    if fmt == "parquet":
        survey.to_parquet(tmp_path / "s.parquet")
        tx.to_parquet(tmp_path / "t.parquet")
        s_path, t_path = tmp_path / "s.parquet", tmp_path / "t.parquet"
    elif fmt == "folder":  # a partitioned data set: several files in one folder
        for i, part in enumerate(np.array_split(np.arange(len(tx)), 3)):
            (tmp_path / "t").mkdir(exist_ok=True)
            tx.iloc[part].to_parquet(tmp_path / "t" / f"part{i}.parquet")
        survey.to_parquet(tmp_path / "s.parquet")
        s_path, t_path = tmp_path / "s.parquet", tmp_path / "t"
    else:
        survey.to_csv(tmp_path / "s.csv", index=False)
        tx.to_csv(tmp_path / "t.csv", index=False)
        s_path, t_path = tmp_path / "s.csv", tmp_path / "t.csv"
    scanned = cxlab.scan(s_path, engine=scan_engine)
    assert engine.engine_name(scanned) == ("duckdb" if scan_engine == "duckdb" else "polars-lazy")
    ref = score_counts(survey, by="channel", period="M")
    got = score_counts(scanned, by="channel", period="M")
    pd.testing.assert_frame_equal(got, ref, check_dtype=False)
    ref_rfm = rfm_summary(tx)
    got_rfm = rfm_summary(cxlab.scan(t_path, engine=scan_engine))
    pd.testing.assert_frame_equal(got_rfm, ref_rfm, check_index_type=False, rtol=1e-10)


def test_scan_refuses_what_it_cannot_read(tmp_path):
    import cxlab

    with pytest.raises(CXLabError, match="there is no file"):
        cxlab.scan(tmp_path / "nothing.parquet")
    (tmp_path / "book.xlsx").write_bytes(b"")
    with pytest.raises(CXLabError, match="Parquet and CSV"):
        cxlab.scan(tmp_path / "book.xlsx")
    (tmp_path / "a.parquet").write_bytes(b"")
    with pytest.raises(CXLabError, match="unknown scan engine"):
        cxlab.scan(tmp_path / "a.parquet", engine="spark")


def test_scan_summary_row_matches_pandas(tmp_path, transactions):
    import cxlab

    transactions.to_parquet(tmp_path / "t.parquet")
    row = engine.scan_summary(cxlab.scan(tmp_path / "t.parquet"), table="transactions", file="t.parquet",
                              time_col="timestamp")
    assert row.loc[0, "rows_read"] == len(transactions) == row.loc[0, "rows_kept"]
    assert row.loc[0, "date_from"] == transactions["timestamp"].min().date()
    assert row.loc[0, "date_to"] == transactions["timestamp"].max().date()
    assert "no row quarantine" in row.loc[0, "checks"]
