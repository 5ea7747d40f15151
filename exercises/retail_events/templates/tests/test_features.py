"""Internal consistency of the feature table."""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import AVG_ORDER_VALUE, IS_NEW_USER, NEW_USER_DAYS, REVENUE, TENURE_CAP_DAYS


def test_event_counts_add_up(features: pd.DataFrame) -> None:
    parts = features["n_views"] + features["n_cart_adds"] + features["n_purchases"]
    # A purchase below the minimum order value is an event but no order.
    assert (parts <= features["n_events"]).all()


def test_money_is_never_negative(features: pd.DataFrame) -> None:
    assert (features[REVENUE] >= 0).all()
    assert (features[AVG_ORDER_VALUE].dropna() > 0).all()


def test_average_order_value(features: pd.DataFrame) -> None:
    bought = features[features["n_purchases"] > 0]
    expected = bought[REVENUE] / bought["n_purchases"]
    # Within a cent, in whichever unit the money columns are published.
    cent = 1.0 if REVENUE.endswith("_cents") else 0.01
    assert np.allclose(bought[AVG_ORDER_VALUE].astype("float64"), expected, atol=1.1 * cent)
    assert features.loc[features["n_purchases"] == 0, AVG_ORDER_VALUE].isna().all()


def test_hours_and_ages_in_range(features: pd.DataFrame) -> None:
    assert features["first_event_hour"].between(0, 23).all()
    assert features["account_age_days"].between(0, TENURE_CAP_DAYS).all()
    assert (features[IS_NEW_USER] == (features["account_age_days"] < NEW_USER_DAYS)).all()


def test_units_cover_purchases(features: pd.DataFrame) -> None:
    assert (features["units_purchased"] >= features["n_purchases"]).all()
