"""Only the window's ingest partitions (plus a grace day or two) are read; late uploads are lost."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "late-trip-partitions"
FAMILY = "late-data"
TITLE = "ingest partitions read up to a fixed grace period: trips uploaded late never arrive"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["bounds", "loop"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    grace = int(rng.integers(1, 3))
    return {
        "form": str(rng.choice(FORMS)),
        "grace_days": grace,
        # Few enough on the sample that the lost trips touch a narrow slice of driver-days.
        "late_share": round(float(rng.uniform(0.015, 0.03)), 3),
        "max_late_days": int(rng.integers(grace + 2, grace + 4)),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"late_share": params["late_share"], "max_late_days": params["max_late_days"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty != "hard" and not say.has("n_trips.total.days"):
        # The lost records changed no trip count (corrections of trips read earlier, say).
        who, when = say.entities("drivers"), say.days()
        if difficulty == "expert":
            return say.ticket(
                "The weekly business review keeps revising the most recent days: a week later, "
                f"the trips service tells another story for {who}, {when}."
            )
        return say.ticket(
            f"For {who}, the feature table's figures for the last days of the export ({when}) "
            "disagree with what the trips service shows for them today."
        )
    if difficulty == "expert":
        return say.ticket(
            "The weekly business review keeps showing a soft finish: the most recent days of "
            "each report carry fewer trips than the trips service shows for the same days a "
            f"week later (the completed-trip total of the days concerned is "
            f"{say.change('n_trips.total.days', 'higher', 'lower')}), and re-running the job "
            "the next morning does not close the gap."
        )
    if difficulty == "easy":
        return say.ticket(
            f"The last days of the export have fewer trips per driver in the feature table than "
            f"the trips service shows for them today ({say.days()}): "
            f"{say.change('n_trips.total.days', 'more', 'fewer')} completed trips over those days; "
            "earlier days reconcile."
        )
    if difficulty == "medium":
        return say.ticket(
            "Driver trip counts at the end of every export come out "
            f"{say.change('n_trips.total.days', 'high', 'short')} {say.days()}, and re-running "
            "the pipeline a week later does not change them."
        )
    return say.ticket(
        "Ops feels the most recent days always look weaker than they were, for "
        f"{say.entities('drivers')}."
    )


def explain(params: Params) -> str:
    return (
        "Trips are partitioned by ingest date, and driver apps that were offline upload "
        f"their trips up to {params['max_late_days']} days late (about "
        f"{params['late_share']:.0%} of trips). partition_paths() reads partitions only up to "
        f"{params['grace_days']} day(s) after the window ({params['form']}), so late trips of "
        "the window's last days are never read. Fix: read every partition from the day "
        "before the window on (or at least through the maximum lateness)."
    )
