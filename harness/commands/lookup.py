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


def faults_named(exercise: Exercise, ids: list[str]) -> None:
    """Every id is one of the exercise's faults, each named once."""
    for fid in ids:
        if fid not in exercise.FAULTS:
            known = ", ".join(exercise.FAULTS)
            raise UsageError(f"unknown fault {fid!r} for {exercise.ID}; its faults: {known}")
    repeated = sorted({fid for fid in ids if ids.count(fid) > 1})
    if repeated:
        raise UsageError(f"--faults names {repeated[0]!r} more than once")
    if not ids:
        raise UsageError("--faults needs at least one fault id")
