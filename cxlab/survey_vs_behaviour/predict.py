"""Does what customers say predict what they do?

* :func:`repurchase_model`: logistic regression (statsmodels) of an actual outcome (bought
  again in the after-window) on the NPS class or score, with behavioural controls: odds ratios
  with intervals, the AUC with a bootstrap interval and a calibration table;
* :func:`outcome_by_nps_class`: repurchase rate and revenue after the survey by NPS class;
* :func:`driver_triad`: for each attribute rating, how it is rated (performance), how much it
  drives the likelihood to recommend (what people *say*) and how much it drives actual
  repurchase (what they *do*), side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as _st

from cxlab import stats as cxs
from cxlab.errors import CXLabError
from cxlab.survey_vs_behaviour._common import as_list, require_columns, require_frame, wilson

__all__ = ["RepurchaseModel", "repurchase_model", "outcome_by_nps_class", "driver_triad", "NPS_CLASSES"]

NPS_CLASSES: tuple[str, ...] = ("detractor", "passive", "promoter")


def _binary(series: pd.Series, name: str) -> np.ndarray:
    v = pd.to_numeric(series.astype("float64") if series.dtype == bool else series, errors="coerce")
    v = v.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isnan(v) & ~np.isin(v, (0.0, 1.0))
    if bad.any():
        raise CXLabError(f"{int(bad.sum())} value(s) are not 0/1", column=name, rows=(np.flatnonzero(bad) + 1).tolist(),
                         fix="the outcome must be 1 (did) / 0 (did not), missing when unknown")
    return v


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve via the Mann–Whitney rank sum (ties count one half)."""
    pos = y == 1
    n1, n0 = int(pos.sum()), int((~pos).sum())
    if n1 == 0 or n0 == 0:
        return np.nan
    ranks = _st.rankdata(p)
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _nps_class(data: pd.DataFrame, score: str) -> pd.Series:
    from cxlab.nps import classify_nps

    return classify_nps(data[score])


@dataclass(frozen=True)
class RepurchaseModel:
    """A fitted logistic model of an actual outcome on what was said.

    Attributes
    ----------
    odds_ratios
        ``term``, ``estimate`` (odds ratio), ``ci_low``, ``ci_high``, ``p_value``.
    auc
        One row: ``estimate``, ``ci_low``, ``ci_high`` (percentile bootstrap), ``n``: the whole
        model, controls included.
    auc_predictor
        The same for what the customer said alone (the NPS class as an ordered score, or the
        numeric predictor), so a finding never credits the controls' strength to the survey.
    calibration
        By bin of predicted probability: ``predicted`` (mean), ``observed`` rate, ``ci_low``,
        ``ci_high`` (Wilson), ``n``.
    n_used, n_missing
        Rows in the model; rows left out for a missing outcome, predictor or control.
    result
        The statsmodels results object.
    """

    odds_ratios: pd.DataFrame
    auc: pd.DataFrame
    calibration: pd.DataFrame
    n_used: int
    n_missing: int
    formula: str
    result: object = None
    auc_predictor: pd.DataFrame | None = None

    def summary(self) -> str:
        a = self.auc.iloc[0]
        return (f"Logistic model on {self.n_used:,} respondents ({self.n_missing:,} left out): "
                f"AUC {a.estimate:.2f} ({a.ci_low:.2f}–{a.ci_high:.2f}).")

    def plot(self, ax=None):
        from cxlab.plots.survey_vs_behaviour import plot_calibration

        return plot_calibration(self.calibration, ax=ax)


def repurchase_model(
    data: pd.DataFrame,
    *,
    outcome: str = "bought_after",
    predictor: str = "nps_class",
    score: str = "likelihood_to_recommend",
    controls: Sequence[str] = (),
    confidence: float = 0.95,
    n_boot: int = 500,
    bins: int = 10,
    seed: int | None = 0,
) -> RepurchaseModel:
    """Logistic regression of an actual 0/1 outcome on the NPS class (or score) and controls.

    Parameters
    ----------
    data
        One row per respondent (e.g. :func:`~cxlab.survey_vs_behaviour.say_do_table`).
    outcome
        The 0/1 outcome column (missing = unknown, left out).
    predictor
        ``"nps_class"`` (detractor as the reference class, derived from ``score``) or a numeric column
        such as ``likelihood_to_recommend``.
    score
        The 0–10 column the NPS class comes from.
    controls
        Numeric behavioural controls (e.g. ``purchases_before``), entered as given.
    confidence, n_boot, bins, seed
        Interval level; bootstrap resamples for the AUC interval; calibration bins; seed.

    Returns
    -------
    RepurchaseModel

    Notes
    -----
    The AUC is measured on the data the model was fitted on (optimistic by a little for a
    model with few terms); its interval resamples respondents with the predictions held fixed.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> ltr = rng.integers(0, 11, 600)
    >>> df = pd.DataFrame({"likelihood_to_recommend": ltr,
    ...                    "bought_after": (rng.random(600) < 0.3 + 0.04 * ltr).astype(float)})
    >>> m = repurchase_model(df, n_boot=200)
    >>> print(m.odds_ratios[["term", "estimate", "ci_low", "ci_high"]].round(2).to_string(index=False))
                     term  estimate  ci_low  ci_high
     nps_class[T.passive]      1.95    1.28     2.96
    nps_class[T.promoter]      2.82    1.81     4.41
    """
    import statsmodels.formula.api as smf

    data = require_frame(data, "the data")
    controls = as_list(controls)
    need = [outcome, *controls] + ([score] if predictor == "nps_class" else [predictor])
    require_columns(data, need, "the data")
    frame, term = _model_frame(data, outcome=outcome, predictor=predictor, score=score, controls=controls)
    complete = frame.notna().all(axis=1)
    used = frame[complete].copy()
    n = len(used)
    if n < 20 or used["y"].nunique() < 2:
        raise CXLabError(f"only {n} complete respondent(s) or a single outcome value: too few to model",
                         column=outcome, fix="use a longer after-window or a larger survey")
    if predictor == "nps_class":
        used["nps_class"] = used["nps_class"].cat.remove_unused_categories()
    rhs = " + ".join([term] + ["c_" + c for c in controls])
    formula = f"y ~ {rhs}"
    res = smf.logit(formula, data=used).fit(disp=False)
    ci = res.conf_int(1 - confidence)
    names = [t for t in res.params.index if t != "Intercept"]
    ors = pd.DataFrame({"term": names, "estimate": np.exp(res.params[names].to_numpy()),
                        "ci_low": np.exp(ci.loc[names, 0].to_numpy()), "ci_high": np.exp(ci.loc[names, 1].to_numpy()),
                        "p_value": res.pvalues[names].to_numpy()})
    ors["term"] = ors["term"].str.replace("x_", "", regex=False).str.replace("c_", "", regex=False)
    p = res.predict(used).to_numpy()
    y = used["y"].to_numpy()
    said = (used["nps_class"].cat.codes.to_numpy().astype(float) if predictor == "nps_class"
            else used[term].to_numpy(dtype=float))  # detractor < passive < promoter
    auc_t, auc_said = _bootstrap_auc(y, p, said, n_boot=n_boot, seed=seed, confidence=confidence)
    cal = _calibration(p, y, bins=bins, confidence=confidence)
    return RepurchaseModel(odds_ratios=ors, auc=auc_t, calibration=cal, n_used=n, n_missing=int((~complete).sum()),
                           formula=formula, result=res, auc_predictor=auc_said)


def _model_frame(data: pd.DataFrame, *, outcome: str, predictor: str, score: str,
                 controls: list[str]) -> tuple[pd.DataFrame, str]:
    """The model's columns: ``y``, the predictor (NPS class or ``x_<column>``), ``c_<control>``; and its term."""
    frame = pd.DataFrame({"y": _binary(data[outcome], outcome)}, index=data.index)
    if predictor == "nps_class":
        cls = _nps_class(data, score)
        frame["nps_class"] = pd.Categorical(cls, categories=list(NPS_CLASSES))
        term = "nps_class"
    else:
        frame["x_" + predictor] = pd.to_numeric(data[predictor], errors="coerce")
        term = "x_" + predictor
    for c in controls:
        frame["c_" + c] = pd.to_numeric(data[c], errors="coerce")
    return frame, term


def _bootstrap_auc(y: np.ndarray, p: np.ndarray, said: np.ndarray, *, n_boot: int, seed: int | None,
                   confidence: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """AUC of the model and of the stated answer alone, each with a percentile bootstrap interval."""
    n = len(y)
    rng = np.random.default_rng(seed)
    boots, boots_said = [], []
    for _ in range(int(n_boot)):
        idx = rng.integers(0, n, n)
        if y[idx].min() != y[idx].max():
            boots.append(_auc(y[idx], p[idx]))
            boots_said.append(_auc(y[idx], said[idx]))
    a = (1 - confidence) / 2

    def table(estimate, values):
        lo, hi = (np.quantile(values, [a, 1 - a]) if values else (np.nan, np.nan))
        return pd.DataFrame([{"estimate": estimate, "ci_low": float(lo), "ci_high": float(hi), "n": n}])

    return table(_auc(y, p), boots), table(_auc(y, said), boots_said)


def _calibration(p: np.ndarray, y: np.ndarray, *, bins: int, confidence: float) -> pd.DataFrame:
    """Predicted against observed rates in bins of the predicted probability (Wilson intervals)."""
    n = len(y)
    q = pd.qcut(pd.Series(p).rank(method="first"), q=min(bins, n), labels=False).to_numpy()
    g = pd.DataFrame({"p": p, "y": y, "q": q}).groupby("q")
    cal = pd.DataFrame({"predicted": g["p"].mean(), "events": g["y"].sum(), "n": g.size()}).reset_index(drop=True)
    cal["observed"] = cal["events"] / cal["n"]
    cal["ci_low"], cal["ci_high"] = wilson(cal["events"], cal["n"], confidence)
    return cal[["predicted", "observed", "ci_low", "ci_high", "n"]]


def outcome_by_nps_class(
    data: pd.DataFrame,
    *,
    score: str = "likelihood_to_recommend",
    outcome: str = "bought_after",
    value: str | None = "revenue_after",
    confidence: float = 0.95,
    min_base: int = cxs.DEFAULT_MIN_BASE,
) -> pd.DataFrame:
    """Actual repurchase rate and revenue after the survey by NPS class, with intervals.

    Returns
    -------
    pandas.DataFrame
        One row per class: ``nps_class``, ``n``, ``repurchase`` (rate), ``repurchase_low``,
        ``repurchase_high`` (Wilson), and with ``value``: ``value_mean``, ``value_low``,
        ``value_high`` (t interval), ``suppressed`` (below ``min_base``, values blanked).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"likelihood_to_recommend": [0, 3, 7, 8, 9, 10, 10, None],
    ...                    "bought_after": [0, 1, 1, 0, 1, 1, 1, 1], "revenue_after": [0, 5, 9, 0, 8, 12, 10, 3]})
    >>> print(outcome_by_nps_class(df, min_base=1)[["nps_class", "n", "repurchase", "value_mean"]].to_string(index=False))
    nps_class  n  repurchase  value_mean
    detractor  2         0.5         2.5
      passive  2         0.5         4.5
     promoter  3         1.0        10.0
    """
    data = require_frame(data, "the data")
    require_columns(data, [score, outcome] + ([value] if value else []), "the data")
    cls = _nps_class(data, score)
    y = _binary(data[outcome], outcome)
    rows = []
    for c in NPS_CLASSES:
        m = (cls == c).to_numpy() & ~np.isnan(y)
        k, n = float(y[m].sum()), int(m.sum())
        row = {"nps_class": c, "n": n, "repurchase": k / n if n else np.nan}
        lo, hi = wilson(k, n, confidence)
        row["repurchase_low"], row["repurchase_high"] = float(lo), float(hi)
        if value:
            v = pd.to_numeric(data[value], errors="coerce").to_numpy(dtype=float, na_value=np.nan)[m]
            v = v[~np.isnan(v)]
            mean = float(v.mean()) if v.size else np.nan
            half = (_st.t.ppf(0.5 + confidence / 2, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
                    if v.size > 1 else np.nan)
            row.update(value_mean=mean, value_low=mean - half, value_high=mean + half)
        rows.append(row)
    out = pd.DataFrame(rows)
    out["suppressed"] = out["n"] < min_base
    vals = [c for c in out.columns if c not in ("nps_class", "n", "suppressed")]
    out.loc[out["suppressed"], vals] = np.nan
    return out


def driver_triad(
    data: pd.DataFrame,
    *,
    drivers: Sequence[str],
    stated_target: str = "likelihood_to_recommend",
    actual_target: str = "bought_after",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """What is rated, what drives what people say, and what drives what they do — per attribute.

    On the respondents with every rating and both targets: the **performance** (mean rating
    with a t interval), the **say importance** (standardised coefficient of the rating in an
    OLS of the stated target on all ratings) and the **do importance** (coefficient per
    standard deviation of the rating in a logistic regression of the actual 0/1 target on all
    ratings), each with its interval, and their ranks.

    Returns
    -------
    pandas.DataFrame
        ``driver``, ``performance``, ``performance_low``, ``performance_high``, ``say``,
        ``say_low``, ``say_high``, ``say_rank``, ``do``, ``do_low``, ``do_high``, ``do_p_value``,
        ``do_rank``, ``n``.
    """
    import statsmodels.api as sm

    data = require_frame(data, "the data")
    drivers = as_list(drivers)
    require_columns(data, [*drivers, stated_target, actual_target], "the data")
    X = data[drivers].apply(pd.to_numeric, errors="coerce")
    ys = pd.to_numeric(data[stated_target], errors="coerce")
    ya = pd.Series(_binary(data[actual_target], actual_target), index=data.index)
    ok = X.notna().all(axis=1) & ys.notna() & ya.notna()
    n = int(ok.sum())
    if n < len(drivers) + 20:
        raise CXLabError(f"only {n} respondents have every rating and both outcomes", column=actual_target,
                         fix="use fewer drivers or a longer after-window")
    X, ys, ya = X[ok], ys[ok], ya[ok]
    sd = X.std(ddof=1).replace(0, np.nan)
    Z = sm.add_constant((X - X.mean()) / sd)
    ols = sm.OLS((ys - ys.mean()) / ys.std(ddof=1), Z).fit()
    logit = sm.Logit(ya, Z).fit(disp=False)
    a = 1 - confidence
    ci_s, ci_d = ols.conf_int(a), logit.conf_int(a)
    tq = _st.t.ppf(0.5 + confidence / 2, n - 1)
    perf_half = tq * X.std(ddof=1) / np.sqrt(n)
    out = pd.DataFrame({
        "driver": drivers,
        "performance": X.mean().to_numpy(),
        "performance_low": (X.mean() - perf_half).to_numpy(),
        "performance_high": (X.mean() + perf_half).to_numpy(),
        "say": ols.params[drivers].to_numpy(), "say_low": ci_s.loc[drivers, 0].to_numpy(),
        "say_high": ci_s.loc[drivers, 1].to_numpy(),
        "do": logit.params[drivers].to_numpy(), "do_low": ci_d.loc[drivers, 0].to_numpy(),
        "do_high": ci_d.loc[drivers, 1].to_numpy(), "do_p_value": logit.pvalues[drivers].to_numpy(),
    })
    out["say_rank"] = out["say"].rank(ascending=False, method="min").astype(int)
    out["do_rank"] = out["do"].rank(ascending=False, method="min").astype(int)
    out["n"] = n
    return out[["driver", "performance", "performance_low", "performance_high", "say", "say_low", "say_high",
                "say_rank", "do", "do_low", "do_high", "do_p_value", "do_rank", "n"]]
