"""Every notebook executes top to bottom and exports to an HTML report with real figures.

Notebooks run in a fresh kernel through papermill (the same path as ``make demo``), on the
demo data, with MPLBACKEND removed from the kernel's environment so inline figures exist.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from cxlab.datasets import load_example
from cxlab.report import execute_notebook, export_html, list_notebooks

NOTEBOOKS = list_notebooks()
IDS = [p.stem for p in NOTEBOOKS]


def test_there_are_notebooks():
    names = {p.stem for p in NOTEBOOKS}
    assert "00_start_here" in names
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(path: Path):
    nb = nbformat.read(str(path), as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; strip them (nbstripout) before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_has_parameters_cell_and_versions(path: Path):
    nb = nbformat.read(str(path), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters' (papermill)"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), "title cell first"
    assert "__version__" in nb.cells[-1].source, "last cell prints versions"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_executes_and_exports_figures(path: Path, tmp_path: Path):
    executed = execute_notebook(path, tmp_path / path.name)
    nb = json.loads(executed.read_text(encoding="utf-8"))
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    html = export_html(executed, tmp_path / f"{path.stem}.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in html, "the report must embed at least one figure"
    # code is hidden in client reports, and no widget fallback text leaks into them
    assert "import cxlab" not in html
    assert "VBox(children" not in html and "HBox(children" not in html
    _assert_no_personal_data(html, path.name)


_EMAIL = re.compile(r"[\w.+-]+@(?:mail|yandex|gmail|bk|inbox|list)\.(?:ru|com)", re.I)
_PHONE = re.compile(r"(?:\+7|\b8)[\s(-]*9\d{2}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}")


def _assert_no_personal_data(html: str, name: str) -> None:
    """Reports are handed to clients: no demo customer's e-mail, phone or full name may appear."""
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    assert not _EMAIL.search(text), f"{name}: an e-mail address leaks into the report"
    assert not _PHONE.search(text), f"{name}: a phone number leaks into the report"
    customers = load_example(truth=False).customers
    ids = [i for i in customers["customer_id"] if f">{i}<" in text]
    assert not ids, f"{name}: raw customer ids leak into a report table (pseudonymise them): {ids[:3]}"
    names = set(customers["name"].dropna())
    leaked = [n for n in names if n in text]
    assert not leaked, f"{name}: customer names leak into the report: {leaked[:3]}"
