"""Events near local midnight at one edge of the window are never read."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

ID = "utc-partition-window"
FAMILY = "time"
TITLE = "UTC partitions read for local dates: one edge day of the window loses its night"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["range", "date_range"]
FORMS: tuple[Form, ...] = get_args(Form)

# Store timezones at least three hours from UTC: west of UTC the last local day spills
# into the next UTC partition, east of UTC the first local day begins in the previous one.
TIMEZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Sao_Paulo", "America/Mexico_City", "Asia/Tokyo", "Asia/Kolkata",
    "Asia/Singapore", "Australia/Sydney", "Asia/Dubai", "Asia/Shanghai",
)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"timezone": str(rng.choice(TIMEZONES)), "form": str(rng.choice(FORMS))}


def knobs(params: Params) -> dict[str, Any]:
    return {"timezone": params["timezone"]}


def _edge(params: Params, facts: SampleFacts) -> tuple[str, str]:
    west = str(params["timezone"]).startswith("America/")
    return ("last", facts.end_date.isoformat()) if west else ("first", facts.start_date.isoformat())


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    which, day = _edge(params, facts)
    if difficulty == "easy":
        return (
            f"The feature table has fewer events on {day}, the {which} day of the export, "
            "than the raw event partitions hold for that local day; the other days reconcile."
        )
    if difficulty == "medium":
        return (
            f"Finance reconciled daily revenue against the order system: {day} comes out "
            "a few percent short in the feature table; every other day matches."
        )
    return (
        "The churn model flags more users as inactive than the product team believes, "
        "and the effect seems to sit at the edge of each run's window."
    )


def explain(params: Params) -> str:
    return (
        f"Events are partitioned by UTC date, the window is in local time ({params['timezone']}). "
        "partition_dates() returns only the window's own dates, so the UTC partition before "
        "(east of UTC) or after (west of UTC) the window is never read, and the night of the "
        "first or last local day is lost. Fix: read one partition more on each side, then "
        "filter on the local date."
    )
