"""Night-over-night drift: this run's summary against the previous night's.

The job does not fail on drift (a holiday moves volumes too); it warns, and on-call
decides. Thresholds are relative, so they hold for small and large issuers alike.
"""
from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

from pipeline.summary import RunSummary

log = logging.getLogger(__name__)

# Warn when the table's row count moves by more than this share between two nights...
ROW_CHANGE = 0.5
# ...or a column's share of empty cells moves by more than this many percentage points.
EMPTY_POINTS = 5.0
# Within one export, a day with less than this share of the median day's attempts is
# reported: a processor outage or a partition that arrived late.
THIN_DAY = 0.5


@dataclasses.dataclass(frozen=True)
class Drift:
    """One warning: what moved, from what, to what."""

    what: str
    before: float
    after: float

    def __str__(self) -> str:
        return f"{self.what}: {self.before:g} -> {self.after:g}"


def _rows(doc: dict[str, Any]) -> int:
    stages = [s for s in doc.get("stages", []) if s.get("name") == "feature table"]
    return int(stages[-1]["rows"]) if stages else 0


def _empty_shares(doc: dict[str, Any], rows: int) -> dict[str, float]:
    if rows == 0:
        return {}
    return {c["name"]: 100.0 * float(c["empty"]) / rows for c in doc.get("columns", [])}


def compare(previous: dict[str, Any], current: dict[str, Any]) -> list[Drift]:
    """The changes between two summaries that exceed the thresholds above."""
    found = []
    before, after = _rows(previous), _rows(current)
    if before and abs(after - before) / before > ROW_CHANGE:
        found.append(Drift("feature rows", before, after))
    old, new = _empty_shares(previous, before), _empty_shares(current, after)
    for name in sorted(set(old) & set(new)):
        if abs(new[name] - old[name]) > EMPTY_POINTS:
            found.append(Drift(f"empty cells in {name} (%)", round(old[name], 2), round(new[name], 2)))
    return found


def warn_on_drift(previous_path: Path, summary: RunSummary) -> list[Drift]:
    """Log a warning per drift against the summary at ``previous_path``, if it can be read."""
    try:
        previous = json.loads(previous_path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        log.warning("no drift check: the previous summary cannot be read (%s)", exc)
        return []
    found = compare(previous, summary.as_dict())
    for drift in found:
        log.warning("drift since the previous run: %s", drift)
    return found


def thin_days(days: dict[str, int]) -> list[Drift]:
    """Local days of this export with far fewer attempts than its median day."""
    if len(days) < 3:
        return []
    counts = sorted(days.values())
    median = float(counts[len(counts) // 2])
    return [Drift(f"attempts on {day} against the median day", median, n)
            for day, n in sorted(days.items()) if n < THIN_DAY * median]
