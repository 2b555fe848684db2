"""Make notebook outputs safe to hand over: data never becomes markup.

Survey comments, group names and client names reach the reports through tables and
findings. A respondent who writes ``<img src="http://…">`` or ``<script>`` must not make
the client's browser fetch or run anything. Before export, every HTML and Markdown output
of a notebook is cleaned with bleach (nbconvert's own dependency): only the tags a table
or a finding needs are kept, no scripts or event handlers, and images only from inline
``data:`` URIs — so a report never loads anything from the network.
"""

from __future__ import annotations

import bleach
from bleach.css_sanitizer import CSSSanitizer

__all__ = ["clean_html", "clean_outputs"]

_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
         "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre",
         "s", "small", "span", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
         "thead", "tr", "u", "ul"}
_ATTRS = {"*": ["class", "id", "style", "title", "align"], "a": ["href", "title"], "img": ["src", "alt", "width",
          "height"], "td": ["colspan", "rowspan"], "th": ["colspan", "rowspan", "scope"], "style": ["type"]}
_CSS = CSSSanitizer(allowed_css_properties=[
    "color", "background-color", "background", "font-weight", "font-style", "font-size", "text-align",
    "vertical-align", "border", "border-bottom", "border-top", "border-left", "border-right", "padding",
    "margin", "width", "max-width", "min-width", "height", "white-space", "display", "visibility"])


def _attr_ok(tag: str, name: str, value: str) -> bool:
    if tag == "img" and name == "src":
        return value.startswith("data:image/")  # inline figures only: never a request
    if tag == "a" and name == "href":
        return value.startswith(("http://", "https://", "#", "mailto:")) or "://" not in value
    return name in _ATTRS.get(tag, []) or name in _ATTRS["*"]


def clean_html(text: str) -> str:
    """Keep the markup a report needs; drop scripts, handlers and remote images (their text stays).

    Examples
    --------
    >>> clean_html('<table><tr><td>Дорого <img src="http://x/t.png" onerror="alert(1)">'
    ...            '<script>alert(2)</script></td></tr></table>')
    '<table><tbody><tr><td>Дорого <img>alert(2)</td></tr></tbody></table>'
    """
    return bleach.clean(text, tags=_TAGS, attributes=_attr_ok, css_sanitizer=_CSS, strip=True,
                        strip_comments=True, protocols={"http", "https", "mailto", "data"})


def clean_outputs(nb) -> None:
    """Clean every HTML and Markdown output of an executed notebook in place."""
    for cell in nb.cells:
        if cell.cell_type != "code":  # markdown cells are the notebook's own text, not data
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            for mime in ("text/html", "text/markdown"):
                if mime in data:
                    value = data[mime]
                    value = "".join(value) if isinstance(value, list) else value
                    data[mime] = clean_html(value)
