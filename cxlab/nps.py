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
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as _st

from cxlab import stats as cxs
from cxlab.errors import CXLabError

__all__ = [
    "DEFAULT_SCORE",
    "NPS_CLASSES",
    "CI_METHODS",
    "classify_nps",
    "score_counts",
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
]

DEFAULT_SCORE = "likelihood_to_recommend"
NPS_CLASSES: tuple[str, ...] = ("detractor", "passive", "promoter")
CI_METHODS: tuple[str, ...] = ("adjusted_wald", "wald", "bootstrap")
DEFAULT_DRIVERS: tuple[str, ...] = ("attr_quality", "attr_assortment", "attr_price", "attr_staff", "attr_delivery")

_SCALE_MAX = 10
_NSLOT = _SCALE_MAX + 2  # scores 0..10 plus one slot for a missing score
_COUNT_COLS = [f"count_{s}" for s in range(_SCALE_MAX + 1)]
_WEIGHT_COLS = [f"weight_{s}" for s in range(_SCALE_MAX + 1)]
_META_COLS = set(_COUNT_COLS) | set(_WEIGHT_COLS) | {"count_missing", "weight_sq"}
_PERIOD_ALIASES = {"D": "D", "day": "D", "W": "W", "week": "W", "M": "M", "ME": "M", "month": "M",
                   "Q": "Q", "QE": "Q", "quarter": "Q", "Y": "Y", "YE": "Y", "A": "Y", "year": "Y"}


# ----------------------------------------------------------------- validation
def _check_cutoffs(detractor_max: int, promoter_min: int) -> tuple[int, int]:
    ok = (isinstance(detractor_max, (int, np.integer)) and isinstance(promoter_min, (int, np.integer))
          and 0 <= detractor_max < promoter_min <= _SCALE_MAX)
    if not ok:
        raise CXLabError(
            f"NPS cut-offs must be whole numbers with 0 <= detractor_max < promoter_min <= 10, got "
            f"detractor_max={detractor_max!r}, promoter_min={promoter_min!r}",
            fix="use the standard detractor_max=6, promoter_min=9 unless your programme defines others",
        )
    return int(detractor_max), int(promoter_min)


def _check_method(ci: str) -> str:
    if ci not in CI_METHODS:
        raise CXLabError(f"unknown interval method {ci!r}", fix=f"use one of {', '.join(CI_METHODS)}")
    return ci


def _as_list(by) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _require_columns(data: pd.DataFrame, columns: Iterable[str], what: str = "the data") -> None:
    if not isinstance(data, pd.DataFrame):
        raise CXLabError(f"expected a pandas DataFrame, got {type(data).__name__}",
                         fix="pass the survey table (e.g. demo.survey_responses)")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise CXLabError(
            f"{what} has no column(s) {', '.join(map(repr, missing))}",
            column=missing[0],
            fix=f"pick from the available columns: {', '.join(map(str, data.columns[:30]))}",
        )


def _score_slots(series: pd.Series, name: str, expect_missing: list | None = None) -> np.ndarray:
    """Scores as int16 slots 0..10, with 11 for a missing score; bad values raise.

    When ``expect_missing`` is a list and the only doubt is whether slot 11 holds real
    11s, the number of missing scores is appended to it and the caller must check that
    slot 11 counts exactly that many (``score_counts`` does, from its counts).
    """
    if isinstance(series.dtype, pd.CategoricalDtype) or not (
        pd.api.types.is_numeric_dtype(series.dtype) or series.dtype == object
    ):
        raise CXLabError(f"the score column must hold numbers 0–10, it has dtype {series.dtype}",
                         column=name, fix="convert it with pd.to_numeric or load the file through cxlab.io")
    unreadable = np.zeros(len(series), dtype=bool)
    if series.dtype == object:
        coerced = pd.to_numeric(series, errors="coerce")
        unreadable = (series.notna() & coerced.isna()).to_numpy()
        original, series = series, coerced.astype("float64")
    if pd.api.types.is_integer_dtype(series.dtype):
        # nullable Int8/Int16 or plain integers: a range check by reduction first, the
        # element-wise search for bad rows only when the range is wrong. Missing scores
        # fill slot 11; a real 11 is told apart by counting the missing values.
        values = series.to_numpy(dtype=np.int16, na_value=_SCALE_MAX + 1)
        in_range = len(values) == 0 or (values.min() >= 0 and values.max() <= _SCALE_MAX)
        if not in_range and values.min() >= 0 and values.max() == _SCALE_MAX + 1:
            if expect_missing is not None:
                # the caller counts slot 11 anyway and compares it with the number missing
                expect_missing.append(len(series) - int(series.count()))
                return values
            in_range = int(np.count_nonzero(values == _SCALE_MAX + 1)) == int(series.isna().sum())
        if in_range:
            bad = np.zeros(len(values), dtype=bool)
        else:
            raw = series.to_numpy(dtype=float, na_value=np.nan)
            bad = ~np.isnan(raw) & ((raw < 0) | (raw > _SCALE_MAX))
    else:
        raw = series.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(raw)
        bad = ~missing & ((raw < 0) | (raw > _SCALE_MAX) | (raw != np.round(raw)))
        values = np.where(missing | bad, _SCALE_MAX + 1, raw).astype(np.int16)
    bad = bad | unreadable
    if bad.any():
        rows = np.flatnonzero(bad)
        shown = (original if unreadable.any() else series).iloc[rows[:5]].tolist()
        raise CXLabError(
            f"{rows.size} score(s) are not whole numbers from 0 to 10 (e.g. {shown})",
            column=name,
            rows=(rows + 1).tolist(),
            fix="fix or drop these rows; scores must be 0–10 (row numbers count data rows from 1)",
        )
    return values


def _weights(data: pd.DataFrame, weight: str) -> np.ndarray:
    w = pd.to_numeric(data[weight], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(w) | (w < 0) | np.isinf(w)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise CXLabError(f"{rows.size} weight(s) are missing, negative or not numbers", column=weight,
                         rows=(rows + 1).tolist(),
                         fix="give every response a non-negative weight (1 when unweighted)")
    return w


# ----------------------------------------------------------------- classification
def classify_nps(scores, *, detractor_max: int = 6, promoter_min: int = 9) -> pd.Series:
    """Classify 0–10 scores as detractor / passive / promoter.

    Parameters
    ----------
    scores
        Series (or array-like) of likelihood-to-recommend scores 0–10; missing allowed.
    detractor_max
        Highest score counted as a detractor (Bain's standard: 6).
    promoter_min
        Lowest score counted as a promoter (standard: 9).

    Returns
    -------
    pandas.Series
        Ordered categorical with categories ``detractor < passive < promoter``; missing
        scores stay missing. Same index as ``scores``.

    Examples
    --------
    >>> classify_nps(pd.Series([0, 6, 7, 8, 9, 10])).tolist()
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']
    """
    dmax, pmin = _check_cutoffs(detractor_max, promoter_min)
    s = scores if isinstance(scores, pd.Series) else pd.Series(scores)
    slots = _score_slots(s, s.name or "score")
    lut = np.full(_NSLOT, -1, dtype=np.int8)
    lut[: dmax + 1] = 0
    lut[dmax + 1: pmin] = 1
    lut[pmin: _SCALE_MAX + 1] = 2
    cat = pd.Categorical.from_codes(lut[slots], categories=list(NPS_CLASSES), ordered=True)
    return pd.Series(cat, index=s.index, name="nps_class")


# ----------------------------------------------------------------- counting
def _column_codes(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(), pd.Index(series.cat.categories)
    codes, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
    return codes, pd.Index(uniques)


def _period_codes(series: pd.Series, period: str, name: str) -> tuple[np.ndarray, pd.Index]:
    freq = _PERIOD_ALIASES.get(period)
    if freq is None:
        raise CXLabError(f"unknown period {period!r}", fix="use 'W' (week), 'M' (month), 'Q' (quarter), 'Y' or 'D'")
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        raise CXLabError(f"the date column must hold dates/times, it has dtype {series.dtype}", column=name,
                         fix="convert it with pd.to_datetime or load the file through cxlab.io")
    if getattr(series.dtype, "tz", None) is not None:
        series = series.dt.tz_localize(None)
    ns = series.to_numpy(dtype="datetime64[ns]").view(np.int64)
    nat = ns == np.iinfo(np.int64).min
    any_nat = bool(nat.any())
    if any_nat and nat.all():
        return np.full(ns.shape, -1, dtype=np.int32), pd.Index(pd.PeriodIndex([], freq=freq))
    days = ns // 86_400_000_000_000  # day number since 1970-01-01 (floor, also before 1970)
    valid_days = days[~nat] if any_nat else days
    d0, d1 = int(valid_days.min()), int(valid_days.max())
    # period ordinal of every calendar day in range, then one gather (much faster than
    # numpy's datetime64[M] casts, which do calendar arithmetic element by element)
    span = np.arange(d0, d1 + 1, dtype=np.int64)
    if freq == "D":
        lut = span
    elif freq == "W":
        lut = (span + 3) // 7 + 1  # pandas' W-SUN ordinal: weeks run Monday..Sunday
    else:
        as_days = span.astype("datetime64[D]")
        if freq == "Y":
            lut = as_days.astype("datetime64[Y]").astype(np.int64)
        else:
            lut = as_days.astype("datetime64[M]").astype(np.int64)
            if freq == "Q":
                lut = lut // 3
    lo, hi = int(lut[0]), int(lut[-1])
    lut = (lut - lo).astype(np.int32)
    idx = days - d0
    if any_nat:
        idx[nat] = 0
    codes = lut[idx]
    if any_nat:
        codes[nat] = -1
    labels = pd.PeriodIndex.from_ordinals(np.arange(lo, hi + 1), freq=freq)
    return codes, pd.Index(labels)


def score_counts(data: pd.DataFrame, *, score: str = DEFAULT_SCORE, by=None, period: str | None = None,
                 date: str = "submitted_at", weight: str | None = None) -> pd.DataFrame:
    """Count responses per group and score (0–10): the table every NPS statistic comes from.

    One pass over the rows: group columns become integer codes (categoricals use their
    codes directly; other columns are factorised), they are combined with the score into
    one code, and ``np.bincount`` counts them.

    Parameters
    ----------
    data
        Survey responses, one row per response.
    score
        The 0–10 likelihood-to-recommend column.
    by
        Column name or list of names to group by (``None``: one overall row). Rows with a
        missing group value form their own group (label missing), so nothing is lost.
    period
        Also group by calendar period of ``date``: ``"W"``, ``"M"``, ``"Q"``, ``"Y"`` or
        ``"D"``. The period becomes a column named ``period`` (pandas ``Period``).
    date
        Timestamp column used for ``period``.
    weight
        Optional survey-weight column; adds weighted counts and the sum of squared
        weights, from which Kish's effective sample size follows.

    Returns
    -------
    pandas.DataFrame
        One row per observed group: the ``by`` columns (and ``period``), ``count_0`` …
        ``count_10`` (responses per score), ``count_missing`` (responses without a score);
        with ``weight`` also ``weight_0`` … ``weight_10`` (sum of weights per score) and
        ``weight_sq`` (sum of squared weights over scored responses).

    Examples
    --------
    >>> from cxlab.datasets import load_example
    >>> counts = score_counts(load_example().survey_responses, by="channel")
    >>> int(counts[[f"count_{s}" for s in range(11)]].to_numpy().sum()) > 0
    True
    """
    by_cols = _as_list(by)
    needed = [score, *by_cols] + ([date] if period else []) + ([weight] if weight else [])
    _require_columns(data, needed, "the survey table")
    if "period" in by_cols and period:
        raise CXLabError("a 'by' column is named 'period', which clashes with period=", column="period",
                         fix="rename that column or leave period=None")
    expect_missing: list = []
    slots = _score_slots(data[score], score, expect_missing)
    codes_list, levels_list, names = [], [], []
    for col in by_cols:
        c, lev = _column_codes(data[col])
        codes_list.append(c)
        levels_list.append(lev)
        names.append(col)
    if period:
        c, lev = _period_codes(data[date], period, date)
        codes_list.append(c)
        levels_list.append(lev)
        names.append("period")

    # mixed-radix combination of the group codes; the last level of each is "missing"
    cards = [len(lev) + 1 for lev in levels_list]
    n_groups = int(np.prod(cards, dtype=np.float64)) if cards else 1
    # the narrowest integers that hold every cell key: int16 for typical tables (a quarter of
    # the memory traffic of int64), int32 while the dense table fits, int64 beyond
    span = n_groups * _NSLOT
    itype = np.int16 if span < 2**15 - 1 else np.int32 if span < 2**31 - 1 else np.int64
    combined = None
    for c, k in zip(codes_list, cards, strict=True):
        c = c.astype(itype, copy=False)
        if len(c) and c.min() < 0:
            c = np.where(c < 0, itype(k - 1), c)
        combined = c if combined is None else combined * itype(k) + c
    if combined is None:
        combined = np.zeros(len(data), dtype=itype)

    w = _weights(data, weight) if weight else None
    if n_groups * _NSLOT <= 1 << 26:
        group_ids = np.arange(n_groups, dtype=np.int64)
        inverse = combined
    else:  # too many combinations for a dense table: count only the observed ones
        group_ids, inverse = np.unique(combined, return_inverse=True)
    cell = inverse * inverse.dtype.type(_NSLOT) + slots
    size = len(group_ids) * _NSLOT
    counts = np.bincount(cell, minlength=size).reshape(-1, _NSLOT)
    if expect_missing and int(counts[:, _SCALE_MAX + 1].sum()) != expect_missing[0]:
        _score_slots(data[score], score)  # some scores are 11: find the rows and raise
    keep = counts.sum(axis=1) > 0
    out = {}
    kept_ids = group_ids[keep]
    # decode group labels
    rem = kept_ids.copy()
    decoded = []
    for k in reversed(cards):
        decoded.append(rem % k)
        rem = rem // k
    decoded.reverse()
    for name, lev, codes_k, k in zip(names, levels_list, decoded, cards, strict=True):
        is_missing = codes_k == k - 1
        safe = np.where(is_missing, 0, codes_k)
        if len(lev):
            values = lev.take(safe)
        else:
            values = pd.Index([pd.NA] * len(safe), dtype=object)
        col = pd.Series(values, copy=False)
        if is_missing.any():
            col = col.where(~is_missing)
        if name != "period" and isinstance(data[name].dtype, pd.CategoricalDtype):
            col = pd.Series(pd.Categorical(col, dtype=data[name].dtype))
        out[name] = col.reset_index(drop=True)
    table = pd.DataFrame(out)
    kept = counts[keep]
    for s in range(_SCALE_MAX + 1):
        table[f"count_{s}"] = kept[:, s]
    table["count_missing"] = kept[:, _SCALE_MAX + 1]
    if w is not None:
        valid = slots <= _SCALE_MAX
        wsum = np.bincount(cell, weights=w, minlength=size).reshape(-1, _NSLOT)[keep]
        wsq = np.bincount(inverse, weights=np.where(valid, w * w, 0.0), minlength=len(group_ids))[keep]
        for s in range(_SCALE_MAX + 1):
            table[f"weight_{s}"] = wsum[:, s]
        table["weight_sq"] = wsq
    return table


def _group_columns(counts: pd.DataFrame) -> list[str]:
    return [c for c in counts.columns if c not in _META_COLS]


def _check_counts(counts: pd.DataFrame) -> bool:
    if not isinstance(counts, pd.DataFrame):
        raise CXLabError("expected a count table (a DataFrame from score_counts)", fix="build it with score_counts")
    missing = [c for c in _COUNT_COLS if c not in counts.columns]
    if missing:
        raise CXLabError(f"the count table lacks {', '.join(missing)}", column=missing[0],
                         fix="build it with cxlab.nps.score_counts (one column count_0 … count_10 per score)")
    weighted = all(c in counts.columns for c in _WEIGHT_COLS) and "weight_sq" in counts.columns
    return weighted


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
                    n_resamples: int = 2000, seed: int | None = 0, progress: bool = True) -> pd.DataFrame:
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
        ``detractors``, ``passives``, ``promoters`` (unweighted counts),
        ``pct_detractors``, ``pct_passives``, ``pct_promoters`` (weighted shares, %),
        ``estimate`` (NPS, points), ``se``, ``ci_low``, ``ci_high`` (points; ``se`` is
        that of the chosen method), ``suppressed`` and ``low_base`` (booleans).
        Interval ends are truncated to −100..+100 (the R package ``NPS`` leaves them
        unclipped; :func:`cxlab.stats.nps_interval` gives the raw values).
    """
    dmax, pmin = _check_cutoffs(detractor_max, promoter_min)
    _check_method(ci)
    cls = _classes(counts, dmax, pmin, use_weights)
    res = _intervals(cls, ci, confidence, n_resamples, seed, progress)
    flags = cxs.base_flags(cls.n, min_base=min_base, low_base=low_base)
    out = counts[_group_columns(counts)].reset_index(drop=True).copy()
    out["n"] = cls.n.astype(np.int64)
    out["n_missing"] = cls.n_missing.astype(np.int64)
    out["n_effective"] = cls.n_eff
    for j, name in enumerate(("detractors", "passives", "promoters")):
        out[name] = cls.counts[:, j].astype(np.int64)
    hide = flags.suppressed
    for j, name in enumerate(("pct_detractors", "pct_passives", "pct_promoters")):
        out[name] = np.where(hide, np.nan, cls.shares[:, j] * 100)
    # an interval end beyond ±100 is impossible; truncating keeps the coverage unchanged
    res["ci_low"] = np.clip(res["ci_low"], -100.0, 100.0)
    res["ci_high"] = np.clip(res["ci_high"], -100.0, 100.0)
    for name in ("estimate", "se", "ci_low", "ci_high"):
        out[name] = np.where(hide, np.nan, res[name])
    out["suppressed"] = hide
    out["low_base"] = flags.low_base
    return out


def nps_table(data: pd.DataFrame, *, score: str = DEFAULT_SCORE, by=None, period: str | None = None,
              date: str = "submitted_at", weight: str | None = None, ci: str = "adjusted_wald",
              confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE,
              low_base: int = cxs.DEFAULT_LOW_BASE, detractor_max: int = 6, promoter_min: int = 9,
              n_resamples: int = 2000, seed: int | None = 0, progress: bool = True) -> pd.DataFrame:
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
    ci, confidence, min_base, low_base, detractor_max, promoter_min, n_resamples, seed, progress
        As in :func:`nps_from_counts`.

    Returns
    -------
    pandas.DataFrame
        Columns as in :func:`nps_from_counts`.

    Examples
    --------
    >>> from cxlab.datasets import load_example
    >>> t = nps_table(load_example().survey_responses, by="channel")
    >>> {"n", "estimate", "ci_low", "ci_high", "low_base"} <= set(t.columns)
    True
    """
    counts = score_counts(data, score=score, by=by, period=period, date=date, weight=weight)
    return nps_from_counts(counts, detractor_max=detractor_max, promoter_min=promoter_min, ci=ci,
                           confidence=confidence, min_base=min_base, low_base=low_base,
                           n_resamples=n_resamples, seed=seed, progress=progress)


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


# ----------------------------------------------------------------- differences
def _difference(a: dict, b: dict, method: str, z: float) -> dict:
    """NPS difference a − b from class shares and effective n of two independent samples.

    ``a``/``b`` hold arrays ``d``, ``pa``, ``pr`` (shares) and ``n`` (effective n).
    Wald: unpooled variance. Adjusted Wald: pseudo-observations (¾, 3/2, ¾) added to
    both samples before the Wald interval, as the R package ``NPS`` does in its
    two-sample ``nps_test``; the estimate reported stays the raw difference.
    """
    def adj(s):
        if method == "adjusted_wald":
            m = s["n"] + 3.0
            return (s["d"] * s["n"] + 0.75) / m, (s["pr"] * s["n"] + 0.75) / m, m
        return s["d"], s["pr"], s["n"]

    da, pa_, ma = adj(a)
    db, pb_, mb = adj(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        var_a = cxs.nps_variance(pa_, da) / ma
        var_b = cxs.nps_variance(pb_, db) / mb
        se = np.sqrt(var_a + var_b)
        centre = (pa_ - da) - (pb_ - db)
        raw = (a["pr"] - a["d"]) - (b["pr"] - b["d"])
        stat, p = cxs.two_sample_z(centre, se)
        # Cohen's d on the −1/0/+1 respondent scores (pooled SD)
        sd_a = np.sqrt(cxs.nps_variance(a["pr"], a["d"]))
        sd_b = np.sqrt(cxs.nps_variance(b["pr"], b["d"]))
        d_eff = cxs.cohens_d(a["pr"] - a["d"], b["pr"] - b["d"], sd_a, sd_b, a["n"], b["n"])
    return {"estimate": raw * 100, "se": se * 100, "statistic": stat, "p_value": p,
            "ci_low": (centre - z * se) * 100, "ci_high": (centre + z * se) * 100, "effect_size": d_eff}


def _side(cls: _Classes, idx) -> dict:
    idx = np.asarray(idx)
    return {"d": cls.shares[idx, 0], "pa": cls.shares[idx, 1], "pr": cls.shares[idx, 2], "n": cls.n_eff[idx]}


def _label(counts: pd.DataFrame, cols: list[str]) -> pd.Series:
    if not cols:
        return pd.Series(["all"] * len(counts))
    parts = [counts[c].astype(object).map(lambda v: "(missing)" if pd.isna(v) else str(v)) for c in cols]
    lab = parts[0]
    for p in parts[1:]:
        lab = lab + " · " + p
    return lab.reset_index(drop=True)


def _diff_method(ci: str) -> str:
    _check_method(ci)
    return "wald" if ci == "bootstrap" else ci


def compare_nps(data: pd.DataFrame, *, by: str | Sequence[str] | None = None, groups: Sequence | None = None,
                score: str = DEFAULT_SCORE, period: str | None = None, date: str = "submitted_at",
                weight: str | None = None, ci: str = "wald", confidence: float = 0.95,
                min_base: int = cxs.DEFAULT_MIN_BASE, detractor_max: int = 6, promoter_min: int = 9) -> pd.DataFrame:
    """Compare the NPS of two groups or two periods (independent samples z-test).

    Parameters
    ----------
    data
        Survey responses.
    by
        Column defining the groups (optional when comparing periods).
    groups
        The two groups ``(a, b)`` to compare, as labels (periods as text such as
        ``"2025Q1"``). Default: the two groups present, when there are exactly two.
    period, date
        Compare calendar periods of ``date`` (e.g. ``period="Q"``, ``groups=("2025Q1",
        "2025Q2")``).
    weight
        Survey weights (shares weighted, Kish effective n).
    ci
        ``"wald"`` (default; unpooled variance) or ``"adjusted_wald"`` (pseudo-observations
        in both samples, as the R package ``NPS``).
    confidence, min_base, detractor_max, promoter_min
        As in :func:`nps_table`. No test is run when a group is below ``min_base``.

    Returns
    -------
    pandas.DataFrame
        One row: ``group_a``, ``group_b``, ``n_a``, ``n_b``, ``estimate_a``,
        ``estimate_b``, ``estimate`` (difference a − b, points), ``se``, ``statistic``
        (z), ``p_value``, ``ci_low``, ``ci_high`` (interval of the difference),
        ``effect_size`` (Cohen's d on the −1/0/+1 scores), ``suppressed``.
    """
    method = _diff_method(ci)
    dmax, pmin = _check_cutoffs(detractor_max, promoter_min)
    counts = score_counts(data, score=score, by=by, period=period, date=date, weight=weight)
    cols = _group_columns(counts)
    labels = _label(counts, cols)
    if groups is None:
        if len(labels) != 2:
            raise CXLabError(f"found {len(labels)} groups ({', '.join(labels[:8])}), need exactly two",
                             column=", ".join(cols) or None, fix="pass groups=(a, b) to pick two of them")
        groups = tuple(labels)
    if len(groups) != 2:
        raise CXLabError("groups must name exactly two groups", fix="pass groups=(a, b)")
    idx = []
    for g in groups:
        hits = np.flatnonzero(labels.to_numpy() == str(g))
        if hits.size == 0:
            raise CXLabError(f"group {g!r} has no responses", column=", ".join(cols) or None,
                             fix=f"choose from {', '.join(labels[:20])}")
        idx.append(hits[0])
    cls = _classes(counts, dmax, pmin)
    res = _difference(_side(cls, [idx[0]]), _side(cls, [idx[1]]), method, cxs.z_critical(confidence))
    est = (cls.shares[:, 2] - cls.shares[:, 0]) * 100
    suppressed = bool((cls.n[idx] < min_base).any())
    row = {"group_a": str(groups[0]), "group_b": str(groups[1]), "n_a": int(cls.n[idx[0]]),
           "n_b": int(cls.n[idx[1]]), "estimate_a": est[idx[0]], "estimate_b": est[idx[1]]}
    for k, v in res.items():
        row[k] = np.nan if suppressed else float(v[0])
    if suppressed:
        row["estimate_a"] = np.nan if cls.n[idx[0]] < min_base else row["estimate_a"]
        row["estimate_b"] = np.nan if cls.n[idx[1]] < min_base else row["estimate_b"]
    row["suppressed"] = suppressed
    return pd.DataFrame([row])


@dataclass(frozen=True)
class NPSComparison:
    """Many-group NPS comparison: per-group table, all pairwise tests and the omnibus test.

    Attributes
    ----------
    table
        One row per group: ``group``, ``letter``, ``higher_than`` (letters of groups it is
        significantly above), ``n``, ``estimate``, ``se``, ``ci_low``, ``ci_high``,
        ``suppressed``, ``low_base``.
    pairwise
        One row per pair: ``group_a``, ``group_b``, ``estimate`` (a − b), ``se``,
        ``statistic``, ``p_value``, ``p_adjusted``, ``ci_low``, ``ci_high``,
        ``effect_size``, ``significant``.
    omnibus
        One row: chi-square test of the class-by-group table: ``groups``, ``n``,
        ``statistic``, ``dof``, ``p_value``, ``effect_size`` (Cramér's V).
    alpha, adjust
        Significance level and p-value adjustment used.
    """

    table: pd.DataFrame
    pairwise: pd.DataFrame
    omnibus: pd.DataFrame
    alpha: float = 0.05
    adjust: str = "holm"

    def summary(self) -> str:
        """Plain-language summary of the comparison."""
        o = self.omnibus.iloc[0]
        sig = self.pairwise[self.pairwise["significant"]]
        lines = [f"{int(o['groups'])} groups compared (n = {int(o['n'])}); chi-square = {o['statistic']:.1f} "
                 f"on {int(o['dof'])} df, {_fmt_p(o['p_value'])}, Cramér's V = {o['effect_size']:.2f}."]
        if len(sig):
            for _, r in sig.iterrows():
                hi, lo = (r["group_a"], r["group_b"]) if r["estimate"] > 0 else (r["group_b"], r["group_a"])
                lines.append(f"{hi} is {abs(r['estimate']):.0f} points above {lo} "
                             f"({_fmt_p(r['p_adjusted'])}, {self.adjust}-adjusted).")
        else:
            lines.append(f"No pair differs significantly at alpha = {self.alpha} after {self.adjust} adjustment.")
        return "\n".join(lines)

    def plot(self, ax=None):
        """NPS by group with intervals and significance letters (see :func:`cxlab.plots.nps.plot_nps_by_group`)."""
        from cxlab.plots.nps import plot_nps_by_group

        return plot_nps_by_group(self.table, group="group", ax=ax, letters="higher_than")

    def _repr_html_(self) -> str:
        return (f"<p>{self.summary().replace(chr(10), '<br>')}</p>"
                + self.table.to_html(index=False, float_format=lambda v: f"{v:.1f}", na_rep="–"))


def _fmt_p(p: float) -> str:
    if not np.isfinite(p):
        return "p n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def nps_pairwise(data: pd.DataFrame, *, by: str | Sequence[str], score: str = DEFAULT_SCORE,
                 weight: str | None = None, ci: str = "wald", confidence: float = 0.95, alpha: float = 0.05,
                 adjust: str = "holm", min_base: int = cxs.DEFAULT_MIN_BASE,
                 low_base: int = cxs.DEFAULT_LOW_BASE, detractor_max: int = 6,
                 promoter_min: int = 9) -> NPSComparison:
    """Compare the NPS of many groups: chi-square, pairwise z-tests with correction, letters.

    Parameters
    ----------
    data
        Survey responses.
    by
        Grouping column(s).
    score, weight, confidence, min_base, low_base, detractor_max, promoter_min
        As in :func:`nps_table`. Groups below ``min_base`` take part in no test.
    ci
        ``"wald"`` or ``"adjusted_wald"`` for the pairwise differences.
    alpha
        Significance level for the letters and the ``significant`` column.
    adjust
        Multiple-comparison adjustment of the pairwise p-values (default Holm), see
        :func:`cxlab.stats.adjust_pvalues`.

    Returns
    -------
    NPSComparison
        ``.table``, ``.pairwise``, ``.omnibus`` (see the class).

    Notes
    -----
    With weights the chi-square uses the weighted class shares scaled to each group's
    Kish effective n (a first-order design-effect correction in the spirit of Rao–Scott).
    """
    method = _diff_method(ci)
    dmax, pmin = _check_cutoffs(detractor_max, promoter_min)
    counts = score_counts(data, score=score, by=by, weight=weight)
    cols = _group_columns(counts)
    labels = _label(counts, cols)
    cls = _classes(counts, dmax, pmin)
    tab = nps_from_counts(counts, detractor_max=dmax, promoter_min=pmin, ci=method, confidence=confidence,
                          min_base=min_base, low_base=low_base, progress=False)
    tested = np.flatnonzero(~tab["suppressed"].to_numpy())
    pairs = list(itertools.combinations(tested, 2))
    z = cxs.z_critical(confidence)
    if pairs:
        ia, ib = (np.array(x) for x in zip(*pairs, strict=True))
        res = _difference(_side(cls, ia), _side(cls, ib), method, z)
        pw = pd.DataFrame({"group_a": labels.to_numpy()[ia], "group_b": labels.to_numpy()[ib], **res})
        pw["p_adjusted"] = cxs.adjust_pvalues(pw["p_value"], method=adjust)
        pw["significant"] = pw["p_adjusted"] < alpha
        pw = pw[["group_a", "group_b", "estimate", "se", "statistic", "p_value", "p_adjusted", "ci_low",
                 "ci_high", "effect_size", "significant"]]
    else:
        pw = pd.DataFrame(columns=["group_a", "group_b", "estimate", "se", "statistic", "p_value", "p_adjusted",
                                   "ci_low", "ci_high", "effect_size", "significant"])
    # omnibus chi-square on the class-by-group table of tested groups
    if len(tested) >= 2:
        obs = cls.shares[tested] * cls.n_eff[tested, None]
        obs = obs[:, obs.sum(axis=0) > 0]
        if obs.shape[1] >= 2:
            chi2, p, dof, _ = _st.chi2_contingency(obs, correction=False)
            v = cxs.cramers_v(obs)
        else:
            chi2, p, dof, v = 0.0, 1.0, 0, np.nan
    else:
        chi2, p, dof, v = np.nan, np.nan, 0, np.nan
    omnibus = pd.DataFrame([{"groups": len(tested), "n": int(cls.n[tested].sum()), "statistic": chi2,
                             "dof": int(dof), "p_value": p, "effect_size": v}])
    letters = cxs.significance_letters(labels.to_numpy(), tab["estimate"].to_numpy(), pw, alpha=alpha)
    table = pd.DataFrame({
        "group": labels.to_numpy(),
        "letter": [letters[g][0] for g in labels],
        "higher_than": [letters[g][1] for g in labels],
    })
    for c in ("n", "estimate", "se", "ci_low", "ci_high", "suppressed", "low_base"):
        table[c] = tab[c].to_numpy()
    return NPSComparison(table=table, pairwise=pw.reset_index(drop=True), omnibus=omnibus, alpha=alpha,
                         adjust=adjust)


# ----------------------------------------------------------------- trend
def nps_trend(data: pd.DataFrame, *, period: str = "M", date: str = "submitted_at", by=None,
              score: str = DEFAULT_SCORE, weight: str | None = None, ci: str = "adjusted_wald",
              confidence: float = 0.95, alpha: float = 0.05, adjust: str = "holm",
              min_base: int = cxs.DEFAULT_MIN_BASE, low_base: int = cxs.DEFAULT_LOW_BASE,
              detractor_max: int = 6, promoter_min: int = 9, n_resamples: int = 2000,
              seed: int | None = 0) -> pd.DataFrame:
    """NPS by period with intervals and tests of each period-over-period change.

    Parameters
    ----------
    data
        Survey responses.
    period
        ``"W"``, ``"M"`` (default) or ``"Q"`` (or ``"Y"``).
    date
        Timestamp column.
    by
        Optional grouping column(s): one trend per group.
    ci
        Interval method for each period's NPS; the change is tested with the Wald
        (or, for ``"adjusted_wald"``, adjusted Wald) two-sample z-test.
    alpha, adjust
        A change is marked ``significant`` when its p-value, adjusted across all the
        changes in the table (default Holm), is below ``alpha``.
    score, weight, confidence, min_base, low_base, detractor_max, promoter_min, n_resamples, seed
        As in :func:`nps_table`.

    Returns
    -------
    pandas.DataFrame
        Columns of :func:`nps_table` (with ``period`` and ``period_start``) plus
        ``change`` (points versus the previous period of the same group), ``change_se``,
        ``change_ci_low``, ``change_ci_high``, ``statistic``, ``p_value``,
        ``p_adjusted`` and ``significant``. Periods without responses are absent; the
        change is measured against the previous period present.
    """
    method = _diff_method(ci)
    dmax, pmin = _check_cutoffs(detractor_max, promoter_min)
    counts = score_counts(data, score=score, by=by, period=period, date=date, weight=weight)
    counts = counts[counts["period"].notna()]
    by_cols = _as_list(by)
    counts = counts.sort_values(by_cols + ["period"], kind="mergesort").reset_index(drop=True)
    tab = nps_from_counts(counts, detractor_max=dmax, promoter_min=pmin, ci=ci, confidence=confidence,
                          min_base=min_base, low_base=low_base, n_resamples=n_resamples, seed=seed)
    tab.insert(len(by_cols) + 1, "period_start", pd.PeriodIndex(tab["period"]).start_time)
    cls = _classes(counts, dmax, pmin)
    n = len(tab)
    prev = np.arange(n) - 1
    if by_cols:
        key = _label(counts, by_cols).to_numpy()
        first = np.r_[True, key[1:] != key[:-1]]
    else:
        first = np.r_[True, np.zeros(n - 1, dtype=bool)] if n else np.zeros(0, dtype=bool)
    has_prev = ~first
    cols = ["change", "change_se", "change_ci_low", "change_ci_high", "statistic", "p_value"]
    result = {c: np.full(n, np.nan) for c in cols}
    rows = np.flatnonzero(has_prev)
    if rows.size:
        res = _difference(_side(cls, rows), _side(cls, prev[rows]), method, cxs.z_critical(confidence))
        ok = ~(tab["suppressed"].to_numpy()[rows] | tab["suppressed"].to_numpy()[prev[rows]])
        for c, k in zip(cols, ["estimate", "se", "ci_low", "ci_high", "statistic", "p_value"], strict=True):
            result[c][rows] = np.where(ok, res[k], np.nan)
    for c in cols:
        tab[c] = result[c]
    tab["p_adjusted"] = cxs.adjust_pvalues(tab["p_value"], method=adjust)
    tab["significant"] = tab["p_adjusted"] < alpha
    return tab


# ----------------------------------------------------------------- planning
def _shares_ok(pp, pd_, what):
    if not (0 <= pp <= 1 and 0 <= pd_ <= 1 and pp + pd_ <= 1):
        raise CXLabError(f"{what}: promoter and detractor shares must be fractions summing to at most 1, "
                         f"got {pp!r} and {pd_!r}", fix="pass shares such as p_promoter=0.45, p_detractor=0.2")


def nps_sample_size(change, *, p_promoter: float, p_detractor: float, power: float = 0.8,
                    confidence: float = 0.95, design: str = "two_sample", p_promoter_2: float | None = None,
                    p_detractor_2: float | None = None) -> pd.DataFrame:
    """Responses needed to detect an NPS change of a given size.

    Normal-approximation power calculation with the NPS variance
    ``p_pro + p_det − NPS²`` of each sample (unpooled):
    ``n = (z₁₋α/₂ + z_power)² (V₁ + V₂) / Δ²`` per group, two-sided test.

    Parameters
    ----------
    change
        Change to detect, in NPS points (scalar or array).
    p_promoter, p_detractor
        Current shares of promoters and detractors (fractions).
    power
        Desired power (probability of detecting the change).
    confidence
        1 − significance level of the two-sided test.
    design
        ``"two_sample"``: two independent waves/groups of equal size.
        ``"one_sample"``: one wave compared against a fixed benchmark (V₂ = 0).
    p_promoter_2, p_detractor_2
        Shares after the change. Default: the change comes half from detractors becoming
        fewer and half from promoters becoming more.

    Returns
    -------
    pandas.DataFrame
        ``change``, ``power``, ``confidence``, ``design``, ``n_per_group`` (rounded up)
        and ``n_total``.
    """
    _shares_ok(p_promoter, p_detractor, "baseline")
    c = cxs._check_confidence(confidence)
    if not 0 < power < 1:
        raise CXLabError(f"power must lie between 0 and 1, got {power!r}", fix="e.g. power=0.8")
    if design not in ("two_sample", "one_sample"):
        raise CXLabError(f"unknown design {design!r}", fix="use 'two_sample' or 'one_sample'")
    delta = np.atleast_1d(np.asarray(change, dtype=float)) / 100.0
    if (delta == 0).any() or np.isnan(delta).any():
        raise CXLabError("the change to detect must be a non-zero number of points", fix="e.g. change=5")
    v1 = cxs.nps_variance(p_promoter, p_detractor)
    if p_promoter_2 is None and p_detractor_2 is None:
        pp2 = p_promoter + delta / 2
        pd2 = p_detractor - delta / 2
    else:
        if p_promoter_2 is None or p_detractor_2 is None:
            raise CXLabError("give both p_promoter_2 and p_detractor_2, or neither", fix="pass both shares")
        _shares_ok(p_promoter_2, p_detractor_2, "after the change")
        pp2 = np.full_like(delta, p_promoter_2)
        pd2 = np.full_like(delta, p_detractor_2)
    if ((pp2 < 0) | (pd2 < 0) | (pp2 + pd2 > 1) | (pp2 > 1)).any():
        raise CXLabError("the change is too large for the baseline shares", fix="give a smaller change")
    v2 = cxs.nps_variance(pp2, pd2) if design == "two_sample" else np.zeros_like(delta)
    za = _st.norm.ppf(0.5 + c / 2)
    zb = _st.norm.ppf(power)
    n = (za + zb) ** 2 * (v1 + v2) / delta**2
    n_per = np.ceil(n - 1e-9).astype(np.int64)
    return pd.DataFrame({"change": delta * 100, "power": power, "confidence": c, "design": design,
                         "n_per_group": n_per, "n_total": n_per * (2 if design == "two_sample" else 1)})


def nps_margin_of_error(n, *, p_promoter: float, p_detractor: float, confidence: float = 0.95,
                        design_effect: float = 1.0) -> pd.DataFrame:
    """Expected margin of error (interval half-width, points) of an NPS from ``n`` responses.

    Parameters
    ----------
    n
        Number of responses (scalar or array).
    p_promoter, p_detractor
        Expected shares (fractions).
    confidence
        Confidence level.
    design_effect
        Variance inflation from weighting or clustering (1 for a simple random sample);
        ``n / design_effect`` is the effective sample size.

    Returns
    -------
    pandas.DataFrame
        ``n``, ``n_effective``, ``se`` and ``margin_of_error`` (points).
    """
    _shares_ok(p_promoter, p_detractor, "expected shares")
    n = np.atleast_1d(np.asarray(n, dtype=float))
    if (n <= 0).any() or design_effect <= 0:
        raise CXLabError("n and design_effect must be positive", fix="e.g. n=400")
    n_eff = n / design_effect
    se = np.sqrt(cxs.nps_variance(p_promoter, p_detractor) / n_eff) * 100
    return pd.DataFrame({"n": n, "n_effective": n_eff, "se": se, "margin_of_error": cxs.z_critical(confidence) * se})


# ----------------------------------------------------------------- key drivers
@dataclass(frozen=True)
class DriverAnalysis:
    """Key-driver analysis of likelihood to recommend.

    Attributes
    ----------
    table
        One row per driver: ``driver``, ``n``, ``estimate`` (standardised regression
        coefficient), ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``correlation``,
        ``relative_weight`` (Johnson's, share of R² explained, 0..R²), ``importance``
        (relative weight as % of R²), ``lmg`` (Shapley/LMG share of R², when computed),
        ``ologit_coef``, ``ologit_p_value`` (ordered logit on standardised drivers),
        ``performance`` (mean rating), ``performance_pct`` (mean rating on a 0–100 scale)
        ``quadrant``, and the quadrant boundaries ``importance_cut`` (an equal share,
        100 / number of drivers) and ``performance_cut`` (mean ``performance_pct``).
    r_squared
        R² of the linear model.
    n, n_dropped
        Responses used, and responses left out because the target or a driver was missing.
    target
        The outcome column.
    """

    table: pd.DataFrame
    r_squared: float
    n: int
    n_dropped: int
    target: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        """Plain-language summary."""
        t = self.table.sort_values("importance", ascending=False)
        top = t.iloc[0]
        fix = t[t["quadrant"] == "priority to improve"]["driver"].tolist()
        text = (f"The {len(t)} attributes explain {self.r_squared:.0%} of the variance in {self.target} "
                f"(n = {self.n}; {self.n_dropped} responses with gaps left out). The strongest driver is "
                f"{top['driver']} ({top['importance']:.0f}% of the explained variance).")
        if fix:
            text += f" Priority to improve (important, below-average rating): {', '.join(fix)}."
        return text

    def plot(self, ax=None):
        """Importance-versus-performance quadrant chart."""
        from cxlab.plots.nps import plot_driver_quadrant

        return plot_driver_quadrant(self.table, ax=ax)

    def _repr_html_(self) -> str:
        return f"<p>{self.summary()}</p>" + self.table.to_html(index=False, float_format=lambda v: f"{v:.3f}")


def _r2_from_corr(rxx: np.ndarray, rxy: np.ndarray, subset: Sequence[int]) -> float:
    if not subset:
        return 0.0
    s = list(subset)
    r = rxy[s]
    return float(r @ np.linalg.solve(rxx[np.ix_(s, s)], r))


def _relative_weights(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights from the correlation matrix."""
    evals, evecs = np.linalg.eigh(rxx)
    evals = np.clip(evals, 0.0, None)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T  # Rxx^(1/2): correlations of X with orthogonal Z
    beta_z = np.linalg.solve(lam, rxy)  # regression of y on the orthogonal counterparts Z
    return (lam**2) @ (beta_z**2)


def _lmg(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """LMG / Shapley decomposition of R²: average increment over all orders (via subsets)."""
    p = len(rxy)
    cache: dict[frozenset, float] = {}

    def r2(s):
        key = frozenset(s)
        if key not in cache:
            cache[key] = _r2_from_corr(rxx, rxy, sorted(key))
        return cache[key]

    out = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            w = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            for s in itertools.combinations(others, size):
                out[j] += w * (r2((*s, j)) - r2(s))
    return out


def key_drivers(data: pd.DataFrame, *, target: str = DEFAULT_SCORE, drivers: Sequence[str] | None = None,
                confidence: float = 0.95, ordered_logit: bool = True, lmg: bool | None = None,
                scale: tuple[float, float] | None = (1, 5), min_base: int = cxs.DEFAULT_MIN_BASE) -> DriverAnalysis:
    """Which attribute ratings drive likelihood to recommend, and where to act.

    Three views that should agree: the standardised linear regression (with
    intervals), Johnson's relative weights (each driver's share of R², robust to
    correlated drivers) plus the LMG/Shapley decomposition as a check, and an ordered
    logit on the 0–10 outcome (statsmodels ``OrderedModel``), which respects that the
    outcome is an ordinal scale. Performance is each driver's mean rating; the quadrant
    crosses importance with performance (split at their averages).

    Parameters
    ----------
    data
        Survey responses with the target and the driver ratings.
    target
        Outcome column (0–10).
    drivers
        Rating columns; default: the ``attr_*`` columns present.
    confidence
        Level of the coefficient intervals.
    ordered_logit
        Fit the ordered-logit check (about a second on a few thousand rows).
    lmg
        Compute the LMG/Shapley decomposition (exact, 2^p subsets). Default: when there
        are at most 12 drivers.
    scale
        Rating scale (min, max) for ``performance_pct``; ``None`` uses the observed range.
    min_base
        Fewer complete responses than this (or than drivers + 10) is an error.

    Returns
    -------
    DriverAnalysis
        See the class for the columns of ``.table``.
    """
    import statsmodels.api as sm

    if drivers is None:
        drivers = [c for c in DEFAULT_DRIVERS if c in getattr(data, "columns", [])]
    drivers = list(drivers)
    if not drivers:
        raise CXLabError("no driver columns given or found", fix=f"pass drivers=[...], e.g. {list(DEFAULT_DRIVERS)}")
    _require_columns(data, [target, *drivers], "the survey table")
    frame = pd.DataFrame({c: pd.to_numeric(data[c], errors="coerce").astype("float64") for c in [target, *drivers]})
    complete = frame.notna().all(axis=1).to_numpy()
    used = frame[complete]
    n = len(used)
    if n < max(min_base, len(drivers) + 10):
        raise CXLabError(f"only {n} responses have the target and every driver", column=target,
                         fix="use fewer drivers or more data")
    X = used[drivers].to_numpy()
    y = used[target].to_numpy()
    sd = X.std(axis=0, ddof=1)
    const = np.flatnonzero(sd == 0)
    if const.size:
        raise CXLabError("a driver has the same rating for everyone, so it cannot explain anything",
                         column=drivers[const[0]], fix="drop that driver")
    zx = (X - X.mean(axis=0)) / sd
    zy = (y - y.mean()) / y.std(ddof=1)
    ols = sm.OLS(zy, sm.add_constant(zx)).fit()
    ci = ols.conf_int(alpha=1 - cxs._check_confidence(confidence))[1:]
    corr = np.corrcoef(np.column_stack([X, y]), rowvar=False)
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    rw = _relative_weights(rxx, rxy)
    r2 = float(ols.rsquared)
    if lmg is None:
        lmg = len(drivers) <= 12
    lmg_values = _lmg(rxx, rxy) if lmg else np.full(len(drivers), np.nan)
    notes = []
    o_coef = o_p = np.full(len(drivers), np.nan)
    if ordered_logit:
        from statsmodels.miscmodels.ordinal_model import OrderedModel

        levels = np.unique(y)
        y_cat = pd.Series(pd.Categorical(y, categories=levels, ordered=True))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = OrderedModel(y_cat, pd.DataFrame(zx, columns=drivers), distr="logit").fit(
                method="bfgs", disp=False, maxiter=2000)
        o_coef = fit.params[drivers].to_numpy()
        o_p = fit.pvalues[drivers].to_numpy()
        if not fit.mle_retvals.get("converged", True):
            notes.append("the ordered logit did not converge; read its coefficients with care")
    perf = X.mean(axis=0)
    lo, hi = scale if scale is not None else (X.min(), X.max())
    perf_pct = (perf - lo) / (hi - lo) * 100
    importance = rw / rw.sum() * 100 if rw.sum() > 0 else np.full(len(drivers), np.nan)
    importance_cut = 100 / len(drivers)  # an equal share of the explained variance
    performance_cut = float(perf_pct.mean())
    high_imp = importance >= importance_cut
    high_perf = perf_pct >= performance_cut
    quadrant = np.select(
        [high_imp & high_perf, high_imp & ~high_perf, ~high_imp & high_perf],
        ["key strength", "priority to improve", "secondary strength"], default="low priority")
    table = pd.DataFrame({
        "driver": drivers, "n": n, "estimate": ols.params[1:], "se": ols.bse[1:], "ci_low": ci[:, 0],
        "ci_high": ci[:, 1], "p_value": ols.pvalues[1:], "correlation": rxy, "relative_weight": rw,
        "importance": importance, "lmg": lmg_values, "ologit_coef": o_coef, "ologit_p_value": o_p,
        "performance": perf, "performance_pct": perf_pct, "quadrant": quadrant,
        "importance_cut": importance_cut, "performance_cut": performance_cut,
    })
    return DriverAnalysis(table=table, r_squared=r2, n=n, n_dropped=int((~complete).sum()), target=target,
                          notes=tuple(notes))
