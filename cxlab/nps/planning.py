"""Planning a survey: responses needed to detect a change, expected margin of error."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlab._lazy import lazy_module
from cxlab import stats as cxs
from cxlab.errors import CXLabError

_st = lazy_module("scipy.stats")

__all__ = ["nps_sample_size", "nps_margin_of_error"]


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

    Examples
    --------
    >>> print(nps_sample_size([5, 10], p_promoter=0.45, p_detractor=0.20).to_string())
       change  power  confidence      design  n_per_group  n_total
    0     5.0    0.8        0.95  two_sample         3603     7206
    1    10.0    0.8        0.95  two_sample          876     1752
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

    Examples
    --------
    >>> print(nps_margin_of_error([100, 400, 1600], p_promoter=0.45, p_detractor=0.20).round(2).to_string())
            n  n_effective    se  margin_of_error
    0   100.0        100.0  7.66            15.02
    1   400.0        400.0  3.83             7.51
    2  1600.0       1600.0  1.92             3.76
    """
    _shares_ok(p_promoter, p_detractor, "expected shares")
    n = np.atleast_1d(np.asarray(n, dtype=float))
    if (n <= 0).any() or design_effect <= 0:
        raise CXLabError("n and design_effect must be positive", fix="e.g. n=400")
    n_eff = n / design_effect
    se = np.sqrt(cxs.nps_variance(p_promoter, p_detractor) / n_eff) * 100
    return pd.DataFrame({"n": n, "n_effective": n_eff, "se": se, "margin_of_error": cxs.z_critical(confidence) * se})
