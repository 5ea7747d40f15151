"""The one place that reads result.json for the debrief.

result.json is versioned (faultline.result/1 today, /2 being added): every field the
debrief uses is read here, defensively, so that a field that is absent renders as "not
recorded" instead of failing, and aligning with a new schema touches only this module.
What /2 is expected to add, and how it is read, is marked "v2" below.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

# v1 gives per-dataset evidence only inside a failed fault's message, as written by
# graders/plugin.py: "h1: 152 of 152 cells of its footprint differ, e.g. (user_id=1, ...)".
_V1_DATASET = re.compile(r"(?P<name>[\w.-]+): (?P<faulty>\d+)(?: of (?P<total>\d+))? cells of its footprint differ"
                         r"(?:, e\.g\. \((?P<example>[^)]*)\))?")


@dataclasses.dataclass(frozen=True)
class DatasetEvidence:
    """One hidden dataset's cells for one fault; None where result.json does not say."""

    dataset: str
    footprint: int | None  # cells in the fault's exclusive footprint
    faulty: int | None  # cells still showing the fault's own value
    fixed: int | None  # cells now equal to the reference
    other: int | None  # cells that differ from both
    examples: tuple[Mapping[str, str], ...] = ()  # each: field -> value, shown as given
    shared: int | None = None  # v2: footprint cells another fault touches too
    unexplained: tuple[str, ...] = ()  # v2: columns whose other cells no regression explains

    @property
    def share_fixed(self) -> float | None:
        if self.footprint:
            if self.fixed is not None:
                return self.fixed / self.footprint
            if self.faulty is not None:
                return max(0.0, 1 - self.faulty / self.footprint)
        return None


@dataclasses.dataclass(frozen=True)
class FaultOutcome:
    id: str
    family: str
    fixed: bool | None  # None: not graded (rejected or infrastructure error)
    points: float
    max_points: float
    message: str
    datasets: tuple[DatasetEvidence, ...]


@dataclasses.dataclass(frozen=True)
class CheckOutcome:
    name: str
    passed: bool
    points: float
    max_points: float
    message: str
    columns: tuple[str, ...] = ()  # v2: columns the regression touches, with their cell counts
    cells: int | None = None  # v2: size of the regression
    examples: tuple[Mapping[str, str], ...] = ()
    deduction: float | None = None  # v2: points taken off (checks earn nothing in v2)
    share: float | None = None  # v2: the worst dataset's share of differing cells


@dataclasses.dataclass(frozen=True)
class RunInfo:
    dataset: str
    exit_code: int | None
    wall_seconds: float | None
    peak_memory_bytes: int | None
    timed_out: bool
    killed_reason: str | None


@dataclasses.dataclass(frozen=True)
class TestCatch:
    """signals.tests for one fault: whether the candidate's own tests catch it, and which."""

    caught: bool | None  # None: not attributable (the tests cannot run against the reference)
    tests: tuple[str, ...]
    note: str


@dataclasses.dataclass(frozen=True)
class PoisonedOutcome:
    """signals.poisoned for one poisoned export: refused, handled, silently wrong, crashed."""

    dataset: str
    kind: str  # "invalid" (must be refused) or "valid" (must be handled)
    outcome: str
    message: str


@dataclasses.dataclass(frozen=True)
class ResultView:
    schema: str
    status: str
    message: str
    sandbox: str
    score: float | None
    max_score: float | None
    faults: tuple[FaultOutcome, ...]
    checks: tuple[CheckOutcome, ...]
    runs: tuple[RunInfo, ...]
    reference_runs: tuple[RunInfo, ...]  # empty when no reference timing was recorded
    submission_name: str | None
    submission_sha256: str | None
    graded_at: str | None
    tests: Mapping[str, TestCatch] | None  # None: signals.tests not measured
    tests_summary: str
    poisoned: tuple[PoisonedOutcome, ...] | None  # None: signals.poisoned not measured
    signal_points: tuple[tuple[str, float, float], ...]  # (signal, points, max points)
    score_parts: Mapping[str, float]  # v2: faults, regression (0 or negative), signals
    timings: Mapping[str, float]

    def fault(self, fault_id: str) -> FaultOutcome | None:
        return next((f for f in self.faults if f.id == fault_id), None)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _num(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _int(value: object) -> int | None:
    number = _num(value)
    return None if number is None else int(number)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _examples(value: object) -> tuple[Mapping[str, str], ...]:
    """Example cells as flat field -> text maps, whatever shape each example has."""
    out = []
    for item in _list(value)[:5]:
        if isinstance(item, dict):
            flat: dict[str, str] = {}
            for k, v in item.items():
                if isinstance(v, dict):  # e.g. {"key": {"user_id": ..., "date": ...}}
                    flat.update({str(kk): _text(vv) for kk, vv in v.items()})
                else:
                    flat[str(k)] = _text(v)
            out.append(flat)
        elif item is not None:
            out.append({"cell": _text(item)})
    return tuple(out)


def _named_entries(value: object, name_field: str) -> list[tuple[str, dict[str, Any]]]:
    """``{name: {...}}`` or ``[{name_field: name, ...}]``, as (name, entry) pairs."""
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items() if isinstance(v, dict)]
    return [(str(e.get(name_field)), e) for e in _list(value) if isinstance(e, dict) and e.get(name_field)]


def _v2_evidence(name: str, e: dict[str, Any], key_footprint: int | None) -> DatasetEvidence:
    fixed, faulty, other = _int(e.get("fixed")), _int(e.get("faulty")), _int(e.get("other"))
    counts = (fixed, faulty, other)
    # The three counts partition the footprint; the key's own count is the fallback.
    footprint = _int(e.get("footprint")) or (sum(c for c in counts if c is not None)
                                             if None not in counts else key_footprint)
    return DatasetEvidence(
        dataset=name, footprint=footprint, faulty=faulty, fixed=fixed, other=other,
        examples=_examples(e.get("examples")), shared=_int(e.get("shared")),
        unexplained=tuple(str(c) for c in _list(e.get("unexplained"))),
    )


def _dataset_evidence(raw: dict[str, Any], footprints: Mapping[str, int], fixed: bool | None) -> tuple[
        DatasetEvidence, ...]:
    # v2: per-dataset cell counts ("cells": {dataset: {fixed, faulty, other, shared, unexplained}}).
    entries = _named_entries(raw.get("cells"), "dataset") or _named_entries(raw.get("datasets"), "dataset")
    if entries:
        return tuple(_v2_evidence(name, e, footprints.get(name)) for name, e in entries)
    # v1: counts parsed from the message; a fixed fault has none of its cells left.
    found = {m["name"]: m for m in _V1_DATASET.finditer(_text(raw.get("message")))}
    evidence = []
    for name, total in footprints.items():
        match = found.get(name)
        if match:
            example = ({"cell": match["example"]},) if match["example"] else ()
            size = int(match["total"]) if match["total"] else total
            evidence.append(DatasetEvidence(name, size, int(match["faulty"]), None, None, example))
        elif fixed:
            evidence.append(DatasetEvidence(name, total, 0, total, None))
        else:
            evidence.append(DatasetEvidence(name, total, None, None, None))
    return tuple(evidence)


def _run(raw: dict[str, Any]) -> RunInfo:
    return RunInfo(
        dataset=_text(raw.get("dataset")), exit_code=_int(raw.get("exit_code")),
        wall_seconds=_num(raw.get("wall_seconds")), peak_memory_bytes=_int(raw.get("peak_memory_bytes")),
        timed_out=bool(raw.get("timed_out")), killed_reason=raw.get("killed_reason") or None,
    )


def _checks(doc: dict[str, Any]) -> tuple[CheckOutcome, ...]:
    checks = []
    regression = _dict(doc.get("regression"))  # v2: the deduction with columns and examples
    for raw in _list(doc.get("checks")):
        if not isinstance(raw, dict):
            continue
        extra = regression if raw.get("name") == "no_regression" else _dict(raw.get("regression"))
        merged = {**raw, **extra}
        per_dataset = [e for _, e in _named_entries(merged.get("datasets"), "dataset")]
        columns: dict[str, int] = {}
        examples: list[Any] = list(_list(merged.get("examples")))
        cells = _int(merged.get("cells"))
        for entry in per_dataset:  # v2: no_regression.datasets[name] = {cells, columns, examples, ...}
            cells = (cells or 0) + (_int(entry.get("cells")) or 0)
            for col, n in _dict(entry.get("columns")).items():
                columns[str(col)] = columns.get(str(col), 0) + (_int(n) or 0)
            examples += _list(entry.get("examples"))
        named = [str(c) for c in _list(merged.get("columns"))] + [f"{c} ({n})" for c, n in columns.items()]
        checks.append(CheckOutcome(
            name=_text(raw.get("name")), passed=bool(raw.get("passed")),
            points=_num(raw.get("points")) or 0.0, max_points=_num(raw.get("max_points")) or 0.0,
            message=_text(raw.get("message")),
            columns=tuple(named), cells=cells, examples=_examples(examples),
            deduction=_num(raw.get("deduction")), share=_num(raw.get("share")),
        ))
    return tuple(checks)


def _tests_signal(raw: object) -> tuple[dict[str, TestCatch] | None, str]:
    if not isinstance(raw, dict):
        return None, ""
    per_fault = raw.get("faults", raw)
    catches = {}
    for fid, entry in _named_entries(per_fault, "id"):
        caught = entry.get("caught")
        catches[fid] = TestCatch(
            caught=caught if isinstance(caught, bool) else None,
            tests=tuple(str(t) for t in _list(entry.get("tests"))),
            note=_text(entry.get("message") or entry.get("note")),
        )
    own = raw.get("own_suite") or raw.get("own")  # does the suite pass on the candidate's own code
    summary = ""
    if isinstance(own, dict):
        summary = _text(own.get("message") or own.get("outcome"))
    elif own is not None:
        summary = _text(own)
    unattributed = [str(t) for t in _list(raw.get("not_attributable"))]
    if unattributed:  # tests that fail on the reference: they can catch nothing
        summary += f"; not attributable (fail on the reference): {', '.join(unattributed)}"
    return catches, summary


def _poisoned_signal(raw: object) -> tuple[PoisonedOutcome, ...] | None:
    if not isinstance(raw, dict | list):
        return None
    entries = raw.get("datasets", raw) if isinstance(raw, dict) else raw
    return tuple(
        PoisonedOutcome(dataset=name, kind=_text(e.get("kind")), outcome=_text(e.get("outcome")),
                        message=_text(e.get("message")))
        for name, e in _named_entries(entries, "dataset")
    )


def _signal_points(signals: dict[str, Any]) -> tuple[tuple[str, float, float], ...]:
    parts = []
    for name, raw in signals.items():
        # A signal with no points to earn (--test-points 0, say) is evidence only: not a score part.
        if isinstance(raw, dict) and _num(raw.get("points")) is not None and _num(raw.get("max_points")):
            parts.append((str(name), _num(raw.get("points")) or 0.0, _num(raw.get("max_points")) or 0.0))
    return tuple(parts)


def read_result(doc: Mapping[str, Any], footprints: Mapping[str, Mapping[str, int]]) -> ResultView:
    """A view of result.json; ``footprints`` is the key's exclusive cells per fault and dataset."""
    d = dict(doc)
    submission = _dict(d.get("submission"))  # v2: name, sha256, graded_at
    faults = []
    graded = d.get("status") == "graded"
    for raw in _list(d.get("faults")):
        if not isinstance(raw, dict) or not raw.get("id"):
            continue
        fid = str(raw["id"])
        fixed = bool(raw.get("fixed")) if graded else None
        faults.append(FaultOutcome(
            id=fid, family=_text(raw.get("family")), fixed=fixed,
            points=_num(raw.get("points")) or 0.0, max_points=_num(raw.get("max_points")) or 0.0,
            message=_text(raw.get("message")),
            datasets=_dataset_evidence(raw, footprints.get(fid, {}), fixed) if graded else (),
        ))
    signals = _dict(d.get("signals"))
    tests, tests_summary = _tests_signal(signals.get("tests"))
    reference = d.get("reference_runs") or _dict(d.get("reference")).get("runs")
    return ResultView(
        schema=_text(d.get("schema")) or "unknown",
        status=_text(d.get("status")) or "unknown",
        message=_text(d.get("message")),
        sandbox=_text(d.get("sandbox")),
        score=_num(d.get("score")),
        max_score=_num(d.get("max_score")),
        faults=tuple(faults),
        checks=_checks(d),
        runs=tuple(_run(r) for r in _list(d.get("runs")) if isinstance(r, dict)),
        reference_runs=tuple(_run(r) for r in _list(reference) if isinstance(r, dict)),
        submission_name=submission.get("name") or None,
        submission_sha256=submission.get("sha256") or None,
        graded_at=submission.get("graded_at") or d.get("graded_at") or None,
        tests=tests,
        tests_summary=tests_summary,
        poisoned=_poisoned_signal(signals.get("poisoned")),
        signal_points=_signal_points(signals),
        score_parts={str(k): float(v) for k, v in _dict(d.get("score_parts")).items() if _num(v) is not None},
        timings={k: float(v) for k, v in _dict(d.get("timings")).items() if _num(v) is not None},
    )
