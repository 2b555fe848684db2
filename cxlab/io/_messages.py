"""Messages in the words of the interface the user typed: Python arguments or command-line flags.

:func:`cxlab.io.read` writes its advice with Python argument names (``sheet_name='Данные'``,
``columns={'#4': 'csat'}``); ``cxlab validate`` passes every message through
:func:`for_command_line`, which rewrites them as the flags of that command
(``--sheet 'Данные'``, ``--column '#4=csat'``).
"""

from __future__ import annotations

import re

__all__ = ["for_command_line"]

_PAIR = re.compile(r"""(['"])(.*?)\1\s*:\s*(None|(['"])(.*?)\4|<[^>]*>|'[^']*')""")


def _mapping(flag: str, body: str) -> str:
    out = []
    for m in _PAIR.finditer(body):
        key = m.group(2)
        value = m.group(5) if m.group(4) else ("" if m.group(3) == "None" else m.group(3))
        out.append(f"{flag} '{key}={value}'")
    return " ".join(out) if out else f"{flag} 'HEADER=NAME'"


_RULES: list[tuple[re.Pattern, object]] = [
    (re.compile(r"columns=\{([^{}]*)\}"), lambda m: _mapping("--column", m.group(1))),
    (re.compile(r"channel_map=\{([^{}]*)\}"), lambda m: _mapping("--channel", m.group(1))),
    (re.compile(r"\bcolumns="), lambda m: "--column"),
    (re.compile(r"\bchannel_map="), lambda m: "--channel"),
    (re.compile(r"\bsheet_name=('[^']*'|\"[^\"]*\"|\d+)"), lambda m: f"--sheet {m.group(1)}"),
    (re.compile(r"\bsheet_name="), lambda m: "--sheet"),
    (re.compile(r"\bleave encoding=None\b"), lambda m: "leave out --encoding"),
    (re.compile(r"\bencoding=('[^']*'|\"[^\"]*\")"), lambda m: f"--encoding {m.group(1)}"),
    (re.compile(r"\bencoding=(?=['.]|\s|$)"), lambda m: "--encoding"),
    (re.compile(r"\bsep=('[^']*'|\"[^\"]*\")"), lambda m: f"--sep {m.group(1)}"),
    (re.compile(r"\bdayfirst=False\b"), lambda m: "--month-first"),
    (re.compile(r"\bdecimal=('[^']*'|\"[^\"]*\")"), lambda m: f"--decimal {m.group(1)}"),
    (re.compile(r"\bdecimal="), lambda m: "--decimal"),
    (re.compile(r"\bdate_format=('[^']*'|\"[^\"]*\")"), lambda m: f"--date-format {m.group(1)}"),
    (re.compile(r"\bdate_format="), lambda m: "--date-format"),
    (re.compile(r"\bplausible_dates=\(([^()]*)\)"),
     lambda m: "--plausible-dates " + ":".join(p.strip().strip("'\"") for p in m.group(1).split(",")[:2])),
    (re.compile(r"\bplausible_dates="), lambda m: "--plausible-dates"),
]


def for_command_line(text: str) -> str:
    """Rewrite Python argument advice as ``cxlab validate`` flags.

    Examples
    --------
    >>> for_command_line("pass sheet_name='Данные', or columns={'#4': 'csat'}")
    "pass --sheet 'Данные', or --column '#4=csat'"
    >>> for_command_line("pass decimal=',' or decimal='.' to say which")
    "pass --decimal ',' or --decimal '.' to say which"
    """
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text
