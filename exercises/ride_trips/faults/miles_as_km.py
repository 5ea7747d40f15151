"""Distances of cities that report miles are used as kilometres."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

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


def _cities(params: Params) -> str:
    return "London" if params["form"] == "hardcoded" else "New York, Chicago and London"


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    speed_only = params["form"] == "speed-raw"
    what = "average speeds" if speed_only else "distances, speeds and fares per km"
    if difficulty == "easy":
        return (
            f"For drivers in {_cities(params)}, {what} in the feature table are about 40% "
            "off compared to the telematics dashboard; other cities match."
        )
    if difficulty == "medium":
        return (
            f"The ETA model is systematically wrong for some markets: the {what.split(',')[0]} "
            "it is trained on do not match what drivers report."
        )
    return "Some markets look oddly slow compared to their traffic reports."


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
