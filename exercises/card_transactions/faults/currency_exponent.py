"""Every currency is assumed to have two decimals, so zero- and three-decimal ones are off."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "currency-exponent"
FAMILY = "units"
TITLE = "minor units divided by 100 for every currency (JPY x100 too small, KWD x10 too big)"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["flat", "rounded"]
FORMS: tuple[Form, ...] = get_args(Form)

CURRENCIES = {
    "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0,
    "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3,
}


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "currency": str(rng.choice(list(CURRENCIES))),
        "foreign_share": round(float(rng.uniform(0.02, 0.06)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"foreign_currency": params["currency"], "foreign_share": params["foreign_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    amount = facts.spec.amount
    if difficulty == "easy":
        return say.ticket(
            f"Attempts charged in {params['currency']} ({say.column_rows(amount, 'attempts')}) show "
            f"an {amount} {say.ratio(f'{amount}.ratio')} than the settlement report (the median "
            "over those attempts)."
        )
    if difficulty == "medium":
        return say.ticket(
            f"Cross-border orders ({say.column_rows(amount, 'attempts')}) carry amounts in the "
            f"feature table {say.ratio(f'{amount}.ratio')} than in the settlement report."
        )
    if difficulty == "expert":
        return say.ticket(
            "The nightly settlement reconciliation cannot match "
            f"{say.column_rows(amount, 'authorisation attempts')} to what the acquirers settled; "
            "all of them are orders of marketplaces that price abroad."
        )
    return say.ticket(f"The average ticket size of {say.entities('cards')} looks implausible.")


def explain(params: Params) -> str:
    exp = CURRENCIES[str(params["currency"])]
    return (
        f"convert_amounts() divides amount_minor by 100 for every currency, but {params['currency']} "
        f"has {exp} decimals (ISO 4217), so its amounts, and the spend windows that contain "
        "them, are off by a power of ten. Fix: divide by 10 ** the currency's ISO 4217 exponent "
        "(the README lists them; a table in config.py)."
    )
