"""Take one folder out of a container's tar stream (Docker's archive API) without trusting it.

``get_archive`` returns what the candidate left, links included (to /etc/passwd, to ..).
Only regular files (and the folders they need) are written, never through a link, under caps on entries,
depth, bytes and time; everything else is dropped and counted, so the log can say so.
Over a cap, the whole folder is removed and the reason returned.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import tarfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from faultline.harness.sandbox.collect import MAX_NAME_BYTES, OutputCaps

CHUNK = 1024 * 1024
STREAM_SLACK = 64 * 1024 * 1024  # tar headers and padding on top of the files' own bytes


@dataclasses.dataclass(frozen=True)
class Extracted:
    bytes: int
    entries: int
    dropped: int  # links, devices, bad or too long names, duplicates
    problem: str | None  # why the folder was discarded; None when it was kept


class ChunkReader(io.RawIOBase):
    """A read-only file over an iterator of byte chunks, refusing to read past ``limit``."""

    def __init__(self, chunks: Iterable[bytes], limit: int) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._buffer = b""
        self.limit = limit
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self.total += len(chunk)
            if self.total > self.limit:
                raise OverflowError("archive stream over its byte limit")
            self._buffer = chunk
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


class _Over(Exception):
    """A cap was crossed: the folder is discarded."""


def extract_tree(chunks: Iterable[bytes], dest: Path, caps: OutputCaps) -> Extracted:
    """Extract ``<archive root>/...`` into ``dest/...`` (``dest`` is created)."""
    until = time.monotonic() + caps.seconds
    total = entries = dropped = 0
    problem: str | None = None
    dest.mkdir(parents=True, exist_ok=True)
    dest.chmod(0o755)
    reader = ChunkReader(chunks, caps.max_bytes + STREAM_SLACK)
    try:
        with tarfile.open(fileobj=io.BufferedReader(reader, CHUNK), mode="r|") as archive:
            for member in archive:
                if time.monotonic() > until:
                    raise _Over(f"copying the output took over {caps.seconds:.0f} s")
                parts = _parts(member.name)
                if parts is None or len(member.name.encode()) > MAX_NAME_BYTES:
                    dropped += 1
                    continue
                rel = parts[1:]  # parts[0] is the archived folder itself
                if not rel:
                    continue
                if not (member.isreg() or member.isdir()):
                    dropped += 1
                    continue
                entries += 1
                if entries > caps.max_entries:
                    raise _Over(f"more than {caps.max_entries} files and folders")
                if len(rel) - (1 if member.isreg() else 0) > caps.max_depth:  # folders above it
                    raise _Over(f"folders nested deeper than {caps.max_depth} levels")
                if member.isdir():
                    continue  # made when a file needs it: empty folders cost nothing to refuse
                target = dest.joinpath(*rel)
                total += member.size
                if total > caps.max_bytes:
                    raise _Over(f"more than {caps.max_bytes} bytes")
                src = archive.extractfile(member)
                if src is None or not _write(dest, target, src, member.size):
                    dropped += 1
    except _Over as over:
        problem = str(over)
    except OverflowError:
        problem = f"more than {caps.max_bytes} bytes"
    except tarfile.TarError:
        pass  # a truncated stream keeps what was written completely
    if problem is not None:
        shutil.rmtree(dest, ignore_errors=True)
    return Extracted(bytes=total, entries=entries, dropped=dropped, problem=problem)


def read_members(chunks: Iterable[bytes], names: set[str], *, max_bytes: int) -> dict[str, str]:
    """The text of regular files named ``<root>/<name>``, each cut to ``max_bytes``."""
    found: dict[str, str] = {}
    reader = ChunkReader(chunks, max_bytes * (len(names) + 1) + CHUNK)
    try:
        with tarfile.open(fileobj=io.BufferedReader(reader, CHUNK), mode="r|") as archive:
            for member in archive:
                parts = _parts(member.name)
                if parts and len(parts) == 2 and parts[1] in names and member.isreg():
                    src = archive.extractfile(member)
                    if src is not None:
                        found[parts[1]] = src.read(max_bytes).decode("utf-8", errors="replace")
    except (OverflowError, tarfile.TarError):
        pass
    return found


def _parts(name: str) -> tuple[str, ...] | None:
    if name.startswith("/") or "\0" in name:
        return None
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    return None if ".." in parts or not parts else parts


def _mkdirs(root: Path, target: Path) -> bool:
    # Never through a link: we only ever create folders ourselves, but check anyway.
    try:
        for parent in reversed([target, *target.parents]):
            if parent == root or root not in parent.parents:
                continue
            if parent.is_symlink():
                return False
            if not parent.is_dir():
                parent.mkdir()
                parent.chmod(0o755)  # explicit: a umask of 077 would hide outputs from the graders
    except OSError:
        return False  # a file where a folder should be, a name the host cannot hold
    return True


def _write(root: Path, target: Path, src: IO[bytes], size: int) -> bool:
    if not _mkdirs(root, target.parent):
        return False
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except OSError:
        return False  # a duplicate name or a file where a folder should be
    os.fchmod(fd, 0o644)
    left = size
    with os.fdopen(fd, "wb") as out:
        while left > 0:
            chunk = src.read(min(CHUNK, left))
            if not chunk:
                break
            out.write(chunk)
            left -= len(chunk)
    return True
