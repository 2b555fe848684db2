"""The set-up files agree with each other, and importing cxlab stays light."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_mirrors_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {_name(r) for r in pyproject["project"]["dependencies"]}
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
