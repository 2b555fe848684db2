"""Notebook 01 (segmentation and CLV) on transactions shaped unlike the demo company.

Each set is built by ``tests/data/own/make_transactions_sets.py`` into a temporary folder and
run through the notebook with papermill exactly as a user would (``data_dir`` = the folder,
``date_format`` for ``19970101`` dates), then the executed notebook is read back:

* ``usd_1997``: simulated US-dollar purchases in 1997-1998, integer-looking ids, category
  names that are music genres, no channel column, free (0.00) purchases and customers whose
  only repeat purchase was free;
* ``steady``: nobody churns, so the BG/NBD purchase model cannot converge;
* ``uniform``: a BI export (CamelCase headers, US dates, 2013-2014) where nobody lapses but the
  fit says it converged, so no finite lifetime value exists;
* ``one_each``: a new shop where every customer has bought once (yen, amounts up to 3e9), so
  there is no repeat behaviour for the lifetime-value models;
* ``cdnow``: the real CDNOW master file shipped inside the ``lifetimes`` wheel (69,659
  purchases, US dollars, 80 zero-value rows; one customer's only repeat purchase is 0.00),
  run with ``currency`` left at ``None``.

What a client would read (Markdown cells, text/HTML/Markdown outputs) must hold no failing
cell, no "nan"/"NaN"/"<NA>", no demo-company wording, and must name the data file and its
row count, the customers left out of the spend model (with the count computed here
independently with pandas) and, for the steady set, the non-convergence in words.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from cxlab.report import execute_notebook, export_html

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_segmentation.ipynb"
sys.path.insert(0, str(Path(__file__).parent / "data" / "own"))
import make_transactions_sets as sets  # noqa: E402

pytestmark = [pytest.mark.notebook, pytest.mark.slow, pytest.mark.xdist_group("nb01_own")]


#: (set, notebook parameters beyond data_dir)
RUNS = {
    "usd_1997": {"date_format": "%Y%m%d", "currency": "USD"},
    "steady": {"currency": "EUR"},
    "uniform": {"currency": "USD", "date_format": "%m/%d/%Y"},
    "one_each": {"currency": "JPY"},
    "cdnow": {"date_format": "%Y%m%d", "n_boot": 2},  # 23,570 customers: fewer bootstrap replicates keep the run short
}
DEMO_WORDS = ["Терруар", "Terroir", "RUB", "руб", "wine", "spirits", "cheese", "gourmet", "mid-2025", "2025"]
_MISSING = re.compile(r"\bnan\b|\bNaN\b|<NA>|\bNaT\b|\bNone\b")


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    return sets.write_all(tmp_path_factory.mktemp("own_transactions"))


@pytest.fixture(scope="module")
def executed(folders, tmp_path_factory):
    """Executed notebooks by set name (run lazily, once per module)."""
    cache: dict[str, dict] = {}
    out_dir = tmp_path_factory.mktemp("nb01_runs")

    def run(name: str) -> dict:
        if name not in cache:
            if name not in folders:
                pytest.skip(f"set {name} not available (lifetimes not installed)")
            params = {"data_dir": str(folders[name]), **RUNS[name]}
            with pytest.MonkeyPatch.context() as mp:  # the project key file goes to a temporary config folder
                mp.setenv("XDG_CONFIG_HOME", str(out_dir / "config"))
                mp.delenv("CXLAB_PSEUDONYM_KEY", raising=False)
                path = execute_notebook(NOTEBOOK, out_dir / f"{name}.ipynb", parameters=params)
            cache[name] = json.loads(path.read_text(encoding="utf-8")) | {"_path": str(path)}
        return cache[name]

    return run


def _reader_text(nb: dict) -> str:
    """Everything a report reader sees: Markdown cells and the text of code-cell outputs."""
    parts = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append("".join(out["text"]))
            for mime in ("text/html", "text/markdown", "text/plain"):  # what the HTML report shows
                data = out.get("data", {}).get(mime)
                if data is not None:
                    parts.append("".join(data))
                    break
    return "\n".join(parts)


def _zero_spend_customers(csv: Path, date_col: str, fmt: str | None) -> int:
    """Repeat customers whose repeat purchase days average 0 or less, computed with plain pandas."""
    t = pd.read_csv(csv, dtype={"customer_id": str, date_col: str})
    t["day"] = pd.to_datetime(t[date_col], format=fmt).dt.normalize()
    days = t.groupby(["customer_id", "day"], as_index=False)["amount"].sum().sort_values(["customer_id", "day"])
    repeat = days[days.groupby("customer_id").cumcount() > 0]
    return int((repeat.groupby("customer_id")["amount"].mean() <= 0).sum())


@pytest.mark.parametrize("name", list(RUNS))
def test_runs_without_failing_cell_nan_or_demo_wording(executed, name):
    nb = executed(name)
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    text = _reader_text(nb)
    missing = sorted(set(_MISSING.findall(text)))
    assert not missing, f"{name}: missing values shown to the reader: {missing}"
    leaked = [w for w in DEMO_WORDS if w in text]
    assert not leaked, f"{name}: demo-company wording in the output: {leaked}"


@pytest.mark.parametrize("name", list(RUNS))
def test_data_used_block_names_the_file_and_row_counts(executed, folders, name):
    nb = executed(name)
    rows = sum(1 for _ in open(folders[name] / "transactions.csv", encoding="utf-8")) - 1
    first = next(o for c in nb["cells"] if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", [])
                 and c.get("outputs") for o in c["outputs"])
    html = "".join(first["data"]["text/html"])
    assert html.index("Data:") < html.index("Data used"), "the block's first line says whose data it is"
    assert "transactions.csv" in html
    assert f">{rows:,}<" in html, f"rows read ({rows:,}) are shown in the Data used block"


def test_usd_set_currency_periods_and_zero_spend_note(executed, folders):
    nb = executed("usd_1997")
    text = _reader_text(nb)
    n_zero = _zero_spend_customers(folders["usd_1997"] / "transactions.csv", "date", "%Y%m%d")
    assert n_zero >= 6, "the generator plants six customers whose only repeat purchase was free"
    assert f"Left out of the spend model: {n_zero} customers" in text
    assert "USD" in text and "Amounts in USD." in text
    assert "30.06.1998" in text and "01.01.1997" in text
    assert "Between 30 December 1997 and 30 June 1998" in text, "migration dates: six months before the data's end"
    assert "Expected revenue over the next 12 months is" in text
    assert "Findings on lifetime value" in text and "Holdout (" in text


def test_cdnow_without_currency_says_amounts_and_excludes_zero_spend(executed, folders):
    nb = executed("cdnow")
    text = _reader_text(nb)
    assert "69,659" in text and "23,570" in text
    n_zero = _zero_spend_customers(folders["cdnow"] / "transactions.csv", "date", "%Y%m%d")
    assert n_zero == 1, "CDNOW: one customer's only repeat purchase cost 0.00"
    assert "Left out of the spend model: 1 customer**" in text
    assert "without a currency" in text
    assert not re.search(r"\d (USD|EUR|RUB)\b", text), "no currency is invented when none is named"
    assert "Expected revenue over the next 12 months is" in text


def test_steady_set_says_the_purchase_model_did_not_converge(executed):
    nb = executed("steady")
    text = _reader_text(nb)
    assert "Lifetime value not estimated: the purchase model did not converge." in text
    assert "no drop-out" in text
    assert "Expected revenue over the next" not in text, "no CLV is claimed from a model that did not converge"
    assert "EUR" in text
    # segmentation still ran and said something
    assert "The two RFM segments with the most revenue" in text
    assert "Where to start" in text


def test_uniform_set_skips_lifetime_value_in_words_and_keeps_the_segments(executed):
    text = _reader_text(executed("uniform"))
    assert "Lifetime value is not estimated for these data" in text
    assert "Expected revenue over the next" not in text
    assert "USD" in text and "The two RFM segments with the most revenue" in text


def test_report_export_embeds_figures(executed, tmp_path):
    nb = executed("usd_1997")
    html = export_html(nb["_path"], tmp_path / "01.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in html
    assert "import cxlab" not in html


def test_one_purchase_each_skips_lifetime_value_in_words_and_keeps_the_playbook(executed):
    text = _reader_text(executed("one_each"))
    assert "Lifetime value is not estimated for these data" in text and "repeat purchase" in text
    assert "Expected revenue over the next" not in text
    assert "JPY" in text and "Where to start" in text  # the segments and the playbook still reach the client
