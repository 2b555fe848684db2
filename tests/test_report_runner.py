"""The notebook runner: a failed display is not a stopped notebook; executed copies stay out of the deliverables.

Reference for the first: IPython shows an exception raised while *displaying* a value as an
error output but runs on (the cell's execute reply is "ok"); papermill nevertheless raises
``PapermillExecutionError`` for any error output (papermill.execute.raise_for_execution_errors).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from cxlab.errors import CXLabError
from cxlab.report import _executed_dir, execute_notebook

pytest.importorskip("papermill")


def _notebook(tmp_path: Path, cells: list[str]) -> Path:
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_a_display_that_fails_does_not_stop_the_report(tmp_path):
    path = _notebook(tmp_path, [
        "class Table:\n    def _repr_html_(self):\n        raise ValueError('NaTType does not support strftime')\n"
        "    def __repr__(self):\n        return 'table'\nfrom IPython.display import display\ndisplay(Table())",
        "print('the last cell ran')",
    ])
    out = execute_notebook(path, tmp_path / "out.ipynb", cwd=tmp_path)
    nb = nbformat.read(str(out), as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not any(o.get("output_type") == "error" for o in outputs)
    assert any("could not be displayed: ValueError" in str(o.get("data", {})) for o in outputs)
    assert any("the last cell ran" in o.get("text", "") for o in outputs)


def test_a_cell_that_raises_still_stops_with_its_position(tmp_path):
    path = _notebook(tmp_path, ["x = 1", "raise ValueError('bad data')", "print('never')"])
    with pytest.raises(CXLabError, match=r"stopped at cell 2 from the top .*ValueError: bad data"):
        execute_notebook(path, tmp_path / "out.ipynb", cwd=tmp_path)


def test_executed_notebooks_are_kept_beside_the_deliverable_folder_not_in_it(tmp_path):
    out = tmp_path / "reports" / "acme"
    assert _executed_dir(out) == tmp_path / "reports" / "acme-executed"
    assert out not in _executed_dir(out).parents


def test_a_broken_file_a_notebook_does_not_need_does_not_stop_the_report(tmp_path):
    # HOSTILE3 H10: `--notebooks 03` refused to start because the sales export beside the survey had an
    # unknown header; the report's own load now names the problem and goes on.
    from cxlab.report.run import _tables_for

    (tmp_path / "survey.csv").write_text("response_id,submitted_at,likelihood_to_recommend\nR1,2025-03-01,9\n"
                                         "R2,2025-03-02,3\n", encoding="utf-8")
    (tmp_path / "orders.csv").write_text("Order,Who,When,Mystery\nO1,A,2025-03-01,5\n", encoding="utf-8")
    tables = _tables_for({"data_dir": str(tmp_path)})
    assert tables.has("survey_responses") and not tables.has("transactions")
    assert "transactions" in tables.problems and "orders.csv" in tables.problems["transactions"]
