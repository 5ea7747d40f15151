"""The split of attempted amounts by merchant-category group loses the attempts without a category."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "mcc-group-null"
FAMILY = "lookup"
TITLE = "amounts by category group: an attempt without a merchant category falls out of every group, 'other' included"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["map", "replace"]
FORMS: tuple[Form, ...] = get_args(Form)

_CODE = {"map": 'txns["mcc"].map(GROUP_OF_MCC)', "replace": 'txns["mcc"].replace(GROUP_OF_MCC)'}


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"form": str(rng.choice(FORMS))}


def knobs(params: Params) -> dict[str, Any]:
    return {}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    column = facts.spec.group_spend[-1]
    if difficulty == "easy":
        return say.ticket(
            f"{column} leaves out attempts at merchants the registry has no category for "
            f"({say.column_rows(column, 'attempts')}, {say.column_entities(column, 'cards')})."
        )
    if difficulty == "medium":
        return say.ticket(
            f"For {say.column_entities(column, 'cards')}, the amounts split by merchant category add up "
            f"to less than the amounts the card attempted in the same {facts.spec.group_spend_days} days."
        )
    if difficulty == "expert":
        return say.ticket(
            "Fraud operations' report of attempted amounts by kind of merchant, built from the "
            f"fraud features, adds up to less than the authorisation log's for {say.entities('cards')}."
        )
    return say.ticket(f"The category split of attempted amounts misses part of them for {say.entities('cards')}.")


def explain(params: Params) -> str:
    return (
        f"mcc_groups() in pipeline/history.py computes {_CODE[str(params['form'])]}, which leaves a "
        "null mcc (merchants without a category, or missing from the registry) null: those "
        "attempts are in no group, so their amounts vanish from the 'other' group's column, where "
        "the contract puts them. Fix: .map(GROUP_OF_MCC).fillna(\"other\")."
    )
