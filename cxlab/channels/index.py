"""The audit in one place: every metric's channel gaps, flags, a consistency index, a ranked list.

* :func:`audit_gaps` — for every metric available, each channel's gap to the rest of the
  company (raw, or standardised to the channel's customer mix), from the count cells.
* :func:`flag_gaps` — Holm-adjusted p-values over the whole audit; a gap is *flagged* when
  it is significant **and** at least ``tolerance`` standard deviations wide (a material
  difference, not only a detectable one); ``worse`` says whether it goes the bad way.
* :func:`consistency_index` — per metric, the share of answers given in channels that are
  not flagged as *worse* than the rest (100 = no channel materially worse), with the
  largest gap. Only worse gaps count: when one channel is much worse, every other channel
  is "better than the rest" (the rest includes the bad one), which is not an inconsistency
  of those channels.
* :func:`ranked_inconsistencies` — flagged gaps (worse first), largest effect first.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlab import stats as cxs
from cxlab.channels._common import available_metrics, get_metric
from cxlab.channels.adjust import standardised_gaps
from cxlab.channels.metrics import metric_cells

__all__ = ["DEFAULT_GAP_TOLERANCE", "audit_gaps", "flag_gaps", "consistency_index", "ranked_inconsistencies"]

#: Smallest gap worth acting on, in standard deviations of the metric (Cohen's "small" is 0.2).
DEFAULT_GAP_TOLERANCE = 0.2


def audit_gaps(survey: pd.DataFrame | None = None, interactions: pd.DataFrame | None = None, *,
               metrics: Sequence[str] | None = None, covariates: Sequence[str] = (), channel: str = "channel",
               confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE) -> pd.DataFrame:
    """Each channel's gap to the rest of the company on every metric.

    Parameters
    ----------
    survey, interactions
        Canonical tables (either may be ``None``).
    metrics
        Metric names; default every metric whose column is present.
    covariates
        Columns to standardise on (direct standardisation, see
        :func:`~cxlab.channels.adjust.standardised_gaps`); those absent from a table are
        skipped for that table. Empty: raw gaps.
    channel, confidence, min_base
        As elsewhere.

    Returns
    -------
    pandas.DataFrame
        ``metric``, ``label``, ``unit``, ``higher_is_better``, ``adjusted_for`` and the
        columns of :func:`~cxlab.channels.adjust.standardised_gaps`.

    Examples
    --------
    >>> from cxlab.datasets import load_example
    >>> demo = load_example()
    >>> gaps = audit_gaps(demo.survey_responses, demo.interactions, metrics=["nps", "fcr"])
    >>> print(consistency_index(gaps)[["metric", "index", "flagged"]].round(1).to_string(index=False))
    metric  index flagged
       nps   79.9   phone
       fcr   76.2   phone
    """
    parts = []
    for source, frame in (("survey_responses", survey), ("interactions", interactions)):
        if frame is None or len(frame) == 0 or channel not in frame.columns:
            continue
        present = available_metrics(frame, source)
        for name in (m for m in (metrics or present) if m in present):
            m = get_metric(name)
            cov = [c for c in covariates if c in frame.columns]
            cells = metric_cells(frame, name, channel=channel, strata=cov)
            g = standardised_gaps(cells, strata=cov, confidence=confidence, min_base=min_base)
            g.insert(0, "metric", name)
            g.insert(1, "label", m.label)
            g.insert(2, "unit", m.unit)
            g.insert(3, "higher_is_better", m.higher_is_better)
            g.insert(4, "adjusted_for", ", ".join(cov) if cov else "none")
            parts.append(g)
    if not parts:
        return pd.DataFrame(columns=["metric", "label", "unit", "higher_is_better", "adjusted_for", "channel", "n",
                                     "estimate", "rest", "gap", "se", "ci_low", "ci_high", "statistic", "p_value",
                                     "effect_size", "method", "coverage"])
    return pd.concat(parts, ignore_index=True)


def flag_gaps(gaps: pd.DataFrame, *, tolerance: float = DEFAULT_GAP_TOLERANCE, alpha: float = 0.05,
              adjust: str = "holm") -> pd.DataFrame:
    """Add ``p_adjusted``, ``worse`` and ``flagged`` to a gap table.

    ``p_adjusted`` adjusts every p-value of the table as one family (default Holm).
    ``flagged``: ``p_adjusted < alpha`` and ``|effect_size| >= tolerance``. ``worse``: the
    gap goes the bad way for the metric (lower, or higher for a complaint rate).

    Examples
    --------
    >>> g = pd.DataFrame({"metric": ["nps", "nps"], "channel": ["phone", "web"], "gap": [-30.0, 3.0],
    ...                   "p_value": [1e-8, 0.4], "effect_size": [-0.4, 0.04], "higher_is_better": [True, True]})
    >>> print(flag_gaps(g)[["channel", "p_adjusted", "worse", "flagged"]].to_string(index=False))
    channel   p_adjusted  worse  flagged
      phone 2.000000e-08   True     True
        web 4.000000e-01  False    False
    """
    out = gaps.copy()
    out["p_adjusted"] = cxs.adjust_pvalues(out["p_value"].to_numpy(dtype=float), method=adjust)
    hib = out["higher_is_better"].to_numpy(dtype=bool) if "higher_is_better" in out.columns else np.ones(len(out), bool)
    gap = out["gap"].to_numpy(dtype=float)
    out["worse"] = np.where(hib, gap < 0, gap > 0)
    eff = np.abs(out["effect_size"].to_numpy(dtype=float))
    out["flagged"] = (out["p_adjusted"].to_numpy() < alpha) & (eff >= tolerance)
    return out


def consistency_index(gaps: pd.DataFrame, *, tolerance: float = DEFAULT_GAP_TOLERANCE, alpha: float = 0.05,
                      adjust: str = "holm") -> pd.DataFrame:
    """A consistency index per metric: the share of answers given in channels not materially worse.

    A channel counts against the index when its gap to the rest is flagged (significant
    after Holm and at least ``tolerance`` SD) **and** goes the bad way.

    Returns
    -------
    pandas.DataFrame
        One row per metric: ``metric``, ``label``, ``channels`` (tested), ``n``,
        ``index`` (0–100: % of answers in channels not flagged as worse), ``flagged`` (the
        channels flagged as worse, text), ``better`` (flagged as better, text),
        ``largest_gap`` (the gap of largest effect, in the metric's unit), ``largest_gap_channel``,
        ``largest_effect`` (in standard deviations).
    """
    f = flag_gaps(gaps, tolerance=tolerance, alpha=alpha, adjust=adjust)
    rows = []
    for metric, g in f.groupby("metric", sort=False):
        t = g[g["gap"].notna()]
        n = t["n"].to_numpy(dtype=float)
        bad = t["flagged"].to_numpy(dtype=bool) & t["worse"].to_numpy(dtype=bool)
        ok = ~bad
        effect = np.abs(t["effect_size"].to_numpy(dtype=float))
        # a metric whose every channel is suppressed or constant has no effect size: nothing to name
        j = int(np.nanargmax(effect)) if len(t) and np.isfinite(effect).any() else None
        rows.append({"metric": metric, "label": g["label"].iloc[0] if "label" in g else metric,
                     "channels": len(t), "n": int(n.sum()),
                     "index": 100.0 * float(n[ok].sum() / n.sum()) if n.sum() else np.nan,
                     "flagged": ", ".join(t.loc[bad, "channel"].astype(str)) or "none",
                     "better": ", ".join(t.loc[t["flagged"] & ~t["worse"], "channel"].astype(str)) or "none",
                     "largest_gap": float(t["gap"].iloc[j]) if j is not None else np.nan,
                     "largest_gap_channel": str(t["channel"].iloc[j]) if j is not None else None,
                     "largest_effect": float(t["effect_size"].iloc[j]) if j is not None else np.nan})
    return pd.DataFrame(rows)


def ranked_inconsistencies(gaps: pd.DataFrame, *, tolerance: float = DEFAULT_GAP_TOLERANCE, alpha: float = 0.05,
                           adjust: str = "holm", only_flagged: bool = True) -> pd.DataFrame:
    """Gaps ranked for action: flagged ones, worse-than-the-rest first, largest effect first.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`flag_gaps` (only flagged ones unless ``only_flagged=False``),
        sorted, with a ``rank`` column from 1.
    """
    f = flag_gaps(gaps, tolerance=tolerance, alpha=alpha, adjust=adjust)
    f = f[f["gap"].notna()]
    if only_flagged:
        f = f[f["flagged"]]
    f = f.assign(_abs=f["effect_size"].abs()).sort_values(["flagged", "worse", "_abs"], ascending=False,
                                                           kind="stable").drop(columns="_abs")
    f.insert(0, "rank", np.arange(1, len(f) + 1))
    return f.reset_index(drop=True)

