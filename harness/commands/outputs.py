"""Where a command writes: checked before any work starts, and undone when the command fails.

A folder is proven writable by writing into it (a probe file, removed at once): ``os.access``
answers yes for root in places like /proc where nothing can be created.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from faultline.harness.errors import UsageError


def _probe(folder: Path, flag: str, target: Path) -> None:
    try:
        fd, name = tempfile.mkstemp(prefix=".faultline-probe-", dir=folder)
    except OSError as exc:
        raise UsageError(f"{flag} {target}: cannot write in {folder} ({exc.strerror})") from None
    os.close(fd)
    os.unlink(name)


def make_folder(path: Path, flag: str, shown: Path | None = None) -> list[Path]:
    """Create ``path`` (and missing parents) and prove it writable; returns the folders created.

    ``shown`` is what the user gave, when ``path`` is only its folder (``--junit``).
    """
    shown = shown or path
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {shown}: {path} exists and is not a folder")
    missing = [p for p in (path, *path.parents) if not p.exists()]
    created: list[Path] = []
    try:
        for folder in reversed(missing):
            folder.mkdir()
            created.append(folder)
        _probe(path, flag, shown)
    except OSError as exc:
        remove_created(created)
        raise UsageError(f"{flag} {shown}: cannot create {path} ({exc.strerror})") from None
    except BaseException:
        remove_created(created)
        raise
    return created


def check_file(path: Path, flag: str) -> list[Path]:
    """``path`` can be written as a file: its folder is made and proven writable."""
    if path.is_dir():
        raise UsageError(f"{flag} {path} is a folder, not a file")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{flag} {path} exists and is not writable")
    return make_folder(path.parent, flag, shown=path)


def remove_created(created: list[Path]) -> None:
    """Remove the folders a command created, innermost first, where they are still empty."""
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def undone_on_failure(created: list[Path]) -> Iterator[None]:
    """Leave no empty folder behind when the block fails, Ctrl-C included."""
    try:
        yield
    except BaseException:
        remove_created(created)
        raise
