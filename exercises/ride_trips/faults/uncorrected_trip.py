"""De-duplication keeps the original trip record instead of support's correction."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "uncorrected-trip"
FAMILY = "dedup"
TITLE = "dedup keeps the original record of a trip, not its later correction"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["first-seen", "sorted-first", "latest-dropoff"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "correction_share": round(float(rng.uniform(0.02, 0.05)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"correction_share": params["correction_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "expert":
        return say.ticket(
            "The ETA model's duration labels run long for "
            f"{say.column_entities('mean_duration_min', 'drivers')}; rider support says it "
            "fixed those trips in the trips service long ago."
        )
    if difficulty == "easy":
        return say.ticket(
            "Trips whose end time support corrected (the driver forgot to end the trip) still "
            "count with their original, longer duration and higher fare: "
            f"{say.column_rows('mean_duration_min', 'driver-days')} show a longer mean duration."
        )
    if difficulty == "medium":
        pct = facts.spec.duration_pct
        way = say.direction(
            pct, up="always goes the same way, up", down="always goes the same way, down",
            mixed="goes both ways",
        )
        return say.ticket(
            f"Trip-duration percentiles ({pct}) in the feature table differ from ops' numbers for "
            f"{say.column_entities(pct, 'drivers')}; the difference {way}."
        )
    return say.ticket(f"The ETA model's duration labels look long for {say.entities('drivers')}.")


def explain(params: Params) -> str:
    return (
        f"About {params['correction_share']:.0%} of completed trips get a correction: a "
        "newer record (later updated_at) with an earlier dropoff and a lower fare. "
        f"deduplicate() ({params['form']}) keeps the original record. Fix: sort by "
        "updated_at and keep the last record per trip_id."
    )
