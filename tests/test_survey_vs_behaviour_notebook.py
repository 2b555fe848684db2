"""Notebook 02 on a user's folder holding only a survey and transactions, with few columns (issue 12)."""

from __future__ import annotations

import json

import pytest

from cxlab.datasets import make_demo
from cxlab.report import execute_notebook, list_notebooks

NB = next(p for p in list_notebooks() if p.stem == "02_survey_vs_behaviour")


def _texts(path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error", o
            out.append("".join(o.get("data", {}).get("text/markdown", "")) + "".join(o.get("text", "")))
    return "\n".join(out)


@pytest.mark.notebook
@pytest.mark.slow
def test_runs_on_survey_and_transactions_only(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    demo = make_demo(300, 5)
    demo.survey_responses[["response_id", "customer_id", "submitted_at", "likelihood_to_recommend",
                           "stated_frequency"]].to_csv(folder / "survey_responses.csv", index=False)
    demo.transactions[["customer_id", "timestamp", "amount"]].to_csv(folder / "transactions.csv", index=False)
    text = _texts(execute_notebook(NB, tmp_path / NB.name, parameters={"data_dir": str(folder)}))
    assert "Терруар" not in text and "Planted truth" not in text  # the truth sections are demo-only
    assert "survey responses" in text and "linked to a customer" in text
    assert "over-claim their purchase frequency" in text       # the finding is written from the user's data
    assert "no `stated_price_tier` column" in text             # sections without their columns say so
    assert "no customers table" in text
