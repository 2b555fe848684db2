"""The words and numbers a figure shows, in the language of generated text.

Titles, axis labels, legend entries and annotations of every figure are English messages
looked up in the catalog of :mod:`cxlab.findings.i18n` when the figure is drawn (so
``set_language("ru")`` before plotting gives a Russian figure); a chart kept for redrawing
looks its words up once, when it is built. A value from the user's table is shown as it
is, unless it is a word of cxlab's own vocabulary (the canonical channels, NPS classes,
RFM segment names, and the labels the analysis functions write into their result
tables, listed in :data:`PLOT_VALUES`), which is shown the way the findings' tables show it.

Examples
--------
>>> from cxlab.findings.i18n import use_language
>>> with use_language("ru"):
...     print(vocab("store"), vocab("Самовывоз"), num(4.256, 2), signed(-3.0), pct(0.237).replace(NBSP, " "))
магазин Самовывоз 4,26 −3 24 %
>>> print(vocab("store"), num(4.256, 2), signed(-3.0), pct(0.237))
store 4.26 -3 24%
"""

from __future__ import annotations

from cxlab.findings.i18n import N_, NP_, _, fmt_number, get_language, ngettext

__all__ = ["_", "N_", "NP_", "ngettext", "get_language", "vocab", "num", "count", "signed", "pct", "percent",
           "date_formatter", "localise_numbers", "localise_colorbar",
           "PLOT_VALUES"]

NBSP = "\u00a0"

#: Values the analysis functions write into the tables the figures draw (not in the findings' vocabulary).
PLOT_VALUES = (
    # the canonical tables (cxlab.overview)
    NP_("value", "customers"), NP_("value", "transactions"), NP_("value", "survey_responses"),
    NP_("value", "interactions"), NP_("value", "employee_survey"),
    # the NPS cut-off readings of cxlab.nps.nps_cutoff_sensitivity
    NP_("value", "standard: detractors 0–6, promoters 9–10"), NP_("value", "'below 6' read as 0–5 detractors"),
    NP_("value", "'8 and above' read as promoters"), NP_("value", "both loose: detractors 0–5, promoters 8–10"),
    NP_("value", "'7 and below' read as detractors"),
    # the driver quadrants of cxlab.nps.key_drivers
    NP_("value", "key strength"), NP_("value", "secondary strength"), NP_("value", "low priority"),
    # how survey responses were linked (cxlab.survey_vs_behaviour.link_survey coverage)
    NP_("value", "linked"), NP_("value", "unlinked"), NP_("value", "customer_id"),
    NP_("value", "no customer id, e-mail or phone given"),
    NP_("value", "customer id not found in customers or transactions"),
    NP_("value", "only an e-mail or phone given, and there is no customers table to match it"),
    NP_("value", "e-mail / phone not found among customers"),
    NP_("value", "e-mail / phone shared by several customers"),
    NP_("value", "e-mail / phone given but not a valid address or number"),
    # groups, strategies and classes written by the say-do analysis
    NP_("value", "all"), NP_("value", "stated"), NP_("value", "revealed"),
    # identity resolution: link rules, events of a timeline
    NP_("value", "handle"), NP_("value", "probability"), NP_("value", "review"), NP_("value", "contact"), NP_("value", "survey"),
    NP_("value", "purchase"), NP_("value", "signed up"), NP_("value", "crm"), NP_("value", "unknown"),
    # the channel-audit metrics (cxlab.channels.METRICS labels, the contact-time summaries)
    NP_("value", "CSAT (mean, 1–5)"), NP_("value", "CSAT top-2-box (4–5)"), NP_("value", "CES (mean, 1–7)"),
    NP_("value", "CES top-2-box (6–7)"), NP_("value", "Contact CSAT (mean, 1–5)"),
    NP_("value", "First-contact resolution"), NP_("value", "Complaint rate"),
    NP_("value", "Resolution rate (cases resolved at any contact)"), NP_("value", "Repeat-contact rate"),
    NP_("value", "Wait (median, seconds)"), NP_("value", "Handle time (median, seconds)"),
    # tone features of cxlab.channels.tone_profile
    NP_("value", "greeting"), NP_("value", "formal_you"), NP_("value", "informal_you"),
    NP_("value", "politeness"), NP_("value", "apology"), NP_("value", "sign_off"), NP_("value", "slang"), NP_("value", "by_name"),
    NP_("value", "emoji"), NP_("value", "emoticon"), NP_("value", "exclaims"),
)


def _known() -> frozenset[str]:
    from cxlab.findings.vocabulary import VALUES

    return frozenset(VALUES) | frozenset(PLOT_VALUES)


_KNOWN: frozenset[str] | None = None


def vocab(value, *, readable: bool = False) -> str:
    """A value as shown: a word of cxlab's vocabulary in the active language, any other value unchanged.

    ``readable``: underscores read as spaces (``formal_you`` → ``formal you``) when the value stays as it is.
    """
    global _KNOWN
    text = str(value)
    if get_language() == "en":
        return text.replace("_", " ") if readable else text
    if _KNOWN is None:
        _KNOWN = _known()
    if text not in _KNOWN:  # the user's own category names never pass through the catalog
        return text.replace("_", " ") if readable else text
    from cxlab.findings.format import value_label

    return value_label(text)


def num(value: float, digits: int = 0) -> str:
    """A number with ``digits`` decimals (``4.26``; Russian ``4,26``), no thousands grouping."""
    if get_language() == "en":
        return f"{float(value):.{digits}f}"
    return fmt_number(value, digits, group=False)


def count(value: float) -> str:
    """A count with thousands separators (``12,345``; Russian ``12 345``)."""
    if get_language() == "en":
        return f"{float(value):,.0f}"
    return fmt_number(value, 0)


def signed(value: float, digits: int = 0) -> str:
    """A signed number (``+12``, ``-3.5``; Russian ``+12``, ``−3,5``)."""
    if get_language() == "en":
        return f"{float(value):+.{digits}f}"
    r = round(float(value), digits)
    return ("−" if r < 0 else "+") + fmt_number(abs(r), digits, group=False)


def percent(value: float, digits: int = 0) -> str:
    """A number already in percent (``23.7`` → ``24%``; Russian ``24 %``)."""
    return _("{value}%").format(value=num(value, digits))


def pct(share: float, digits: int = 0) -> str:
    """A share as a percentage (``24%``; Russian ``24 %`` with a no-break space)."""
    if get_language() == "en":
        return f"{float(share):.{digits}%}"
    return fmt_number(float(share) * 100, digits) + NBSP + "%"


#: Month abbreviations as matplotlib writes them (strftime ``%b`` in the C locale) -> Russian (CLDR, stand-alone).
_RU_MONTHS = {"Jan": "янв", "Feb": "фев", "Mar": "мар", "Apr": "апр", "May": "май", "Jun": "июн", "Jul": "июл",
              "Aug": "авг", "Sep": "сен", "Oct": "окт", "Nov": "ноя", "Dec": "дек"}


def date_formatter(locator):
    """A concise date formatter for ``locator`` whose month names follow the active language (Jan → янв).

    The language is read once, when the formatter is made (the figure is built), not on every redraw.

    Examples
    --------
    >>> import datetime
    >>> import matplotlib.dates as mdates
    >>> from cxlab.findings.i18n import use_language
    >>> locator = mdates.MonthLocator()
    >>> with use_language("ru"):
    ...     f = date_formatter(locator)
    >>> days = mdates.date2num([datetime.date(2025, m, 1) for m in (3, 4, 5)])
    >>> f.format_ticks(days)
    ['мар', 'апр', 'май']
    """
    import matplotlib.dates as mdates

    if get_language() == "en":
        return mdates.ConciseDateFormatter(locator)

    def months(text: str) -> str:
        for en, ru in _RU_MONTHS.items():
            text = text.replace(en, ru)
        return text

    class _Formatter(mdates.ConciseDateFormatter):
        def format_ticks(self, values):
            return [months(t) for t in super().format_ticks(values)]

        def get_offset(self):
            return months(super().get_offset())

    return _Formatter(locator)


def _decimal_comma():
    """A matplotlib number formatter writing a decimal comma (made on first use: matplotlib loads lazily)."""
    from matplotlib.ticker import ScalarFormatter

    class DecimalComma(ScalarFormatter):
        def __call__(self, x, pos=None):
            return super().__call__(x, pos).replace(".", ",")

        def get_offset(self):
            return super().get_offset().replace(".", ",")

    return DecimalComma()


def localise_numbers(ax) -> None:
    """Number ticks of ``ax`` with the active language's decimal sign (Russian: ``0,25``); English unchanged.

    The formatter is installed as the axis default, so an axis that later receives dates or
    categories still gets matplotlib's date or category labels.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from cxlab.findings.i18n import use_language
    >>> fig, ax = plt.subplots()
    >>> with use_language("ru"):
    ...     localise_numbers(ax)
    >>> _ = ax.plot([0, 0.5], [1.25, 1.5]); fig.canvas.draw()
    >>> [t.get_text() for t in ax.get_yticklabels()][:3]
    ['1,20', '1,25', '1,30']
    >>> plt.close(fig)
    """
    if get_language() == "en":
        return
    for axis in (ax.xaxis, ax.yaxis):
        if axis.isDefault_majfmt:  # an axis the plot has not formatted itself
            axis.set_major_formatter(_decimal_comma())
            axis.isDefault_majfmt = True  # dates or categories plotted later still bring their own labels


def localise_colorbar(cbar) -> None:
    """A colour bar's numbers with the active language's decimal sign (English unchanged)."""
    if get_language() != "en":
        cbar.formatter = _decimal_comma()
        cbar.update_ticks()
