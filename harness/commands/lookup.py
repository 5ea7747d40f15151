from __future__ import annotations

from faultline.exercises.base import Exercise
from faultline.exercises.registry import EXERCISES
from faultline.harness.errors import UsageError


def exercise_named(name: str) -> Exercise:
    try:
        return EXERCISES[name]
    except KeyError:
        known = ", ".join(sorted(EXERCISES))
        raise UsageError(f"unknown exercise {name!r}; known: {known}") from None
