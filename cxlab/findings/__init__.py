"""Plain-language findings and client-ready tables, generated from result tables.

One module per theme (``cxlab.findings.nps``, ``.segmentation``, ``.clv``,
``.survey_vs_behaviour``...) turns the tidy result tables of the analysis modules into
the sentences the notebooks and reports print, and :mod:`cxlab.findings.format` gives
every notebook the same table style. A finding only claims what its test supports; when
the evidence is not there it says so. Nothing here computes a statistic.
"""

from cxlab.findings.i18n import LANGUAGES, get_language, set_language, use_language
from cxlab.findings.format import fmt_count, fmt_p, fmt_pct, fmt_signed, readable_label, style_table
from cxlab.findings.key import FINDING_MIME, KeyFinding, key_finding

__all__ = ["key_finding", "KeyFinding", "FINDING_MIME", "style_table", "readable_label", "fmt_p", "fmt_pct",
           "fmt_signed", "fmt_count", "LANGUAGES", "set_language", "get_language", "use_language"]
