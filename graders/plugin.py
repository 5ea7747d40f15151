"""The graders' pytest plugin: options, the judged outputs, and the JSON report.

The report (``faultline.checks/2``) is the graders' whole answer; the harness builds
result.json from it and never parses pytest's own output:

* ``error``: null, or ``{"kind": "key" | "grader", "message": ...}`` when the graders could
  not grade (an unreadable key, a bug); the candidate's output never causes one;
* ``tests``: one entry per grader test (name, outcome, message);
* ``faults``: per fault, ``fixed``, ``message`` and per dataset the counts of footprint
  cells ``fixed`` / ``faulty`` / ``other``, the shared ones and the unexplained columns;
* ``regression``: per dataset the differing cells outside the footprints, the cells
  checked, their share, the share of rows, the columns and a few examples;
* ``schema_problems``: the differences from the contract, per dataset;
* ``datasets``: per dataset, the message when its output could not be graded;
* ``poisoned``: per valid poisoned export, ``equal`` (its output equals the reference's),
  ``cells`` (differing cells) and ``message`` (see poisoned.py).
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from . import judge, poisoned
from .keydata import KeyProblem, KeyView, load, load_dataset
from .outputs import BadOutput, read_output

REPORT_SCHEMA = "faultline.checks/2"
_state: dict[str, Any] = {"tests": [], "error": None, "grading": None}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("faultline")
    group.addoption("--fl-key")
    group.addoption("--fl-outputs")
    group.addoption("--fl-report")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "fault_id" in metafunc.fixturenames:
        try:
            ids = list(load(Path(metafunc.config.getoption("--fl-key"))).fault_ids)
        except KeyProblem as exc:
            _state["error"] = {"kind": "key", "message": str(exc)}
            ids = []
        metafunc.parametrize("fault_id", ids, ids=ids)


@dataclasses.dataclass(frozen=True)
class Grading:
    view: KeyView
    judged: list[judge.DatasetJudgement]
    schema: dict[str, list[str]]  # dataset -> differences from the contract
    verdicts: dict[str, judge.Verdict]
    poisoned: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)


def grade(key: Path, outputs: Path) -> Grading:
    """Judge every hidden dataset's output; KeyProblem when the key cannot be read."""
    view = load(key)
    judged, schema = [], {}
    for name in view.datasets:
        data = load_dataset(view, name)
        keys = view.keys
        try:
            output, written = read_output(
                outputs / name / view.output_file, max_rows=10 * len(data.reference) + 10_000,
                contract=data.contract,
            )
            missing = [k for k in keys if k not in output.columns]
            if missing:
                raise BadOutput(f"output has no key column {missing[0]!r}")
            schema[name] = schema_differences(data.contract, written)
            judged.append(judge.judge_dataset(
                name, data.reference, output, data.footprints, data.fault_values, keys, view.specs,
            ))
        except BadOutput as exc:
            judged.append(judge.unreadable(name, str(exc), data.reference, data.footprints, keys))
        except Exception as exc:  # noqa: BLE001 (whatever the output holds is graded, never a crash)
            message = f"the graders could not compare this output ({type(exc).__name__})"
            judged.append(judge.unreadable(name, message, data.reference, data.footprints, keys))
    return Grading(view, judged, schema, judge.verdicts(judged, list(view.fault_ids)),
                   poisoned.compare_valid(view, outputs))


def schema_differences(contract: Any, written: Any) -> list[str]:
    """Every way the written schema departs from the contract: names, order, Arrow types."""
    names, expected = list(written.names), list(contract.names)
    problems = []
    missing = [n for n in expected if n not in names]
    extra = sorted({n for n in names if n not in expected})
    repeated = sorted({n for n in names if names.count(n) > 1})
    if missing:
        problems.append(f"missing columns {missing}")
    if extra:
        problems.append(f"unexpected columns {extra}")
    if repeated:
        problems.append(f"repeated columns {repeated}")
    if not missing and not extra and not repeated and names != expected:
        problems.append("columns are in another order")
    for field in contract:
        if field.name in names and names.count(field.name) == 1:
            other = written.field(field.name)
            if not other.type.equals(field.type):
                problems.append(f"column {field.name!r} is {other.type}, expected {field.type}")
    return problems


@pytest.fixture(scope="session")
def grading(pytestconfig: pytest.Config) -> Grading:
    key = Path(pytestconfig.getoption("--fl-key"))
    outputs = Path(pytestconfig.getoption("--fl-outputs"))
    try:
        result = grade(key, outputs)
    except KeyProblem as exc:
        _state["error"] = {"kind": "key", "message": str(exc)}
        raise
    _state["grading"] = result
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        message = ""
        if call.excinfo is not None:
            text = str(call.excinfo.value).strip().splitlines()
            message = text[0][:500] if text else call.excinfo.typename
            if report.when == "setup" and _state["error"] is None:
                _state["error"] = {"kind": "grader", "message": f"{call.excinfo.typename}: {message}"}
        name = item.name.removeprefix("test_")
        _state["tests"].append({"name": name, "outcome": report.outcome, "message": message})
    return report


def report_doc(grading: Grading | None) -> dict[str, Any]:
    """The structured part of the report (empty when nothing was graded)."""
    if grading is None:
        return {"faults": [], "regression": {}, "schema_problems": {}, "datasets": {}, "poisoned": {}}
    faults = []
    for fid in grading.view.fault_ids:
        verdict = grading.verdicts[fid]
        faults.append({
            "id": fid, "fixed": verdict.fixed, "message": verdict.reason,
            "datasets": {ds.name: dataclasses.asdict(ds.faults[fid]) for ds in grading.judged},
        })
    regression = {
        ds.name: {
            "cells": r.cells, "checked": r.checked, "share": round(r.share, 6),
            "rows": r.rows, "rows_share": round(r.rows_share, 6), "columns": r.columns,
            "examples": list(r.examples),
        }
        for ds in grading.judged for r in [ds.regression]
    }
    return {
        "faults": faults, "regression": regression, "schema_problems": grading.schema,
        "datasets": {ds.name: {"error": ds.error} for ds in grading.judged},
        "poisoned": grading.poisoned,
    }


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    path = Path(session.config.getoption("--fl-report"))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "schema": REPORT_SCHEMA, "exitstatus": int(exitstatus), "error": _state["error"],
        "tests": _state["tests"], **report_doc(_state["grading"]),
    }
    path.write_text(json.dumps(doc, indent=2, default=str) + "\n")
