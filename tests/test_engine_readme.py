"""The README's "Big data" Parquet example runs as written and agrees with pandas (Spark: test_engine_spark)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_block(marker: str) -> str:
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
    out = _run(readme_block("<!-- readme-bigdata-parquet -->") + CHECK_PARQUET, tmp_path)
    assert "EQUAL duckdb" in out
    assert "estimate" in out and "monetary_value" in out
