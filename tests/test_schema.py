"""The canonical schemas: one spec drives dtypes, pandera validation, templates and the data dictionary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxlab import schema
from cxlab.errors import CXLabError

ROOT = Path(__file__).resolve().parents[1]


def test_data_readme_dictionary_is_generated_from_the_schema():
    text = (ROOT / "data/README.md").read_text(encoding="utf-8")
    block = text.split("<!-- BEGIN DICTIONARY -->\n", 1)[1].split("<!-- END DICTIONARY -->", 1)[0]
    assert block == schema.data_dictionary_markdown(), "regenerate data/README.md's dictionary from cxlab.schema"


@pytest.mark.parametrize("kind", list(schema.TABLES))
def test_templates_load_into_valid_tables(kind):
    raw = pd.read_csv(ROOT / "data/templates" / f"{kind}.csv", dtype=str, keep_default_na=False, na_values=[""])
    assert list(raw.columns) == schema.table_spec(kind).names
    if "resolved" in raw:
        raw["resolved"] = raw["resolved"].map({"True": True, "False": False})
    table = schema.coerce(raw, kind)
    schema.validate(table, kind)
    assert table.iloc[0].notna().sum() >= len(schema.table_spec(kind).required)


def test_ids_stay_text():
    t = schema.coerce(pd.DataFrame({"customer_id": ["00123"], "timestamp": ["2025-01-02"], "amount": [5]}),
                      "transactions")
    assert t["customer_id"].iloc[0] == "00123"
    assert str(t["customer_id"].dtype) == "string"
    assert isinstance(t["channel"].dtype, pd.CategoricalDtype)
    assert list(t["price_tier"].cat.categories) == ["budget", "mid", "premium"] and t["price_tier"].cat.ordered


def test_missing_required_column_is_a_clear_error():
    with pytest.raises(CXLabError, match="lacks required column.*amount"):
        schema.coerce(pd.DataFrame({"customer_id": ["1"], "timestamp": ["2025-01-02"]}), "transactions")


def test_validate_names_column_and_rows():
    t = schema.coerce(pd.DataFrame({"response_id": ["a", "b", "c"], "submitted_at": ["2025-01-01"] * 3,
                                    "likelihood_to_recommend": [3, 11, 12]}), "survey")
    with pytest.raises(CXLabError) as exc:
        schema.validate(t, "survey")
    msg = str(exc.value)
    assert "likelihood_to_recommend" in msg and "rows 2, 3" in msg


def test_unknown_kind():
    with pytest.raises(CXLabError, match="unknown table kind"):
        schema.table_spec("orders")
    assert schema.table_spec("survey").name == "survey_responses"


def test_empty_table_has_canonical_dtypes():
    e = schema.empty_table("interactions")
    assert list(e.columns) == schema.table_spec("interactions").names and len(e) == 0
    assert str(e["resolved"].dtype) == "boolean" and str(e["csat"].dtype) == "Int8"
