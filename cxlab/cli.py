"""The ``cxlab`` command line: ``report``, ``validate``, ``notebooks``, ``present`` and ``demo``.

``report`` runs the themed notebooks on a folder of exports (or the demo) and writes the
client reports (see :mod:`cxlab.report`); ``notebooks`` copies the notebooks into a
project folder to open in JupyterLab.

``validate`` loads a file exactly as :func:`cxlab.io.read` would, prints the load
report (and, on request, writes the quarantine to CSV) and exits with

* 0 — rows were loaded (some may be quarantined: read the report),
* 1 — nothing usable was loaded (every row quarantined, or no data rows),
* 2 — the file could not be read at all (the message says what to do).

``demo`` executes the notebooks on the demo company and writes HTML reports
(via :func:`cxlab.report.run_all`, imported only when the subcommand runs).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence

from cxlab.errors import CXLabError

__all__ = ["main", "build_parser"]

KINDS = ("survey", "transactions", "customers", "interactions")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cxlab", description="cxlab: customer-experience research kit")
    sub = parser.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="load a file (or every table of a folder), print the load reports; "
                                        "exit 1 if something could not be used")
    v.add_argument("file", help="CSV/TSV/TXT, .xlsx or .parquet file, or a folder of exports")
    v.add_argument("--kind", default=None, choices=KINDS,
                   help="which canonical table the file holds (default: from the file name, as cxlab report does)")
    v.add_argument("--sep", default=None, help="field delimiter (default: detected among , ; tab |)")
    v.add_argument("--encoding", default=None, help="text encoding (default: detected)")
    v.add_argument("--sheet", default=None, help="Excel worksheet name or 0-based number")
    v.add_argument("--month-first", action="store_true", help="read 01/02/2024 as 2 January (default: the order the values show; day first when none shows it)")
    v.add_argument("--date-format", default=None, metavar="FORMAT",
                   help="strftime format of every date column, e.g. '%%Y%%m%%d' for 19970101 (default: recognised)")
    v.add_argument("--decimal", default=None, choices=[",", "."],
                   help="decimal mark of the numbers (default: decided per value and column)")
    v.add_argument("--plausible-dates", default=None, metavar="FROM:TO",
                   help="dates expected in the data, e.g. 1995-01-01:2026-12-31 (default: 1990 to a year from now)")
    v.add_argument("--column", action="append", default=[], metavar="HEADER=CANONICAL",
                   help="map a header to a canonical column (repeatable)")
    v.add_argument("--channel", action="append", default=[], metavar="LABEL=CHANNEL",
                   help="map a channel label to a canonical channel (repeatable)")
    v.add_argument("--quarantine", default=None, metavar="CSV", help="write the quarantined rows to this CSV")
    v.add_argument("--show", type=int, default=10, metavar="N", help="print the first N quarantine entries")

    from cxlab.report import add_report_arguments

    r = sub.add_parser("report", help="run the notebooks on your data (--data DIR) or the demo and write reports")
    add_report_arguments(r)

    nb = sub.add_parser("notebooks", help="copy the themed notebooks into a folder to open in JupyterLab")
    nb.add_argument("dest", help="destination folder")
    nb.add_argument("--overwrite", action="store_true", help="replace notebooks already there")

    d = sub.add_parser("demo", help="execute the notebooks on the demo company and write HTML reports")
    d.add_argument("--output-dir", default="reports", help="where to write the reports (default: reports)")
    d.add_argument("--notebook", action="append", default=None, dest="notebooks",
                   help="run only this notebook (repeatable)")

    pr = sub.add_parser("present", help="serve a notebook as a live dashboard (Voilà: outputs and widgets, no code)")
    pr.add_argument("notebook", nargs="?", default=None,
                    help="notebook to present: a number (03), a name or a .ipynb path (default: 03)")
    pr.add_argument("--data", default=None, metavar="DIR", help="folder with your exports (default: the demo)")
    pr.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                    help="notebook parameter (repeatable)")
    pr.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default: 8866)")
    pr.add_argument("--dry-run", action="store_true", help="print the Voilà command instead of running it")
    return parser


def _present(args, out, err) -> int:
    """Serve one notebook with Voilà; stop the server and its kernels on Ctrl+C or SIGTERM."""
    import shutil
    import signal
    import subprocess
    import tempfile
    from pathlib import Path

    from cxlab.report import prepare_parameters, select_notebooks

    chosen = args.notebook or "03"
    if str(chosen).endswith(".ipynb") and not Path(chosen).exists():
        raise CXLabError("there is no such notebook", file=str(chosen),
                         fix="pass the path of a notebook, or a number such as 03")
    notebook = select_notebooks([chosen])[0]
    params = {name: value for name, value in args.parameter}
    if args.data is not None:
        params["data_dir"] = args.data
    per_notebook = prepare_parameters([notebook], params)
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or shutil.which("voila")
    if voila is None:
        raise CXLabError("the dashboard mode needs Voilà, which is not installed",
                         fix="run `pip install 'cxlab[present]'` (make present installs it)")
    work = Path(tempfile.mkdtemp(prefix="cxlab-present-"))
    served = work / notebook.name
    if per_notebook[notebook]:
        import nbformat
        from papermill.parameterize import parameterize_notebook

        nb = nbformat.read(str(notebook), as_version=4)
        nbformat.write(parameterize_notebook(nb, per_notebook[notebook]), str(served))
    else:
        shutil.copy2(notebook, served)
    cmd = [voila, served.name, f"--port={args.port}", "--Voila.ip=127.0.0.1", "--no-browser"]
    if args.dry_run:
        print(" ".join(cmd), file=out)
        shutil.rmtree(work, ignore_errors=True)
        return 0
    print(f"serving {notebook.stem} at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", file=out)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(JUPYTER_RUNTIME_DIR=str(work / "runtime"))
    # Voilà and its kernels run in their own process group, stopped together whatever stops us.
    proc = subprocess.Popen(cmd, cwd=work, env=env, start_new_session=True)

    def stop(signum=None, frame=None):
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        shutil.rmtree(work, ignore_errors=True)
        if signum is not None:
            raise SystemExit(128 + signum)

    old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        return proc.wait()
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        stop()


_KIND_OF_TABLE = {"survey_responses": "survey", "transactions": "transactions", "customers": "customers",
                  "interactions": "interactions", "employee_survey": "employee_survey"}


def _validate(args, out, err) -> int:
    from pathlib import Path

    from cxlab.loader import _table_of, find_tables

    path = Path(args.file).expanduser()
    if path.is_dir():
        found, unused = find_tables(path)
        if not found:
            raise CXLabError(f"no file in {path} has a name that says which table it holds", file=str(path),
                             fix="name the files e.g. survey.csv, transactions.csv, customers.csv, interactions.csv "
                                 "(Russian words work too: опрос, продажи, клиенты, обращения), or validate one file "
                                 "with --kind")
        codes = []
        for table, file in found.items():
            print(f"== {file.name} ({table})", file=out)
            try:
                codes.append(_validate_one(file, _KIND_OF_TABLE[table], args, out))
            except CXLabError as exc:  # one file's problem does not hide the others'
                print(f"cxlab: error: {exc}", file=out)
                codes.append(2)
            print("", file=out)
        if unused:
            print("files not recognised by their name (not checked): " + ", ".join(p.name for p in unused), file=out)
        return max(codes)
    kind = args.kind
    if kind is None:
        table = _table_of(path)
        if table is None:
            raise CXLabError(f"the name of {path.name} does not say which table it holds", file=str(path),
                             fix="pass --kind survey|transactions|customers|interactions")
        kind = _KIND_OF_TABLE[table]
    return _validate_one(path, kind, args, out)


def _flag_options(args) -> dict:
    """The reading flags as options for every table (each table takes the --column mappings onto its own columns)."""
    from cxlab.report import flag_pairs

    sheet = args.sheet
    if sheet is not None and sheet.isdigit():
        sheet = int(sheet)
    given = {"sep": args.sep, "encoding": args.encoding, "date_format": args.date_format, "decimal": args.decimal,
             "sheet_name": sheet, "dayfirst": False if args.month_first else None,
             "columns": flag_pairs(args.column, "--column", "HEADER=COLUMN", "'Оценка NPS=likelihood_to_recommend'"),
             "channel_map": flag_pairs(args.channel, "--channel", "LABEL=CHANNEL", "'КЦ=phone'")}
    return {k: v for k, v in given.items() if v is not None and v != {}}


def _validate_one(file, kind: str, args, out) -> int:
    import cxlab.io
    from cxlab.io._messages import for_command_line
    from cxlab.loader import read_options

    table = {v: k for k, v in _KIND_OF_TABLE.items()}[kind]
    window = None
    if args.plausible_dates:
        window = tuple((args.plausible_dates.split(":", 1) + [""])[:2])
        window = tuple(w.strip() or None for w in window)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # everything warned about is in the printed report
        try:
            # the folder's cxlab.json first, then the flags: the same options cxlab report would use
            options = read_options(file.parent, shared=_flag_options(args)).get(table, {})
            result = cxlab.io.read(file, kind, plausible_dates=window, **options)
        except CXLabError as exc:
            raise CXLabError(for_command_line(exc.problem), file=exc.file, column=exc.column, rows=exc.rows,
                             fix=for_command_line(exc.fix) if exc.fix else None) from None
    print(for_command_line(str(result.report)), file=out)
    q = result.quarantine
    if len(q) and args.show:
        print(f"\nfirst {min(args.show, len(q))} of {len(q)} quarantine entries:", file=out)
        for row in q.head(args.show).itertuples(index=False):
            column = row.column if isinstance(row.column, str) else "-"
            print(f"  {result.report.line_label} {row.line}: [{column}] {for_command_line(row.reason)}", file=out)
    if args.quarantine:
        q.to_csv(args.quarantine, index=False)
        print(f"\nquarantine written to {args.quarantine}", file=out)
    return 0 if result.report.ok else 1


def _demo(args, out, err) -> int:
    from cxlab.report import run_all

    paths = run_all(output_dir=args.output_dir, notebooks=args.notebooks)
    for p in paths:
        print(p, file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cxlab`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        if args.command == "validate":
            return _validate(args, out, err)
        if args.command == "report":
            from cxlab.report import report_from_args

            return report_from_args(args, out, err)
        if args.command == "notebooks":
            from cxlab.report import copy_notebooks

            for p in copy_notebooks(args.dest, overwrite=args.overwrite):
                print(p, file=out)
            return 0
        if args.command == "demo":
            return _demo(args, out, err)
        if args.command == "present":
            return _present(args, out, err)
    except CXLabError as exc:
        print(f"cxlab: error: {exc}", file=err)
        return 2
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover
    return 2  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
