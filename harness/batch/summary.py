"""The one-screen summary of a batch: a plain table for a terminal or log, Markdown for a CI job."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from faultline.harness.batch.gradebook import Row
from faultline.harness.result import Status


def flags(row: Row) -> list[str]:
    """Integrity and behaviour flags a human should look at; read defensively from result.json."""
    doc = row.result
    found = []
    if row.status is not Status.GRADED:
        found.append(row.status.value)
    runs: list[dict[str, Any]] = [r for r in doc.get("runs") or [] if isinstance(r, dict)]
    if any(r.get("timed_out") for r in runs):
        found.append("timed-out")
    elif any(r.get("exit_code") not in (0, None) for r in runs):
        found.append("pipeline-failed")
    if any(r.get("killed_reason") not in (None, "timeout", "deadline") for r in runs):
        found.append("limit-hit")
    checks = {c.get("name"): c.get("passed") for c in doc.get("checks") or [] if isinstance(c, dict)}
    if checks.get("schema") is False:
        found.append("schema-changed")
    if checks.get("no_regression") is False:
        found.append("regression")
    # The zip as handed out, returned untouched: the candidate sent back the bundle itself.
    if row.key.submission_sha256 == _bundle_sha(row):
        found.append("untouched-bundle")
    return found


def _bundle_sha(row: Row) -> str | None:
    import json

    try:
        doc = json.loads((Path(row.key_path) / "variant.json").read_text())
        return str(doc.get("bundle_sha256"))
    except (OSError, ValueError):
        return None


def _score(row: Row) -> str:
    return "-" if row.score is None else f"{row.score}/{row.max_score}"


def table(rows: list[Row]) -> str:
    cells = [("candidate", "score", "status", "flags")] + [
        (r.key.candidate, _score(r), r.status.value, ", ".join(flags(r))) for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:<{widths[2]}}  {d}".rstrip() for a, b, c, d in cells]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  -----")
    return "\n".join(lines)


def markdown(rows: list[Row], headline: str) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"### {esc(headline)}", "", "| candidate | score | status | flags |", "| --- | ---: | --- | --- |"]
    lines += [f"| {esc(r.key.candidate)} | {_score(r)} | {r.status.value} | {esc(', '.join(flags(r)))} |"
              for r in rows]
    return "\n".join(lines) + "\n"


def write_step_summary(text: str) -> Path | None:
    """Append to ``$GITHUB_STEP_SUMMARY`` when a GitHub Actions job set it; the path written, or None."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text if text.endswith("\n") else text + "\n")
    return path
