"""The debrief's parts, without grading: result.json adapter, patching, hunks, notes, questions."""
from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pytest

from faultline.exercises.registry import EXERCISES
from faultline.harness.debrief.bundle import PatchError, _patches, apply_patch
from faultline.harness.debrief.changes import compare_trees, hunks_at_sites, hunks_of
from faultline.harness.debrief.followups import followups_of
from faultline.harness.debrief.notes import find_notes, markdown_to_html
from faultline.harness.debrief.resultview import read_result

FOOTPRINTS = {"a": {"h1": 100, "h2": 50}, "b": {"h1": 10, "h2": 20}}


def v1_doc() -> dict[str, object]:
    return {
        "schema": "faultline.result/1", "status": "graded", "sandbox": "local", "score": 20, "max_score": 30,
        "message": None,
        "faults": [
            {"id": "a", "family": "time", "fixed": False, "points": 0, "max_points": 10,
             "message": "h1: 40 of 100 cells of its footprint differ, e.g. (user_id=007, date=2025-01-02, revenue)"},
            {"id": "b", "family": "units", "fixed": True, "points": 10, "max_points": 10,
             "message": "fixed on every hidden dataset"},
        ],
        "checks": [{"name": "no_regression", "passed": True, "points": 10, "max_points": 10, "message": ""}],
        "runs": [{"dataset": "h1", "exit_code": 0, "wall_seconds": 1.5, "timed_out": False,
                  "peak_memory_bytes": 3 * 2**20}],
    }


def test_v1_evidence_is_read_from_the_fault_messages() -> None:
    view = read_result(v1_doc(), FOOTPRINTS)
    a, b = view.faults
    h1, h2 = a.datasets
    assert (h1.dataset, h1.footprint, h1.faulty, h1.share_fixed) == ("h1", 100, 40, 0.6)
    assert h1.examples == ({"cell": "user_id=007, date=2025-01-02, revenue"},)
    assert (h2.dataset, h2.faulty, h2.share_fixed) == ("h2", None, None)  # the message says nothing of h2
    assert [(e.dataset, e.fixed, e.share_fixed) for e in b.datasets] == [("h1", 10, 1.0), ("h2", 20, 1.0)]
    assert view.tests is None and view.poisoned is None  # not measured, not "nothing caught"
    assert view.submission_sha256 is None and view.graded_at is None


def test_v2_fields_are_read_when_present() -> None:
    """The shape of faultline.result/2 as the score branch writes it (harness/result.py there)."""
    doc = v1_doc() | {"schema": "faultline.result/2", "score_parts": {"faults": 10, "regression": -2, "signals": 0}}
    doc["faults"][0]["cells"] = {  # type: ignore[index]
        "h1": {"fixed": 90, "faulty": 8, "other": 2, "shared": 3, "unexplained": ["revenue"]},
    }
    doc["submission"] = {"name": "alice.zip", "sha256": "f" * 64, "graded_at": "2026-11-26T10:00:00Z"}
    doc["checks"] = [
        {"name": "schema", "passed": True, "deduction": 0, "message": "", "problems": {}},
        {"name": "no_regression", "passed": False, "deduction": 2, "share": 0.01, "message": "h1: ...",
         "datasets": {"h1": {"cells": 12, "checked": 1200, "columns": {"revenue": 12},
                             "examples": [{"key": {"user_id": "007"}, "column": "revenue",
                                           "expected": 1.5, "actual": 150.0}]},
                      "h2": {"cells": 3, "checked": 900, "columns": {"revenue": 1, "n_events": 2}, "examples": []}}},
    ]
    doc["signals"] = {"tests": {"faults": [{"id": "a", "caught": True, "tests": ["t::x"]}]},
                      "poisoned": [{"dataset": "p1", "kind": "invalid", "outcome": "refused", "message": "no"}]}
    view = read_result(doc, FOOTPRINTS)
    (h1,) = view.faults[0].datasets
    assert (h1.footprint, h1.fixed, h1.faulty, h1.other, h1.share_fixed) == (100, 90, 8, 2, 0.9)
    assert (h1.shared, h1.unexplained) == (3, ("revenue",))
    assert (view.submission_name, view.graded_at) == ("alice.zip", "2026-11-26T10:00:00Z")
    assert dict(view.score_parts) == {"faults": 10, "regression": -2, "signals": 0}
    schema, regression = view.checks
    assert (schema.deduction, regression.deduction, regression.share) == (0, 2, 0.01)
    assert (regression.cells, regression.columns) == (15, ("revenue (13)", "n_events (2)"))
    assert regression.examples == ({"user_id": "007", "column": "revenue", "expected": "1.5", "actual": "150.0"},)
    assert view.tests is not None and view.tests["a"].caught and view.tests["a"].tests == ("t::x",)
    assert view.poisoned is not None and [p.outcome for p in view.poisoned] == ["refused"]


def test_per_dataset_evidence_may_come_as_a_list() -> None:
    doc = v1_doc()
    doc["faults"][0]["datasets"] = [{"dataset": "h2", "fixed": 50, "faulty": 0, "other": 0,  # type: ignore[index]
                                     "examples": ["(user_id=1, date=2025-01-01, revenue)"]}]
    (h2,) = read_result(doc, FOOTPRINTS).faults[0].datasets
    assert (h2.dataset, h2.footprint, h2.share_fixed) == ("h2", 50, 1.0)
    assert h2.examples == ({"cell": "(user_id=1, date=2025-01-01, revenue)"},)


@pytest.mark.parametrize("doc", [{}, {"faults": "x", "runs": [1, None], "checks": [{}]}, {"status": "graded",
                                 "faults": [{"id": "a", "datasets": [None, {"dataset": "h1", "fixed": "many"}]}]}])
def test_malformed_result_reads_as_not_recorded(doc: dict[str, object]) -> None:
    view = read_result(doc, FOOTPRINTS)
    assert view.status in ("unknown", "graded") and view.score is None
    for fault in view.faults:
        assert all(e.fixed is None for e in fault.datasets)


def test_rejected_result_is_not_graded() -> None:
    doc = v1_doc() | {"status": "rejected", "score": 0}
    assert all(f.fixed is None and f.datasets == () for f in read_result(doc, FOOTPRINTS).faults)


CASES = [
    ("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nB\nc\nd\ne\nf\ng\nh\nI\nj\nk\n"),
    ("", "new\nfile\n"),
    ("x\ny\n", ""),
    ("one\ntwo\nthree\n", "zero\none\nthree\nfour\n"),
]


@pytest.mark.parametrize(("old", "new"), CASES)
def test_bundle_diff_applies_back(old: str, new: str) -> None:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    text = "".join(difflib.unified_diff(a, b, "solution/m.py", "candidate/m.py"))  # as archive.unified_diff
    (patch,) = _patches(text).values()
    assert apply_patch(a, patch) == b


def test_bundle_diff_that_does_not_match_is_refused() -> None:
    a, b = ["x\n", "y\n"], ["x\n", "z\n"]
    patch = list(difflib.unified_diff(a, b, "solution/m.py", "candidate/m.py"))[2:]
    with pytest.raises(PatchError):
        apply_patch(["x\n", "other\n"], patch)


def test_hunks_touch_a_site_only_near_it(tmp_path: Path) -> None:
    old = [f"line {i}" for i in range(1, 41)]
    new = list(old)
    new[4] = "changed 5"
    new[30] = "changed 31"
    hunks, truncated = hunks_of("p/m.py", old, new)
    assert not truncated and [(h.old_start, h.old_count) for h in hunks] == [(2, 7), (28, 7)]
    assert [h.old_start for h in hunks_at_sites([], [{"file": "p/m.py", "line": 5, "lines": 1}])] == []
    (tmp_path / "a" / "p").mkdir(parents=True)
    (tmp_path / "b" / "p").mkdir(parents=True)
    (tmp_path / "a" / "p" / "m.py").write_text("\n".join(old) + "\n")
    (tmp_path / "b" / "p" / "m.py").write_text("\n".join(new) + "\n")
    (tmp_path / "b" / "blob.bin").write_bytes(b"\0\1\2")
    changes = compare_trees(tmp_path / "a", tmp_path / "b")
    assert [(c.path, c.status, c.text) for c in changes] == [("blob.bin", "added", False), ("p/m.py", "changed", True)]
    at = hunks_at_sites(changes, [{"file": "p/m.py", "line": 31, "lines": 1}])
    assert [h.old_start for h in at] == [28]
    assert hunks_at_sites(changes, [{"file": "p/m.py", "line": 18, "lines": 2}]) == []
    assert hunks_at_sites(changes, [{"file": "p/other.py", "line": 5, "lines": 1}]) == []


def test_notes_markdown_is_escaped_before_it_is_formatted(tmp_path: Path) -> None:
    html = markdown_to_html("# Cause\n\n<b onclick=x>hi</b> **bold** `a<b`\n\n- one\n- two\n\n```\n<script>\n```\n")
    assert "<b onclick" not in html and "&lt;b onclick=x&gt;hi&lt;/b&gt;" in html
    assert "<strong>bold</strong>" in html and "<code>a&lt;b</code>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html and "<pre>&lt;script&gt;</pre>" in html
    (tmp_path / "incident.MD").write_text("x")
    (tmp_path / "README.md").write_text("not a note")
    assert [n.name for n in find_notes(tmp_path)] == ["incident.MD"]


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_fault_has_questions_that_follow_its_parameters(exercise_id: str) -> None:
    exercise = EXERCISES[exercise_id]
    table = followups_of(exercise_id)
    assert set(table) == set(exercise.FAULTS)
    for fid, fault in exercise.FAULTS.items():
        seen = set()
        for seed in range(12):
            rng = np.random.default_rng(seed)
            spec = exercise.draw_spec(rng)
            asked = table[fid](fault.sample(rng), spec)
            assert 3 <= len(asked) <= 5 and len(set(asked)) == len(asked), fid
            assert all(q.strip().endswith("?") and fid not in q for q in asked), fid
            seen.add(tuple(asked))
        assert len(seen) > 1, f"{fid}: the questions never change with the drawn parameters"
        assert table[fid](fault.sample(np.random.default_rng(0)), None), f"{fid}: no questions without a spec"


def test_card_questions_name_the_variants_own_columns() -> None:
    exercise = EXERCISES["card-transactions"]
    spec = exercise.draw_spec(np.random.default_rng(3))
    ask = followups_of("card-transactions")["window-edge"]
    asked = " ".join(ask({"windows": "both", "recurring_card_share": 0.05, "form": "neither"}, spec))
    assert spec.spend_short in asked and spec.spend_long in asked
