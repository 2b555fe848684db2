"""The demo company: «Терруар» (Terroir), an omnichannel wine-and-gourmet retailer.

:func:`make_demo` generates the four canonical tables (plus a small employee survey)
deterministically from a seed, with known truths planted in them so that students can
check their answers and tests can check that the analyses recover them:

* behavioural segments (champions, loyal, occasional, gift buyers, lapsed) with
  different frequency, spend, price tier, category and channel mix; champions (5 %) carry
  a large share of revenue;
* a say–do gap: a known share of respondents claim a higher price tier / purchase
  frequency than they actually buy, varying by segment;
* a channel inconsistency: the call centre (``phone``) scores lower, partly because of
  who calls (customer mix) and partly a real channel effect; agents in ``social`` write in
  a curt, off-brand voice;
* identity fragmentation: customers who contact the company through several channels
  under differently formatted e-mails, phones and names with no shared customer id;
* NPS that moves over time, with a real drop in 2025 Q2 (delivery problems), and
  English / Russian verbatims whose themes differ between promoters and detractors.

:func:`load_example` reads the default copy shipped in ``data/demo`` (plain CSV files a
user can open in Excel) and regenerates it when cxlab is used outside the repository.
The planted truths are documented in ``data/README.md``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from cxlab.datasets._contacts import _DEPARTMENTS, _make_employee_survey, _make_interactions
from cxlab.datasets._customers import _make_customers, _make_transactions
from cxlab.datasets._spec import (BRAND_VOICE_OFF_CHANNEL, COMPANY, DEFAULT_N_CUSTOMERS, DEFAULT_SEED, DEMO_CURRENCY,
                                  DRIVER_WEIGHTS, DROP_DELIVERY_EFFECT, DROP_PERIOD, OBSERVATION_END,
                                  PHONE_DIRECT_EFFECT, PHONE_STAFF_EFFECT, SEGMENTS, SURVEY_START, UNDERCLAIM,
                                  WINDOW_START, Demo, Truth)
from cxlab.datasets._survey import _make_survey, actual_frequency_bucket
from cxlab.datasets._texts import _NEGATIVE, _POSITIVE
from cxlab.datasets._truths import _measure_truths
from cxlab.errors import CXLabError
from cxlab.schema import coerce

__all__ = [
    "Demo",
    "Truth",
    "make_demo",
    "load_example",
    "write_demo",
    "demo_dir",
    "actual_frequency_bucket",
    "SEGMENTS",
    "DEFAULT_N_CUSTOMERS",
    "DEFAULT_SEED",
]


# ---------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------
def make_demo(n_customers: int = DEFAULT_N_CUSTOMERS, seed: int = DEFAULT_SEED, *,
              return_truth: bool = True, n_employees: int = 400) -> Demo:
    """Generate the demo company deterministically.

    Parameters
    ----------
    n_customers
        Number of customers. The shipped copy has 3,000; any size works (tables grow
        proportionally: about 9 transactions, 1.3 survey responses and 1.8 contacts per customer).
    seed
        Seed of the random generator: the same seed gives identical tables.
    return_truth
        Attach the planted truths as ``demo.truth``.
    n_employees
        Size of the employee (eNPS) survey.

    Returns
    -------
    Demo
        ``customers``, ``transactions``, ``survey_responses``, ``interactions``,
        ``employee_survey`` in canonical form, and ``truth`` (or ``None``).

    Examples
    --------
    >>> demo = make_demo(300, seed=1)
    >>> sorted(demo.truth.customers["segment"].unique())
    ['champions', 'gift_buyers', 'lapsed', 'loyal', 'occasional']
    """
    if n_customers < 50:
        raise CXLabError("the demo needs at least 50 customers", fix="pass n_customers >= 50")
    rng = np.random.default_rng(seed)
    customers, cust = _make_customers(rng, n_customers)
    transactions = _make_transactions(rng, cust)
    survey, survey_truth = _make_survey(rng, cust, transactions)
    interactions, inter_truth = _make_interactions(rng, cust)
    employees = _make_employee_survey(np.random.default_rng(seed + 1), n_employees)

    truth = None
    if return_truth:
        ids = cust["customer_id"]
        n_channels = (
            inter_truth.loc[interactions["customer_id"].isna().to_numpy()]
            .merge(interactions[["interaction_id", "channel"]], on="interaction_id")
            .groupby("customer_id", observed=True)["channel"].nunique()
        )
        frag = ids.map(n_channels).fillna(0).ge(2)
        truth_customers = pd.DataFrame({"customer_id": ids, "segment": cust["segment"], "fragmented": frag})
        truth = Truth(customers=truth_customers, survey=survey_truth, interactions=inter_truth)
        truth = Truth(customers=truth.customers, survey=truth.survey, interactions=truth.interactions,
                      params=_measure_truths(transactions, survey, interactions, truth))
    return Demo(
        customers=coerce(customers, "customers"),
        transactions=coerce(transactions, "transactions"),
        survey_responses=coerce(survey, "survey_responses"),
        interactions=coerce(interactions, "interactions"),
        employee_survey=employees,
        truth=truth,
    )


# ---------------------------------------------------------------------------------------
# Files: write and load the shipped copy
# ---------------------------------------------------------------------------------------
_FILES = {"customers": "customers.csv", "transactions": "transactions.csv",
          "survey_responses": "survey_responses.csv", "interactions": "interactions.csv",
          "employee_survey": "employee_survey.csv"}


def demo_dir() -> Path:
    """Where the demo files live: ``data/demo`` in the repository, else a user cache folder.

    Examples
    --------
    >>> demo_dir().name
    'demo'
    """
    repo = Path(__file__).resolve().parents[2] / "data" / "demo"
    if (repo.parent / "README.md").exists():
        return repo
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "cxlab" / "demo"


def write_demo(directory: str | os.PathLike | None = None, *, n_customers: int = DEFAULT_N_CUSTOMERS,
               seed: int = DEFAULT_SEED) -> Path:
    """Generate the demo and write it as UTF-8 CSV files (plus the truth) into ``directory``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = write_demo(Path(tempfile.mkdtemp()) / "demo", n_customers=100, seed=1)
    >>> sorted(p.name for p in folder.glob("*.csv"))
    ['customers.csv', 'employee_survey.csv', 'interactions.csv', 'survey_responses.csv', 'transactions.csv']
    """
    directory = Path(directory) if directory is not None else demo_dir()
    (directory / "truth").mkdir(parents=True, exist_ok=True)
    demo = make_demo(n_customers, seed, return_truth=True)
    for attr, fname in _FILES.items():
        getattr(demo, attr).to_csv(directory / fname, index=False, encoding="utf-8", date_format="%Y-%m-%d %H:%M:%S")
    demo.truth.customers.to_csv(directory / "truth" / "customers.csv", index=False)
    demo.truth.survey.to_csv(directory / "truth" / "survey.csv", index=False)
    demo.truth.interactions.to_csv(directory / "truth" / "interactions.csv", index=False)
    meta = {"n_customers": n_customers, "seed": seed, **demo.truth.params}
    (directory / "truth" / "params.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return directory


def _read(path: Path, kind: str | None) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    if kind is None:
        return df
    for col in df.columns:
        if col == "resolved":
            df[col] = df[col].map({"True": True, "False": False})
    return coerce(df, kind)


def load_example(*, truth: bool = True, directory: str | os.PathLike | None = None) -> Demo:
    """Load the demo company (3,000 customers, seed 42) from ``data/demo``.

    The files are regenerated deterministically (a few seconds) when they are missing, e.g.
    when cxlab is installed outside its repository (they then live in ``~/.cache/cxlab/demo``).

    Parameters
    ----------
    truth
        Also load the planted truths (``demo.truth``).
    directory
        Read (or write, when missing) the demo files here instead of :func:`demo_dir`.

    Examples
    --------
    >>> demo = load_example()
    >>> demo.transactions["customer_id"].dtype
    <StringDtype(na_value=<NA>)>
    """
    directory = Path(directory) if directory is not None else demo_dir()
    if not all((directory / f).exists() for f in _FILES.values()) or not (directory / "truth" / "params.json").exists():
        write_demo(directory)
    tables = {attr: _read(directory / fname, None if attr == "employee_survey" else attr)
              for attr, fname in _FILES.items()}
    emp = tables["employee_survey"]
    tables["employee_survey"] = pd.DataFrame({
        "employee_id": emp["employee_id"].astype("string"),
        "department": pd.Categorical(emp["department"], categories=list(_DEPARTMENTS)),
        "submitted_at": pd.to_datetime(emp["submitted_at"]).astype("datetime64[ns]"),
        "likelihood_to_recommend": pd.to_numeric(emp["likelihood_to_recommend"]).astype("Int8"),
        "comment": emp["comment"].astype("string"),
    })
    tr = None
    if truth:
        tdir = directory / "truth"
        tc = pd.read_csv(tdir / "customers.csv", dtype={"customer_id": str})
        ts = pd.read_csv(tdir / "survey.csv", dtype={"response_id": str, "customer_id": str})
        ti = pd.read_csv(tdir / "interactions.csv", dtype=str)
        params = json.loads((tdir / "params.json").read_text(encoding="utf-8"))
        tr = Truth(customers=tc, survey=ts, interactions=ti, params=params)
    return Demo(**tables, truth=tr)


# The folder loader of the data contract lives in cxlab.loader; it is re-exported here because
# users look for "load my data" next to "load the example".
from cxlab.loader import Tables, example_path, load_tables  # noqa: E402

__all__ += ["Tables", "load_tables", "example_path"]
