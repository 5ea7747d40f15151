"""Namibia's country code "NA" is read as a missing value."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

if TYPE_CHECKING:  # pandas loads on first use: `faultline list` starts without it
    import pandas as pd

ID = "na-country-token"
FAMILY = "types"
TITLE = "merchants.csv read with default NA tokens: Namibia ('NA') becomes null"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["default-na", "na-values"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        # Namibian merchants are small: at these shares their attempts stay within 2% of the
        # sample (a narrow slice, see NARROW in the exercise package).
        "namibia_share": round(float(rng.uniform(0.015, 0.035)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"namibia_share": params["namibia_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "easy":
        return say.ticket(
            f"Attempts at merchants in Namibia ({say.column_rows('merchant_country', 'attempts')}) "
            "have an empty merchant_country and are never flagged is_cross_border."
        )
    if difficulty == "medium":
        return say.ticket(
            "The share of cross-border attempts in the feature table is "
            f"{say.change('is_cross_border.total', 'higher', 'lower')} than in the acquirer's monthly "
            "report; the missing ones are at African merchants."
        )
    if difficulty == "expert":
        return say.ticket(
            "Compliance's country-exposure report, built from the fraud features, lists one "
            "country fewer than the acquirers' settlement statements of the same period, and "
            "its cross-border volume is "
            f"{say.change('is_cross_border.total', 'higher', 'lower')} than theirs."
        )
    return say.ticket(
        "The cross-border share in the feature table is "
        f"{say.change('is_cross_border.total', 'higher', 'lower')} than the acquirers report."
    )


def explain(params: Params) -> str:
    how = (
        "read_merchants() calls read_csv with pandas' default NA tokens"
        if params["form"] == "default-na"
        else "read_merchants() lists \"NA\" among its na_values"
    )
    return (
        f"{how}, so the ISO country code \"NA\" (Namibia) becomes null: merchant_country is "
        "empty and is_cross_border False for those merchants. Fix: keep_default_na=False, "
        "na_values=[\"\"]."
    )


def guard(reference: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Cells this fault leaves alone that a fix fitted to the sample gets wrong.

    Merchants the registry has no country for stay null in the reference; a fix that fills
    every missing country with "NA" (in the sample, each one is Namibia) turns them into
    Namibian merchants. Those cells join the fault's footprint on hidden data.
    """
    import pandas as pd

    rows = reference.loc[reference["merchant_country"].isna(), keys]
    return pd.concat([rows.assign(column=c) for c in ("merchant_country", "is_cross_border")], ignore_index=True)
