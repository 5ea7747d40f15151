"""Poisoned exports through the real `grade` (local sandbox): the reference refuses or handles
each, the untouched bundle is silently wrong on at least two, and the points follow the rule."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faultline.exercises.registry import EXERCISES
from faultline.harness.debrief import write_debrief
from tests.helpers import copy_tree, grade_inproc, workspace_with

# Grades through the real CLI per exercise, poisoned runs included: minutes, so `make test-slow`.
pytestmark = pytest.mark.slow

RIGHT = {"invalid": "refused", "valid": "handled"}


def _outcomes(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    signal = result["signals"]["poisoned"]
    return {d["dataset"]: d for d in signal["datasets"]}


def _poisons(key: Path) -> dict[str, dict[str, Any]]:
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((key / "poisoned").glob("*/poison.json"))}


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_reference_refuses_or_handles_every_poisoned_export(
    exercise: str, small_variant_of: Callable[[str], Path]
) -> None:
    key = small_variant_of(exercise) / "key"
    poisons = _poisons(key)
    assert len(poisons) >= 3 and {p["kind"] for p in poisons.values()} == {"invalid", "valid"}
    result = grade_inproc(key / "solution", key)
    outcomes = _outcomes(result)
    assert set(outcomes) == set(poisons)
    for name, entry in outcomes.items():
        assert entry["outcome"] == RIGHT[entry["kind"]], (name, entry)
        if entry["kind"] == "invalid":  # the refusal names the problem, on stderr
            assert any(w.lower() in entry["message"].lower() for w in poisons[name]["words"]), entry
    signal = result["signals"]["poisoned"]
    assert signal["points"] == signal["max_points"] == sum(p["max_points"] for p in poisons.values())
    assert result["score"] == result["max_score"] == 10 * len(result["faults"]) + signal["max_points"]
    assert result["score_parts"]["signals"] == signal["points"]
    # The hidden datasets' runs stay apart from the poisoned ones.
    assert {r["dataset"] for r in result["runs"]} == set(json.loads((key / "variant.json").read_text())["datasets"])


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_untouched_bundle_is_silently_wrong_and_earns_nothing(
    exercise: str, small_variant_of: Callable[[str], Path]
) -> None:
    variant = small_variant_of(exercise)
    poisons = _poisons(variant / "key")
    result = grade_inproc(variant / "candidate", variant / "key")
    outcomes = _outcomes(result)
    wrong = [n for n, e in outcomes.items() if e["outcome"] == "silently wrong"]
    assert len(wrong) >= 2, outcomes
    # What the key recorded when the variant was made is what grading finds.
    assert {n: e["outcome"] for n, e in outcomes.items()} == {n: p["bundle_outcome"] for n, p in poisons.items()}
    assert result["score"] == 0 and result["signals"]["poisoned"]["points"] == 0


def test_reference_without_its_validation_is_silently_wrong(
    small_variant_of: Callable[[str], Path], tmp_path: Path
) -> None:
    # Every fault fixed, the contract's validation left out: the invalid exports go through.
    key = small_variant_of("retail-events") / "key"
    lax = workspace_with(key, set(), tmp_path / "lax", strict=False)
    result = grade_inproc(lax, key)
    assert all(f["fixed"] for f in result["faults"])
    outcomes = _outcomes(result)
    for entry in outcomes.values():
        expected = "silently wrong" if entry["kind"] == "invalid" else "handled"
        assert entry["outcome"] == expected, entry
    valid_points = sum(e["max_points"] for e in outcomes.values() if e["kind"] == "valid")
    assert result["signals"]["poisoned"]["points"] == valid_points
    assert result["score"] == 10 * len(result["faults"]) + valid_points < result["max_score"]


def test_validation_alone_fixes_nothing_and_scores_zero(
    small_variant_of: Callable[[str], Path], tmp_path: Path
) -> None:
    # The bundle with the reference's validation: it refuses the invalid exports, yet no
    # fault is fixed, so the poisoned points do not count (a fix-nothing submission scores 0).
    variant = small_variant_of("retail-events")
    key = variant / "key"
    on = {f["id"] for f in json.loads((key / "variant.json").read_text())["faults"]}
    strict_bundle = workspace_with(key, on, tmp_path / "strict-bundle", strict=True)
    result = grade_inproc(strict_bundle, key)
    outcomes = _outcomes(result)
    assert all(e["outcome"] == "refused" for e in outcomes.values() if e["kind"] == "invalid"), outcomes
    assert result["signals"]["poisoned"]["points"] == 0 and result["score"] == 0


def test_key_format_2_grades_with_poisoned_not_measured(
    small_variant_of: Callable[[str], Path], tmp_path: Path
) -> None:
    key = copy_tree(small_variant_of("card-transactions") / "key", tmp_path / "key")
    doc = json.loads((key / "variant.json").read_text())
    doc["key_format"] = 2
    del doc["poisoned"]
    (key / "variant.json").write_text(json.dumps(doc))
    result = grade_inproc(key / "solution", key)
    assert result["status"] == "graded"
    assert result["signals"]["poisoned"] is None
    assert result["score"] == result["max_score"] == 10 * len(result["faults"])
    write_debrief(result, key_dir=key, submission=key / "solution", out=tmp_path / "out", feedback=None)
    page = (tmp_path / "out" / "debrief.md").read_text()
    assert "Poisoned exports: not measured" in page or "poisoned exports: not measured" in page.lower(), page


def test_the_answer_key_shows_the_validation_the_bundle_lacks(small_variant_of: Callable[[str], Path]) -> None:
    # Same seed, same bytes, poisoned exports included: test_determinism compares whole keys.
    for exercise in EXERCISES:
        diff = (small_variant_of(exercise) / "key" / "bundle.diff").read_text()
        assert "pipeline/validate.py" in diff and "class InvalidExport" not in diff, exercise
