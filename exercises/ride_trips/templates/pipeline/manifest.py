"""The run manifest: what a run read and wrote, written beside the feature table.

The feature store's loader refuses a table without its manifest. It lists every input
file with its size and SHA-256 (so that a rerun on the same export can be told from a
run on a re-delivered one), the published schema with each column's family, window and
null policy, and the table's row count and key range. Nothing in it depends on the clock:
two runs on one export write the same manifest.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pipeline import drift, registry
from pipeline.config import Settings

MANIFEST_FILE = "features.manifest.json"
CHUNK_BYTES = 1 << 20


@dataclasses.dataclass(frozen=True)
class InputFile:
    path: str  # relative to the export's root
    bytes: int
    sha256: str


def fingerprint(root: Path, path: Path) -> InputFile:
    """Size and SHA-256 of one input file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return InputFile(path.relative_to(root).as_posix(), path.stat().st_size, digest.hexdigest())


def build(root: Path, files: Sequence[Path], table: pd.DataFrame, settings: Settings) -> dict[str, object]:
    """The manifest of one run as a JSON-ready document."""
    dates = pd.Series(table["date"], dtype="object")
    return {
        "window": {"start": settings.start_date.isoformat(), "end": settings.end_date.isoformat()},
        "inputs": [dataclasses.asdict(fingerprint(root, p)) for p in sorted(files)],
        "rows": len(table),
        "drivers": int(table["driver_id"].nunique()),
        "dates": {"first": str(dates.min()), "last": str(dates.max())} if len(table) else None,
        "columns": [
            {"name": n, "type": t, "family": f, "window": w, "nulls": z} for n, t, f, w, z in registry.describe()
        ],
        "empty_cells": {c: int(table[c].isna().sum()) for c in registry.nullable() if c in table},
        "profile": drift.profile(table),
    }


def write(output_dir: Path, document: dict[str, object]) -> Path:
    """Write the manifest next to the table; it is small, written in one go."""
    path = output_dir / MANIFEST_FILE
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    return path
