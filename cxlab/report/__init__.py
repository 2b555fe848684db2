"""Execute the themed notebooks on a user's data (or the demo) and export client reports.

``cxlab report --data DIR --output reports/acme`` runs every themed notebook on the
exports in ``DIR`` and writes one HTML report per notebook (code hidden, figures
embedded). The notebooks ship inside the installed package, so this works outside a
clone of the repository. Parameters are checked before anything runs: a name no
selected notebook declares is refused with the list of valid ones, and command-line
text is converted to the type the notebook declares (or refused with a clear message).
Without ``--data`` the notebooks run on the built-in demo company, and every report says
so in its first line.

Modules: :mod:`~cxlab.report.notebooks` (finding and copying the notebooks),
:mod:`~cxlab.report.parameters` (declared parameters, checking values),
:mod:`~cxlab.report.execute` (running one notebook), :mod:`~cxlab.report.export` (one HTML
report), :mod:`~cxlab.report.run` (the whole deliverable folder), :mod:`~cxlab.report.arguments`
(the command line), :mod:`~cxlab.report.deliverables`, :mod:`~cxlab.report.deck` and
:mod:`~cxlab.report.pdf`.
"""

from __future__ import annotations

import argparse
import sys

from cxlab.errors import CXLabError
from cxlab.report.arguments import add_report_arguments, flag_pairs, report_from_args
from cxlab.report.execute import execute_notebook
from cxlab.report.export import _banner, export_html
from cxlab.report.notebooks import copy_notebooks, list_notebooks, notebooks_dir, select_notebooks
from cxlab.report.parameters import SHARED_PARAMETERS, Parameter, notebook_parameters, prepare_parameters
from cxlab.report.run import FORMATS, _executed_dir, run_all

__all__ = ["FORMATS", "notebooks_dir", "list_notebooks", "select_notebooks", "notebook_parameters", "Parameter",
           "prepare_parameters", "execute_notebook", "export_html", "run_all", "copy_notebooks", "main",
           "SHARED_PARAMETERS"]


def main(argv: list[str] | None = None) -> int:
    """``python -m cxlab.report`` — the same as ``cxlab report``."""
    parser = argparse.ArgumentParser(prog="cxlab report", description=__doc__.splitlines()[0])
    add_report_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return report_from_args(args)
    except CXLabError as exc:
        print(f"cxlab: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
