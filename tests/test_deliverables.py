"""The client deliverable folder (issue 10): index with the notebooks' own headline findings,
methods appendix generated from the run, offline widgets, slide deck and PDF; nothing loaded
from the network, no stderr, code or temp paths in any page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from cxlab import report

PARAMS = '''data_dir: str | None = None
survey_path: str | None = None
client: str | None = None
period: str | None = None
confidence: float = 0.95
min_base: int = 30
low_base: int = 50
'''
BODY = [
    "import matplotlib.pyplot as plt, ipywidgets as w, sys\n"
    "from cxlab.findings import key_finding\n"
    "print('a warning for the analyst', file=sys.stderr)",
    "fig, ax = plt.subplots(); ax.bar(['a', 'b'], [3, 5]); plt.show()",
    "key_finding('B beats A', 'B scores 5 against 3 for A.', n=120, method='two-sample z-test', "
    "interval='95% CI +1 to +3')",
    "w.IntSlider(value=7, description='threshold')",
]


def make_nb(path: Path, body=BODY) -> Path:
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(PARAMS)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A test report"), p] + [nbformat.v4.new_code_cell(b) for b in body]
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, str(path))
    return path


def external_urls(page: str) -> list[str]:
    """URLs the browser would fetch: script/link/img sources and CSS url()s that are not local."""
    found = re.findall(r"""(?:src|href)\s*=\s*["'](https?:)?//[^"']+""", page)
    found += re.findall(r"""url\(\s*["']?https?://[^)"']+""", page)
    return found


@pytest.fixture(scope="module")
def delivered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deliver")
    nb = make_nb(tmp / "t_report.ipynb")
    formats = ["html", "pptx"] + (["pdf"] if shutil.which("chromium") or Path("/usr/bin/chromium").exists() else [])
    written = report.run_all(tmp / "out", [nb], parameters={"client": "ACME", "period": "2025Q2"},
                             progress=False, formats=formats)
    return tmp / "out", written, formats


@pytest.mark.notebook
def test_index_lists_the_notebooks_findings_with_their_evidence(delivered):
    out, written, _ = delivered
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ACME — customer-experience report" in index and "period 2025Q2" in index
    assert "<b>B beats A.</b> B scores 5 against 3 for A." in index
    assert "n = 120; 95% CI +1 to +3; two-sample z-test" in index
    assert "href='t_report.html'" in index and "href='methods.html'" in index
    assert "Терруар" in index  # no data_dir given: the index says it is the demo's data
    assert "Demo data: «Терруар»" in index


@pytest.mark.notebook
def test_methods_appendix_is_generated_from_the_run(delivered):
    out, _, _ = delivered
    methods = (out / "methods.html").read_text(encoding="utf-8")
    assert "Intervals are 95% intervals" in methods and "fewer than 30 responses are suppressed" in methods
    assert "two-sample z-test" in methods and "statsmodels" in methods
    assert re.search(r"<code>[0-9a-f]{64}</code>", methods), "file fingerprints (SHA-256)"
    assert "pseudonym_key" not in methods


@pytest.mark.notebook
def test_pages_are_clean_and_load_nothing_from_the_network(delivered):
    out, written, _ = delivered
    for page in [p for p in written if p.suffix == ".html"]:
        text = page.read_text(encoding="utf-8")
        assert not external_urls(text), f"{page.name} loads {external_urls(text)[:3]}"
        visible = re.sub(r"<script.*?</script>|<style.*?</style>", "", text, flags=re.S)
        for bad in ("a warning for the analyst", "import matplotlib", "/tmp/", "Traceback", "&lt;NA&gt;"):
            assert bad not in visible, f"{page.name} shows {bad!r}"
    report_page = (out / "t_report.html").read_text(encoding="utf-8")
    assert "_static/require.js" in report_page and "_static/embed-amd.js" in report_page
    assert "application/vnd.jupyter.widget-state+json" in report_page, "widget state embedded"
    assert (out / "_static" / "embed-amd.js").stat().st_size > 1_000_000
    assert "data:image/png;base64" in report_page


@pytest.mark.notebook
def test_deck_has_one_slide_per_finding_with_figure_and_footnote(delivered):
    pptx = pytest.importorskip("pptx")
    out, _, _ = delivered
    deck = pptx.Presentation(str(out / "deck.pptx"))
    slides = list(deck.slides)
    assert len(slides) == 3  # title, one finding, methods
    finding = slides[1]
    texts = [s.text_frame.text for s in finding.shapes if s.has_text_frame]
    assert "B beats A" in texts and "B scores 5 against 3 for A." in texts
    assert any(t.startswith("n = 120; 95% CI +1 to +3; two-sample z-test") for t in texts)
    assert any(s.shape_type == 13 for s in finding.shapes), "the finding's figure is on the slide"


@pytest.mark.notebook
def test_pdf_copies_are_printed(delivered):
    out, written, formats = delivered
    if "pdf" not in formats:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does this)")
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert {p.stem for p in pdfs} == {"t_report", "index", "methods"}
    assert all(p.read_bytes().startswith(b"%PDF") and p.stat().st_size > 5000 for p in pdfs)


def test_markdown_emphasis_becomes_html_in_the_index_and_plain_text_on_slides(tmp_path):
    # HOSTILE3 H11: "*loyal* and *potential loyalists*" reached index.html and deck.pptx with its asterisks.
    from pptx import Presentation

    from cxlab.findings.key import key_finding
    from cxlab.report.deck import write_deck
    from cxlab.report.deliverables import NotebookResult

    finding = key_finding("Most revenue comes from *loyal* customers",
                          "The **two** largest segments are *loyal* and *potential loyalists*; 2 * 3 stays.")
    assert "<i>loyal</i>" in finding.to_html() and "<b>two</b>" in finding.to_html() and "*" not in finding.to_html(
        ).replace("2 * 3", "")
    result = NotebookResult(name="01_segmentation", title="Segments", html=tmp_path / "01.html",
                            findings=[(finding, None)])
    deck = write_deck(tmp_path / "deck.pptx", [result], heading="Client", source="Data: x")
    texts = [sh.text_frame.text for slide in Presentation(str(deck)).slides for sh in slide.shapes if sh.has_text_frame]
    assert "Most revenue comes from loyal customers" in texts
    assert any("The two largest segments are loyal and potential loyalists; 2 * 3 stays." in t for t in texts)


def test_the_period_is_named_once_on_the_index_and_the_title_slide(tmp_path):
    # HOSTILE3 H11: "Клиент: Банк Тест · период 2025 · данные: ru_bank · период 2025".
    from pptx import Presentation

    from cxlab.report.deck import write_deck
    from cxlab.report.deliverables import write_index

    source = "Клиент: Банк Тест · период 2025 · данные: ru_bank"
    index = write_index(tmp_path, [], heading="Банк Тест", source=source, period="2025").read_text(encoding="utf-8")
    assert index.count("2025") == 1
    deck = write_deck(tmp_path / "deck.pptx", [], heading="Банк Тест", source=source, period="2025")
    subtitle = Presentation(str(deck)).slides[0].placeholders[1].text_frame.text
    assert subtitle.count("2025") == 1
    english = write_index(tmp_path, [], heading="Shop", source="Data: files in the folder «shop»", period="2025Q2")
    assert "period 2025Q2" in english.read_text(encoding="utf-8")
