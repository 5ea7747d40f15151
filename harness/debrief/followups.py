"""Follow-up questions per fault, from the exercise's own ``followups`` module.

Each exercise may ship ``exercises/<name>/followups.py`` with ``FOLLOWUPS``, a literal dict
fault id -> function(params, spec) -> list of questions (spec: the variant's drawn
specification, or None when the key has none). The debrief only reads it; a fault without
an entry gets no questions, and the page says so rather than inventing generic ones.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from faultline.exercises.registry import EXERCISES

Questions = Callable[[Mapping[str, Any], Any], list[str]]


def followups_of(exercise_id: str) -> Mapping[str, Questions]:
    exercise = EXERCISES.get(exercise_id)
    if exercise is None:
        return {}
    name = f"{exercise.__name__}.followups"  # type: ignore[attr-defined]
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # the module exists but imports something missing: a bug, shown
            raise
        return {}
    table = getattr(module, "FOLLOWUPS", {})
    return table if isinstance(table, Mapping) else {}


def questions(
    exercise_id: str, fault_id: str, params: Mapping[str, Any], spec_doc: Mapping[str, Any] | None = None
) -> tuple[str, ...]:
    ask = followups_of(exercise_id).get(fault_id)
    if not ask:
        return ()
    exercise = EXERCISES.get(exercise_id)
    spec = exercise.spec_from_json(spec_doc) if exercise is not None and spec_doc else None
    return tuple(ask(params, spec))
