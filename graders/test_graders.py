"""The hidden graders: one test per fault, plus schema and no_regression."""
from __future__ import annotations

from typing import Any

from .plugin import Dataset, describe


def test_schema(datasets: list[Dataset]) -> None:
    problems = [ds.error or f"{ds.name}: {ds.schema_problem}" for ds in datasets
                if ds.error or ds.schema_problem]
    assert not problems, "; ".join(problems)


def test_fault_fixed(fault_id: str, datasets: list[Dataset], doc: dict[str, Any]) -> None:
    problems = describe(datasets, fault_id, list(doc["key_columns"]), "cells of its footprint")
    assert not problems, "; ".join(problems)


def test_no_regression(datasets: list[Dataset], doc: dict[str, Any]) -> None:
    problems = describe(datasets, "no_regression", list(doc["key_columns"]), "cells outside every footprint")
    assert not problems, "; ".join(problems)
