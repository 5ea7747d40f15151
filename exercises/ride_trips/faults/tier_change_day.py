"""The vehicle tier of a driver-day is looked up strictly before the day: a change day keeps the old tier."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "tier-change-day"
FAMILY = "time"
TITLE = "the vehicle register is read as of the day before: the day a tier changes keeps the old one"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["strict", "day-before"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"form": str(rng.choice(FORMS)), "tier_change_share": round(float(rng.uniform(0.05, 0.1)), 3)}


def knobs(params: Params) -> dict[str, Any]:
    return {"tier_change_share": params["tier_change_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    drivers = say.column_entities("vehicle_tier", "drivers")
    if difficulty == "expert":
        return say.ticket(
            "Pricing's tier audit finds rides billed at one car class while the feature store "
            f"files the driver under another, for {drivers}; each time it is one day, and "
            "the fleet team says those drivers had just switched cars."
        )
    if difficulty == "easy":
        return say.ticket(
            f"On the day a driver's new vehicle tier takes effect in vehicles.csv, vehicle_tier "
            f"still shows the old tier ({say.column_rows('vehicle_tier', 'driver-days')}, "
            f"{drivers}); from the next day on it is right."
        )
    if difficulty == "medium":
        return say.ticket(
            f"vehicle_tier lags the fleet team's register by a day for {drivers}."
        )
    return say.ticket(f"The fleet team says our vehicle tiers are sometimes out of date, for {drivers}.")


def explain(params: Params) -> str:
    how = {
        "strict": "merge_asof(..., allow_exact_matches=False) skips the register row whose "
        "valid_from is the day itself",
        "day-before": "the lookup date is the operating day minus one (the register 'as it "
        "stood the day before')",
    }[str(params["form"])]
    return (
        "vehicles.csv holds one row per tier change; its valid_from is the first operating "
        "day the tier applies (docs/sources.md), and the README publishes the tier in force "
        f"on the row's operating day. tier_by_day() looks the tier up as of the day before: {how}. "
        "Only the driver-days on which a change takes effect differ: about "
        f"{params['tier_change_share']:.0%} of drivers change tier in a window. Fix: an "
        "as-of join that includes the day itself (merge_asof's default allow_exact_matches=True "
        "on the operating day)."
    )
