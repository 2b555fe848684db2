"""Rating-scale questions that are not the NPS: CSAT (1–5), CES (1–7), attribute ratings.

A survey without a likelihood-to-recommend question is still a survey: it is analysed
on the scores it has, as **means** (with a t interval) and as **top-2-box** shares (the
share answering in the top two points of the scale, with a Wilson interval). The NPS
cut-offs (0–6, 7–8, 9–10) belong to the 0–10 recommend question only, and
:func:`check_nps_scale` refuses to apply them to a column the schema defines on another
scale.

The module also answers two questions a notebook asks of any survey file: which score
questions it has (:func:`score_columns`) and which of its columns can group the answers
(:func:`grouping_columns`, the user's own columns included).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlab._lazy import lazy_module
from cxlab import stats as cxs
from cxlab.errors import CXLabError
from cxlab.privacy.disclosure import table_complementary

_st = lazy_module("scipy.stats")

__all__ = ["attribute_columns", 
    "NPS_SCALE",
    "rating_scale",
    "check_nps_scale",
    "score_columns",
    "nps_column",
    "rating_columns",
    "grouping_columns",
    "rating_table",
    "compare_ratings",
]

#: The scale of the likelihood-to-recommend question, the only one NPS cut-offs apply to.
NPS_SCALE: tuple[int, int] = (0, 10)

#: Canonical columns that hold identifiers, contacts, free text, dates or numbers: never groupings.
_NOT_GROUPS = {"response_id", "customer_id", "email", "phone", "comment", "submitted_at", "weight",
               "employee_id", "name", "handle", "interaction_id", "transaction_id", "timestamp",
               "agent_message", "period"}


def _schema_scales() -> dict[str, tuple[int, int]]:
    from cxlab import schema

    scales: dict[str, tuple[int, int]] = {}
    for spec in schema.TABLES.values():
        for col in spec.columns:
            if col.kind == "score" and col.scale and col.name != "birth_year":
                scales.setdefault(col.name, tuple(col.scale))
    return scales


def rating_scale(column: str, scale: tuple[int, int] | None = None) -> tuple[int, int]:
    """The (lowest, highest) points of a rating column: given, or from the schema.

    Parameters
    ----------
    column
        Column name (``"csat"``, ``"ces"``, ``"attr_quality"``, ``"likelihood_to_recommend"``...).
    scale
        The scale when the column is the user's own (e.g. ``(1, 10)``); overrides the schema.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> rating_scale("csat"), rating_scale("ces"), rating_scale("likelihood_to_recommend")
    ((1, 5), (1, 7), (0, 10))
    >>> rating_scale("my_rating", (1, 10))
    (1, 10)
    """
    if scale is not None:
        lo, hi = scale
        if not (isinstance(lo, (int, np.integer)) and isinstance(hi, (int, np.integer)) and lo < hi):
            raise CXLabError(f"scale must be two whole numbers (lowest, highest), got {scale!r}",
                             column=column, fix="e.g. scale=(1, 5)")
        return int(lo), int(hi)
    scales = _schema_scales()
    if column not in scales:
        raise CXLabError(f"the scale of {column!r} is not known", column=column,
                         fix="pass scale=(lowest, highest), e.g. scale=(1, 5)")
    return scales[column]


def check_nps_scale(score: str) -> None:
    """Refuse NPS cut-offs on a column the schema defines on another scale than 0–10.

    Raises
    ------
    CXLabError
        For ``csat`` (1–5), ``ces`` (1–7), attribute ratings (1–5) and the like.

    Examples
    --------
    >>> check_nps_scale("likelihood_to_recommend")  # fine: returns None
    >>> try:
    ...     check_nps_scale("csat")
    ... except CXLabError as err:
    ...     print(err.problem)
    the NPS cut-offs (detractors 0–6, promoters 9–10) apply to a 0–10 question; 'csat' is on a 1–5 scale
    """
    scale = _schema_scales().get(score)
    if scale is not None and tuple(scale) != NPS_SCALE:
        raise CXLabError(
            f"the NPS cut-offs (detractors 0–6, promoters 9–10) apply to a 0–10 question; {score!r} is on a "
            f"{scale[0]}–{scale[1]} scale",
            column=score,
            fix=f"analyse it as a rating: cxlab.nps.rating_table(data, score={score!r}) gives its mean and "
                "top-2-box share with intervals",
        )


def _present(data: pd.DataFrame, col: str) -> bool:
    return col in data.columns and bool(data[col].notna().any())


def score_columns(data: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """The score questions a survey table really has (present and not all empty), with their scales.

    Examples
    --------
    >>> import pandas as pd
    >>> score_columns(pd.DataFrame({"csat": [4, 5], "likelihood_to_recommend": [None, None]}))
    {'csat': (1, 5)}
    """
    order = ["likelihood_to_recommend", "csat", "ces"]
    scales = _schema_scales()
    return {c: scales[c] for c in order if _present(data, c)}


def nps_column(data: pd.DataFrame, score: str | None = None) -> str | None:
    """The column to analyse as an NPS question, or ``None`` when the survey has none.

    ``score`` (default ``likelihood_to_recommend``) must be present and not all empty, and
    must not be a column the schema defines on another scale (``csat``, ``ces``...).

    Examples
    --------
    >>> import pandas as pd
    >>> nps_column(pd.DataFrame({"csat": [4, 5]})), nps_column(pd.DataFrame({"csat": [4, 5]}), "csat")
    (None, None)
    >>> nps_column(pd.DataFrame({"likelihood_to_recommend": [9, 3]}))
    'likelihood_to_recommend'

    A score the survey does not have is an error, never a silently skipped analysis:

    >>> nps_column(pd.DataFrame({"likelihood_to_recommend": [9, 3]}), "nps2")
    Traceback (most recent call last):
    ...
    cxlab.errors.CXLabError: column 'nps2': the survey table has no column 'nps2' to analyse as the score. What to do: pick from: likelihood_to_recommend.
    """
    col = score or "likelihood_to_recommend"
    if score is not None and score not in data.columns:
        raise CXLabError(f"the survey table has no column {score!r} to analyse as the score", column=score,
                         fix=f"pick from: {', '.join(map(str, data.columns[:30]))}")
    if not _present(data, col):
        return None
    scale = _schema_scales().get(col)
    return col if scale is None or tuple(scale) == NPS_SCALE else None


def rating_columns(data: pd.DataFrame, *, nps_score: str | None, columns: Sequence[str] | None = None,
                   score: str | None = None) -> list[str]:
    """Rating questions to analyse as means and top-2-box: given, or every CSAT/CES column present.

    ``score`` is the column the user named as the main score: when it is not on the 0–10
    scale (``nps_score`` is ``None``) it is analysed here as a rating.

    Examples
    --------
    >>> import pandas as pd
    >>> rating_columns(pd.DataFrame({"csat": [4, 5], "ces": [None, None]}), nps_score=None)
    ['csat']
    """
    if columns:
        missing = [c for c in columns if c not in data.columns]
        if missing:
            raise CXLabError(f"the survey table has no rating column(s) {', '.join(map(repr, missing))}",
                             column=missing[0], fix=f"pick from: {', '.join(map(str, data.columns[:30]))}")
        return list(columns)
    out = [c for c in score_columns(data) if c != "likelihood_to_recommend" and c != nps_score]
    if score and nps_score is None and _present(data, score) and score not in out:
        out.insert(0, score)
    return out


def attribute_columns(data: pd.DataFrame, columns: Sequence[str] | None = None) -> list[str]:
    """Attribute ratings for the key drivers: the ones given (each must exist), else every ``attr_`` column answered.

    Examples
    --------
    >>> import pandas as pd
    >>> attribute_columns(pd.DataFrame({"attr_price": [3, 4], "attr_staff": [None, None], "x": [1, 2]}))
    ['attr_price']
    """
    if columns:
        missing = [c for c in columns if c not in data.columns]
        if missing:
            raise CXLabError(f"the survey table has no driver column(s) {', '.join(map(repr, missing))}",
                             column=missing[0], fix=f"pick from: {', '.join(map(str, data.columns[:30]))}")
        return list(columns)
    return [c for c in data.columns if str(c).startswith("attr_") and _present(data, c)]


def grouping_columns(data: pd.DataFrame, *, max_levels: int = 30, exclude: Sequence[str] = ()) -> list[str]:
    """Columns that can group the answers: categories and short text columns of the file.

    ``channel`` comes first when present; then every other column whose values are
    categories or text with 2 to ``max_levels`` distinct values (and at most half as many
    values as answers, so ids are left out), filled in at least half of the rows, and not
    an id, contact, comment, date or score column of the schema.

    Parameters
    ----------
    data
        A survey table (canonical columns plus the user's own).
    max_levels
        More distinct values than this is not a grouping (e.g. a free-text column).
    exclude
        Further columns to leave out.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"response_id": ["1", "2", "3", "4", "5"], "country": ["DE", "DE", "FR", "FR", None],
    ...                    "remote": ["yes", "no", "yes", "no", "no"], "likelihood_to_recommend": [9, 7, 3, 10, 8]})
    >>> grouping_columns(df)
    ['country', 'remote']
    """
    from cxlab.privacy import personal_columns

    # never group (and so print) by a column whose values are names, phones, e-mails or ids
    skip = _NOT_GROUPS | set(_schema_scales()) | set(exclude) | set(personal_columns(data))
    out = []
    for col in data.columns:
        if col in skip or not isinstance(col, str):
            continue
        s = data[col]
        is_cat = isinstance(s.dtype, pd.CategoricalDtype)
        is_text = pd.api.types.is_string_dtype(s.dtype) or s.dtype == object or pd.api.types.is_bool_dtype(s.dtype)
        if not (is_cat or is_text):
            continue
        filled = s.notna() & (s.astype(str).str.strip() != "") if not is_cat else s.notna()
        levels = s[filled].nunique()
        # a grouping repeats its values: at most half as many levels as filled rows (not an id column)
        if 2 <= levels <= max_levels and levels <= filled.sum() / 2 and filled.mean() >= 0.5:
            out.append(col)
    if "channel" in out:
        out.remove("channel")
        out.insert(0, "channel")
    return out


def _rating_values(series: pd.Series, column: str, scale: tuple[int, int]) -> np.ndarray:
    lo, hi = scale
    raw = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    unreadable = (series.notna().to_numpy() & np.isnan(raw))
    bad = unreadable | (~np.isnan(raw) & ((raw < lo) | (raw > hi) | (raw != np.round(raw))))
    if bad.any():
        rows = np.flatnonzero(bad)
        raise CXLabError(f"{rows.size} value(s) are not whole numbers from {lo} to {hi} "
                         f"(e.g. {series.iloc[rows[:5]].tolist()})", column=column, rows=(rows + 1).tolist(),
                         fix=f"fix or drop these rows, or pass the column's real scale=(lowest, highest)")
    return raw


def _group_frame(data: pd.DataFrame, by: list[str], period: str | None, date: str) -> tuple[pd.DataFrame, list]:
    keys = pd.DataFrame(index=data.index)
    for col in by:
        s = data[col]
        if not isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype("string").str.strip().replace("", pd.NA)
        keys[col] = s
    names = list(by)
    if period:
        freq = {"M": "M", "Q": "Q", "W": "W", "Y": "Y", "D": "D"}.get(period)
        if freq is None:
            raise CXLabError(f"unknown period {period!r}", fix="use 'W', 'M', 'Q' or 'Y'")
        keys["period"] = pd.to_datetime(data[date]).dt.to_period(freq)
        names.append("period")
    return keys, names


def _rating_moments(data: pd.DataFrame, score: str, by_cols: list[str], period: str | None, date: str,
                    scale: tuple[int, int], top_box: int) -> tuple[pd.DataFrame, list]:
    """Per group: ``n`` answers, ``n_rows``, ``mean``, ``sd`` and ``top_box`` answers, from the rows."""
    missing = [c for c in [score, *by_cols, *([date] if period else [])] if c not in data.columns]
    if missing:
        raise CXLabError(f"the survey table has no column(s) {', '.join(map(repr, missing))}", column=missing[0],
                         fix=f"pick from: {', '.join(map(str, data.columns[:30]))}")
    values = _rating_values(data[score], score, scale)
    keys, names = _group_frame(data, by_cols, period, date)
    frame = keys.assign(_v=values, _top=np.where(np.isnan(values), np.nan, (values >= scale[1] - top_box + 1) * 1.0))
    if names:
        frame = frame.dropna(subset=names)
        g = frame.groupby(names, observed=True, sort=True)
        agg = g.agg(n=("_v", "count"), n_rows=("_v", "size"), mean=("_v", "mean"), sd=("_v", "std"),
                    top_box=("_top", "sum")).reset_index()
    else:
        v = frame["_v"]
        agg = pd.DataFrame([{"n": int(v.count()), "n_rows": len(v), "mean": v.mean(), "sd": v.std(),
                             "top_box": frame["_top"].sum()}])
    return agg, names


def _moments_from_counts(counts: pd.DataFrame, scale: tuple[int, int], top_box: int) -> tuple[pd.DataFrame, list]:
    """The same per-group moments from answers per scale point (:func:`cxlab.engine.rating_counts`)."""
    lo, hi = scale
    points = np.arange(lo, hi + 1, dtype=float)
    count_cols = [f"count_{p}" for p in range(lo, hi + 1)]
    names = [c for c in counts.columns if c not in count_cols and c != "count_missing"]
    if names:  # answers without a group label belong to no group (as with rows)
        counts = counts.dropna(subset=names).reset_index(drop=True)
    c = counts[count_cols].to_numpy(dtype=float)
    n = c.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (c @ points) / n
        sd = np.sqrt((c * (points[None, :] - mean[:, None]) ** 2).sum(axis=1) / (n - 1))
    agg = counts[names].copy()
    agg["n"] = n.astype(np.int64)
    agg["n_rows"] = (n + counts["count_missing"].to_numpy(dtype=float)).astype(np.int64)
    agg["mean"] = np.where(n > 0, mean, np.nan)
    agg["sd"] = np.where(n > 1, sd, np.nan)
    agg["top_box"] = c[:, -top_box:].sum(axis=1)
    return agg, names


def rating_table(data: pd.DataFrame, *, score: str, by=None, period: str | None = None,
                 date: str = "submitted_at", scale: tuple[int, int] | None = None, top_box: int = 2,
                 confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE,
                 low_base: int = cxs.DEFAULT_LOW_BASE, complementary: bool | None = None) -> pd.DataFrame:
    """Mean and top-box share of a rating question, with intervals, overall or by group.

    Parameters
    ----------
    data
        Survey responses: pandas, or a Polars, DuckDB or Spark frame (then the answers per
        scale point are counted in that engine and only that small table comes back).
    score
        The rating column (``"csat"``, ``"ces"``, an attribute rating...).
    by
        Grouping column(s); ``None`` for one overall row. Rows with a missing group value
        are left out of the groups (their number is in no group's ``n``).
    period, date
        Also group by calendar period (``"W"``, ``"M"``, ``"Q"``, ``"Y"``) of ``date``.
    scale
        (lowest, highest) points; by default from the schema (``csat`` 1–5, ``ces`` 1–7).
    top_box
        How many top points count as "top box" (2: 4–5 on a 1–5 scale, 6–7 on 1–7).
    confidence
        Confidence level of both intervals.
    min_base, low_base
        Groups with fewer answers are suppressed (values NaN) or flagged.
    complementary
        Also hide the smallest shown groups when the suppressed ones could be derived from
        the total (as in :func:`cxlab.nps.nps_from_counts`); ``False``: never.

    Returns
    -------
    pandas.DataFrame
        The group columns, then ``n`` (answers), ``n_missing`` (rows without an answer),
        ``mean``, ``sd``, ``se``, ``ci_low``, ``ci_high`` (t interval of the mean),
        ``top_box`` (answers in the top box; missing when suppressed), ``pct_top_box``, ``top_box_ci_low``,
        ``top_box_ci_high`` (Wilson interval, %), ``scale_min``, ``scale_max``,
        ``suppressed``, ``complementary`` (hidden only to protect smaller groups), ``low_base``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"csat": [5, 4, 4, 3, 5, 2, 5, 4], "store": list("AAAABBBB")})
    >>> t = rating_table(df, score="csat", by="store", min_base=2, low_base=2)
    >>> print(t[["store", "n", "mean", "ci_low", "ci_high", "pct_top_box"]].round(2).to_string(index=False))
    store  n  mean  ci_low  ci_high  pct_top_box
        A  4   4.0    2.70     5.30         75.0
        B  4   4.0    1.75     6.25         75.0
    """
    lo, hi = rating_scale(score, scale)
    if not 1 <= top_box < hi - lo + 1:
        raise CXLabError(f"top_box must be between 1 and {hi - lo}, got {top_box!r}", fix="e.g. top_box=2")
    by_cols = [by] if isinstance(by, str) else list(by or [])
    if isinstance(data, pd.DataFrame):
        agg, names = _rating_moments(data, score, by_cols, period, date, (lo, hi), top_box)
    else:  # Polars, DuckDB, Spark: the answers per scale point are counted in that engine (cxlab.engine)
        from cxlab.engine import rating_counts

        counts = rating_counts(data, score=score, scale=(lo, hi), by=by_cols or None, period=period, date=date)
        agg, names = _moments_from_counts(counts, (lo, hi), top_box)
    n = agg["n"].to_numpy(dtype=float)
    agg["n_missing"] = (agg.pop("n_rows") - agg["n"]).astype(np.int64)
    agg["n"] = agg["n"].astype(np.int64)
    agg["top_box"] = agg["top_box"].astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = agg["sd"].to_numpy(dtype=float) / np.sqrt(n)
        t = np.where(n > 1, _st.t.ppf(0.5 + cxs._check_confidence(confidence) / 2, np.maximum(n - 1, 1)), np.nan)
        low, high = cxs.proportion_ci(agg["top_box"].to_numpy(dtype=float), n, method="wilson",
                                      confidence=confidence)
        pct = 100 * agg["top_box"].to_numpy(dtype=float) / n
    flags = cxs.base_flags(n, min_base=min_base, low_base=low_base)
    extra = table_complementary(agg, names, n, flags.suppressed, min_base=min_base, complementary=complementary)
    hide = flags.suppressed | extra
    out = agg[names + ["n", "n_missing"]].copy()
    cols = {"mean": agg["mean"].to_numpy(dtype=float), "sd": agg["sd"].to_numpy(dtype=float), "se": se,
            "ci_low": agg["mean"].to_numpy(dtype=float) - t * se,
            "ci_high": agg["mean"].to_numpy(dtype=float) + t * se}
    for k, v in cols.items():
        out[k] = np.where(hide, np.nan, v)
    out["top_box"] = agg["top_box"].where(~hide) if hide.any() else agg["top_box"]  # would give the share away
    out["pct_top_box"] = np.where(hide, np.nan, pct)
    out["top_box_ci_low"] = np.where(hide, np.nan, 100 * low)
    out["top_box_ci_high"] = np.where(hide, np.nan, 100 * high)
    out["scale_min"], out["scale_max"] = lo, hi
    out["suppressed"] = hide
    out["complementary"] = extra
    out["low_base"] = flags.low_base
    return out.reset_index(drop=True)


def compare_ratings(data: pd.DataFrame, *, score: str, by: str | Sequence[str],
                    scale: tuple[int, int] | None = None, top_box: int = 2,
                    min_base: int = cxs.DEFAULT_MIN_BASE) -> pd.DataFrame:
    """Do the groups differ on a rating? Kruskal–Wallis on the ratings and chi-square on top box.

    Only groups with at least ``min_base`` answers take part.

    Parameters
    ----------
    data, score, by, scale, top_box, min_base
        As in :func:`rating_table`.

    Returns
    -------
    pandas.DataFrame
        Two rows (``test`` = ``"kruskal_wallis"`` on the ratings, ``"chi_square_top_box"``
        on the top-box-versus-rest table): ``groups``, ``n``, ``statistic``, ``dof``,
        ``p_value``, ``effect_size`` (epsilon-squared for Kruskal–Wallis, Cramér's V for
        the chi-square). With fewer than two groups to compare, statistic and p-value are
        NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"csat": [5, 5, 4, 5, 2, 1, 2, 3], "store": list("AAAABBBB")})
    >>> r = compare_ratings(df, score="csat", by="store", min_base=2)
    >>> print(r[["test", "groups", "n", "dof"]].to_string(index=False))
                  test  groups  n  dof
        kruskal_wallis       2  8    1
    chi_square_top_box       2  8    1
    """
    lo, hi = rating_scale(score, scale)
    by_cols = [by] if isinstance(by, str) else list(by)
    values = _rating_values(data[score], score, (lo, hi))
    keys, names = _group_frame(data, by_cols, None, "submitted_at")
    frame = keys.assign(_v=values).dropna()
    label = frame[names].astype(str).agg(" · ".join, axis=1)
    sizes = label.value_counts()
    keep = sizes[sizes >= min_base].index
    frame, label = frame[label.isin(keep)], label[label.isin(keep)]
    groups = [frame.loc[label == g, "_v"].to_numpy() for g in sorted(keep)]
    n = int(sum(len(g) for g in groups))
    rows = []
    if len(groups) >= 2 and np.unique(frame["_v"]).size > 1:
        h, p = _st.kruskal(*groups)
        rows.append({"test": "kruskal_wallis", "groups": len(groups), "n": n, "statistic": h,
                     "dof": len(groups) - 1, "p_value": p, "effect_size": h / (n - 1)})
    else:
        rows.append({"test": "kruskal_wallis", "groups": len(groups), "n": n, "statistic": np.nan,
                     "dof": max(len(groups) - 1, 0), "p_value": np.nan, "effect_size": np.nan})
    top = np.array([[np.sum(g >= hi - top_box + 1), np.sum(g < hi - top_box + 1)] for g in groups]).reshape(-1, 2)
    if len(groups) >= 2 and (top.sum(axis=0) > 0).all():
        chi2, p, dof, _ = _st.chi2_contingency(top, correction=False)
        rows.append({"test": "chi_square_top_box", "groups": len(groups), "n": n, "statistic": chi2,
                     "dof": int(dof), "p_value": p, "effect_size": cxs.cramers_v(top)})
    else:
        rows.append({"test": "chi_square_top_box", "groups": len(groups), "n": n, "statistic": np.nan,
                     "dof": max(len(groups) - 1, 0), "p_value": np.nan, "effect_size": np.nan})
    out = pd.DataFrame(rows)
    out["dof"] = out["dof"].astype(np.int64)
    return out
