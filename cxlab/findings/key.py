"""Key findings: the sentences a client reads first, marked so reports can collect them.

A notebook shows a key finding with ``display(key_finding(...))``. In JupyterLab it reads as
a bold-led paragraph; in the executed notebook it also carries a small JSON record (MIME type
:data:`FINDING_MIME`) that ``cxlab report`` collects into the report index, the executive
summary and one slide per finding — so the deliverables repeat the notebooks' own words and
numbers, never a copy typed by hand.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass

from cxlab.findings.i18n import _, fmt_number, get_language

__all__ = ["KeyFinding", "key_finding", "FINDING_MIME"]

FINDING_MIME = "application/vnd.cxlab.finding+json"


@dataclass(frozen=True)
class KeyFinding:
    """One headline finding with the evidence behind it.

    Attributes
    ----------
    title
        The finding in a few words (a slide title), e.g. "Phone is the weakest channel".
    text
        The finding in full, with its numbers and interval.
    n
        The sample size it rests on.
    method
        How it was computed, e.g. "NPS with adjusted Wald 95% interval; chi-square test".
    interval
        The interval as text, e.g. "95% CI −28 to −9".
    theme
        Which notebook theme it belongs to (filled by the notebook).
    """

    title: str
    text: str
    n: int | None = None
    method: str | None = None
    interval: str | None = None
    theme: str | None = None

    def footnote(self) -> str:
        """n, method and interval in one line (the slide footnote)."""
        parts = []
        if self.n is not None:
            parts.append(f"n = {fmt_number(self.n, 0)}")
        if self.interval:
            parts.append(self.interval)
        if self.method:
            parts.append(self.method)
        return "; ".join(parts)

    def _repr_markdown_(self) -> str:
        foot = self.footnote()
        return f"**{self.title}.** {self.text}" + (f" <small>({foot})</small>" if foot else "")

    def _repr_mimebundle_(self, include=None, exclude=None):
        record = {k: v for k, v in asdict(self).items()}
        return {"text/markdown": self._repr_markdown_(), "text/plain": f"{self.title}. {self.text}",
                FINDING_MIME: record}

    def to_html(self) -> str:
        """The finding as an HTML paragraph (for the report index): its Markdown emphasis as HTML."""
        foot = html.escape(self.footnote())
        return (f"<p><b>{_inline_html(self.title)}.</b> {_inline_html(self.text)}"
                + (f" <small>({foot})</small>" if foot else "") + "</p>")

    def plain(self) -> tuple[str, str]:
        """Title and text without Markdown marks (for a slide, where '*loyal*' would show its asterisks)."""
        return plain_text(self.title), plain_text(self.text)


_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def plain_text(markdown: str) -> str:
    """The text without ``**strong**`` and ``*emphasis*`` marks.

    >>> plain_text("Most are *loyal* and **champions**; 2 * 3 stays")
    'Most are loyal and champions; 2 * 3 stays'
    """
    return _EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", markdown))


def _inline_html(markdown: str) -> str:
    text = html.escape(markdown)
    return _EMPHASIS.sub(r"<i>\1</i>", _STRONG.sub(r"<b>\1</b>", text))


def key_finding(title: str, text: str, *, n: int | None = None, method: str | None = None,
                interval: str | None = None, theme: str | None = None) -> KeyFinding:
    """Mark a headline finding for the notebook and the deliverables.

    Examples
    --------
    >>> f = key_finding("NPS fell in Q2", "NPS is +10 in 2025Q2, 17 points below Q1 (p < 0.001).",
    ...                 n=812, method="adjusted Wald interval; z-test, Holm-adjusted", interval="95% CI +4 to +16")
    >>> print(f.footnote())
    n = 812; 95% CI +4 to +16; adjusted Wald interval; z-test, Holm-adjusted
    """
    if not title or not text:
        raise ValueError("a key finding needs a title and a text")
    # A title or method written as a literal English phrase in a notebook is looked up in the catalog too
    # (a sentence built from data passes through unchanged when the catalog does not know it).
    title = _(title.rstrip("."))
    if get_language() != "en":  # a title may begin with a value written in lower case ("телефон: …")
        title = title[:1].upper() + title[1:]
    return KeyFinding(title=title, text=text, n=None if n is None else int(n),
                      method=None if method is None else _(method), interval=interval, theme=theme)
