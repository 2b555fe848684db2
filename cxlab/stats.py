"""Shared statistics: intervals, multiple-comparison corrections, effect sizes, base rules.

Everything here works on *summaries* (counts, proportions, sums of weights), never on
raw rows, so the same function serves a 200-row survey and a 10-million-row export
aggregated elsewhere. All functions are vectorised over numpy arrays.

Conventions
-----------
* ``confidence`` is a level such as ``0.95`` (not an alpha).
* Proportions are fractions (0..1). Net Promoter Scores are returned in *points*
  (−100..+100), the unit people quote, unless a function says otherwise.
* Nothing is rounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cxlab._lazy import lazy_module
from cxlab.errors import CXLabError

_st = lazy_module("scipy.stats")

__all__ = [
    "DEFAULT_MIN_BASE",
    "DEFAULT_LOW_BASE",
    "PVALUE_METHODS",
    "z_critical",
    "proportion_ci",
    "nps_variance",
    "nps_interval",
    "nps_bootstrap_bca",
    "two_sample_z",
    "adjust_pvalues",
    "kish_effective_n",
    "kish_from_sums",
    "base_flags",
    "BaseFlags",
    "cohens_h",
    "cohens_d",
    "cramers_v",
    "significance_letters",
]

#: Below this many responses a value is suppressed and no test is run.
DEFAULT_MIN_BASE = 30
#: Below this many responses (and at or above the minimum) a value is flagged "low base".
DEFAULT_LOW_BASE = 100

PVALUE_METHODS = ("holm", "bonferroni", "hochberg", "sidak", "fdr_bh", "fdr_by", "none")


# --------------------------------------------------------------------------- basics
def _check_confidence(confidence: float) -> float:
    try:
        c = float(confidence)
    except (TypeError, ValueError):
        c = float("nan")
    if not 0.0 < c < 1.0:
        raise CXLabError(
            f"confidence must be a level between 0 and 1, got {confidence!r}",
            fix="pass e.g. confidence=0.95 for a 95% interval",
        )
    return c


def z_critical(confidence: float = 0.95) -> float:
    """Two-sided standard-normal critical value, e.g. 1.959964 for ``confidence=0.95``.

    Examples
    --------
    >>> round(z_critical(0.95), 4), round(z_critical(0.90), 4)
    (1.96, 1.6449)
    """
    c = _check_confidence(confidence)
    return float(_st.norm.ppf(0.5 + c / 2.0))


# --------------------------------------------------------------------- proportions
#: cxlab's interval names and the ``method`` of statsmodels' ``proportion_confint``.
_PROPORTION_METHODS = {"wilson": "wilson", "wald": "normal", "agresti_coull": "agresti_coull",
                       "jeffreys": "jeffreys", "clopper_pearson": "beta"}


def proportion_ci(count, n, *, method: str = "wilson", confidence: float = 0.95):
    """Confidence interval for a binomial proportion (statsmodels ``proportion_confint``).

    A thin wrapper: statsmodels computes the interval; cxlab adds the conventions of this
    package: arrays in and out, NaN where ``n == 0`` (no answers, no interval), ends
    clipped to [0, 1], and the exact ends 0 (no successes) and 1 (all successes) for the
    Jeffreys and Clopper–Pearson intervals.

    Parameters
    ----------
    count, n
        Number of successes and trials (scalars or arrays of the same shape).
    method
        ``"wilson"`` (default, score interval), ``"wald"``, ``"agresti_coull"``,
        ``"jeffreys"`` (equal-tailed Beta(½, ½) posterior) or ``"clopper_pearson"``
        (exact).
    confidence
        Confidence level.

    Returns
    -------
    tuple of numpy.ndarray
        ``(ci_low, ci_high)`` as fractions, clipped to [0, 1]; NaN where ``n == 0``.

    Examples
    --------
    >>> low, high = proportion_ci([45, 0], [100, 20])
    >>> low.round(4), high.round(4)
    (array([0.3561, 0.    ]), array([0.5476, 0.1611]))
    >>> proportion_ci(3, 0)
    (array(nan), array(nan))
    """
    from statsmodels.stats.proportion import proportion_confint

    c = _check_confidence(confidence)
    if method not in _PROPORTION_METHODS:
        raise CXLabError(f"unknown proportion interval method {method!r}",
                         fix="use one of " + ", ".join(_PROPORTION_METHODS))
    x = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    x, n = np.broadcast_arrays(x, n)
    bad = ~(n > 0)
    safe_n = np.where(bad, 1.0, n)
    safe_x = np.where(bad, 0.0, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = proportion_confint(safe_x, safe_n, alpha=1 - c, method=_PROPORTION_METHODS[method])
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    if method in ("jeffreys", "clopper_pearson"):
        low = np.where(safe_x > 0, low, 0.0)
        high = np.where(safe_x < safe_n, high, 1.0)
    low = np.where(bad, np.nan, np.clip(low, 0.0, 1.0))
    high = np.where(bad, np.nan, np.clip(high, 0.0, 1.0))
    return low, high


# ----------------------------------------------------------------------------- NPS
def nps_variance(p_promoter, p_detractor):
    """Per-respondent variance of the NPS (scores +1 / 0 / −1), on the fraction scale.

    ``p_pro + p_det − (p_pro − p_det)²``: the variance of one respondent's score, so the
    variance of the NPS (as a fraction) from ``n`` respondents is this divided by ``n``.

    Examples
    --------
    >>> float(nps_variance(0.45, 0.20))
    0.5875
    """
    pp = np.asarray(p_promoter, dtype=float)
    pd_ = np.asarray(p_detractor, dtype=float)
    return pp + pd_ - (pp - pd_) ** 2


#: Pseudo-observations of the adjusted Wald interval (Rocks 2016): detractor, passive, promoter.
_ADJUSTMENT = (0.75, 1.5, 0.75)


def nps_interval(detractors, passives, promoters, *, method: str = "adjusted_wald",
                 confidence: float = 0.95, n_effective=None) -> dict[str, np.ndarray]:
    """NPS, its standard error and a Wald-type confidence interval from class counts.

    Parameters
    ----------
    detractors, passives, promoters
        Counts (or sums of weights) per class; scalars or arrays of the same shape.
    method
        ``"wald"``: estimate ± z·se with se² = (p_pro + p_det − NPS²)/n.
        ``"adjusted_wald"``: as in Rocks (2016, *The American Statistician* 70(4)) and
        the R package ``NPS`` (``nps_test(test = "adjusted.wald")``): add ¾ to
        detractors, 3/2 to passives and ¾ to promoters (n + 3), then the Wald interval
        on the adjusted proportions. The interval is centred on the adjusted NPS.
    confidence
        Confidence level.
    n_effective
        Sample size to use for the variance (e.g. Kish's effective n with weights). The
        class shares still come from the counts given. Default: their sum.

    Returns
    -------
    dict of numpy.ndarray
        ``n`` (the sample size used), ``estimate`` (unadjusted NPS, points), ``se``
        (points, of the interval's method), ``ci_low``, ``ci_high`` (points; not
        clipped, as in the R package). NaN where the sample size is 0.

    Examples
    --------
    >>> res = nps_interval(15, 20, 25, method="adjusted_wald")
    >>> {k: round(float(v), 2) for k, v in res.items()}
    {'n': 60.0, 'estimate': 16.67, 'se': 10.03, 'ci_low': -3.78, 'ci_high': 35.53}
    """
    z = z_critical(confidence)
    d = np.asarray(detractors, dtype=float)
    pa = np.asarray(passives, dtype=float)
    pr = np.asarray(promoters, dtype=float)
    total = d + pa + pr
    n = total if n_effective is None else np.asarray(n_effective, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_d, share_p = d / total, pr / total
        estimate = share_p - share_d
        if method == "wald":
            m, sd, sp = n, share_d, share_p
        elif method == "adjusted_wald":
            a_d, a_pa, a_pr = _ADJUSTMENT
            m = n + a_d + a_pa + a_pr
            sd = (share_d * n + a_d) / m
            sp = (share_p * n + a_pr) / m
        else:
            raise CXLabError(
                f"unknown NPS interval method {method!r}",
                fix="use 'wald' or 'adjusted_wald' (or 'bootstrap' in cxlab.nps functions)",
            )
        centre = sp - sd
        se = np.sqrt(nps_variance(sp, sd) / m)
        low, high = centre - z * se, centre + z * se
    bad = ~(n > 0)
    out = {"n": n, "estimate": estimate * 100, "se": se * 100, "ci_low": low * 100, "ci_high": high * 100}
    return {k: (np.where(bad, np.nan, v) if k != "n" else v) for k, v in out.items()}


def nps_bootstrap_bca(detractors: float, passives: float, promoters: float, *,
                      confidence: float = 0.95, n_resamples: int = 2000,
                      random_state: int | np.random.Generator | None = 0) -> dict[str, float]:
    """Bias-corrected and accelerated (BCa) bootstrap interval for one NPS, from counts.

    Resampling respondents with replacement is the same as drawing class counts from a
    multinomial with the observed shares, so the bootstrap runs on three numbers, not on
    rows. The acceleration comes from the jackknife, which for a trinomial has a closed
    form (leaving out one detractor, one passive or one promoter). The bias correction
    counts ties with the original estimate as one half (the statistic is discrete).

    Parameters
    ----------
    detractors, passives, promoters
        Class counts. Non-integers (weighted counts) are scaled to their rounded sum.
    confidence
        Confidence level.
    n_resamples
        Number of bootstrap resamples.
    random_state
        Seed or generator, for reproducibility.

    Returns
    -------
    dict
        ``estimate``, ``se`` (bootstrap standard deviation), ``ci_low``, ``ci_high``
        (points).

    References
    ----------
    Efron, B. & Tibshirani, R. (1993) *An Introduction to the Bootstrap*, ch. 14.

    Examples
    --------
    >>> res = nps_bootstrap_bca(15, 20, 25, n_resamples=2000, random_state=0)
    >>> {k: round(float(v), 1) for k, v in res.items()}
    {'estimate': 16.7, 'se': 10.1, 'ci_low': -5.0, 'ci_high': 36.7}
    """
    c = _check_confidence(confidence)
    counts = np.array([detractors, passives, promoters], dtype=float)
    total = counts.sum()
    n = int(round(total))
    if n < 2 or total <= 0:
        return {"estimate": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    shares = counts / total
    theta = shares[2] - shares[0]
    rng = np.random.default_rng(random_state)
    draws = rng.multinomial(n, shares, size=int(n_resamples))
    boot = (draws[:, 2] - draws[:, 0]) / n
    # bias correction (mid-rank for ties: the NPS only takes multiples of 1/n)
    eps = 1e-12
    prop = (np.sum(boot < theta - eps) + 0.5 * np.sum(np.abs(boot - theta) <= eps)) / boot.size
    prop = min(max(prop, 1.0 / (2 * boot.size)), 1 - 1.0 / (2 * boot.size))
    z0 = _st.norm.ppf(prop)
    # acceleration from the closed-form jackknife
    nd, np_, npr = shares * n
    jack = np.array([(npr - (nd - 1)), (npr - nd), ((npr - 1) - nd)]) / (n - 1)
    weights = np.array([nd, np_, npr])
    mean_jack = np.sum(weights * jack) / n
    diff = mean_jack - jack
    denom = 6.0 * np.sum(weights * diff**2) ** 1.5
    accel = np.sum(weights * diff**3) / denom if denom > 0 else 0.0
    zs = _st.norm.ppf([(1 - c) / 2, 1 - (1 - c) / 2])
    adj = _st.norm.cdf(z0 + (z0 + zs) / (1 - accel * (z0 + zs)))
    low, high = np.quantile(boot, adj)
    return {"estimate": theta * 100, "se": float(boot.std(ddof=1)) * 100, "ci_low": float(low) * 100,
            "ci_high": float(high) * 100}


# ----------------------------------------------------------------------- z tests
def two_sample_z(difference, se):
    """z statistic and two-sided normal p-value for a difference with its standard error.

    Examples
    --------
    >>> z, p = two_sample_z(0.10, 0.04)
    >>> round(float(z), 2), round(float(p), 4)
    (2.5, 0.0124)
    """
    diff = np.asarray(difference, dtype=float)
    se = np.asarray(se, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / se
    p = 2 * _st.norm.sf(np.abs(z))
    return z, p


# ----------------------------------------------------------------- multiplicity
#: cxlab's adjustment names and the ``method`` of statsmodels' ``multipletests``.
_MULTIPLETESTS = {"holm": "holm", "bonferroni": "bonferroni", "hochberg": "simes-hochberg", "sidak": "sidak",
                  "fdr_bh": "fdr_bh", "fdr_by": "fdr_by"}


def adjust_pvalues(p_values, *, method: str = "holm") -> np.ndarray:
    """Adjust a family of p-values for multiple comparisons (statsmodels ``multipletests``).

    A thin wrapper: statsmodels adjusts; cxlab keeps tests that were not run (NaN, e.g.
    suppressed groups) out of the family and NaN in the result, and checks the input.

    Parameters
    ----------
    p_values
        Array-like of p-values; NaN entries (tests not run, e.g. suppressed groups) stay
        NaN and are not counted in the family.
    method
        ``"holm"`` (default; step-down, controls the family-wise error rate),
        ``"bonferroni"``, ``"hochberg"`` (step-up), ``"sidak"``, ``"fdr_bh"``
        (Benjamini–Hochberg false discovery rate), ``"fdr_by"`` (Benjamini–Yekutieli) or
        ``"none"``.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values (capped at 1), in the input order.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, np.nan, 0.03])
    array([0.03, 0.06,  nan, 0.06])
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="fdr_bh")
    array([0.03, 0.04, 0.04])
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if method not in PVALUE_METHODS:
        raise CXLabError(f"unknown p-value adjustment {method!r}", fix=f"use one of {', '.join(PVALUE_METHODS)}")
    if (p[ok] < 0).any() or (p[ok] > 1).any():
        raise CXLabError("p-values must lie between 0 and 1", fix="pass raw p-values, not statistics")
    q = p[ok]
    if q.size == 0:
        return out
    if method == "none":
        out[ok] = q
        return out
    if method == "holm":
        # statsmodels' multipletests, Holm branch, step for step (argsort, (m - i) * p, running
        # maximum, capped at 1): the same numbers (tests compare them), without the gc.collect()
        # that branch runs on every call — 0.1 s in a session holding a large table, which an
        # explorer pays on every change
        order = np.argsort(q)
        stepped = np.maximum.accumulate(q[order] * np.arange(q.size, 0, -1))
        stepped[stepped > 1] = 1
        adjusted = np.empty_like(stepped)
        adjusted[order] = stepped
        out[ok] = np.minimum(adjusted, 1.0)
        return out
    from statsmodels.stats.multitest import multipletests

    out[ok] = np.minimum(multipletests(q, method=_MULTIPLETESTS[method])[1], 1.0)
    return out


# --------------------------------------------------------------------- weights
def kish_from_sums(sum_weights, sum_squared_weights):
    """Kish's effective sample size from Σw and Σw²: (Σw)² / Σw² (NaN when Σw² = 0).

    Examples
    --------
    >>> float(kish_from_sums(5.0, 8.5))
    2.9411764705882355
    """
    sw = np.asarray(sum_weights, dtype=float)
    sw2 = np.asarray(sum_squared_weights, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sw2 > 0, sw**2 / sw2, np.nan)


def kish_effective_n(weights) -> float:
    """Kish's effective sample size of a set of survey weights, (Σw)² / Σw².

    Equals the number of respondents when all weights are equal and is smaller the more
    the weights vary (Kish 1965, *Survey Sampling*, §11.7). Missing weights are an error.

    Examples
    --------
    >>> kish_effective_n([1, 1, 1, 1]), round(kish_effective_n([0.5, 0.5, 2, 2]), 2)
    (4.0, 2.94)
    """
    w = np.asarray(weights, dtype=float)
    if np.isnan(w).any() or (w < 0).any():
        raise CXLabError("weights must be non-negative numbers without gaps",
                         fix="fill or drop missing weights before computing an effective sample size")
    return float(kish_from_sums(w.sum(), np.square(w).sum()))


# ----------------------------------------------------------------- base rules
@dataclass(frozen=True)
class BaseFlags:
    """Result of :func:`base_flags`: which values to suppress and which to flag."""

    suppressed: np.ndarray
    low_base: np.ndarray


def base_flags(n, *, min_base: int = DEFAULT_MIN_BASE, low_base: int = DEFAULT_LOW_BASE) -> BaseFlags:
    """Apply the minimum-base rule to sample sizes.

    Parameters
    ----------
    n
        Number of responses per cell (unweighted).
    min_base
        Cells with fewer responses are suppressed: no value shown, no test run.
    low_base
        Cells with at least ``min_base`` but fewer than ``low_base`` are flagged.

    Returns
    -------
    BaseFlags
        Boolean arrays ``suppressed`` and ``low_base``.

    Examples
    --------
    >>> flags = base_flags([12, 45, 400], min_base=30, low_base=100)
    >>> flags.suppressed, flags.low_base
    (array([ True, False, False]), array([False,  True, False]))
    """
    if min_base < 0 or low_base < min_base:
        raise CXLabError(f"base thresholds must satisfy 0 <= min_base <= low_base, got {min_base} and {low_base}",
                         fix="e.g. min_base=30, low_base=100")
    n = np.asarray(n, dtype=float)
    suppressed = ~(n >= min_base)
    return BaseFlags(suppressed=suppressed, low_base=(~suppressed) & (n < low_base))


# --------------------------------------------------------------- effect sizes
def cohens_h(p1, p2):
    """Cohen's h for two proportions: 2·asin√p1 − 2·asin√p2 (Cohen 1988, §6.2).

    Examples
    --------
    >>> round(float(cohens_h(0.45, 0.30)), 3)
    0.311
    """
    return 2 * np.arcsin(np.sqrt(np.asarray(p1, dtype=float))) - 2 * np.arcsin(np.sqrt(np.asarray(p2, dtype=float)))


def cohens_d(mean1, mean2, sd1, sd2, n1, n2):
    """Cohen's d with the pooled standard deviation (Cohen 1988, §2.5).

    Examples
    --------
    >>> round(float(cohens_d(0.25, 0.05, 0.7, 0.8, 400, 300)), 3)
    0.269
    """
    m1, m2, s1, s2, a, b = (np.asarray(v, dtype=float) for v in (mean1, mean2, sd1, sd2, n1, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = np.sqrt(((a - 1) * s1**2 + (b - 1) * s2**2) / (a + b - 2))
        return (m1 - m2) / pooled


def cramers_v(table, *, bias_correction: bool = False) -> float:
    """Cramér's V for a contingency table (counts), optionally with Bergsma's (2013) correction.

    Examples
    --------
    >>> round(cramers_v([[30, 20, 50], [50, 20, 30]]), 3)
    0.224
    """
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    n = t.sum()
    r, k = t.shape
    if n == 0 or min(r, k) < 2:
        return float("nan")
    chi2 = _st.chi2_contingency(t, correction=False)[0]
    phi2 = chi2 / n
    if not bias_correction:
        return float(np.sqrt(phi2 / (min(r, k) - 1)))
    phi2c = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    rc = r - (r - 1) ** 2 / (n - 1)
    kc = k - (k - 1) ** 2 / (n - 1)
    return float(np.sqrt(phi2c / max(min(rc, kc) - 1, 1e-12)))


# ------------------------------------------------------- significance letters
def significance_letters(groups: Sequence, estimates, pairs, *, alpha: float = 0.05,
                         p_column: str = "p_adjusted") -> dict:
    """Market-research column letters: each group lists the groups it is significantly above.

    Groups are lettered A, B, C, … in the order given. A group's label collects the
    letters of every group whose estimate is significantly *lower* (``p < alpha`` in
    ``pairs``). This is how banner tables in market research mark significance.

    Parameters
    ----------
    groups
        Group labels in display order.
    estimates
        Estimate per group (same order).
    pairs
        DataFrame with columns ``group_a``, ``group_b`` and ``p_column``.
    alpha
        Significance level.
    p_column
        Column holding the (adjusted) p-value.

    Returns
    -------
    dict
        ``{group: (letter, "letters of groups it beats")}``.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"group_a": ["store", "store", "web"], "group_b": ["web", "phone", "phone"],
    ...                       "p_adjusted": [0.40, 0.001, 0.02]})
    >>> significance_letters(["store", "web", "phone"], [35.0, 30.0, 5.0], pairs)
    {'store': ('A', 'C'), 'web': ('B', 'C'), 'phone': ('C', '')}
    """
    groups = list(groups)
    if len(groups) > 52:
        raise CXLabError("significance letters support at most 52 groups", fix="compare fewer groups at once")
    alphabet = [chr(65 + i) for i in range(26)] + [chr(97 + i) for i in range(26)]
    letter = {g: alphabet[i] for i, g in enumerate(groups)}
    est = dict(zip(groups, np.asarray(estimates, dtype=float), strict=True))
    beats: dict = {g: [] for g in groups}
    for a, b, p in zip(pairs["group_a"], pairs["group_b"], pairs[p_column], strict=True):
        if a not in letter or b not in letter or not np.isfinite(p) or p >= alpha:
            continue
        hi, lo = (a, b) if est[a] > est[b] else (b, a)
        beats[hi].append(letter[lo])
    return {g: (letter[g], "".join(sorted(beats[g], key=alphabet.index))) for g in groups}
