"""Channel-consistency audit: is the experience the same in every channel?

Store, web, phone, chat, e-mail, social and messengers are compared on the same metrics;
where they differ, the audit separates how much is the channel and how much is who uses
it, compares the same person across channels, and checks that the company *sounds* the
same everywhere.

Modules (each re-exported here, so ``cxlab.channels.channel_metrics`` is the way to call them):

* ``metrics`` — per-channel NPS (:func:`cxlab.nps.nps_table`), CSAT and CES on their own
  scales (means from :func:`cxlab.nps.rating_table`, top-2-box shares),
  contact CSAT, first-contact resolution, complaint rate, wait and handle times, each with
  n and an interval; the count cells everything else reads; person ids from identity
  resolution;
* ``cases`` — one person's contacts about one issue grouped into cases: the resolution
  rate (resolved at any contact) and the repeat-contact rate;
* ``tests`` — homogeneity: chi-square with Cramér's V, Kruskal–Wallis, pairwise with Holm,
  funnel-plot limits;
* ``adjust`` — mix adjustment: regression with robust errors and direct standardisation;
* ``within`` — the same person across channels: mixed model, Friedman, Cochran's Q;
* ``voice`` — brand-voice tone features from editable lexicons, profile and divergence;
* ``preference`` — channel preference by segment and age cohort; sales / reputation /
  communication scorecard;
* ``index`` — the consistency index and the ranked list of inconsistencies.

Nothing here imports matplotlib or ipywidgets: figures are in :mod:`cxlab.plots.channels`,
the explorer in :mod:`cxlab.widgets.channels`, sentences in :mod:`cxlab.findings.channels`.
"""

from cxlab.channels._common import (
    INTERACTION_METRICS,
    METRICS,
    SURVEY_METRICS,
    TOPIC_WORDS,
    Metric,
    available_metrics,
    metric_values,
    person_key,
)
from cxlab.channels.adjust import (
    DEFAULT_COVARIATES,
    mix_adjusted_gaps,
    regression_gaps,
    respondent_context,
    standardised_gaps,
)
from cxlab.channels.cases import DEFAULT_CASE_WINDOW_DAYS, case_outcomes
from cxlab.channels.index import (
    DEFAULT_GAP_TOLERANCE,
    audit_gaps,
    consistency_index,
    flag_gaps,
    ranked_inconsistencies,
)
from cxlab.channels.metrics import (
    MISSING_LABEL,
    attach_person_ids,
    channel_metrics,
    metric_cells,
    time_summary,
)
from cxlab.channels.preference import COHORTS, PreferenceResult, age_cohort, channel_preference, channel_scorecard
from cxlab.channels.tests import answer_counts, funnel_limits, homogeneity_tests, pairwise_channels
from cxlab.channels.voice import (
    DEFAULT_TOLERANCE,
    LEXICON_FEATURES,
    TEXT_FEATURES,
    TONE_LEXICONS,
    tone_divergence,
    tone_features,
    tone_profile,
)
from cxlab.channels.within import WithinResult, multi_channel_rows, within_person_effects, within_person_tests

__all__ = [
    "Metric", "METRICS", "SURVEY_METRICS", "TOPIC_WORDS", "INTERACTION_METRICS", "available_metrics", "metric_values", "person_key",
    "channel_metrics", "time_summary", "metric_cells", "attach_person_ids", "MISSING_LABEL",
    "case_outcomes", "DEFAULT_CASE_WINDOW_DAYS",
    "answer_counts", "homogeneity_tests", "pairwise_channels", "funnel_limits",
    "DEFAULT_COVARIATES", "respondent_context", "standardised_gaps", "regression_gaps", "mix_adjusted_gaps",
    "WithinResult", "within_person_effects", "within_person_tests", "multi_channel_rows",
    "TONE_LEXICONS", "LEXICON_FEATURES", "TEXT_FEATURES", "DEFAULT_TOLERANCE", "tone_features", "tone_profile",
    "tone_divergence",
    "COHORTS", "age_cohort", "channel_preference", "channel_scorecard", "PreferenceResult",
    "DEFAULT_GAP_TOLERANCE", "audit_gaps", "flag_gaps", "consistency_index", "ranked_inconsistencies",
]
