"""Behavioural segmentation: RFM summary and scores, named segments, best customers,
clustering with profiles and stability, and segment migration.

Modules (each re-exported here): :mod:`cxlab.rfm` (the per-customer RFM summary with
the Fader-Hardie definitions, shared with :mod:`cxlab.clv`), ``scores`` (marketing RFM
scores 1–5 and named segments), ``concentration`` (Gini, Lorenz, top shares),
``clusters`` (features, k-means/GMM, profiles, choice of k, stability), ``migration``
and ``playbook``.

This package never imports matplotlib, seaborn or ipywidgets; figures live in
:mod:`cxlab.plots.segments`, the explorer in :mod:`cxlab.widgets.segments`.
"""

from cxlab.rfm import _dense_codes, calibration_and_holdout, rfm_summary  # _dense_codes: tested directly
from cxlab.engine.segments import customer_features  # pandas -> clusters.customer_features; other engines counted there
from cxlab.segmentation.clusters import (
    Segmentation,
    choose_k,
    cluster_customers,
    cluster_stability,
    default_cluster_columns,
    profile_table,
)
from cxlab.segmentation.concentration import gini, lorenz_curve, top_share_table
from cxlab.segmentation.migration import migration_matrix
from cxlab.segmentation.playbook import DEFAULT_PLAYBOOK, segment_playbook
from cxlab.segmentation.scores import (
    DEFAULT_SEGMENT_RULES,
    SEGMENT_ORDER,
    overdue,
    quantile_cut_points,
    rfm_grid,
    rfm_scores,
    rfm_segments,
    rfm_table,
    segment_summary,
)

__all__ = [
    "rfm_summary",
    "calibration_and_holdout",
    "rfm_table",
    "rfm_scores",
    "quantile_cut_points",
    "overdue",
    "rfm_segments",
    "rfm_grid",
    "segment_summary",
    "DEFAULT_SEGMENT_RULES",
    "SEGMENT_ORDER",
    "gini",
    "lorenz_curve",
    "top_share_table",
    "customer_features",
    "default_cluster_columns",
    "profile_table",
    "Segmentation",
    "cluster_customers",
    "choose_k",
    "cluster_stability",
    "migration_matrix",
    "DEFAULT_PLAYBOOK",
    "segment_playbook",
]
