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
from typing import Literal

import pandas as pd

from pipeline.config import DAYPARTS, PLATFORMS, SPLIT_CATEGORIES


@dataclasses.dataclass(frozen=True)
class Additive:
    """``name`` = ``how`` ("sum" or "min") of the per-event ``column`` over the user's day."""

    name: str
    column: str
    how: str = "sum"
    money: bool = False

    @property
    def is_count(self) -> bool:
        return self.how == "sum" and not self.money


@dataclasses.dataclass(frozen=True)
class DayGrain:
    """``name`` = ``how`` ("nunique" or "first") of ``column`` over the user's day."""

    name: str
    column: str
    how: str


def platform_flag(platform: str) -> str:
    return f"on_{platform}"


def daypart_flag(part: str) -> str:
    return f"in_{part}"


def category_flags(category: str) -> tuple[str, str]:
    """The per-event flags of a focus category: a view of it, an order of it."""
    return f"view_{category}", f"order_{category}"


ADDITIVE: tuple[Additive, ...] = (
    Additive("n_events", "one"),
    Additive("n_views", "is_view"),
    Additive("n_cart_adds", "is_cart"),
    Additive("n_purchases", "is_purchase"),
    Additive("units_purchased", "units"),
    Additive("revenue", "revenue", money=True),
    Additive("list_value", "list_value", money=True),
    Additive("first_day_hour", "day_hour", "min"),
    *(Additive(f"n_events_{p}", platform_flag(p)) for p in PLATFORMS),
    *(Additive(f"n_events_{d}", daypart_flag(d)) for d in DAYPARTS),
    *(Additive(f"n_views_{c}", category_flags(c)[0]) for c in SPLIT_CATEGORIES),
    *(Additive(f"n_orders_{c}", category_flags(c)[1]) for c in SPLIT_CATEGORIES),
)
DAY_GRAIN: tuple[DayGrain, ...] = (
    DayGrain("country", "country", "first"),
    DayGrain("segment", "segment", "first"),
    DayGrain("signup_date", "signup_date", "first"),
    DayGrain("n_distinct_products", "product_id", "nunique"),
    DayGrain("n_categories", "category", "nunique"),
    DayGrain("n_platforms", "platform", "nunique"),
    DayGrain("n_viewed_products", "viewed_product", "nunique"),
    DayGrain("n_purchased_products", "ordered_product", "nunique"),
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


Family = Literal[
    "key", "attribute", "activity", "orders", "money", "platform", "daypart", "category",
    "session", "distinct", "ratio", "window", "tenure",
]
# What an empty cell means for a feature: "never" (a value on every row), "no-events"
# (empty when the day has none of what it measures: no order, no cart add, no session).
NullPolicy = Literal["never", "no-events"]


@dataclasses.dataclass(frozen=True)
class Feature:
    """One published column: its family, Arrow type name, window, null policy and summary.

    ``window`` is the span of business days a value looks at: "day" for the row's own day,
    "Nd" for a trailing window of N days ending on it, "lifetime" for the account's history.
    """

    name: str
    family: Family
    dtype: str
    summary: str
    nulls: NullPolicy = "never"
    window: str = "day"


def features(revenue: str, avg_order_value: str, active_days: str, is_new_user: str, money: str) -> tuple[Feature, ...]:
    """Every published column of the feature table, in the published order."""
    active_window = active_days.rsplit("_", 1)[-1]
    return (
        Feature("user_id", "key", "string", "the user, leading zeros kept"),
        Feature("date", "key", "date32", "the store's business day"),
        Feature("country", "attribute", "string", "billing country (ISO code)"),
        Feature("segment", "attribute", "string", "consumer or business"),
        Feature("n_events", "activity", "int64", "events of the day, all types"),
        Feature("n_views", "activity", "int64", "product views"),
        Feature("n_cart_adds", "activity", "int64", "cart adds"),
        Feature("n_purchases", "orders", "int64", "orders (purchases at or above the minimum order value)"),
        Feature("units_purchased", "orders", "int64", "items of the day's orders"),
        Feature(revenue, "money", money, "order amounts net of tax, in the reporting currency"),
        Feature(avg_order_value, "money", money, "revenue per order", "no-events"),
        Feature("cart_conversion", "ratio", "float64", "orders per cart add", "no-events"),
        Feature("n_distinct_products", "distinct", "int64", "distinct products of any event"),
        Feature("n_categories", "distinct", "int64", "distinct known categories"),
        Feature("n_platforms", "distinct", "int64", "distinct client platforms"),
        Feature("engagement_score", "activity", "int64", "weighted views, cart adds and orders"),
        Feature(active_days, "window", "int64", "days with a row among the trailing window", window=active_window),
        Feature("first_event_hour", "activity", "int64", "local clock hour of the first event"),
        Feature("account_age_days", "tenure", "int64", "days since signup, capped", window="lifetime"),
        Feature(is_new_user, "tenure", "bool", "account younger than the new-user threshold", window="lifetime"),
        *(Feature(f"n_events_{p}", "platform", "int64", f"events sent by the {p} client") for p in PLATFORMS),
        *(Feature(f"n_events_{d}", "daypart", "int64", f"events in the {d} hours") for d in DAYPARTS),
        *(Feature(f"n_views_{c}", "category", "int64", f"views of {c} products") for c in SPLIT_CATEGORIES),
        *(Feature(f"n_orders_{c}", "category", "int64", f"orders of {c} products") for c in SPLIT_CATEGORIES),
        Feature("n_viewed_products", "distinct", "int64", "distinct products viewed"),
        Feature("n_purchased_products", "distinct", "int64", "distinct products ordered"),
        Feature("list_value_usd", "money", "float64", "the day's orders at their list prices, US dollars"),
        Feature("view_to_cart", "ratio", "float64", "cart adds per view", "no-events"),
        Feature("n_sessions", "session", "int64", "sessions begun on the day"),
        Feature("avg_session_minutes", "session", "float64", "mean length of those sessions", "no-events"),
        Feature("events_per_session", "session", "float64", "mean events of those sessions", "no-events"),
    )


def by_family(catalogue: tuple[Feature, ...]) -> dict[str, list[str]]:
    """Feature names per family, in the published order."""
    families: dict[str, list[str]] = {}
    for feature in catalogue:
        families.setdefault(feature.family, []).append(feature.name)
    return families


def markdown(catalogue: tuple[Feature, ...]) -> str:
    """The catalogue as a Markdown table, for the data catalogue's page."""
    lines = [
        "| feature | family | type | window | empty when | meaning |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in catalogue:
        empty = "never" if f.nulls == "never" else "nothing to measure"
        lines.append(f"| `{f.name}` | {f.family} | {f.dtype} | {f.window} | {empty} | {f.summary} |")
    return "\n".join(lines)


def compute_derived(table: pd.DataFrame, derivations: Mapping[str, Derivation]) -> pd.DataFrame:
    """Every derived feature of ``derivations``, in its order, added to ``table``."""
    for name, function in derivations.items():
        if name in table.columns:
            raise ValueError(f"derived feature {name!r} would overwrite a column of the table")
        table[name] = function(table)
    return table
