"""Bounds on what a run may leave in its output folder, and a bounded look at it.

A run's output is checked before anything copies it: a folder 400 levels deep, 100k empty
folders or a million entries must cost a fraction of a second to refuse, not tens of
seconds to archive, extract and delete. Over a cap, the dataset's output is discarded and
the run is reported as over the output limit: the candidate's problem, never the host's.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import stat
import time
from pathlib import Path
from typing import Protocol

MAX_OUTPUT_ENTRIES = 10_000  # files and folders per submission (all datasets); a limit, not a disk fill
MAX_OUTPUT_DEPTH = 16  # folders below a dataset's output folder (partitioned Parquet needs a few)
COLLECT_SECONDS = 10.0  # listing or copying one dataset's output; past it the output is discarded
MAX_NAME_BYTES = 1024  # a member path longer than this is dropped (PATH_MAX is 4096 on the host)


@dataclasses.dataclass(frozen=True)
class OutputCaps:
    max_bytes: int
    max_entries: int = MAX_OUTPUT_ENTRIES
    max_depth: int = MAX_OUTPUT_DEPTH
    seconds: float = COLLECT_SECONDS

    @classmethod
    def of(cls, limits: _OutputLimits) -> OutputCaps:
        return cls(max_bytes=limits.output_bytes, max_entries=limits.output_entries, max_depth=limits.output_depth)


class _OutputLimits(Protocol):  # base.Limits, which imports this module
    @property
    def output_bytes(self) -> int: ...
    @property
    def output_entries(self) -> int: ...
    @property
    def output_depth(self) -> int: ...


@dataclasses.dataclass(frozen=True)
class Usage:
    bytes: int
    entries: int
    problem: str | None  # why the folder is over the caps, None when within them


def measure(root: Path, caps: OutputCaps, *, depth_offset: int = 0) -> Usage:
    """Bytes and entries under ``root``, stopping at the first cap it crosses.

    ``depth_offset`` is the depth of ``root`` itself below the dataset output folders
    (-1 for a folder that holds them). Unreadable folders count as empty (not root: the
    per-file ``fsize`` ulimit and the extraction caps still hold).
    """
    until = time.monotonic() + caps.seconds
    total = entries = 0
    stack = [(str(root), depth_offset)]
    while stack:
        folder, depth = stack.pop()
        if depth > caps.max_depth:
            return Usage(total, entries, f"folders nested deeper than {caps.max_depth} levels")
        if time.monotonic() > until:
            return Usage(total, entries, f"listing the output took over {caps.seconds:.0f} s")
        try:
            with os.scandir(folder) as found:
                for entry in found:
                    entries += 1
                    if entries > caps.max_entries:
                        return Usage(total, entries, f"more than {caps.max_entries} files and folders")
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISDIR(st.st_mode):
                        stack.append((entry.path, depth + 1))
                    elif stat.S_ISREG(st.st_mode):
                        # size for what extraction copies (sparse files), blocks for the disk
                        total += max(st.st_size, st.st_blocks * 512)
                        if total > caps.max_bytes:
                            return Usage(total, entries, f"more than {caps.max_bytes} bytes")
        except OSError:
            continue
    return Usage(total, entries, None)


def prune_outputs(root: Path, caps: OutputCaps) -> str | None:
    """Keep regular files and folders only; discard everything when over a cap (returns why).

    Links are removed, never followed: an output pointing at /etc/passwd or at ``..``
    must not let the graders read outside the run's own files.
    """
    usage = measure(root, caps)
    if usage.problem is not None:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True, exist_ok=True)
        return usage.problem
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in list(dirnames):
            path = Path(dirpath) / name
            if path.is_symlink():
                path.unlink()
                dirnames.remove(name)
        for name in filenames:
            path = Path(dirpath) / name
            if not stat.S_ISREG(os.lstat(path).st_mode):
                path.unlink()
    return None
