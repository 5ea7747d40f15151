"""Lineage: which input files a table was built from, by content.

The summary records each file's size and SHA-256, so that a table can be traced back to
the exact export it came from when a downstream team questions a number weeks later.
"""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from pipeline.sources import CHARGEBACKS, MERCHANTS, TRANSACTIONS

# Files of an export besides the sources: the manifest holds the window and the timezone.
EXPORT_FILES = ("manifest.json", TRANSACTIONS.file, MERCHANTS.file, CHARGEBACKS.file)
# Read files in blocks of this size: a nightly feed is several hundred megabytes.
BLOCK_BYTES = 1 << 20


@dataclasses.dataclass(frozen=True)
class InputFile:
    """One file of the export, by name, size and content digest."""

    name: str
    size: int
    sha256: str


def fingerprint(path: Path) -> InputFile:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            digest.update(block)
    return InputFile(name=path.name, size=path.stat().st_size, sha256=digest.hexdigest())


def export_inputs(root: Path) -> list[InputFile]:
    """The fingerprints of the export's files; a folder (a feed in part files) by part."""
    found = []
    for name in EXPORT_FILES:
        path = root / name
        if path.is_dir():
            found += [
                dataclasses.replace(fingerprint(part), name=f"{name}/{part.name}")
                for part in sorted(path.glob("*.parquet"))
            ]
        elif path.is_file():
            found.append(fingerprint(path))
    return found
