"""How much of a channel gap is the channel, and how much is who uses it?

A channel can score lower because it serves harder customers (lapsed buyers call more)
or because the experience there is worse. Comparing like with like separates the two:

* :func:`respondent_context` — put who each respondent is (behavioural segment, region,
  age cohort) on the survey rows, from the customer table and a segmentation.
* :func:`standardised_gaps` — direct standardisation on the count cells of
  :func:`~cxlab.channels.metrics.metric_cells`: the rest of the company re-weighted to the
  channel's own customer mix, so the gap compares the same kinds of customers. Fast (it
  reads a small table): the audit explorer uses it.
* :func:`regression_gaps` — ordinary least squares of the per-answer metric on the channel
  and the covariates, with heteroskedasticity-robust (HC3) standard errors (statsmodels).
* :func:`mix_adjusted_gaps` — both, beside the raw gap, with the share of the raw gap that
  the customer mix explains.

Every gap is "this channel minus the rest of the company", in the metric's unit (NPS
points, scale points, percentage points).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm

from cxlab import stats as cxs
from cxlab._checks import require_columns
from cxlab.channels._common import get_metric, metric_values
from cxlab.channels.metrics import MISSING_LABEL, _labels, metric_cells

__all__ = ["respondent_context", "standardised_gaps", "regression_gaps", "mix_adjusted_gaps",
           "DEFAULT_COVARIATES"]

#: Covariates used by default when they are present.
DEFAULT_COVARIATES: tuple[str, ...] = ("segment", "region", "age_cohort")


def _labels_or_missing(mapped: pd.Series) -> np.ndarray:
    """Mapped labels as text, ``(missing)`` where none was found (whatever dtype the map gave: a map that
    found nothing can come back as an Arrow null column, whose fillna refuses text)."""
    values = mapped.astype(object).to_numpy()
    return np.array([MISSING_LABEL if pd.isna(v) else str(v) for v in values], dtype=object).astype(str)


def respondent_context(data: pd.DataFrame, *, customers: pd.DataFrame | None = None,
                       segments: pd.DataFrame | pd.Series | None = None, reference_year: int | None = None,
                       customer: str = "customer_id", date: str = "submitted_at",
                       person_of_customer: pd.Series | None = None, person: str = "person_id") -> pd.DataFrame:
    """Add who each respondent is: ``segment``, ``region``, ``age_cohort``.

    Parameters
    ----------
    data
        Survey responses (or interactions) with ``customer``.
    customers
        The customer table (``customer_id``, ``region``, ``birth_year``); optional.
    segments
        A segment per customer: a Series indexed by customer id, or a frame with
        ``customer_id`` and ``segment`` (e.g. :func:`cxlab.segmentation.rfm_segments`).
    reference_year
        Year the age cohort is measured at (default: the year of each row's ``date``,
        else the current year).
    customer, date
        Column names.
    person_of_customer, person
        Optional: the person id of every customer id (``cxlab.identity.person_of_customer(result)``)
        and the rows' person column. A row without a customer id but with a person id then
        takes the profile of that person's customer record (contacts through anonymous
        channels get their segment, region and cohort).

    Returns
    -------
    pandas.DataFrame
        A copy of ``data`` with ``segment``, ``region`` and ``age_cohort`` where the
        sources allow (a row without a known customer gets ``"(missing)"``, kept).

    Examples
    --------
    >>> survey = pd.DataFrame({"customer_id": ["c1", None], "submitted_at": pd.to_datetime(["2025-03-01"] * 2)})
    >>> customers = pd.DataFrame({"customer_id": ["c1"], "region": ["Казань"], "birth_year": [1999]})
    >>> out = respondent_context(survey, customers=customers, segments=pd.Series({"c1": "loyal"}))
    >>> print(out[["segment", "region", "age_cohort"]].to_string(index=False))
      segment    region age_cohort
        loyal    Казань      Gen Z
    (missing) (missing)  (missing)
    """
    from cxlab.channels.preference import age_cohort

    out = data.copy()
    ids = out[customer].astype("string").str.strip() if customer in out.columns else pd.Series(
        pd.NA, index=out.index, dtype="string")
    if person_of_customer is not None and person in out.columns:
        pc = pd.Series(person_of_customer.index.astype(str), index=person_of_customer.to_numpy())
        pc = pc[~pc.index.duplicated()]
        ids = ids.fillna(out[person].map(pc).astype("string"))
    if segments is not None:
        if isinstance(segments, pd.DataFrame):
            require_columns(segments, ["segment"], "the segments table")
            seg = segments.set_index(customer)["segment"] if customer in segments.columns else segments["segment"]
        else:
            seg = segments
        seg.index = seg.index.astype(str)
        out["segment"] = _labels_or_missing(ids.map(seg.astype(object)))
    if customers is not None and len(customers):
        require_columns(customers, [customer], "the customer table")
        keys = customers[customer].astype("string").str.strip()
        c = customers.assign(_key=keys.to_numpy()).dropna(subset=["_key"]).drop_duplicates("_key").set_index("_key")
        if "region" in c.columns:
            out["region"] = _labels_or_missing(ids.map(c["region"].astype(object)))
        if "birth_year" in c.columns:
            by = ids.map(pd.to_numeric(c["birth_year"], errors="coerce"))
            if reference_year is None and date in out.columns:
                ref = pd.to_datetime(out[date], errors="coerce").dt.year
            else:
                ref = reference_year if reference_year is not None else pd.Timestamp.today().year
            out["age_cohort"] = age_cohort(by.to_numpy(dtype=float, na_value=np.nan), reference_year=ref)
    return out


def _gap_frame(channels, n, est, rest, gap, se, confidence, sd, kind: str) -> pd.DataFrame:
    z = cxs.z_critical(confidence)
    stat, p = cxs.two_sample_z(gap, se)
    with np.errstate(divide="ignore", invalid="ignore"):
        eff = gap / sd
    return pd.DataFrame({"channel": channels, "n": n, "estimate": est, "rest": rest, "gap": gap, "se": se,
                         "ci_low": gap - z * se, "ci_high": gap + z * se, "statistic": stat, "p_value": p,
                         "effect_size": eff, "method": kind})


def standardised_gaps(cells: pd.DataFrame, *, strata: Sequence[str] = (), channels: Sequence[str] | None = None,
                      confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE) -> pd.DataFrame:
    """Each channel against the rest of the company, compared on the channel's own customer mix.

    Direct standardisation: within every stratum (e.g. segment × region) the channel's
    mean is compared with the rest's mean, and the differences are averaged with the
    channel's own stratum sizes as weights, Σₛ wₛ (ȳ_cₛ − ȳ_rₛ), wₛ = n_cₛ / n_c (the
    "effect on the channel's customers"). Strata the rest does not cover are left out;
    ``coverage`` says what share of the channel's answers were compared. With no strata
    this is the raw gap. The variance is Σₛ wₛ² (s²_cₛ/n_cₛ + s²_rₛ/n_rₛ); a cell with one
    answer borrows its side's overall variance.

    Parameters
    ----------
    cells
        Output of :func:`~cxlab.channels.metrics.metric_cells` (``channel``, strata, ``n``,
        ``sum``, ``sum_sq``), with at least the ``strata`` columns.
    strata
        Columns to standardise on (a subset of the cells' strata; the others are summed).
    channels
        Channels to compare (default all); "the rest" is the other channels in this list.
    confidence, min_base
        Interval level; channels with fewer answers are not tested (NaN).

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``n``, ``estimate`` (the channel's mean), ``rest`` (the rest,
        standardised to the channel's mix), ``gap``, ``se``, ``ci_low``, ``ci_high``,
        ``statistic`` (z), ``p_value``, ``effect_size`` (gap / overall SD), ``method``,
        ``coverage``.

    Examples
    --------
    >>> df = pd.DataFrame({"channel": ["a"] * 4 + ["b"] * 4, "seg": ["x", "x", "y", "y"] * 2,
    ...                    "likelihood_to_recommend": [10, 10, 0, 10, 10, 0, 0, 0]})
    >>> cells = metric_cells(df, "nps", strata=["seg"])
    >>> print(standardised_gaps(cells, strata=["seg"], min_base=0)[["channel", "estimate", "rest", "gap"]]
    ...       .to_string(index=False))
    channel  estimate  rest    gap
          a      50.0 -50.0  100.0
          b     -50.0  50.0 -100.0
    """
    strata = list(strata)
    require_columns(cells, ["channel", "n", "sum", "sum_sq", *strata], "the cell table",
                    fix="build it with cxlab.channels.metric_cells(..., strata=[...])")
    c = cells if channels is None else cells[cells["channel"].isin([str(x) for x in channels])]
    key = np.zeros(len(c), dtype=np.int64)
    for s in strata:  # one integer per combination of strata values, without building text keys
        codes, uniques = pd.factorize(c[s], sort=False)
        key = key * (len(uniques) + 1) + codes
    order = list(dict.fromkeys(c["channel"].astype(str)))
    return _standardise(c["channel"].to_numpy(dtype=str), key, c["n"].to_numpy(dtype=float),
                        c["sum"].to_numpy(dtype=float), c["sum_sq"].to_numpy(dtype=float), confidence, min_base,
                        "direct standardisation" if strata else "raw", order=order)


def _standardise(chan: np.ndarray, stratum: np.ndarray, n: np.ndarray, s: np.ndarray, ss: np.ndarray,
                 confidence: float, min_base: int, method: str, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Vectorised direct standardisation on flat cell arrays (shared with the explorer)."""
    ch_codes, ch_names = pd.factorize(chan, sort=False)
    st_codes, st_names = pd.factorize(stratum, sort=False)
    nc, ns = len(ch_names), len(st_names)
    N = np.zeros((nc, ns))
    S = np.zeros((nc, ns))
    SS = np.zeros((nc, ns))
    np.add.at(N, (ch_codes, st_codes), n)
    np.add.at(S, (ch_codes, st_codes), s)
    np.add.at(SS, (ch_codes, st_codes), ss)
    n_tot, s_tot, ss_tot = N.sum(), S.sum(), SS.sum()
    sd_all = np.sqrt(max(ss_tot / n_tot - (s_tot / n_tot) ** 2, 0.0) * n_tot / max(n_tot - 1, 1)) if n_tot else np.nan
    Nr, Sr, SSr = N.sum(0) - N, S.sum(0) - S, SS.sum(0) - SS
    with np.errstate(divide="ignore", invalid="ignore"):
        def var(nn, sm_, ss_):
            return np.where(nn > 1, (ss_ - sm_ * sm_ / nn) / (nn - 1), np.nan)

        nch = N.sum(1)
        var_c_all = var(nch, S.sum(1), SS.sum(1))
        var_r_all = var(n_tot - nch, s_tot - S.sum(1), ss_tot - SS.sum(1))
        vc = np.where(N > 1, var(N, S, SS), var_c_all[:, None])
        vr = np.where(Nr > 1, var(Nr, Sr, SSr), var_r_all[:, None])
        both = (N > 0) & (Nr > 0)
        n_cov = np.where(both, N, 0).sum(1)
        w = np.where(both, N, 0) / n_cov[:, None]
        mc = np.where(both, S / N, 0)
        mr = np.where(both, Sr / Nr, 0)
        est = S.sum(1) / nch
        rest = (w * mr).sum(1)
        gap = (w * mc).sum(1) - rest
        se = np.sqrt((w**2 * np.where(both, vc / N + vr / Nr, 0)).sum(1))
        coverage = n_cov / nch
    names = np.asarray(ch_names, dtype=str)
    small = nch < min_base
    est, rest, gap, se = (np.where(small, np.nan, v) for v in (est, rest, gap, se))
    if order is not None:  # rows in the caller's channel order, without a pandas reindex
        pos = {c: i for i, c in enumerate(names)}
        idx = np.array([pos[o] for o in order if o in pos], dtype=np.int64)
        names, nch, est, rest, gap, se, coverage = (v[idx] for v in (names, nch, est, rest, gap, se, coverage))
    out = _gap_frame(names, nch.astype(int), est, rest, gap, se, confidence, sd_all, method)
    out["coverage"] = coverage
    return out


def regression_gaps(data: pd.DataFrame, *, metric: str = "nps", channel: str = "channel",
                    covariates: Sequence[str] = (), weight: str | None = None, cov_type: str = "HC3",
                    confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE) -> pd.DataFrame:
    """Each channel against the rest, adjusted for covariates by regression with robust errors.

    For every channel, ordinary least squares (weighted least squares with ``weight``) of
    the per-answer metric (NPS: +100 / 0 / −100) on an indicator "this channel" plus one
    indicator per level of each covariate; the coefficient of the channel indicator is
    the adjusted gap, its standard error heteroskedasticity-robust (``cov_type``, default
    HC3, statsmodels). With no covariates the coefficient is the raw gap.

    Returns
    -------
    pandas.DataFrame
        As :func:`standardised_gaps` (``rest`` = estimate − gap), plus ``n_used``
        (answers in the model).

    Examples
    --------
    >>> df = pd.DataFrame({"channel": ["phone", "web"] * 6, "seg": ["x"] * 6 + ["y"] * 6,
    ...                    "csat": [2, 4, 3, 4, 2, 5, 3, 5, 4, 5, 3, 5]})
    >>> g = regression_gaps(df, metric="csat", covariates=["seg"], min_base=0)
    >>> print(g[["channel", "n", "gap", "se"]].round(3).to_string(index=False))
    channel  n    gap    se
      phone  6 -1.833 0.321
        web  6  1.833 0.321
    """
    m = get_metric(metric)
    covariates = list(covariates)
    require_columns(data, [channel, m.column, *covariates], "the data")
    y = metric_values(data, m)
    keep = ~np.isnan(y)
    chan = _labels(data[channel]).astype(str).to_numpy()[keep]
    yk = y[keep]
    parts = [pd.get_dummies(_labels(data[c])[keep].cat.remove_unused_categories(), prefix=c, drop_first=True,
                            dtype=float) for c in covariates]
    X0 = pd.concat(parts, axis=1).to_numpy() if parts else np.empty((keep.sum(), 0))
    X0 = _full_rank(X0)
    wk = None
    if weight is not None:
        wk = pd.to_numeric(data[weight], errors="coerce").to_numpy(dtype=float)[keep]
    z = cxs.z_critical(confidence)
    sd = float(np.std(yk, ddof=1)) if yk.size > 1 else np.nan
    rows = []
    names = list(dict.fromkeys(chan))
    cat_order = _labels(data[channel]).cat.categories
    names = [str(c) for c in cat_order if str(c) in set(names)]
    for ch in names:
        d = (chan == ch).astype(float)
        n_c = int(d.sum())
        est = float(yk[d == 1].mean()) if n_c else np.nan
        if n_c < max(min_base, 1) or n_c == d.size:
            rows.append({"channel": ch, "n": n_c, "estimate": est, "rest": np.nan, "gap": np.nan, "se": np.nan,
                         "ci_low": np.nan, "ci_high": np.nan, "statistic": np.nan, "p_value": np.nan,
                         "effect_size": np.nan, "method": f"OLS, {cov_type}", "n_used": int(d.size)})
            continue
        X = np.column_stack([np.ones_like(d), d, X0])
        model = sm.WLS(yk, X, weights=wk) if wk is not None else sm.OLS(yk, X)
        fit = model.fit(cov_type=cov_type)
        b, se = float(fit.params[1]), float(fit.bse[1])
        rows.append({"channel": ch, "n": n_c, "estimate": est, "rest": est - b, "gap": b, "se": se,
                     "ci_low": b - z * se, "ci_high": b + z * se, "statistic": float(fit.tvalues[1]),
                     "p_value": float(fit.pvalues[1]), "effect_size": b / sd, "method": f"OLS, {cov_type}",
                     "n_used": int(d.size)})
    return pd.DataFrame(rows)


def _full_rank(X: np.ndarray) -> np.ndarray:
    """Drop covariate columns that are linear combinations of the others (and of the intercept).

    Respondents without a known customer are "(missing)" on every covariate at once, which
    makes those indicators identical; QR with column pivoting (scipy) keeps one of them.
    """
    if X.shape[1] == 0:
        return X
    from scipy.linalg import qr

    Z = np.column_stack([np.ones(len(X)), X])
    _, R, piv = qr(Z, mode="economic", pivoting=True)
    d = np.abs(np.diag(R))
    rank = int((d > d.max() * max(Z.shape) * np.finfo(float).eps).sum())
    keep = np.sort(piv[:rank])
    keep = keep[keep > 0] - 1
    return X[:, keep]


def mix_adjusted_gaps(data: pd.DataFrame, *, metric: str = "nps", channel: str = "channel",
                      covariates: Sequence[str] | None = None, weight: str | None = None, cov_type: str = "HC3",
                      confidence: float = 0.95, min_base: int = cxs.DEFAULT_MIN_BASE) -> pd.DataFrame:
    """Raw and mix-adjusted gap of every channel to the rest, side by side.

    Parameters
    ----------
    data
        Survey responses (or interactions) with the channel, the metric's column and the
        covariates (see :func:`respondent_context`).
    metric
        Metric name (see :data:`cxlab.channels.METRICS`).
    covariates
        Who-uses-the-channel columns to adjust for; default those of
        :data:`DEFAULT_COVARIATES` that are present and vary.
    weight, cov_type, confidence, min_base
        See :func:`regression_gaps`.

    Returns
    -------
    pandas.DataFrame
        One row per channel: ``channel``, ``n``, ``estimate``; ``raw_gap`` with
        ``raw_ci_low``/``raw_ci_high``/``raw_p``; ``adjusted_gap`` (regression, robust SE)
        with ``adjusted_ci_low``/``adjusted_ci_high``/``adjusted_p``; ``standardised_gap``
        with ``standardised_ci_low``/``standardised_ci_high`` and ``coverage``;
        ``mix_share`` (share of the raw gap explained by the mix, 1 − adjusted/raw; only
        where the raw gap's interval excludes 0 and the adjusted gap has the same sign);
        ``covariates`` (text).

    Examples
    --------
    >>> from cxlab.datasets import load_example
    >>> demo = load_example()
    >>> seg = demo.truth.customers.set_index("customer_id")["segment"]
    >>> data = respondent_context(demo.survey_responses, segments=seg)
    >>> g = mix_adjusted_gaps(data, covariates=["segment"])
    >>> print(g.set_index("channel").loc["phone", ["raw_gap", "standardised_gap"]].round(1).to_string())
    raw_gap            -30.8
    standardised_gap   -22.5
    """
    if covariates is None:
        covariates = [c for c in DEFAULT_COVARIATES if c in data.columns and data[c].nunique(dropna=False) > 1]
    covariates = list(covariates)
    raw = regression_gaps(data, metric=metric, channel=channel, covariates=(), weight=weight, cov_type=cov_type,
                          confidence=confidence, min_base=min_base)
    adj = regression_gaps(data, metric=metric, channel=channel, covariates=covariates, weight=weight,
                          cov_type=cov_type, confidence=confidence, min_base=min_base)
    cells = metric_cells(data, metric, channel=channel, strata=covariates)
    std = standardised_gaps(cells, strata=covariates, confidence=confidence, min_base=min_base).set_index("channel")
    out = raw[["channel", "n", "estimate"]].copy()
    out["raw_gap"], out["raw_ci_low"], out["raw_ci_high"], out["raw_p"] = (
        raw["gap"], raw["ci_low"], raw["ci_high"], raw["p_value"])
    out["adjusted_gap"], out["adjusted_ci_low"], out["adjusted_ci_high"], out["adjusted_p"] = (
        adj["gap"], adj["ci_low"], adj["ci_high"], adj["p_value"])
    out["adjusted_effect_size"] = adj["effect_size"]
    s = std.reindex(out["channel"])
    out["standardised_gap"] = s["gap"].to_numpy()
    out["standardised_ci_low"] = s["ci_low"].to_numpy()
    out["standardised_ci_high"] = s["ci_high"].to_numpy()
    out["coverage"] = s["coverage"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = 1 - out["adjusted_gap"] / out["raw_gap"]
    # a share of a gap only means something when there is a gap, and the adjusted one goes the same way
    has_gap = (out["raw_ci_low"] > 0) | (out["raw_ci_high"] < 0)
    same_way = np.sign(out["adjusted_gap"]) == np.sign(out["raw_gap"])
    out["mix_share"] = share.where(has_gap & same_way)
    out["metric"] = metric
    out["covariates"] = ", ".join(c.replace("_", " ") for c in covariates) if covariates else "none"
    if not covariates:
        out["mix_share"] = np.nan
    return out
