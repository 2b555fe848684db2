"""Interactive explorers (ipywidgets). Each factory returns a widget; it never displays it.

Widgets are thin wrappers over the pure analysis functions: a callback reads a small
pre-aggregated table and redraws an existing figure, so it stays fast on millions of rows.
"""

__all__: list[str] = []
