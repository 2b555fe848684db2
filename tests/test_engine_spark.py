"""cxlab on PySpark in local mode: NPS table, RFM summary and channel table equal to pandas.

Runs whenever pyspark (the ``spark`` extra) and Java are installed, as they are under
``make test`` / ``.ci/run``; skipped otherwise. The reference is the pandas path on the same rows.
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyspark")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("PySpark needs Java (17 or newer)", allow_module_level=True)

from cxlab.channels import answer_counts  # noqa: E402
from cxlab.nps import nps_table, score_counts  # noqa: E402
from cxlab.rfm import rfm_summary  # noqa: E402

pytestmark = [pytest.mark.xdist_group("spark"),  # one Spark JVM per test worker at most
              # pyspark 4.x passes copy= to pandas 3's astype when converting with Arrow
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
              pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("cxlab-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.timestampType", "TIMESTAMP_NTZ")  # naive local times, as cxlab's tables hold
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 3000
    df = pd.DataFrame({
        "channel": rng.choice(["store", "web", "чат", None], n, p=[0.4, 0.35, 0.24, 0.01]).astype(object),
        "likelihood_to_recommend": rng.integers(0, 11, n).astype(float),
        "submitted_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400 * 24, n), unit="h"),
    })
    df.loc[rng.random(n) < 0.05, "likelihood_to_recommend"] = np.nan
    return df


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    rng = np.random.default_rng(9)
    n = 4000
    ids = rng.integers(0, 500, n)
    return pd.DataFrame({"customer_id": [f"c{i:04d}" for i in ids], "customer_int": ids.astype(np.int64),
                         "timestamp": pd.Timestamp("2023-03-01") + pd.to_timedelta(rng.integers(0, 400 * 1440, n), "min"),
                         "amount": np.round(rng.gamma(2.0, 25.0, n), 2)})


def test_nps_table_on_spark_equals_pandas(spark, survey):
    sdf = spark.createDataFrame(survey)
    ref = score_counts(survey, by="channel", period="M")
    got = score_counts(sdf, by="channel", period="M")
    pd.testing.assert_frame_equal(got, ref, check_dtype=False)
    pd.testing.assert_frame_equal(nps_table(sdf, by="channel", progress=False),
                                  nps_table(survey, by="channel", progress=False), check_dtype=False)


def test_channel_table_on_spark_equals_pandas(spark, survey):
    sdf = spark.createDataFrame(survey)
    ref = answer_counts(survey, score="likelihood_to_recommend", scale=(0, 10))
    got = answer_counts(sdf, score="likelihood_to_recommend", scale=(0, 10))
    pd.testing.assert_frame_equal(got, ref, check_dtype=False, check_names=False)


@pytest.mark.parametrize("ids", ["customer_id", "customer_int"])
def test_rfm_summary_on_spark_equals_pandas(spark, transactions, ids):
    sdf = spark.createDataFrame(transactions)
    ref = rfm_summary(transactions, customer_col=ids, observation_end="2024-03-31")
    got = rfm_summary(sdf, customer_col=ids, observation_end="2024-03-31")
    pd.testing.assert_frame_equal(got, ref, check_index_type=False, rtol=1e-10)


def test_readme_spark_example(spark, tmp_path, monkeypatch):
    # The README's "Big data" examples as written, in this process: the Parquet block writes the files, the
    # Spark block's getOrCreate() picks up this module's session (no second JVM); its stop() runs last.
    from test_engine_readme import readme_block

    monkeypatch.chdir(tmp_path)
    parquet = readme_block("<!-- readme-bigdata-parquet -->")
    code = readme_block("<!-- readme-bigdata-spark -->")
    assert code.rstrip().endswith("spark.stop()")
    space: dict = {}
    exec(compile(parquet, "README-parquet", "exec"), space)
    code = code.rstrip()[: -len("spark.stop()")]
    for name in ("survey_responses.parquet", "transactions.parquet"):  # the JVM keeps its own working folder
        assert f'"{name}"' in code
        code = code.replace(f'"{name}"', repr(str(tmp_path / name)))
    exec(compile(code, "README-spark", "exec"), space)
    assert space["spark"] is spark
    from cxlab.datasets import load_example

    ref = rfm_summary(load_example().transactions, observation_end="2025-12-31")
    pd.testing.assert_frame_equal(space["rfm"], ref, check_index_type=False, rtol=1e-10)
