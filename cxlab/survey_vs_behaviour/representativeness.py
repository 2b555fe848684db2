"""Are respondents like the customer base? Balance on behaviour, and reweighting to the base.

Respondents are compared with the whole base on what every customer has — behaviour from
the transactions (RFM, value, channel and price-tier mix, a behavioural segment) and, when a
customers table exists, its columns such as region. The comparison is the **standardised mean
difference** (SMD; Austin 2009, *Stat Med* 28:3083): (mean among respondents − mean in the
base) / √((var₁ + var₂)/2), shown as a love plot; |SMD| above 0.1 is the usual flag.

Reweighting makes the respondents add up to the base on chosen behavioural variables:

* **post-stratification** (one variable, or the cells of several crossed): weight = base share
  of the cell / respondent share of the cell;
* **raking** (iterative proportional fitting on several margins at once) with
  `weightipy <https://pypi.org/project/weightipy/>`_'s RIM engine.

Why weightipy: a short trial on the demo (about 3,500 linked responses, raking on two behavioural
margins) with weightipy 0.4, ipfn 1.4 and samplics 0.6. weightipy weights a respondent-level
DataFrame directly (margins given as shares, one weight per row), ran in about 0.1 s and matches
every margin to 1e-6 (checked in the tests); it had a release in 2026. ipfn also converged
(0.1 s), but it fits an aggregated table whose cells must then be mapped back to the rows, and
its last release is from 2021. samplics 0.6: our trial call of ``SampleWeight.rake`` failed on
its signature and we did not pursue it. statsmodels has no raking.

Both produce a ``weight`` column (mean 1 over the weighted responses) that
:func:`cxlab.nps.nps_table` accepts (``weight="weight"``), with Kish's design effect and
effective sample size (:func:`weighting_summary`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlab import stats as cxs
from cxlab.errors import CXLabError
from cxlab.survey_vs_behaviour._common import as_list, require_columns, require_frame, text_key

__all__ = ["customer_profile", "balance_table", "poststratify", "rake", "weighting_summary",
           "respondent_weights"]


def customer_profile(
    transactions: pd.DataFrame,
    *,
    customers: pd.DataFrame | None = None,
    observation_end=None,
    extra: pd.DataFrame | None = None,
    channel_col: str = "channel",
    tier_col: str = "price_tier",
    segment_bins: int = 5,
) -> pd.DataFrame:
    """Per-customer behaviour for the balance check and for reweighting.

    Parameters
    ----------
    transactions
        The canonical ``transactions`` table.
    customers
        Optional; its ``region`` column is added when present.
    observation_end
        End of the period (default: the latest purchase).
    extra
        Optional per-customer columns to add (indexed by customer id), e.g. CLV from :mod:`cxlab.clv`.
    channel_col, tier_col
        Columns for the channel and price-tier mix (skipped when absent).
    segment_bins
        Bins of the RFM scores used for the named ``segment``
        (:func:`cxlab.segmentation.rfm_scores` / :func:`~cxlab.segmentation.rfm_segments`).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id: ``days_since_last``, ``purchases``, ``revenue``, ``tenure``,
        ``avg_purchase`` (:func:`cxlab.segmentation.rfm_table`), ``share_<channel>`` and
        ``share_<tier>`` (shares of purchases), ``segment`` (named RFM segment), ``region``.

    Examples
    --------
    >>> from cxlab.datasets import load_example
    >>> demo = load_example()
    >>> p = customer_profile(demo.transactions, observation_end=demo.observation_end)
    >>> p["segment"].value_counts().head(3).to_dict()
    {'loyal': 593, 'at risk': 474, 'lost': 380}
    """
    from cxlab import segmentation as seg

    transactions = require_frame(transactions, "the transactions")
    rfm = seg.rfm_table(transactions, observation_end=observation_end)
    rfm.index = rfm.index.astype("string")
    out = rfm.copy()
    ids = text_key(transactions["customer_id"])
    for col in (channel_col, tier_col):
        if col in transactions.columns and transactions[col].notna().any():
            mix = pd.crosstab(ids, transactions[col].astype("string"), normalize="index")
            mix.columns = [f"share_{c}" for c in mix.columns]
            out = out.join(mix)
    return finish_profile(out, rfm, segment_bins=segment_bins, customers=customers, extra=extra)


def finish_profile(out: pd.DataFrame, rfm: pd.DataFrame, *, segment_bins: int, customers: pd.DataFrame | None,
                   extra: pd.DataFrame | None) -> pd.DataFrame:
    """The last steps of :func:`customer_profile`, shared with the engine's version for scanned data: the
    RFM segment (or R-F cell), the region from the customers table and the caller's extra columns."""
    from cxlab import segmentation as seg

    scores = seg.rfm_scores(rfm, bins=segment_bins)
    if segment_bins == 5:
        named = seg.rfm_segments(scores)
        out["segment"] = named["segment"].astype("string").reindex(out.index).to_numpy()
    else:
        out["segment"] = (scores["r_score"].astype(str) + "-" + scores["f_score"].astype(str)).to_numpy()
    if customers is not None and "region" in customers.columns:
        reg = customers.assign(_id=text_key(customers["customer_id"])).drop_duplicates("_id").set_index("_id")["region"]
        out["region"] = reg.astype("string").reindex(out.index).to_numpy()
    if extra is not None:
        extra = extra.copy()
        extra.index = extra.index.astype("string")
        out = out.join(extra, how="left")
    return out


def _moments(x: np.ndarray, w: np.ndarray | None) -> tuple[float, float]:
    ok = np.isfinite(x)
    x = x[ok]
    if w is None:
        return (float(x.mean()), float(x.var(ddof=1))) if x.size > 1 else (np.nan, np.nan)
    w = w[ok]
    if w.sum() <= 0:
        return np.nan, np.nan
    m = float(np.average(x, weights=w))
    return m, float(np.average((x - m) ** 2, weights=w))


def balance_table(
    profile: pd.DataFrame,
    respondents: pd.Series | Sequence,
    *,
    columns: Sequence[str] | None = None,
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """Standardised mean differences between respondents and the whole base.

    Parameters
    ----------
    profile
        Per-customer table (:func:`customer_profile`), indexed by customer id.
    respondents
        Ids of the customers who answered, one entry per response: a customer who answered
        twice counts twice, as in every survey estimate.
    columns
        Variables to compare (default: every numeric column and every text column with at most
        20 levels, expanded to one 0/1 indicator per level).
    weights
        Optional weight per response (aligned with ``respondents``): adds the weighted SMD.

    Returns
    -------
    pandas.DataFrame
        ``variable``, ``mean_base``, ``mean_respondents``, ``smd`` (and ``mean_weighted``,
        ``smd_weighted`` with weights), ``n_base`` (customers), ``n_respondents`` (responses).

    Examples
    --------
    >>> import pandas as pd
    >>> prof = pd.DataFrame({"revenue": [10.0, 20, 30, 40, 50, 60]}, index=list("abcdef"))
    >>> print(balance_table(prof, ["e", "f", "d"]).round(3).to_string(index=False))
    variable  mean_base  mean_respondents  smd  n_base  n_respondents
     revenue       35.0              50.0  1.0       6              3
    """
    profile = require_frame(profile, "the customer profile")
    ids = pd.Series(respondents, dtype="string").reset_index(drop=True)
    if columns is None:
        columns = [c for c in profile.columns
                   if pd.api.types.is_numeric_dtype(profile[c]) or profile[c].nunique(dropna=True) <= 20]
    require_columns(profile, columns, "the customer profile")
    pos = profile.index.astype("string").get_indexer(ids.fillna(""))
    w = None
    if weights is None:
        pos = pos[pos >= 0]
    else:
        w_all = np.asarray(weights, dtype=float)
        keep = (pos >= 0) & np.isfinite(w_all)
        pos, w = pos[keep], w_all[keep]
    if pos.size == 0:
        raise CXLabError("none of the respondents is in the customer profile",
                         fix="link the survey first (link_survey) and pass the linked customer ids")
    rows = []
    for c in columns:
        col = profile[c]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            variables = [(c, col.to_numpy(dtype=float, na_value=np.nan))]
        else:
            s = col.astype("string")
            variables = [(f"{c}: {lv}", (s == lv).fillna(False).to_numpy(dtype=float))
                         for lv in sorted(s.dropna().unique())]
        for name, x in variables:
            mb, vb = _moments(x, None)
            mr, vr = _moments(x[pos], None)
            den = np.sqrt((vr + vb) / 2)
            row = {"variable": name, "mean_base": mb, "mean_respondents": mr,
                   "smd": (mr - mb) / den if den > 0 else 0.0}
            if w is not None:
                mw, vw = _moments(x[pos], w)
                row["mean_weighted"] = mw
                row["smd_weighted"] = (mw - mb) / np.sqrt((vw + vb) / 2) if (vw + vb) > 0 else 0.0
            rows.append(row)
    out = pd.DataFrame(rows)
    out["n_base"] = len(profile)
    out["n_respondents"] = int(pos.size)
    return out


def _targets(population: pd.DataFrame, var: str) -> dict:
    share = population[var].astype("string").value_counts(normalize=True, dropna=True)
    return {str(k): float(v) for k, v in share.items()}


def _prepare(responses: pd.DataFrame, population: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    responses = require_frame(responses, "the responses")
    population = require_frame(population, "the population")
    require_columns(responses, by, "the responses")
    require_columns(population, by, "the population (customer profile)")
    frame = responses[by].astype("string")
    placeable = np.array(frame.notna().all(axis=1).to_numpy(), dtype=bool)
    for v in by:
        known = set(population[v].astype("string").dropna().unique())
        placeable &= np.asarray(frame[v].isin(known).fillna(False).to_numpy(), dtype=bool)
    if not placeable.any():
        raise CXLabError(f"no response can be placed in the population cells of {', '.join(by)}",
                         column=by[0], fix="link the survey to customers and add their segments first")
    return frame, placeable


def poststratify(responses: pd.DataFrame, population: pd.DataFrame, *, by: str | Sequence[str]) -> pd.Series:
    """Post-stratification weights: base share of each cell over its respondent share.

    Parameters
    ----------
    responses
        One row per response with the cell variable(s) (missing where the response is unlinked).
    population
        One row per customer of the base with the same variable(s).
    by
        The variable(s); several are crossed into cells.

    Returns
    -------
    pandas.Series
        ``weight`` aligned with ``responses``: mean 1 over the placed responses; 0 for responses
        that cannot be placed (missing cell, or a cell the base does not have). Base cells
        without respondents cannot be represented: their share is spread over the other cells
        (see :func:`weighting_summary` for the resulting design effect).

    Examples
    --------
    >>> import pandas as pd
    >>> base = pd.DataFrame({"seg": ["a"] * 50 + ["b"] * 50})
    >>> resp = pd.DataFrame({"seg": ["a", "a", "a", "b", None]})
    >>> poststratify(resp, base, by="seg").round(3).tolist()
    [0.667, 0.667, 0.667, 2.0, 0.0]
    """
    by = as_list(by)
    frame, placeable = _prepare(responses, population, by)
    cell = frame.fillna("").agg(" | ".join, axis=1) if len(by) > 1 else frame[by[0]]
    pcell = population[by].astype("string").dropna()
    pcell = pcell.agg(" | ".join, axis=1) if len(by) > 1 else pcell[by[0]]
    pop_share = pcell.value_counts(normalize=True)
    samp = cell[placeable].value_counts(normalize=True)
    pop_share = pop_share[pop_share.index.isin(samp.index)]
    pop_share = pop_share / pop_share.sum()
    ratio = (pop_share / samp).reindex(samp.index)
    w = np.where(placeable, cell.map(ratio).to_numpy(dtype=float, na_value=0.0), 0.0)
    w = np.nan_to_num(w)
    w[placeable] = w[placeable] / w[placeable].mean()
    return pd.Series(w, index=responses.index, name="weight")


def rake(responses: pd.DataFrame, population: pd.DataFrame, *, by: Sequence[str], max_iterations: int = 1000,
         convergence: float = 1e-8, cap: float | None = None) -> pd.Series:
    """Raking (iterative proportional fitting) weights on several margins, with weightipy.

    Parameters
    ----------
    responses, population
        As for :func:`poststratify`.
    by
        The margin variables (each matched separately, not crossed).
    max_iterations, convergence
        Passed to weightipy's RIM engine.
    cap
        Optional upper bound on a weight (weightipy trims and re-rakes).

    Returns
    -------
    pandas.Series
        ``weight`` aligned with ``responses``: mean 1 over the placed responses, 0 elsewhere.

    Examples
    --------
    >>> import pandas as pd
    >>> base = pd.DataFrame({"seg": ["a", "b"] * 50, "city": ["x"] * 30 + ["y"] * 70})
    >>> resp = pd.DataFrame({"seg": ["a", "a", "a", "b", "b", "a"], "city": ["x", "y", "x", "y", "y", "y"]})
    >>> w = rake(resp, base, by=["seg", "city"])
    >>> round(float(w[resp["seg"] == "a"].sum() / w.sum()), 3), round(float(w[resp["city"] == "x"].sum() / w.sum()), 3)
    (0.5, 0.3)
    """
    try:
        import weightipy as wp
    except ImportError:  # pragma: no cover - weightipy is a core dependency
        raise CXLabError("raking needs the weightipy package, which is not installed",
                         fix="pip install weightipy (or `make lab`)") from None
    by = as_list(by)
    frame, placeable = _prepare(responses, population, by)
    sample = frame[placeable].reset_index(drop=True)
    targets = {}
    for v in by:
        t = _targets(population, v)
        present = set(sample[v].unique())
        t = {k: s for k, s in t.items() if k in present}
        total = sum(t.values())
        targets[v] = {k: 100.0 * s / total for k, s in t.items()}
    params = {"max_iterations": max_iterations, "convcrit": convergence}
    if cap is not None:
        params["cap"] = cap
    scheme = wp.scheme_from_dict(targets, rim_params=params)
    weighted = wp.weight_dataframe(sample.astype(str), scheme, weight_column="_w")
    w = np.zeros(len(responses))
    vals = weighted["_w"].to_numpy(dtype=float)
    w[placeable] = vals / vals.mean()
    return pd.Series(w, index=responses.index, name="weight")


def respondent_weights(say_do: pd.DataFrame, profile: pd.DataFrame, *, by: str | Sequence[str],
                       method: str = "rake", customer_col: str = "customer_id") -> pd.Series:
    """Weights for linked responses so they match the customer base on ``by``.

    Looks up each response's customer in ``profile`` (:func:`customer_profile`) and calls
    :func:`rake` (``method="rake"``) or :func:`poststratify` (``method="poststratify"``).

    Returns
    -------
    pandas.Series
        ``weight`` aligned with ``say_do`` (0 for unlinked responses).
    """
    by = as_list(by)
    require_columns(say_do, [customer_col], "the say-do table")
    require_columns(profile, by, "the customer profile")
    ids = text_key(say_do[customer_col])
    looked = profile[by].copy()
    looked.index = looked.index.astype("string")
    resp = looked.reindex(ids.fillna("").to_numpy()).reset_index(drop=True)
    resp.index = say_do.index
    if method == "rake":
        return rake(resp, profile, by=by)
    if method == "poststratify":
        return poststratify(resp, profile, by=by)
    raise CXLabError(f"unknown weighting method {method!r}", fix="use 'rake' or 'poststratify'")


def weighting_summary(weights) -> pd.DataFrame:
    """Kish's design effect and effective sample size of a set of weights.

    The design effect due to unequal weights is deff = n·Σw² / (Σw)² and the effective
    sample size is (Σw)² / Σw² = n / deff (Kish 1965, *Survey Sampling*, §11.7); responses
    with weight 0 (not placed) are left out.

    Returns
    -------
    pandas.DataFrame
        One row: ``n`` (weighted responses), ``n_zero``, ``min``, ``max``, ``design_effect``,
        ``effective_n``, ``efficiency`` (effective_n / n).

    Examples
    --------
    >>> print(weighting_summary([1, 1, 2, 2, 0]).round(3).to_string(index=False))
     n  n_zero  min  max  design_effect  effective_n  efficiency
     4       1  1.0  2.0          1.111          3.6         0.9
    """
    w = np.asarray(weights, dtype=float)
    if np.isnan(w).any() or (w < 0).any():
        raise CXLabError("weights must be non-negative numbers without gaps",
                         fix="use the weights returned by rake / poststratify")
    pos = w[w > 0]
    n = pos.size
    eff = cxs.kish_effective_n(pos) if n else np.nan
    return pd.DataFrame([{"n": n, "n_zero": int((w == 0).sum()), "min": float(pos.min()) if n else np.nan,
                          "max": float(pos.max()) if n else np.nan, "design_effect": n / eff if n else np.nan,
                          "effective_n": eff, "efficiency": eff / n if n else np.nan}])
