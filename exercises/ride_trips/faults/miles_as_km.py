"""Distances of cities that report miles are used as kilometres."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "miles-as-km"
FAMILY = "units"
TITLE = "trips reported in miles are treated as kilometres for some cities or features"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["inverted", "literal", "speed-raw"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"form": str(rng.choice(FORMS))}


def knobs(params: Params) -> dict[str, Any]:
    return {}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    speed_only = params["form"] == "speed-raw"
    column = facts.spec.mean_speed if speed_only else facts.spec.total_distance
    what = "average speeds" if speed_only else "distances and speeds"
    if difficulty == "expert":
        return say.ticket(
            "The ETA model's error is far worse in some markets than in the rest; there, the "
            "average speeds the marketplace dashboard shows are "
            f"{say.ratio(f'{facts.spec.mean_speed}.ratio')} than the cities' own traffic "
            f"reports, for {say.column_entities(facts.spec.mean_speed, 'drivers')}."
        )
    if difficulty == "easy":
        return say.ticket(
            f"For drivers in New York, Chicago and London ({say.column_entities(column, 'drivers')}), "
            f"{column} in the feature table is {say.ratio(f'{column}.ratio')} than the telematics "
            "dashboard shows (the median over their driver-days); other cities match."
        )
    if difficulty == "medium":
        return say.ticket(
            f"The ETA model is systematically wrong for some markets: the {what} it is trained "
            f"on are {say.ratio(f'{column}.ratio')} than what drivers report, for "
            f"{say.column_entities(column, 'drivers')}."
        )
    slow = say.direction(facts.spec.mean_speed, down="slow", up="fast", mixed="odd")
    return say.ticket(
        f"Some markets look oddly {slow} compared to their traffic reports: "
        f"{say.entities('drivers')}."
    )


def explain(params: Params) -> str:
    cause = {
        "inverted": "normalise_distance() divides mile distances by KM_PER_MILE instead of "
        "multiplying, so they come out 2.59 times too short",
        "literal": "normalise_distance() compares distance_unit with 'miles', but cities.csv "
        "writes 'mi', so no city is converted",
        "speed-raw": "features compute the per-trip speed from the raw distance column "
        "instead of distance_km",
    }[str(params["form"])]
    return (
        f"New York, Chicago and London report distances in miles; {cause}. Fix: convert "
        "with cities.csv's distance_unit ('mi' -> x1.609344) and use distance_km everywhere."
    )
