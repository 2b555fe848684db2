"""A slide deck from the headline findings (python-pptx, offline).

One title slide, one slide per key finding — the finding in words as the title, the figure
the notebook showed last before it, the finding's sentence, and a footnote with n, method and
interval — and a closing slide pointing to the methods appendix.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from cxlab.errors import CXLabError
from cxlab.findings.i18n import _

__all__ = ["write_deck"]


def _pptx():
    try:
        import pptx
        from pptx.util import Emu, Pt
    except ImportError:
        raise CXLabError("the slide deck needs python-pptx, which is not installed",
                         fix="pip install 'cxlab[deck]' (make installs it), or leave pptx out of --format") from None
    return pptx, Emu, Pt


def write_deck(path: str | Path, results: Sequence, *, heading: str, source: str, period: str | None = None) -> Path:
    """Write the deck; ``results`` are :class:`cxlab.report.deliverables.NotebookResult`."""
    pptx, Emu, Pt = _pptx()
    prs = pptx.Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 16:9
    width, height = prs.slide_width, prs.slide_height
    title_slide = prs.slides.add_slide(prs.slide_layouts[0])
    title_slide.shapes.title.text = heading
    said = bool(period) and str(period) in source  # the translated banner already names the period
    title_slide.placeholders[1].text = source + (_(" · period {period}").format(period=period)
                                                 if period and not said else "")
    blank = prs.slide_layouts[5]  # title only
    n_slides = 0
    for r in results:
        parts = getattr(r, "sections", None) or []
        for i, (finding, png) in enumerate(r.findings):
            slide = prs.slides.add_slide(blank)
            title, text = finding.plain() if hasattr(finding, "plain") else (finding.title, finding.text)
            slide.shapes.title.text = title
            slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
            top = Emu(1300000)
            text_w = Emu(int(width * 0.38)) if png else Emu(int(width * 0.86))
            box = slide.shapes.add_textbox(Emu(500000), top, text_w, Emu(3800000))
            box.text_frame.word_wrap = True
            box.text_frame.text = text
            for p in box.text_frame.paragraphs:
                p.font.size = Pt(16)
            if png:
                left = Emu(500000 + text_w + 200000)
                pic_w = Emu(width - left - 400000)
                pic = slide.shapes.add_picture(io.BytesIO(png), left, top, width=pic_w)
                max_h = Emu(height - top - 900000)
                if pic.height > max_h:  # keep the footnote free
                    ratio = max_h / pic.height
                    pic.height, pic.width = max_h, Emu(int(pic.width * ratio))
            foot = finding.footnote()
            note = slide.shapes.add_textbox(Emu(500000), Emu(height - 700000), Emu(width - 1000000), Emu(400000))
            note.text_frame.word_wrap = True
            # the part of the notebook the finding comes from (a part-2 slide is not labelled with part 1's title)
            where = parts[i] if i < len(parts) and parts[i] else r.title
            note.text_frame.text = (foot + " · " if foot else "") + _(where)
            for p in note.text_frame.paragraphs:
                p.font.size = Pt(10)
            n_slides += 1
    end = prs.slides.add_slide(blank)
    end.shapes.title.text = _("Methods and data")
    box = end.shapes.add_textbox(Emu(500000), Emu(1400000), Emu(width - 1000000), Emu(3000000))
    box.text_frame.word_wrap = True
    box.text_frame.text = _("Sample sizes, interval and test methods, minimum-base rules, weighting, software "
                            "versions and data fingerprints are in methods.html next to this deck. Customer "
                            "identifiers are pseudonymised; the deck is for the client only.")
    path = Path(path)
    prs.save(str(path))
    return path
