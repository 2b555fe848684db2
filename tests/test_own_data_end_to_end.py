"""Your own data, end to end (issue 8): the README's commands on a folder of realistic exports,
and the built wheel installed in a fresh environment running ``cxlab report`` in an empty folder.

The folder is a demo company of another size and seed written the way Russian CRMs export
(cp1251, ``;``, Russian headers and file names, decimal commas, dd.mm.yyyy): the reports must
be about these files — their names and row counts in the Data used block — and never about the
built-in demo company «Терруар».
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "own"))
from make_export_folder import write_exports  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MARKER = "<!-- readme-own-data"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(MARKER):]
    block = block[block.index("```bash") + len("```bash"):]
    block = block[:block.index("```")]
    return [line.split("  #", 1)[0].strip() for line in block.strip().splitlines() if line.strip()]


def html_text(path: Path) -> str:
    """What a reader sees: no images, scripts (the page's own JavaScript) or style sheets."""
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", path.read_text(encoding="utf-8"))
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def check_reports_are_about(folder: Path, reports: list[Path], written: dict[str, Path]) -> None:
    from cxlab.datasets import load_tables

    tables = load_tables(folder)
    counts = tables.data_used().set_index("table")["rows_read"]
    assert reports
    for report in reports:
        text = html_text(report)
        assert "Терруар" not in text and "Terroir" not in text, f"{report.name} mentions the demo company"
        assert "Data used" in text, f"{report.name} has no Data used block"
        used = [t for t, p in written.items() if p.name in text]
        assert used, f"{report.name} names none of the files it used"
        for t in used:
            assert f"{counts[t]:,}" in text, f"{report.name}: row count of {t} not shown"
    from cxlab.privacy import find_pii, known_names

    names = known_names(tables.customers, tables.interactions)
    raw_ids = set(tables.customers["customer_id"].dropna().astype(str)) if tables.customers is not None else set()
    for page in reports + [p for p in (reports[0].parent / "index.html", reports[0].parent / "methods.html")
                           if p.exists()]:
        text = html_text(page)
        assert find_pii(text, known_names=names) == [], f"{page.name} shows personal data"
        leaked = [i for i in raw_ids if f" {i} " in text]
        assert not leaked, f"{page.name} shows raw customer ids: {leaked[:3]}"


@pytest.mark.notebook
@pytest.mark.slow
def test_readme_own_data_commands_write_reports_about_the_users_files(tmp_path):
    folder = tmp_path / "my_exports"
    written = write_exports(folder, n_customers=400, seed=11)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("MPLBACKEND", None)
    commands = readme_commands()
    assert any(c.startswith("cxlab report --data my_exports") for c in commands)
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=1500)
        assert done.returncode == 0, f"README command failed: {command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    out = tmp_path / "reports" / "acme"
    reports = sorted(p for p in out.glob("*.html") if p.stem not in ("index", "methods"))
    from cxlab.report import list_notebooks

    assert [p.stem for p in reports] == [p.stem for p in list_notebooks()]
    assert (out / "index.html").exists() and (out / "methods.html").exists()
    check_reports_are_about(folder, reports, written)
    assert "Client: ACME" in html_text(reports[0])


@pytest.mark.notebook
@pytest.mark.slow
def test_built_wheel_runs_cxlab_report_in_an_empty_folder(tmp_path):
    uv = shutil.which("uv", path=str(BIN)) or shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build the wheel (make installs it into .venv)")
    dist = tmp_path / "dist"
    subprocess.run([uv, "build", "--wheel", "-o", str(dist), str(ROOT)], check=True, capture_output=True,
                   timeout=600)
    wheel = next(dist.glob("cxlab-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    extras = _wheel_extras(wheel)
    spec = f"{wheel}[notebook]" if "notebook" in extras else str(wheel)
    done = subprocess.run([uv, "pip", "install", "-q", "--python", str(py), spec, "--constraint",
                           str(ROOT / "requirements-lock.txt")], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    folder = tmp_path / "client_data"
    written = write_exports(folder, n_customers=300, seed=5, tables=["survey_responses", "transactions"])
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    cmd = f"cxlab report --data {shlex.quote(str(folder))} --output out --notebooks 00 03"
    done = subprocess.run(["bash", "-c", cmd], cwd=empty, env=env, capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    reports = sorted(p for p in (empty / "out").glob("*.html") if p.stem not in ("index", "methods"))
    assert [p.stem for p in reports] == ["00_start_here", "03_nps"]
    check_reports_are_about(folder, reports, written)
    # the installed copy, not this checkout, ran the notebooks
    where = subprocess.run([str(py), "-c", "import cxlab.report as r; print(r.notebooks_dir())"], cwd=empty,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert str(ROOT) not in where and "_notebooks" in where


def _wheel_extras(wheel: Path) -> set[str]:
    import zipfile

    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith("METADATA"))
        text = z.read(meta).decode()
    return set(re.findall(r"^Provides-Extra: (\S+)", text, re.M))
