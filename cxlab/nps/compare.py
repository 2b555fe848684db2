"""Comparing the NPS of groups or periods: two-sample z-tests, pairwise tests with letters, omnibus."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as _st

from cxlab import stats as cxs
from cxlab.errors import CXLabError
from cxlab.nps.counts import (
    DEFAULT_SCORE,
    _check_cutoffs,
    _check_method,
    _group_columns,
    score_counts,
)
from cxlab.nps.intervals import _Classes, _classes, nps_from_counts

__all__ = ["compare_nps", "nps_pairwise", "NPSComparison"]


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

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "channel": ["store"] * 60 + ["web"] * 40,
    ...     "likelihood_to_recommend": [10] * 25 + [8] * 20 + [4] * 15 + [9] * 12 + [7] * 10 + [2] * 18})
    >>> result = compare_nps(survey, by="channel", groups=("store", "web"))
    >>> print(result[["group_a", "group_b", "estimate", "ci_low", "ci_high", "p_value"]].round(3).to_string())
      group_a group_b  estimate  ci_low  ci_high  p_value
    0   store     web    31.667  -1.616   64.949    0.062
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
        ``suppressed``, ``complementary``, ``low_base``.
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
                 promoter_min: int = 9, complementary: bool | None = None) -> NPSComparison:
    """Compare the NPS of many groups: chi-square, pairwise z-tests with correction, letters.

    Parameters
    ----------
    data
        Survey responses.
    by
        Grouping column(s).
    score, weight, confidence, min_base, low_base, detractor_max, promoter_min
        As in :func:`nps_table`. Groups below ``min_base`` take part in no test.
    complementary
        As in :func:`nps_table`: a group hidden only so that the small groups cannot be
        derived from the total is not shown and not tested either (a letter would betray it).
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

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "channel": ["store"] * 60 + ["web"] * 40,
    ...     "likelihood_to_recommend": [10] * 25 + [8] * 20 + [4] * 15 + [9] * 12 + [7] * 10 + [2] * 18})
    >>> phone = pd.DataFrame({"channel": "phone", "likelihood_to_recommend": [9] * 10 + [5] * 25})
    >>> survey = pd.concat([survey, phone])
    >>> comparison = nps_pairwise(survey, by="channel")
    >>> print(comparison.table[["group", "letter", "higher_than", "n", "estimate"]].round(1).to_string())
       group letter higher_than   n  estimate
    0  phone      A              35     -42.9
    1  store      B           A  60      16.7
    2    web      C              40     -15.0
    >>> print(comparison.pairwise[["group_a", "group_b", "estimate", "p_adjusted", "significant"]].round(3).to_string())
      group_a group_b  estimate  p_adjusted  significant
    0   phone   store   -59.524       0.004         True
    1   phone     web   -27.857       0.172        False
    2   store     web    31.667       0.124        False
    """
    method = _diff_method(ci)
    dmax, pmin = _check_cutoffs(detractor_max, promoter_min)
    counts = score_counts(data, score=score, by=by, weight=weight)
    cols = _group_columns(counts)
    labels = _label(counts, cols)
    cls = _classes(counts, dmax, pmin)
    tab = nps_from_counts(counts, detractor_max=dmax, promoter_min=pmin, ci=method, confidence=confidence,
                          min_base=min_base, low_base=low_base, progress=False, complementary=complementary)
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
    for c in ("n", "estimate", "se", "ci_low", "ci_high", "suppressed", "complementary", "low_base"):
        table[c] = tab[c].to_numpy()
    return NPSComparison(table=table, pairwise=pw.reset_index(drop=True), omnibus=omnibus, alpha=alpha,
                         adjust=adjust)
