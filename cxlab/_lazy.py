"""Import heavy libraries on first use, not when a cxlab module is imported.

``scipy.stats`` alone takes about 0.6–1 s to import; most cxlab modules need it only inside
a few functions. ``_st = lazy_module("scipy.stats")`` at module level keeps the familiar
``_st.norm.ppf(...)`` spelling while the import happens at the first attribute access.

Examples
--------
>>> math = lazy_module("math")
>>> math.sqrt(16.0)
4.0
>>> repr(lazy_module("scipy.stats"))
"<lazy module 'scipy.stats'>"
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

__all__ = ["lazy_module"]


class _LazyModule:
    """A stand-in that imports the named module at the first attribute access."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def _module(self) -> ModuleType:
        module = sys.modules.get(self._name)
        return module if module is not None else importlib.import_module(self._name)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._module(), attr)

    def __dir__(self) -> list[str]:
        return dir(self._module())

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    """Return a proxy of module ``name`` that imports it when one of its attributes is first read."""
    return _LazyModule(name)
