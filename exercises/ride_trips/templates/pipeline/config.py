"""Settings of one export, read from its ``manifest.json``, and feature definitions."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

KM_PER_MILE = 1.609344
# Trips longer than this count as long trips for the ETA model's tail features.
LONG_TRIP_MINUTES = 30.0


@dataclasses.dataclass(frozen=True)
class Settings:
    """The reporting window; each city reads it in its own local calendar."""

    start_date: dt.date
    end_date: dt.date

    @classmethod
    def from_export(cls, root: Path) -> Settings:
        manifest = json.loads((root / "manifest.json").read_text())
        return cls(
            start_date=dt.date.fromisoformat(manifest["start_date"]),
            end_date=dt.date.fromisoformat(manifest["end_date"]),
        )
