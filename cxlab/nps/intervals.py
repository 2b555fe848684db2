"""NPS with its standard error and interval, from a count table: by group, by method, by cut-off."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlab import stats as cxs
from cxlab.errors import CXLabError
from cxlab.nps.counts import (
    _COUNT_COLS,
    _WEIGHT_COLS,
    DEFAULT_SCORE,
    _check_counts,
    _check_cutoffs,
    _check_method,
    _group_columns,
    score_counts,
)
from cxlab.privacy.disclosure import table_complementary

__all__ = ["nps_from_counts", "nps_table", "nps_intervals", "nps_cutoff_sensitivity"]


def _class_sums(matrix: np.ndarray, dmax: int, pmin: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = np.asarray(matrix, dtype=float)
    return m[:, : dmax + 1].sum(axis=1), m[:, dmax + 1: pmin].sum(axis=1), m[:, pmin:].sum(axis=1)


@dataclass(frozen=True)
class _Classes:
    """Class totals of a count table: unweighted counts, weighted shares, sample sizes."""

    n: np.ndarray            # scored responses (unweighted)
    counts: np.ndarray       # (G, 3) unweighted detractor / passive / promoter counts
    shares: np.ndarray       # (G, 3) weighted shares (fractions)
    n_eff: np.ndarray        # effective n (Kish) or n
    n_missing: np.ndarray


def _classes(counts: pd.DataFrame, dmax: int, pmin: int, use_weights: bool | None = None) -> _Classes:
    weighted = _check_counts(counts)
    if use_weights is None:
        use_weights = weighted
    c = counts[_COUNT_COLS].to_numpy(dtype=float)
    d, pa, pr = _class_sums(c, dmax, pmin)
    cls = np.column_stack([d, pa, pr])
    n = c.sum(axis=1)
    n_missing = counts["count_missing"].to_numpy(dtype=float) if "count_missing" in counts else np.zeros(len(c))
    if use_weights and weighted:
        wm = counts[_WEIGHT_COLS].to_numpy(dtype=float)
        wd, wpa, wpr = _class_sums(wm, dmax, pmin)
        wtot = wd + wpa + wpr
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.column_stack([wd, wpa, wpr]) / wtot[:, None]
        n_eff = cxs.kish_from_sums(wtot, counts["weight_sq"].to_numpy(dtype=float))
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = cls / n[:, None]
        n_eff = n.copy()
    return _Classes(n=n, counts=cls, shares=shares, n_eff=n_eff, n_missing=n_missing)


def _progress(iterable, total: int, desc: str, enabled: bool):
    if not enabled or total < 2:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False)


def _intervals(cls: _Classes, ci: str, confidence: float, n_resamples: int, seed, progress: bool) -> dict:
    d, pr = cls.shares[:, 0], cls.shares[:, 2]
    if ci in ("wald", "adjusted_wald"):
        res = cxs.nps_interval(cls.shares[:, 0] * cls.n_eff, cls.shares[:, 1] * cls.n_eff,
                               cls.shares[:, 2] * cls.n_eff, method=ci, confidence=confidence)
        res["estimate"] = (pr - d) * 100
        return res
    rng = np.random.default_rng(seed)
    rows = range(len(cls.n))
    est, se, lo, hi = (np.full(len(cls.n), np.nan) for _ in range(4))
    for i in _progress(rows, len(cls.n), "bootstrap", progress):
        if not cls.n_eff[i] >= 2:
            continue
        r = cxs.nps_bootstrap_bca(*(cls.shares[i] * cls.n_eff[i]), confidence=confidence,
                                  n_resamples=n_resamples, random_state=rng)
        se[i], lo[i], hi[i] = r["se"], r["ci_low"], r["ci_high"]
    return {"n": cls.n_eff, "estimate": (pr - d) * 100, "se": se, "ci_low": lo, "ci_high": hi}


def nps_from_counts(counts: pd.DataFrame, *, detractor_max: int = 6, promoter_min: int = 9,
                    ci: str = "adjusted_wald", confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE,
                    low_base: int = cxs.DEFAULT_LOW_BASE, use_weights: bool | None = None,
                    n_resamples: int = 2000, seed: int | None = 0, progress: bool = True,
                    complementary: bool | None = None) -> pd.DataFrame:
    """NPS with standard error and interval for every row of a count table.

    Parameters
    ----------
    counts
        A table from :func:`score_counts` (or built elsewhere with the same columns).
    detractor_max, promoter_min
        Cut-offs (standard 6 and 9).
    ci
        Interval method: ``"adjusted_wald"`` (default; Rocks 2016), ``"wald"`` or
        ``"bootstrap"`` (BCa, multinomial resampling of the counts).
    confidence
        Confidence level.
    min_base, low_base
        Rows with fewer than ``min_base`` scored responses are suppressed (estimate, shares
        and interval set to NaN); rows below ``low_base`` are flagged.
    complementary
        Also hide the smallest shown groups when the suppressed ones could otherwise be
        derived from the total by subtraction (complementary suppression, see
        :func:`cxlab.privacy.disclosure.complementary_suppression`). ``None`` (default):
        for tables split by a grouping column (within each period when there is one);
        ``False``: never.
    use_weights
        Use the weighted columns when present (default ``None``: when present).
    n_resamples, seed
        Bootstrap settings.
    progress
        Show a progress bar while bootstrapping many groups.

    Returns
    -------
    pandas.DataFrame
        The group columns, then ``n`` (scored responses), ``n_missing`` (responses with
        no score), ``n_effective`` (Kish's effective n with weights, else ``n``),
        ``detractors``, ``passives``, ``promoters`` (unweighted counts; missing for
        suppressed rows, whose NPS they would give away),
        ``pct_detractors``, ``pct_passives``, ``pct_promoters`` (weighted shares, %),
        ``estimate`` (NPS, points), ``se``, ``ci_low``, ``ci_high`` (points; ``se`` is
        that of the chosen method), ``suppressed``, ``complementary`` (hidden only to
        protect smaller groups; also ``suppressed``) and ``low_base`` (booleans).
        Interval ends are truncated to −100..+100 (the R package ``NPS`` leaves them
        unclipped; :func:`cxlab.stats.nps_interval` gives the raw values).

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "channel": ["store"] * 60 + ["web"] * 40,
    ...     "likelihood_to_recommend": [10] * 25 + [8] * 20 + [4] * 15 + [9] * 12 + [7] * 10 + [2] * 18})
    >>> counts = score_counts(survey, by="channel")
    >>> table = nps_from_counts(counts, min_base=30)
    >>> print(table[["channel", "n", "estimate", "ci_low", "ci_high", "low_base"]].round(1).to_string())
      channel   n  estimate  ci_low  ci_high  low_base
    0   store  60      16.7    -3.8     35.5      True
    1     web  40     -15.0   -39.2     11.3      True
    """
    dmax, pmin = _check_cutoffs(detractor_max, promoter_min)
    _check_method(ci)
    cls = _classes(counts, dmax, pmin, use_weights)
    res = _intervals(cls, ci, confidence, n_resamples, seed, progress)
    flags = cxs.base_flags(cls.n, min_base=min_base, low_base=low_base)
    names = _group_columns(counts)
    out = counts[names].reset_index(drop=True).copy()
    extra = table_complementary(out, names, cls.n, flags.suppressed, min_base=min_base, complementary=complementary)
    out["n"] = cls.n.astype(np.int64)
    out["n_missing"] = cls.n_missing.astype(np.int64)
    out["n_effective"] = cls.n_eff
    hide = flags.suppressed | extra
    for j, name in enumerate(("detractors", "passives", "promoters")):
        # a hidden group's class counts would give its NPS exactly: blanked with the estimate
        counts_j = cls.counts[:, j].astype(np.int64)
        out[name] = np.where(hide, np.nan, counts_j) if hide.any() else counts_j
    for j, name in enumerate(("pct_detractors", "pct_passives", "pct_promoters")):
        out[name] = np.where(hide, np.nan, cls.shares[:, j] * 100)
    # an interval end beyond ±100 is impossible; truncating keeps the coverage unchanged
    res["ci_low"] = np.clip(res["ci_low"], -100.0, 100.0)
    res["ci_high"] = np.clip(res["ci_high"], -100.0, 100.0)
    for name in ("estimate", "se", "ci_low", "ci_high"):
        out[name] = np.where(hide, np.nan, res[name])
    out["suppressed"] = hide
    out["complementary"] = extra
    out["low_base"] = flags.low_base
    return out


def nps_table(data: pd.DataFrame, *, score: str = DEFAULT_SCORE, by=None, period: str | None = None,
              date: str = "submitted_at", weight: str | None = None, ci: str = "adjusted_wald",
              confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE,
              low_base: int = cxs.DEFAULT_LOW_BASE, detractor_max: int = 6, promoter_min: int = 9,
              n_resamples: int = 2000, seed: int | None = 0, progress: bool = True,
              complementary: bool | None = None) -> pd.DataFrame:
    """NPS by group (or overall) with class shares, standard error, interval and base flags.

    Parameters
    ----------
    data
        Survey responses (or an employee survey, for eNPS).
    score
        The 0–10 column.
    by
        Grouping column(s); ``None`` for one overall row.
    period, date
        Also group by calendar period (``"W"``, ``"M"``, ``"Q"``, ``"Y"``) of ``date``.
    weight
        Survey-weight column: shares are weighted and intervals use Kish's effective n.
    ci, confidence, min_base, low_base, detractor_max, promoter_min, n_resamples, seed, progress, complementary
        As in :func:`nps_from_counts`.

    Returns
    -------
    pandas.DataFrame
        Columns as in :func:`nps_from_counts`.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "channel": ["store"] * 60 + ["web"] * 40,
    ...     "likelihood_to_recommend": [10] * 25 + [8] * 20 + [4] * 15 + [9] * 12 + [7] * 10 + [2] * 18})
    >>> table = nps_table(survey, by="channel")
    >>> print(table[["channel", "n", "pct_promoters", "pct_detractors", "estimate", "ci_low", "ci_high"]].round(1)
    ...       .to_string())
      channel   n  pct_promoters  pct_detractors  estimate  ci_low  ci_high
    0   store  60           41.7            25.0      16.7    -3.8     35.5
    1     web  40           30.0            45.0     -15.0   -39.2     11.3
    """
    counts = score_counts(data, score=score, by=by, period=period, date=date, weight=weight)
    return nps_from_counts(counts, detractor_max=detractor_max, promoter_min=promoter_min, ci=ci,
                           confidence=confidence, min_base=min_base, low_base=low_base,
                           n_resamples=n_resamples, seed=seed, progress=progress, complementary=complementary)


def nps_intervals(data: pd.DataFrame, *, score: str = DEFAULT_SCORE, weight: str | None = None,
                  confidence: float = 0.95, detractor_max: int = 6, promoter_min: int = 9,
                  n_resamples: int = 5000, seed: int | None = 0) -> pd.DataFrame:
    """One NPS with its interval by all three methods, side by side.

    Parameters
    ----------
    data
        Survey responses (or a count table from :func:`score_counts` with one row).
    score, weight, confidence, detractor_max, promoter_min, n_resamples, seed
        As in :func:`nps_table`.

    Returns
    -------
    pandas.DataFrame
        One row per method (``wald``, ``adjusted_wald``, ``bootstrap``): ``method``,
        ``n``, ``n_effective``, ``estimate``, ``se``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "channel": ["store"] * 60 + ["web"] * 40,
    ...     "likelihood_to_recommend": [10] * 25 + [8] * 20 + [4] * 15 + [9] * 12 + [7] * 10 + [2] * 18})
    >>> print(nps_intervals(survey[survey["channel"] == "store"], n_resamples=2000).round(1).to_string())
              method     n  n_effective  estimate    se  ci_low  ci_high
    0           wald  60.0         60.0      16.7  10.3    -3.6     36.9
    1  adjusted_wald  60.0         60.0      16.7  10.0    -3.8     35.5
    2      bootstrap  60.0         60.0      16.7  10.1    -5.0     36.7
    """
    if all(c in data.columns for c in _COUNT_COLS):
        counts = data
    else:
        counts = score_counts(data, score=score, weight=weight)
    if len(counts) != 1:
        raise CXLabError("nps_intervals works on one group; the count table has several rows",
                         fix="filter the data to one group, or use nps_table(by=...)")
    rows = []
    for method in ("wald", "adjusted_wald", "bootstrap"):
        t = nps_from_counts(counts, detractor_max=detractor_max, promoter_min=promoter_min, ci=method,
                            confidence=confidence, min_base=0, low_base=0, n_resamples=n_resamples, seed=seed,
                            progress=False)
        rows.append({"method": method, **t[["n", "n_effective", "estimate", "se", "ci_low", "ci_high"]].iloc[0]})
    return pd.DataFrame(rows)


#: Cut-off variants people arrive at when they read loose descriptions of the NPS.
_CUTOFF_VARIANTS: dict[str, tuple[int, int]] = {
    "standard: detractors 0–6, promoters 9–10": (6, 9),
    "'below 6' read as 0–5 detractors": (5, 9),
    "'8 and above' read as promoters": (6, 8),
    "both loose: detractors 0–5, promoters 8–10": (5, 8),
    "'7 and below' read as detractors": (7, 9),
}


def nps_cutoff_sensitivity(data: pd.DataFrame, *, score: str = DEFAULT_SCORE, by=None,
                           variants: Mapping[str, tuple[int, int]] | None = None, weight: str | None = None,
                           confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE) -> pd.DataFrame:
    """How much the NPS moves when the cut-offs are read differently.

    Parameters
    ----------
    data
        Survey responses, or a count table from :func:`score_counts`.
    score, by, weight, confidence, min_base
        As in :func:`nps_table`.
    variants
        ``{label: (detractor_max, promoter_min)}``; the first is the reference. Default:
        the standard cut-offs and four common misreadings.

    Returns
    -------
    pandas.DataFrame
        One row per variant (and group): the group columns, ``variant``,
        ``detractor_max``, ``promoter_min``, ``n``, ``estimate``, ``ci_low``, ``ci_high``
        and ``difference`` (points versus the first variant).

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "channel": ["store"] * 60 + ["web"] * 40,
    ...     "likelihood_to_recommend": [10] * 25 + [8] * 20 + [4] * 15 + [9] * 12 + [7] * 10 + [2] * 18})
    >>> t = nps_cutoff_sensitivity(survey)
    >>> print(t[["variant", "estimate", "difference"]].round(1).to_string())
                                          variant  estimate  difference
    0    standard: detractors 0–6, promoters 9–10       4.0         0.0
    1            'below 6' read as 0–5 detractors       4.0         0.0
    2             '8 and above' read as promoters      24.0        20.0
    3  both loose: detractors 0–5, promoters 8–10      24.0        20.0
    4            '7 and below' read as detractors      -6.0       -10.0
    """
    variants = dict(variants or _CUTOFF_VARIANTS)
    if not variants:
        raise CXLabError("no cut-off variants given", fix="pass e.g. {'standard': (6, 9)}")
    counts = data if all(c in data.columns for c in _COUNT_COLS) else score_counts(
        data, score=score, by=by, weight=weight)
    groups = _group_columns(counts)
    parts = []
    for label, (dmax, pmin) in variants.items():
        t = nps_from_counts(counts, detractor_max=dmax, promoter_min=pmin, confidence=confidence,
                            min_base=min_base, progress=False)
        t = t[groups + ["n", "estimate", "ci_low", "ci_high"]].copy()
        t.insert(len(groups), "variant", label)
        t.insert(len(groups) + 1, "detractor_max", dmax)
        t.insert(len(groups) + 2, "promoter_min", pmin)
        parts.append(t)
    ref = parts[0]["estimate"].to_numpy()
    for t in parts:
        t["difference"] = t["estimate"].to_numpy() - ref
    return pd.concat(parts, ignore_index=True)
