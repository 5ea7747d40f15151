"""The retail-events feature specification each variant draws for itself.

When the store's day starts, whether revenue is net of sales tax and in which unit, when
a user stops being new: each variant publishes its own in the bundle's README and config.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

# The group reports in one currency at its plan rate (units per US dollar, the store's own).
PLAN_RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "CAD": 1.36, "AUD": 1.52}
SALES_TAX_RATES = (0.0, 0.04, 0.05, 0.06, 0.0625, 0.07, 0.0725, 0.08, 0.08875, 0.1, 0.2)


@dataclasses.dataclass(frozen=True)
class Spec:
    # The store's business day starts at this local hour (night owls' orders count for the
    # evening before). Kept small: the day must still begin before the first UTC partition
    # of stores a few hours east of UTC ends.
    day_start_hour: int
    sales_tax_rate: float  # amounts include it; revenue is net of it
    money_in_cents: bool  # revenue columns as integer cents, else units with two decimals
    new_user_days: int
    currency: str  # the group's reporting currency, one of PLAN_RATES

    @property
    def revenue(self) -> str:
        return f"revenue_{self.currency.lower()}" + ("_cents" if self.money_in_cents else "")

    @property
    def avg_order_value(self) -> str:
        return f"avg_order_value_{self.currency.lower()}" + ("_cents" if self.money_in_cents else "")

    @property
    def plan_rate(self) -> float:
        return PLAN_RATES[self.currency]

    @property
    def tax_percent(self) -> str:
        return f"{self.sales_tax_rate * 100:g}%"


def draw(rng: np.random.Generator) -> Spec:
    return Spec(
        day_start_hour=int(rng.choice((0, 1, 2))),
        sales_tax_rate=float(rng.choice(SALES_TAX_RATES)),
        money_in_cents=bool(rng.random() < 0.5),
        new_user_days=int(rng.choice((14, 30, 60, 90))),
        currency=str(rng.choice(list(PLAN_RATES))),
    )


def from_json(doc: Mapping[str, Any]) -> Spec:
    return Spec(**doc)
