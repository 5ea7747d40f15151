"""Keeping only what a run may leave behind in its output folder."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path


def prune_outputs(root: Path, *, max_bytes: int, max_files: int = 10_000) -> bool:
    """Drop links, special files and anything past the caps; True when a cap was hit.

    Links are removed, never followed: an output pointing at /etc/passwd or at ``..``
    must not let the graders read outside the run's own files.
    """
    total, count, over = 0, 0, False
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in sorted(dirnames):
            path = Path(dirpath) / name
            if path.is_symlink():
                path.unlink()
                dirnames.remove(name)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                path.unlink()
                continue
            count += 1
            total += info.st_size
            if total > max_bytes or count > max_files:
                over = True
                path.unlink()
    if over and not any(root.iterdir()):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True, exist_ok=True)
    return over
