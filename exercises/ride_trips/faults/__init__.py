"""The ride-trips fault catalogue: a literal registry of small modules."""
from __future__ import annotations

from collections.abc import Mapping

from faultline.exercises.base import Fault
from faultline.exercises.ride_trips.faults import (
    dst_fixed_offset,
    fare_schema_drift,
    late_trip_partitions,
    miles_as_km,
    tier_change_day,
    uncorrected_trip,
    unknown_status_trips,
    unzoned_trip_loss,
)

FAULTS: Mapping[str, Fault] = {
    fare_schema_drift.ID: fare_schema_drift,
    dst_fixed_offset.ID: dst_fixed_offset,
    late_trip_partitions.ID: late_trip_partitions,
    miles_as_km.ID: miles_as_km,
    unzoned_trip_loss.ID: unzoned_trip_loss,
    uncorrected_trip.ID: uncorrected_trip,
    unknown_status_trips.ID: unknown_status_trips,
    tier_change_day.ID: tier_change_day,
}
