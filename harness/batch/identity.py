"""What makes a result: the hashes a gradebook row is keyed by.

A rerun with the same submission bytes, key, sandbox image and faultline version would
grade the same, so it is skipped; any change to one of them grades again.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from faultline.harness.archive import sha256_file
from faultline.harness.intake import SKIPPED_DIRS


def submission_sha256(path: Path) -> str:
    """The archive's bytes, or a folder's files (paths and bytes) as intake would take them in."""
    if path.is_file():
        return sha256_file(path)
    digest = hashlib.sha256()
    entries: list[tuple[str, bytes]] = []
    # os.walk does not follow links: a link is hashed as its target text (intake rejects it anyway).
    for folder, dirs, files in os.walk(path):
        # Tool folders (.venv, caches) are left out by intake: they change nothing graded.
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            full = Path(folder) / name
            rel = full.relative_to(path).as_posix()
            mode = full.lstat().st_mode
            if stat.S_ISLNK(mode):
                body = f"link:{os.readlink(full)}".encode()
            elif stat.S_ISREG(mode):
                body = sha256_file(full).encode()
            else:  # a fifo would block a read; intake rejects it anyway
                body = f"special:{stat.S_IFMT(mode)}".encode()
            entries.append((rel, body))
    for rel, body in sorted(entries):
        digest.update(rel.encode() + b"\0" + body + b"\0")
    return digest.hexdigest()


def key_id(key: Path) -> str:
    """The variant's id and its variant.json's hash: a remade key with the same id still differs."""
    import json

    raw = (key / "variant.json").read_bytes()
    return f"{json.loads(raw)['id']}:{hashlib.sha256(raw).hexdigest()[:16]}"
