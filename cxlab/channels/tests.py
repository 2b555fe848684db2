"""Are the channels alike? Homogeneity tests across channels and the funnel plot's limits.

* :func:`homogeneity_tests` — for each score: chi-square on the channel × answer table with
  Cramér's V (scipy ``chi2_contingency`` and ``contingency.association``), Kruskal–Wallis
  for ordinal scales (scipy ``kruskal``), all from one count table.
* :func:`pairwise_channels` — every pair of channels: Mann–Whitney for ordinal scales,
  the NPS difference z-test of :func:`cxlab.nps.nps_pairwise` for NPS, Holm-adjusted.
* :func:`funnel_limits` — each channel's metric against its n, with the 95 % and 99.8 %
  control limits around the overall value (Spiegelhalter 2005): a channel outside the
  99.8 % funnel is out of line with the rest beyond what its sample size explains.

The module is named after what it holds (statistical tests); it is not a test suite.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st
from scipy.stats.contingency import association

from cxlab import stats as cxs
from cxlab._checks import require_columns
from cxlab.channels._common import get_metric, metric_values
from cxlab.channels.metrics import _labels
from cxlab.errors import CXLabError

__all__ = ["answer_counts", "homogeneity_tests", "pairwise_channels", "funnel_limits"]


def answer_counts(data: pd.DataFrame, *, score: str, channel: str = "channel",
                  scale: tuple[int, int] | None = None) -> pd.DataFrame:
    """Channel × answer count table of one score (rows: channels; columns: answer values).

    Values outside ``scale`` (when given) and missing answers are not counted.

    Examples
    --------
    >>> df = pd.DataFrame({"channel": ["a", "a", "b"], "csat": [5, 4, 5]})
    >>> print(answer_counts(df, score="csat", scale=(1, 5)).to_string())
             1  2  3  4  5
    channel               
    a        0  0  0  1  1
    b        0  0  0  0  1
    """
    if not isinstance(data, pd.DataFrame):  # Polars, DuckDB, Spark: counted in that engine (cxlab.engine)
        from cxlab.engine import answer_counts as engine_answer_counts

        return engine_answer_counts(data, score=score, channel=channel, scale=scale)
    require_columns(data, [channel, score], "the data")
    x = pd.to_numeric(data[score], errors="coerce")
    if scale is not None:
        x = x.where((x >= scale[0]) & (x <= scale[1]))
    frame = pd.DataFrame({"channel": _labels(data[channel]), "x": x}).dropna(subset=["x"])
    table = pd.crosstab(frame["channel"], frame["x"])
    table.columns = [int(c) if float(c).is_integer() else c for c in table.columns]
    if scale is not None:
        table = table.reindex(columns=range(int(scale[0]), int(scale[1]) + 1), fill_value=0)
    table.index = table.index.astype(str)
    return table


def _expand(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    return np.repeat(values.astype(float), counts.astype(np.int64))


def homogeneity_tests(data: pd.DataFrame, *, metrics: Sequence[str] | None = None, channel: str = "channel",
                      min_base: int = cxs.DEFAULT_MIN_BASE) -> pd.DataFrame:
    """Omnibus tests that a score is distributed alike in every channel.

    Parameters
    ----------
    data
        Survey responses or interactions.
    metrics
        Metric names (see :data:`cxlab.channels.METRICS`) of this table. For NPS the
        chi-square is on detractor / passive / promoter counts and Kruskal–Wallis on the
        0–10 answers; for a rating, both on its answers; for shares, the chi-square only.
    channel
        The channel column.
    min_base
        Channels with fewer answers take part in no test.

    Returns
    -------
    pandas.DataFrame
        One row per metric and test: ``metric``, ``test`` (``chi-square``,
        ``Kruskal-Wallis``), ``channels``, ``n``, ``statistic``, ``dof``, ``p_value``,
        ``effect_size`` (Cramér's V for the chi-square, ε² = H/(n−1) for Kruskal–Wallis),
        ``effect_measure``.

    Examples
    --------
    >>> from cxlab.datasets import load_example
    >>> t = homogeneity_tests(load_example().survey_responses, metrics=["nps"])
    >>> print(t[["metric", "test", "channels", "dof"]].to_string(index=False))
    metric           test  channels  dof
       nps     chi-square         7   12
       nps Kruskal-Wallis         7    6
    """
    from cxlab.channels._common import METRICS

    if metrics is None:
        metrics = [k for k, m in METRICS.items() if m.column in data.columns]
    rows = []
    for name in metrics:
        m = get_metric(name)
        require_columns(data, [channel, m.column], "the data")
        if m.kind in ("nps", "mean"):
            table = answer_counts(data, score=m.column, channel=channel, scale=m.scale)
        else:
            y = metric_values(data, m)
            frame = pd.DataFrame({"channel": _labels(data[channel]), "y": y}).dropna(subset=["y"])
            table = pd.crosstab(frame["channel"], frame["y"])
            table.index = table.index.astype(str)
        table = table[table.sum(axis=1) >= max(min_base, 1)]
        n = int(table.to_numpy().sum())
        k = len(table)
        # chi-square: NPS on its three classes, others on their answers
        if m.kind == "nps":
            vals = np.asarray(table.columns, dtype=float)
            chi_table = np.column_stack([table.loc[:, vals <= 6].sum(axis=1), table.loc[:, (vals > 6) & (vals < 9)].sum(axis=1),
                                         table.loc[:, vals >= 9].sum(axis=1)])
        else:
            chi_table = table.to_numpy()
        chi_table = chi_table[:, chi_table.sum(axis=0) > 0]
        if k >= 2 and chi_table.shape[1] >= 2:
            res = _st.chi2_contingency(chi_table, correction=False)
            v = float(association(chi_table, method="cramer", correction=False))
            rows.append({"metric": name, "test": "chi-square", "channels": k, "n": n, "statistic": float(res.statistic),
                         "dof": int(res.dof), "p_value": float(res.pvalue), "effect_size": v,
                         "effect_measure": "Cramér's V"})
        else:
            rows.append({"metric": name, "test": "chi-square", "channels": k, "n": n, "statistic": np.nan,
                         "dof": 0, "p_value": np.nan, "effect_size": np.nan, "effect_measure": "Cramér's V"})
        if m.kind in ("nps", "mean"):
            vals = np.asarray(table.columns, dtype=float)
            samples = [_expand(vals, table.iloc[i].to_numpy()) for i in range(k)]
            if k >= 2 and len(np.unique(np.concatenate(samples))) > 1:
                h, p = _st.kruskal(*samples)
                eps2 = float(h) / (n - 1)
            else:
                h, p, eps2 = np.nan, np.nan, np.nan
            rows.append({"metric": name, "test": "Kruskal-Wallis", "channels": k, "n": n, "statistic": float(h),
                         "dof": max(k - 1, 0), "p_value": float(p), "effect_size": eps2,
                         "effect_measure": "epsilon squared"})
    return pd.DataFrame(rows, columns=["metric", "test", "channels", "n", "statistic", "dof", "p_value",
                                       "effect_size", "effect_measure"])


def pairwise_channels(data: pd.DataFrame, *, metric: str = "nps", channel: str = "channel", adjust: str = "holm",
                      alpha: float = 0.05, confidence: float = 0.95,
                      min_base: int = cxs.DEFAULT_MIN_BASE) -> pd.DataFrame:
    """Every pair of channels compared on one metric, p-values adjusted (default Holm).

    NPS: difference of the two NPS with its z-test and interval
    (:func:`cxlab.nps.nps_pairwise`). Ratings: Mann–Whitney U (scipy) on the answers, the
    difference of means with a Welch interval and the rank-biserial correlation as the
    effect size. Shares (FCR, complaint rate, top box): difference of proportions, z-test.

    Returns
    -------
    pandas.DataFrame
        ``channel_a``, ``channel_b``, ``n_a``, ``n_b``, ``estimate`` (a − b, in the metric's
        unit), ``ci_low``, ``ci_high``, ``statistic``, ``p_value``, ``p_adjusted``,
        ``effect_size``, ``test``, ``significant``.

    Examples
    --------
    >>> df = pd.DataFrame({"channel": ["a"] * 6 + ["b"] * 6 + ["c"] * 6,
    ...                    "csat": [5, 5, 4, 5, 4, 5, 2, 1, 2, 3, 1, 2, 4, 5, 4, 3, 5, 4]})
    >>> pw = pairwise_channels(df, metric="csat", min_base=0)
    >>> print(pw[["channel_a", "channel_b", "estimate", "p_adjusted"]].round(3).to_string(index=False))
    channel_a channel_b  estimate  p_adjusted
            a         b     2.833       0.012
            a         c     0.500       0.247
            b         c    -2.333       0.012
    """
    m = get_metric(metric)
    require_columns(data, [channel, m.column], "the data")
    if m.kind == "nps":
        from cxlab.nps import nps_pairwise

        cmp = nps_pairwise(data, by=channel, score=m.column, confidence=confidence, alpha=alpha, adjust=adjust,
                           min_base=min_base)
        n = cmp.table.set_index("group")["n"]
        pw = cmp.pairwise.rename(columns={"group_a": "channel_a", "group_b": "channel_b"})
        pw.insert(2, "n_a", pw["channel_a"].map(n).astype(int))
        pw.insert(3, "n_b", pw["channel_b"].map(n).astype(int))
        pw["test"] = "NPS difference z-test"
        return pw[["channel_a", "channel_b", "n_a", "n_b", "estimate", "ci_low", "ci_high", "statistic", "p_value",
                   "p_adjusted", "effect_size", "test", "significant"]]
    y = metric_values(data, m)
    frame = pd.DataFrame({"channel": _labels(data[channel]), "y": y}).dropna(subset=["y"])
    groups = {str(k): g["y"].to_numpy() for k, g in frame.groupby("channel", observed=True, sort=True)
              if len(g) >= max(min_base, 1)}
    z = cxs.z_critical(confidence)
    rows = []
    for a, b in itertools.combinations(groups, 2):
        xa, xb = groups[a], groups[b]
        diff = xa.mean() - xb.mean()
        if m.kind == "mean":
            u = _st.mannwhitneyu(xa, xb, alternative="two-sided")
            stat, p = float(u.statistic), float(u.pvalue)
            eff = 2 * stat / (xa.size * xb.size) - 1  # rank-biserial correlation
            se = np.sqrt(xa.var(ddof=1) / xa.size + xb.var(ddof=1) / xb.size)
            test = "Mann-Whitney U"
        else:
            pa, pb = xa.mean() / 100, xb.mean() / 100
            se = 100 * np.sqrt(pa * (1 - pa) / xa.size + pb * (1 - pb) / xb.size)
            stat, p = (float(v) for v in cxs.two_sample_z(diff, se))
            eff = float(cxs.cohens_h(pa, pb))
            test = "difference of proportions z-test"
        rows.append({"channel_a": a, "channel_b": b, "n_a": xa.size, "n_b": xb.size, "estimate": diff,
                     "ci_low": diff - z * se, "ci_high": diff + z * se, "statistic": stat, "p_value": p,
                     "effect_size": eff, "test": test})
    out = pd.DataFrame(rows, columns=["channel_a", "channel_b", "n_a", "n_b", "estimate", "ci_low", "ci_high",
                                      "statistic", "p_value", "effect_size", "test"])
    out.insert(9, "p_adjusted", cxs.adjust_pvalues(out["p_value"].to_numpy(), method=adjust))
    out["significant"] = out["p_adjusted"] < alpha
    return out


def funnel_limits(data: pd.DataFrame, *, metric: str = "nps", channel: str = "channel",
                  levels: Sequence[float] = (0.95, 0.998), points: int = 100) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Funnel plot data: each channel's metric against its n, and control limits.

    The target is the overall value of the metric; the limits at sample size n are
    target ± z·σ/√n with σ the per-answer standard deviation over all channels
    (Spiegelhalter 2005, *Statistics in Medicine* 24: 1185–1202). A channel outside the
    99.8 % limits differs from the rest by more than chance at its n.

    Returns
    -------
    (points, limits) : tuple of pandas.DataFrame
        ``points``: ``channel``, ``n``, ``estimate``, ``target``, ``z`` (standardised
        distance), ``outside_95``, ``outside_998``. ``limits``: ``n`` and
        ``low_<level>``/``high_<level>`` for each level (e.g. ``low_95``, ``high_99.8``).

    Examples
    --------
    >>> df = pd.DataFrame({"channel": ["a"] * 200 + ["b"] * 50, "csat": [4, 5] * 100 + [1, 2] * 25})
    >>> pts, lim = funnel_limits(df, metric="csat")
    >>> print(pts[["channel", "n", "estimate", "outside_998"]].to_string(index=False))
    channel   n  estimate  outside_998
          a 200       4.5         True
          b  50       1.5         True
    """
    m = get_metric(metric)
    require_columns(data, [channel, m.column], "the data")
    y = metric_values(data, m)
    frame = pd.DataFrame({"channel": _labels(data[channel]), "y": y}).dropna(subset=["y"])
    if frame.empty:
        raise CXLabError(f"no answers for {m.label}", column=m.column, fix="check the column holds values")
    target = float(frame["y"].mean())
    sigma = float(frame["y"].std(ddof=1))
    g = frame.groupby("channel", observed=True, sort=True)["y"].agg(["size", "mean"])
    pts = pd.DataFrame({"channel": g.index.astype(str), "n": g["size"].to_numpy(), "estimate": g["mean"].to_numpy()})
    pts["target"] = target
    with np.errstate(divide="ignore", invalid="ignore"):
        pts["z"] = (pts["estimate"] - target) / (sigma / np.sqrt(pts["n"]))
    n_grid = np.unique(np.geomspace(max(2, pts["n"].min() / 2), pts["n"].max() * 1.5, points).round())
    lim = pd.DataFrame({"n": n_grid})
    for lev in levels:
        zc = cxs.z_critical(lev)
        tag = f"{100 * lev:g}"
        lim[f"low_{tag}"] = target - zc * sigma / np.sqrt(n_grid)
        lim[f"high_{tag}"] = target + zc * sigma / np.sqrt(n_grid)
        pts[f"outside_{tag.replace('.', '')}"] = pts["z"].abs() > zc
    if m.scale is not None and m.kind == "mean":
        lim.iloc[:, 1:] = lim.iloc[:, 1:].clip(m.scale[0], m.scale[1])
    elif m.kind == "nps":
        lim.iloc[:, 1:] = lim.iloc[:, 1:].clip(-100, 100)
    else:
        lim.iloc[:, 1:] = lim.iloc[:, 1:].clip(0, 100)
    pts["metric"] = metric
    return pts, lim
