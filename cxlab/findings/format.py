"""One client-ready style for every table a notebook or report shows.

:func:`style_table` formats a tidy result table by its column vocabulary (``n``,
``estimate``, ``ci_low``, ``p_value``, ``share``...): signed scores, percentages, counts
without decimals, p-values as "< 0.001", suppressed or missing cells as "–", readable
column labels and no index numbers. The small ``fmt_*`` helpers give the same text in
sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

import pandas as pd

from cxlab.findings.i18n import N_, _, fmt_number, get_language

__all__ = ["style_table", "readable_label", "value_label", "fmt_p", "fmt_pct", "fmt_signed", "fmt_count", "DASH",
           "LABELS"]

DASH = "–"

#: Column labels for the shared vocabulary; anything else is made readable by :func:`readable_label`.
LABELS: dict[str, str] = {
    "n": "n", "n_effective": N_("effective n"), "estimate": N_("estimate"), "se": N_("SE"), "ci_low": N_("CI low"),
    "ci_high": N_("CI high"), "p_value": "p", "p_adjusted": N_("p (adjusted)"), "statistic": N_("statistic"),
    "effect_size": N_("effect size"), "low_base": N_("low base"), "pct_promoters": N_("% promoters"),
    "pct_passives": N_("% passives"), "pct_detractors": N_("% detractors"), "dof": N_("df"),
}

_SIGNED = re.compile(r"^(estimate|ci_low|ci_high|change|gap|difference|nps|.*_gap|.*_change|adjusted|raw)$")
_COUNT = re.compile(r"^(n|n_.*|.*_n|count|.*_count|rows.*|customers|responses|size)$")
_SHARE = re.compile(r"^(share|.*_share|share_.*|rate|.*_rate)$")
_PCT = re.compile(r"^(pct_.*|.*_pct|percent.*)$")
_P = re.compile(r"^(p|p_value|p_adjusted|p_.*)$")


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def fmt_p(p: float | None, *, prefix: bool = True) -> str:
    """A p-value the way a report writes it.

    Examples
    --------
    >>> fmt_p(0.00002), fmt_p(0.0234), fmt_p(0.5), fmt_p(float("nan"))
    ('p < 0.001', 'p = 0.023', 'p = 0.50', 'p not computed')
    """
    if _missing(p):
        return _("p not computed") if prefix else DASH
    p = float(p)
    if p < 0.001:
        text = "< " + fmt_number(0.001, 3)
        return f"p {text}" if prefix else text
    text = fmt_number(p, 3 if p < 0.1 else 2)
    return f"p = {text}" if prefix else text


def fmt_signed(v: float | None, digits: int = 0) -> str:
    """A signed number (NPS points, changes): ``+12``, ``−3``, ``0``.

    Examples
    --------
    >>> fmt_signed(12.4), fmt_signed(-3.26, 1), fmt_signed(0.2), fmt_signed(None)
    ('+12', '−3.3', '0', '–')
    """
    if _missing(v):
        return DASH
    r = round(float(v), digits)
    if r == 0:
        return fmt_number(0, digits)
    return f"{'+' if r > 0 else '−'}{fmt_number(abs(r), digits)}"


def fmt_pct(v: float | None, digits: int = 0, *, share: bool = True) -> str:
    """A percentage from a share (0.237 → ``24%``) or, with ``share=False``, from a percent.

    Examples
    --------
    >>> fmt_pct(0.237), fmt_pct(23.7, 1, share=False), fmt_pct(float("nan"))
    ('24%', '23.7%', '–')
    """
    if _missing(v):
        return DASH
    return _("{value}%").format(value=fmt_number(float(v) * (100 if share else 1), digits))


def fmt_count(v) -> str:
    """A count with thousands separators and no decimals.

    Examples
    --------
    >>> fmt_count(12345.0), fmt_count(None)
    ('12,345', '–')
    """
    if _missing(v):
        return DASH
    return fmt_number(float(v), 0)


def value_label(value) -> str:
    """A value of cxlab's own vocabularies (channels, NPS classes, segment names...) in the active language.

    Values from the user's file that are not in the vocabulary (their own category names)
    are returned unchanged, and so is every value in English.

    Examples
    --------
    >>> from cxlab.findings.i18n import use_language
    >>> with use_language("ru"):
    ...     print(value_label("store"), value_label("promoter"), value_label("Москва"), value_label(3))
    магазин промоутер Москва 3
    """
    if get_language() == "en" or not isinstance(value, str):
        return value if isinstance(value, str) else str(value)
    from cxlab.findings.i18n import _catalog

    return _catalog(get_language()).pgettext("value", value)


def readable_label(column: str) -> str:
    """A column name as a reader expects it: ``attr_delivery`` → ``delivery``, ``p_adjusted`` → ``p (adjusted)``.

    Examples
    --------
    >>> readable_label("attr_delivery"), readable_label("likelihood_to_recommend"), readable_label("ci_low")
    ('delivery', 'likelihood to recommend', 'CI low')
    """
    column = str(column)
    if column in LABELS:
        return _(LABELS[column])
    text = re.sub(r"^attr_", "", column)
    return _(text.replace("_", " ").strip())


def _formatter(column: str, signed_digits: int, digits: int):
    c = str(column).lower()
    if _P.match(c):
        return lambda v: fmt_p(v, prefix=False)
    if _COUNT.match(c):
        return fmt_count
    if _PCT.match(c):
        return lambda v: fmt_pct(v, 0, share=False)
    if _SHARE.match(c):
        return lambda v: fmt_pct(v, 0)
    if _SIGNED.match(c):
        return lambda v: fmt_signed(v, signed_digits)
    return lambda v: DASH if _missing(v) else (fmt_number(v, digits) if isinstance(v, float) else _cell(v))


def _cell(v) -> str:
    return value_label(v) if isinstance(v, str) else str(v)


def style_table(df: pd.DataFrame, *, columns: Iterable[str] | None = None, labels: Mapping[str, str] | None = None,
                signed_digits: int = 0, digits: int = 2, formats: Mapping[str, object] | None = None,
                caption: str | None = None):
    """Client-ready view of a result table (a pandas ``Styler``; the data are not changed).

    Parameters
    ----------
    df
        A tidy result table.
    columns
        Columns to show, in order (default: all).
    labels
        Extra column labels ``{"column": "label"}``.
    signed_digits, digits
        Decimals for signed scores (NPS, changes) and for other floats.
    formats
        Per-column format strings or callables that override the vocabulary.
    caption
        A caption above the table.

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["shop", "phone"], "n": [412.0, 18.0], "estimate": [31.6, None],
    ...                   "p_value": [0.0004, None], "share": [0.958, 0.042],
    ...                   "first": pd.to_datetime(["2025-01-31", None])})
    >>> style_table(t).data
      channel    n estimate        p share       first
    0    shop  412      +32  < 0.001   96%  2025-01-31
    1   phone   18        –        –    4%           –
    """
    view = df.loc[:, list(columns)] if columns is not None else df.copy()
    view = view.reset_index(drop=True)
    shown = pd.DataFrame(index=view.index)
    over = dict(formats or {})
    for col in view.columns:
        fmt = over.get(col)
        if fmt is None:
            f = _formatter(col, signed_digits, digits)
        elif callable(fmt):
            f = lambda v, fmt=fmt: DASH if _missing(v) else fmt(v)  # noqa: E731
        else:
            f = lambda v, fmt=fmt: DASH if _missing(v) else fmt.format(v)  # noqa: E731
        s = view[col]
        if fmt is None and pd.api.types.is_datetime64_any_dtype(s):
            stamps = s.dropna()
            midnight = bool(len(stamps)) and bool((stamps == stamps.dt.normalize()).all())
            pattern = "%Y-%m-%d" if midnight or not len(stamps) else "%Y-%m-%d %H:%M"
            shown[col] = s.dt.strftime(pattern).fillna(DASH)
            continue
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if s.dtype == bool or str(s.dtype) == "boolean":
            yes = _("yes")
            shown[col] = s.map(lambda v, yes=yes: DASH if _missing(v) else (yes if v else ""))
        else:
            shown[col] = s.map(f)
    names = {**{c: readable_label(c) for c in shown.columns}, **{k: _(v) for k, v in (labels or {}).items()}}
    shown = shown.rename(columns=names)
    styler = shown.style.format(escape="html").hide(axis="index")  # data never becomes markup
    if caption:
        styler = styler.set_caption(_(caption))
    return styler
