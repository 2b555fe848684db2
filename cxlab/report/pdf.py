"""PDF copies of the HTML reports, printed by the system Chromium (headless, offline).

Chromium renders the reports exactly as a browser shows them (figures, tables, widget
state) and prints them; it is found on the PATH, at ``/usr/bin/chromium`` or where
``CXLAB_CHROMIUM`` points. On a machine without it, ``--format pdf`` stops with a message
saying how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cxlab.errors import CXLabError

__all__ = ["find_chromium", "html_to_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str:
    """Path of a Chromium executable, or a :class:`CXLabError` saying how to get one."""
    env = os.environ.get("CXLAB_CHROMIUM")
    if env and Path(env).is_file():
        return env
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    raise CXLabError("PDF output needs the Chromium browser, which was not found",
                     fix="install it (Debian/Ubuntu: apt-get install chromium), or set CXLAB_CHROMIUM to its path, "
                         "or leave pdf out of --format")


def html_to_pdf(html_path: str | Path, pdf_path: str | Path | None = None, *, timeout: int = 180) -> Path:
    """Print one HTML file to PDF with headless Chromium and no network access."""
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path) if pdf_path else html_path.with_suffix(".pdf")
    chromium = find_chromium()
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
               f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
               "--no-pdf-header-footer", "--virtual-time-budget=8000", "--run-all-compositor-stages-before-draw",
               f"--print-to-pdf={pdf_path.resolve()}", html_path.as_uri()]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise CXLabError(f"Chromium could not print {html_path.name} to PDF ({done.stderr.strip()[-300:]})",
                         file=str(html_path), fix="open the HTML report in a browser and print it to PDF by hand")
    return pdf_path
