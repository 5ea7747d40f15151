"""Settings of one export, read from its ``manifest.json``."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

# Purchases are the only events that carry money; views and cart adds have amount 0.
EVENT_TYPES = ("view", "add_to_cart", "purchase")
# Accounts younger than this many days on the feature date count as new users.
NEW_USER_DAYS = 30


@dataclasses.dataclass(frozen=True)
class Settings:
    """The reporting window, in the store's local calendar."""

    start_date: dt.date
    end_date: dt.date
    timezone: str

    @classmethod
    def from_export(cls, root: Path) -> Settings:
        manifest = json.loads((root / "manifest.json").read_text())
        return cls(
            start_date=dt.date.fromisoformat(manifest["start_date"]),
            end_date=dt.date.fromisoformat(manifest["end_date"]),
            timezone=manifest["timezone"],
        )
