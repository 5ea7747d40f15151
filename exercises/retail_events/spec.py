"""The retail-events feature specification each variant draws for itself.

When the store's day starts, whether revenue is net of sales tax and in which unit, when
a user stops being new, how events weigh in the engagement score, the smallest purchase
that counts as an order, the trailing window of active days, where account ages are
capped: each variant publishes its own in the bundle's README and config.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

# The group reports in one currency at its plan rate (units per US dollar, the store's own).
PLAN_RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "CAD": 1.36, "AUD": 1.52}
SALES_TAX_RATES = (0.0, 0.04, 0.05, 0.06, 0.0625, 0.07, 0.0725, 0.08, 0.08875, 0.1, 0.2)
# Engagement score weights per event type: whether a view counts at all, what a cart add
# and a purchase are worth.
VIEW_WEIGHTS = (0, 1)
CART_WEIGHTS = (2, 3, 5)
PURCHASE_WEIGHTS = (5, 10, 20)
# Purchases below this amount (US dollars as charged) are test or micro orders, not orders.
MIN_ORDER_VALUES = (0.0, 5.0, 10.0, 15.0, 20.0)
ACTIVE_WINDOW_DAYS = (3, 5, 7, 10, 14)
TENURE_CAP_DAYS = (90, 180, 365, 730)
# A user's day with fewer events than this is a bounce: it gets no row. Events, not the
# engagement score: a single order must not decide whether a day is published, or a
# filter on orders would remove rows (and footprint rows) wholesale.
MIN_DAY_EVENTS = (1, 2, 3)
# A session ends when the user's next event is more than this many minutes away.
SESSION_GAPS = (30, 45, 60)
# Merchandising's focus categories get split features of their own (views and orders).
FOCUS_CATEGORIES = ("apparel", "beauty", "books", "electronics", "home", "kitchen", "sports", "toys")


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
    # engagement_score = these weights times the day's views, cart adds and orders
    view_weight: int
    cart_weight: int
    purchase_weight: int
    # A purchase is an order when its amount (US dollars, tax included) is at least this.
    min_order_value: float
    active_window_days: int  # active_days_<N>d: active business days of the last N
    tenure_cap_days: int  # account_age_days stops growing here
    min_day_events: int  # a user-day with fewer events gets no row
    session_gap_minutes: int  # a longer gap between a user's events starts a new session
    split_categories: tuple[str, ...]  # n_views_<c>, n_orders_<c> for each, in this order

    @property
    def is_new_user(self) -> str:
        return f"is_new_user_{self.new_user_days}d"

    @property
    def active_days(self) -> str:
        return f"active_days_{self.active_window_days}d"

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
        # Drawn after the fields above, so that a seed keeps their values.
        view_weight=int(rng.choice(VIEW_WEIGHTS)),
        cart_weight=int(rng.choice(CART_WEIGHTS)),
        purchase_weight=int(rng.choice(PURCHASE_WEIGHTS)),
        min_order_value=float(rng.choice(MIN_ORDER_VALUES)),
        active_window_days=int(rng.choice(ACTIVE_WINDOW_DAYS)),
        tenure_cap_days=int(rng.choice(TENURE_CAP_DAYS)),
        min_day_events=int(rng.choice(MIN_DAY_EVENTS)),
        session_gap_minutes=int(rng.choice(SESSION_GAPS)),
        split_categories=tuple(str(c) for c in sorted(rng.choice(FOCUS_CATEGORIES, size=3, replace=False))),
    )


def from_json(doc: Mapping[str, Any]) -> Spec:
    return Spec(**{**doc, "split_categories": tuple(doc["split_categories"])})
