"""The v2 upstream job renamed the fare column; reading all files with the first one's schema loses it."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    per = facts.spec.fare_per_distance
    if difficulty == "expert":
        return say.ticket(
            "Finance's weekly driver-pay reconciliation no longer closes: against the payouts "
            "ledger, what the feature store says drivers earned comes out "
            f"{say.change('earnings.total', 'higher', 'lower')} over the export ({say.days()}), "
            "and the pricing model now sees drivers who drive a full shift for nothing."
        )
    if difficulty == "easy":
        zeros = int(say.number("earnings.zeros"))
        zero = say.claim("earnings.zeros", zeros, zeros, f"zero on {zeros:,} driver-days")
        return say.ticket(
            f"From {say.date('days.first')} on, driver earnings in the feature table are {zero} "
            f"and too low on {say.column_rows('earnings', 'driver-days')} in all, while the payouts "
            "system paid them as usual; trip counts and distances look normal."
        )
    if difficulty == "medium":
        return say.ticket(
            f"{per} collapsed from {say.date('days.first')} on, in all markets at once: over "
            f"those days earnings are {say.change('earnings.total.days', 'higher', 'lower')} than "
            "the payouts system's."
        )
    return say.ticket(
        "The pricing team says our driver-earnings features stopped making sense recently: "
        f"total earnings are {say.change('earnings.total', 'high', 'low')}."
    )


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
