"""Account age is computed as of the run, not as of each feature day: tenure leaks from the future."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "tenure-as-of-run"
FAMILY = "leakage"
TITLE = "account age measured at the end of the window, not on the feature's own day"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["window-end"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"form": str(rng.choice(FORMS))}


def knobs(params: Params) -> dict[str, Any]:
    return {}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "easy":
        return say.ticket(
            f"account_age_days does not grow from one day to the next: it is "
            f"{say.change('account_age_days.total', 'higher', 'lower')} in total than the days "
            f"since signup, for {say.column_rows('account_age_days', 'user-days')}."
        )
    if difficulty == "medium":
        return say.ticket(
            "The churn model uses account age; the data scientist noticed that a user's age in "
            f"the feature table is the same on every day of the export for {say.entities('users')}."
        )
    if difficulty == "hard":
        return say.ticket(
            f"New-user features look older than the CRM says, for {say.entities('users')}."
        )
    return say.ticket(
        "The onboarding model validates far better offline than it does live: on the training "
        f"table, customers look further into their tenure than they were that day, for "
        f"{say.entities('users')}."
    )


def explain(params: Params) -> str:
    how = "the window's last business day"
    return (
        f"account_age_days (and the new-user flag) is measured at {how} instead of on the row's "
        "own date: every earlier row gets the age it will have later (leakage from the future; "
        "the live job only ever knows the day itself). Fix: age = date - signup_date per row."
    )
