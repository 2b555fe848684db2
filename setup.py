"""Build hook: ship the themed notebooks and the example files inside the package.

The notebooks live in ``notebooks/`` and the examples in ``data/examples/`` at the top of
the repository (where users of a clone find them); a wheel carries copies in
``cxlab/_notebooks`` and ``cxlab/_examples`` so that ``cxlab report`` works after a plain
``pip install``. All metadata is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = {"notebooks": ("_notebooks", "*.ipynb"), "data/examples": ("_examples", "*")}


class BuildWithNotebooks(build_py):
    def run(self):
        super().run()
        for source, (target, pattern) in SHIPPED.items():
            dest = Path(self.build_lib) / "cxlab" / target
            dest.mkdir(parents=True, exist_ok=True)
            for f in sorted((ROOT / source).glob(pattern)):
                if f.is_file():
                    shutil.copy2(f, dest / f.name)


setup(cmdclass={"build_py": BuildWithNotebooks})
