"""Plain-language findings for the NPS notebook, each claiming only what its test supports.

Every function takes result tables of the analysis modules (:mod:`cxlab.nps`,
:mod:`cxlab.nps.ratings`, :mod:`cxlab.nps.changes`, :mod:`cxlab.text`) and returns a
:class:`Finding`: a Markdown sentence (``.text``), whether a significant test stands
behind its claim (``.evidence``) and the numbers it used (``.details``), which the
to-do list (:func:`todo_list`) reads instead of re-deciding.

Rules kept throughout:

* a group is only called "lowest" or "behind" when the test across groups is
  significant and at least one Holm-adjusted pairwise test puts it below another group;
  otherwise the finding says there is **no evidence of a difference at this sample size**
  and how many responses per group would be needed to detect the gap observed;
* groups without a value (``(missing)``) and suppressed groups (below the minimum base)
  are never named as highest or lowest;
* a table whose cells are all below the minimum base says so;
* one period means no trend, and the finding says so;
* no sentence contains ``nan``: missing numbers are written as words.

Modules: :mod:`~cxlab.findings.nps.base` (:class:`Finding` and shared wording),
:mod:`~cxlab.findings.nps.score` (overall NPS, eNPS, cut-offs, sample size),
:mod:`~cxlab.findings.nps.groups` (group differences, customer mix),
:mod:`~cxlab.findings.nps.periods` (trend, last period), :mod:`~cxlab.findings.nps.reasons`
(drivers, comment themes), :mod:`~cxlab.findings.nps.ratings` (CSAT, CES) and
:mod:`~cxlab.findings.nps.todo` (the to-do list); all names are importable from here.
"""

from __future__ import annotations

from cxlab.findings.nps.base import NO_EVIDENCE, Finding, score_label
from cxlab.findings.nps.groups import group_differences, mix_gap
from cxlab.findings.nps.periods import period_change, trend
from cxlab.findings.nps.ratings import rating_groups, rating_overall
from cxlab.findings.nps.reasons import drivers, themes
from cxlab.findings.nps.score import cutoff_sensitivity, enps, overall_nps, sample_size
from cxlab.findings.nps.todo import todo_list

__all__ = [
    "Finding",
    "NO_EVIDENCE",
    "score_label",
    "cutoff_sensitivity",
    "overall_nps",
    "group_differences",
    "mix_gap",
    "trend",
    "period_change",
    "sample_size",
    "drivers",
    "themes",
    "enps",
    "rating_overall",
    "rating_groups",
    "todo_list",
]
