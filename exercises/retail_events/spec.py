"""The retail-events feature specification each variant draws for itself.

When the store's day starts, whether revenue is net of sales tax and in which unit, when
a user stops being new: each variant publishes its own in the bundle's README and config.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np


@dataclasses.dataclass(frozen=True)
class Spec:
    # The store's business day starts at this local hour (night owls' orders count for the
    # evening before). Kept small: the day must still begin before the first UTC partition
    # of stores a few hours east of UTC ends.
    day_start_hour: int
    sales_tax_rate: float  # amounts include it; revenue is net of it
    money_in_cents: bool  # revenue columns as integer cents, else dollars with two decimals
    new_user_days: int

    @property
    def revenue(self) -> str:
        return "revenue_cents" if self.money_in_cents else "revenue"

    @property
    def avg_order_value(self) -> str:
        return "avg_order_value_cents" if self.money_in_cents else "avg_order_value"

    @property
    def tax_percent(self) -> str:
        return f"{self.sales_tax_rate * 100:g}%"


def draw(rng: np.random.Generator) -> Spec:
    return Spec(
        day_start_hour=int(rng.choice((0, 1, 2))),
        sales_tax_rate=float(rng.choice((0.0, 0.05, 0.07, 0.1, 0.2))),
        money_in_cents=bool(rng.random() < 0.5),
        new_user_days=int(rng.choice((14, 30, 60, 90))),
    )


def from_json(doc: Mapping[str, Any]) -> Spec:
    return Spec(**doc)
