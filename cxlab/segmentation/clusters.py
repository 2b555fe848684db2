"""Clustering customers on behavioural features: features, k-means/GMM fits, profiles, choice of k, stability."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxlab._checks import bad_rows
from cxlab.errors import CXLabError
from cxlab.rfm import _periods, _prepare, _timestamp, _to_ns
from cxlab.segmentation.scores import rfm_table, segment_summary

__all__ = [
    "customer_features",
    "default_cluster_columns",
    "profile_table",
    "Segmentation",
    "cluster_customers",
    "choose_k",
    "cluster_stability",
]

# --------------------------------------------------------------------------------------
# Behavioural clustering
# --------------------------------------------------------------------------------------

_RFM_FEATURES = ("days_since_last", "purchases", "revenue", "avg_purchase", "tenure")


def _slug(value: Any) -> str:
    return "(missing)" if pd.isna(value) else str(value).strip().lower().replace(" ", "_")


def customer_features(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    datetime_col: str = "timestamp",
    monetary_col: str = "amount",
    observation_end: Any = None,
    category_col: str | None = "category",
    channel_col: str | None = "channel",
    freq: str = "D",
) -> pd.DataFrame:
    """Behavioural features per customer: RFM plus category and channel mix.

    Parameters
    ----------
    transactions
        The canonical ``transactions`` table.
    category_col, channel_col
        Columns whose mix to add (``None`` to leave one out; the optional canonical
        ``category`` / ``channel`` are left out when the table has no such column). Missing
        values form their own ``(missing)`` level, so no purchase is dropped.
    customer_col, datetime_col, monetary_col, observation_end, freq
        As for :func:`rfm_table`.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id: the :func:`rfm_table` columns, ``cat_<category>`` (share of
        the customer's revenue in each category) and ``chan_<channel>`` (share of their
        purchase rows in each channel). Shares sum to 1 per customer.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "c", "d", "d", "d", "d"],
    ...     "timestamp": pd.to_datetime(["2025-01-05", "2025-02-10", "2025-03-20", "2025-01-07", "2025-03-01",
    ...                                  "2025-02-14", "2025-01-02", "2025-01-20", "2025-02-20", "2025-03-25"]),
    ...     "amount": [120.0, 80.0, 100.0, 40.0, 60.0, 500.0, 30.0, 35.0, 25.0, 40.0],
    ...     "category": ["wine", "cheese", "wine", "wine", "gifts", "gifts", "cheese", "cheese", "wine", "cheese"],
    ...     "channel": ["store", "web", "store", "web", "web", "store", "store", "store", "phone", "store"]})
    >>> features = customer_features(tx, observation_end="2025-03-31")
    >>> shown = ["purchases", "revenue", "cat_wine", "cat_gifts", "chan_store", "chan_web"]
    >>> print(features[shown].round(2).to_string())
                 purchases  revenue  cat_wine  cat_gifts  chan_store  chan_web
    customer_id
    a                  3.0    300.0      0.73        0.0        0.67      0.33
    b                  2.0    100.0      0.40        0.6        0.00      1.00
    c                  1.0    500.0      0.00        1.0        1.00      0.00
    d                  4.0    130.0      0.19        0.0        0.75      0.00
    """
    base = rfm_table(transactions, customer_col=customer_col, datetime_col=datetime_col,
                     monetary_col=monetary_col, observation_end=observation_end, freq=freq)
    prep = _prepare(transactions, customer_col, datetime_col, monetary_col)
    period = _periods(prep.ns, freq)
    p_end = (int(period.max()) if observation_end is None
             else int(_periods(_to_ns([_timestamp(observation_end, "observation_end")]), freq)[0]))
    inside = period <= p_end
    # base.index is uniques[keep]; map codes onto base rows
    pos = pd.Index(prep.uniques).get_indexer(base.index)
    row_of = np.full(len(prep.uniques), -1, dtype=np.int64)
    row_of[pos] = np.arange(len(base))
    codes = row_of[prep.codes[inside]]
    out = {c: base[c].to_numpy() for c in base.columns}
    for prefix, col, weighted in (("cat", category_col, True), ("chan", channel_col, False)):
        if col is None:
            continue
        if col not in transactions.columns:
            if col in ("category", "channel"):  # optional canonical columns: absent means left out
                continue
            raise CXLabError(f"the transactions table lacks column {col!r}", column=col,
                             fix=f"pass {prefix == 'cat' and 'category_col' or 'channel_col'}=None to leave it out")
        level_codes, levels = pd.factorize(transactions[col].to_numpy()[inside], use_na_sentinel=False)
        k = len(levels)
        w = prep.amount[inside] if weighted else np.ones(len(codes))
        mat = np.bincount(codes * k + level_codes, weights=w, minlength=len(base) * k).reshape(len(base), k)
        tot = mat.sum(axis=1, keepdims=True)
        mat = np.divide(mat, tot, out=np.zeros_like(mat), where=tot > 0)
        names = [f"{prefix}_{_slug(v)}" for v in levels]
        for j in np.argsort(names):
            out[names[j]] = mat[:, j]
    return pd.DataFrame(out, index=base.index)


def _transform(features: pd.DataFrame, columns: Sequence[str], transform: str) -> np.ndarray:
    """log1p (non-negative skewed columns) or normal scores of ranks, then standardise."""
    from scipy import stats as sps

    X = features[list(columns)].to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    bad = ~np.isfinite(X).all(axis=1)
    if bad.any():
        infinite = int(np.isinf(X).any(axis=1).sum())
        what = ("missing" if not infinite else "infinite" if infinite == int(bad.sum()) else "missing or infinite")
        raise CXLabError(f"{int(bad.sum())} customer(s) have {what} feature values",
                         column=str(np.array(columns)[~np.isfinite(X).all(axis=0)][0]), rows=bad_rows(bad),
                         fix="fill or drop those customers before clustering")
    if transform == "log":
        shares = [c.startswith(("cat_", "chan_")) for c in columns]
        for j, is_share in enumerate(shares):
            if not is_share and X[:, j].min() >= 0:
                X[:, j] = np.log1p(X[:, j])
    elif transform == "rank":
        n = len(X)
        X = sps.norm.ppf((np.apply_along_axis(sps.rankdata, 0, X) - 0.5) / n)
    elif transform != "none":
        raise CXLabError(f"transform={transform!r} is not known", fix="use 'log', 'rank' or 'none'")
    sd = X.std(axis=0)
    sd[sd == 0] = 1.0
    return (X - X.mean(axis=0)) / sd


def _fit(X: np.ndarray, method: str, k: int, random_state: int, n_init: int):
    if method == "kmeans":
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(X)
    if method == "gmm":
        from sklearn.mixture import GaussianMixture

        return GaussianMixture(n_components=k, covariance_type="full", n_init=max(1, n_init // 5),
                               reg_covar=1e-4, random_state=random_state).fit(X)
    raise CXLabError(f"method={method!r} is not known", fix="use 'kmeans' or 'gmm'")


def _relabel_by(values: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Renumber clusters 1..k by decreasing mean of ``values`` (stable, readable labels)."""
    means = np.array([values[labels == j].mean() if (labels == j).any() else -np.inf for j in range(k)])
    order = np.argsort(-means, kind="stable")
    new = np.empty(k, dtype=np.int64)
    new[order] = np.arange(1, k + 1)
    return new[labels]


#: at most this many category shares and this many channel shares among the default clustering features
MAX_DEFAULT_SHARES = 8


def default_cluster_columns(features: pd.DataFrame, *, max_shares: int = MAX_DEFAULT_SHARES) -> list[str]:
    """The features :func:`cluster_customers` uses when none are named: RFM plus category and channel mix.

    Of the ``cat_``/``chan_`` shares, at most ``max_shares`` of each kind: the ones with the largest
    mean share. A category column holding hundreds of product codes would otherwise make hundreds
    of clustering features, each nearly empty, that drown the behaviour. Name ``columns`` to use others.

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame(columns=["days_since_last", "purchases", "revenue", "cat_wine", "chan_web", "note"])
    >>> default_cluster_columns(features)
    ['days_since_last', 'purchases', 'revenue', 'cat_wine', 'chan_web']
    >>> many = pd.DataFrame({"revenue": [1.0, 2.0], **{f"cat_{i:03d}": [0.5 / (i + 1)] * 2 for i in range(300)}})
    >>> default_cluster_columns(many, max_shares=3)
    ['revenue', 'cat_000', 'cat_001', 'cat_002']
    """
    chosen = [c for c in features.columns if c in _RFM_FEATURES]
    for prefix in ("cat_", "chan_"):
        shares = [c for c in features.columns if str(c).startswith(prefix)]
        if len(shares) > max_shares:
            means = features[shares].mean() if len(features) else pd.Series(0.0, index=shares)
            keep = set(means.sort_values(ascending=False, kind="stable").index[:max_shares])
            shares = [c for c in shares if c in keep]
        chosen += shares
    return chosen


_default_columns = default_cluster_columns


def profile_table(features: pd.DataFrame, labels: Any, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Segment means against the overall mean, as an index (100 = average).

    Parameters
    ----------
    features
        One row per customer (e.g. :func:`customer_features`).
    labels
        Segment of each customer, aligned with ``features`` rows.

    Returns
    -------
    pandas.DataFrame
        Long table ``segment, feature, n, mean, overall_mean, index`` where
        ``index = 100 * mean / overall_mean`` (NaN when the overall mean is 0).

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame({"revenue": [100.0, 120.0, 900.0, 1100.0], "purchases": [1, 2, 9, 12]})
    >>> print(profile_table(features, [1, 1, 2, 2]).round(1).to_string())
       segment    feature  n    mean  overall_mean  index
    0        1    revenue  2   110.0         555.0   19.8
    1        1  purchases  2     1.5           6.0   25.0
    2        2    revenue  2  1000.0         555.0  180.2
    3        2  purchases  2    10.5           6.0  175.0
    """
    columns = list(columns) if columns is not None else list(features.select_dtypes("number").columns)
    labels = pd.Series(np.asarray(labels), index=features.index, name="segment")
    if len(labels) != len(features):
        raise CXLabError("labels and features have different lengths", fix="pass one label per customer")
    g = features[columns].groupby(labels, observed=True, sort=True)
    means = g.mean()
    n = g.size()
    overall = features[columns].mean()
    long = means.stack().rename("mean").reset_index()
    long.columns = ["segment", "feature", "mean"]
    long["n"] = long["segment"].map(n).astype(np.int64)
    long["overall_mean"] = long["feature"].map(overall)
    with np.errstate(divide="ignore", invalid="ignore"):
        long["index"] = np.where(long["overall_mean"] != 0, 100 * long["mean"] / long["overall_mean"], np.nan)
    return long[["segment", "feature", "n", "mean", "overall_mean", "index"]]


@dataclass(frozen=True)
class Segmentation:
    """A behavioural clustering: assignments, profiles and the fitted model.

    Attributes
    ----------
    table
        One row per customer: ``segment`` (1..k, ordered by revenue per customer),
        ``pc1, pc2`` (first two principal components of the scaled features, for scatter plots),
        ``probability`` (GMM membership probability of the assigned segment; 1 for k-means).
    profiles
        :func:`profile_table` of the clustering features.
    sizes
        ``segment, n, share, revenue, revenue_share`` per segment.
    method, k, transform, columns
        How it was made.
    silhouette
        Mean silhouette width (on up to 5,000 customers), computed when first read: it is the
        costly part of a fit (pairwise distances), and an explorer shows the segments first.
    model
        The fitted scikit-learn estimator.
    """

    table: pd.DataFrame
    profiles: pd.DataFrame
    sizes: pd.DataFrame
    method: str
    k: int
    transform: str
    columns: tuple[str, ...]
    model: Any = field(repr=False)
    #: the scaled features and labels of the silhouette sample (``silhouette`` is computed from them)
    silhouette_sample: tuple[np.ndarray, np.ndarray] = field(repr=False, compare=False,
                                                             default=(np.empty((0, 0)), np.empty(0, np.int64)))

    @cached_property
    def silhouette(self) -> float:
        """Mean silhouette width on the silhouette sample (scikit-learn's ``silhouette_score``)."""
        return _silhouette(*self.silhouette_sample)

    @property
    def silhouette_known(self) -> bool:
        """Whether :attr:`silhouette` has been computed already (reading it would be instant)."""
        return "silhouette" in self.__dict__

    def summary(self) -> pd.DataFrame:
        """Sizes with each segment's three most over-indexed features."""
        prof = self.profiles[self.profiles["index"].notna()]
        top = (prof.sort_values("index", ascending=False).groupby("segment", sort=True)
               .apply(lambda d: ", ".join(f"{f} ({i:.0f})" for f, i in zip(d["feature"][:3], d["index"][:3])),
                      include_groups=False))
        return self.sizes.assign(distinctive=self.sizes["segment"].map(top))

    def plot(self, ax=None):
        """Profile heatmap (:func:`cxlab.plots.segments.plot_cluster_profiles`)."""
        from cxlab.plots.segments import plot_cluster_profiles

        return plot_cluster_profiles(self.profiles, ax=ax)

    def _repr_html_(self) -> str:
        head = (f"<b>Segmentation</b>: {self.method}, k={self.k}, transform={self.transform}, "
                f"silhouette={self.silhouette:.3f}, {len(self.table):,} customers")
        return head + self.summary().to_html(index=False, float_format=lambda v: f"{v:,.3f}")


def cluster_customers(
    features: pd.DataFrame,
    *,
    method: Literal["kmeans", "gmm"] = "kmeans",
    k: int = 5,
    columns: Sequence[str] | None = None,
    transform: Literal["log", "rank", "none"] = "log",
    revenue_col: str = "revenue",
    random_state: int = 0,
    n_init: int = 10,
) -> Segmentation:
    """Cluster customers on transformed, standardised behavioural features.

    Parameters
    ----------
    features
        One row per customer, e.g. :func:`customer_features`.
    method
        ``"kmeans"`` (scikit-learn KMeans) or ``"gmm"`` (GaussianMixture, full covariances).
    k
        Number of segments.
    columns
        Features to cluster on. Default: the RFM columns plus every ``cat_``/``chan_`` share.
    transform
        ``"log"``: log1p of the non-negative RFM columns (shares kept), ``"rank"``: normal
        scores of ranks, ``"none"``; every column is then standardised.
    revenue_col
        Used to order segments (1 = highest revenue per customer) and for ``sizes``.

    Returns
    -------
    Segmentation

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> group = np.repeat([0, 1], 50)
    >>> features = pd.DataFrame({"days_since_last": np.where(group == 0, 10, 200) * rng.lognormal(0, 0.2, 100),
    ...                          "purchases": np.where(group == 0, 12, 2) * rng.lognormal(0, 0.2, 100),
    ...                          "revenue": np.where(group == 0, 9000, 700) * rng.lognormal(0, 0.2, 100)})
    >>> result = cluster_customers(features, k=2)
    >>> print(result.sizes[["segment", "n", "share", "revenue_per_customer"]].round(2).to_string())
       segment   n  share  revenue_per_customer
    0        1  50    0.5               9110.31
    1        2  50    0.5                688.83
    >>> bool((result.table["segment"].to_numpy() == np.where(group == 0, 1, 2)).all())
    True
    """
    from sklearn.decomposition import PCA

    columns = list(columns) if columns is not None else default_cluster_columns(features)
    missing = [c for c in columns if c not in features.columns]
    if missing:
        raise CXLabError(f"the features table lacks column(s) {', '.join(missing)}", column=missing[0],
                         fix="build features with customer_features or pick columns it has")
    if not (isinstance(k, (int, np.integer)) and 2 <= k <= min(30, len(features) - 1)):
        raise CXLabError(f"k={k!r} must be an integer from 2 to {min(30, len(features) - 1)}",
                         fix="pick fewer segments (see choose_k)")
    X = _transform(features, columns, transform)
    model = _fit(X, method, k, random_state, n_init)
    raw = model.predict(X)
    value = (features[revenue_col].to_numpy(dtype=np.float64) if revenue_col in features.columns
             else np.zeros(len(X)))
    labels = _relabel_by(value, raw, k)
    prob = (model.predict_proba(X)[np.arange(len(X)), raw] if method == "gmm" else np.ones(len(X)))
    pcs = PCA(n_components=2, random_state=random_state).fit_transform(X) if X.shape[1] >= 2 else \
        np.column_stack([X[:, 0], np.zeros(len(X))])
    rng = np.random.default_rng(random_state)
    sample = rng.choice(len(X), size=min(5000, len(X)), replace=False)
    table = pd.DataFrame({"segment": labels, "pc1": pcs[:, 0], "pc2": pcs[:, 1], "probability": prob},
                         index=features.index)
    sizes = segment_summary(table.assign(revenue=value, segment=pd.Categorical(labels)), columns=())
    sizes["segment"] = sizes["segment"].astype(np.int64)
    return Segmentation(table=table, profiles=profile_table(features, labels, columns=columns), sizes=sizes,
                        method=method, k=int(k), transform=transform, columns=tuple(columns),
                        model=model, silhouette_sample=(X[sample], labels[sample]))


def _silhouette(X: np.ndarray, labels: np.ndarray) -> float:
    """scikit-learn's mean silhouette width; NaN when the labels form fewer than two clusters."""
    if len(np.unique(labels)) < 2:
        return float("nan")
    from sklearn.metrics import silhouette_score

    return float(silhouette_score(X, labels))


def _check_ks(ks, n_customers: int) -> list[int]:
    """The numbers of segments to try, each from 2 to n_customers - 1 (a clear error otherwise)."""
    ks = [int(k) for k in ks]
    top = min(30, n_customers - 1)
    bad = [k for k in ks if not 2 <= k <= top]
    if not ks or bad:
        raise CXLabError(f"cannot try k = {bad or ks} segments with {n_customers:,} customers: each k must be from 2 "
                         f"to {top}" if top >= 2 else f"{n_customers:,} customers are too few to cluster",
                         fix="pass fewer segments in ks=, or use more customers (a longer period)")
    return ks


def choose_k(
    features: pd.DataFrame,
    *,
    ks: Sequence[int] = range(2, 9),
    method: Literal["kmeans", "gmm"] = "kmeans",
    columns: Sequence[str] | None = None,
    transform: Literal["log", "rank", "none"] = "log",
    random_state: int = 0,
    n_init: int = 10,
    max_customers: int = 20_000,
) -> pd.DataFrame:
    """Fit criteria for each number of segments: silhouette (higher is better) and BIC.

    Parameters
    ----------
    ks
        Numbers of segments to try.
    max_customers
        Fit on a random sample of at most this many customers (silhouette on up to 5,000).

    Returns
    -------
    pandas.DataFrame
        ``k, n, silhouette, bic, inertia``: BIC of a Gaussian mixture with ``k`` components
        (lower is better; computed for both methods so k-means users can read it too),
        ``inertia`` the k-means within-cluster sum of squares (NaN for ``method="gmm"``).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> centres = np.repeat([[10, 12, 9000], [200, 2, 700], [60, 5, 2500]], 40, axis=0)
    >>> features = pd.DataFrame(centres * rng.lognormal(0, 0.15, centres.shape),
    ...                         columns=["days_since_last", "purchases", "revenue"])
    >>> print(choose_k(features, ks=[2, 3, 4], n_init=4)[["k", "silhouette", "bic"]].round(2).to_string())
       k  silhouette     bic
    0  2        0.71  166.72
    1  3        0.83   22.43
    2  4        0.66   68.57
    """
    columns = list(columns) if columns is not None else default_cluster_columns(features)
    ks = _check_ks(ks, len(features))
    X = _transform(features, columns, transform)
    rng = np.random.default_rng(random_state)
    if len(X) > max_customers:
        X = X[rng.choice(len(X), max_customers, replace=False)]
    sil_idx = rng.choice(len(X), size=min(5000, len(X)), replace=False)
    rows = []
    for k in ks:
        model = _fit(X, method, int(k), random_state, n_init)
        labels = model.predict(X)
        gmm = model if method == "gmm" else _fit(X, "gmm", int(k), random_state, 2)
        sil = _silhouette(X[sil_idx], labels[sil_idx])
        rows.append((int(k), len(X), sil, float(gmm.bic(X)),
                     float(model.inertia_) if method == "kmeans" else np.nan))
    return pd.DataFrame(rows, columns=["k", "n", "silhouette", "bic", "inertia"])


def cluster_stability(
    features: pd.DataFrame,
    *,
    ks: Sequence[int] = range(2, 9),
    method: Literal["kmeans", "gmm"] = "kmeans",
    columns: Sequence[str] | None = None,
    transform: Literal["log", "rank", "none"] = "log",
    n_boot: int = 20,
    random_state: int = 0,
    n_init: int = 3,
    max_customers: int = 20_000,
    progress: bool = True,
) -> pd.DataFrame:
    """Bootstrap stability of the segmentation for each k (adjusted Rand index).

    For each bootstrap replicate, two bootstrap samples of customers are clustered
    independently; both models then assign *all* customers, and the adjusted Rand index
    (ARI) between the two assignments measures how reproducible the segments are
    (Dolnicar, Grün & Leisch 2018, *Market Segmentation Analysis*, ch. 7 "global stability").
    ARI near 1: the same segments come back; near 0: no better than chance.

    Returns
    -------
    pandas.DataFrame
        ``k, n_boot, estimate`` (mean ARI), ``se`` (standard deviation of the replicates /
        sqrt(n_boot)), ``ci_low, ci_high`` (2.5% and 97.5% percentiles of the replicates),
        ``min_ari``, ``max_ari`` (the range of the replicates: with few of them, what a reader should see),
        ``min_ari``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> centres = np.repeat([[10, 12, 9000], [200, 2, 700], [60, 5, 2500]], 40, axis=0)
    >>> features = pd.DataFrame(centres * rng.lognormal(0, 0.15, centres.shape),
    ...                         columns=["days_since_last", "purchases", "revenue"])
    >>> stability = cluster_stability(features, ks=[3], n_boot=5, progress=False)
    >>> print(stability[["k", "n_boot", "estimate", "min_ari"]].round(2).to_string())
       k  n_boot  estimate  min_ari
    0  3       5       1.0      1.0
    """
    from sklearn.metrics import adjusted_rand_score
    from tqdm.auto import tqdm

    columns = list(columns) if columns is not None else default_cluster_columns(features)
    X = _transform(features, columns, transform)
    rng = np.random.default_rng(random_state)
    if len(X) > max_customers:
        X = X[rng.choice(len(X), max_customers, replace=False)]
    n = len(X)
    ks = _check_ks(ks, len(features))
    rows = []
    bar = tqdm(total=len(ks) * n_boot, desc="bootstrap stability", disable=not progress)
    for k in ks:
        aris = np.empty(n_boot)
        for b in range(n_boot):
            seeds = rng.integers(0, 2**31 - 1, size=2)
            fits = [_fit(X[rng.integers(0, n, n)], method, k, int(s), n_init) for s in seeds]
            aris[b] = adjusted_rand_score(fits[0].predict(X), fits[1].predict(X))
            bar.update()
        lo, hi = np.percentile(aris, [2.5, 97.5])
        rows.append((k, n_boot, aris.mean(), aris.std(ddof=1) / np.sqrt(n_boot) if n_boot > 1 else np.nan,
                     lo, hi, aris.min(), aris.max()))
    bar.close()
    return pd.DataFrame(rows, columns=["k", "n_boot", "estimate", "se", "ci_low", "ci_high", "min_ari", "max_ari"])
