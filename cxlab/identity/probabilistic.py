"""Probabilistic matching with splink on DuckDB (Fellegi–Sunter, trained without labels).

cxlab does not implement Fellegi–Sunter itself: it prepares the records, chooses the
comparisons and blocking rules, and lets `splink <https://moj-analytical-services.github.io/splink/>`_
estimate the model (u by random sampling, m by expectation maximisation, the prior from a
deterministic rule with an assumed recall) and score the candidate pairs, with
term-frequency adjustments on names, so that two "Ivan Ivanov" records weigh less than two
"Vsevolod Zatonsky" records.

E-mails are compared by exact equality and Levenshtein distance only. splink's
``EmailComparison`` is deliberately not used: its "same user name" level links
``john.smith@gmail.com`` with ``john.smith@yahoo.com`` — different people — and measured
precision fell to 0.33–0.63 with it (see the project's notes), against 0.96–0.99 without.

splink and duckdb are an optional install: ``pip install 'cxlab[identity]'``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["require_splink", "SplinkModel", "splink_pairs", "component_table"]


def require_splink():
    """Import splink (and its DuckDB backend) or fail with a message saying what to install."""
    try:
        import duckdb  # noqa: F401
        import splink
        from splink.backends.duckdb import DuckDBAPI  # noqa: F401
    except ImportError:
        raise CXLabError(
            "probabilistic identity matching needs splink and duckdb, which are not installed",
            fix="run `pip install 'cxlab[identity]'`, or resolve identities with probabilistic=False "
                "(deterministic rules only)",
        ) from None
    return splink


@dataclass
class SplinkModel:
    """What to give splink: comparisons, blocking and training rules (all on column names).

    Parameters
    ----------
    names
        ``(given, family)`` columns compared with splink's ``ForenameSurnameComparison``
        (exact full name with term-frequency adjustment, swapped order, Jaro–Winkler 0.92
        and 0.88, one part equal), or ``None``.
    edit
        Columns compared by exact equality then Levenshtein distance ≤ 1 and ≤ 2 (e-mails,
        phones, ids, dates written as text).
    exact_tf
        Columns compared by exact equality with a term-frequency adjustment (postcode, town).
    blocking
        SQL conditions (splink syntax, ``l.`` and ``r.``) that generate the candidate pairs.
    em_blocking
        Blocking rules for the expectation-maximisation rounds (each round estimates the m
        probabilities of the comparisons not in its rule).
    prior_rules, prior_recall
        Deterministic rules and their assumed recall, for splink's estimate of the
        probability that two random records match.
    max_pairs_u
        Pairs sampled to estimate the u probabilities.
    seed
        Random seed (u sampling), for reproducible models.
    """

    names: tuple[str, str] | None = ("given", "family")
    edit: Sequence[str] = ("email", "phone")
    exact_tf: Sequence[str] = ()
    blocking: Sequence[str] = ("l.family = r.family",)
    em_blocking: Sequence[str] = ("l.family = r.family",)
    prior_rules: Sequence[str] = ("l.given = r.given and l.family = r.family",)
    prior_recall: float = 0.7
    max_pairs_u: float = 1e6
    seed: int = 42
    extra: dict = field(default_factory=dict)

    def settings(self):
        require_splink()
        import splink.comparison_library as cl
        from splink import SettingsCreator

        comps = []
        if self.names is not None:
            g, f = self.names
            comps.append(cl.ForenameSurnameComparison(g, f, forename_surname_concat_col_name="full_name"))
        for c in self.edit:
            comps.append(cl.LevenshteinAtThresholds(c, [1, 2]))
        for c in self.exact_tf:
            comps.append(cl.ExactMatch(c).configure(term_frequency_adjustments=True))
        if not comps:
            raise CXLabError("the probabilistic model has no comparisons", fix="give names, edit or exact_tf columns")
        return SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="unique_id",
            comparisons=comps,
            blocking_rules_to_generate_predictions=list(self.blocking),
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=False,
        )


def _quiet_splink() -> None:
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)


def splink_pairs(frame: pd.DataFrame, model: SplinkModel | None = None, *, min_probability: float = 0.01,
                 connection=None) -> tuple[pd.DataFrame, dict]:
    """Train a splink model on ``frame`` without labels and score its candidate pairs.

    Parameters
    ----------
    frame
        One row per record, with a unique ``unique_id`` column and the columns ``model``
        names. Text should already be normalised (see :mod:`cxlab.identity.normalize`).
    model
        Comparisons, blocking and training rules; the default compares given/family name,
        e-mail and phone and blocks on the family name.
    min_probability
        Pairs scored below this probability are counted but not returned.
    connection
        A DuckDB connection to work in (default: a new in-memory database).

    Returns
    -------
    pairs : pandas.DataFrame
        ``unique_id_l``, ``unique_id_r``, ``match_weight``, ``match_probability`` for the
        candidate pairs at or above ``min_probability``.
    info : dict
        ``pairs_compared`` (all candidate pairs scored), ``prior`` (the trained
        probability that two random records match), ``m_u`` (the trained parameters: one
        row per comparison level), ``skipped_training`` (training steps skipped because
        their rule found (almost) no pairs: the untrained defaults stay).
    """
    require_splink()
    import duckdb
    from splink import Linker
    from splink.backends.duckdb import DuckDBAPI

    model = model or SplinkModel()
    if "unique_id" not in frame.columns:
        raise CXLabError("splink_pairs needs a unique_id column", fix="add one id per row")
    if frame["unique_id"].duplicated().any():
        raise CXLabError("unique_id values repeat", column="unique_id", fix="give every row its own id")
    _quiet_splink()
    con = connection or duckdb.connect()
    df = frame.copy()
    if model.names is not None:
        g, f = model.names
        df["full_name"] = (df[g].astype("string").fillna("") + " " + df[f].astype("string").fillna("")).str.strip()
        df.loc[df[g].isna() | df[f].isna(), "full_name"] = pd.NA
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register(df, dataset_display_name="records")
    n = len(df)
    settings = model.settings()
    # the prior's fallback when the deterministic rule finds nothing (tiny or clean data):
    # one match per record among all pairs
    settings.probability_two_random_records_match = min(0.5, 1.0 / max(n - 1, 1))
    linker = Linker(sdf, settings, log_level=None)
    tr = linker.training
    skipped = []
    prior_hits = 0
    for rule in model.prior_rules:
        prior_hits += int(con.sql(f"select count(*) from df l join df r on l.unique_id < r.unique_id and ({rule})"
                                  ).fetchall()[0][0])
    if prior_hits:
        tr.estimate_probability_two_random_records_match(list(model.prior_rules), recall=model.prior_recall)
    else:
        skipped.append("prior (the deterministic rule found no pair)")
    tr.estimate_u_using_random_sampling(max_pairs=model.max_pairs_u, seed=model.seed)
    for rule in model.em_blocking:
        k = int(con.sql(f"select count(*) from df l join df r on l.unique_id < r.unique_id and ({rule})"
                        ).fetchall()[0][0]) if n <= 200_000 else 10**9
        if k < 10:
            skipped.append(f"EM on {rule!r} ({k} pairs)")
            continue
        tr.estimate_parameters_using_expectation_maximisation(rule, estimate_without_term_frequencies=True)
    pred = linker.inference.predict(warning_mode="never")
    n_pairs = int(con.sql(f"select count(*) from {pred.physical_name}").fetchall()[0][0])
    pairs = con.sql(f"select unique_id_l, unique_id_r, match_weight, match_probability from {pred.physical_name} "
                    f"where match_probability >= {float(min_probability)}").df()
    m_u = _parameters(linker)
    info = {"pairs_compared": n_pairs, "prior": float(linker._settings_obj._probability_two_random_records_match),
            "m_u": m_u, "skipped_training": skipped}
    return pairs, info


def _parameters(linker) -> pd.DataFrame:
    rows = []
    for comp in linker._settings_obj.comparisons:
        for lvl in comp.comparison_levels:
            if lvl.is_null_level:
                continue
            rows.append({"comparison": comp.output_column_name, "level": lvl.label_for_charts,
                         "m": lvl.m_probability, "u": lvl.u_probability,
                         "bayes_factor": getattr(lvl, "bayes_factor", np.nan)})
    return pd.DataFrame(rows)


def component_table(prepared: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """One row per deterministic component: the names and contacts splink compares.

    Parameters
    ----------
    prepared
        Records with ``customer_key``, ``given``, ``family``, ``email_key``,
        ``phone_key``, ``n_words`` (from :func:`~cxlab.identity.rules.prepare_records`).
    labels
        Component label of each record.

    Returns
    -------
    pandas.DataFrame
        ``unique_id`` (the component label), ``anchored`` (a customer id is in it),
        ``n_records``, and the most frequent ``given``/``family`` (taken from the fullest
        names), ``email`` and ``phone``.
    """
    df = pd.DataFrame({
        "unique_id": labels, "anchored": prepared["customer_key"].notna().to_numpy(),
        "given": prepared["given"].astype(object).to_numpy(), "family": prepared["family"].astype(object).to_numpy(),
        "n_words": prepared["n_words"].to_numpy(), "email": prepared["email_key"].astype(object).to_numpy(),
        "phone": prepared["phone_key"].astype(object).to_numpy(),
    })
    base = df.groupby("unique_id", sort=True).agg(anchored=("anchored", "any"), n_records=("anchored", "size"))

    def mode_of(cols: list[str], sub: pd.DataFrame) -> pd.DataFrame:
        sub = sub.dropna(subset=cols[:1])
        if sub.empty:
            return pd.DataFrame(columns=cols)
        counts = sub.groupby(["unique_id", *cols], sort=False, dropna=False).size().rename("k").reset_index()
        counts = counts.sort_values(["unique_id", "k"], ascending=[True, False], kind="stable")
        return counts.drop_duplicates("unique_id").set_index("unique_id")[cols]

    full = df[df["n_words"] >= 2]
    names = mode_of(["given", "family"], full)
    first_only = mode_of(["given"], df[~df["unique_id"].isin(names.index)])
    names = pd.concat([names, first_only.assign(family=None)])
    out = base.join(names).join(mode_of(["email"], df)).join(mode_of(["phone"], df))
    return out.reset_index().astype({"given": "string", "family": "string", "email": "string", "phone": "string"})
