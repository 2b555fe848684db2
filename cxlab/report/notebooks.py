"""Where the themed notebooks are (a checkout's ``notebooks/`` or the copy shipped in the package), choosing
them by number or name, copying them into a user's folder, and the output folder checks.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from cxlab.errors import CXLabError

__all__ = ["notebooks_dir", "list_notebooks", "select_notebooks", "copy_notebooks"]


# --------------------------------------------------------------------------- where the notebooks are

def notebooks_dir() -> Path:
    """The themed notebooks: ``notebooks/`` of a checkout, else the copy shipped inside the package."""
    package = Path(__file__).resolve().parents[1]
    repo = package.parent / "notebooks"
    if repo.is_dir() and (package.parent / "pyproject.toml").exists():
        return repo
    shipped = package / "_notebooks"
    if shipped.is_dir():
        return shipped
    raise CXLabError("the cxlab notebooks are not installed with this copy of the package",
                     fix="reinstall cxlab from a wheel or from a clone of the repository")


def list_notebooks(directory: str | os.PathLike | None = None) -> list[Path]:
    """Notebooks to run, in their numbered order (checkpoints excluded)."""
    directory = Path(directory) if directory else notebooks_dir()
    if not directory.is_dir():
        raise CXLabError(f"there is no notebooks folder at {directory}",
                         fix="pass the folder that holds the .ipynb files")
    return sorted(p for p in directory.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def select_notebooks(selection: Iterable[str | os.PathLike] | None) -> list[Path]:
    """Resolve ``["01", "03_nps", "my.ipynb"]`` to notebook paths (numbers and names of the shipped ones).

    Examples
    --------
    >>> [p.name for p in select_notebooks(["03", "01_segmentation"])]
    ['03_nps.ipynb', '01_segmentation.ipynb']
    """
    if not selection:
        return list_notebooks()
    shipped = list_notebooks()
    out = []
    for item in selection:
        p = Path(item)
        if p.suffix == ".ipynb" and p.exists():
            out.append(p)
            continue
        key = str(item).removesuffix(".ipynb")
        hits = [nb for nb in shipped if nb.stem == key or nb.stem.split("_", 1)[0] == key]
        if len(hits) != 1:
            names = ", ".join(nb.stem for nb in shipped)
            raise CXLabError(f"there is no notebook {item!r}", fix=f"choose among {names} (or pass a .ipynb path)")
        out.append(hits[0])
    return out


def copy_notebooks(dest: str | os.PathLike, *, overwrite: bool = False) -> list[Path]:
    """Copy the themed notebooks into ``dest`` (a user's project folder) to edit and run in JupyterLab."""
    dest = _output_folder(dest, "the destination")
    copied = []
    for nb in list_notebooks():
        target = dest / nb.name
        if target.exists() and not overwrite:
            raise CXLabError(f"{target} already exists", file=str(target),
                             fix="choose an empty folder, or pass --overwrite to replace the notebooks")
        shutil.copy2(nb, target)
        copied.append(target)
    return copied


def _output_folder(path: str | os.PathLike, what: str = "--output") -> Path:
    """Create the output folder, or say in words why it cannot be used (before any notebook runs)."""
    path = Path(path).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise CXLabError(f"{what} {path} is a file, not a folder", file=str(path),
                         fix="choose a folder name (it is created when missing)")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".cxlab-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise CXLabError(f"{what} {path} cannot be created or written ({exc.strerror})", file=str(path),
                         fix="choose a folder you can write to") from None
    return path
