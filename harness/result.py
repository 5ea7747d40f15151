"""The result of grading: ``result.json`` and its one-screen summary.

``result.json``, ``"schema": "faultline.result/2"``:

* ``variant``, ``exercise``, ``status`` (``graded`` | ``rejected`` | ``infrastructure_error``),
  ``sandbox``, ``message`` (what went wrong with the submission, or null);
* ``submission``: ``name`` (the file or folder name as given), ``sha256`` (of the file; of a
  folder: over its files' relative paths and bytes), ``graded_at`` (UTC, ISO 8601);
* ``score`` (null for an infrastructure error), ``max_score`` (the sum of the fault points
  and of the poisoned exports' points, plus ``--test-points`` x faults when the tests signal
  is measured), ``score_parts``: ``faults`` (points of fixed faults), ``regression`` (0 or
  negative, a share of the fault points' maximum), ``signals`` (the poisoned exports' points:
  ``POISON_POINTS`` per export the untouched bundle gets wrong and the submission gets right,
  counted only when at least one fault is fixed, so that a submission fixing nothing still
  scores 0; plus ``--test-points`` per fault the candidate's tests catch, 0 by default);
  ``score`` = their sum, never below 0;
* ``rule``: the scoring constants used (``faultline.graders.scoring.RULE``);
* ``faults``: per fault ``id``, ``family``, ``fixed``, ``points``, ``max_points``, ``message``
  and ``cells``: per hidden dataset the footprint's ``fixed`` / ``faulty`` / ``other`` counts,
  ``shared`` (cells other faults touch too) and ``unexplained`` (columns whose ``other``
  cells no regression explains);
* ``checks``: ``schema`` (``passed``, ``deduction``, ``message``, ``problems`` per dataset) and
  ``no_regression`` (``passed``, ``deduction``, ``share`` (differing over checked cells,
  pooled over the datasets), ``message``, ``datasets``: per dataset ``cells``, ``checked``,
  ``share``, ``rows``, ``rows_share``, ``columns`` (differing cells per column) and
  ``examples`` (key, column, expected, actual));
* ``signals``: ``poisoned``, null when not measured (a ``key_format`` 2 key), else
  ``datasets`` (per poisoned export: ``dataset``, ``kind`` invalid|valid, ``outcome`` one of
  refused, handled, silently wrong, crashed, refused valid data, ``message`` (the run's last
  words, or how a valid export's output differs), ``right``, ``points``, ``max_points``,
  ``bundle_outcome``, ``exit_code``, ``wall_seconds``), ``points``, ``max_points``,
  ``points_each`` (see faultline.harness.signals.poisoned);
* ``runs`` (per hidden dataset: exit code, wall seconds, timed out, peak memory, log tail),
  ``reference_runs`` (the reference's ``dataset``, ``exit_code``, ``wall_seconds`` and
  ``peak_memory_bytes`` per hidden dataset, measured as a plain process when the key was
  made; empty for an older key),
  ``timings`` and ``versions``;
* ``signals.tests`` (absent when not measured: a key without ``renders/``), from
  ``faultline.harness.signals.tests``: ``own_suite`` (``outcome`` passed | failed | no tests |
  timed out | error, ``message``, ``tests`` (how many of the candidate's ran), ``failed``
  (node ids)), ``faults`` (per fault id: ``caught``, ``tests`` (the node ids that fail on that
  fault's pipeline and pass on the reference), ``message``), ``bundle`` (``caught``,
  ``tests``: the same against the untouched bundle), ``not_attributable`` (node ids that fail
  or error on the reference: they never count), ``message``, ``points``, ``max_points``,
  ``seconds`` (the signal's wall time, run beside the graders).
"""
from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any

from faultline.graders import scoring
from faultline.harness.keyfile import Key, versions
from faultline.harness.sandbox.base import RunResult
from faultline.harness.signals import poisoned

RESULT_SCHEMA = "faultline.result/2"


class Status(enum.StrEnum):
    GRADED = "graded"  # the submission ran (or failed to) and was scored
    REJECTED = "rejected"  # the submission could not be taken in safely; score 0
    INFRASTRUCTURE_ERROR = "infrastructure_error"  # the host could not grade; no score


@dataclasses.dataclass(frozen=True)
class Submission:
    name: str
    sha256: str
    graded_at: str


@dataclasses.dataclass(frozen=True)
class Result:
    doc: dict[str, Any]

    @property
    def status(self) -> Status:
        return Status(self.doc["status"])

    @property
    def score(self) -> int | None:
        score = self.doc["score"]
        return None if score is None else int(score)


def _base(key: Key, status: Status, sandbox: str, submission: Submission) -> dict[str, Any]:
    return {
        "schema": RESULT_SCHEMA,
        "variant": key.id,
        "exercise": key.exercise,
        "status": status.value,
        "sandbox": sandbox,
        "submission": dataclasses.asdict(submission),
        "score": 0,
        "max_score": key.max_score,
        "score_parts": {"faults": 0, "regression": 0, "signals": 0},
        "rule": dict(scoring.RULE),
        "message": None,
        "faults": [],
        "checks": [],
        "runs": [],
        "versions": versions(),
    }


def _unfixed(key: Key, message: str) -> list[dict[str, Any]]:
    return [
        {"id": f.id, "family": f.family, "fixed": False, "points": 0, "max_points": f.points,
         "message": message, "cells": {}}
        for f in key.faults
    ]


def rejected_result(key: Key, reason: str, *, sandbox: str, submission: Submission) -> Result:
    doc = _base(key, Status.REJECTED, sandbox, submission)
    doc["message"] = f"submission rejected: {reason}"
    doc["faults"] = _unfixed(key, "not graded: the submission was rejected")
    return Result(doc)


def infrastructure_result(key: Key, reason: str, *, sandbox: str, submission: Submission) -> Result:
    doc = _base(key, Status.INFRASTRUCTURE_ERROR, sandbox, submission)
    doc["score"] = None
    doc["message"] = reason
    return Result(doc)


def build_result(
    key: Key,
    report: dict[str, Any],
    runs: list[RunResult],
    *,
    sandbox: str,
    submission: Submission,
    problem: str | None,
    timings: dict[str, float],
) -> Result:
    """result.json from the graders' report (``faultline.checks/2``, already validated)."""
    doc = _base(key, Status.GRADED, sandbox, submission)
    graded = {str(f["id"]): f for f in report["faults"]}
    faults = []
    for fault in key.faults:
        verdict = graded[fault.id]
        fixed = bool(verdict["fixed"])
        faults.append({
            "id": fault.id, "family": fault.family, "fixed": fixed,
            "points": fault.points if fixed else 0, "max_points": fault.points,
            "message": str(verdict["message"]), "cells": verdict["datasets"],
        })
    schema_problems = {name: list(p) for name, p in report["schema_problems"].items() if p}
    errors = {name: d["error"] for name, d in report["datasets"].items() if d.get("error")}
    regression = report["regression"]
    # The regression's size: differing cells over checked cells, pooled over the hidden datasets.
    checked = sum(int(r["checked"]) for r in regression.values())
    share = sum(int(r["cells"]) for r in regression.values()) / checked if checked else 0.0
    # The regression takes a share of the fault points: poisoned exports are judged on their own.
    fault_max = key.fault_points
    whole = scoring.deduction(fault_max, share=share, schema_changed=bool(schema_problems))
    schema_part = scoring.deduction(fault_max, share=0.0, schema_changed=True) if schema_problems else 0
    schema_part = min(schema_part, whole)
    parts = {"faults": sum(f["points"] for f in faults), "regression": -whole, "signals": 0}
    tests = {str(t["name"]): t for t in report["tests"]}
    checks = [
        {"name": "schema", "passed": not schema_problems and not errors, "deduction": schema_part,
         "message": _message(tests, "schema"), "problems": schema_problems},
        {"name": "no_regression", "passed": share == 0, "deduction": whole - schema_part,
         "share": round(share, 6), "message": _message(tests, "no_regression"), "datasets": regression},
    ]
    doc.update(
        faults=faults, checks=checks, score_parts=parts, score=scoring.total(parts),
        message=problem, runs=[_run_json(r) for r in runs], timings=timings,
    )
    return Result(doc)


def add_poisoned(result: Result, key: Key, runs: Mapping[str, RunResult], report: Mapping[str, Any]) -> None:
    """``signals.poisoned`` and its points, once the faults are judged (they gate the points)."""
    doc = result.doc
    signals = doc.setdefault("signals", {})
    if key.poisoned is None:
        signals["poisoned"] = None  # a key_format 2 key: not measured
        return
    entries = [dataclasses.asdict(p) for p in key.poisoned]
    raw = report.get("poisoned")
    compared: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    fixed_any = any(f["fixed"] for f in doc["faults"])
    signal = poisoned.signal(entries, runs, compared, fixed_any=fixed_any)
    signals["poisoned"] = signal
    doc["score_parts"]["signals"] += signal["points"]
    doc["score"] = scoring.total(doc["score_parts"])


def _message(tests: dict[str, dict[str, Any]], name: str) -> str:
    test = tests.get(name)
    if test is None:
        return "no grader ran"
    return "" if test["outcome"] == "passed" else str(test["message"])


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
    parts = doc["score_parts"]
    lines.append(f"status: {doc['status']}   score: {doc['score']} / {doc['max_score']}"
                 f"   (faults {parts['faults']}, regression {parts['regression']}, signals {parts['signals']})")
    if doc["message"]:
        lines.append(f"note: {doc['message']}")
    for fault in doc["faults"]:
        mark = "fixed  " if fault["fixed"] else "missing"
        lines.append(f"  [{mark}] {fault['id']:<28} {fault['points']:>3}/{fault['max_points']:<3} {fault['family']}")
        if not fault["fixed"]:
            lines.append(f"            {fault['message'][:160]}")
    for check in doc["checks"]:
        mark = "pass" if check["passed"] else "FAIL"
        lines.append(f"  [{mark}] {check['name']:<30} -{check['deduction']}")
        if not check["passed"]:
            lines.append(f"            {check['message'][:160]}")
    lines += _poisoned_lines((doc.get("signals") or {}).get("poisoned"))
    for run in doc["runs"]:
        flag = " (timed out)" if run["timed_out"] else ""
        lines.append(f"  run {run['dataset']}: exit {run['exit_code']}, {run['wall_seconds']:.2f}s{flag}"
                     + _peak(run))
    return "\n".join(lines)


def _poisoned_lines(signal: dict[str, Any] | None) -> list[str]:
    if not signal:
        return []
    lines = [f"  poisoned exports: {signal['points']}/{signal['max_points']} points"]
    for entry in signal["datasets"]:
        mark = "ok  " if entry["right"] else "FAIL"
        lines.append(f"  [{mark}] {entry['dataset']:<28} {entry['kind']:<8} {entry['outcome']}")
        if entry["message"]:
            lines.append(f"            {entry['message'][:160]}")
    return lines


def _peak(run: dict[str, Any]) -> str:
    peak = run.get("peak_memory_bytes")
    return f", peak {peak / 2**20:.0f} MiB" if peak else ""
