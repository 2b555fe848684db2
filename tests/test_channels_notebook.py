"""Notebook 04 part 2 (the channel audit), executed the way `cxlab report` runs it.

Part 1 (identity resolution) is written separately; ``tools/build_04_part2.py`` appends part 2.
These tests build the notebook in a temporary folder — on the repository's part 1 when it exists,
otherwise on the script's minimal stand-in part 1 — and run it:

* through ``cxlab report --data DIR`` on a folder holding only a Russian survey export with a
  channel column (no interactions, customers or transactions): it must finish, and the
  sections that need interactions or customers must say they are skipped;
* on the demo company: the planted phone gap (raw and mix-adjusted, beside the planted values)
  and the off-brand social channel must be reported as headline findings.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _builder():
    spec = importlib.util.spec_from_file_location("build_04_part2", ROOT / "tools" / "build_04_part2.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build_notebook(folder: Path) -> Path:
    mod = _builder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "04_channel_consistency.ipynb"
    source = ROOT / "notebooks" / "04_channel_consistency.ipynb"
    if source.exists():
        target.write_bytes(source.read_bytes())
        return mod.build(target)
    return mod.build(target, stand_in=True)


def html_text(path: Path) -> str:
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "IMG", path.read_text(encoding="utf-8"))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


def test_builder_is_idempotent_and_keeps_the_versions_cell_last(tmp_path):
    import nbformat

    nb_path = build_notebook(tmp_path)
    first = nbformat.read(str(nb_path), as_version=4)
    _builder().build(nb_path)
    again = nbformat.read(str(nb_path), as_version=4)
    assert [c.source for c in first.cells] == [c.source for c in again.cells]
    assert "__version__" in again.cells[-1].source
    assert sum(c.get("metadata", {}).get("cxlab", {}).get("part") == "channels" for c in again.cells) >= 10
    assert not any(c.get("outputs") for c in again.cells if c.cell_type == "code")


@pytest.mark.notebook
def test_report_on_a_survey_only_folder_skips_the_interaction_sections(tmp_path):
    sys.path.insert(0, str(ROOT / "tests" / "data" / "own"))
    from make_export_folder import write_exports

    from cxlab.report import main as report_main

    data = tmp_path / "exports"
    write_exports(data, tables=["survey_responses"])
    nb = build_notebook(tmp_path / "nb")
    out = tmp_path / "out"
    assert report_main(["--data", str(data), "--notebooks", str(nb), "--output", str(out)]) == 0
    text = html_text(out / "04_channel_consistency.html")
    assert "Part 2" in text and "IMG" in text
    for section in ("Brand-voice consistency (the agents' replies)", "Channel preference by age cohort and segment"):
        assert f"Skipped: {section} needs the interactions table" in text
    assert "Skipped: Mix adjustment" in text and "needs the customers table" in text
    assert "NPS differs between channels" in text or "No evidence that NPS differs between channels" in text
    assert "Terroir" not in text and "Терруар" not in text


@pytest.mark.notebook
def test_part_two_on_the_demo_recovers_the_planted_gap_and_voice(tmp_path):
    from cxlab.findings.key import FINDING_MIME
    from cxlab.report import execute_notebook

    nb = build_notebook(tmp_path)
    executed = execute_notebook(nb, tmp_path / "out.ipynb", cwd=tmp_path)
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    findings = [o["data"][FINDING_MIME] for c in cells for o in c.get("outputs", []) if FINDING_MIME in o.get("data", {})]
    titles = [f["title"] for f in findings]
    assert any(t.startswith("Phone has the widest NPS gap") for t in titles)
    gap = next(f for f in findings if f["title"].startswith("Phone has the widest NPS gap"))
    assert "planted gaps are −31 raw and −21 within segment" in gap["text"]
    assert "Social replies are off-brand" in titles
    voice = next(f for f in findings if f["title"] == "Social replies are off-brand")
    assert "(store, web, phone, chat, email, messenger) share one voice" in voice["text"]
