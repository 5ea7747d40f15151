"""The feature catalogue: how each published feature is computed, declared once.

Features come in three kinds. Additive ones are sums (or minima) of per-event values: they
are computed at the (user, day, category) grain first and rolled up, so that the category
mix and the day's totals come from one pass. Distinct counts and the user's attributes are
taken at the day grain. Derived features are functions of the day's rows, listed by the
features module in the order they are computed (a feature may read an earlier one).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import pandas as pd


@dataclasses.dataclass(frozen=True)
class Additive:
    """``name`` = ``how`` ("sum" or "min") of the per-event ``column`` over the user's day."""

    name: str
    column: str
    how: str = "sum"

    @property
    def is_count(self) -> bool:
        return self.how == "sum" and self.name != "revenue"


@dataclasses.dataclass(frozen=True)
class DayGrain:
    """``name`` = ``how`` ("nunique" or "first") of ``column`` over the user's day."""

    name: str
    column: str
    how: str


ADDITIVE: tuple[Additive, ...] = (
    Additive("n_events", "one"),
    Additive("n_views", "is_view"),
    Additive("n_cart_adds", "is_cart"),
    Additive("n_purchases", "is_purchase"),
    Additive("units_purchased", "units"),
    Additive("revenue", "revenue"),
    Additive("first_day_hour", "day_hour", "min"),
)
DAY_GRAIN: tuple[DayGrain, ...] = (
    DayGrain("country", "country", "first"),
    DayGrain("segment", "segment", "first"),
    DayGrain("signup_date", "signup_date", "first"),
    DayGrain("n_distinct_products", "product_id", "nunique"),
    DayGrain("n_categories", "category", "nunique"),
    DayGrain("n_platforms", "platform", "nunique"),
)

Derivation = Callable[[pd.DataFrame], pd.Series]


def additive_spec(grain: str) -> dict[str, tuple[str, str]]:
    """The named aggregations of the additive features at one grain: "event" (per-event
    columns) or "partial" (already aggregated columns, named after their feature)."""
    if grain == "event":
        return {a.name: (a.column, a.how) for a in ADDITIVE}
    return {a.name: (a.name, a.how) for a in ADDITIVE}


def day_grain_spec() -> dict[str, tuple[str, str]]:
    return {d.name: (d.column, d.how) for d in DAY_GRAIN}


def counts() -> list[str]:
    return [a.name for a in ADDITIVE if a.is_count]


def compute_derived(table: pd.DataFrame, derivations: Mapping[str, Derivation]) -> pd.DataFrame:
    """Every derived feature of ``derivations``, in its order, added to ``table``."""
    for name, function in derivations.items():
        if name in table.columns:
            raise ValueError(f"derived feature {name!r} would overwrite a column of the table")
        table[name] = function(table)
    return table
