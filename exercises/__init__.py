"""The exercise registry: a literal dict of exercise modules."""
from __future__ import annotations

from collections.abc import Mapping

from exercises import retail_events
from exercises import card_transactions
from exercises import ride_trips
from exercises.base import Exercise

EXERCISES: Mapping[str, Exercise] = {
    retail_events.ID: retail_events,
    ride_trips.ID: ride_trips,
    card_transactions.ID: card_transactions,
}
