"""The canonical tables: one specification, used everywhere.

Each of the four tables (``customers``, ``transactions``, ``survey_responses``,
``interactions``) is described once, as a :class:`TableSpec` of :class:`ColumnSpec`.
From that single description cxlab derives

* the pandera schema that validates a loaded table (:func:`pandera_schema`),
* the dtypes a table is coerced to (:func:`coerce`),
* the CSV templates in ``data/templates`` and the data dictionary in
  ``data/README.md`` (:func:`data_dictionary_markdown`, checked by a test).

Conventions: ids are strings (leading zeros kept); timestamps are timezone-naive
local time; scores are small nullable integers (``Int8``); groupings such as channel,
region and category are pandas categoricals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from cxlab.errors import CXLabError

__all__ = [
    "CHANNELS",
    "OWN_LABELS_KEPT",
    "PRICE_TIERS",
    "STATED_FREQUENCIES",
    "NPS_SCALE",
    "RATING_SCALE",
    "ColumnSpec",
    "TableSpec",
    "TABLES",
    "table_spec",
    "coerce",
    "pandera_schema",
    "validate",
    "empty_table",
    "data_dictionary_markdown",
]

Kind = Literal["id", "text", "datetime", "float", "score", "category", "bool"]

#: Canonical channel labels. Source labels ("КЦ", "call center", "Viber") are mapped
#: onto these by the readers in :mod:`cxlab.io`.
CHANNELS: tuple[str, ...] = ("store", "web", "phone", "chat", "email", "social", "messenger")
#: Category columns whose labels outside the canonical list are the user's own and kept as
#: given (a marketplace, an ATM, a branch network are channels too); on the other category
#: columns an unknown label is an error the loader quarantines.
OWN_LABELS_KEPT: frozenset[str] = frozenset({"channel"})
#: Price tiers, ordered from cheapest to most expensive.
PRICE_TIERS: tuple[str, ...] = ("budget", "mid", "premium")
#: Stated purchase frequency, ordered from least to most often.
STATED_FREQUENCIES: tuple[str, ...] = ("less_than_quarterly", "quarterly", "monthly", "weekly")
#: Product categories of the demo company (other data may use any categories).
DEMO_CATEGORIES: tuple[str, ...] = ("wine", "spirits", "cheese", "delicatessen", "accessories", "gifts")
#: The likelihood-to-recommend (NPS) scale: 0 = not at all likely … 10 = extremely likely.
NPS_SCALE: tuple[int, int] = (0, 10)
#: The attribute-rating scale of the survey (1 = very poor … 5 = excellent).
RATING_SCALE: tuple[int, int] = (1, 5)


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a canonical table."""

    name: str
    kind: Kind
    description: str
    required: bool = True
    nullable: bool = False
    scale: tuple[int, int] | None = None  # for kind == "score"
    categories: tuple[str, ...] | None = None  # closed vocabulary (None: open)
    ordered: bool = False
    min_value: float | None = None

    @property
    def dtype(self) -> str:
        return {
            "id": "string",
            "text": "string",
            "datetime": "datetime64[ns]",
            "float": "float64",
            "score": "Int8",
            "category": "category",
            "bool": "boolean",
        }[self.kind]

    def allowed(self) -> str:
        """Human description of the allowed values, for the data dictionary."""
        if self.scale:
            return f"integer {self.scale[0]}–{self.scale[1]}"
        if self.categories:
            return ", ".join(self.categories)
        if self.kind == "datetime":
            return "date/time (ISO, dd.mm.yyyy, Excel serial)"
        if self.kind == "bool":
            return "true/false (да/нет, 1/0)"
        if self.kind == "float" and self.min_value is not None:
            return f"number ≥ {self.min_value:g}"
        if self.kind == "id":
            return "text (kept as given, leading zeros kept)"
        return "any text" if self.kind == "text" else "any"


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its name, its row unit, its key and its columns."""

    name: str
    row: str
    key: str | None
    columns: tuple[ColumnSpec, ...] = field(default_factory=tuple)

    def __getitem__(self, name: str) -> ColumnSpec:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def scores(self) -> list[ColumnSpec]:
        return [c for c in self.columns if c.kind == "score"]


def _c(name: str, kind: Kind, description: str, **kw) -> ColumnSpec:
    return ColumnSpec(name=name, kind=kind, description=description, **kw)


_ATTRIBUTES = {
    "attr_quality": "rating of product quality",
    "attr_assortment": "rating of the assortment / choice",
    "attr_price": "rating of price / value for money",
    "attr_staff": "rating of staff competence and friendliness",
    "attr_delivery": "rating of delivery speed and reliability",
}

CUSTOMERS = TableSpec(
    name="customers",
    row="customer",
    key="customer_id",
    columns=(
        _c("customer_id", "id", "CRM customer id"),
        _c("name", "text", "full name as stored in the CRM (Cyrillic or Latin)", required=False, nullable=True),
        _c("email", "text", "e-mail as stored (may carry case/whitespace noise)", required=False, nullable=True),
        _c("phone", "text", "phone as stored (any format; +7 / 8 prefixes)", required=False, nullable=True),
        _c("signup_date", "datetime", "date the customer joined the loyalty programme", required=False, nullable=True),
        _c("region", "category", "region / city", required=False, nullable=True),
        _c("birth_year", "score", "year of birth", required=False, nullable=True, scale=(1900, 2025)),
    ),
)

TRANSACTIONS = TableSpec(
    name="transactions",
    row="purchase (order or order line)",
    key="transaction_id",
    columns=(
        _c("transaction_id", "id", "order / receipt id", required=False),
        _c("customer_id", "id", "CRM customer id"),
        _c("timestamp", "datetime", "date and time of the purchase (local time)"),
        _c("amount", "float", "amount paid in the currency of the data", min_value=0.0),
        _c("category", "category", "product category", required=False, nullable=True),
        _c("price_tier", "category", "price tier of the goods bought", required=False, nullable=True,
           categories=PRICE_TIERS, ordered=True),
        _c("channel", "category", "sales channel", required=False, nullable=True, categories=CHANNELS),
    ),
)

SURVEY_RESPONSES = TableSpec(
    name="survey_responses",
    row="completed survey",
    key="response_id",
    columns=(
        _c("response_id", "id", "survey response id"),
        _c("customer_id", "id", "CRM customer id, when the survey platform knows it", required=False, nullable=True),
        _c("email", "text", "e-mail given in the survey (used to link when customer_id is missing)",
           required=False, nullable=True),
        _c("phone", "text", "phone given in the survey", required=False, nullable=True),
        _c("submitted_at", "datetime", "when the survey was submitted"),
        _c("channel", "category", "channel the survey is about (last contact)", required=False, nullable=True,
           categories=CHANNELS),
        _c("likelihood_to_recommend", "score", "NPS question: how likely to recommend us (0 = not at all, "
           "10 = extremely likely); a survey needs this, csat or ces", required=False, nullable=True,
           scale=NPS_SCALE),
        _c("csat", "score", "satisfaction with the last contact (1 = very dissatisfied, 5 = very satisfied)",
           required=False, nullable=True, scale=(1, 5)),
        _c("ces", "score", "customer effort: 'the company made it easy' (1 = strongly disagree, "
           "7 = strongly agree; higher is easier)", required=False, nullable=True, scale=(1, 7)),
        *(_c(n, "score", d + " (1 = very poor, 5 = excellent)", required=False, nullable=True, scale=RATING_SCALE)
          for n, d in _ATTRIBUTES.items()),
        _c("stated_frequency", "category", "stated purchase frequency", required=False, nullable=True,
           categories=STATED_FREQUENCIES, ordered=True),
        _c("stated_price_tier", "category", "stated usual price tier", required=False, nullable=True,
           categories=PRICE_TIERS, ordered=True),
        _c("stated_favourite_category", "category", "stated favourite product category", required=False,
           nullable=True),
        _c("stated_repurchase_intent", "score", "intent to buy again in the next 3 months (1 = certainly not, "
           "5 = certainly)", required=False, nullable=True, scale=(1, 5)),
        _c("comment", "text", "open answer: why this score?", required=False, nullable=True),
        _c("weight", "float", "survey weight (1 when unweighted)", required=False, nullable=True, min_value=0.0),
    ),
)

INTERACTIONS = TableSpec(
    name="interactions",
    row="contact with the company",
    key="interaction_id",
    columns=(
        _c("interaction_id", "id", "contact id"),
        _c("channel", "category", "channel of the contact", categories=CHANNELS),
        _c("platform", "category", "platform within the channel (facebook, instagram, viber, telegram...)",
           required=False, nullable=True),
        _c("timestamp", "datetime", "start of the contact (local time)"),
        _c("customer_id", "id", "CRM customer id, only when the channel identifies the customer",
           required=False, nullable=True),
        _c("name", "text", "name as given in this channel", required=False, nullable=True),
        _c("email", "text", "e-mail as given in this channel", required=False, nullable=True),
        _c("phone", "text", "phone as given in this channel", required=False, nullable=True),
        _c("handle", "text", "social / messenger handle", required=False, nullable=True),
        _c("topic", "category", "reason for contact", required=False, nullable=True),
        _c("wait_seconds", "float", "time to first answer, seconds", required=False, nullable=True, min_value=0.0),
        _c("handle_seconds", "float", "handling time, seconds", required=False, nullable=True, min_value=0.0),
        _c("resolved", "bool", "resolved at first contact", required=False, nullable=True),
        _c("csat", "score", "post-contact satisfaction (1–5)", required=False, nullable=True, scale=(1, 5)),
        _c("agent_message", "text", "the agent's (first) reply, verbatim", required=False, nullable=True),
    ),
)

#: A survey table needs at least one of these score columns (an NPS survey, a CSAT or a CES survey).
SURVEY_SCORES = ("likelihood_to_recommend", "csat", "ces")

TABLES: dict[str, TableSpec] = {t.name: t for t in (CUSTOMERS, TRANSACTIONS, SURVEY_RESPONSES, INTERACTIONS)}

#: The employee (eNPS) survey: read by :func:`cxlab.io.read` like the canonical tables, but
#: not part of the customer data model (:data:`TABLES`, the data dictionary and templates).
EMPLOYEE_SURVEY = TableSpec(
    name="employee_survey",
    row="completed employee survey",
    key="employee_id",
    columns=(
        _c("employee_id", "id", "employee (personnel) number; anonymous surveys have none", required=False),
        _c("department", "category", "department / team", required=False, nullable=True),
        _c("submitted_at", "datetime", "when the survey was submitted", required=False, nullable=True),
        _c("likelihood_to_recommend", "score", "eNPS question: how likely to recommend us as an employer "
           "(0–10)", nullable=True, scale=(0, 10)),
        _c("comment", "text", "open answer", required=False, nullable=True),
    ),
)
OTHER_TABLES: dict[str, TableSpec] = {EMPLOYEE_SURVEY.name: EMPLOYEE_SURVEY}

_ALIASES = {"survey": "survey_responses", "surveys": "survey_responses", "responses": "survey_responses",
            "customer": "customers", "transaction": "transactions", "interaction": "interactions",
            "employees": "employee_survey", "employee": "employee_survey", "enps": "employee_survey"}


def table_spec(kind: str) -> TableSpec:
    """Return the :class:`TableSpec` for a table name (``"survey"`` is accepted for ``survey_responses``).

    Examples
    --------
    >>> spec = table_spec("survey")
    >>> spec.name, [c.name for c in spec.columns][:5]
    ('survey_responses', ['response_id', 'customer_id', 'email', 'phone', 'submitted_at'])
    """
    name = _ALIASES.get(kind, kind)
    try:
        return TABLES[name] if name in TABLES else OTHER_TABLES[name]
    except KeyError:
        raise CXLabError(
            f"unknown table kind {kind!r}",
            fix=f"use one of {', '.join([*TABLES, *OTHER_TABLES])} (or 'survey')",
        ) from None


def coerce(df: pd.DataFrame, kind: str, *, add_missing: bool = True) -> pd.DataFrame:
    """Return a copy of ``df`` with canonical dtypes.

    Values must already be clean (this is a dtype cast, not a parser: messy files go
    through :mod:`cxlab.io`). Optional columns that are absent are added as all-missing
    when ``add_missing``; extra columns are kept at the end, unchanged.

    Raises
    ------
    CXLabError
        When a required column is missing or a value cannot be cast.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"transaction_id": ["t1"], "customer_id": ["00123"], "timestamp": ["2025-03-01 10:15"],
    ...                     "amount": ["1234.5"], "channel": ["web"]})
    >>> table = coerce(raw, "transactions")
    >>> print(table.dtypes.to_string())
    transaction_id            string
    customer_id               string
    timestamp         datetime64[ns]
    amount                   float64
    category                category
    price_tier              category
    channel                 category
    """
    spec = table_spec(kind)
    missing = [c for c in spec.required if c not in df.columns]
    if missing:
        raise CXLabError(
            f"the {spec.name} table lacks required column(s) {', '.join(missing)}",
            fix="rename your columns to the canonical names (see data/README.md) or load the file with cxlab.io",
        )
    out = {}
    n = len(df)
    for col in spec.columns:
        if col.name not in df.columns:
            if not add_missing:
                continue
            values = pd.Series([pd.NA] * n, index=df.index, dtype="object")
        else:
            values = df[col.name]
        try:
            out[col.name] = _cast(values, col)
        except (TypeError, ValueError) as exc:
            raise CXLabError(
                f"values in the {spec.name} table cannot be read as {col.kind} ({exc})",
                column=col.name,
                fix="load the file with cxlab.io.read, which parses and quarantines bad values",
            ) from None
    extra = [c for c in df.columns if c not in out]
    result = pd.DataFrame(out, index=df.index)
    for c in extra:
        result[c] = df[c]
    return result


def _cast(values: pd.Series, col: ColumnSpec) -> pd.Series:
    if col.kind in ("id", "text"):
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            return values.astype("string")
        return values.astype("string")
    if col.kind == "datetime":
        if pd.api.types.is_datetime64_any_dtype(values):
            return values.astype("datetime64[ns]")
        return pd.to_datetime(values, format="ISO8601").astype("datetime64[ns]")
    if col.kind == "float":
        return pd.to_numeric(values).astype("float64")
    if col.kind == "score":
        numeric = pd.to_numeric(values)
        if col.scale and col.scale[1] > 127:
            return numeric.astype("Int16")
        return numeric.astype("Int8")
    if col.kind == "bool":
        return values.astype("boolean")
    if col.kind == "category":
        if col.categories:
            cats = list(col.categories)
            if col.name in OWN_LABELS_KEPT:  # the canonical labels first, then the user's own, never blanked
                present = values.cat.categories if isinstance(values.dtype, pd.CategoricalDtype) else values.dropna()
                cats += sorted({str(v) for v in present} - set(cats))
            return values.astype(pd.CategoricalDtype(cats, ordered=col.ordered))
        if isinstance(values.dtype, pd.CategoricalDtype):
            return values
        return values.astype("string").astype("category")
    raise AssertionError(col.kind)


def empty_table(kind: str) -> pd.DataFrame:
    """An empty table with the canonical columns and dtypes.

    Examples
    --------
    >>> empty = empty_table("customers")
    >>> len(empty), list(empty.columns)[:4]
    (0, ['customer_id', 'name', 'email', 'phone'])
    """
    spec = table_spec(kind)
    return coerce(pd.DataFrame({c: pd.Series([], dtype="object") for c in spec.names}), kind)


def pandera_schema(kind: str):
    """Build the pandera ``DataFrameSchema`` of a canonical table (pandera imported lazily).

    Examples
    --------
    >>> schema = pandera_schema("transactions")
    >>> sorted(schema.columns)[:4]
    ['amount', 'category', 'channel', 'customer_id']
    """
    import pandera.pandas as pa

    spec = table_spec(kind)
    columns = {}
    for col in spec.columns:
        checks = []
        if col.scale:
            checks.append(pa.Check.in_range(*col.scale))
        if col.categories and col.name not in OWN_LABELS_KEPT:
            checks.append(pa.Check.isin(list(col.categories)))
        if col.min_value is not None:
            checks.append(pa.Check.ge(col.min_value))
        dtype = col.dtype
        if col.kind == "score" and col.scale and col.scale[1] > 127:
            dtype = "Int16"
        if col.kind == "category":
            dtype = None  # categories are checked by value, category sets differ between datasets
        columns[col.name] = pa.Column(
            dtype,
            checks=checks or None,
            nullable=col.nullable,
            required=col.required,
            unique=col.name == spec.key and col.required,
            coerce=False,
        )
    return pa.DataFrameSchema(columns, name=spec.name, strict=False)


def validate(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Validate a canonical table; raise :class:`CXLabError` listing the failing rows.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"transaction_id": ["t1"], "customer_id": ["c1"], "timestamp": ["2025-03-01"],
    ...                     "amount": [-5.0], "channel": ["web"]})
    >>> try:
    ...     validate(coerce(raw, "transactions"), "transactions")
    ... except Exception as err:
    ...     print(type(err).__name__)
    CXLabError
    """
    import pandera.errors as pe

    schema = pandera_schema(kind)
    try:
        return schema.validate(df, lazy=True)
    except pe.SchemaErrors as exc:
        spec = table_spec(kind)
        cases = exc.failure_cases
        first = cases.iloc[0]
        column = str(first["column"]) if first["column"] is not None else None
        rows = [int(i) + 1 for i in cases["index"].dropna().unique()[:50]] if "index" in cases else []
        if column in spec.names and not spec[column].required and column in df.columns and df[column].isna().all():
            raise CXLabError(
                f"the optional column {column} of the {spec.name} table is present but empty",
                column=column,
                fix=f"leave the column out (optional columns may be absent): df.drop(columns=[{column!r}])",
            ) from None
        raise CXLabError(
            f"{len(cases)} value(s) in the {spec.name} table break the schema "
            f"(first: {first['check']} failed for {first['failure_case']!r})",
            column=column,
            rows=rows,
            fix="correct these values in the table (when cxlab.io.read loads a file it quarantines such rows with "
                "the reason instead of failing)",
        ) from None


def data_dictionary_markdown() -> str:
    """The data dictionary as Markdown tables (the body of ``data/README.md``'s model section).

    Examples
    --------
    >>> print(data_dictionary_markdown().splitlines()[0])
    ### `customers` — one row per customer
    """
    parts = []
    for spec in TABLES.values():
        parts.append(f"### `{spec.name}` — one row per {spec.row}\n")
        parts.append("| column | type | required | allowed values | meaning |")
        parts.append("|---|---|---|---|---|")
        for c in spec.columns:
            req = "yes" if c.required else "no"
            if c.required and c.nullable:
                req = "yes (may be blank)"
            parts.append(f"| `{c.name}` | {c.kind} | {req} | {c.allowed()} | {c.description} |")
        parts.append("")
    return "\n".join(parts)


def _template_row(spec: TableSpec) -> dict[str, object]:
    """Example values for the CSV templates (one plausible row)."""
    examples = {
        "customer_id": "000123", "name": "Анна Иванова", "email": "anna.ivanova@example.ru",
        "phone": "+7 912 345-67-89", "signup_date": "2024-03-15", "region": "Москва", "birth_year": 1986,
        "transaction_id": "T0000001", "timestamp": "2025-02-14 18:30:00", "amount": 2490.0,
        "category": "wine", "price_tier": "mid", "channel": "store", "response_id": "R000001",
        "submitted_at": "2025-02-20 10:05:00", "likelihood_to_recommend": 9, "csat": 5, "ces": 6,
        "stated_frequency": "monthly", "stated_price_tier": "mid", "stated_favourite_category": "wine",
        "stated_repurchase_intent": 4, "comment": "Отличный выбор вин", "weight": 1.0,
        "interaction_id": "I0000001", "platform": "", "handle": "", "topic": "delivery",
        "wait_seconds": 35.0, "handle_seconds": 240.0, "resolved": True,
        "agent_message": "Здравствуйте, Анна! Спасибо за обращение.",
    }
    for a in _ATTRIBUTES:
        examples[a] = 4
    return {c.name: examples.get(c.name, "") for c in spec.columns}


def write_templates(directory) -> list:
    """Write one CSV template per table (header plus one example row) into ``directory``."""
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in TABLES.values():
        path = directory / f"{spec.name}.csv"
        pd.DataFrame([_template_row(spec)]).to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written

