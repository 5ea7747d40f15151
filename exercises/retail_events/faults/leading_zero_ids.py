"""User ids with leading zeros lose them when the users table is read, and the join drops their events."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

ID = "leading-zero-ids"
FAMILY = "types"
TITLE = "users.csv ids read as integers: ids with leading zeros never join"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["astype", "to-numeric"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "id_width": int(rng.integers(6, 9)),
        "zero_id_share": round(float(rng.uniform(0.03, 0.08)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"id_width": params["id_width"], "zero_id_share": params["zero_id_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    if difficulty == "easy":
        return (
            "Some users who were active every day have no rows at all in the feature table; "
            "support noticed that their account numbers all start with 0."
        )
    if difficulty == "medium":
        return (
            "Customer support looked up a handful of active users in the feature table and "
            f"found nothing for them between {facts.start_date} and {facts.end_date}."
        )
    return "The user count in the feature table is a few percent below the count in the CRM."


def explain(params: Params) -> str:
    return (
        "read_users() lets pandas infer the user_id column, so '00123' becomes the integer 123 "
        "and then the string '123'; the inner join with the events (string ids) drops every "
        f"user whose id starts with 0 (about {params['zero_id_share']:.0%} of users). Fix: read "
        "user_id as a string (dtype={'user_id': 'str'})."
    )
