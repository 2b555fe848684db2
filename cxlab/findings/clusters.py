"""Findings on behavioural clusters: the most valuable cluster, the k the fit criteria prefer, and whether
the clusters come back in bootstrap samples (re-exported by :mod:`cxlab.findings.segmentation`)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cxlab.errors import CXLabError
from cxlab.findings.format import _missing, fmt_pct
from cxlab.findings.i18n import _, fmt_decimal, ngettext
from cxlab.findings.key import KeyFinding, key_finding

__all__ = ["cluster_finding", "CHANCE_ARI", "FEW_REPLICATES"]


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise CXLabError(f"the {what} table lacks column(s) {', '.join(missing)}", column=missing[0],
                         fix=f"pass the table returned by the cxlab function that builds the {what}")


#: a mean bootstrap ARI below this is close to chance agreement (ARI 0): no stable segments
CHANCE_ARI = 0.2


def _stability_words(est: float, low: float) -> str:
    if _missing(est):
        return _("the stability of the segments was not measured")
    if est >= 0.75 and (_missing(low) or low >= 0.6):
        return _("the segments are reproducible")
    if est >= 0.5:
        return _("the segments are only partly reproducible: the core of each segment comes back, its borders move "
                 "between samples")
    if est < CHANCE_ARI:
        return _("the segments are hardly more alike between samples than chance would make them: these data show "
                 "no stable behavioural segments at this k, so use the RFM segments above instead")
    return _("the segment borders move between samples: read them as tendencies, not hard classes")


def _stability_title(est: float, low: float) -> str:
    if _missing(est):
        return _("stability not measured")
    if est >= 0.75 and (_missing(low) or low >= 0.6):
        return _("reproducible")
    if est >= 0.5:
        return _("partly reproducible")
    if est < CHANCE_ARI:
        return _("no better than chance")
    return _("borders move between samples")


#: fewer bootstrap replicates than this: their range is reported, not a 95 % range (its 2.5 % and 97.5 %
#: points would be the extremes of a handful of values)
FEW_REPLICATES = 40


def cluster_finding(sizes: pd.DataFrame, k_table: pd.DataFrame, stability: pd.DataFrame, *, k: int,
                    method: str = "kmeans") -> KeyFinding:
    """The most valuable cluster, the k the silhouette prefers, and whether the clusters are reproducible.

    Parameters
    ----------
    sizes
        ``Segmentation.sizes`` (``segment`` 1..k ordered by revenue per customer, ``n``,
        ``share``, ``revenue_share``).
    k_table
        :func:`cxlab.segmentation.choose_k` (``k, silhouette``).
    stability
        :func:`cxlab.segmentation.cluster_stability` (``k, n_boot, estimate, ci_low, ci_high``).
    k
        The number of segments used.
    method
        The clustering method (``"kmeans"`` or ``"gmm"``), for the footnote.

    Returns
    -------
    KeyFinding
        "Reproducible" needs a mean bootstrap ARI of at least 0.75 with its lower 2.5%
        percentile at least 0.6; below an ARI of 0.5 the sentence says the borders move.

    Examples
    --------
    >>> sizes = pd.DataFrame({"segment": [1, 2, 3], "n": [10, 30, 60], "share": [0.1, 0.3, 0.6],
    ...                       "revenue_share": [0.45, 0.35, 0.2]})
    >>> ks = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.31, 0.35, 0.28]})
    >>> st = pd.DataFrame({"k": [2, 3, 4], "n_boot": 8, "estimate": [0.95, 0.9, 0.6], "ci_low": [0.9, 0.82, 0.3],
    ...                    "ci_high": [1.0, 0.97, 0.9]})
    >>> f = cluster_finding(sizes, ks, st, k=3)
    >>> print(f.title); print(f.text); print(f.footnote())
    3 behavioural segments: reproducible
    With k = 3, segment 1 — the highest revenue per customer — holds 10% of customers and 45% of revenue. The silhouette is highest at k = 3; the bootstrap ARI at k = 3 is 0.90 (95% of replicates between 0.82 and 0.97; 1 = the same segments every time), so the segments are reproducible.
    n = 100; ARI 0.90, 95% of 8 bootstrap replicates 0.82–0.97; k-means on log-scaled, standardised behavioural features
    """
    _require(sizes, ["segment", "share", "revenue_share"], "cluster sizes")
    _require(k_table, ["k", "silhouette"], "choose-k")
    _require(stability, ["k", "estimate", "ci_low", "ci_high"], "stability")
    s1 = sizes.sort_values("segment").iloc[0]
    n = int(sizes["n"].sum()) if "n" in sizes.columns else None
    how = {"kmeans": _("k-means on log-scaled, standardised behavioural features"),
           "gmm": _("Gaussian mixture on log-scaled, standardised behavioural features")}.get(
        method, _("{method} on log-scaled, standardised behavioural features").format(method=method))
    text = _("With k = {k}, segment 1 — the highest revenue per customer — holds {customers} of customers and "
             "{revenue} of revenue.").format(k=k, customers=fmt_pct(s1["share"]), revenue=fmt_pct(s1["revenue_share"]))
    sil = k_table.dropna(subset=["silhouette"])
    if not sil.empty:
        best = int(sil.loc[sil["silhouette"].idxmax(), "k"])
        text += _(" The silhouette is highest at k = {k};").format(k=best)
    else:
        text += _(" The silhouette could not be computed;")
    row = stability[stability["k"] == k]
    if row.empty:
        text += _(" the stability at k = {k} was not measured (add it to the ks of cluster_stability).").format(k=k)
        return key_finding(_("{k} behavioural segments: {verdict}").format(k=k, verdict=_("stability not measured")),
                           text, n=n, method=how)
    r = row.iloc[0]
    n_boot = int(r["n_boot"]) if "n_boot" in r.index else None
    if n_boot is not None and n_boot < FEW_REPLICATES and {"min_ari", "max_ari"} <= set(r.index):
        # a 95 % range needs dozens of replicates; with a handful, their range is what they show
        low, high = fmt_decimal(r["min_ari"], 2), fmt_decimal(r["max_ari"], 2)
        text += ngettext(" the bootstrap ARI at k = {k} is {ari} (its {n} replicate lies between {low} and {high}; "
                         "1 = the same segments every time), so {verdict}.",
                         " the bootstrap ARI at k = {k} is {ari} (its {n} replicates lie between {low} and {high}; "
                         "1 = the same segments every time), so {verdict}.", n_boot).format(
            k=k, ari=fmt_decimal(r["estimate"], 2), n=n_boot, low=low, high=high,
            verdict=_stability_words(r["estimate"], r["min_ari"]))
        return key_finding(_("{k} behavioural segments: {verdict}").format(
                               k=k, verdict=_stability_title(r["estimate"], r["min_ari"])), text, n=n, method=how,
                           interval=ngettext("ARI {ari}, {n} bootstrap replicate {low}–{high}",
                                             "ARI {ari}, {n} bootstrap replicates {low}–{high}", n_boot).format(
                               ari=fmt_decimal(r["estimate"], 2), n=n_boot, low=low, high=high))
    text += _(" the bootstrap ARI at k = {k} is {ari} ({p95} of replicates between {low} and {high}; 1 = the same "
              "segments every time), so {verdict}.").format(
        k=k, ari=fmt_decimal(r["estimate"], 2), p95=fmt_pct(0.95), low=fmt_decimal(r["ci_low"], 2),
        high=fmt_decimal(r["ci_high"], 2), verdict=_stability_words(r["estimate"], r["ci_low"]))
    reps = (_(" of {n} bootstrap replicates").format(n=int(r["n_boot"])) if "n_boot" in r.index
            else _(" of bootstrap replicates"))
    return key_finding(_("{k} behavioural segments: {verdict}").format(
                           k=k, verdict=_stability_title(r["estimate"], r["ci_low"])), text, n=n, method=how,
                       interval=_("ARI {ari}, {p95}{reps} {low}–{high}").format(
                           ari=fmt_decimal(r["estimate"], 2), p95=fmt_pct(0.95), reps=reps,
                           low=fmt_decimal(r["ci_low"], 2), high=fmt_decimal(r["ci_high"], 2)))
