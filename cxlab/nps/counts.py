"""Counting NPS answers: the 0–10 count table every NPS statistic is computed from."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab._checks import as_list, nonnegative_weights, require_columns
from cxlab.errors import CXLabError
from cxlab.nps.ratings import check_nps_scale
from cxlab.schema import NPS_SCALE

__all__ = ["DEFAULT_SCORE", "NPS_CLASSES", "CI_METHODS", "classify_nps", "score_counts", "sum_counts"]

DEFAULT_SCORE = "likelihood_to_recommend"
NPS_CLASSES: tuple[str, ...] = ("detractor", "passive", "promoter")
CI_METHODS: tuple[str, ...] = ("adjusted_wald", "wald", "bootstrap")

_SCALE_MAX = NPS_SCALE[1]  # the 0–10 scale, from the schema
_NSLOT = _SCALE_MAX + 2  # scores 0..10 plus one slot for a missing score
_COUNT_COLS = [f"count_{s}" for s in range(_SCALE_MAX + 1)]
_WEIGHT_COLS = [f"weight_{s}" for s in range(_SCALE_MAX + 1)]
_META_COLS = set(_COUNT_COLS) | set(_WEIGHT_COLS) | {"count_missing", "weight_sq"}
_UNIT_NS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}
_NAT = np.iinfo(np.int64).min
_BLOCK = 1 << 16  # rows per block where work runs block by block (fits the CPU cache)
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
    if isinstance(s.name, str):
        check_nps_scale(s.name)  # no NPS cut-offs on a 1–5 or 1–7 column
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
    times = series.to_numpy()
    unit = np.datetime_data(times.dtype)[0]
    if unit not in _UNIT_NS:
        times, unit = times.astype("datetime64[ns]"), "ns"
    ticks = times.view(np.int64)  # in the column's own unit (pandas 3 reads dates as microseconds)
    per_day = 86_400_000_000_000 // _UNIT_NS[unit]
    first = int(ticks.min()) if len(ticks) else 0
    any_nat = first == _NAT
    if any_nat:
        nat = ticks == _NAT
        if nat.all():
            return np.full(ticks.shape, -1, dtype=np.int32), pd.Index(pd.PeriodIndex([], freq=freq))
        days = ticks // per_day  # day number since 1970-01-01 (floor, also before 1970)
        valid_days = days[~nat]
        d0, d1 = int(valid_days.min()), int(valid_days.max())
    elif len(ticks):
        d0, d1 = first // per_day, int(ticks.max()) // per_day
    else:
        d0 = d1 = 0
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
    if any_nat:
        idx = days - d0
        idx[nat] = 0
        codes = lut[idx]
        codes[nat] = -1
    else:
        # day number and lookup in blocks of rows that stay in the CPU cache (no full-size temporaries)
        codes = np.empty(len(ticks), dtype=np.int32)
        for start in range(0, len(ticks), _BLOCK):
            day = ticks[start:start + _BLOCK] // per_day
            day -= d0
            np.take(lut, day, out=codes[start:start + _BLOCK])
    labels = pd.PeriodIndex.from_ordinals(np.arange(lo, hi + 1), freq=freq)
    return codes, pd.Index(labels)


def _combine_codes(codes_list: list[np.ndarray], cards: list[int], n_rows: int) -> tuple[np.ndarray, int]:
    """Mixed-radix combination of group codes (missing = last level) into one key per row."""
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
        combined = np.zeros(n_rows, dtype=itype)
    return combined, n_groups


def _decode_groups(kept_ids: np.ndarray, cards: list[int], names: list[str], levels_list: list[pd.Index],
                   data: pd.DataFrame) -> pd.DataFrame:
    """The group label columns of the kept combined keys (categoricals keep their dtype)."""
    rem = kept_ids.copy()
    decoded = []
    for k in reversed(cards):
        decoded.append(rem % k)
        rem = rem // k
    decoded.reverse()
    out = {}
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
    return pd.DataFrame(out)


def score_counts(data: pd.DataFrame, *, score: str = DEFAULT_SCORE, by=None, period: str | None = None,
                 date: str = "submitted_at", weight: str | None = None) -> pd.DataFrame:
    """Count responses per group and score (0–10): the table every NPS statistic comes from.

    One pass over the rows: group columns become integer codes (categoricals use their
    codes directly; other columns are factorised), they are combined with the score into
    one code, and ``np.bincount`` counts them, block by block of rows that stay in the CPU
    cache (as fast as a hand-written bincount over the codes: ``benchmarks/bench_nps.py``).

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
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "channel": ["store"] * 60 + ["web"] * 40,
    ...     "likelihood_to_recommend": [10] * 25 + [8] * 20 + [4] * 15 + [9] * 12 + [7] * 10 + [2] * 18})
    >>> counts = score_counts(survey, by="channel")
    >>> print(counts[["channel", "count_2", "count_4", "count_7", "count_8", "count_9", "count_10"]].to_string())
      channel  count_2  count_4  count_7  count_8  count_9  count_10
    0   store        0       15        0       20        0        25
    1     web       18        0       10        0       12         0
    """
    if not isinstance(data, pd.DataFrame):  # Polars, DuckDB, Spark: counted in that engine (cxlab.engine)
        from cxlab.engine import score_counts as engine_score_counts

        return engine_score_counts(data, score=score, by=by, period=period, date=date, weight=weight)
    by_cols = as_list(by)
    check_nps_scale(score)  # no NPS cut-offs on a 1–5 or 1–7 column (csat, ces, attribute ratings)
    needed = [score, *by_cols] + ([date] if period else []) + ([weight] if weight else [])
    require_columns(data, needed, "the survey table")
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
    cards = [len(lev) + 1 for lev in levels_list]  # the last level of each is "missing"
    n_groups = int(np.prod(cards, dtype=np.float64)) if cards else 1

    w = nonnegative_weights(data, weight) if weight else None
    if w is None and n_groups * _NSLOT <= 1 << 16:
        counts = _count_in_blocks(codes_list, cards, slots, n_groups * _NSLOT).reshape(-1, _NSLOT)
        group_ids = np.arange(n_groups, dtype=np.int64)
    else:
        counts, group_ids, cell, inverse = _count_whole(codes_list, cards, slots, len(data))
    if expect_missing and int(counts[:, _SCALE_MAX + 1].sum()) != expect_missing[0]:
        _score_slots(data[score], score)  # some scores are 11: find the rows and raise
    keep = counts.sum(axis=1) > 0
    table = _decode_groups(group_ids[keep], cards, names, levels_list, data)
    kept = counts[keep]
    for s in range(_SCALE_MAX + 1):
        table[f"count_{s}"] = kept[:, s]
    table["count_missing"] = kept[:, _SCALE_MAX + 1]
    if w is not None:
        size = len(group_ids) * _NSLOT
        valid = slots <= _SCALE_MAX
        wsum = np.bincount(cell, weights=w, minlength=size).reshape(-1, _NSLOT)[keep]
        wsq = np.bincount(inverse, weights=np.where(valid, w * w, 0.0), minlength=len(group_ids))[keep]
        for s in range(_SCALE_MAX + 1):
            table[f"weight_{s}"] = wsum[:, s]
        table["weight_sq"] = wsq
    return table


def _count_in_blocks(codes_list: list[np.ndarray], cards: list[int], slots: np.ndarray, size: int) -> np.ndarray:
    """Dense cell counts (group x score slot), combining the codes block by block.

    The same arithmetic as :func:`_combine_codes`, on blocks of rows small enough to stay
    in the CPU cache: no full-size temporaries, each input read once.
    """
    n = len(slots)
    counts = np.zeros(size, dtype=np.intp)
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        key, _ = _combine_codes([c[start:stop] for c in codes_list], cards, stop - start)
        key = key * key.dtype.type(_NSLOT)
        key += slots[start:stop]
        counts += np.bincount(key, minlength=size)
    return counts


def _count_whole(codes_list, cards, slots, n_rows):
    """Cell counts over all rows at once; only the observed groups when there are very many."""
    combined, n_groups = _combine_codes(codes_list, cards, n_rows)
    if n_groups * _NSLOT <= 1 << 26:
        group_ids = np.arange(n_groups, dtype=np.int64)
        inverse = combined
    else:  # too many combinations for a dense table: count only the observed ones
        group_ids, inverse = np.unique(combined, return_inverse=True)
    cell = inverse * inverse.dtype.type(_NSLOT) + slots
    counts = np.bincount(cell, minlength=len(group_ids) * _NSLOT).reshape(-1, _NSLOT)
    return counts, group_ids, cell, inverse


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


def sum_counts(counts: pd.DataFrame, *, by=None, periods: tuple | None = None) -> pd.DataFrame:
    """Add up the rows of a count table: coarser groups, a range of periods, or one total.

    Counts add, so a table counted once by group and month answers every coarser question
    (a quarter, a range of months, all groups together) without touching the responses
    again. This is what the NPS explorer does on every control change.

    Parameters
    ----------
    counts
        A table from :func:`score_counts` (weighted or not).
    by
        Group column(s) of ``counts`` to keep; ``None`` adds everything into one row.
        Rows with a missing group value stay a group of their own.
    periods
        ``(first, last)``: keep only the rows whose ``period`` lies in this range (both
        ends included; labels such as ``"2025-04"`` or ``pandas.Period``). Needs a
        ``period`` column (``score_counts(..., period="M")``).

    Returns
    -------
    pandas.DataFrame
        A count table with the ``by`` columns and the count (and weight) columns of
        ``counts``, one row per group present; ready for :func:`cxlab.nps.nps_from_counts`.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({
    ...     "channel": ["web", "web", "store", "store", "store"],
    ...     "submitted_at": pd.to_datetime(["2025-01-05", "2025-02-10", "2025-01-07", "2025-02-11", "2025-03-01"]),
    ...     "likelihood_to_recommend": [10, 3, 9, 9, 6]})
    >>> monthly = score_counts(answers, by="channel", period="M")
    >>> both = sum_counts(monthly, periods=("2025-01", "2025-02"))
    >>> both[["count_3", "count_9", "count_10"]]
       count_3  count_9  count_10
    0        1        2         1
    >>> sum_counts(monthly, by="channel")[["channel", "count_6", "count_9"]]
      channel  count_6  count_9
    0   store        1        2
    1     web        0        0
    """
    weighted = _check_counts(counts)
    by_cols = as_list(by)
    require_columns(counts, by_cols + (["period"] if periods is not None else []), "the count table")
    value_cols = [*_COUNT_COLS, *(["count_missing"] if "count_missing" in counts else []),
                  *(_WEIGHT_COLS + ["weight_sq"] if weighted else [])]
    if periods is not None:
        labels = pd.PeriodIndex(counts["period"])
        first, last = (pd.Period(p, freq=labels.freq) for p in periods)
        counts = counts[(labels >= first) & (labels <= last)]
    if not by_cols:
        return pd.DataFrame([counts[value_cols].sum()]).reset_index(drop=True)
    return (counts.groupby(by_cols, observed=True, dropna=False, sort=True)[value_cols].sum()
            .reset_index())
