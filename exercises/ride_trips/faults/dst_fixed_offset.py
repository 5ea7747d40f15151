"""Local time from a fixed UTC offset per city: an hour off on one side of a DST change."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "dst-fixed-offset"
FAMILY = "time"
TITLE = "local pickup time from a fixed UTC offset: hours and days shift across a DST change"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["standard-offset", "start-offset", "end-offset"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"form": str(rng.choice(FORMS)), "dst_season": str(rng.choice(("spring", "autumn")))}


def knobs(params: Params) -> dict[str, Any]:
    return {"dst_season": params["dst_season"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    # Imported here: the generator needs pandas, and `faultline list` imports this module.
    from faultline.exercises.ride_trips.generator import dst_changes

    say = Writer(difficulty, facts)
    changes = dst_changes(facts.start_date, facts.end_date)
    names = sorted({city.replace("_", " ").title() for city, _, _ in changes})
    cities = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    if difficulty == "expert":
        return say.ticket(
            "Supply planning's staffing forecast is off by an hour in some markets: the model "
            f"expects {say.entities('drivers')} to log on at another time than they do, "
            f"{say.days()}. Driver ops says nobody changed shifts."
        )
    if difficulty == "hard":
        return say.ticket(
            f"Supply planning says the hourly profile of {say.entities('drivers')} looks shifted "
            f"{say.days()}."
        )
    shift = say.number("first_pickup_hour.absdiff")
    hours = "an hour" if shift == 1 else f"{shift:g} hours"
    by = say.claim("first_pickup_hour.absdiff", shift, shift, f"by {hours}")
    if difficulty == "easy":
        return say.ticket(
            f"Since the clocks changed in {cities}, {say.entities('drivers')} seem to start "
            f"their day off {by} (the median shift) in the feature table, {say.days()}; the "
            "driver app shows the usual shift times."
        )
    return say.ticket(
        f"The first-pickup hour of {say.entities('drivers')} jumps {by} {say.days()}; "
        "drivers did not change habits."
    )


def explain(params: Params) -> str:
    which = {
        "standard-offset": "the standard offset of cities.csv (utc_offset_hours), wrong whenever "
        "daylight saving time is in force",
        "start-offset": "the offset at the window's start, wrong after a clock change",
        "end-offset": "the offset at the window's end, wrong before a clock change",
    }[str(params["form"])]
    return (
        f"localise() shifts UTC pickup times by one fixed offset per city: {which}. In "
        "cities whose clocks change inside the window the local hour is off by one on some "
        "days, which moves first_pickup_hour and mean_pickup_hour and puts trips near "
        "midnight on the wrong date. Fix: convert with the city's tz database zone "
        "(dt.tz_convert(timezone)) per city."
    )
