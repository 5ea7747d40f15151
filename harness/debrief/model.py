"""The debrief as data: everything the interviewer's page and the Markdown show, built once.

Renderers (html.py, markdown.py, feedback.py) only lay this out; every decision about what
the evidence says is taken here.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from faultline.harness.debrief.changes import FileChange, Hunk, hunks_at_sites
from faultline.harness.debrief.fmt import num
from faultline.harness.debrief.followups import questions
from faultline.harness.debrief.notes import Note, markdown_to_html
from faultline.harness.debrief.resultview import (
    CheckOutcome,
    DatasetEvidence,
    PoisonedOutcome,
    ResultView,
    RunInfo,
    TestCatch,
)


@dataclasses.dataclass(frozen=True)
class FaultSection:
    index: int
    id: str
    family: str
    title: str
    ticket: str
    verdict: str  # "fixed", "not fixed", "not graded"
    points: float
    max_points: float
    message: str
    evidence: tuple[DatasetEvidence, ...]
    explanation: str
    params: tuple[tuple[str, str], ...]
    sites: tuple[str, ...]  # "file:line" in the bundle
    hunks: tuple[Hunk, ...]  # the candidate's hunks at those sites
    catch: TestCatch | None  # None: signals.tests not measured
    questions: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class RunRow:
    run: RunInfo
    reference: RunInfo | None


@dataclasses.dataclass(frozen=True)
class RenderedNote:
    name: str
    html: Markup
    text: str
    truncated: bool


@dataclasses.dataclass(frozen=True)
class Debrief:
    exercise: str
    exercise_title: str
    variant: str
    difficulty: str
    submission_name: str
    submission_sha256: str
    sha256_source: str  # where the hash comes from, so nobody compares unlike hashes
    graded_at: str
    written_at: str
    status: str
    message: str
    sandbox: str
    schema: str
    score: float | None
    max_score: float | None
    parts: tuple[tuple[str, str], ...]  # (part, "points/max" or a signed deduction)
    faults: tuple[FaultSection, ...]
    checks: tuple[CheckOutcome, ...]
    tests_measured: bool
    tests_summary: str
    poisoned: tuple[PoisonedOutcome, ...] | None
    runs: tuple[RunRow, ...]
    reference_known: bool
    timings: Mapping[str, float]
    changes: tuple[FileChange, ...]
    changes_problem: str  # why the file list is missing or unverified ("" when it is sound)
    notes: tuple[RenderedNote, ...]

    @property
    def fixed_count(self) -> int:
        return sum(1 for f in self.faults if f.verdict == "fixed")

    @property
    def candidate_tests(self) -> tuple[FileChange, ...]:
        return tuple(c for c in self.changes if c.is_test and c.status != "removed")


def _verdict(fixed: bool | None) -> str:
    return "not graded" if fixed is None else "fixed" if fixed else "not fixed"


def _fault_sections(key_doc: Mapping[str, Any], view: ResultView, changes: list[FileChange]) -> list[FaultSection]:
    sections = []
    for i, fault in enumerate(key_doc.get("faults", []), 1):
        fid = str(fault["id"])
        outcome = view.fault(fid)
        sites = [s for s in fault.get("sites", []) if isinstance(s, dict)]
        params = fault.get("params", {}) if isinstance(fault.get("params"), dict) else {}
        sections.append(FaultSection(
            index=i, id=fid, family=str(fault.get("family", "")), title=str(fault.get("title", "")),
            ticket=str(fault.get("ticket") or "(no ticket: a breach of the contract the candidate had to find alone)"),
            verdict=_verdict(outcome.fixed) if outcome else "not graded",
            points=outcome.points if outcome else 0.0,
            max_points=outcome.max_points if outcome else float(fault.get("points", 0)),
            message=outcome.message if outcome else "",
            evidence=outcome.datasets if outcome else (),
            explanation=str(fault.get("explanation", "")),
            params=tuple((str(k), str(v)) for k, v in sorted(params.items())),
            sites=tuple(f"{s.get('file')}:{s.get('line')}" for s in sites),
            hunks=tuple(hunks_at_sites(changes, sites)),
            catch=None if view.tests is None else view.tests.get(fid, TestCatch(False, (), "")),
            questions=questions(str(key_doc.get("exercise", "")), fid, params, key_doc.get("spec")),
        ))
    return sections


def _parts(view: ResultView) -> tuple[tuple[str, str], ...]:
    """The score's parts as (part, "points/max" or a signed deduction)."""
    fault_max = sum(f.max_points for f in view.faults)
    if view.score_parts:  # v2: faults earn points, the regression deducts, signals add
        return tuple(
            (name, f"{num(value)}/{num(fault_max)}" if name == "faults" else f"{value:+g}")
            for name, value in view.score_parts.items()
        ) + tuple((f"signal {name}", f"{num(p)}/{num(m)}") for name, p, m in view.signal_points)
    parts = [("faults", f"{num(sum(f.points for f in view.faults))}/{num(fault_max)}")]
    parts += [(c.name, f"{num(c.points)}/{num(c.max_points)}") for c in view.checks if c.max_points or c.points]
    parts += [(name, f"{num(p)}/{num(m)}") for name, p, m in view.signal_points]
    return tuple(parts)


def build_debrief(
    *,
    key_doc: Mapping[str, Any],
    view: ResultView,
    exercise_title: str,
    changes: list[FileChange],
    changes_problem: str,
    notes: list[Note],
    submission_name: str,
    submission_sha256: str,
    sha256_source: str,
    written_at: str,
) -> Debrief:
    by_dataset = {r.dataset: r for r in view.reference_runs}
    return Debrief(
        exercise=str(key_doc.get("exercise", "")),
        exercise_title=exercise_title,
        variant=str(key_doc.get("id", "")),
        difficulty=str(key_doc.get("difficulty", "not recorded")),
        submission_name=view.submission_name or submission_name,
        submission_sha256=view.submission_sha256 or submission_sha256,
        sha256_source="result.json" if view.submission_sha256 else sha256_source,
        graded_at=view.graded_at or "not recorded in result.json",
        written_at=written_at,
        status=view.status,
        message=view.message,
        sandbox=view.sandbox,
        schema=view.schema,
        score=view.score,
        max_score=view.max_score,
        parts=_parts(view),
        faults=tuple(_fault_sections(key_doc, view, changes)),
        checks=view.checks,
        tests_measured=view.tests is not None,
        tests_summary=view.tests_summary,
        poisoned=view.poisoned,
        runs=tuple(RunRow(r, by_dataset.get(r.dataset)) for r in view.runs),
        reference_known=bool(view.reference_runs),
        timings=view.timings,
        changes=tuple(changes),
        changes_problem=changes_problem,
        notes=tuple(RenderedNote(n.name, markdown_to_html(n.text), n.text, n.truncated) for n in notes),
    )
