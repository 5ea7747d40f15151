"""The exercise registry: a literal dict of exercise modules."""
from __future__ import annotations

from collections.abc import Mapping

from exercises import retail_events
from exercises.base import Exercise

EXERCISES: Mapping[str, Exercise] = {
    retail_events.ID: retail_events,
}
