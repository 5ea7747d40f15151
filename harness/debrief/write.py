"""Writing debrief.html and debrief.md (and, on request, feedback.html) next to result.json."""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from faultline.exercises.registry import EXERCISES
from faultline.harness import archive, intake
from faultline.harness.debrief.bundle import PatchError, rebuild_bundle
from faultline.harness.debrief.changes import FileChange, compare_trees
from faultline.harness.debrief.feedback import build_feedback, render_feedback
from faultline.harness.debrief.html import render_page
from faultline.harness.debrief.markdown import render_markdown
from faultline.harness.debrief.model import Debrief, build_debrief
from faultline.harness.debrief.notes import Note, find_notes
from faultline.harness.debrief.resultview import ResultView, read_result
from faultline.harness.errors import SubmissionRejected
from faultline.harness.keyfile import Key, load_key


def _footprints(key_doc: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    return {
        str(f["id"]): {str(k): int(v) for k, v in f.get("exclusive_cells", {}).items()}
        for f in key_doc.get("faults", [])
    }


def make_debrief(result_doc: Mapping[str, Any], *, key_dir: Path, submission: Path) -> Debrief:
    """Everything the interviewer's pages show, from result.json, the key and the submission."""
    key = load_key(key_dir.resolve())
    return _debrief(key, read_result(result_doc, _footprints(key.doc)), submission)


def _debrief(key: Key, view: ResultView, submission: Path) -> Debrief:
    exercise = EXERCISES.get(key.doc["exercise"])
    changes: list[FileChange] = []
    notes: list[Note] = []
    problem = ""
    digest, digest_source = "not recorded", ""
    if submission.is_file() and not submission.is_symlink():
        digest, digest_source = archive.sha256_file(submission), "sha256 of the submitted file"
    with tempfile.TemporaryDirectory(prefix="faultline-debrief-") as tmp:
        left_out: tuple[str, ...] = ()
        try:
            # The submission is untrusted: it comes in through the same safe intake as for grading
            # (whose warnings were already printed once, by grading; here they go on the page).
            taken = intake.take_in(submission.absolute(), Path(tmp) / "submission")
            workspace: Path | None = taken.root
            left_out = taken.warnings
        except SubmissionRejected as exc:
            workspace, problem = None, f"The submission was not taken in: {exc}"
        if workspace is not None:
            notes = find_notes(workspace)
            if not digest_source:
                digest = archive.tree_digest(workspace)
                digest_source = "faultline tree digest of the folder as taken in"
            try:
                bundle = rebuild_bundle(key.root, Path(tmp) / "bundle", key.doc.get("bundle_sha256"))
                changes = compare_trees(bundle.root, workspace)
                problem = bundle.problem
            except PatchError as exc:
                problem = f"The bundle could not be rebuilt from the key ({exc}); no file list."
            if left_out:
                problem = " ".join([problem, "Left out when taken in:", "; ".join(left_out)]).strip()
    return build_debrief(
        key_doc=key.doc, view=view, exercise_title=exercise.TITLE if exercise else "",
        changes=changes, changes_problem=problem, notes=notes,
        submission_name=submission.name, submission_sha256=digest, sha256_source=digest_source or "not computed",
        written_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    )


def write_debrief(
    result_doc: Mapping[str, Any], *, key_dir: Path, submission: Path, out: Path, feedback: bool = False
) -> list[Path]:
    """Write debrief.html and debrief.md into ``out``, and feedback.html when asked."""
    key = load_key(key_dir.resolve())
    view = read_result(result_doc, _footprints(key.doc))
    debrief = _debrief(key, view, submission)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "debrief.html", out / "debrief.md"]
    written[0].write_text(render_page("debrief.html.j2", d=debrief))
    written[1].write_text(render_markdown(debrief))
    if feedback:
        written.append(out / "feedback.html")
        written[2].write_text(render_feedback(build_feedback(key.doc, view, debrief.exercise_title)))
    return written
