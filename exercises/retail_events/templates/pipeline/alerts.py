"""Run-over-run alerts: this run's quality report against the previous one in the same folder.

The scheduler keeps each night's output folder; when the previous report is there, a
large move in rows per day, in the platform or time-of-day mix, or in a column's empty
share is logged as a warning for the on-call engineer. Alerts never stop the run: a
promotion or an outage moves these numbers too, and a person decides.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# A night's rows per day may move this much (as a ratio to the previous run's median).
ROWS_RATIO = (0.5, 2.0)
# A split family's share may move this many percentage points.
MIX_POINTS = 0.10
# A column's empty share may grow by this much.
EMPTY_GROWTH = 0.20


def previous(report: Path) -> dict[str, Any] | None:
    """The report a previous run left at ``report``, if any and readable."""
    try:
        return dict(json.loads(report.read_text()))
    except (OSError, ValueError):
        return None


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def compare(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What moved more than the thresholds allow between two quality reports."""
    moved = []
    old_rows = [day["rows"] for day in before.get("days", {}).values()]
    new_rows = [day["rows"] for day in now.get("days", {}).values()]
    if old_rows and new_rows:
        ratio = _median(new_rows) / max(1.0, _median(old_rows))
        if not ROWS_RATIO[0] <= ratio <= ROWS_RATIO[1]:
            moved.append(f"rows per day moved x{ratio:.2f} against the previous run")
    for family, shares in now.get("mix", {}).items():
        for name, share in shares.items():
            old = before.get("mix", {}).get(family, {}).get(name)
            if old is not None and abs(share - old) > MIX_POINTS:
                moved.append(f"{name} went from {old:.1%} to {share:.1%} of its family")
    for column, share in now.get("empty_share", {}).items():
        old = before.get("empty_share", {}).get(column)
        if old is not None and share - old > EMPTY_GROWTH:
            moved.append(f"{column} is empty on {share:.1%} of rows, {old:.1%} in the previous run")
    return moved


def warn(report: Path, now: dict[str, Any]) -> list[str]:
    """Log and return the alerts of ``now`` against the report previously at ``report``."""
    before = previous(report)
    if before is None:
        return []
    moved = compare(before, now)
    for line in moved:
        log.warning("alert: %s", line)
    return moved
