"""Daily per-user features, one row per (user_id, local date)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import NEW_USER_DAYS

KEY = ["user_id", "date"]


def daily_user_features(events: pd.DataFrame) -> pd.DataFrame:
    """Aggregate cleaned, joined events into the feature table."""
    events = events.assign(
        is_view=events["event_type"] == "view",
        is_cart=events["event_type"] == "add_to_cart",
        is_purchase=events["event_type"] == "purchase",
    )
    events["revenue"] = events["amount"].where(events["is_purchase"], 0.0)
    events["units"] = events["quantity"].where(events["is_purchase"], 0)
    grouped = events.groupby(KEY, sort=True)
    table = grouped.agg(
        country=("country", "first"),
        segment=("segment", "first"),
        signup_date=("signup_date", "first"),
        n_events=("event_id", "size"),
        n_views=("is_view", "sum"),
        n_cart_adds=("is_cart", "sum"),
        n_purchases=("is_purchase", "sum"),
        units_purchased=("units", "sum"),
        revenue=("revenue", "sum"),
        n_distinct_products=("product_id", "nunique"),
        n_categories=("category", "nunique"),
        first_event_hour=("local_hour", "min"),
        n_platforms=("platform", "nunique"),
    ).reset_index()

    table["revenue"] = table["revenue"].round(2)
    table["avg_order_value"] = (table["revenue"] / table["n_purchases"]).where(
        table["n_purchases"] > 0
    ).round(2)
    table["cart_conversion"] = (table["n_purchases"] / table["n_cart_adds"]).where(
        table["n_cart_adds"] > 0
    )
    feature_day = pd.to_datetime(table["date"])
    table["account_age_days"] = (feature_day - table["signup_date"]).dt.days
    table["is_new_user"] = table["account_age_days"] < NEW_USER_DAYS
    return table.drop(columns="signup_date")
