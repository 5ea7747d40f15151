"""The result of grading: ``result.json`` (schema faultline.result/1) and its summary."""
from __future__ import annotations

import dataclasses
import enum
from typing import Any

from faultline.harness.keyfile import NO_REGRESSION_POINTS, Key, versions
from faultline.harness.sandbox.base import RunResult

RESULT_SCHEMA = "faultline.result/1"


class Status(enum.StrEnum):
    GRADED = "graded"  # the submission ran (or failed to) and was scored
    REJECTED = "rejected"  # the submission could not be taken in safely; score 0
    INFRASTRUCTURE_ERROR = "infrastructure_error"  # the host could not grade; no score


@dataclasses.dataclass(frozen=True)
class Result:
    doc: dict[str, Any]
    junit_xml: str = ""

    @property
    def status(self) -> Status:
        return Status(self.doc["status"])

    @property
    def score(self) -> int | None:
        score = self.doc["score"]
        return None if score is None else int(score)


def _base(key: Key, status: Status, sandbox: str) -> dict[str, Any]:
    max_score = sum(int(f.get("points", 10)) for f in key.faults) + NO_REGRESSION_POINTS
    return {
        "schema": RESULT_SCHEMA,
        "variant": key.id,
        "exercise": key.doc["exercise"],
        "status": status.value,
        "sandbox": sandbox,
        "score": 0,
        "max_score": max_score,
        "message": None,
        "faults": [],
        "checks": [],
        "runs": [],
        "versions": versions(),
    }


def _unfixed(key: Key, message: str) -> list[dict[str, Any]]:
    return [
        {"id": f["id"], "family": f["family"], "fixed": False, "points": 0,
         "max_points": int(f.get("points", 10)), "message": message}
        for f in key.faults
    ]


def rejected_result(key: Key, reason: str, *, sandbox: str) -> Result:
    doc = _base(key, Status.REJECTED, sandbox)
    doc["message"] = f"submission rejected: {reason}"
    doc["faults"] = _unfixed(key, "not graded: the submission was rejected")
    return Result(doc)


def infrastructure_result(key: Key, reason: str, *, sandbox: str) -> Result:
    doc = _base(key, Status.INFRASTRUCTURE_ERROR, sandbox)
    doc["score"] = None
    doc["message"] = reason
    return Result(doc)


def build_result(
    key: Key,
    report: dict[str, Any],
    runs: list[RunResult],
    *,
    sandbox: str,
    problem: str | None,
    junit_xml: str,
    timings: dict[str, float],
) -> Result:
    doc = _base(key, Status.GRADED, sandbox)
    tests = {str(t["name"]): t for t in report["tests"]}
    faults = []
    for fault in key.faults:
        test = tests.get(f"fault_fixed[{fault['id']}]", {"outcome": "failed", "message": "no grader ran"})
        fixed = test["outcome"] == "passed"
        points = int(fault.get("points", 10))
        faults.append({
            "id": fault["id"], "family": fault["family"], "fixed": fixed,
            "points": points if fixed else 0, "max_points": points,
            "message": "fixed on every hidden dataset" if fixed else str(test["message"]),
        })
    checks = []
    for name, points in (("schema", 0), ("no_regression", NO_REGRESSION_POINTS)):
        test = tests.get(name, {"outcome": "failed", "message": "no grader ran"})
        passed = test["outcome"] == "passed"
        checks.append({
            "name": name, "passed": passed, "points": points if passed else 0,
            "max_points": points, "message": "" if passed else str(test["message"]),
        })
    doc.update(
        faults=faults,
        checks=checks,
        score=sum(f["points"] for f in faults) + sum(c["points"] for c in checks),
        message=problem,
        runs=[_run_json(r) for r in runs],
        timings=timings,
    )
    return Result(doc, junit_xml=junit_xml)


def _run_json(run: RunResult) -> dict[str, Any]:
    doc = run.to_json()
    doc["log"] = run.log[-4000:]  # result.json keeps the tail; the limit applied to the run
    return doc


def summary(result: Result) -> str:
    """One screen for a terminal."""
    doc = result.doc
    lines = [f"faultline grade: variant {doc['variant']} ({doc['exercise']}), sandbox {doc['sandbox']}"]
    if result.status is Status.INFRASTRUCTURE_ERROR:
        lines.append(f"status: infrastructure_error (nothing was charged to the candidate): {doc['message']}")
        return "\n".join(lines)
    lines.append(f"status: {doc['status']}   score: {doc['score']} / {doc['max_score']}")
    if doc["message"]:
        lines.append(f"note: {doc['message']}")
    for fault in doc["faults"]:
        mark = "fixed  " if fault["fixed"] else "missing"
        lines.append(f"  [{mark}] {fault['id']:<28} {fault['points']:>3}/{fault['max_points']:<3} {fault['family']}")
        if not fault["fixed"]:
            lines.append(f"            {fault['message'][:160]}")
    for check in doc["checks"]:
        mark = "pass" if check["passed"] else "FAIL"
        lines.append(f"  [{mark}] {check['name']:<30} {check['points']:>3}/{check['max_points']:<3}")
        if not check["passed"]:
            lines.append(f"            {check['message'][:160]}")
    for run in doc["runs"]:
        flag = " (timed out)" if run["timed_out"] else ""
        lines.append(f"  run {run['dataset']}: exit {run['exit_code']}, {run['wall_seconds']:.2f}s{flag}"
                     + _peak(run))
    return "\n".join(lines)


def _peak(run: dict[str, Any]) -> str:
    peak = run.get("peak_memory_bytes")
    return f", peak {peak / 2**20:.0f} MiB" if peak else ""
