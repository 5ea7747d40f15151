"""Take a submission (folder, .zip or .tar.gz) into a fresh workspace, safely.

Only regular files and folders come in. Anything else (links, devices, fifos), any name that
could land outside the destination, and anything too big or too compressible rejects the
whole submission with a one-line reason: a partial copy could grade differently from what the
candidate sent. tarfile's ``data`` filter is not relied on (it has had bypasses); names,
types and byte counts are checked here, and bytes are counted as read, not as declared.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from faultline.harness.errors import SubmissionRejected, UsageError

CHUNK = 1024 * 1024
JUNK = {"__MACOSX", ".DS_Store"}  # ignored when looking for the single top-level folder
# Folders that tools make inside a workspace (a candidate who ran `make setup` returns a
# virtual environment full of symlinks): left out, never read, at any depth.
SKIPPED_DIRS = frozenset({
    ".venv", "venv", ".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
    ".ipynb_checkpoints", ".tox", "node_modules", "__MACOSX",
})


def _skipped(name: str, *, is_dir: bool) -> bool:
    parts = PurePosixPath(name).parts
    folders = parts if is_dir else parts[:-1]
    return any(p in SKIPPED_DIRS for p in folders)


@dataclasses.dataclass(frozen=True)
class IntakeLimits:
    max_entries: int = 5_000
    max_bytes: int = 256 * 1024 * 1024  # total uncompressed bytes
    max_ratio: float = 100.0  # uncompressed / compressed, over the whole archive (zip bomb)
    max_depth: int = 32


def open_submission(path: Path, dest: Path, limits: IntakeLimits = IntakeLimits()) -> Path:
    """Copy or extract ``path`` into the empty folder ``dest``; return the workspace root."""
    if not path.exists():
        raise UsageError(f"submission {path} does not exist")
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise UsageError(f"intake destination {dest} is not empty")
    writer = _Writer(dest, limits)
    name = path.name.lower()
    if path.is_symlink():
        raise SubmissionRejected(f"the submission {path.name} is itself a symlink")
    if path.is_dir():
        _copy_folder(path, writer)
    elif name.endswith(".zip") or zipfile.is_zipfile(path):
        _extract_zip(path, writer)
    elif name.endswith((".tar.gz", ".tgz", ".tar")) or _looks_like_tar(path):
        _extract_tar(path, writer)
    else:
        raise SubmissionRejected(
            f"unsupported submission format: {path.name} (send a folder, .zip or .tar.gz)"
        )
    return workspace_root(dest)


def workspace_root(dest: Path) -> Path:
    """``dest`` if it holds pipeline/, else its single top-level folder when that holds it."""
    if (dest / "pipeline").is_dir():
        return dest
    tops = [p for p in dest.iterdir() if p.name not in JUNK]
    if len(tops) == 1 and tops[0].is_dir() and (tops[0] / "pipeline").is_dir():
        return tops[0]
    return dest  # no pipeline/: grading reports it; intake only refuses what is unsafe


class _Writer:
    """Creates files and folders under ``root`` only, counting entries and bytes."""

    def __init__(self, root: Path, limits: IntakeLimits) -> None:
        self.root = root.resolve()
        self.limits = limits
        self.entries = 0
        self.bytes = 0
        self.seen: set[str] = set()
        self.compressed = 0  # archive size on disk; 0 for a folder (no ratio to check)

    def _target(self, name: str) -> Path:
        parts = _safe_parts(name, self.limits.max_depth)
        key = "/".join(parts)
        if key in self.seen:
            raise SubmissionRejected(f"duplicate entry {name!r}")
        self.seen.add(key)
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise SubmissionRejected(f"more than {self.limits.max_entries} entries")
        target = self.root.joinpath(*parts)
        # Belt and braces: parts are already clean and we never create links.
        if not target.resolve().is_relative_to(self.root):
            raise SubmissionRejected(f"entry {name!r} resolves outside the submission")
        return target

    def folder(self, name: str) -> None:
        if not _safe_parts(name, self.limits.max_depth):
            return  # "./" itself
        target = self._target(name)
        target.mkdir(mode=0o755, parents=True, exist_ok=True)

    def file(self, name: str, src: IO[bytes]) -> None:
        target = self._target(name)
        target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise SubmissionRejected(f"cannot place entry {name!r}: {exc.strerror}") from None
        with os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK):
                self.bytes += len(chunk)
                if self.bytes > self.limits.max_bytes:
                    raise SubmissionRejected(f"more than {self.limits.max_bytes} bytes uncompressed")
                # Checked per chunk, so a bomb is stopped after a few MiB, not at max_bytes.
                if (
                    self.compressed
                    and self.bytes > CHUNK
                    and self.bytes > self.limits.max_ratio * self.compressed
                ):
                    raise SubmissionRejected(
                        f"compression ratio above {self.limits.max_ratio:g} (archive bomb?)"
                    )
                out.write(chunk)


def _safe_parts(name: str, max_depth: int) -> tuple[str, ...]:
    if "\0" in name or "\\" in name:
        raise SubmissionRejected(f"entry {name!r} has a NUL or backslash in its name")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise SubmissionRejected(f"entry {name!r} has an absolute path")
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    if ".." in parts:
        raise SubmissionRejected(f"entry {name!r} climbs out with '..'")
    if len(parts) > max_depth or any(len(p.encode()) > 255 for p in parts):
        raise SubmissionRejected(f"entry {name!r} is nested too deep or has too long a name")
    return parts


def _copy_folder(src: Path, writer: _Writer) -> None:
    for path, kind in _walk(src):
        rel = path.relative_to(src).as_posix()
        if kind == "dir":
            writer.folder(rel)
        else:
            with open(path, "rb") as handle:  # _walk already refused links and specials
                writer.file(rel, handle)


def _walk(root: Path) -> Iterator[tuple[Path, str]]:
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                path = Path(entry.path)
                rel = path.relative_to(root).as_posix()
                mode = entry.stat(follow_symlinks=False).st_mode
                if entry.name in SKIPPED_DIRS and (stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
                    continue
                if stat.S_ISLNK(mode):
                    raise SubmissionRejected(f"symlink {rel!r} (send the file itself)")
                if stat.S_ISDIR(mode):
                    yield path, "dir"
                    stack.append(path)
                elif stat.S_ISREG(mode):
                    yield path, "file"
                else:
                    raise SubmissionRejected(f"{rel!r} is not a regular file or folder")


def _extract_zip(path: Path, writer: _Writer) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SubmissionRejected(f"unreadable zip: {exc}") from None
    compressed = writer.compressed = path.stat().st_size
    with archive:
        infos = archive.infolist()
        if len(infos) > writer.limits.max_entries:
            raise SubmissionRejected(f"more than {writer.limits.max_entries} entries")
        declared = sum(i.file_size for i in infos)
        if declared > writer.limits.max_bytes:
            raise SubmissionRejected(f"more than {writer.limits.max_bytes} bytes uncompressed")
        if declared > CHUNK and declared > writer.limits.max_ratio * max(compressed, 1):
            raise SubmissionRejected(f"compression ratio above {writer.limits.max_ratio:g} (zip bomb?)")
        for info in infos:
            _safe_parts(info.filename, writer.limits.max_depth)  # refused even where skipped
            if _skipped(info.filename, is_dir=info.is_dir()):
                continue
            mode = info.external_attr >> 16
            kind = stat.S_IFMT(mode)
            if info.is_dir():
                writer.folder(info.filename)
                continue
            if kind not in (0, stat.S_IFREG):  # 0: written by a tool that records no Unix mode
                what = "symlink" if kind == stat.S_IFLNK else "special file"
                raise SubmissionRejected(f"entry {info.filename!r} is a {what}")
            try:
                with archive.open(info) as src:
                    writer.file(info.filename, src)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
                raise SubmissionRejected(f"unreadable zip entry {info.filename!r}: {exc}") from None


def _looks_like_tar(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except OSError:
        return False


def _extract_tar(path: Path, writer: _Writer) -> None:
    writer.compressed = path.stat().st_size
    try:
        # Stream mode ("r|*"): one pass, no seeking back to members, bytes counted as read.
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                _safe_parts(member.name, writer.limits.max_depth)  # refused even where skipped
                if _skipped(member.name, is_dir=member.isdir()):
                    continue
                if member.isdir():
                    writer.folder(member.name)
                elif member.isreg():
                    src = archive.extractfile(member)
                    assert src is not None  # regular members always have a file object
                    writer.file(member.name, src)
                else:
                    raise SubmissionRejected(f"entry {member.name!r} is a {_tar_kind(member)}")
    except (tarfile.TarError, EOFError, OSError) as exc:  # gzip and truncation errors included
        raise SubmissionRejected(f"unreadable archive: {exc}") from None


def _tar_kind(member: tarfile.TarInfo) -> str:
    if member.issym():
        return "symlink"
    if member.islnk():
        return "hard link"
    if member.ischr() or member.isblk():
        return "device"
    if member.isfifo():
        return "fifo"
    return "special entry"
