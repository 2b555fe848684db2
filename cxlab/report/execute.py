"""Executing one notebook with papermill, and saying in words which cell stopped it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cxlab.errors import CXLabError

__all__ = ["execute_notebook"]


# --------------------------------------------------------------------------- running

def _failed_cell(output: Path) -> tuple[int | None, str]:
    """The 1-based position (from the top, counting every cell) and first line of the failed cell."""
    import nbformat

    try:
        nb = nbformat.read(str(output), as_version=4)
    except Exception:  # noqa: BLE001 - best effort for a message
        return None, ""
    source_cells = [c for c in nb.cells if not {"injected-parameters", "papermill-error-cell-tag"}
                    & set(c.get("metadata", {}).get("tags", []))]
    for i, cell in enumerate(source_cells, start=1):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = next((ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")), "")
            return i, first.strip()
    return None, ""


def _ran_to_the_end(output: Path) -> bool:
    """True when every code cell completed although an output holds an error (a failed display).

    IPython shows an exception raised while *displaying* a result (a table formatter, a
    ``_repr_html_``) as an error output, but the cell and the rest of the notebook run on;
    papermill still reports the notebook as failed. Such outputs are replaced by a short
    note and the report is complete.
    """
    import nbformat

    try:
        nb = nbformat.read(str(output), as_version=4)
    except Exception:  # noqa: BLE001 - then it is treated as a stop
        return False
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or any(c.get("metadata", {}).get("papermill", {}).get("status") != "completed" for c in code):
        return False
    for cell in code:
        cell["outputs"] = [o if o.get("output_type") != "error" else nbformat.v4.new_output(
            "display_data", data={"text/markdown": f"*(This output could not be displayed: {o.get('ename')}.)*",
                                  "text/plain": f"(This output could not be displayed: {o.get('ename')}.)"})
            for o in cell.get("outputs", [])]
    nb.cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])]
    nbformat.write(nb, str(output))
    return True


def execute_notebook(path: str | os.PathLike, output: str | os.PathLike, *,
                     parameters: Mapping[str, Any] | None = None, timeout: int = 1800,
                     progress: bool = False, kernel_name: str = "python3",
                     cwd: str | os.PathLike | None = None) -> Path:
    """Execute a notebook with papermill into ``output`` (the source is never modified).

    Raises
    ------
    CXLabError
        When a cell fails; the message names the notebook, the cell's position from the
        top (as counted in JupyterLab) and its first line. The executed copy, with the
        error in it, is kept at ``output``.
    """
    try:
        import papermill as pm
    except ImportError:
        raise CXLabError("running the notebooks needs the notebook tools (papermill, nbconvert, ipykernel), "
                         "which are not installed", fix="pip install 'cxlab[notebook]' (make installs them)") from None

    path, output = Path(path), Path(output)
    saved = os.environ.get("MPLBACKEND")
    os.environ.pop("MPLBACKEND", None)
    import logging

    # cxlab checked the parameters itself (papermill's own inspector cannot read annotated
    # parameters and would warn "Passed unknown parameter" for every declared one)
    pm_logger = logging.getLogger("papermill")
    level = pm_logger.level
    pm_logger.setLevel(logging.ERROR)
    try:
        pm.execute_notebook(
            str(path), str(output), parameters=dict(parameters or {}), cwd=str(cwd or path.parent),
            kernel_name=kernel_name, progress_bar=progress, execution_timeout=timeout, log_output=False,
        )
    except pm.PapermillExecutionError as exc:
        if _ran_to_the_end(output):
            return output  # only a display failed (e.g. a table's formatter): every cell ran; the note replaces it
        cell, first = _failed_cell(output)
        where = f"cell {cell} from the top" if cell else f"the cell run as [{exc.exec_count}]"
        raise CXLabError(
            f"notebook {path.stem} stopped at {where}"
            + (f" (`{first[:80]}`)" if first else "") + f" with {exc.ename}: {exc.evalue}",
            file=str(path),
            fix=None if "What to do:" in str(exc.evalue) else  # cxlab's own error already says what to do
            "read the message above; if it is about your data, fix the file or the parameters; otherwise "
                "open the notebook in JupyterLab (cxlab notebooks DEST), run it cell by cell and report the problem",
        ) from None
    finally:
        pm_logger.setLevel(level)
        if saved is not None:
            os.environ["MPLBACKEND"] = saved
    return output
