"""Big files through the loader and ``cxlab report``: the scan threshold (issue 15, item 2).

A transactions or survey file above the threshold is scanned with DuckDB instead of being
read into pandas. The reference for every number here is the same folder loaded the ordinary
way (``cxlab.io`` into pandas, whose RFM summary is itself checked against lifetimes in
tests/test_rfm.py and whose NPS intervals are checked against published examples in
tests/test_nps.py): the scanned path must give the same RFM segments, lifetime values and NPS
with its interval, say in the Data used notes what it did and did not check, and refuse in
words a CSV that DuckDB cannot type.
"""

from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd
import pytest

from cxlab import clv, cli, nps
from cxlab import segmentation as seg
from cxlab.datasets import make_demo
from cxlab.errors import CXLabError
from cxlab.loader import SCAN_ABOVE_ENV, load_tables, parse_size, scan_threshold

N_CUSTOMERS, SEED = 400, 5
#: headers as a Russian CRM names them: the loader's aliases must map them on the scanned path too
RU_HEADERS = {"customer_id": "Клиент", "timestamp": "Дата", "amount": "Сумма"}


@pytest.fixture(scope="module")
def parquet_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parquet_exports")
    demo = make_demo(N_CUSTOMERS, SEED)
    demo.transactions.rename(columns=RU_HEADERS).to_parquet(folder / "продажи.parquet")
    demo.survey_responses.to_parquet(folder / "survey_responses.parquet")
    demo.customers.to_parquet(folder / "customers.parquet")
    demo.interactions.to_parquet(folder / "interactions.parquet")
    return folder


@pytest.fixture(scope="module")
def both(parquet_folder):
    """The folder loaded (pandas) and scanned (DuckDB relations)."""
    return load_tables(parquet_folder, scan_above="never"), load_tables(parquet_folder, scan_above=0)


def test_sizes_and_threshold_sources(monkeypatch):
    assert parse_size("500MB") == 500_000_000 and parse_size("2GB") == 2_000_000_000
    assert parse_size("0") == 0 and parse_size("never") is None and parse_size(1234) == 1234
    with pytest.raises(CXLabError, match="not a size"):
        parse_size("big")
    monkeypatch.delenv(SCAN_ABOVE_ENV, raising=False)
    assert scan_threshold() == 1_000_000_000  # the stated default
    monkeypatch.setenv(SCAN_ABOVE_ENV, "750MB")
    assert scan_threshold() == 750_000_000
    assert scan_threshold("2GB") == 2_000_000_000  # the keyword wins over the environment


def test_scanned_tables_are_lazy_and_the_notes_say_what_was_not_checked(both):
    loaded, scanned = both
    assert scanned.lazy_tables() == ["transactions", "survey_responses"]
    assert not loaded.lazy_tables()
    assert isinstance(scanned.customers, pd.DataFrame)  # customers and contacts are always read
    assert type(scanned.transactions).__module__.split(".")[0] in ("duckdb", "_duckdb")
    # the Russian headers were renamed lazily through the loader's aliases
    assert {"customer_id", "timestamp", "amount"} <= set(scanned.transactions.columns)
    a, b = loaded.data_used(), scanned.data_used()
    assert a["rows_kept"].tolist() == b["rows_kept"].tolist()
    assert a["date_from"].tolist() == b["date_from"].tolist() and a["date_to"].tolist() == b["date_to"].tolist()
    assert "продажи.parquet (scanned with DuckDB)" in b["file"].tolist()
    note = next(n for n in scanned.notes if n.startswith("продажи.parquet"))
    assert re.search(r"продажи\.parquet \(\d+ kB, [\d,]+ rows\) was scanned with DuckDB", note)
    assert "quarantine with line numbers" in note and "were not made" in note
    assert "«Клиент» → customer_id" in note
    assert "scanned with DuckDB" in scanned._repr_html_()


def test_the_threshold_decides_by_size_and_environment(parquet_folder, monkeypatch):
    monkeypatch.delenv(SCAN_ABOVE_ENV, raising=False)
    assert not load_tables(parquet_folder).lazy_tables()  # a few kB: far below the 1 GB default
    size = (parquet_folder / "продажи.parquet").stat().st_size
    assert load_tables(parquet_folder, scan_above=size - 1).is_lazy("transactions")
    assert not load_tables(parquet_folder, scan_above=size).is_lazy("transactions")
    monkeypatch.setenv(SCAN_ABOVE_ENV, "1kB")
    assert load_tables(parquet_folder).lazy_tables() == ["transactions", "survey_responses"]


def test_headline_numbers_are_equal_loaded_and_scanned(both):
    loaded, scanned = both
    end = loaded.observation_end
    assert scanned.observation_end == end
    # RFM segment sizes
    sizes = [seg.rfm_segments(seg.rfm_scores(seg.rfm_table(t.transactions, observation_end=end)))["segment"]
             .value_counts().sort_index() for t in both]
    pd.testing.assert_series_equal(sizes[0], sizes[1])
    # lifetime value: the same summary, so the same fitted models and totals
    summaries = [seg.rfm_summary(t.transactions, observation_end=end) for t in both]
    pd.testing.assert_frame_equal(summaries[0], summaries[1], check_index_type=False, rtol=1e-12)
    totals = []
    for s in summaries:
        s = s[~clv.nonpositive_spend(s)]
        values = clv.customer_value(s, model=clv.fit_bgnbd(s), spend_model=clv.fit_gamma_gamma(s), horizon=12)
        totals.append(values["clv"].sum())
    assert totals[0] == pytest.approx(totals[1], rel=1e-9)
    # features (category and channel mixes) and the holdout split feed the clustering and the CLV check
    f0, f1 = (seg.customer_features(t.transactions, observation_end=end) for t in both)
    pd.testing.assert_frame_equal(f0, f1, check_index_type=False, rtol=1e-12)
    cal_end = (end - pd.DateOffset(months=6)).normalize()
    c0, c1 = (seg.calibration_and_holdout(t.transactions, calibration_end=cal_end, observation_end=end) for t in both)
    pd.testing.assert_frame_equal(c0, c1, check_index_type=False, rtol=1e-12)
    # NPS with its interval, overall, by channel and by month
    for kw in ({}, {"by": "channel"}):
        t0, t1 = (nps.nps_table(t.survey_responses, weight="weight", **kw) for t in both)
        if kw:  # the same channels (the engine lists them in text order, pandas in category order)
            t0, t1 = (x.assign(channel=x["channel"].astype(str)).sort_values("channel") for x in (t0, t1))
            assert t0["channel"].tolist() == t1["channel"].tolist()
        cols = ["n", "estimate", "ci_low", "ci_high"]
        np.testing.assert_allclose(t0[cols].to_numpy(float), t1[cols].to_numpy(float), rtol=1e-12)
    r0, r1 = (nps.nps_trend(t.survey_responses, period="Q") for t in both)
    np.testing.assert_allclose(r0[["n", "estimate", "ci_low", "ci_high"]].to_numpy(float),
                               r1[["n", "estimate", "ci_low", "ci_high"]].to_numpy(float), rtol=1e-12)


def test_survey_linking_inputs_are_the_same_counted_in_duckdb(both):
    """02 Survey vs behaviour: the base's profile (segments, channel and tier mixes) and the ids to link to."""
    from cxlab import engine

    loaded, scanned = both
    p0, p1 = (engine.customer_profile(t.transactions, customers=t.customers, observation_end=t.observation_end)
              for t in both)
    pd.testing.assert_frame_equal(p0, p1, check_dtype=False, rtol=1e-12)
    ids = engine.customer_ids(scanned.transactions)["customer_id"]
    assert sorted(ids) == sorted(loaded.transactions["customer_id"].dropna().unique())


def test_overview_is_the_same_counted_in_duckdb(both):
    """00 Start here: rows, periods, customers, missing shares, months and channel mix, loaded vs scanned."""
    from cxlab import overview

    loaded, scanned = both
    a, b = (overview.table_overview(t.tables()) for t in both)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    timed = [{k: v for k, v in t.tables().items() if k != "customers"} for t in both]
    m0, m1 = (overview.monthly_activity(t) for t in timed)
    pd.testing.assert_frame_equal(m0, m1, check_dtype=False)
    c0, c1 = (overview.channel_mix(t.tables()).astype({"channel": str}).sort_values(["table", "channel"])
              .reset_index(drop=True) for t in both)
    pd.testing.assert_frame_equal(c0, c1, check_dtype=False)
    assert scanned.head("transactions", 3).shape == (3, loaded.transactions.shape[1])


def test_the_users_column_mapping_applies_to_a_scanned_file(tmp_path):
    """``--column 'Сумма чека, руб=amount'`` (here as load_tables' options) renames a scanned file's header too."""
    pd.DataFrame({"Клиент": ["a", "b"], "Дата": pd.to_datetime(["2025-01-05", "2025-02-01"]),
                  "Сумма чека, руб": [10.0, 20.0]}).to_parquet(tmp_path / "sales.parquet")
    with pytest.raises(CXLabError, match="amount"):  # without the mapping the required column is missing
        load_tables(tmp_path, scan_above=0)
    t = load_tables(tmp_path, scan_above=0, options={"transactions": {"columns": {"Сумма чека, руб": "amount"}}})
    assert t.is_lazy("transactions")
    assert seg.rfm_table(t.transactions)["revenue"].to_dict() == {"a": 10.0, "b": 20.0}
    assert "«Сумма чека, руб» → amount" in t.notes[0]


def test_a_currency_column_is_read_or_refused_in_duckdb_too(tmp_path):
    tx = pd.DataFrame({"customer_id": ["a", "b"], "timestamp": pd.to_datetime(["2025-01-05", "2025-02-01"]),
                       "amount": [1.0, 2.0], "Валюта": ["руб.", "RUB"]})
    tx.to_parquet(tmp_path / "sales.parquet")
    assert load_tables(tmp_path, scan_above=0).currency == load_tables(tmp_path).currency == "RUB"
    tx.assign(Валюта=["USD", "EUR"]).to_parquet(tmp_path / "sales.parquet")
    with pytest.raises(CXLabError, match=r"2 currencies \(EUR ×1, USD ×1\)"):
        load_tables(tmp_path, scan_above=0)


def test_rows_failing_the_engine_checks_are_left_out_and_counted(tmp_path):
    tx = pd.DataFrame({"customer_id": ["a", "a", None, "b", "b", "c"],
                       "timestamp": pd.to_datetime(["2025-01-05", "2025-02-01", "2025-02-03", "2025-02-04", None,
                                                    "2025-03-01"]),
                       "amount": [10.0, 20.0, 5.0, -3.0, 7.0, np.nan]})
    tx.to_parquet(tmp_path / "transactions.parquet")
    t = load_tables(tmp_path, scan_above=0)
    used = t.data_used().iloc[0]
    assert (used["rows_read"], used["rows_kept"], used["rows_quarantined"]) == (6, 2, 4)
    summary = t.quarantine_summary().set_index("reason")["rows"].to_dict()
    assert summary == {"missing customer_id": 1, "missing timestamp": 1, "missing amount": 1, "negative amount": 1}
    assert "4 rows were left out" in t.notes[0]
    # what is kept is analysable: only customer a's two purchases
    assert seg.rfm_table(t.transactions)["purchases"].to_dict() == {"a": 2.0}


def test_a_csv_duckdb_cannot_type_is_refused_in_words(tmp_path, capsys):
    (tmp_path / "transactions.csv").write_text(
        "customer_id;timestamp;amount\n001;05.03.2025;1 234,50\n002;06.03.2025;99,90\n", encoding="utf-8")
    with pytest.raises(CXLabError) as err:
        load_tables(tmp_path, scan_above=0, needs=["transactions"])
    text = str(err.value)
    assert "transactions.csv" in text and "Parquet" in text and "scan threshold" in text
    # the same through cxlab report: exit code 2 and the message, before any notebook runs
    code = cli.main(["report", "--data", str(tmp_path), "--scan-above", "0", "--notebooks", "01",
                     "--output", str(tmp_path / "out")])
    err_text = capsys.readouterr().err
    assert code == 2 and "transactions.csv" in err_text and "--scan-above" in err_text
    # raising the threshold loads and repairs it row by row
    assert load_tables(tmp_path, scan_above="1GB").transactions["amount"].tolist() == [1234.5, 99.9]


def test_a_typed_csv_is_scanned(tmp_path):
    (tmp_path / "purchases.csv").write_text(
        "customer_id,timestamp,amount\n001,2025-03-05 10:00:00,12.5\n002,2025-03-06 11:30:00,99.9\n",
        encoding="utf-8")
    t = load_tables(tmp_path, scan_above=0)
    assert t.is_lazy("transactions")
    assert seg.rfm_table(t.transactions)["revenue"].to_dict() == {"001": 12.5, "002": 99.9}  # ids stay text


def test_a_bad_scan_above_flag_stops_the_report(capsys):
    assert cli.main(["report", "--scan-above", "lots", "--notebooks", "00"]) == 2
    assert "--scan-above" in capsys.readouterr().err


def _page_lines(path) -> list[str]:
    """What a reader sees on a report page, one line per text element (no images, scripts or styles)."""
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", path.read_text(encoding="utf-8"))
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", "\n", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.notebook
@pytest.mark.slow
def test_report_loaded_and_scanned_say_the_same_numbers(parquet_folder, tmp_path, capsys):
    """``cxlab report`` once as usual and once with ``--scan-above 0``: the same findings, word for word.

    Every line of the segmentation and NPS reports and of the index — RFM segment sizes, lifetime-value
    totals, the NPS with its interval, trends — is identical; the only differences are the Data used
    block (the lazy note), the tracking plot skipped in words, and the time of generation. 00 and 02
    run on the scanned tables too and say so (04 shares 02's handling and takes longest: left to the
    manual check in the README's Big data section).
    """
    outs = {}
    for mode, flags in (("loaded", ["--scan-above", "never"]), ("scanned", ["--scan-above", "0"])):
        outs[mode] = tmp_path / mode
        notebooks = ["01", "03"] if mode == "loaded" else ["00", "01", "02", "03"]
        code = cli.main(["report", "--data", str(parquet_folder), *flags, "--output", str(outs[mode]),
                         "-p", "n_boot", "2", "--notebooks", *notebooks])  # fewer bootstrap fits: CI time
        assert code == 0, capsys.readouterr().err
    # the lazy notes, the skipped tracking plot (its note spans three text elements), the time of generation
    allowed = re.compile(r"scanned with DuckDB|^Generated by cxlab|^Skipped:$|^The week-by-week tracking")
    for page in ("index.html", "01_segmentation.html", "03_nps.html"):
        loaded = _page_lines(outs["loaded"] / page)
        scanned = [line.replace(" (scanned with DuckDB)", "") for line in _page_lines(outs["scanned"] / page)]
        if page == "index.html":  # the scanned run also lists 00 and 02
            scanned = [line for line in scanned if line in loaded or allowed.search(line)]
        differ = [line for line in difflib.ndiff(loaded, scanned)
                  if line[:1] in "+-" and not allowed.search(line[2:])]
        assert not differ, f"{page}: {differ[:6]}"
        said = "scanned with DuckDB" if page == "index.html" else "was scanned with DuckDB"
        assert any(said in line for line in _page_lines(outs["scanned"] / page)), f"{page}: no lazy Data used note"
    joined = "\n".join(_page_lines(outs["scanned"] / "01_segmentation.html"))
    assert "were not made" in joined and "tracking of repeat purchases" in joined
    for page in ("00_start_here.html", "02_survey_vs_behaviour.html"):
        joined = "\n".join(_page_lines(outs["scanned"] / page))
        assert "scanned with DuckDB" in joined
    assert "scan threshold" in "\n".join(_page_lines(outs["scanned"] / "02_survey_vs_behaviour.html"))
