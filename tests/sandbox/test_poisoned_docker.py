"""Poisoned exports graded in Docker: the valid ones' expected outputs reach the check
container (mounted one by one, never the poisoned inputs), the refusals come back in the logs."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from faultline.harness.grading import grade

from .conftest import TEST_LIMITS, assert_nothing_left


@pytest.mark.docker
def test_reference_refuses_or_handles_poisoned_exports_in_docker(
    small_variant: Path, sandbox_image: str, engine: Any
) -> None:
    key = small_variant / "key"
    result = grade(key / "solution", key, sandbox="docker", limits=TEST_LIMITS)
    assert result.status.value == "graded", result.doc["message"]
    signal = result.doc["signals"]["poisoned"]
    outcomes = {d["dataset"]: (d["kind"], d["outcome"]) for d in signal["datasets"]}
    assert outcomes and all(o == ("refused" if k == "invalid" else "handled") for k, o in outcomes.values()), outcomes
    assert signal["points"] == signal["max_points"] > 0 and result.score == result.doc["max_score"]
    assert_nothing_left(engine)
