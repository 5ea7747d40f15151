"""Lineage: which input files a run read, fingerprinted, for the run manifest.

An audit of a feature row starts from the manifest: the export folder, each file's size
and SHA-256, and the partitions read. Hashing streams the files in blocks, so a large
export costs I/O, not memory.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

BLOCK = 1 << 20


def fingerprint(path: Path) -> str:
    """SHA-256 of a file, read block by block."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_inputs(root: Path, files: Iterable[Path]) -> list[dict[str, Any]]:
    """One record per input file: its path under ``root``, size and fingerprint."""
    records = []
    for path in sorted(set(files)):
        records.append({
            "path": path.relative_to(root).as_posix(),
            "bytes": path.stat().st_size,
            "sha256": fingerprint(path),
        })
    return records


def export_files(root: Path, partition_files: Iterable[Path]) -> list[Path]:
    """The export's files a run reads: its manifest, dimensions and the event files."""
    fixed = [root / name for name in ("manifest.json", "users.csv", "products.csv", "prices.csv")]
    return [path for path in fixed if path.is_file()] + list(partition_files)
