"""Execute the themed notebooks on a user's data (or the demo) and export client reports.

``cxlab report --data DIR --output reports/acme`` runs every themed notebook on the
exports in ``DIR`` and writes one HTML report per notebook (code hidden, figures
embedded). The notebooks ship inside the installed package, so this works outside a
clone of the repository. Parameters are checked before anything runs: a name no
selected notebook declares is refused with the list of valid ones, and command-line
text is converted to the type the notebook declares (or refused with a clear message).
Without ``--data`` the notebooks run on the built-in demo company, and every report says
so in its first line.
"""

from __future__ import annotations

import argparse
import ast
import datetime as _dt
import html
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxlab.errors import CXLabError
from cxlab.findings.i18n import _

__all__ = ["FORMATS", "notebooks_dir", "list_notebooks", "select_notebooks", "notebook_parameters", "Parameter",
           "prepare_parameters", "execute_notebook", "export_html", "run_all", "copy_notebooks", "main",
           "SHARED_PARAMETERS"]

#: Parameters every themed notebook declares (the data contract).
SHARED_PARAMETERS = ("data_dir", "customers_path", "transactions_path", "survey_path", "interactions_path",
                     "employee_path", "date_format", "client", "period", "currency", "confidence", "min_base",
                     "low_base", "pseudonym_key", "lang")
_PATH_PARAMETERS = ("data_dir", "customers_path", "transactions_path", "survey_path", "interactions_path",
                    "employee_path")
_SECRET_PARAMETERS = ("pseudonym_key",)
#: A notebook that does not declare one of these would silently run on other data: refused.
_DATA_PARAMETERS = (*_PATH_PARAMETERS, "date_format")


# --------------------------------------------------------------------------- where the notebooks are

def notebooks_dir() -> Path:
    """The themed notebooks: ``notebooks/`` of a checkout, else the copy shipped inside the package."""
    package = Path(__file__).resolve().parents[1]
    repo = package.parent / "notebooks"
    if repo.is_dir() and (package.parent / "pyproject.toml").exists():
        return repo
    shipped = package / "_notebooks"
    if shipped.is_dir():
        return shipped
    raise CXLabError("the cxlab notebooks are not installed with this copy of the package",
                     fix="reinstall cxlab from a wheel or from a clone of the repository")


def list_notebooks(directory: str | os.PathLike | None = None) -> list[Path]:
    """Notebooks to run, in their numbered order (checkpoints excluded)."""
    directory = Path(directory) if directory else notebooks_dir()
    if not directory.is_dir():
        raise CXLabError(f"there is no notebooks folder at {directory}",
                         fix="pass the folder that holds the .ipynb files")
    return sorted(p for p in directory.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def select_notebooks(selection: Iterable[str | os.PathLike] | None) -> list[Path]:
    """Resolve ``["01", "03_nps", "my.ipynb"]`` to notebook paths (numbers and names of the shipped ones).

    Examples
    --------
    >>> [p.name for p in select_notebooks(["03", "01_segmentation"])]
    ['03_nps.ipynb', '01_segmentation.ipynb']
    """
    if not selection:
        return list_notebooks()
    shipped = list_notebooks()
    out = []
    for item in selection:
        p = Path(item)
        if p.suffix == ".ipynb" and p.exists():
            out.append(p)
            continue
        key = str(item).removesuffix(".ipynb")
        hits = [nb for nb in shipped if nb.stem == key or nb.stem.split("_", 1)[0] == key]
        if len(hits) != 1:
            names = ", ".join(nb.stem for nb in shipped)
            raise CXLabError(f"there is no notebook {item!r}", fix=f"choose among {names} (or pass a .ipynb path)")
        out.append(hits[0])
    return out


def copy_notebooks(dest: str | os.PathLike, *, overwrite: bool = False) -> list[Path]:
    """Copy the themed notebooks into ``dest`` (a user's project folder) to edit and run in JupyterLab."""
    dest = _output_folder(dest, "the destination")
    copied = []
    for nb in list_notebooks():
        target = dest / nb.name
        if target.exists() and not overwrite:
            raise CXLabError(f"{target} already exists", file=str(target),
                             fix="choose an empty folder, or pass --overwrite to replace the notebooks")
        shutil.copy2(nb, target)
        copied.append(target)
    return copied


# --------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class Parameter:
    """One parameter a notebook declares in its ``parameters`` cell."""

    name: str
    default: Any
    type: str          # "str", "int", "float", "bool", "list"
    optional: bool     # None is allowed
    help: str = ""
    item: str = "str"  # element type of a list: "str", "int" or "float" (``list[float]``)


def _annotation_type(node: ast.expr | None, default: Any) -> tuple[str, bool]:
    if node is None:
        if default is None:
            return "str", True
        kind = {bool: "bool", int: "int", float: "float", str: "str", list: "list", tuple: "list"}.get(type(default))
        return kind or "str", False
    text = ast.unparse(node).replace(" ", "").lower()
    optional = "none" in text or "optional" in text
    for kind, words in (("list", ("list", "tuple", "sequence")), ("bool", ("bool",)), ("int", ("int",)),
                        ("float", ("float",))):
        if any(w in text for w in words):
            return kind, optional
    return "str", optional


def _item_type(node: ast.expr | None, default: Any) -> str:
    """Element type of a list parameter: from ``list[float]``, else from the default's elements."""
    if node is not None:
        inner = ast.unparse(node).replace(" ", "").lower()
        for kind in ("float", "int", "str"):
            if f"[{kind}]" in inner or f"[{kind}," in inner or f"({kind}" in inner:
                return kind
    if isinstance(default, (list, tuple)) and default:
        if all(isinstance(x, int) and not isinstance(x, bool) for x in default):
            return "int"
        if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in default):
            return "float"
    return "str"


def notebook_parameters(path: str | os.PathLike) -> dict[str, Parameter]:
    """The parameters a notebook declares (its cell tagged ``parameters``), with their types.

    Raises
    ------
    CXLabError
        When the notebook has no parameters cell or the cell is not plain assignments.
    """
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise CXLabError("the notebook has no cell tagged 'parameters'", file=str(path),
                         fix="tag the first code cell 'parameters' (JupyterLab: property inspector → cell tags)")
    src = cells[0].source
    try:
        tree = ast.parse(src)
    except SyntaxError as exc:
        raise CXLabError(f"the parameters cell does not parse ({exc.msg})", file=str(path), fix="fix the cell") from None
    comments = {i + 1: line.split("#", 1)[1].strip() for i, line in enumerate(src.splitlines()) if "#" in line}
    out: dict[str, Parameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, value, ann = node.target.id, node.value, node.annotation
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value, ann = node.targets[0].id, node.value, None
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = ast.unparse(value)
        kind, optional = _annotation_type(ann, default)
        item = _item_type(ann, default) if kind == "list" else "str"
        out[name] = Parameter(name, default, kind, optional or default is None, comments.get(node.lineno, ""), item)
    return out


_TRUE = {"true", "yes", "1", "on", "да"}
_FALSE = {"false", "no", "0", "off", "нет"}


def _convert(p: Parameter, value: Any, notebook: str) -> Any:
    """Convert one value (text from the command line, or a Python value) to the declared type."""
    def refuse(why: str):
        declared = f"list of {p.item}" if p.type == "list" else p.type
        raise CXLabError(f"parameter {p.name}={value!r} {why} (declared: {declared}"
                         f"{' or None' if p.optional else ''}, default {p.default!r})",
                         file=notebook, fix=f"pass {p.name} as {_example(p)}")

    def items(values) -> list:
        out = []
        for x in values:
            if p.item == "str":
                out.append(str(x))
                continue
            if isinstance(x, bool):
                refuse(f"has the yes/no element {x!r}, not a number")
            try:
                num = float(str(x).strip().replace(",", ".").replace(" ", "")) if isinstance(x, str) else float(x)
            except (TypeError, ValueError):
                refuse(f"has the element {x!r}, which is not a number")
            if p.item == "int":
                if num != int(num):
                    refuse(f"has the element {x!r}, which is not a whole number")
                num = int(num)
            out.append(num)
        return out

    if value is None or (isinstance(value, str) and value.strip().lower() in ("none", "null", "")):
        if p.optional:
            return None
        refuse("cannot be empty")
    if not isinstance(value, str):
        ok = {"str": (str, os.PathLike), "int": (int,), "float": (int, float), "bool": (bool,),
              "list": (list, tuple)}[p.type]
        if isinstance(value, bool) and p.type in ("int", "float"):
            refuse("is a yes/no value, not a number")
        if not isinstance(value, ok):
            refuse(f"has the wrong type {type(value).__name__}")
        if p.type == "list":
            return items(value)
        if p.type == "str":
            return os.fspath(value)
        return float(value) if p.type == "float" else value
    text = value.strip()
    try:
        if p.type == "int":
            return int(text.replace("_", "").replace(" ", ""))
        if p.type == "float":
            return float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        refuse("is not a number")
    if p.type == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        refuse("is not yes/no")
    if p.type == "list":
        if text.startswith("["):
            try:
                parsed = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                refuse("is not a list")
            if not isinstance(parsed, (list, tuple)):
                refuse("is not a list")
            return items(parsed)
        # names: "country, remote"; numbers: "0.25,0.5", "0.25 0.5", "0,25; 0,5" or "0,25 0,5" (decimal commas)
        if p.item == "str":
            parts = text.split(",")
        elif p.item == "int":
            parts = text.replace(";", " ").replace(",", " ").split()
        elif ";" in text:
            parts = text.split(";")
        elif "," in text and not ("." not in text and " " in text):
            parts = text.split(",")
        else:
            parts = text.split()
        return items(part.strip() for part in parts if part.strip())
    return value


#: Parameters with a fixed set of values: canonical value -> the spellings accepted for it.
_CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "trend_period": {"W": ("w", "week", "weeks", "weekly", "неделя", "недели", "нед"),
                     "M": ("m", "month", "months", "monthly", "месяц", "месяцы", "мес"),
                     "Q": ("q", "quarter", "quarters", "quarterly", "квартал", "кварталы", "кв"),
                     "Y": ("y", "a", "year", "years", "yearly", "annual", "год", "годы")},
    "ci_method": {"adjusted_wald": ("adjusted_wald", "adjusted-wald", "adjusted wald", "adjustedwald", "aw"),
                  "wald": ("wald",), "bootstrap": ("bootstrap", "bca")},
    "cluster_method": {"kmeans": ("kmeans", "k-means", "k_means", "k means"), "gmm": ("gmm", "gaussian mixture")},
}
_CHOICE_HELP = {"trend_period": "W (week), M (month), Q (quarter) or Y (year)",
                "ci_method": "adjusted_wald (Rocks 2016), wald or bootstrap",
                "cluster_method": "kmeans or gmm"}
#: Levels and rates given as fractions; a level written in per cent (95) is read as 0.95.
_LEVELS = ("confidence", "match_threshold")
_RATES = ("clv_discount_rate",)
#: Smallest sensible value of counts and lengths.
_MINIMUM = {"min_base": 0, "low_base": 0, "n_segments": 2, "n_boot": 1, "clv_horizon": 1, "before_days": 1,
            "after_days": 1, "offer_horizon_days": 1, "max_cluster_size": 2, "intent_threshold": 1}
#: Date parameters (also every name ending in ``_date``).
_DATES = ("observation_end", "observation_start")
_DATE_FORMS = ("%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
               "%d.%m.%Y %H:%M")


def _check_value(p: Parameter, value: Any, notebook: str) -> tuple[Any, str | None]:
    """Check a converted value against what the parameter means; returns (value, note or None).

    Catches before any kernel starts what would otherwise stop a notebook minutes later with a
    raw pandas message: an unknown period or method, a date that does not exist, a level of 95,
    quantiles outside 0–1, negative bases.
    """
    if value is None:
        return value, None

    def refuse(why: str, fix: str):
        raise CXLabError(f"parameter {p.name}={value!r} {why}", file=notebook, fix=fix)

    name = p.name
    if name in _CHOICES and isinstance(value, str):
        key = " ".join(value.strip().lower().replace("_", " ").split()) if name != "ci_method" else value.strip().lower()
        for canonical, spellings in _CHOICES[name].items():
            if key in spellings or key.replace(" ", "_") in spellings or key == canonical.lower():
                return canonical, None
        refuse("is not one of the allowed values", f"use {_CHOICE_HELP[name]}")
    if (name in _DATES or name.endswith("_date")) and isinstance(value, str):
        text = value.strip()
        for form in _DATE_FORMS:
            try:
                parsed = _dt.datetime.strptime(text, form)
            except ValueError:
                continue
            return (parsed.strftime("%Y-%m-%d") if parsed.time() == _dt.time() else parsed.isoformat(sep=" ")), None
        why = "is not a date"
        parts = text.replace(".", "-").replace("/", "-").split("-")
        if len(parts) == 3 and all(x.isdigit() for x in parts):
            year, month, day = (parts if len(parts[0]) == 4 else parts[::-1])
            if not 1 <= int(month) <= 12:
                why = f"is not a date: there is no month {int(month)}"
            else:
                why = f"is not a date: there is no day {int(day)} in month {int(month)}"
        refuse(why, "write the date as YYYY-MM-DD (e.g. 2023-06-30) or DD.MM.YYYY (e.g. 30.06.2023)")
    if name in _LEVELS and isinstance(value, (int, float)):
        if 1 < value < 100:
            return value / 100, f"{name}={value:g} read as {value / 100:g} ({value:g} %)"
        if not 0 < value < 1:
            refuse("is not a level between 0 and 1", f"pass {name} as a fraction, e.g. 0.95 (or 95 for 95 %)")
    if name in _RATES and isinstance(value, (int, float)) and not 0 <= value < 1:
        refuse("is not a yearly rate between 0 and 1", f"pass {name} as a fraction, e.g. 0.15 for 15 % a year")
    if name in _MINIMUM and isinstance(value, (int, float)) and value < _MINIMUM[name]:
        refuse(f"is below {_MINIMUM[name]}", f"pass {name} as a whole number of at least {_MINIMUM[name]}")
    if name.endswith("_quantiles") and isinstance(value, list):
        outside = [q for q in value if not 0 < q < 1]
        if outside or not value:
            refuse("needs quantiles strictly between 0 and 1" + (f" ({outside[0]!r} is not)" if outside else ""),
                   f"pass {name} as comma-separated numbers between 0 and 1, e.g. 0.25,0.5,0.75,0.9")
        if sorted(set(value)) != value:
            refuse("needs increasing quantiles, each once", f"pass them in order, e.g. "
                                                              f"{','.join(str(q) for q in sorted(set(value)))}")
    if name.endswith("_windows") and isinstance(value, list) and any(v < 1 for v in value):
        refuse("needs windows of at least one day", f"pass {name} as comma-separated days, e.g. 90,180,365")
    return value, None


def _example(p: Parameter) -> str:
    if p.type == "list" and p.item != "str":
        sample = ",".join(str(x) for x in p.default) if isinstance(p.default, (list, tuple)) and p.default else (
            "0.25,0.5,0.75" if p.item == "float" else "90,180,365")
        return f"comma-separated {'numbers' if p.item == 'float' else 'whole numbers'}, e.g. {sample}"
    return {"int": "a whole number, e.g. 50", "float": "a number, e.g. 0.9", "bool": "yes or no",
            "list": "comma-separated names, e.g. country,remote", "str": "text"}[p.type]


def prepare_parameters(notebooks: Sequence[str | os.PathLike], parameters: Mapping[str, Any] | None,
                       ) -> dict[Path, dict[str, Any]]:
    """Check and convert parameters for each notebook, before anything runs.

    A parameter must be declared by at least one of ``notebooks``; it is passed to the
    notebooks that declare it. Paths are made absolute (notebooks run in another folder).

    Values are also checked for what they mean (see ``_check_value``): periods and methods
    against their allowed values (``quarter`` is read as ``Q``), dates as real dates
    (returned as ``YYYY-MM-DD``), levels between 0 and 1 (``95`` is read as 0.95, with a
    note on standard error), list elements against their declared type.

    Raises
    ------
    CXLabError
        For a parameter no selected notebook declares (listing the valid ones), or a
        value that cannot be converted to the declared type or does not make sense.
    """
    params = dict(parameters or {})
    declared = {Path(nb): notebook_parameters(nb) for nb in notebooks}
    known = set().union(*(d.keys() for d in declared.values())) if declared else set()
    unknown = sorted(set(params) - known)
    if unknown:
        names = ", ".join(sorted(known))
        which = ", ".join(Path(nb).stem for nb in notebooks)
        raise CXLabError(f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: "
                         f"not declared by {which}", fix=f"use one of: {names}")
    for nb, decl in declared.items():
        lacking = [n for n in params if n in _DATA_PARAMETERS and n not in decl]
        if lacking:
            raise CXLabError(f"notebook {nb.stem} does not declare {', '.join(lacking)}, so it would not run on "
                             "the data you gave (it does not follow cxlab's data contract)", file=str(nb),
                             fix="add the shared parameters (cxlab.report.SHARED_PARAMETERS) to its parameters "
                                 "cell, or leave the notebook out (--notebooks)")
    out: dict[Path, dict[str, Any]] = {}
    notes: list[str] = []
    for nb, decl in declared.items():
        mine = {}
        for name, value in params.items():
            if name not in decl:
                continue
            v = _convert(decl[name], value, nb.name)
            v, note = _check_value(decl[name], v, nb.name)
            if note and note not in notes:
                notes.append(note)
            if name in _PATH_PARAMETERS and v is not None:
                v = str(Path(v).expanduser().resolve())
            mine[name] = v
        out[nb] = mine
    for note in notes:  # said once, before anything runs (a warning would print a source line)
        print(f"cxlab: note: {note}", file=sys.stderr)
    return out


# --------------------------------------------------------------------------- running

def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    # An inherited MPLBACKEND=Agg would silently suppress every inline figure.
    env.pop("MPLBACKEND", None)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


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


_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _drop_live_widgets(nb, *, keep_widgets: bool = False) -> None:
    """Remove widget views and stderr streams from a notebook bound for a static report.

    A report has no kernel behind it, so a widget would show as an empty box or as its
    text fallback; every widget in the notebooks has a static figure beside it, which the
    report keeps. Warnings on stderr are for the analyst, not the client.
    """
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [o for o in cell.get("outputs", [])
                        if (keep_widgets or _WIDGET_MIME not in o.get("data", {}))
                        and not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    if not keep_widgets:
        nb.metadata.pop("widgets", None)


def _banner(parameters: Mapping[str, Any]) -> str:
    from cxlab.datasets import COMPANY

    paths = [parameters.get(k) for k in _PATH_PARAMETERS]
    if not any(paths):
        return _("**Demo data: «{company}»**, a made-up company generated by cxlab to show the methods — not a "
                 "client's data.").format(company=COMPANY)
    bits = []
    if parameters.get("client"):
        bits.append(_("**Client: {client}**").format(client=html.escape(str(parameters["client"]))))
    if parameters.get("period"):
        bits.append(_("period {period}").format(period=html.escape(str(parameters["period"]))))
    where = parameters.get("data_dir") or ", ".join(Path(p).name for p in paths if p)
    bits.append(_("data: {where}").format(
        where=html.escape(str(Path(where).name if parameters.get("data_dir") else where))))
    return " · ".join(bits)


def export_html(executed: str | os.PathLike, html_path: str | os.PathLike, *, hide_code: bool = True,
                banner: str | None = None, error: str | None = None, static: str | None = None,
                nav: str | None = None) -> Path:
    """Export an executed notebook as a standalone HTML report (code hidden by default).

    ``banner`` is put above everything (whose data the report is about); ``error`` marks
    a partial report whose notebook stopped. With ``static`` (the folder, relative to the
    report, holding the vendored require.js and widget renderer) the widgets keep their
    saved state and render offline; without it they are removed (the static figure beside
    each widget stays). Nothing in the page is loaded from the network.
    """
    import nbformat
    from nbconvert import HTMLExporter

    import cxlab

    from cxlab.report.deliverables import notebook_title
    from cxlab.report.sanitize import clean_outputs

    nb = nbformat.read(str(executed), as_version=4)
    _drop_live_widgets(nb, keep_widgets=static is not None)
    clean_outputs(nb)
    if error:  # the sentence goes on top; tracebacks and papermill's markers are for the analyst, not the client
        nb.cells = [c for c in nb.cells
                    if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])]
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "error"]
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    nb.metadata["title"] = notebook_title(nb) or Path(executed).stem.replace("_", " ")
    top = []
    if nav:
        top.append(nbformat.v4.new_markdown_cell(f"<div class='cxlab-nav'>{nav}</div>"))
    if banner:
        top.append(nbformat.v4.new_markdown_cell(banner))
    if error:
        top.append(nbformat.v4.new_markdown_cell(
            "<div style='border:2px solid #b00;padding:8px'>"
            + _("<b>This report is incomplete.</b> The analysis stopped: {error}").format(error=html.escape(error))
            + "</div>"))
    nb.cells = top + nb.cells
    footer = nbformat.v4.new_markdown_cell(
        "<small>" + _("Generated by cxlab {version} on {stamp}. Customer identifiers are pseudonymised with a key "
                      "held by the analyst; personal data in free text is redacted. Pseudonymised data is still "
                      "personal data: this report is for the client only.").format(version=cxlab.__version__,
                                                                                    stamp=stamp) + "</small>")
    nb.cells.append(footer)
    exporter = HTMLExporter(template_name="cxlab", extra_template_basedirs=[str(_TEMPLATES)],
                            exclude_input=hide_code, exclude_input_prompt=True, exclude_output_prompt=True)
    if static is not None:
        exporter.require_js_url = f"{static}/require.js"
        exporter.widget_renderer_url = f"{static}/embed-amd.js"
    else:
        exporter.require_js_url = ""
    body, _resources = exporter.from_notebook_node(nb)
    if static is None:
        body = body.replace('<script src=""></script>', "")
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


FORMATS = ("html", "pptx", "pdf")


def _tables_for(params: Mapping[str, Any]):
    """The tables the notebooks read (for the index and the methods appendix), loaded the same way."""
    from cxlab.loader import load_tables

    return load_tables(params.get("data_dir"), customers=params.get("customers_path"),
                       transactions=params.get("transactions_path"), survey_responses=params.get("survey_path"),
                       interactions=params.get("interactions_path"), employee_survey=params.get("employee_path"),
                       date_format=params.get("date_format"))


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
    # The notebooks run in a temporary folder, in their own kernels: tell cxlab.privacy which project's
    # key to use and where the deliverables go (a key file is never created inside them), and pass the
    # reading options to every notebook's loader.
    from cxlab.loader import READ_OPTIONS_ENV

    env_before = {k: os.environ.get(k) for k in ("CXLAB_PROJECT", "CXLAB_OUTPUT_DIR", READ_OPTIONS_ENV)}
    os.environ.setdefault("CXLAB_PROJECT", _slug(str(shared["client"])) if shared.get("client")
                          else _slug(Path.cwd().name))
    os.environ["CXLAB_OUTPUT_DIR"] = str(output_dir)
    if read_options:
        import json

        os.environ[READ_OPTIONS_ENV] = json.dumps(dict(read_options), ensure_ascii=False)
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

    def finish() -> None:
        written.append(dv.write_index(output_dir, results, heading=heading, source=_source(shared, tables),
                                      used=tables.data_used(), period=shared.get("period")))
        written.append(dv.write_methods(output_dir, results, heading=heading, parameters=shared, tables=tables))

    try:
        failures = _execute_all(paths, per_notebook, output_dir, keep_executed, progress, banner, nav, results,
                                written)
    finally:
        _restore(env_before)
    finish()
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


def _output_folder(path: str | os.PathLike, what: str = "--output") -> Path:
    """Create the output folder, or say in words why it cannot be used (before any notebook runs)."""
    path = Path(path).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise CXLabError(f"{what} {path} is a file, not a folder", file=str(path),
                         fix="choose a folder name (it is created when missing)")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".cxlab-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise CXLabError(f"{what} {path} cannot be created or written ({exc.strerror})", file=str(path),
                         fix="choose a folder you can write to") from None
    return path


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
