"""Poisoned exports of retail-events: two the contract declares invalid, one unusual but valid."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from faultline.exercises.base import Poison
from faultline.exercises.common.exports import parquet_files, read_csv_text, rewrite_parquet, write_csv
from faultline.exercises.retail_events.generator import PLATFORMS
from faultline.exercises.retail_events.spec import Spec

# Words a refusal message may use to name each problem (any one, case-insensitive). Bare
# values are left out on purpose: a KeyError naming the value is a crash, not a refusal.
VERSION_WORDS = ("schema_version", "schema version", "version")
REPEAT_WORDS = ("duplicate", "repeated", "more than once", "twice", "unique")


def _schema_version_3(root: Path, rng: np.random.Generator, spec: Spec) -> None:
    """One client starts sending schema version 3 (amounts in tenths of a cent) mid-window."""
    files = parquet_files(root / "events")
    cutover = files[int(rng.integers(len(files) // 3, 2 * len(files) // 3))].parent.name
    # A platform still on version 1 after the cut-over (one may have moved to cents already).
    later = pd.concat([pd.read_parquet(f, columns=["platform", "schema_version"])
                       for f in files if f.parent.name >= cutover])
    platforms = [p for p in PLATFORMS if ((later["platform"] == p) & (later["schema_version"] == 1)).any()]
    platform = str(rng.choice(platforms))

    def change(events: pd.DataFrame) -> pd.DataFrame:
        hit = (events["platform"] == platform) & (events["schema_version"] == 1)
        dollars = events["amount"].where(hit, 0.0)
        return events.assign(
            amount=np.where(hit, np.round(dollars * 1000.0), events["amount"]),
            schema_version=np.where(hit, 3, events["schema_version"]).astype(np.int8),
        )

    for path in files:
        if path.parent.name >= cutover:
            rewrite_parquet(path, change)


def _duplicate_users(root: Path, rng: np.random.Generator, spec: Spec) -> None:
    """A users re-export lists some users twice, with another country and segment."""
    users = read_csv_text(root / "users.csv")
    picked = users.iloc[np.sort(rng.choice(len(users), size=max(3, len(users) // 40), replace=False))].copy()
    others = users["country"].unique()
    picked["country"] = [str(rng.choice([c for c in others if c != here])) for here in picked["country"]]
    picked["segment"] = np.where(picked["segment"] == "consumer", "business", "consumer")
    both = pd.concat([users, picked], ignore_index=True)
    write_csv(both.iloc[rng.permutation(len(both))], root / "users.csv")


def _quiet_day(root: Path, rng: np.random.Generator, spec: Spec) -> None:
    """A business day inside the window without a single event (the store was down)."""
    manifest = json.loads((root / "manifest.json").read_text())
    start = dt.date.fromisoformat(manifest["start_date"])
    day = start + dt.timedelta(days=int(rng.integers(2, 12)))

    def change(events: pd.DataFrame) -> pd.DataFrame:
        local = events["event_ts"].dt.tz_convert(manifest["timezone"])
        business = (local - pd.Timedelta(hours=spec.day_start_hour)).dt.date
        return events.loc[business != day]

    for path in parquet_files(root / "events"):
        rewrite_parquet(path, change)


def poisons() -> tuple[Poison, ...]:
    return (
        Poison("schema-version-3", "invalid",
               "events of schema_version 3, whose amount unit the contract does not define",
               VERSION_WORDS, _schema_version_3),
        Poison("duplicate-users", "invalid",
               "users.csv lists some user_id values twice, with different countries and segments",
               REPEAT_WORDS, _duplicate_users),
        Poison("quiet-day", "valid",
               "a business day inside the window has no event at all", (), _quiet_day),
    )
