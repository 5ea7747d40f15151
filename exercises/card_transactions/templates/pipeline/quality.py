"""Checks on the finished feature table, before it is published.

These guard the job's own invariants (one row per attempt, types, bounds, no empty cell
where the catalogue allows none). A failure here is a bug in the job, not in the export:
the run stops and nothing is written, so yesterday's table stays the one in use.
"""
from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pandas as pd

from pipeline.catalog import BOUNDS, CATALOG

log = logging.getLogger(__name__)


class TableCheckFailed(Exception):
    """The feature table breaks an invariant of the job."""


@dataclasses.dataclass(frozen=True)
class Profile:
    """What the run summary reports about one published column."""

    name: str
    empty: int
    low: float | None
    high: float | None


def check_table(table: pd.DataFrame, attempts: pd.Series) -> None:
    """Every catalogue column present and in bounds, no attempt twice; attempts of
    ``attempts`` without a row are reported."""
    absent = [f.name for f in CATALOG if f.name not in table.columns]
    if absent:
        raise TableCheckFailed(f"the feature table has no columns {absent}")
    ids = table["transaction_id"]
    if ids.duplicated().any():
        raise TableCheckFailed(f"{int(ids.duplicated().sum())} attempts appear twice in the feature table")
    expected = pd.Index(attempts.unique())
    lost = expected.difference(pd.Index(ids))
    if len(lost):
        # Published all the same: a deliberate filter upstream of this check is a decision for
        # the table's owner, but one the log must show.
        log.warning("%d attempts of the feed have no row in the table (e.g. %s)", len(lost), list(lost[:3]))
    for feature in CATALOG:
        values = table[feature.name]
        if not feature.nullable and values.isna().any():
            raise TableCheckFailed(f"{feature.name}: {int(values.isna().sum())} empty cells")
        low, high = BOUNDS.get(feature.kind, (None, None))
        present = values.dropna()
        if low is not None and (present < low).any():
            raise TableCheckFailed(f"{feature.name}: values below {low}")
        if high is not None and (present > high).any():
            raise TableCheckFailed(f"{feature.name}: values above {high}")


def profile(table: pd.DataFrame) -> list[Profile]:
    """Empty cells and range of every numeric column, for the run summary."""
    out = []
    for feature in CATALOG:
        values = table[feature.name]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        finite = values.dropna().to_numpy(dtype="float64") if numeric else np.array([])
        out.append(
            Profile(
                name=feature.name,
                empty=int(values.isna().sum()),
                low=float(finite.min()) if len(finite) else None,
                high=float(finite.max()) if len(finite) else None,
            )
        )
    return out
