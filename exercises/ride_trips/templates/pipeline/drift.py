"""Column profiles of the feature table, and how far they moved since the last run.

Each run's manifest carries a profile of every numeric published column (mean, median,
95th percentile and empty share). Given the previous night's manifest, the run compares
the two and logs the columns whose mean moved by more than ``TOLERANCE`` relatively: the
cheapest monitor there is, and the one the on-call engineer reads first.
"""
from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from pipeline import registry

log = logging.getLogger(__name__)

TOLERANCE = 0.25
PROFILED_KINDS = ("count", "hour", "measure", "money", "share")


def profile(table: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Mean, median, p95 and empty share of each numeric published column."""
    out: dict[str, dict[str, float | None]] = {}
    for name in registry.of_kind(*PROFILED_KINDS):
        if name not in table:
            continue
        values = pd.to_numeric(table[name], errors="coerce").astype("float64")
        present = values.dropna()

        def stat(value: float) -> float | None:
            return None if math.isnan(value) else round(value, 6)

        out[name] = {
            "mean": stat(float(present.mean())) if len(present) else None,
            "p50": stat(float(present.quantile(0.5))) if len(present) else None,
            "p95": stat(float(present.quantile(0.95))) if len(present) else None,
            "empty": round(float(values.isna().mean()), 6) if len(values) else 0.0,
        }
    return out


def moved(
    previous: Mapping[str, Mapping[str, float | None]], current: Mapping[str, Mapping[str, float | None]]
) -> dict[str, float]:
    """Relative change of each column's mean, for the columns both profiles hold."""
    changes: dict[str, float] = {}
    for name, now in current.items():
        before = previous.get(name, {}).get("mean")
        after = now.get("mean")
        if before is None or after is None or before == 0:
            continue
        changes[name] = after / before - 1.0
    return changes


def compare_with(path: Path, current: Mapping[str, Mapping[str, float | None]]) -> dict[str, float]:
    """Log the columns whose mean moved past TOLERANCE since the manifest at ``path``."""
    previous = json.loads(path.read_text()).get("profile", {})
    changes = moved(previous, current)
    flagged = {n: c for n, c in changes.items() if abs(c) > TOLERANCE}
    for name, change in sorted(flagged.items(), key=lambda item: -abs(item[1])):
        log.warning("%s: mean moved %+.0f%% since the previous run", name, change * 100)
    log.info("%d of %d profiled columns within %.0f%% of the previous run", len(changes) - len(flagged),
             len(changes), TOLERANCE * 100)
    return flagged
