"""The report runner: parameters checked and converted before anything runs, notebooks found
inside or outside a checkout, partial reports kept when a notebook stops (issue 8)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from cxlab import report
from cxlab.errors import CXLabError

PARAMS = '''# Parameters (papermill)
data_dir: str | None = None          # folder with your exports
min_base: int = 30                   # groups with fewer answers are suppressed
confidence: float = 0.95
group_by: list[str] | None = None
use_weights: bool = False
title = "NPS"                        # unannotated: type from the default
'''


def make_nb(path: Path, params: str = PARAMS, body: str = "print(min_base + 1)") -> Path:
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), p, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, str(path))
    return path


def test_parameters_are_read_with_their_types(tmp_path):
    decl = report.notebook_parameters(make_nb(tmp_path / "a.ipynb"))
    got = {n: (p.type, p.optional, p.default) for n, p in decl.items()}
    assert got == {"data_dir": ("str", True, None), "min_base": ("int", False, 30),
                   "confidence": ("float", False, 0.95), "group_by": ("list", True, None),
                   "use_weights": ("bool", False, False), "title": ("str", False, "NPS")}
    assert decl["min_base"].help == "groups with fewer answers are suppressed"


def test_unknown_parameter_is_refused_with_the_valid_names(tmp_path):
    nb = make_nb(tmp_path / "a.ipynb")
    with pytest.raises(CXLabError) as err:
        report.prepare_parameters([nb], {"min_bse": "50"})
    msg = str(err.value)
    assert "unknown parameter min_bse" in msg and "confidence, data_dir, group_by, min_base" in msg


@pytest.mark.parametrize("name, text, value", [
    ("min_base", "50", 50), ("confidence", "0,9", 0.9), ("confidence", "0.8", 0.8),
    ("group_by", "country, remote", ["country", "remote"]), ("group_by", "['a', 'b']", ["a", "b"]),
    ("group_by", "None", None), ("use_weights", "yes", True), ("use_weights", "false", False),
    ("title", "Кофе", "Кофе"),
])
def test_command_line_text_is_converted_to_the_declared_type(tmp_path, name, text, value):
    nb = make_nb(tmp_path / "a.ipynb")
    assert report.prepare_parameters([nb], {name: text})[nb] == {name: value}


@pytest.mark.parametrize("name, text", [("min_base", "fifty"), ("min_base", "None"), ("use_weights", "maybe"),
                                        ("confidence", True)])
def test_values_that_do_not_fit_are_refused(tmp_path, name, text):
    nb = make_nb(tmp_path / "a.ipynb")
    with pytest.raises(CXLabError, match=f"parameter {name}="):
        report.prepare_parameters([nb], {name: text})


# ----------------------------------------------------------------- values checked before any kernel starts (H6)
CHECKED = PARAMS + '''observation_end: str | None = None   # None: the last purchase
trend_period: str = "Q"              # "W", "M", "Q" or "Y"
ci_method: str = "adjusted_wald"
rfm_cut_quantiles: list[float] = [0.25, 0.5, 0.75, 0.9]
explorer_windows: list[int] = [90, 180, 365]
low_base: int = 50
'''


@pytest.fixture()
def checked_nb(tmp_path):
    # the body would fail if it ever ran: every case below must be refused or converted before execution
    return make_nb(tmp_path / "checked.ipynb", CHECKED, body="raise SystemExit('a kernel was started')")


def test_parameter_types_of_list_elements_are_read(checked_nb):
    decl = report.notebook_parameters(checked_nb)
    assert (decl["rfm_cut_quantiles"].item, decl["explorer_windows"].item, decl["group_by"].item) == (
        "float", "int", "str")


@pytest.mark.parametrize("name, text, value", [
    ("rfm_cut_quantiles", "0.2,0.4,0.6,0.8", [0.2, 0.4, 0.6, 0.8]),
    ("rfm_cut_quantiles", "0,2 0,4 0,6", [0.2, 0.4, 0.6]),  # decimal commas
    ("rfm_cut_quantiles", "[0.1, 0.5]", [0.1, 0.5]),
    ("explorer_windows", "90, 180", [90, 180]),
    ("observation_end", "2023-06-30", "2023-06-30"),
    ("observation_end", "30.06.2023", "2023-06-30"),  # day first, as Russian exports write it
    ("trend_period", "quarter", "Q"), ("trend_period", "m", "M"), ("trend_period", "Год", "Y"),
    ("trend_period", "W", "W"), ("ci_method", "Adjusted Wald", "adjusted_wald"), ("ci_method", "bootstrap", "bootstrap"),
])
def test_values_are_normalised_before_execution(checked_nb, name, text, value):
    assert report.prepare_parameters([checked_nb], {name: text})[checked_nb] == {name: value}


@pytest.mark.parametrize("name, text, words", [
    ("rfm_cut_quantiles", "high", ["rfm_cut_quantiles='high'", "element 'high'", "not a number", "list of float",
                                   "comma-separated numbers, e.g. 0.25,0.5,0.75,0.9"]),
    ("rfm_cut_quantiles", "0.5,0.25", ["increasing quantiles", "0.25,0.5"]),
    ("rfm_cut_quantiles", "25,50,75", ["strictly between 0 and 1"]),
    ("explorer_windows", "90,1.5", ["not a whole number"]),
    ("observation_end", "2023-13-01", ["observation_end='2023-13-01'", "no month 13", "YYYY-MM-DD"]),
    ("observation_end", "31.02.2024", ["no day 31 in month 2", "DD.MM.YYYY"]),
    ("observation_end", "yesterday", ["is not a date", "YYYY-MM-DD"]),
    ("trend_period", "X", ["trend_period='X'", "W (week), M (month), Q (quarter) or Y (year)"]),
    ("ci_method", "exact", ["adjusted_wald (Rocks 2016), wald or bootstrap"]),
    ("confidence", "1", ["between 0 and 1"]), ("confidence", "150", ["between 0 and 1"]),
    ("min_base", "-3", ["min_base=-3", "at least 0"]), ("low_base", "-1", ["low_base=-1"]),
])
def test_values_that_make_no_sense_are_refused_before_execution(checked_nb, name, text, words):
    with pytest.raises(CXLabError) as err:
        report.prepare_parameters([checked_nb], {name: text})
    msg = str(err.value)
    assert "checked.ipynb" in msg and "What to do" in msg
    for w in words:
        assert w in msg, (w, msg)


def test_a_confidence_in_per_cent_is_read_as_a_fraction_with_a_note(checked_nb, capsys):
    assert report.prepare_parameters([checked_nb], {"confidence": "95"})[checked_nb] == {"confidence": 0.95}
    assert "cxlab: note: confidence=95 read as 0.95 (95 %)" in capsys.readouterr().err


def test_shipped_notebooks_refuse_the_hostile_h6_values():
    """The commands of hostile finding H6, against the notebooks themselves: refused before any kernel starts."""
    for nb, name, text in [("01", "rfm_cut_quantiles", "high"), ("01", "observation_end", "2023-13-01"),
                           ("03", "trend_period", "X"), ("03", "min_base", "-3"), ("03", "confidence", "0")]:
        with pytest.raises(CXLabError, match=f"parameter {name}="):
            report.prepare_parameters(report.select_notebooks([nb]), {name: text})
    nb03 = report.select_notebooks(["03"])[0]
    assert report.prepare_parameters([nb03], {"trend_period": "quarter"})[nb03] == {"trend_period": "Q"}


def test_paths_become_absolute_and_parameters_go_only_where_declared(tmp_path, monkeypatch):
    a = make_nb(tmp_path / "a.ipynb")
    b = make_nb(tmp_path / "b.ipynb", params="data_dir: str | None = None\n")
    monkeypatch.chdir(tmp_path)
    out = report.prepare_parameters([a, b], {"data_dir": "mydata", "min_base": "10"})
    assert out[a] == {"data_dir": str(tmp_path / "mydata"), "min_base": 10}
    assert out[b] == {"data_dir": str(tmp_path / "mydata")}


def test_a_notebook_that_would_ignore_the_data_is_refused(tmp_path):
    a = make_nb(tmp_path / "a.ipynb")
    old = make_nb(tmp_path / "old.ipynb", params="survey_file: str | None = None\nmin_base: int = 30\n")
    with pytest.raises(CXLabError, match="notebook old does not declare data_dir"):
        report.prepare_parameters([a, old], {"data_dir": "x"})
    assert report.prepare_parameters([a, old], {"min_base": "5"})[old] == {"min_base": 5}


def test_themed_notebooks_declare_the_shared_parameters():
    for nb in report.list_notebooks():
        decl = report.notebook_parameters(nb)
        missing = [p for p in report.SHARED_PARAMETERS if p not in decl]
        assert not missing, f"{nb.name} does not declare {missing}"
        assert decl["data_dir"].default is None and decl["pseudonym_key"].default is None, nb.name
        assert decl["min_base"].type == "int" and decl["confidence"].type == "float", nb.name


def test_notebooks_are_selected_by_number_or_name():
    names = [p.stem for p in report.select_notebooks(["00", "00_start_here"])]
    assert names == ["00_start_here", "00_start_here"]
    with pytest.raises(CXLabError, match="there is no notebook '99'"):
        report.select_notebooks(["99"])


def test_copy_notebooks_into_a_project_folder(tmp_path):
    copied = report.copy_notebooks(tmp_path / "proj")
    assert [p.name for p in copied] == [p.name for p in report.list_notebooks()]
    with pytest.raises(CXLabError, match="already exists"):
        report.copy_notebooks(tmp_path / "proj")
    assert report.copy_notebooks(tmp_path / "proj", overwrite=True)


def test_banner_says_demo_or_client():
    assert report._banner({}).startswith("**Demo data: «Терруар»**")
    text = report._banner({"data_dir": "/x/acme_exports", "client": "ACME", "period": "2025Q2"})
    assert text == "**Client: ACME** · period 2025Q2 · data: acme_exports" and "Терруар" not in text


@pytest.mark.notebook
def test_a_failing_notebook_names_the_cell_and_keeps_a_partial_report(tmp_path):
    nb = make_nb(tmp_path / "broken.ipynb", body="1 / 0")
    with pytest.raises(CXLabError) as err:
        report.run_all(tmp_path / "out", [nb], parameters={"min_base": "5"}, progress=False)
    msg = str(err.value)
    assert "notebook broken stopped at cell 3 from the top (`1 / 0`)" in msg and "ZeroDivisionError" in msg
    html = (tmp_path / "out" / "broken.html").read_text(encoding="utf-8")
    assert "This report is incomplete" in html and "ZeroDivisionError" in html


def test_the_pseudonym_key_is_never_taken_on_the_command_line(capsys):
    from cxlab import cli

    code = cli.main(["report", "-p", "pseudonym_key", "s3cret-value-that-is-long", "--notebooks", "00"])
    err = capsys.readouterr().err
    assert code == 2 and "CXLAB_PSEUDONYM_KEY" in err and "s3cret" not in err
