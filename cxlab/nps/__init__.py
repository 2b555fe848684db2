"""Net Promoter Score analysis done properly.

The likelihood-to-recommend question (0 = not at all likely … 10 = extremely likely)
sorts respondents into **detractors** (0–6), **passives** (7–8) and **promoters**
(9–10), Bain's standard cut-offs. NPS = % promoters − % detractors, from −100 to +100.

Everything here is computed from a *count table*: one row per group (and period), one
column per score 0–10. :func:`score_counts` builds it in one pass over the rows with
``np.bincount`` on category codes; every other function (scores, intervals, tables by
group, comparisons, trends) works on those few numbers. That is what makes a table by
channel × month over ten million responses take a fraction of a second, lets the
cut-offs change without touching the rows again, and lets a count table aggregated in
another engine (DuckDB, Spark) be analysed here unchanged.

The same functions serve employee NPS (eNPS): pass the employee survey and its score
column.

Modules (each re-exported here, so ``cxlab.nps.nps_table`` is the way to call them):
``counts`` (the count table, classification), ``intervals`` (NPS with intervals, by
group, method or cut-off), ``compare`` (two groups, many groups), ``trend`` (by period),
``planning`` (sample size, margin of error), ``drivers`` (key-driver analysis), ``ratings``
(CSAT / CES and other rating scales as means and top-2-box; the scale guard that keeps NPS
cut-offs off them; a survey's score and grouping columns), ``changes`` (what changed in a
period: ratings and comment themes, each with its test).
"""

from cxlab.nps.changes import rating_shift, theme_shift
from cxlab.nps.compare import NPSComparison, compare_nps, nps_pairwise
from cxlab.nps.counts import (
    CI_METHODS,
    DEFAULT_SCORE,
    NPS_CLASSES,
    classify_nps,
    score_counts,
    sum_counts,
)
from cxlab.nps.drivers import DEFAULT_DRIVERS, DriverAnalysis, key_drivers
from cxlab.nps.intervals import (
    nps_cutoff_sensitivity,
    nps_from_counts,
    nps_intervals,
    nps_table,
)
from cxlab.nps.planning import nps_margin_of_error, nps_sample_size
from cxlab.nps.ratings import (
    check_nps_scale,
    compare_ratings,
    grouping_columns,
    nps_column,
    attribute_columns,
    rating_columns,
    rating_scale,
    rating_table,
    score_columns,
)
from cxlab.nps.trend import nps_trend

__all__ = [
    "DEFAULT_SCORE",
    "NPS_CLASSES",
    "CI_METHODS",
    "classify_nps",
    "score_counts",
    "sum_counts",
    "nps_from_counts",
    "nps_table",
    "nps_intervals",
    "nps_cutoff_sensitivity",
    "compare_nps",
    "nps_pairwise",
    "NPSComparison",
    "nps_trend",
    "nps_sample_size",
    "nps_margin_of_error",
    "key_drivers",
    "DriverAnalysis",
    "DEFAULT_DRIVERS",
    "rating_table",
    "compare_ratings",
    "rating_scale",
    "check_nps_scale",
    "score_columns",
    "nps_column",
    "attribute_columns",
    "rating_columns",
    "grouping_columns",
    "rating_shift",
    "theme_shift",
]
