"""In a real browser: a client report shows its figures, and a live widget redraws when moved.

Chromium comes from the system (Debian's ``chromium`` package; ``.ci/run`` installs it);
Playwright drives it, never downloading a browser of its own. The live test serves
notebooks/03_nps.ipynb with Voilà (the dashboard mode of ``make present``) on 127.0.0.1,
changes the NPS explorer's grouping and waits for the explorer's picture to change.
Without Chromium these tests are skipped with the reason; CI always has it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Chromium is not installed (apt-get install chromium; .ci/run does this)"),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'cxlab[browser]'")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_report_figures_load_in_a_browser(browser, tmp_path):
    from cxlab.report import execute_notebook, export_html

    executed = execute_notebook(ROOT / "notebooks" / "00_start_here.ipynb", tmp_path / "00.ipynb")
    html = export_html(executed, tmp_path / "00.html")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.as_uri())
    sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.complete, i.naturalWidth])")
    assert sizes, "the report has no images"
    assert all(done and width > 100 for done, width in sizes), sizes
    assert page.locator("h1").first.inner_text().startswith("Start here")
    assert not errors
    page.close()


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    voila = Path(sys.executable).with_name("voila")
    if not voila.exists():
        pytest.skip("Voilà is not installed (pip install 'cxlab[present]')")
    port = _free_port()
    work = tmp_path_factory.mktemp("voila")
    shutil.copy(ROOT / "notebooks" / "03_nps.ipynb", work / "03_nps.ipynb")
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(JUPYTER_CONFIG_DIR=str(work / "config"), JUPYTER_RUNTIME_DIR=str(work / "runtime"))
    proc = subprocess.Popen(
        [str(voila), "03_nps.ipynb", f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1",
         "--VoilaConfiguration.file_allowlist=['.*']"],
        cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "api", timeout=2)  # noqa: S310 - loopback only
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("Voilà exited before serving")
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_live_explorer_redraws_when_the_grouping_changes(browser, voila_url):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(voila_url, timeout=180_000, wait_until="domcontentloaded")
    group_by = page.locator(".widget-dropdown", has_text="Group by").locator("select")
    group_by.wait_for(timeout=180_000)
    picture = page.locator(".widget-image").last
    picture.wait_for(timeout=60_000)
    before = picture.get_attribute("src")
    options = group_by.locator("option").all_inner_texts()
    target = next(o for o in options if o != group_by.input_value())
    group_by.select_option(label=target)
    deadline = time.monotonic() + 30
    after = before
    while after == before and time.monotonic() < deadline:  # each change is a kernel round trip
        page.wait_for_timeout(250)
        after = picture.get_attribute("src")
    assert after != before, "the explorer's figure did not change after choosing another grouping"
    assert after.startswith("blob:") or after.startswith("data:image/png")
    page.close()



def test_deliverables_open_offline_with_figures_and_a_rendered_widget(browser, tmp_path):
    """index.html and a report, opened with the network blocked: nothing fails to load, the
    figure shows and the widget is drawn from its saved state by the vendored renderer."""
    from tests.test_deliverables import make_nb

    from cxlab.report import run_all

    nb = make_nb(tmp_path / "t_report.ipynb")
    run_all(tmp_path / "out", [nb], parameters={"client": "ACME"}, progress=False)
    context = browser.new_context()
    blocked: list[str] = []

    def block(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    failed: list[str] = []
    errors: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "out" / "index.html").as_uri())
    assert "B beats A" in page.inner_text("body")
    page.goto((tmp_path / "out" / "t_report.html").as_uri())
    page.locator(".widget-slider").first.wait_for(timeout=30_000)
    assert "threshold" in page.locator(".widget-slider").first.inner_text()
    sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.complete, i.naturalWidth])")
    assert sizes and all(done and width > 100 for done, width in sizes), sizes
    assert not blocked, f"the pages tried to reach the network: {blocked[:3]}"
    assert not failed, f"files failed to load: {failed[:3]}"
    assert not errors, errors
    context.close()
