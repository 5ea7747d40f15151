"""Reclassified merchants keep their stale registry row on some attempts."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "merchant-fanout"
FAMILY = "duplication"
TITLE = "registry versions of a merchant fan out the join; the dedup keeps the stale MCC"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["first-row", "fanout"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "reclassified_share": round(float(rng.uniform(0.04, 0.09)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"reclassified_share": params["reclassified_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "easy":
        return say.ticket(
            f"{say.column_rows('mcc', 'attempts')} carry an mcc other than the registry's current "
            "one; all of them are at merchants the registry reclassified before the export."
        )
    if difficulty == "medium":
        flagged = ""
        if say.has("is_high_risk_mcc.direction"):
            how = say.direction(
                "is_high_risk_mcc", up="set where it should not be", down="missing where it should be set",
                mixed="wrong in both directions",
            )
            flagged = f" and is_high_risk_mcc is {how}"
        return say.ticket(
            f"mcc disagrees with the merchant registry for {say.column_rows('mcc', 'attempts')}"
            f"{flagged}."
        )
    if difficulty == "expert":
        return say.ticket(
            "The merchant-category mix of the model's training data does not match the acquirers' "
            f"current merchant files; risk operations sees it on {say.entities('cards')}."
        )
    return say.ticket(
        "Risk operations says the merchant-category signal does not match what they see, for "
        f"{say.entities('cards')}."
    )


def explain(params: Params) -> str:
    how = (
        "attach_merchants() keeps the first registry row per merchant_id without ordering by "
        "updated_at"
        if params["form"] == "first-row"
        else "attach_merchants() merges the whole registry, so each attempt at a reclassified "
        "merchant is repeated once per registry version, and latest_delivery() then keeps the "
        "last copy, whatever version it carries"
    )
    return (
        "merchants.csv holds every version of a reclassified merchant (same merchant_id, "
        f"older updated_at). {how}; for about half of those merchants that is the stale MCC. "
        "Fix: sort by updated_at and keep the last row per merchant_id before the merge "
        "(validate=\"many_to_one\")."
    )
