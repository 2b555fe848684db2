"""Stated versus actual: categorical, binary and numeric agreement.

The statistics come from statsmodels and scipy; this module only arranges them:

* kappa (simple, linear- and quadratic-weighted, with the asymptotic standard errors of
  Fleiss, Cohen & Everitt 1969): :func:`statsmodels.stats.inter_rater.cohens_kappa`;
* Stuart–Maxwell (marginal homogeneity) and Bowker (symmetry):
  :class:`statsmodels.stats.contingency_tables.SquareTable`;
* McNemar (asymptotic, continuity-corrected, exact binomial):
  :func:`statsmodels.stats.contingency_tables.mcnemar`;
* Spearman's rank correlation and Wilcoxon's signed-rank test: :mod:`scipy.stats`;
  the proportional-bias regression of Bland–Altman: statsmodels OLS.

Every function drops pairs with a missing side and reports how many pairs it used
(``n_pairs``) and how many it dropped (``n_missing``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as _st

from cxlab import stats as cxs
from cxlab.errors import CXLabError
from cxlab.survey_vs_behaviour._common import as_list, levels_of, require_columns, require_frame, wilson

__all__ = ["Agreement", "agreement", "agreement_from_table", "claim_rates", "BinaryAgreement",
           "binary_agreement", "NumericAgreement", "numeric_agreement"]


# ----------------------------------------------------------------------------- categorical
@dataclass(frozen=True)
class Agreement:
    """Agreement between a stated and an actual categorical answer.

    Attributes
    ----------
    confusion
        Counts: rows = stated level, columns = actual level (all levels, zeros kept).
    statistics
        One row per statistic: ``statistic`` name, ``estimate``, ``se`` (asymptotic),
        ``ci_low``, ``ci_high``, ``test_statistic``, ``df``, ``p_value``, ``n``.
        Rows: percent_agreement, kappa, kappa_linear, kappa_quadratic, stuart_maxwell, bowker
        (the weighted kappas and the direction only when the levels are ordered).
    claims
        Over-claim (stated above actual), under-claim and agreement rates with Wilson intervals,
        overall and by group: ``group``, ``n``, ``agree``, ``over``, ``under`` and their
        ``*_low`` / ``*_high`` bounds, ``low_base``, ``suppressed``.
    n_pairs, n_missing
        Pairs used; rows dropped because one side was missing.
    stated, actual, ordered
        What was compared.
    """

    confusion: pd.DataFrame
    statistics: pd.DataFrame
    claims: pd.DataFrame
    n_pairs: int
    n_missing: int
    stated: str = "stated"
    actual: str = "actual"
    ordered: bool = True

    def estimate(self, name: str) -> float:
        """The estimate of one statistic (e.g. ``"kappa"``)."""
        row = self.statistics.loc[self.statistics["statistic"] == name]
        return float(row["estimate"].iloc[0]) if len(row) else float("nan")

    def summary(self) -> str:
        pa, k = self.estimate("percent_agreement"), self.estimate("kappa")
        text = f"{self.stated} vs {self.actual}: {self.n_pairs:,} pairs, agreement {pa:.0%}, kappa {k:.2f}"
        if self.ordered and len(self.claims):
            o = self.claims.iloc[0]
            text += f", over-claim {o.over:.0%}, under-claim {o.under:.0%}"
        return text + (f" ({self.n_missing:,} rows with a missing side left out)." if self.n_missing else ".")

    def plot(self, ax=None):
        from cxlab.plots.survey_vs_behaviour import plot_agreement_heatmap

        return plot_agreement_heatmap(self.confusion, ax=ax)

    def _repr_html_(self) -> str:
        return f"<p>{self.summary()}</p>" + self.statistics.to_html(index=False, float_format="{:.3f}".format)


def _kappa_rows(table: np.ndarray, ordered: bool, z: float) -> list[dict]:
    from statsmodels.stats.inter_rater import cohens_kappa

    rows = []
    n = float(table.sum())
    variants = [("kappa", None)] + ([("kappa_linear", "linear"), ("kappa_quadratic", "quadratic")] if ordered else [])
    for name, wt in variants:
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = cohens_kappa(table, wt=wt) if wt else cohens_kappa(table)
        est, se, se0 = float(res.kappa), float(res.std_kappa), float(res.std_kappa0)
        zval = est / se0 if se0 > 0 else np.nan
        rows.append({"statistic": name, "estimate": est, "se": se, "ci_low": est - z * se, "ci_high": est + z * se,
                     "test_statistic": zval, "df": np.nan,
                     "p_value": float(2 * _st.norm.sf(abs(zval))) if np.isfinite(zval) else np.nan, "n": n})
    return rows


def _square_tests(table: np.ndarray) -> list[dict]:
    from statsmodels.stats.contingency_tables import SquareTable

    n = float(table.sum())
    used = (table.sum(0) + table.sum(1)) > 0  # a level nobody stated or did carries no information
    t = table[np.ix_(used, used)]
    out = []
    for name, fn in (("stuart_maxwell", lambda st: st.homogeneity(method="stuart_maxwell")),
                     ("bowker", lambda st: st.symmetry(method="bowker"))):
        stat = df = p = np.nan
        if t.shape[0] >= 2:
            try:
                with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    r = fn(SquareTable(t, shift_zeros=False))
                stat, df, p = float(r.statistic), float(r.df), float(r.pvalue)
            except (np.linalg.LinAlgError, ValueError, ZeroDivisionError):
                pass
        out.append({"statistic": name, "estimate": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                    "test_statistic": stat, "df": df, "p_value": p, "n": n})
    return out


def agreement_from_table(confusion, *, ordered: bool = True, confidence: float = 0.95) -> pd.DataFrame:
    """Agreement statistics of one square stated × actual count table.

    Parameters
    ----------
    confusion
        Square table of counts (rows stated, columns actual, same levels in the same order).
    ordered
        Levels are ordered (adds linear and quadratic weighted kappa).
    confidence
        Level of the intervals (estimate ± z · ASE, as SAS PROC FREQ reports them).

    Returns
    -------
    pandas.DataFrame
        The ``statistics`` table described in :class:`Agreement`.

    Examples
    --------
    >>> t = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]   # statsmodels' SAS example
    >>> s = agreement_from_table(t)
    >>> print(s[["statistic", "estimate", "se"]].round(4).to_string(index=False))
            statistic  estimate     se
    percent_agreement    0.6842 0.1066
                kappa    0.4842 0.1380
         kappa_linear    0.4701 0.1457
      kappa_quadratic    0.4502 0.1922
       stuart_maxwell       NaN    NaN
               bowker       NaN    NaN
    """
    table = np.asarray(confusion, dtype=float)
    if table.ndim != 2 or table.shape[0] != table.shape[1]:
        raise CXLabError(f"the agreement table must be square, got shape {table.shape}",
                         fix="use the same levels for the stated and the actual answer")
    if (table < 0).any() or not np.isfinite(table).all():
        raise CXLabError("the agreement table has negative or missing counts", fix="pass counts")
    z = cxs.z_critical(confidence)
    n = float(table.sum())
    agree = float(np.trace(table))
    pa = agree / n if n else np.nan
    se = np.sqrt(pa * (1 - pa) / n) if n else np.nan
    lo, hi = wilson(agree, n, confidence)
    rows = [{"statistic": "percent_agreement", "estimate": pa, "se": se, "ci_low": float(lo), "ci_high": float(hi),
             "test_statistic": np.nan, "df": np.nan, "p_value": np.nan, "n": n}]
    if n > 0 and table.shape[0] >= 2:
        rows += _kappa_rows(table, ordered, z)
        rows += _square_tests(table)
    return pd.DataFrame(rows)


def claim_rates(over, under, n, *, confidence: float = 0.95) -> dict:
    """Agreement, over- and under-claim shares with Wilson intervals (from counts)."""
    over, under, n = np.asarray(over, float), np.asarray(under, float), np.asarray(n, float)
    agree = n - over - under
    out = {"n": n}
    for name, k in (("agree", agree), ("over", over), ("under", under)):
        with np.errstate(divide="ignore", invalid="ignore"):
            out[name] = np.where(n > 0, k / n, np.nan)
        out[f"{name}_low"], out[f"{name}_high"] = wilson(k, n, confidence)
    return out


def _codes(series: pd.Series, levels: list) -> np.ndarray:
    return pd.Categorical(series.astype("string") if not isinstance(series.dtype, pd.CategoricalDtype)
                          else series.astype("string"), categories=[str(v) for v in levels]).codes.astype(np.int64)


def agreement(
    data: pd.DataFrame,
    stated: str,
    actual: str,
    *,
    categories: Sequence | None = None,
    ordered: bool | None = None,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
    min_base: int = cxs.DEFAULT_MIN_BASE,
    low_base: int = cxs.DEFAULT_LOW_BASE,
) -> Agreement:
    """How well a stated answer matches what the customer actually did.

    Parameters
    ----------
    data
        One row per respondent (e.g. :func:`cxlab.survey_vs_behaviour.say_do_table`).
    stated, actual
        The two columns, on the same levels (e.g. ``stated_price_tier`` / ``actual_price_tier``).
    categories
        The levels, in order (default: the columns' categories, the known vocabularies, or sorted).
    ordered
        Whether the levels are ordered (default: ordered when the columns are ordered
        categoricals or use a known ordered vocabulary). Direction (over/under-claim) and
        weighted kappas need ordered levels.
    by
        Group column(s) for the over/under-claim table (e.g. a behavioural segment).
    confidence, min_base, low_base
        Interval level; groups below ``min_base`` pairs are suppressed, below ``low_base`` flagged.

    Returns
    -------
    Agreement
        ``.confusion``, ``.statistics``, ``.claims``, ``.n_pairs``, ``.n_missing``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"said": ["mid", "mid", "premium", "budget", None, "premium"],
    ...                    "did": ["mid", "budget", "mid", "budget", "mid", "premium"]})
    >>> res = agreement(df, "said", "did", min_base=1, low_base=1)
    >>> print(res.summary())
    said vs did: 5 pairs, agreement 60%, kappa 0.41, over-claim 40%, under-claim 0% (1 rows with a missing side left out).
    """
    data = require_frame(data, "the data")
    groups = as_list(by)
    require_columns(data, [stated, actual, *groups], "the data")
    levels = levels_of(data[stated], categories)
    if categories is None:
        extra = [v for v in levels_of(data[actual], None) if v not in levels]
        levels = levels + extra
    if ordered is None:
        ordered = (any(bool(getattr(data[c].dtype, "ordered", False)) for c in (stated, actual))
                   or _known_ordered(levels))
    s = _codes(data[stated], levels)
    a = _codes(data[actual], levels)
    both = (s >= 0) & (a >= 0)
    n_missing = int((~both).sum())
    k = len(levels)
    if k < 2:
        raise CXLabError(f"{stated!r} and {actual!r} have fewer than two levels", column=stated,
                         fix="agreement needs at least two possible answers")
    counts = np.bincount(s[both] * k + a[both], minlength=k * k).reshape(k, k)
    confusion = pd.DataFrame(counts, index=pd.Index([str(v) for v in levels], name=stated),
                             columns=pd.Index([str(v) for v in levels], name=actual))
    statistics = agreement_from_table(counts, ordered=ordered, confidence=confidence)

    over = (s > a) & both
    under = (s < a) & both
    frames = [pd.DataFrame({"group": ["all"], "over": [over.sum()], "under": [under.sum()], "n": [both.sum()]})]
    for g in groups:
        key = data[g].astype("string").fillna("(missing)").to_numpy()
        f = pd.DataFrame({"key": key, "over": over, "under": under, "n": both}).groupby("key", sort=True).sum()
        frames.append(pd.DataFrame({"group": [f"{g}: {v}" for v in f.index], "over": f["over"].to_numpy(),
                                    "under": f["under"].to_numpy(), "n": f["n"].to_numpy()}))
    c = pd.concat(frames, ignore_index=True)
    rates = claim_rates(c["over"], c["under"], c["n"], confidence=confidence)
    claims = pd.DataFrame({"group": c["group"], **rates})
    claims["n"] = claims["n"].astype(int)
    flags = cxs.base_flags(claims["n"].to_numpy(), min_base=min_base, low_base=low_base)
    claims["low_base"] = flags.low_base
    claims["suppressed"] = flags.suppressed
    value_cols = [col for col in claims.columns if col not in ("group", "n", "low_base", "suppressed")]
    claims.loc[claims["suppressed"], value_cols] = np.nan
    if not ordered:
        claims = claims.drop(columns=[c for c in claims.columns if c.startswith(("over", "under"))])
    return Agreement(confusion=confusion, statistics=statistics, claims=claims, n_pairs=int(both.sum()),
                     n_missing=n_missing, stated=stated, actual=actual, ordered=bool(ordered))


def _known_ordered(levels: Sequence) -> bool:
    from cxlab.survey_vs_behaviour._common import FREQUENCY_LEVELS, TIER_LEVELS

    return [str(v) for v in levels] in (list(FREQUENCY_LEVELS), list(TIER_LEVELS))


# ----------------------------------------------------------------------------- binary
@dataclass(frozen=True)
class BinaryAgreement:
    """Stated yes/no against actual yes/no (e.g. "will buy again" vs bought again).

    Attributes
    ----------
    table
        2 × 2 counts, rows stated (yes, no), columns actual (yes, no).
    tests
        McNemar's test three ways: ``method`` (asymptotic, corrected, exact), ``statistic``,
        ``p_value``, ``n_discordant``.
    accuracy
        ``measure`` (sensitivity, specificity, ppv, npv, stated_yes, actual_yes), ``estimate``,
        ``ci_low``, ``ci_high`` (Wilson), ``count``, ``n``.
    n_pairs, n_missing
        Pairs used and rows left out.
    """

    table: pd.DataFrame
    tests: pd.DataFrame
    accuracy: pd.DataFrame
    n_pairs: int
    n_missing: int

    def estimate(self, measure: str) -> float:
        return float(self.accuracy.set_index("measure").loc[measure, "estimate"])

    def summary(self) -> str:
        return (f"{self.n_pairs:,} pairs: {self.estimate('stated_yes'):.0%} said yes, "
                f"{self.estimate('actual_yes'):.0%} did; of those who said yes "
                f"{self.estimate('ppv'):.0%} did (exact McNemar p = "
                f"{self.tests.set_index('method').loc['exact', 'p_value']:.3g}).")


def binary_agreement(data: pd.DataFrame, stated: str, actual: str, *, confidence: float = 0.95) -> BinaryAgreement:
    """McNemar's test and the predictive accuracy of a stated yes/no against what happened.

    Parameters
    ----------
    data
        One row per respondent.
    stated, actual
        Columns holding 1/0 or True/False (missing allowed: the pair is left out).
    confidence
        Level of the Wilson intervals.

    Returns
    -------
    BinaryAgreement
        ``.table``, ``.tests``, ``.accuracy``, ``.n_pairs``, ``.n_missing``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"says": [1] * 40 + [0] * 20 + [None] * 3, "did": [1] * 25 + [0] * 15 + [1] * 5 + [0] * 18})
    >>> r = binary_agreement(df, "says", "did")
    >>> print(r.tests.round(4).to_string(index=False))
        method  statistic  p_value  n_discordant
    asymptotic       5.00   0.0253            20
     corrected       4.05   0.0442            20
         exact       5.00   0.0414            20
    """
    from statsmodels.stats.contingency_tables import mcnemar

    data = require_frame(data, "the data")
    require_columns(data, [stated, actual], "the data")
    s = pd.to_numeric(data[stated].astype("float64") if data[stated].dtype == bool else data[stated],
                      errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    a = pd.to_numeric(data[actual].astype("float64") if data[actual].dtype == bool else data[actual],
                      errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    for name, v in ((stated, s), (actual, a)):
        bad = ~np.isnan(v) & ~np.isin(v, (0.0, 1.0))
        if bad.any():
            raise CXLabError(f"{int(bad.sum())} value(s) are not 0/1 or yes/no", column=name,
                             rows=(np.flatnonzero(bad) + 1).tolist(), fix="recode the column to 1 (yes) / 0 (no)")
    both = ~np.isnan(s) & ~np.isnan(a)
    s, a = s[both].astype(bool), a[both].astype(bool)
    tt, tf, ft, ff = (int((s & a).sum()), int((s & ~a).sum()), int((~s & a).sum()), int((~s & ~a).sum()))
    table = pd.DataFrame([[tt, tf], [ft, ff]], index=pd.Index(["yes", "no"], name=stated),
                         columns=pd.Index(["yes", "no"], name=actual))
    t = table.to_numpy()
    rows = []
    for method, kw in (("asymptotic", dict(exact=False, correction=False)),
                       ("corrected", dict(exact=False, correction=True)), ("exact", dict(exact=True))):
        if tf + ft == 0:
            rows.append({"method": method, "statistic": np.nan, "p_value": np.nan, "n_discordant": 0})
            continue
        r = mcnemar(t, **kw)
        rows.append({"method": method, "statistic": float(r.statistic), "p_value": float(r.pvalue),
                     "n_discordant": tf + ft})
    n = tt + tf + ft + ff
    measures = [("sensitivity", tt, tt + ft), ("specificity", ff, ff + tf), ("ppv", tt, tt + tf),
                ("npv", ff, ff + ft), ("stated_yes", tt + tf, n), ("actual_yes", tt + ft, n)]
    acc = pd.DataFrame(measures, columns=["measure", "count", "n"])
    with np.errstate(divide="ignore", invalid="ignore"):
        acc["estimate"] = np.where(acc["n"] > 0, acc["count"] / acc["n"], np.nan)
    acc["ci_low"], acc["ci_high"] = wilson(acc["count"], acc["n"], confidence)
    acc = acc[["measure", "estimate", "ci_low", "ci_high", "count", "n"]]
    return BinaryAgreement(table=table, tests=pd.DataFrame(rows), accuracy=acc, n_pairs=int(n),
                           n_missing=int((~both).sum()))


# ----------------------------------------------------------------------------- numeric
@dataclass(frozen=True)
class NumericAgreement:
    """Stated versus actual numbers (Bland–Altman, Spearman, Wilcoxon, calibration).

    Attributes
    ----------
    statistics
        ``statistic`` (bias, loa_low, loa_high, proportional_bias, spearman, wilcoxon), ``estimate``,
        ``ci_low``, ``ci_high``, ``p_value``, ``n``.
    points
        Per pair: ``stated``, ``actual``, ``mean`` and ``difference`` (stated − actual), on the
        analysed scale (log10(1 + x) when ``log=True``).
    calibration
        Per stated bin: ``stated`` (mean), ``actual`` (mean) with its t interval, ``n``.
    n_pairs, n_missing, log
    """

    statistics: pd.DataFrame
    points: pd.DataFrame
    calibration: pd.DataFrame
    n_pairs: int
    n_missing: int
    log: bool = False

    def estimate(self, name: str) -> float:
        return float(self.statistics.set_index("statistic").loc[name, "estimate"])

    def summary(self) -> str:
        st = self.statistics.set_index("statistic")
        return (f"{self.n_pairs:,} pairs: stated minus actual {st.loc['bias', 'estimate']:+.2f} on average "
                f"({st.loc['bias', 'ci_low']:+.2f} to {st.loc['bias', 'ci_high']:+.2f}); 95 % of differences "
                f"between {st.loc['loa_low', 'estimate']:+.2f} and {st.loc['loa_high', 'estimate']:+.2f}; "
                f"Spearman {st.loc['spearman', 'estimate']:.2f}.")

    def plot(self, ax=None):
        from cxlab.plots.survey_vs_behaviour import plot_bland_altman

        return plot_bland_altman(self, ax=ax)


def numeric_agreement(data: pd.DataFrame, stated: str, actual: str, *, log: bool = False,
                      confidence: float = 0.95, bins: int = 10, loa_sd: float = 1.96) -> NumericAgreement:
    """Bland–Altman analysis of a stated against an actual number, with rank statistics.

    Bias is the mean of stated − actual with a t interval; the limits of agreement are
    bias ± 1.96 SD (``loa_sd``) with the approximate intervals of Bland & Altman (1999, *Stat Methods Med
    Res* 8:135), se ≈ SD·√(3/n); proportional bias is the OLS slope of the difference on the
    pair mean (statsmodels). Spearman's rho has a Fisher-z interval (Bonett & Wright 2000
    variance); Wilcoxon's signed-rank test comes from scipy.

    Parameters
    ----------
    data
        One row per respondent.
    stated, actual
        Numeric columns (missing allowed).
    log
        Analyse log10(1 + x): for counts whose spread grows with their size.
    confidence
        Level of the intervals (the limits of agreement themselves always cover 95 %).
    bins
        Number of quantile bins of the stated value for the calibration table.
    loa_sd
        Limits of agreement at bias ± ``loa_sd`` standard deviations (1.96: 95 % of differences;
        Bland & Altman's 1986 paper used 2).

    Returns
    -------
    NumericAgreement

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"said": [2, 4, 4, 6, 8, 10, 12, None], "did": [1, 3, 5, 4, 6, 9, 8, 3]})
    >>> r = numeric_agreement(df, "said", "did", bins=3)
    >>> print(r.statistics[["statistic", "estimate", "p_value", "n"]].round(3).to_string(index=False))
            statistic  estimate  p_value  n
                 bias     1.429    0.047  7
              loa_low    -1.535      NaN  7
             loa_high     4.392      NaN  7
    proportional_bias     0.262    0.208  7
             spearman     0.901    0.006  7
             wilcoxon     2.500    0.078  7
    """
    import statsmodels.api as sm

    data = require_frame(data, "the data")
    require_columns(data, [stated, actual], "the data")
    s = pd.to_numeric(data[stated], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    a = pd.to_numeric(data[actual], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    both = np.isfinite(s) & np.isfinite(a)
    n = int(both.sum())
    if n < 3:
        raise CXLabError(f"only {n} complete stated/actual pair(s); at least 3 are needed", column=stated,
                         fix="check that the stated and actual columns are filled for the same respondents")
    s, a = s[both], a[both]
    if log:
        if (s < 0).any() or (a < 0).any():
            raise CXLabError("log=True needs non-negative values", column=stated, fix="use log=False")
        s, a = np.log10(1 + s), np.log10(1 + a)
    d = s - a
    m = (s + a) / 2
    bias, sd = float(d.mean()), float(d.std(ddof=1))
    tq = _st.t.ppf(0.5 + confidence / 2, n - 1)
    se_b = sd / np.sqrt(n)
    se_l = sd * np.sqrt(3.0 / n)
    p_bias = float(2 * _st.t.sf(abs(bias / se_b), n - 1)) if se_b > 0 else np.nan
    rows = [("bias", bias, bias - tq * se_b, bias + tq * se_b, p_bias)]
    for name, lim in (("loa_low", bias - loa_sd * sd), ("loa_high", bias + loa_sd * sd)):
        rows.append((name, lim, lim - tq * se_l, lim + tq * se_l, np.nan))
    ols = sm.OLS(d, sm.add_constant(m)).fit()
    ci = ols.conf_int(1 - confidence)[1]
    rows.append(("proportional_bias", float(ols.params[1]), float(ci[0]), float(ci[1]), float(ols.pvalues[1])))
    rho, p_rho = _st.spearmanr(s, a)
    rho = float(rho)
    zc = cxs.z_critical(confidence)
    se_z = np.sqrt((1 + rho**2 / 2) / (n - 3)) if n > 3 else np.nan
    zr = np.arctanh(np.clip(rho, -0.999999, 0.999999))
    rows.append(("spearman", rho, float(np.tanh(zr - zc * se_z)), float(np.tanh(zr + zc * se_z)), float(p_rho)))
    if np.any(d != 0):
        w = _st.wilcoxon(s, a)
        rows.append(("wilcoxon", float(w.statistic), np.nan, np.nan, float(w.pvalue)))
    else:
        rows.append(("wilcoxon", np.nan, np.nan, np.nan, np.nan))
    statistics = pd.DataFrame(rows, columns=["statistic", "estimate", "ci_low", "ci_high", "p_value"])
    statistics["n"] = n
    points = pd.DataFrame({"stated": s, "actual": a, "mean": m, "difference": d})
    q = pd.qcut(pd.Series(s).rank(method="first"), q=min(bins, n), labels=False)
    g = points.groupby(q.to_numpy())
    cal = pd.DataFrame({"stated": g["stated"].mean(), "actual": g["actual"].mean(), "sd": g["actual"].std(ddof=1),
                        "n": g.size()}).reset_index(drop=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = _st.t.ppf(0.5 + confidence / 2, np.maximum(cal["n"] - 1, 1)) * cal["sd"] / np.sqrt(cal["n"])
    cal["ci_low"], cal["ci_high"] = cal["actual"] - half, cal["actual"] + half
    cal = cal.drop(columns="sd")
    return NumericAgreement(statistics=statistics, points=points, calibration=cal, n_pairs=n,
                            n_missing=int((~both).sum()), log=log)
