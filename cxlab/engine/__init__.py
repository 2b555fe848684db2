"""Aggregate where the data lives: the heavy counting steps on pandas, Polars, DuckDB or Spark.

Every statistic in cxlab is a function of a small table — NPS score counts by group and
period, rating counts, a channel × answer contingency table, the per-customer RFM summary,
the purchases of surveyed customers, identity key frequencies. The functions here compute
those tables wherever the data is and return them as small pandas frames that the
statistics then use unchanged:

* **pandas** input takes the kit's own fastest path (numpy over category codes,
  :func:`cxlab.nps.score_counts`, :func:`cxlab.rfm.rfm_summary`);
* **Polars** (eager or lazy), **DuckDB** relations and **PySpark** DataFrames are aggregated
  natively through `narwhals <https://narwhals-dev.github.io/narwhals/>`_ ``group_by``/``agg``;
  only the summary is collected.

The public analysis functions (:func:`cxlab.nps.nps_table`, :func:`cxlab.nps.score_counts`,
:func:`cxlab.segmentation.rfm_summary`, :func:`cxlab.channels.answer_counts` ...) dispatch here
when given a frame that is not pandas, so ``cxlab.nps.nps_table(spark_df, by="channel")``
works. Larger-than-memory files: :func:`cxlab.scan`.

Optional engines are extras: ``pip install 'cxlab[polars]'``, ``'cxlab[duckdb]'``,
``'cxlab[spark]'``; a missing one raises :class:`cxlab.errors.CXLabError` saying so.
"""

from cxlab.engine._frame import engine_name, is_pandas, require_module
from cxlab.engine.behaviour import customer_profile
from cxlab.engine.nps import rating_counts, score_counts
from cxlab.engine.rfm import rfm_summary
from cxlab.engine.scanning import scan, scan_summary
from cxlab.engine.segments import (calibration_and_holdout, customer_features, customer_ids, has_values, rfm_table,
                                   time_range, window_counts)
from cxlab.engine.tables import answer_counts, behaviour_around, key_counts

__all__ = ["engine_name", "is_pandas", "require_module", "score_counts", "rating_counts", "rfm_summary",
           "answer_counts", "behaviour_around", "key_counts", "scan", "scan_summary", "rfm_table",
           "customer_features", "calibration_and_holdout", "time_range", "has_values", "window_counts", "customer_ids",
           "customer_profile"]
