"""The client deliverable folder: index, methods appendix, offline assets.

Everything here is generated from the executed notebooks and the data: the headline
findings are the ones each notebook marked with :func:`cxlab.findings.key_finding`, the
sample sizes come from the loader's Data used table, the methods from the findings and the
parameters, the fingerprints from the files themselves. Nothing is typed in by hand.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import html
import importlib.metadata
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxlab.findings.format import fmt_pct
from cxlab.findings.i18n import _, fmt_number, get_language
from cxlab.findings.key import FINDING_MIME, KeyFinding
from cxlab.loader import data_used_html

__all__ = ["NotebookResult", "collect_results", "install_static", "write_index", "write_methods",
           "STATIC_DIR", "PACKAGES", "notebook_title"]

STATIC_DIR = "_static"
VENDOR = Path(__file__).resolve().parents[1] / "_vendor" / "widgets"
PACKAGES = ("cxlab", "pandas", "numpy", "scipy", "statsmodels", "scikit-learn", "matplotlib", "seaborn",
            "pyarrow", "phonenumbers", "ipywidgets", "papermill", "nbconvert")


@dataclass
class NotebookResult:
    """What one executed notebook produced for the deliverables."""

    name: str
    title: str
    html: Path | None
    findings: list[tuple[KeyFinding, bytes | None]] = field(default_factory=list)
    error: str | None = None
    #: For each finding, the notebook part (level-1 heading) it was shown under, e.g. "Part 2 — ...".
    sections: list[str] = field(default_factory=list)


def notebook_title(nb) -> str:
    """The notebook's first ``# `` heading (its title), or ``""``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def collect_results(executed: str | Path, html_path: Path | None, *, error: str | None = None) -> NotebookResult:
    """The title, key findings and the figure shown last before each finding, from an executed notebook."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    findings: list[tuple[KeyFinding, bytes | None]] = []
    sections: list[str] = []
    last_png: bytes | None = None
    section = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heads = [line[2:].strip() for line in cell.source.splitlines() if line.startswith("# ")]
            section = heads[-1] if heads else section
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                last_png = base64.b64decode(data["image/png"])
            record = data.get(FINDING_MIME)
            if record:
                fields = {k: record.get(k) for k in ("title", "text", "n", "method", "interval", "theme")}
                findings.append((KeyFinding(**fields), last_png))
                sections.append(section)
    return NotebookResult(name=Path(executed).stem, title=notebook_title(nb) or Path(executed).stem, html=html_path,
                          findings=findings, error=error, sections=sections)


def install_static(output_dir: Path) -> Path:
    """Copy require.js and the widget renderer next to the reports (no CDN at viewing time)."""
    dest = Path(output_dir) / STATIC_DIR
    dest.mkdir(parents=True, exist_ok=True)
    for f in VENDOR.iterdir():
        if f.suffix in (".js", ".woff2") and not (dest / f.name).exists():
            shutil.copy2(f, dest / f.name)
    return dest


_CSS = """<style>
body{font:15px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:980px;margin:24px auto;
padding:0 16px;color:#222}h1{font-size:26px;margin-bottom:4px}h2{font-size:20px;margin-top:28px;
border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;
padding:4px 8px;text-align:left}td.num{text-align:right}.banner{padding:8px 12px;background:#f4f4f4;
border-left:4px solid #555}.error{border-left-color:#b00;background:#fff1f1}small{color:#555}
</style>"""


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang='{get_language()}'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title>{_CSS}</head><body>{body}</body></html>")


def write_index(output_dir: Path, results: Sequence[NotebookResult], *, heading: str, source: str,
                used=None, period: str | None = None) -> Path:
    """``index.html``: whose data, which period, the data used, links and every headline finding."""
    parts = [f"<h1>{html.escape(heading)}</h1>",
             f"<p class='banner'>{html.escape(source)}"
             # the translated banner already names the period: said once
             + (_(" · period {period}").format(period=html.escape(period))
                if period and str(period) not in source else "")
             + "</p>", "<h2>" + _("Headline findings") + "</h2>"]
    any_finding = False
    for r in results:
        if not r.findings and not r.error:
            continue
        title = html.escape(_(r.title))
        link = f"<a href='{html.escape(r.html.name)}'>{title}</a>" if r.html else title
        parts.append(f"<h3>{link}</h3>")
        if r.error:
            parts.append("<p class='banner error'>" + _("This part is incomplete: {error}").format(
                error=html.escape(r.error)) + "</p>")
        for f, _png in r.findings:
            parts.append(f.to_html())
            any_finding = True
    if not any_finding:
        parts.append("<p>" + _("No headline finding was produced (see the reports below).") + "</p>")
    parts.append("<h2>" + _("Reports") + "</h2><ul>")
    for r in results:
        if r.html:
            state = _(" (incomplete)") if r.error else ""
            parts.append(f"<li><a href='{html.escape(r.html.name)}'>{html.escape(_(r.title))}</a>{state}</li>")
    parts.append("<li><a href='methods.html'>" + _("Methods appendix") + "</a>"
                 + _(": sample sizes, methods, rules, versions, data fingerprints") + "</li></ul>")
    parts.append("<h2>" + _("Data used") + "</h2>" + _data_used(used))
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts.append("<p><small>" + _("Generated by cxlab {version} on {stamp}. Customer identifiers are pseudonymised "
                                  "with a key held by the analyst; personal data in free text is redacted. "
                                  "Pseudonymised data is still personal data: this report is for the client "
                                  "only.").format(version=_version("cxlab"), stamp=stamp) + "</small></p>")
    path = Path(output_dir) / "index.html"
    path.write_text(_page(heading, "".join(parts)), encoding="utf-8")
    return path


def _data_used(used) -> str:
    """The loader's Data used table with its headings and numbers in the active language."""
    import re

    text = data_used_html(used)
    if get_language() == "en":
        return text
    text = re.sub(r"<th>([^<]*)</th>", lambda m: f"<th>{_(m.group(1))}</th>", text)
    text = re.sub(r"(?<=>)\d{1,3}(?:,\d{3})+(?=</td>)", lambda m: fmt_number(int(m.group(0).replace(",", "")), 0),
                  text)
    return text.replace("No data table was loaded.", _("No data table was loaded."))


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return _("not installed")


def _fingerprint(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return path.stat().st_size, h.hexdigest()


def write_methods(output_dir: Path, results: Sequence[NotebookResult], *, heading: str,
                  parameters: Mapping[str, Any], tables=None) -> Path:
    """``methods.html``: sample sizes, methods, minimum-base rules, weighting, versions, fingerprints."""
    used = tables.data_used() if tables is not None else None
    parts = ["<h1>" + _("Methods appendix — {heading}").format(heading=html.escape(heading)) + "</h1>",
             "<h2>" + _("Data and sample sizes") + "</h2>", _data_used(used)]
    if tables is not None and tables.files:
        rows = []
        for name, path in tables.files.items():
            if Path(path).is_file():
                size, digest = _fingerprint(Path(path))
                rows.append(f"<tr><td>{html.escape(name)}</td><td>{html.escape(Path(path).name)}</td>"
                            f"<td class='num'>{fmt_number(size, 0)}</td><td><code>{digest}</code></td></tr>")
        parts.append("<p>" + _("File fingerprints (SHA-256): the same fingerprint means the same file, byte for "
                               "byte.") + "</p><table><tr><th>" + _("table") + "</th><th>" + _("file")
                     + "</th><th>" + _("bytes") + "</th><th>SHA-256</th></tr>" + "".join(rows) + "</table>")
    conf = float(parameters.get("confidence", 0.95) or 0.95)
    min_base, low_base = parameters.get("min_base", 30), parameters.get("low_base", 50)
    rules = [_("Intervals are {level} intervals; tests are two-sided at the {alpha} level.").format(
                 level=fmt_pct(conf), alpha=fmt_pct(1 - conf)),
             _("Groups with fewer than {min_base} responses are suppressed (no value and no test is shown); groups "
               "with fewer than {low_base} are flagged as low base.").format(min_base=min_base, low_base=low_base),
             _("Where several groups or periods are compared, p-values are adjusted for multiple comparisons (Holm) "
               "before a difference is called significant.")]
    survey = tables.survey_responses if tables is not None else None
    from cxlab.engine import has_values  # the survey may be scanned with DuckDB (a file above --scan-above)

    weighted = survey is not None and has_values(survey, "weight")
    rules.append(_("Survey weights supplied in the data were applied.") if weighted
                 else _("No survey weights were supplied: estimates describe the respondents as they are."))
    parts.append("<h2>" + _("Rules") + "</h2><ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in rules) + "</ul>")
    parts.append("<h2>" + _("Methods behind the headline findings") + "</h2>")
    rows = []
    for r in results:
        for f, _png in r.findings:
            if f.method or f.n is not None:
                rows.append(f"<tr><td>{html.escape(_(r.title))}</td><td>{html.escape(f.title)}</td>"
                            f"<td class='num'>{'' if f.n is None else fmt_number(f.n, 0)}</td>"
                            f"<td>{html.escape(f.method or '')}</td><td>{html.escape(f.interval or '')}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in (_("report"), _("finding"), "n", _("method"), _("interval")))
    parts.append(f"<table><tr>{head}</tr>" + "".join(rows) + "</table>" if rows
                 else "<p>" + _("No headline finding carries a method.") + "</p>")
    shown = {k: v for k, v in parameters.items() if k not in ("pseudonym_key",) and v is not None}
    parts.append("<h2>" + _("Parameters") + "</h2><table>" + "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(_short(k, v))}</td></tr>" for k, v in sorted(shown.items()))
        + "</table>")
    parts.append("<h2>" + _("Software") + "</h2><table>" + "".join(
        f"<tr><td>{p}</td><td>{html.escape(_version(p))}</td></tr>" for p in PACKAGES) + "</table>")
    parts.append("<h2>" + _("Privacy") + "</h2><p>" + _(
        "Customer identifiers are replaced by keyed pseudonyms (HMAC-SHA-256 with a secret key held by the analyst, "
        "never part of the report); e-mail addresses, phone numbers and person names in free text are redacted; "
        "columns whose values look like contact data are left out of every table. Pseudonymised data is still "
        "personal data (GDPR Recital 26; Russian Federal Law 152-FZ): the report is for the client only.") + "</p>")
    path = Path(output_dir) / "methods.html"
    path.write_text(_page(_("Methods — {heading}").format(heading=heading), "".join(parts)), encoding="utf-8")
    return path


def _short(name: str, value: Any) -> str:
    if name.endswith(("_dir", "_path")) and value:
        return Path(str(value)).name  # folder names only: no user paths in a deliverable
    return str(value)
