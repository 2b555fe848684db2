"""The :class:`Finding` every NPS finding returns, and the small wording helpers they share (numbers,
intervals, group and period nouns in English and Russian, which rows may be named).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxlab.findings.format import readable_label, value_label
from cxlab.findings.i18n import N_, _, fmt_number, get_language, noun_phrase

__all__ = ["NO_EVIDENCE", "MISSING_LABEL", "Finding", "score_label"]

NO_EVIDENCE = N_("no evidence of a difference at this sample size")
MISSING_LABEL = "(missing)"


@dataclass(frozen=True)
class Finding:
    """A plain-language finding: Markdown text, whether a test supports it, the numbers used."""

    text: str
    evidence: bool = False
    details: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    n: int | None = None
    method: str | None = None
    interval: str | None = None

    def _repr_markdown_(self) -> str:
        return self.text

    def key(self):
        """This finding as a headline (:func:`cxlab.findings.key_finding`) for the report and the slides.

        Examples
        --------
        >>> f = Finding("**NPS is +22** (95 % CI +20 to +24).", title="NPS is +22", n=3895, method="adjusted Wald")
        >>> print(f.key().footnote())
        n = 3,895; adjusted Wald
        """
        from cxlab.findings.key import key_finding

        return key_finding(self.title or _("Finding"), self.text.replace("**", ""), n=self.n, method=self.method,
                           interval=self.interval, theme="nps")

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- helpers
def _ok(v) -> bool:
    return v is not None and v is not pd.NA and not (isinstance(v, float) and math.isnan(v))


def _num(v, digits: int = 0) -> str:
    return _("not available") if not _ok(v) else fmt_number(v, digits)


def _pct(confidence: float) -> str:
    text = f"{confidence * 100:g}"
    return _("{value} %").format(value=text if get_language() == "en" else text.replace(".", ","))


def _g(value) -> str:
    """A group's name as shown: the user's own value unchanged, cxlab's vocabulary translated."""
    return value_label(value)


def _ci(confidence: float, low: str, high: str) -> str:
    return _("{level} CI {low} to {high}").format(level=_pct(confidence), low=low, high=high)


def score_label(score: str) -> str:
    """How a score column is named in a sentence.

    Examples
    --------
    >>> score_label("likelihood_to_recommend"), score_label("csat"), score_label("attr_staff")
    ('NPS', 'CSAT', 'staff')
    """
    return {"likelihood_to_recommend": "NPS", "csat": "CSAT", "ces": "CES"}.get(score, readable_label(score))


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"


#: Grouping columns that read as nouns ("3 channels"); any other column reads as "3 remote groups".
_NOUNS = {"channel", "country", "region", "store", "shop", "department", "city", "segment", "team", "product",
          "brand", "branch", "office", "site", "market", "tier", "category", "platform", "agent", "language"}


def _noun(grouping: str, n: int, case: str = "nom", *, counted: bool = False) -> str:
    """How ``n`` groups of a grouping column are called.

    English reads ``n`` as singular (1) or plural (any other); Russian declines the noun in
    ``case`` and, when ``counted``, agrees it with the number ``n`` (1 канал, 2 канала,
    5 каналов); a column that is not a known noun reads as groups of that column.

    Examples
    --------
    >>> _noun("channel", 3), _noun("country", 1), _noun("remote", 2), _noun("stated_price_tier", 2)
    ('channels', 'country', 'remote groups', 'stated price tiers')
    >>> from cxlab.findings.i18n import use_language
    >>> with use_language("ru"):
    ...     print(_noun("channel", 5, counted=True), "|", _noun("channel", 2, "ins"), "|", _noun("remote", 21, counted=True))
    каналов | каналами | группа «remote»
    """
    if get_language() != "en":
        word = readable_label(grouping)
        key = str(grouping).lower()
        number = n if counted else None
        many = None if counted else n != 1
        if key in _NOUNS:
            return noun_phrase(key, number, case=case, plural=many)
        return f"{noun_phrase('group', number, case=case, plural=many)} «{word}»"
    word = readable_label(grouping)
    last = word.split(" ")[-1]
    if last.lower() in _NOUNS:
        return _plural(word, n)
    return f"{word} {_plural('group', n)}"


def _shown(table: pd.DataFrame, group: str = "group") -> pd.DataFrame:
    """Rows with a value: not suppressed, not the missing-value group, estimate present."""
    t = table[~table["suppressed"].astype(bool)]
    t = t[t[group].astype(str) != MISSING_LABEL]
    t = t[t[group].notna()]
    return t[t["estimate"].notna()]


def _n_needed(gap, p_promoter, p_detractor, power, confidence) -> int | None:
    if p_promoter is None or p_detractor is None or not _ok(gap) or gap < 1:
        return None
    from cxlab.nps import nps_sample_size

    plan = nps_sample_size([round(float(gap), 1)], p_promoter=float(p_promoter), p_detractor=float(p_detractor),
                           power=power, confidence=confidence)
    return int(plan["n_per_group"].iloc[0])


# --------------------------------------------------------------------------- periods
_PERIOD_NAMES = {"W": "week", "M": "month", "Q": "quarter", "Y": "year", "D": "day"}


def _period(name: str, case: str = "nom", plural: bool = False) -> str:
    return (_plural(name, 2) if plural else name) if get_language() == "en" else noun_phrase(
        name, case=case, plural=plural)
