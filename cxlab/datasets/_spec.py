"""The demo company's design: its size and period, the behavioural segments and every planted
effect (drivers, the phone channel, the 2025 Q2 drop, under-claiming, the off-brand channel),
and the :class:`Demo` and :class:`Truth` containers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxlab.schema import DEMO_CATEGORIES

DEFAULT_N_CUSTOMERS = 3000
DEFAULT_SEED = 42
COMPANY = "Терруар"
DEMO_CURRENCY = "RUB"  # the demo company's amounts are in roubles

WINDOW_START = pd.Timestamp("2024-01-01")
OBSERVATION_END = pd.Timestamp("2025-12-31 23:59:59")
SURVEY_START = pd.Timestamp("2024-07-01")
DROP_PERIOD = ("2025-04-01", "2025-06-30")  # 2025 Q2: delivery problems

# ---------------------------------------------------------------------------------------
# Segment definitions: the planted behavioural truth
# ---------------------------------------------------------------------------------------
_CAT = DEMO_CATEGORIES  # wine, spirits, cheese, delicatessen, accessories, gifts
SEGMENTS: dict[str, dict[str, Any]] = {
    "champions": dict(
        share=0.05, rate=2.2, spend=5200, sigma=0.40, tier=(0.05, 0.25, 0.70),
        sales_channel=(0.55, 0.42, 0.03), category=(0.50, 0.20, 0.12, 0.10, 0.05, 0.03),
        satisfaction=1.0, respond=2.0, contacts=3.0, phone_share=0.08, overclaim=0.05,
    ),
    "loyal": dict(
        share=0.20, rate=1.0, spend=2600, sigma=0.45, tier=(0.15, 0.60, 0.25),
        sales_channel=(0.60, 0.35, 0.05), category=(0.45, 0.15, 0.15, 0.15, 0.05, 0.05),
        satisfaction=0.6, respond=1.7, contacts=2.0, phone_share=0.10, overclaim=0.15,
    ),
    "occasional": dict(
        share=0.35, rate=0.30, spend=1500, sigma=0.50, tier=(0.50, 0.40, 0.10),
        sales_channel=(0.50, 0.35, 0.15), category=(0.40, 0.20, 0.15, 0.15, 0.05, 0.05),
        satisfaction=0.0, respond=1.1, contacts=1.0, phone_share=0.24, overclaim=0.35,
    ),
    "gift_buyers": dict(
        share=0.15, rate=0.22, spend=3600, sigma=0.40, tier=(0.20, 0.50, 0.30),
        sales_channel=(0.25, 0.70, 0.05), category=(0.20, 0.15, 0.05, 0.10, 0.10, 0.40),
        satisfaction=0.3, respond=1.0, contacts=1.2, phone_share=0.12, overclaim=0.25,
    ),
    "lapsed": dict(
        share=0.25, rate=0.80, spend=1800, sigma=0.50, tier=(0.45, 0.45, 0.10),
        sales_channel=(0.45, 0.30, 0.25), category=(0.45, 0.20, 0.10, 0.15, 0.05, 0.05),
        satisfaction=-0.25, respond=1.2, contacts=1.5, phone_share=0.32, overclaim=0.40,
    ),
}
_SALES_CHANNELS = ("store", "web", "phone")
_TIER_MULT = {"budget": 0.55, "mid": 1.0, "premium": 1.9}
# Gift buying peaks: New Year, 23 February, 8 March (relative weights by calendar month).
_GIFT_SEASON = np.array([0.6, 1.6, 2.6, 0.5, 0.4, 0.3, 0.3, 0.4, 0.5, 0.6, 1.2, 3.0])

# Survey model: attribute latents -> likelihood to recommend (planted driver weights).
DRIVER_WEIGHTS = {"attr_quality": 0.95, "attr_staff": 0.70, "attr_delivery": 0.55,
                  "attr_price": 0.35, "attr_assortment": 0.15}
PHONE_STAFF_EFFECT = -0.35  # real channel effect on the staff rating (latent units)
PHONE_DIRECT_EFFECT = -0.4  # real channel effect on likelihood to recommend (0–10 scale)
DROP_DELIVERY_EFFECT = -1.4  # delivery rating in 2025 Q2 (latent units)
UNDERCLAIM = 0.04  # share stating one level *below* what they do
BRAND_VOICE_OFF_CHANNEL = "social"


# ---------------------------------------------------------------------------------------
# Result containers
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Truth:
    """The planted truths of a demo dataset (for checking analyses, never for analysing).

    Attributes
    ----------
    customers
        customer_id, segment, fragmented (appears in ≥ 2 channels without a customer id).
    survey
        response_id, customer_id (true, also where the table's is missing),
        overclaims_tier, overclaims_frequency, underclaims_frequency,
        actual_price_tier, actual_frequency.
    interactions
        interaction_id, customer_id: the true person behind every contact.
    params
        planted effect sizes and headline figures measured on the generated data.
    """

    customers: pd.DataFrame
    survey: pd.DataFrame
    interactions: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Demo:
    """The demo company's tables, in canonical form (see :mod:`cxlab.schema`)."""

    customers: pd.DataFrame
    transactions: pd.DataFrame
    survey_responses: pd.DataFrame
    interactions: pd.DataFrame
    employee_survey: pd.DataFrame
    observation_end: pd.Timestamp = OBSERVATION_END
    truth: Truth | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four canonical tables by name."""
        return {"customers": self.customers, "transactions": self.transactions,
                "survey_responses": self.survey_responses, "interactions": self.interactions}

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><code>{k}</code></td><td>{len(v):,}</td><td>{len(v.columns)}</td></tr>"
            for k, v in {**self.tables(), "employee_survey": self.employee_survey}.items()
        )
        return (f"<b>Demo company «{COMPANY}»</b> (observation end {self.observation_end:%Y-%m-%d})"
                f"<table><tr><th>table</th><th>rows</th><th>columns</th></tr>{rows}</table>")
