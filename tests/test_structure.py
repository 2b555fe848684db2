"""The package keeps the shape a newcomer can read (issue 11): no module over about 600 lines, and no
function over 60 lines of code unless it says why, in a comment under its docstring that starts with
``# Long by design:``.

Lines of code of a function are its non-blank lines that are not comments, signature included, docstring
excluded. Vendored code (``cxlab/_vendor``) is not ours and is not checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cxlab"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
MARKER = "# Long by design:"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_vendor" not in p.relative_to(PACKAGE).parts)


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{line}"


def _docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> range:
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return range(first.lineno, first.end_lineno + 1)
    return range(0)


def code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> int:
    """Non-blank, non-comment lines from ``def`` to the end of the body, the docstring left out."""
    doc = _docstring_lines(node)
    return sum(1 for i in range(node.lineno, node.end_lineno + 1)
               if i not in doc and lines[i - 1].strip() and not lines[i - 1].lstrip().startswith("#"))


def states_a_reason(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    """A ``# Long by design: <reason>`` comment right under the docstring (or the signature)."""
    doc = _docstring_lines(node)
    body = node.body[1:] if doc else node.body
    first = body[0].lineno if body else node.end_lineno + 1
    start = doc.stop if doc else node.lineno + 1
    for line in lines[start - 1:first - 1]:  # comments between the docstring (or signature) and the code
        text = line.strip()
        if text.startswith(MARKER):
            return len(text) > len(MARKER) + 10  # a reason, not just the words
    return False


def test_code_lines_counts_code_only():
    src = 'def f(a,\n      b):\n    """Doc.\n\n    More.\n    """\n    # a comment\n\n    x = 1\n    return x\n'
    node = ast.parse(src).body[0]
    assert code_lines(node, src.splitlines()) == 4
    marked = 'def g():\n    """Doc."""\n    # Long by design: one recipe read top to bottom.\n    return 1\n'
    node = ast.parse(marked).body[0]
    assert states_a_reason(node, marked.splitlines())
    bare = 'def g():\n    """Doc."""\n    # Long by design:\n    return 1\n'
    assert not states_a_reason(ast.parse(bare).body[0], bare.splitlines())


def test_no_module_over_600_lines():
    offenders = []
    for path in _modules():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_MODULE_LINES:
            offenders.append(f"{_where(path, 1)} has {n} lines")
    if offenders:
        pytest.fail(f"modules over {MAX_MODULE_LINES} lines (split them by topic; the package __init__ "
                    "re-exports):\n" + "\n".join(offenders), pytrace=False)


def test_long_functions_state_why():
    offenders = []
    for path in _modules():
        src = path.read_text(encoding="utf-8")
        lines = src.splitlines()
        for node in ast.walk(ast.parse(src)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            n = code_lines(node, lines)
            if n > MAX_FUNCTION_LINES and not states_a_reason(node, lines):
                offenders.append(f"{_where(path, node.lineno)} {node.name}: {n} lines of code")
    if offenders:
        pytest.fail(f"functions over {MAX_FUNCTION_LINES} lines of code without a '{MARKER} <reason>' comment "
                    "under the docstring (split them into steps, or say why not):\n" + "\n".join(offenders),
                    pytrace=False)
