"""Attempts without a status (timed out) count as approved spend."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    short, long = facts.spec.spend_short, facts.spec.spend_long
    if difficulty == "easy":
        return say.ticket(
            f"For {say.entities('cards')}, {short} or {long} exceed the sum of their approved "
            f"attempts in the same window ({say.rows('attempts')}, from {say.date('days.first')}); "
            "the surplus always equals attempts that the issuer never answered."
        )
    if difficulty == "medium":
        return say.ticket(
            f"For {say.entities('cards')}, trailing spend in the feature table is higher than what "
            f"their statements show for the same period; over the export, {long} is "
            f"{say.change(f'{long}.total', 'higher', 'lower')} in total."
        )
    if difficulty == "expert":
        return say.ticket(
            "Credit risk compared cardholders' recent spend as the fraud model sees it with the "
            "general ledger's booked approvals over the same periods: the model's figure is "
            f"{say.change(f'{long}.total', 'higher', 'lower')} in total."
        )
    return say.ticket(
        "Our spend features run hot compared with the ledger: "
        f"{say.change(f'{long}.total', 'higher', 'lower')} in total."
    )


def explain(params: Params) -> str:
    return (
        f"card_activity() marks spend as {_CODE[str(params['form'])]}, which is True for a null "
        "auth_status (attempts that timed out without an issuer response), so their amounts "
        "count as spend. Fix: approved = status == \"approved\"."
    )
