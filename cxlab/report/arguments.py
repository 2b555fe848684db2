"""The command line of ``cxlab report`` (shared with ``python -m cxlab.report``): its options and running them."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cxlab.errors import CXLabError
from cxlab.report.parameters import _PATH_PARAMETERS, _SECRET_PARAMETERS
from cxlab.report.run import _slug, run_all

__all__ = ["flag_pairs", "add_report_arguments", "report_from_args"]


# --------------------------------------------------------------------------- command line

def flag_pairs(items: Iterable[str], flag: str, form: str, example: str) -> dict[str, str]:
    """``LEFT=RIGHT`` values of a repeatable flag (``--column``, ``--channel``) as a mapping.

    The last ``=`` splits, so a header may itself hold one.

    Examples
    --------
    >>> flag_pairs(["Оценка (0=плохо)=likelihood_to_recommend"], "--column", "HEADER=COLUMN", "'a=b'")
    {'Оценка (0=плохо)': 'likelihood_to_recommend'}
    """
    out = {}
    for item in items:
        if "=" not in item:
            raise CXLabError(f"{flag} {item!r} is not of the form {form}", fix=f"write e.g. {flag} {example}")
        left, right = item.rsplit("=", 1)
        out[left.strip()] = right.strip()
    return out


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``cxlab report`` (shared with ``python -m cxlab.report``)."""
    parser.add_argument("notebook_paths", nargs="*", metavar="NOTEBOOK",
                        help="notebooks to run (numbers, names or .ipynb paths; default: all)")
    parser.add_argument("--data", metavar="DIR", default=None,
                        help="folder with your exports (default: the built-in demo company)")
    parser.add_argument("--output", default=None, metavar="DIR",
                        help="folder for the deliverables (default: reports/, or reports/<client>/ with --client)")
    parser.add_argument("--notebooks", nargs="+", default=None, metavar="NB",
                        help="run only these notebooks, e.g. --notebooks 01 03")
    parser.add_argument("--client", default=None, help="client name shown in the reports")
    parser.add_argument("--period", default=None, help="period label shown in the reports, e.g. 2025Q2")
    parser.add_argument("--currency", default=None, help="currency of the amounts, e.g. RUB or USD")
    parser.add_argument("--date-format", default=None, metavar="FMT",
                        help="format of dates the reader does not recognise, e.g. %%Y%%m%%d for 19970101")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                        help="any notebook parameter, e.g. -p min_base 50 (repeatable)")
    parser.add_argument("--column", action="append", default=[], metavar="HEADER=COLUMN",
                        help="map one of your headers to a cxlab column, e.g. "
                             "--column 'How likely are you to recommend us?=likelihood_to_recommend' (repeatable)")
    parser.add_argument("--channel", action="append", default=[], metavar="LABEL=CHANNEL",
                        help="map one of your channel labels to a cxlab channel, e.g. --channel 'Офис=store' "
                             "(store, web, phone, chat, email, social, messenger; repeatable)")
    parser.add_argument("--sheet", default=None, metavar="NAME",
                        help="worksheet to read in Excel files (name or 0-based number)")
    parser.add_argument("--encoding", default=None, metavar="NAME",
                        help="text encoding of the CSV files when detection gets it wrong, e.g. cp1251")
    parser.add_argument("--month-first", action="store_true",
                        help="read 01/02/2024 as 2 January (default: the order the values show; day first when "
                             "none shows it)")
    parser.add_argument("--decimal", default=None, metavar="MARK",
                        help="the decimal mark when numbers such as 1,234 are ambiguous: ',' or '.'")
    parser.add_argument("--format", default="html", metavar="LIST",
                        help="what to write besides the HTML reports: html,pptx,pdf (comma-separated; "
                             "pdf needs Chromium)")
    parser.add_argument("--keep-executed", action="store_true", help="also keep the executed .ipynb files, in <output>-executed/ beside the deliverables (they hold "
                             "the raw data, names and e-mails included: never send them to a client)")
    parser.add_argument("--scan-above", default=None, metavar="SIZE",
                        help="scan transactions/survey files larger than SIZE with DuckDB instead of loading them, "
                             "e.g. 500MB, 2GB, 0 (always) or never (default: $CXLAB_SCAN_ABOVE, else 1GB)")
    parser.add_argument("--lang", default=None, metavar="LANG",
                        help="language of the generated text (findings, tables, index, methods, deck): en (default) "
                             "or ru")


def report_from_args(args, out=None, err=None) -> int:
    """Run ``cxlab report`` from parsed arguments; return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    params: dict[str, Any] = {}
    if getattr(args, "lang", None) is not None:
        from cxlab.findings.i18n import check_language

        params["lang"] = check_language(args.lang)  # an unknown language stops here, before any notebook runs
    for flag, name in (("data", "data_dir"), ("client", "client"), ("period", "period"),
                       ("currency", "currency"), ("date_format", "date_format")):
        if getattr(args, flag) is not None:
            params[name] = getattr(args, flag)
    for name, value in args.parameter:
        if name in _SECRET_PARAMETERS:
            raise CXLabError(f"{name} is not taken on the command line (it would stay in the shell history, the "
                             "process list and the executed notebooks)",
                             fix="set the environment variable CXLAB_PSEUDONYM_KEY, or let cxlab create and keep "
                                 "the project key file (see Privacy in the README)")
        if name in params:
            raise CXLabError(f"parameter {name} is given twice", fix=f"pass {name} once")
        params[name] = value
    chosen = list(args.notebook_paths or []) + list(args.notebooks or [])
    output = args.output or (str(Path("reports") / _slug(args.client)) if args.client else "reports")
    formats = ["html", *[f for f in args.format.split(",") if f.strip() and f.strip() != "html"]]
    read_options: dict[str, Any] = {}
    if args.column:
        read_options["columns"] = flag_pairs(args.column, "--column", "HEADER=COLUMN",
                                             "'Оценка NPS=likelihood_to_recommend'")
    if getattr(args, "channel", None):
        read_options["channel_map"] = flag_pairs(args.channel, "--channel", "LABEL=CHANNEL", "'Офис=store'")
    if args.sheet is not None:
        read_options["sheet_name"] = int(args.sheet) if args.sheet.isdigit() else args.sheet
    for key, value in (("encoding", getattr(args, "encoding", None)), ("decimal", getattr(args, "decimal", None)),
                       ("dayfirst", False if getattr(args, "month_first", False) else None)):
        if value is not None:
            read_options[key] = value
    from cxlab.loader import scan_above_env

    with scan_above_env(getattr(args, "scan_above", None)):  # --scan-above: the loader's threshold in every notebook
        written = run_all(output, chosen or None, parameters=params, keep_executed=args.keep_executed,
                          formats=formats, read_options=read_options or None)
    for r in written:
        print(f"wrote {r}", file=out)
    if params.get("data_dir") or any(params.get(k) for k in _PATH_PARAMETERS):
        # say which pseudonym key the run used, so a consultant keeps using the same one (or backs it up)
        from cxlab.privacy.keys import KEY_ENV, default_key_path

        project = _slug(args.client) if args.client else _slug(Path.cwd().name)
        source = (f"${KEY_ENV}" if os.environ.get(KEY_ENV)
                  else f"{default_key_path(os.environ.get('CXLAB_PROJECT') or project)} "
                       f"(project {os.environ.get('CXLAB_PROJECT') or project!r}; back it up, keep it out of reports)")
        print(f"pseudonyms keyed with {source}", file=out)
    index = next((p for p in written if p.name == "index.html"), None)
    if index is not None:
        print(f"open {index} in a browser to start", file=out)
    return 0
