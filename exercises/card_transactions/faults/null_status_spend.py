"""Attempts without a status (timed out) count as approved spend."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

ID = "null-status-spend"
FAMILY = "null-semantics"
TITLE = "spend keeps every attempt that is not 'declined', including null (timed-out) statuses"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["ne", "not-isin", "ne-method"]
FORMS: tuple[Form, ...] = get_args(Form)

_CODE = {
    "ne": 'status != "declined"',
    "not-isin": '~status.isin(["declined"])',
    "ne-method": 'status.ne("declined")',
}


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "null_status_share": round(float(rng.uniform(0.02, 0.05)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"null_status_share": params["null_status_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    if difficulty == "easy":
        return (
            f"From {facts.start_date} on, for some cards {facts.spec.spend_short} and "
            f"{facts.spec.spend_long} exceed the sum "
            "of their approved attempts in the same window; the surplus always equals attempts "
            "that the issuer never answered."
        )
    if difficulty == "medium":
        return (
            "For a few per cent of cards, trailing spend in the feature table is higher than "
            "what their statements show for the same period."
        )
    return "Our spend features run a little hot compared with the ledger."


def explain(params: Params) -> str:
    return (
        f"card_activity() marks spend as {_CODE[str(params['form'])]}, which is True for a null "
        "auth_status (attempts that timed out without an issuer response), so their amounts "
        "count as spend. Fix: approved = status == \"approved\"."
    )
