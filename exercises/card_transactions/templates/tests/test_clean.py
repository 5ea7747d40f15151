"""Unit tests of the cleaning steps."""
from __future__ import annotations

import pandas as pd

from pipeline.clean import latest_delivery, to_usd


def test_latest_delivery_keeps_the_outcome() -> None:
    feed = pd.DataFrame(
        {
            "transaction_id": ["a", "b", "a"],
            "auth_status": [None, "approved", "declined"],
            "ingested_at": pd.to_datetime(
                ["2025-05-01T10:00:05Z", "2025-05-01T10:00:06Z", "2025-05-01T10:03:00Z"]
            ),
        }
    )
    kept = latest_delivery(feed).set_index("transaction_id")["auth_status"]
    assert kept.to_dict() == {"a": "declined", "b": "approved"}


def test_amounts_in_dollars_and_cents() -> None:
    txns = pd.DataFrame({"currency": ["USD", "EUR"], "amount_minor": [1250, 1000]})
    out = to_usd(txns)
    assert out["amount_usd"].tolist() == [12.5, 10.8]
    assert out["amount_cents"].tolist() == [1250, 1080]
