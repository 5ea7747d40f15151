"""Every exercise ships a production-sized pipeline at every difficulty it offers.

A pipeline a candidate can read end to end in ten minutes is found by reading; issue 10
asks for the shape of a real nightly job, at least 1,500 lines across its modules. The
breadcrumb check (tests/test_breadcrumbs.py) makes sure those lines are used.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from faultline.exercises.registry import EXERCISES
from faultline.harness.build import render_pipeline
from faultline.harness.variant import draw

MIN_PIPELINE_LINES = 1500


def pipeline_lines(where: Path) -> int:
    return sum(len(path.read_text().splitlines()) for path in sorted((where / "pipeline").rglob("*.py")))


CASES = [(eid, d) for eid in sorted(EXERCISES) for d in EXERCISES[eid].DIFFICULTIES]


@pytest.mark.parametrize(("exercise_id", "difficulty"), CASES, ids=[f"{e}-{d}" for e, d in CASES])
def test_the_bundles_pipeline_has_a_real_jobs_size(exercise_id: str, difficulty: str, tmp_path: Path) -> None:
    exercise = EXERCISES[exercise_id]
    variant = draw(exercise, seed=f"sizes-{difficulty}", attempt=0, difficulty=difficulty, rows=3000)  # type: ignore[arg-type]
    on = frozenset(f.id for f in variant.faults)
    where = render_pipeline(exercise, variant, on, tmp_path / "bundle", strict=False)
    lines = pipeline_lines(where)
    assert lines >= MIN_PIPELINE_LINES, f"{exercise_id} at {difficulty}: {lines} pipeline lines"
