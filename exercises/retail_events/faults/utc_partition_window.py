"""Events near local midnight at one edge of the window are never read."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    which, _ = _edge(params, facts)
    revenue = facts.spec.revenue
    if difficulty == "easy":
        return say.ticket(
            f"The feature table has {say.change('n_events.total.days', 'more', 'fewer')} events "
            f"{say.days()}, the {which} day of the export, than the raw event partitions hold for "
            "that local day; the other days reconcile."
        )
    if difficulty == "medium":
        column = revenue if say.has(f"{revenue}.total.days") else "n_events"
        what = "revenue" if column == revenue else "event count"
        return say.ticket(
            f"Finance reconciled the daily {what} against the order system: it comes out "
            f"{say.change(f'{column}.total.days', 'high', 'short')} {say.days()}; every other "
            "day matches."
        )
    # West of UTC the last day is the only one touched; east of UTC the first day loses
    # rows, and later days' activity windows see that.
    fact, edge = ("days.last", facts.end_date.isoformat()) if which == "last" else (
        "days.first", facts.start_date.isoformat())
    where = say.claim(fact, edge, edge, f"the {which} day of each run's window")
    if difficulty == "hard":
        return say.ticket(
            "The churn model flags more users as inactive than the product team believes, and "
            f"the effect starts on {where}."
        )
    return say.ticket(
        "The churn model flags more users as inactive than the product team believes; the "
        f"product team's hunch is that it starts on {where}."
    )


def explain(params: Params) -> str:
    return (
        f"Events are partitioned by UTC date, the window is in local time ({params['timezone']}). "
        "partition_dates() returns only the window's own dates, so the UTC partition before "
        "(east of UTC) or after (west of UTC) the window is never read, and the night of the "
        "first or last local day is lost. Fix: read one partition more on each side, then "
        "filter on the local date."
    )
