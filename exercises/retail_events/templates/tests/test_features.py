"""Internal consistency of the feature table."""
from __future__ import annotations

import numpy as np
import pandas as pd


def test_event_counts_add_up(features: pd.DataFrame) -> None:
    parts = features["n_views"] + features["n_cart_adds"] + features["n_purchases"]
    assert (parts == features["n_events"]).all()


def test_money_is_never_negative(features: pd.DataFrame) -> None:
    assert (features["revenue"] >= 0).all()
    assert (features["avg_order_value"].dropna() > 0).all()


def test_average_order_value(features: pd.DataFrame) -> None:
    bought = features[features["n_purchases"] > 0]
    expected = (bought["revenue"] / bought["n_purchases"]).round(2)
    assert np.allclose(bought["avg_order_value"], expected, atol=0.011)
    assert features.loc[features["n_purchases"] == 0, "avg_order_value"].isna().all()


def test_hours_and_ages_in_range(features: pd.DataFrame) -> None:
    assert features["first_event_hour"].between(0, 23).all()
    assert (features["account_age_days"] >= 0).all()
    assert (features["is_new_user"] == (features["account_age_days"] < 30)).all()


def test_units_cover_purchases(features: pd.DataFrame) -> None:
    assert (features["units_purchased"] >= features["n_purchases"]).all()
