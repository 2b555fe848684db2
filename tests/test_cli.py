"""The ``cxlab`` console script: ``validate`` prints the load report and sets the exit code;
``demo`` hands over to cxlab.report.run_all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cxlab import cli

CORPUS = Path(__file__).parent / "data" / "bad_inputs"


def run(args, capsys):
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_clean_file_exits_zero(capsys):
    code, out, err = run(["validate", str(CORPUS / "utf8_bom_semicolon_ru_headers.csv"), "--kind", "survey"], capsys)
    assert code == 0 and not err
    assert "rows read 4 = kept 4 + quarantined 0" in out
    assert "encoding: utf-8-sig" in out and "semicolon" in out and "dd.mm.yyyy" in out
    assert "'Оценка' → likelihood_to_recommend" in out


def test_validate_partial_file_lists_quarantine_and_writes_it(capsys, tmp_path):
    target = tmp_path / "q.csv"
    code, out, _ = run(["validate", str(CORPUS / "scores_out_of_range.csv"), "--kind", "survey",
                        "--quarantine", str(target)], capsys)
    assert code == 0  # some rows were usable
    assert "kept 4 + quarantined 4" in out and "line 2: [likelihood_to_recommend]" in out
    import pandas as pd

    q = pd.read_csv(target)
    assert q["line"].tolist() == [2, 3, 4, 5] and list(q.columns) == ["line", "column", "value", "problem", "reason"]


def test_validate_nothing_usable_exits_one(capsys):
    code, out, _ = run(["validate", str(CORPUS / "header_only.csv"), "--kind", "survey"], capsys)
    assert code == 1 and "NOTHING USABLE" in out
    code, out, _ = run(["validate", str(CORPUS / "duplicates_conflicting.csv"), "--kind", "transactions"], capsys)
    assert code == 2  # wrong kind: required columns missing → an error, not a report


def test_validate_unreadable_file_exits_two_with_message(capsys):
    code, out, err = run(["validate", str(CORPUS / "phones_scientific_notation.csv"), "--kind", "survey"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("cxlab: error:") and "scientific notation" in err and "What to do" in err
    assert "Traceback" not in err


def test_validate_options_are_passed_through(capsys):
    code, out, _ = run(["validate", str(CORPUS / "channels_dictionary.csv"), "--kind", "survey",
                        "--channel", "киоск=store"], capsys)
    assert code == 0 and "kept 19 + quarantined 0" in out
    code, out, _ = run(["validate", str(CORPUS / "missing_required_column.csv"), "--kind", "survey",
                        "--column", "channel=submitted_at"], capsys)
    assert code == 1 and "quarantined 1" in out
    code, out, _ = run(["validate", str(CORPUS / "slash_dates_month_first.csv"), "--kind", "survey",
                        "--month-first"], capsys)
    assert code == 0 and "kept 2" in out
    code, out, _ = run(["validate", str(CORPUS / "excel_export.xlsx"), "--kind", "survey", "--sheet", "0"], capsys)
    assert code == 0 and "kept 4" in out
    code, out, err = run(["validate", str(CORPUS / "channels_dictionary.csv"), "--kind", "survey",
                          "--channel", "киоск"], capsys)
    assert code == 2 and "--channel 'киоск' is not of the form LABEL=CHANNEL" in err


def test_demo_calls_report_run_all(monkeypatch, capsys, tmp_path):
    import cxlab.report

    calls = {}

    def fake_run_all(output_dir="reports", notebooks=None):
        calls["args"] = (output_dir, notebooks)
        return [Path(output_dir) / "00_start_here.html"]

    monkeypatch.setattr(cxlab.report, "run_all", fake_run_all)
    code, out, _ = run(["demo", "--output-dir", str(tmp_path), "--notebook", "notebooks/00_start_here.ipynb"], capsys)
    assert code == 0
    assert calls["args"] == (str(tmp_path), ["notebooks/00_start_here.ipynb"])
    assert "00_start_here.html" in out


def test_console_script_entry_point_runs():
    # the module runs as a program exactly as the installed `cxlab` script does
    proc = subprocess.run([sys.executable, "-m", "cxlab.cli", "validate", str(CORPUS / "empty.csv"), "--kind",
                           "survey"], capture_output=True, text=True)
    assert proc.returncode == 2 and "the file is empty" in proc.stderr


def test_usage_errors(capsys):
    with pytest.raises(SystemExit):
        cli.main(["validate", "x.csv", "--kind", "wine"])  # not a kind
    # a name that says no table, and no --kind: a clear error that says to pass --kind
    assert cli.main(["validate", "x.csv"]) != 0
    assert "--kind" in capsys.readouterr().err


def test_present_builds_the_voila_command(capsys):
    from cxlab.cli import main

    assert main(["present", "--dry-run", "--port", "8899"]) == 0
    cmd = capsys.readouterr().out
    assert "voila" in cmd and "03_nps.ipynb" in cmd and "--port=8899" in cmd and "127.0.0.1" in cmd


def test_present_missing_notebook_is_a_clear_error(capsys):
    from cxlab.cli import main

    assert main(["present", "no_such.ipynb"]) == 2
    assert "no_such.ipynb" in capsys.readouterr().err


def _present_processes(marker: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline:
            pids.append(int(proc.name))
    return pids


@pytest.mark.slow
@pytest.mark.xdist_group("browser")
def test_present_stops_voila_and_its_kernel_on_sigterm(tmp_path):
    """Issue 10: stopping `cxlab present` with SIGTERM left the Voilà server and its kernel running."""
    import os
    import signal
    import socket
    import time
    import urllib.request

    if not (Path(sys.executable).parent / "voila").exists():
        pytest.skip("Voilà is not installed (pip install 'cxlab[present]')")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["TMPDIR"] = str(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "cxlab.cli", "present", "00", f"--port={port}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=60).read()  # noqa: S310 - loopback; starts a kernel
                break
            except OSError:
                assert proc.poll() is None, "cxlab present exited before serving"
                time.sleep(0.5)
        marker = str(tmp_path)
        assert _present_processes(marker), "Voilà should be running from the temp folder"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while _present_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _present_processes(marker), "Voilà or its kernel kept running after SIGTERM"
        with pytest.raises(OSError):
            urllib.request.urlopen(url + "api", timeout=2)  # noqa: S310
    finally:
        if proc.poll() is None:
            proc.kill()


def test_validate_reads_the_folder_options_and_maps_columns_per_table_like_report(tmp_path, capsys):
    # HOSTILE3 H5: validate ignored the folder's cxlab.json, refused a --column meant for another table,
    # and stopped at the first failing file.
    import json

    from cxlab.cli import main

    (tmp_path / "orders.csv").write_text("Client;When;Total (EUR)\nA1;19970105;12,50\nA2;19970106;3,00\n",
                                         encoding="utf-8")
    (tmp_path / "nps_survey.csv").write_text("id;date;Score\nR1;2024-01-05;9\nR2;2024-01-06;3\n", encoding="utf-8")
    (tmp_path / "customers.csv").write_text("nothing useful\n\n", encoding="utf-8")
    (tmp_path / "cxlab.json").write_text(json.dumps({"tables": {"transactions": {"date_format": "%Y%m%d"}}}),
                                         encoding="utf-8")
    code = main(["validate", str(tmp_path), "--column", "Client=customer_id", "--column", "When=timestamp",
                 "--column", "Total (EUR)=amount", "--column", "Score=likelihood_to_recommend",
                 "--column", "id=response_id", "--column", "date=submitted_at"])
    text = capsys.readouterr().out
    assert "== orders.csv (transactions)" in text and "rows read 2 = kept 2 + quarantined 0" in text
    assert "== nps_survey.csv (survey_responses)" in text
    assert text.count("kept 2 + quarantined 0") == 2  # the survey too: its own mappings only
    assert "== customers.csv (customers)" in text and "cxlab: error:" in text  # reported, and the others still checked
    assert code == 2
