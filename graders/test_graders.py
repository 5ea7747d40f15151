"""The hidden graders: one test per fault, plus schema and no_regression.

Everything is judged once, in the ``grading`` fixture (see judge.py); each test states
one verdict, and the report carries the details.
"""
from __future__ import annotations

from .plugin import Grading


def test_schema(grading: Grading) -> None:
    problems = [f"{name}: {'; '.join(found)}" for name, found in grading.schema.items() if found]
    problems += [f"{ds.name}: {ds.error}" for ds in grading.judged if ds.error]
    assert not problems, "; ".join(problems)


def test_fault_fixed(fault_id: str, grading: Grading) -> None:
    verdict = grading.verdicts[fault_id]
    assert verdict.fixed, verdict.reason


def test_no_regression(grading: Grading) -> None:
    problems = []
    for ds in grading.judged:
        r = ds.regression
        if ds.error:
            problems.append(f"{ds.name}: {ds.error}")
        elif r.cells:
            columns = ", ".join(list(r.columns)[:4])
            problems.append(f"{ds.name}: {r.cells} of {r.checked} cells outside every footprint differ "
                            f"({r.share:.1%}; {r.rows_share:.1%} of rows; in {columns})")
    assert not problems, "; ".join(problems)
