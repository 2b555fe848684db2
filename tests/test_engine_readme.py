"""The README's "Big data" examples run as written and agree with the pandas results."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _block(marker: str) -> str:
    text = README.read_text(encoding="utf-8")
    assert "## Big data" in text
    block = text[text.index(marker):]
    block = block[block.index("```python") + len("```python"):]
    return block[:block.index("```")]


def _run(code: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


CHECK_PARQUET = """
import pandas as pd
ref = nps.nps_table(demo.survey_responses, by="channel", period="Q")
# the demo's channel is a pandas categorical (its own level order); the file's column is text, sorted A-Z
ref = ref.assign(channel=ref["channel"].astype(str)).sort_values(["channel", "period"], kind="stable")
pd.testing.assert_frame_equal(quarterly, ref.reset_index(drop=True), check_dtype=False)
pd.testing.assert_frame_equal(rfm, seg.rfm_summary(demo.transactions, observation_end=demo.observation_end),
                              check_index_type=False, rtol=1e-10)
print("EQUAL", type(survey).__module__)
"""


def test_readme_parquet_example(tmp_path):
    pytest.importorskip("duckdb")
    out = _run(_block("<!-- readme-bigdata-parquet -->") + CHECK_PARQUET, tmp_path)
    assert "EQUAL duckdb" in out
    assert "estimate" in out and "monetary_value" in out


CHECK_SPARK = """
import pandas as pd
from cxlab.datasets import load_example
demo = load_example()
pd.testing.assert_frame_equal(rfm, seg.rfm_summary(demo.transactions, observation_end="2025-12-31"),
                              check_index_type=False, rtol=1e-10)
print("EQUAL")
"""


@pytest.mark.xdist_group("spark")
@pytest.mark.slow
def test_readme_spark_example(tmp_path):
    pytest.importorskip("pyspark")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("PySpark needs Java")
    _run(_block("<!-- readme-bigdata-parquet -->"), tmp_path)  # writes the Parquet files the Spark example reads
    code = _block("<!-- readme-bigdata-spark -->").replace("spark.stop()\n", "") + CHECK_SPARK + "spark.stop()\n"
    out = _run(code, tmp_path)
    assert out.strip().endswith("EQUAL")
