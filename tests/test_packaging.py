"""The set-up files agree with each other, and importing cxlab stays light."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_mirrors_pyproject():
    # environment.yml keeps everything the notebooks and reports need: the core and the notebook and deck extras
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    wanted = {_name(r) for r in pyproject["project"]["dependencies"] + extras["notebook"] + extras["deck"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert conda - {"python", "pip"} == wanted, "environment.yml and pyproject.toml list different packages"
    assert "-e ." in pip, "environment.yml installs cxlab itself from the repository"


def test_lock_file_pins_every_dependency():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lock = (ROOT / "requirements-lock.txt").read_text(encoding="utf-8")
    pinned = {m.group(1).lower().replace("_", "-") for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", lock, re.M)}
    deps = pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["dev"]
    missing = {_name(d) for d in deps} - pinned
    assert not missing, f"requirements-lock.txt lacks {missing}: re-run `make lock`"


def test_import_cxlab_is_light():
    # every analysis module (the top layers plots/widgets/report/cli are allowed heavier imports)
    import pkgutil

    import cxlab

    mods = [m.name for m in pkgutil.iter_modules(cxlab.__path__) if not m.ispkg and m.name not in ("report", "cli")]
    code = ("import sys, cxlab;" + "".join(f"import cxlab.{m};" for m in mods) +
            "heavy=[m for m in ('seaborn','matplotlib.pyplot','ipywidgets','IPython','jupyter_client')"
            " if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import cxlab loaded {out.stdout.strip()}"


def test_version():
    import cxlab

    assert re.match(r"^\d+\.\d+\.\d+", cxlab.__version__)


NOTEBOOK_STACK = {"jupyterlab", "ipywidgets", "ipykernel", "papermill", "nbconvert", "nbclient", "nbformat", "voila"}


def test_notebook_stack_is_an_extra_and_locked():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    core = {_name(r) for r in pyproject["project"]["dependencies"]}
    notebook = {_name(r) for r in pyproject["project"]["optional-dependencies"]["notebook"]}
    assert not core & NOTEBOOK_STACK, f"the notebook stack belongs in the notebook extra: {core & NOTEBOOK_STACK}"
    assert notebook == NOTEBOOK_STACK
    lock = (ROOT / "requirements-lock.txt").read_text(encoding="utf-8")
    pinned = {m.group(1).lower().replace("_", "-") for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", lock, re.M)}
    assert notebook <= pinned, "make lock must pin the notebook extra (make installs it)"
    assert "--extra notebook" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_every_analysis_module_imports_light():
    # the theme packages and every module inside them, not only the top-level modules
    import pkgutil

    import cxlab

    upper = ("cxlab.plots", "cxlab.widgets", "cxlab.report", "cxlab.cli")
    mods = [m.name for m in pkgutil.walk_packages(cxlab.__path__, "cxlab.") if not m.name.startswith(upper)]
    assert {"cxlab.nps.intervals", "cxlab.clv.bgnbd", "cxlab.segmentation.clusters", "cxlab.rfm"} <= set(mods)
    code = ("import sys;" + "".join(f"import {m};" for m in mods) +
            "heavy=[m for m in ('seaborn','matplotlib','ipywidgets','IPython','jupyter_client','papermill')"
            " if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing the analysis modules loaded {out.stdout.strip()}"


@pytest.mark.slow
def test_core_install_without_extras_imports_nps(tmp_path):
    # A fresh venv with only `pip install cxlab` (editable, no extras; versions held to the lock so
    # uv's cache serves them): the analysis package works and no notebook or plotting module is
    # loaded by `import cxlab.nps`; the notebook stack is not even installed.
    import shutil

    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not Path(uv).exists():
        pytest.skip("uv is not installed")
    venv = tmp_path / "core"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(python), "-c", str(ROOT / "requirements-lock.txt"),
                    "-e", str(ROOT)], check=True, timeout=900)
    code = ("import importlib.util, sys, time; t = time.perf_counter(); import cxlab.nps; "
            "t = time.perf_counter() - t; "
            "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'seaborn', 'ipywidgets', "
            "'IPython', 'jupyter_client', 'jupyter_core', 'jupyterlab', 'papermill', 'nbconvert'}); "
            "installed = sorted(m for m in ('ipywidgets', 'jupyterlab', 'papermill', 'nbconvert', 'voila') "
            "if importlib.util.find_spec(m)); "
            "print(cxlab.nps.nps_table.__module__, loaded, installed, f'{t:.2f}')")
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "cxlab.nps.intervals"
    assert out[1:3] == ["[]", "[]"], f"loaded {out[1]}, notebook stack installed {out[2]}"


def test_docstring_examples_run_with_the_test_suite():
    # issue 11: every analysis module's Examples run under `make test` (pytest --doctest-modules)
    opts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in opts["addopts"]
    assert "NORMALIZE_WHITESPACE" in opts["doctest_optionflags"]
    for module in ("cxlab/nps", "cxlab/segmentation", "cxlab/clv", "cxlab/rfm.py", "cxlab/stats.py", "cxlab/text.py",
                   "cxlab/privacy", "cxlab/overview.py", "cxlab/datasets", "cxlab/schema.py"):
        assert module in opts["testpaths"], module
