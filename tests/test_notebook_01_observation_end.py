"""Hostile finding H16: with ``observation_end`` the data sentence of notebook 01 counts only the
purchases the analysis uses, and says how many later ones were left out.

Only the first cells of the notebook run (parameters, loading, the data sentence), with the
parameter converted by ``cxlab.report.prepare_parameters`` exactly as ``cxlab report -p`` does;
the counts are computed here independently with pandas.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from cxlab.report import prepare_parameters

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_segmentation.ipynb"
sys.path.insert(0, str(Path(__file__).parent / "data" / "own"))
import make_transactions_sets as sets  # noqa: E402

pytestmark = [pytest.mark.notebook, pytest.mark.slow]


def test_data_sentence_counts_purchases_up_to_observation_end(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    folder = tmp_path / "shop"
    folder.mkdir()
    data = sets.steady()  # 2021-01-01 .. 2022-12-31, ISO dates
    data.to_csv(folder / "transactions.csv", index=False)
    end = "30.06.2022"  # day first, as a Russian user writes it; the parameter check turns it into 2022-06-30
    params = prepare_parameters([NOTEBOOK], {"data_dir": str(folder), "observation_end": end, "currency": "EUR"})
    assert params[NOTEBOOK]["observation_end"] == "2022-06-30"

    ts = pd.to_datetime(data["timestamp"])
    kept, later = int((ts <= "2022-06-30").sum()), int((ts > "2022-06-30").sum())
    customers = data.loc[ts <= "2022-06-30", "customer_id"].nunique()
    assert later > 0

    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    injected = nbformat.v4.new_code_cell("\n".join(f"{k} = {v!r}" for k, v in params[NOTEBOOK].items()))
    nb.cells = nb.cells[:first + 1] + [injected] + nb.cells[first + 1:first + 3]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("CXLAB_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = "\n".join(str(o.get("data", {}).get("text/markdown", "")) for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))
    assert f"{kept:,} purchases by {customers:,} customers" in text, text
    assert "30.06.2022" in text
    assert f"{later:,} purchases after the observation end (30.06.2022) are left out" in text, text
    assert f"{len(data):,} purchases by" not in text
