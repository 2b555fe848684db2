"""The parameters a notebook declares, and checking the values given for them before anything runs.

Command-line text is converted to the declared type (``_convert``) and checked for what it means
(``_check_value``: allowed values, real dates, levels between 0 and 1, quantiles, minimum counts);
:func:`prepare_parameters` refuses a name no selected notebook declares.
"""

from __future__ import annotations

import ast
import datetime as _dt
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from cxlab.errors import CXLabError

__all__ = ["SHARED_PARAMETERS", "Parameter", "notebook_parameters", "prepare_parameters"]

#: Parameters every themed notebook declares (the data contract).
SHARED_PARAMETERS = ("data_dir", "customers_path", "transactions_path", "survey_path", "interactions_path",
                     "employee_path", "date_format", "client", "period", "currency", "confidence", "min_base",
                     "low_base", "pseudonym_key", "lang")
_PATH_PARAMETERS = ("data_dir", "customers_path", "transactions_path", "survey_path", "interactions_path",
                    "employee_path")
_SECRET_PARAMETERS = ("pseudonym_key",)
#: A notebook that does not declare one of these would silently run on other data: refused.
_DATA_PARAMETERS = (*_PATH_PARAMETERS, "date_format")


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

    if value is None or (isinstance(value, str) and value.strip().lower() in ("none", "null", "")):
        if p.optional:
            return None
        refuse("cannot be empty")
    if not isinstance(value, str):
        return _convert_value(p, value, refuse)
    return _convert_text(p, value, refuse)


def _convert_value(p: Parameter, value: Any, refuse: Callable[[str], NoReturn]) -> Any:
    """A Python value (not text) checked against the declared type; numbers become floats where declared."""
    ok = {"str": (str, os.PathLike), "int": (int,), "float": (int, float), "bool": (bool,),
          "list": (list, tuple)}[p.type]
    if isinstance(value, bool) and p.type in ("int", "float"):
        refuse("is a yes/no value, not a number")
    if not isinstance(value, ok):
        refuse(f"has the wrong type {type(value).__name__}")
    if p.type == "list":
        return _list_items(p, value, refuse)
    if p.type == "str":
        return os.fspath(value)
    return float(value) if p.type == "float" else value


def _convert_text(p: Parameter, value: str, refuse: Callable[[str], NoReturn]) -> Any:
    """Command-line text converted to the declared type (text parameters are returned as given)."""
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
            return _list_items(p, parsed, refuse)
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
        return _list_items(p, (part.strip() for part in parts if part.strip()), refuse)
    return value


def _list_items(p: Parameter, values, refuse: Callable[[str], NoReturn]) -> list:
    """Elements of a list parameter converted to its element type (decimal commas accepted)."""
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
