"""Take files out of a container's tar stream (Docker's archive API) without trusting it.

``get_archive`` returns what the candidate left, links included (to /etc/passwd, to ..).
Only regular files and folders are written, never through a link, under caps on count and
bytes; everything else is dropped and counted, so the log can say so.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

CHUNK = 1024 * 1024


@dataclasses.dataclass
class Extracted:
    bytes: dict[str, int] = dataclasses.field(default_factory=dict)  # per top-level folder
    over_limit: set[str] = dataclasses.field(default_factory=set)  # tops removed for size/count
    dropped: dict[str, int] = dataclasses.field(default_factory=dict)  # non-regular entries per top


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


def extract_tops(
    chunks: Iterable[bytes],
    dest: Path,
    *,
    tops: set[str],
    max_bytes_per_top: int,
    max_files: int,
    max_stream_bytes: int,
) -> Extracted:
    """Extract ``<archive root>/<top>/...`` into ``dest/<top>/...`` for the wanted tops only."""
    result = Extracted()
    files = 0
    reader = ChunkReader(chunks, max_stream_bytes)
    try:
        with tarfile.open(fileobj=io.BufferedReader(reader, CHUNK), mode="r|") as archive:
            for member in archive:
                parts = _parts(member.name)
                if parts is None or len(parts) < 2 or parts[1] not in tops:
                    continue  # the archive root itself, strays outside the wanted folders, bad names
                top, rel = parts[1], parts[2:]
                if top in result.over_limit:
                    continue
                if not (member.isreg() or member.isdir()):
                    result.dropped[top] = result.dropped.get(top, 0) + 1
                    continue
                files += 1
                if files > max_files:
                    result.over_limit.add(top)
                    continue
                target = dest.joinpath(top, *rel)
                if member.isdir():
                    _mkdirs(dest, target)
                    continue
                used = result.bytes.get(top, 0) + member.size
                if used > max_bytes_per_top:
                    result.over_limit.add(top)
                    continue
                src = archive.extractfile(member)
                if src is None or not _write(dest, target, src, member.size):
                    result.dropped[top] = result.dropped.get(top, 0) + 1
                    continue
                result.bytes[top] = used
    except OverflowError:
        result.over_limit.update(tops - set(result.bytes))  # unknown how far the rest went
    except tarfile.TarError:
        pass  # a truncated stream keeps what was written completely
    for top in result.over_limit:
        shutil.rmtree(dest / top, ignore_errors=True)
    return result


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
    return None if ".." in parts else parts


def _mkdirs(root: Path, target: Path) -> None:
    # Never through a link: we only ever create folders ourselves, but check anyway.
    for parent in reversed([target, *target.parents]):
        if parent == root or root not in parent.parents:
            continue
        if parent.is_symlink():
            raise OSError(f"link in output path: {parent}")
        if not parent.is_dir():
            parent.mkdir()
            parent.chmod(0o755)  # explicit: a umask of 077 would hide outputs from the graders


def _write(root: Path, target: Path, src: IO[bytes], size: int) -> bool:
    try:
        _mkdirs(root, target.parent)
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
