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
    ("min_base", "50", 50), ("confidence", "0,9", 0.9), ("confidence", "1", 1.0),
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
