"""The gradebook as a table: one row per candidate, one column per fault, signals and flags."""
from __future__ import annotations

import csv
import io
from typing import Any

from faultline.harness.batch.gradebook import Row
from faultline.harness.batch.summary import flags

SIGNALS = ("grading_seconds", "run_seconds", "peak_memory_mib", "timed_out_runs")


def fault_ids(rows: list[Row]) -> list[str]:
    """Every fault of the round's variants, in first-seen order (variants differ in their faults)."""
    seen: dict[str, None] = {}
    for row in rows:
        for fault in row.result.get("faults") or []:
            if isinstance(fault, dict) and isinstance(fault.get("id"), str):
                seen.setdefault(fault["id"], None)
    return list(seen)


def record(row: Row, faults: list[str]) -> dict[str, Any]:
    doc = row.result
    fixed = {f.get("id"): f.get("fixed") for f in doc.get("faults") or [] if isinstance(f, dict)}
    runs = [r for r in doc.get("runs") or [] if isinstance(r, dict)]
    peaks = [r["peak_memory_bytes"] for r in runs if isinstance(r.get("peak_memory_bytes"), int)]
    out: dict[str, Any] = {
        "candidate": row.key.candidate,
        "exercise": doc.get("exercise"),
        "variant": doc.get("variant"),
        "status": row.status.value,
        "score": row.score,
        "max_score": row.max_score,
    }
    for fid in faults:
        # 1 fixed, 0 not, None: this candidate's variant has no such fault.
        out[f"fault:{fid}"] = None if fid not in fixed else int(bool(fixed[fid]))
    out.update({
        "grading_seconds": row.seconds,
        "run_seconds": round(sum(float(r.get("wall_seconds") or 0) for r in runs), 3),
        "peak_memory_mib": round(max(peaks) / 2**20, 1) if peaks else None,
        "timed_out_runs": sum(1 for r in runs if r.get("timed_out")),
        "flags": " ".join(flags(row)),
        "submission_sha256": row.key.submission_sha256,
        "key_id": row.key.key_id,
        "image_id": row.key.image_id,
        "faultline_version": row.key.version,
        "graded_at": row.finished_at,
        "result_path": row.result_path,
        "message": row.message,
    })
    return out


def records(rows: list[Row]) -> list[dict[str, Any]]:
    faults = fault_ids(rows)
    return [record(r, faults) for r in rows]


def to_csv(rows: list[Row]) -> str:
    recs = records(rows)
    buf = io.StringIO()
    if recs:
        writer = csv.DictWriter(buf, fieldnames=list(recs[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(recs)
    return buf.getvalue()
