"""Running every selected notebook and writing the deliverable folder (reports, index, methods, deck, PDF)."""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cxlab.errors import CXLabError
from cxlab.findings.i18n import _
from cxlab.report.execute import execute_notebook
from cxlab.report.export import _banner, export_html
from cxlab.report.notebooks import _output_folder, select_notebooks
from cxlab.report.parameters import prepare_parameters

__all__ = ["FORMATS", "run_all"]


FORMATS = ("html", "pptx", "pdf")


def _tables_for(params: Mapping[str, Any]):
    """The tables the notebooks read (for the index and the methods appendix), loaded the same way.

    A file that cannot be read is a problem to name in the Data used block, not a reason to stop
    every notebook: one that does not need it (``--notebooks 03`` beside a broken sales export) runs.
    """
    from cxlab.loader import TABLE_NAMES, load_tables

    return load_tables(params.get("data_dir"), customers=params.get("customers_path"),
                       transactions=params.get("transactions_path"), survey_responses=params.get("survey_path"),
                       interactions=params.get("interactions_path"), employee_survey=params.get("employee_path"),
                       date_format=params.get("date_format"), needs=list(TABLE_NAMES))


def _heading(params: Mapping[str, Any], tables) -> str:
    if params.get("client"):
        return _("{client} — customer-experience report").format(client=params["client"])
    if tables is not None and tables.is_demo:
        from cxlab.datasets import COMPANY

        return _("Demo company «{company}» — customer-experience report").format(company=COMPANY)
    return _("Customer-experience report")


def _source(parameters: Mapping[str, Any], tables) -> str:
    """Whose data, for the index and the deck: the loader's line in English, the translated banner otherwise."""
    from cxlab.findings.i18n import get_language

    if get_language() == "en":
        return tables.source
    return html.unescape(_banner(parameters).replace("**", ""))


def _executed_dir(output_dir: Path) -> Path:
    """Where ``--keep-executed`` puts the executed notebooks: beside the deliverable folder, not in it."""
    return output_dir.parent / f"{output_dir.name}-executed"


def _execute_all(paths, per_notebook, output_dir, keep_executed, progress, banner, nav, results,
                 written) -> list[CXLabError]:
    """Run each notebook and export its report; a failing notebook keeps its partial report."""
    from tqdm.auto import tqdm

    from cxlab.report import deliverables as dv

    failures: list[CXLabError] = []
    with tempfile.TemporaryDirectory() as tmp:
        bar = tqdm(paths, desc="notebooks", unit="nb", disable=not progress)
        for nb in bar:
            bar.set_postfix_str(nb.stem)
            # executed notebooks hold the raw tables (names, e-mails, ids): never inside the folder sent to a client
            executed = (_executed_dir(output_dir) if keep_executed else Path(tmp)) / nb.name
            executed.parent.mkdir(parents=True, exist_ok=True)
            html_path = output_dir / f"{nb.stem}.html"
            try:
                execute_notebook(nb, executed, parameters=per_notebook[nb], cwd=tmp)
            except CXLabError as exc:
                # Keep the partial report and go on with the other notebooks: earlier work is never lost.
                if executed.exists():
                    written.append(export_html(executed, html_path, banner=banner, error=exc.problem,
                                               static=dv.STATIC_DIR, nav=nav))
                    results.append(dv.collect_results(executed, html_path, error=exc.problem))
                    exc.problem += f" (partial report written to {html_path})"
                failures.append(exc)
                continue
            written.append(export_html(executed, html_path, banner=banner, static=dv.STATIC_DIR, nav=nav))
            results.append(dv.collect_results(executed, html_path))
    return failures


def run_all(output_dir: str | os.PathLike = "reports", notebooks: Iterable[str | os.PathLike] | None = None, *,
            parameters: Mapping[str, Any] | None = None, keep_executed: bool = False,
            progress: bool = True, formats: Sequence[str] = ("html",),
            read_options: Mapping[str, Any] | None = None) -> list[Path]:
    """Execute notebooks and write the deliverable folder; return the paths written (see :func:`_run_all`).

    The parameter ``lang`` (``"en"`` or ``"ru"``, :data:`cxlab.findings.LANGUAGES`) is the language of the
    generated text: it is checked before any notebook runs, passed to every notebook and used for the index,
    the methods appendix and the deck.
    """
    from cxlab.findings.i18n import check_language, use_language

    with use_language(check_language((parameters or {}).get("lang"))):
        return _run_all(output_dir, notebooks, parameters=parameters, keep_executed=keep_executed,
                        progress=progress, formats=formats, read_options=read_options)


def _run_all(output_dir: str | os.PathLike = "reports", notebooks: Iterable[str | os.PathLike] | None = None, *,
             parameters: Mapping[str, Any] | None = None, keep_executed: bool = False,
             progress: bool = True, formats: Sequence[str] = ("html",),
             read_options: Mapping[str, Any] | None = None) -> list[Path]:
    """Execute notebooks and write the deliverable folder; return the paths written.

    The folder holds one HTML report per notebook (widgets rendered offline from their
    saved state), ``index.html`` (whose data, the data used, links and every headline
    finding), ``methods.html`` (sample sizes, methods, rules, versions, fingerprints) and,
    on request, ``deck.pptx`` and a PDF of each page. ``read_options`` (e.g.
    ``{"columns": {"Q1": "likelihood_to_recommend"}, "sheet_name": "Responses"}``, see
    :func:`cxlab.loader.read_options`) reach every notebook's loader. Parameters are checked for every
    notebook before the first one runs. When a notebook fails, its partial report and the
    index are still written (marked incomplete) and a :class:`~cxlab.errors.CXLabError`
    names the notebook and the cell, after the other notebooks and the index are written.
    """
    from cxlab.report import deliverables as dv

    formats = [f.strip().lower() for f in formats if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise CXLabError(f"unknown output format {', '.join(bad)}", fix=f"use some of {', '.join(FORMATS)}")
    paths = select_notebooks(notebooks)
    per_notebook = prepare_parameters(paths, parameters)
    shared: dict[str, Any] = {}
    for p in per_notebook.values():
        shared.update(p)
    if "pdf" in formats:
        from cxlab.report.pdf import find_chromium

        find_chromium()  # fail before hours of work, not after
    banner = _banner(shared)
    output_dir = _output_folder(output_dir)
    dv.install_static(output_dir)
    env_before = _run_environment(shared, output_dir, read_options)
    try:
        tables = _tables_for(shared)
    except CXLabError:
        _restore(env_before)
        raise
    heading = _heading(shared, tables)
    results: list = []
    written: list[Path] = []
    nav = ("<a href='index.html'>" + _("← all reports") + "</a> · <a href='methods.html'>" + _("methods")
           + "</a>")
    try:
        failures = _execute_all(paths, per_notebook, output_dir, keep_executed, progress, banner, nav, results,
                                written)
    finally:
        _restore(env_before)
    written.append(dv.write_index(output_dir, results, heading=heading, source=_source(shared, tables),
                                  used=tables.data_used(), period=shared.get("period")))
    written.append(dv.write_methods(output_dir, results, heading=heading, parameters=shared, tables=tables))
    if "pptx" in formats:
        from cxlab.report.deck import write_deck

        written.append(write_deck(output_dir / "deck.pptx", results, heading=heading, source=_source(shared, tables),
                                  period=shared.get("period")))
    if "pdf" in formats:
        from cxlab.report.pdf import html_to_pdf

        for page in [p for p in written if p.suffix == ".html"]:
            written.append(html_to_pdf(page))
    if failures:
        if len(failures) == 1:
            raise failures[0]
        raise CXLabError(f"{len(failures)} notebooks stopped: " + "; ".join(f.problem for f in failures),
                         fix=failures[0].fix)
    return written


def _run_environment(shared: Mapping[str, Any], output_dir: Path,
                     read_options: Mapping[str, Any] | None) -> dict[str, str | None]:
    """Set what the notebooks' kernels read from the environment; returns the values before (for :func:`_restore`).

    The notebooks run in a temporary folder, in their own kernels: tell cxlab.privacy which project's
    key to use and where the deliverables go (a key file is never created inside them), and pass the
    reading options to every notebook's loader.
    """
    from cxlab.loader import READ_OPTIONS_ENV

    env_before = {k: os.environ.get(k) for k in ("CXLAB_PROJECT", "CXLAB_OUTPUT_DIR", READ_OPTIONS_ENV)}
    os.environ.setdefault("CXLAB_PROJECT", _slug(str(shared["client"])) if shared.get("client")
                          else _slug(Path.cwd().name))
    os.environ["CXLAB_OUTPUT_DIR"] = str(output_dir)
    if read_options:
        import json

        os.environ[READ_OPTIONS_ENV] = json.dumps(dict(read_options), ensure_ascii=False)
    return env_before


def _restore(env: Mapping[str, str | None]) -> None:
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _slug(text: str) -> str:
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "client"
