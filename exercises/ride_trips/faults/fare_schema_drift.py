"""The v2 upstream job renamed the fare column; reading all files with the first one's schema loses it."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

ID = "fare-schema-drift"
FAMILY = "schema-drift"
TITLE = "partitions of the v2 job read with the v1 schema: their fares come back empty"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["dataset", "read_table", "pandas"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"form": str(rng.choice(FORMS)), "v2_from_day": int(rng.integers(4, 11))}


def knobs(params: Params) -> dict[str, Any]:
    return {"v2_from_day": params["v2_from_day"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    day = facts.start_date + dt.timedelta(days=int(params["v2_from_day"]))
    if difficulty == "easy":
        return (
            f"From {day} on, driver earnings in the feature table are zero for almost every "
            "driver in every city, while the payouts system paid them as usual; trip counts "
            "and distances look normal."
        )
    if difficulty == "medium":
        return (
            "Earnings per kilometre collapsed in the second half of the export window "
            f"({facts.start_date} to {facts.end_date}), in all markets at once."
        )
    return "The pricing team says our driver-earnings features stopped making sense recently."


def explain(params: Params) -> str:
    return (
        f"From ingest day {params['v2_from_day']} of the window on, partitions are written "
        "by v2 of the upstream job, which replaced fare_cents (int, minor units) by "
        "fare_amount (float, currency units). read_trips() reads all files in one go "
        f"({params['form']}), which takes the schema of the first (v1) file: fare_amount is "
        "dropped and fare_cents reads as null in every v2 file, so their fares are missing "
        "and earnings sum to 0. Fix: read each file with its own schema and normalise it "
        "(fare_amount, or fare_cents / 100) before concatenating, or unify the schemas."
    )
