"""The expert difficulty's rules that do not depend on one exercise.

Six faults, two of them with no ticket (drawn from the seed), a README that says the
tickets are not exhaustive, and tickets that name no column or module. An exercise
offers `expert` only once it has the depth for it; asking for it before is a usage
error.
"""
from __future__ import annotations

import datetime as dt
import types
from typing import Any

import pytest

from faultline.exercises.base import SampleFacts, Ticket
from faultline.exercises.registry import EXERCISES
from faultline.harness.commands.list import catalogue
from faultline.harness.errors import UsageError
from faultline.harness.tickets import TicketError, write_tickets
from faultline.harness.variant import draw


def _offering_expert(exercise_id: str) -> Any:
    """The exercise with `expert` switched on, as an exercise that has its depth would be."""
    exercise = EXERCISES[exercise_id]
    fake = types.SimpleNamespace(**{name: getattr(exercise, name) for name in dir(exercise) if name.isupper()})
    fake.DIFFICULTIES = (*exercise.DIFFICULTIES, "expert")
    fake.draw_spec = exercise.draw_spec
    fake.hidden_knobs = exercise.hidden_knobs
    return fake


def test_an_expert_variant_has_six_faults_and_two_without_a_ticket() -> None:
    exercise = _offering_expert("card-transactions")
    drawn = [draw(exercise, seed=f"expert-{i}", attempt=0, difficulty="expert", rows=3000) for i in range(6)]
    for variant in drawn:
        ids = [f.id for f in variant.faults]
        assert len(ids) == 6
        assert len(variant.unticketed) == 2 and set(variant.unticketed) <= set(ids)
    # Which faults go silent follows the seed, and differs between seeds.
    again = draw(exercise, seed="expert-0", attempt=0, difficulty="expert", rows=3000)
    assert again.unticketed == drawn[0].unticketed
    assert len({v.unticketed for v in drawn}) > 1


def test_lower_difficulties_ticket_every_fault() -> None:
    variant = draw(EXERCISES["ride-trips"], seed="t", attempt=0, difficulty="hard", rows=3000)
    assert variant.unticketed == ()


def test_an_exercise_without_the_expert_tier_refuses_it() -> None:
    exercise = types.SimpleNamespace(ID="toy", DIFFICULTIES=("easy", "medium", "hard"))
    with pytest.raises(UsageError, match="toy offers easy, medium, hard, not expert"):
        draw(exercise, seed="s", attempt=0, difficulty="expert")  # type: ignore[arg-type]


def test_list_shows_the_difficulties_each_exercise_offers() -> None:
    listed = {ex["id"]: ex["difficulties"] for ex in catalogue()["exercises"]}  # type: ignore[index, union-attr]
    assert listed == {ex.ID: list(ex.DIFFICULTIES) for ex in EXERCISES.values()}
    assert all({"easy", "medium", "hard"} <= set(d) for d in listed.values())


def _ticket_writer(text: str) -> Any:
    fault = types.SimpleNamespace(ticket=lambda params, difficulty, facts: Ticket(text))
    return types.SimpleNamespace(ID="toy", FAULTS={"f": fault})


FACTS = SampleFacts(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 31), timezone="UTC", spec=None)
CHOSEN = [types.SimpleNamespace(id="f", params={})]


@pytest.mark.parametrize("text", [
    "The churn model's precision fell after spend_7d changed.",
    "Something in features.py is off.",
    "The bug is in pipeline.joins, says the analyst.",
])
def test_an_expert_ticket_naming_a_column_or_module_is_refused(text: str) -> None:
    names = {"spend_7d", "features.py", "pipeline.features", "pipeline.joins", "joins.py"}
    with pytest.raises(TicketError, match="expert tickets report symptoms"):
        write_tickets(_ticket_writer(text), CHOSEN, "expert", FACTS, {"f": None}, names)  # type: ignore[dict-item]
    # The same words are fine below expert.
    assert write_tickets(_ticket_writer(text), CHOSEN, "hard", FACTS, {"f": None}, names)[0].text == text  # type: ignore[dict-item]


def test_an_expert_ticket_reporting_a_symptom_passes() -> None:
    text = "Finance says weekend revenue in the board report is a fifth lower than the order system's."
    names = {"revenue_usd", "features.py"}
    assert write_tickets(_ticket_writer(text), CHOSEN, "expert", FACTS, {"f": None}, names)[0].text == text  # type: ignore[dict-item]
