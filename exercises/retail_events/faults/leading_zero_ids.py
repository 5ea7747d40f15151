"""User ids with leading zeros lose them when the users table is read, and the join drops their events."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "easy":
        return say.ticket(
            f"{say.share('entities.missing.share', 'entities.missing', 'entities', 'users')} who "
            "were active have no rows at all in the feature table; support noticed that their "
            "account numbers all start with a zero."
        )
    if difficulty == "medium":
        return say.ticket(
            "Customer support looked up active users in the feature table and found nothing "
            f"for {say.share('entities.missing.share', 'entities.missing', 'entities', 'users')} "
            f"between {facts.start_date} and {facts.end_date}."
        )
    if difficulty == "expert":
        return say.ticket(
            "The CRM team counts more active customers than the recommendation model scores "
            f"each night: {say.share('entities.missing.share', 'entities.missing', 'entities', 'customers')} "
            "never get a recommendation, although they browse and buy."
        )
    return say.ticket(
        "The number of active users in the feature table is short of the count in the CRM: "
        f"{say.share('entities.missing.share', 'entities.missing', 'entities', 'users')} are "
        "missing."
    )


def explain(params: Params) -> str:
    return (
        "read_users() lets pandas infer the user_id column, so '00123' becomes the integer 123 "
        "and then the string '123'; the inner join with the events (string ids) drops every "
        f"user whose id starts with 0 (about {params['zero_id_share']:.0%} of users). Fix: read "
        "user_id as a string (dtype={'user_id': 'str'})."
    )
