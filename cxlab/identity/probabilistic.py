"""Probabilistic matching with splink on DuckDB (Fellegi–Sunter, trained without labels).

cxlab does not implement Fellegi–Sunter itself: it prepares the records, chooses the
comparisons and blocking rules, and lets `splink <https://moj-analytical-services.github.io/splink/>`_
estimate the model (u by random sampling, m by expectation maximisation, the prior from a
deterministic rule with an assumed recall) and score the candidate pairs, with
term-frequency adjustments on names, so that two "Ivan Ivanov" records weigh less than two
"Vsevolod Zatonsky" records.

E-mails are compared by exact equality only. splink's
``EmailComparison`` is deliberately not used: its "same user name" level links
``john.smith@gmail.com`` with ``john.smith@yahoo.com`` — different people — and measured
precision fell to 0.33–0.63 with it (see the project's notes). An edit-distance level has
the same flaw in a smaller form: ``anna.ivanova@mail.ru`` and ``anna.ivanova94@mail.ru`` are
two customers in the demo company, and such a level linked them.

splink and duckdb are an optional install: ``pip install 'cxlab[identity]'``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.identity.guards import _codes, _unique_ints

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
    exact
        Columns compared by exact equality only (default: e-mail and phone). Near-equal
        e-mails are *not* evidence of one person: ``ivan.petrov@…`` and ``ivan.petrov86@…``
        are typically two Ivan Petrovs (measured on the demo company: every link made
        through an edit-distance e-mail level was wrong).
    edit
        Columns compared by exact equality then Levenshtein distance ≤ 1 and ≤ 2 (ids and
        dates written as text, where a one-character difference is a typo).
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
    em_max_pairs
        Pair budget of one expectation-maximisation round. When an ``em_blocking`` rule
        would give more pairs than this on the whole input, the EM rounds run on a sample
        of the rows, drawn as whole groups of ``em_sample_on`` (all rows of a sampled family
        name, so the true matches inside a block are kept together and the share of matches
        among the pairs EM sees is the same as in the whole data). The u probabilities (by
        random sampling) and the prior are still estimated on all rows, and every
        candidate pair of all rows is scored. ``None`` trains on all rows.
    em_sample_on
        Column whose values define the groups of the EM sample (default: the family-name
        column of ``names``; without it, rows are sampled at random).
    seed
        Random seed (u sampling, EM sample), for reproducible models.
    """

    names: tuple[str, str] | None = ("given", "family")
    exact: Sequence[str] = ("email", "phone")
    edit: Sequence[str] = ()
    exact_tf: Sequence[str] = ()
    blocking: Sequence[str] = ("l.family = r.family",)
    em_blocking: Sequence[str] = ("l.family = r.family",)
    prior_rules: Sequence[str] = ("l.given = r.given and l.family = r.family",)
    prior_recall: float = 0.7
    max_pairs_u: float = 1e6
    em_max_pairs: float | None = 2e6
    em_sample_on: str | None = None
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
        for c in self.exact:
            comps.append(cl.ExactMatch(c))
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
                 connection=None, memory_limit: str = "3GB") -> tuple[pd.DataFrame, dict]:
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
    memory_limit
        DuckDB memory limit of the new connection (it spills to disk beyond it).

    Returns
    -------
    pairs : pandas.DataFrame
        ``unique_id_l``, ``unique_id_r``, ``match_weight``, ``match_probability`` for the
        candidate pairs at or above ``min_probability``.
    info : dict
        ``pairs_compared`` (all candidate pairs scored), ``prior`` (the trained
        probability that two random records match), ``m_u`` (the trained parameters: one
        row per comparison level), ``skipped_training`` (training steps skipped because
        their rule found (almost) no pairs: the untrained defaults stay), ``em_rows`` (rows
        the EM rounds ran on; fewer than the input when sampled, see
        :attr:`SplinkModel.em_max_pairs`).
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
    con = connection
    if con is None:
        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{memory_limit}'")  # DuckDB spills to disk beyond this
    df = frame.copy()
    if model.names is not None:
        g, f = model.names
        df["full_name"] = (df[g].astype("string").fillna("") + " " + df[f].astype("string").fillna("")).str.strip()
        df.loc[df[g].isna() | df[f].isna(), "full_name"] = pd.NA
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register(df, dataset_display_name="records")
    con.register("cx_splink_input", df)
    n = len(df)
    settings = model.settings()
    # the prior's fallback when the deterministic rule finds nothing (tiny or clean data):
    # one match per record among all pairs
    settings.probability_two_random_records_match = min(0.5, 1.0 / max(n - 1, 1))
    linker = Linker(sdf, settings, log_level=None)
    tr = linker.training
    skipped = []
    prior_hits = sum(_pair_count(con, "cx_splink_input", rule, n, seed=model.seed) for rule in model.prior_rules)
    if prior_hits:
        tr.estimate_probability_two_random_records_match(list(model.prior_rules), recall=model.prior_recall)
    else:
        skipped.append("prior (the deterministic rule found no pair)")
    tr.estimate_u_using_random_sampling(max_pairs=model.max_pairs_u, seed=model.seed)
    linker, em_rows = _train_em(linker, model, df, sdf, db_api, con, skipped)
    pred = linker.inference.predict(warning_mode="never")
    n_pairs = int(con.sql(f"select count(*) from {pred.physical_name}").fetchall()[0][0])
    pairs = con.sql(f"select unique_id_l, unique_id_r, match_weight, match_probability from {pred.physical_name} "
                    f"where match_probability >= {float(min_probability)}").df()
    m_u = _parameters(linker)
    info = {"pairs_compared": n_pairs, "prior": float(linker._settings_obj._probability_two_random_records_match),
            "m_u": m_u, "skipped_training": skipped, "em_rows": em_rows}
    return pairs, info


def _train_em(linker, model: SplinkModel, df: pd.DataFrame, sdf, db_api, con, skipped: list[str]):
    """Estimate m by EM on each blocking rule with enough pairs (on a sample of whole blocks when too many).

    u and the prior stay those of all rows. Returns the trained linker and the number of rows EM
    used; rules with too few pairs are added to ``skipped``.
    """
    from splink import Linker

    n = len(df)
    em_rules = []
    for rule in model.em_blocking:
        k = _pair_count(con, "cx_splink_input", rule, n, seed=model.seed)
        if k < 10:
            skipped.append(f"EM on {rule!r} ({k:.0f} pairs)")
        else:
            em_rules.append((rule, k))
    em_rows = n
    if em_rules:
        worst = max(k for _, k in em_rules)
        em_linker = linker
        if model.em_max_pairs is not None and worst > model.em_max_pairs:
            # EM on a sample of whole blocks; u and the prior stay those of all rows
            keep = _em_sample(df, model, model.em_max_pairs / worst, con, [r for r, _ in em_rules])
            em_rows = int(keep.sum())
            trained = linker.misc.save_model_to_json()
            em_linker = Linker(db_api.register(df[keep].reset_index(drop=True), dataset_display_name="em_sample"),
                               trained, log_level=None)
        for rule, _ in em_rules:
            em_linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True)
        if em_linker is not linker:
            trained = em_linker.misc.save_model_to_json()
            trained["probability_two_random_records_match"] = float(
                linker._settings_obj._probability_two_random_records_match)
            linker = Linker(sdf, trained, log_level=None)
    return linker, em_rows


def _pair_count(con, table: str, rule: str, n: int, *, seed: int, probe: int = 20_000) -> float:
    """Pairs a blocking rule gives on ``table`` (``n`` rows): exact up to ``probe`` rows,
    else estimated from a random sample of ``probe`` rows scaled by the ratio of pair counts."""
    if n <= probe:
        return float(con.sql(f"select count(*) from {table} l join {table} r "
                             f"on l.unique_id < r.unique_id and ({rule})").fetchall()[0][0])
    con.execute(f"create or replace temp table cx_probe as select * from {table} "
                f"using sample reservoir({probe} rows) repeatable ({int(seed)})")
    k = con.sql(f"select count(*) from cx_probe l join cx_probe r on l.unique_id < r.unique_id and ({rule})"
                ).fetchall()[0][0]
    con.execute("drop table cx_probe")
    return float(k) * (n * (n - 1)) / (probe * (probe - 1))


def _em_sample(df: pd.DataFrame, model: SplinkModel, fraction: float, con, rules: list[str]) -> np.ndarray:
    """Rows for the EM rounds: whole groups of ``em_sample_on``, about ``em_max_pairs`` pairs.

    Pairs inside a group shrink in proportion to the share of groups drawn, pairs across
    groups with its square; the share starts at the safe ``fraction`` and grows (a few
    probe counts on the sample) until the busiest rule gives at least half the budget.
    """
    col = model.em_sample_on or (model.names[1] if model.names is not None else None)
    grouped = col is not None and col in df.columns
    codes = pd.factorize(df[col])[0] if grouped else np.arange(len(df))
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    rng = np.random.default_rng(model.seed)
    u_group = rng.random(max(n_groups, 1))
    u_row = rng.random(len(df))  # rows without a value are drawn one by one
    budget = float(model.em_max_pairs)
    keep = np.zeros(len(df), dtype=bool)
    for _ in range(6):
        keep = np.where(codes >= 0, u_group[np.maximum(codes, 0)] < fraction, u_row < fraction)
        m = int(keep.sum())
        if fraction >= 1 or m < 2:
            break
        con.register("cx_em_sample", df[keep])
        worst = max(_pair_count(con, "cx_em_sample", rule, m, seed=model.seed) for rule in rules)
        con.unregister("cx_em_sample")
        if worst >= budget / 2:
            break
        fraction = min(1.0, fraction * min(8.0, np.sqrt(budget / max(worst, 1.0))))
    return keep


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
    labels = np.asarray(labels, dtype=np.int64)
    n = len(labels)
    uid = _unique_ints(labels)
    pos_of = np.zeros(int(labels.max()) + 1 if n else 0, dtype=np.int64)
    pos_of[uid] = np.arange(len(uid))
    row_u = pos_of[labels]  # 0..k-1 per record, in order of the sorted labels
    anchored = np.bincount(row_u, weights=prepared["customer_key"].notna().to_numpy(), minlength=len(uid)) > 0
    n_records = np.bincount(row_u, minlength=len(uid))

    def mode_of(code: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Most frequent code per component among ``rows`` (ties: first seen); -1 where none."""
        out = np.full(len(uid), -1, dtype=np.int64)
        rows = rows[code[rows] >= 0]
        if not len(rows):
            return out
        counts = (pd.DataFrame({"u": row_u[rows], "c": code[rows]})
                  .groupby(["u", "c"], sort=False).size().rename("k").reset_index())
        counts = counts.sort_values(["u", "k"], ascending=[True, False], kind="stable").drop_duplicates("u")
        out[counts["u"].to_numpy()] = counts["c"].to_numpy()
        return out

    gc, gu = _codes(prepared["given"])
    fc, fu = _codes(prepared["family"])
    ec, eu = _codes(prepared["email_key"])
    pc_, pu = _codes(prepared["phone_key"])
    everyone = np.arange(n)
    # names from the fullest records: the most frequent (given, family) among two-word names
    nf = len(fu) + 1
    pair = np.where(gc >= 0, gc * nf + (fc + 1), -1)
    full = np.flatnonzero(prepared["n_words"].to_numpy() >= 2)
    best = mode_of(pair, full)
    given = np.where(best >= 0, best // nf, -1)
    family = np.where(best >= 0, best % nf - 1, -1)
    first_only = mode_of(gc, everyone)
    given = np.where(best >= 0, given, first_only)

    def text(codes: np.ndarray, uniques: np.ndarray) -> pd.Series:
        vals = np.empty(len(codes), dtype=object)
        vals[:] = None
        ok = codes >= 0
        vals[ok] = uniques[codes[ok]]
        return pd.Series(vals, dtype="string")

    return pd.DataFrame({"unique_id": uid, "anchored": anchored, "n_records": n_records,
                         "given": text(given, gu), "family": text(family, fu),
                         "email": text(mode_of(ec, everyone), eu), "phone": text(mode_of(pc_, everyone), pu)})
