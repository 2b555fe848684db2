"""Every themed notebook on a folder holding only some tables (issue 8): it either runs, with
visible "Skipped: … needs …" notes for the sections whose table is missing, or stops at once
with the clear error that names the notebook, the table and the folder searched."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cxlab.errors import CXLabError
from cxlab.report import execute_notebook, list_notebooks

sys.path.insert(0, str(Path(__file__).parent / "data" / "own"))
from make_export_folder import write_exports  # noqa: E402

FOLDERS = {"only_transactions": ["transactions"], "only_survey": ["survey_responses"]}
NOTEBOOKS = list_notebooks()


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("partial")
    return {name: write_exports(base / name, n_customers=300, seed=3, tables=tables) and base / name
            for name, tables in FOLDERS.items()}


def _texts(nb: dict) -> str:
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            out.append("".join(data.get("text/markdown", "")) + "".join(data.get("text/plain", ""))
                       + "".join(o.get("text", "")))
    return "\n".join(out)


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("folder", list(FOLDERS))
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_with_skip_notes_or_stops_clearly(path, folder, folders, tmp_path):
    data_dir = folders[folder]
    params = {"data_dir": str(data_dir)}
    if path.stem.startswith("01"):
        params.update(n_boot=2)
    try:
        executed = execute_notebook(path, tmp_path / path.name, parameters=params)
    except CXLabError as exc:
        msg = str(exc)
        assert "CXLabError" in msg and f"notebook {path.stem} needs" in msg and str(data_dir) in msg, msg
        return
    nb = json.loads(executed.read_text(encoding="utf-8"))
    text = _texts(nb)
    assert "Терруар" not in text, "a run on the user's folder mentions the demo company"
    assert "Traceback" not in text
