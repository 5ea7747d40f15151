"""The exercise registry: a literal dict of exercise modules."""
from __future__ import annotations

from collections.abc import Mapping

from faultline.exercises import card_transactions, retail_events, ride_trips
from faultline.exercises.base import Exercise

EXERCISES: Mapping[str, Exercise] = {
    retail_events.ID: retail_events,
    card_transactions.ID: card_transactions,
    ride_trips.ID: ride_trips,
}
