"""cxlab — a notebook-based research kit for customer-experience analysis.

``import cxlab`` is light and has no side effects: it loads no plotting or Jupyter
libraries and sets no theme. Import the part you need::

    import cxlab.nps, cxlab.segmentation, cxlab.clv, cxlab.io
    from cxlab.datasets import load_example

Big files: ``cxlab.scan("transactions.parquet")`` opens one lazily (see :mod:`cxlab.engine`).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cxlab")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "scan"]


def __getattr__(name: str):
    # cxlab.scan(path) without importing the engines on `import cxlab`
    if name == "scan":
        from cxlab.engine.scanning import scan

        return scan
    raise AttributeError(f"module 'cxlab' has no attribute {name!r}")
