"""Candidate test files for the tests signal: each catches exactly one fault of its exercise.

Each is a real test a careful candidate could write: a tiny input that shows the incident,
the pipeline's own function, and the contract asserted; it passes on the reference and on
the other fault's pipeline, and fails where its fault is on (whatever the fault's form).
"""
from __future__ import annotations

RETAIL = '''"""Guards the product fan-out incident: a re-exported catalogue must not multiply events."""
import pandas as pd

from pipeline.joins import attach_products


def test_catalogue_reexports_do_not_multiply_events():
    events = pd.DataFrame({"event_id": ["e1", "e2"], "product_id": ["p1", "p2"]})
    products = pd.DataFrame({
        "product_id": ["p1", "p1", "p2"],
        "category": ["old", "new", "toys"],
        "updated_at": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-01"]),
    })
    joined = attach_products(events, products)
    assert sorted(joined["event_id"]) == ["e1", "e2"]


def test_the_catalogue_keeps_every_event():
    events = pd.DataFrame({"event_id": ["e1"], "product_id": ["p9"]})
    products = pd.DataFrame({"product_id": ["p1"], "category": ["toys"],
                             "updated_at": pd.to_datetime(["2025-01-01"])})
    assert len(attach_products(events, products)) == 1
'''

CARD = '''"""Guards the Namibia incident: "NA" is a country code, not a missing value."""
from pipeline.ingest import read_merchants


def test_namibia_is_a_country(tmp_path):
    path = tmp_path / "merchants.csv"
    path.write_text("merchant_id,country,mcc,updated_at\\nm1,NA,5411,2025-01-01\\nm2,DE,5812,2025-01-02\\n")
    merchants = read_merchants(path)
    assert merchants["country"].tolist() == ["NA", "DE"]


def test_empty_country_is_missing(tmp_path):
    path = tmp_path / "merchants.csv"
    path.write_text("merchant_id,country,mcc,updated_at\\nm1,,5411,2025-01-01\\n")
    assert read_merchants(path)["country"].isna().all()
'''

RIDE = '''"""Guards the unzoned-trip incident: a trip without a pickup zone is still a trip."""
import pandas as pd

from pipeline.clean import drop_malformed
from pipeline.joins import attach_zones


def _trips():
    return pd.DataFrame({
        "trip_id": ["t1", "t2"], "driver_id": ["d1", "d1"], "city": ["oslo", "oslo"],
        "pickup_zone": ["z1", None],
        "pickup_ts": pd.to_datetime(["2025-03-01T08:00:00Z", "2025-03-01T09:00:00Z"]),
    })


def test_cleaning_keeps_trips_without_a_pickup_zone():
    assert sorted(drop_malformed(_trips())["trip_id"]) == ["t1", "t2"]


def test_the_zone_join_keeps_trips_without_a_pickup_zone():
    zones = pd.DataFrame({"zone_id": ["z1"], "is_airport": [True]})
    joined = attach_zones(_trips(), zones)
    assert joined.set_index("trip_id")["is_airport"].to_dict() == {"t1": True, "t2": False}
'''

# exercise -> (the fault the test catches, another fault of the variant, the test file)
CASES = {
    "retail-events": ("product-fanout", "leading-zero-ids", RETAIL),
    "card-transactions": ("na-country-token", "window-edge", CARD),
    "ride-trips": ("unzoned-trip-loss", "miles-as-km", RIDE),
}
