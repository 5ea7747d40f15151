"""The run's quality report: what the table holds, per day and per column.

Written next to the table as ``quality.json`` for the on-call dashboard; the scheduler
alerts on it, the job itself never stops on it (the contract's checks are in
``pipeline.validate`` and ``pipeline.writer``).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import alerts, registry

log = logging.getLogger(__name__)

REPORT_FILE = "quality.json"
# A share of empty cells above this in a column that may be empty is worth a look.
EMPTY_SHARE_WARN = 0.95
# Split families that cover every event: their columns add up to n_events on each row.
COMPLETE_SPLITS = ("platform", "daypart")


def report(table: pd.DataFrame, catalogue: tuple[registry.Feature, ...]) -> dict[str, Any]:
    """Rows and users per day, empty shares per column, totals of the count families."""
    per_day = table.groupby("date", sort=True).agg(
        rows=("user_id", "size"),
        users=("user_id", "nunique"),
        events=("n_events", "sum"),
        orders=("n_purchases", "sum"),
    )
    empty = {f.name: round(float(table[f.name].isna().mean()), 6) for f in catalogue if len(table)}
    families = registry.by_family(catalogue)
    totals = {
        family: {name: int(table[name].sum()) for name in names}
        for family, names in families.items()
        if family in ("platform", "daypart", "category", "session")
        and all(pd.api.types.is_integer_dtype(table[n]) for n in names)
    }
    return {
        "rows": len(table),
        "users": int(table["user_id"].nunique()),
        "mix": mix(table, families),
        "days": {str(day): {k: int(v) for k, v in row.items()} for day, row in per_day.iterrows()},
        "empty_share": empty,
        "totals": totals,
    }


def mix(table: pd.DataFrame, families: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Each split family's shares of its total over the table: the platform and time-of-day
    mix the dashboards plot night by night."""
    shares = {}
    for family in COMPLETE_SPLITS:
        names = families.get(family, [])
        total = float(table[names].to_numpy().sum()) if names else 0.0
        if total:
            shares[family] = {name: round(float(table[name].sum()) / total, 4) for name in names}
    return shares


def unbalanced(table: pd.DataFrame, catalogue: tuple[registry.Feature, ...]) -> list[str]:
    """Split families that should add up to ``n_events`` and do not, with how many rows."""
    found = []
    families = registry.by_family(catalogue)
    for family in COMPLETE_SPLITS:
        names = families.get(family, [])
        if not names:
            continue
        off = int((table[names].sum(axis=1) != table["n_events"]).sum())
        if off:
            found.append(f"the {family} split misses n_events on {off} rows")
    return found


def warnings(summary: dict[str, Any], catalogue: tuple[registry.Feature, ...]) -> list[str]:
    """Columns that are almost always empty although their policy lets them be filled."""
    found = []
    for feature in catalogue:
        share = summary["empty_share"].get(feature.name, 0.0)
        if feature.nulls != "never" and share > EMPTY_SHARE_WARN:
            found.append(f"{feature.name} is empty on {share:.1%} of rows")
    return found


def write_report(output_dir: Path, table: pd.DataFrame, catalogue: tuple[registry.Feature, ...]) -> Path:
    summary = report(table, catalogue)
    summary["unbalanced"] = unbalanced(table, catalogue)
    for line in [*warnings(summary, catalogue), *summary["unbalanced"]]:
        log.warning("quality: %s", line)
    path = output_dir / REPORT_FILE
    summary["alerts"] = alerts.warn(path, summary)
    path.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return path
