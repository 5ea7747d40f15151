"""Take a submission (folder, .zip or .tar.gz) into a fresh workspace, safely.

Only regular files and folders come in. A symlink that stays inside the submission is left
out with a warning (editors and tools leave such links; the files they point at come in
anyway). Anything else (a link that points outside, hard links, devices, fifos), any name
that could land outside the destination, and anything too big or too compressible rejects
the whole submission with a one-line reason: a partial copy could grade differently from
what the candidate sent. No link is ever created, so nothing written can go through one.
tarfile's ``data`` filter is not relied on (it has had bypasses); names, types and byte
counts are checked here, and bytes are counted as read, not as declared.

The workspace is the folder holding the one ``pipeline/`` package, at any depth (a zip of
a zip's folder nests it); several ``pipeline/`` packages mean several submissions, rejected.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from faultline.harness.errors import SubmissionRejected, UsageError

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
LINK_TARGET_BYTES = 4096  # a zip stores a link's target as its content; PATH_MAX bounds it
MAX_WARNINGS = 20  # more skipped links are counted, not listed
JUNK = {"__MACOSX", ".DS_Store"}  # never searched for a pipeline/ package
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


@dataclasses.dataclass(frozen=True)
class Intake:
    """A submission taken in: the workspace root and what was left out, one line each."""

    root: Path
    warnings: tuple[str, ...] = ()


def open_submission(path: Path, dest: Path, limits: IntakeLimits = IntakeLimits()) -> Path:
    """``take_in``, for callers that want only the workspace root; warnings are logged."""
    taken = take_in(path, dest, limits)
    for warning in taken.warnings:
        log.warning("submission: %s", warning)
    return taken.root


def take_in(path: Path, dest: Path, limits: IntakeLimits = IntakeLimits()) -> Intake:
    """Copy or extract ``path`` into the empty folder ``dest``; return the workspace and warnings."""
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
    return Intake(root=workspace_root(dest), warnings=tuple(writer.warnings()))


def workspace_root(dest: Path) -> Path:
    """The folder holding the one ``pipeline/`` package under ``dest``, at any depth.

    No package found: ``dest`` (grading reports the missing entry point; intake only refuses
    what is unsafe or ambiguous). Several: several submissions, rejected, naming them.
    """
    found = pipeline_packages(dest)
    if len(found) > 1:
        names = [p.relative_to(dest).as_posix() + "/" for p in found]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        raise SubmissionRejected(
            f"found {len(found)} pipeline/ packages ({shown}): send one submission at a time"
        )
    return found[0].parent if found else dest


def pipeline_packages(dest: Path) -> list[Path]:
    """Folders named ``pipeline`` holding Python files, not looking inside one found.

    Bounded by intake: at most ``max_entries`` entries, ``max_depth`` deep, no links.
    """
    found: list[Path] = []
    stack = [dest]
    while stack:
        folder = stack.pop()
        for entry in sorted(folder.iterdir(), reverse=True):  # popped in name order
            if not entry.is_dir() or entry.name in JUNK:
                continue
            if entry.name == "pipeline" and any(p.suffix == ".py" and p.is_file() for p in entry.iterdir()):
                found.append(entry)
            else:
                stack.append(entry)
    return sorted(found)


class _Writer:
    """Creates files and folders under ``root`` only, counting entries and bytes."""

    def __init__(self, root: Path, limits: IntakeLimits) -> None:
        self.root = root.resolve()
        self.limits = limits
        self.entries = 0
        self.bytes = 0
        self.seen: set[str] = set()
        self.compressed = 0  # archive size on disk; 0 for a folder (no ratio to check)
        self.skipped: list[str] = []

    def warnings(self) -> list[str]:
        more = len(self.skipped) - MAX_WARNINGS
        return self.skipped[:MAX_WARNINGS] + ([f"and {more} more links skipped"] if more > 0 else [])

    def link(self, name: str, target: str) -> None:
        """A symlink entry: left out with a warning when it stays inside, else the whole is rejected."""
        parts = _safe_parts(name, self.limits.max_depth)
        self.entries += 1  # counted like any entry, so a flood of links is still capped
        if self.entries > self.limits.max_entries:
            raise SubmissionRejected(f"more than {self.limits.max_entries} entries")
        if _escapes(parts, target):
            raise SubmissionRejected(f"symlink {name!r} points outside the submission ({target[:200]!r})")
        self.skipped.append(f"skipped symlink {name!r} -> {target[:200]!r} (links are not taken in; send the file)")

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


def _escapes(parts: tuple[str, ...], target: str) -> bool:
    """Whether a link at ``parts`` (relative to the submission) points outside it, read lexically."""
    if not target or "\0" in target or "\\" in target or target.startswith("/") or target[1:2] == ":":
        return True
    where = list(parts[:-1])
    for part in PurePosixPath(target).parts:
        if part == "..":
            if not where:
                return True
            where.pop()
        elif part not in ("", "."):
            where.append(part)
    return False


def _copy_folder(src: Path, writer: _Writer) -> None:
    for path, kind in _walk(src):
        rel = path.relative_to(src).as_posix()
        if kind == "dir":
            writer.folder(rel)
        elif kind == "link":
            writer.link(rel, _folder_link_target(src, path))
        else:
            with open(path, "rb") as handle:  # _walk already refused specials
                writer.file(rel, handle)


def _folder_link_target(root: Path, link: Path) -> str:
    """The link's target, made relative when it resolves inside ``root`` (an absolute link
    to a file of the same folder is harmless); kept as written otherwise, so it escapes."""
    target = os.readlink(link)
    resolved = Path(os.path.realpath(link))
    base = root.resolve()
    if resolved.is_relative_to(base):
        return os.path.relpath(resolved, link.parent.resolve())
    return target if target.startswith("/") else str(resolved)


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
                    yield path, "link"  # never followed: judged by where it points
                elif stat.S_ISDIR(mode):
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
            if kind == stat.S_IFLNK:
                writer.link(info.filename, _zip_link_target(archive, info))
                continue
            if kind not in (0, stat.S_IFREG):  # 0: written by a tool that records no Unix mode
                raise SubmissionRejected(f"entry {info.filename!r} is a special file")
            try:
                with archive.open(info) as src:
                    writer.file(info.filename, src)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
                raise SubmissionRejected(f"unreadable zip entry {info.filename!r}: {exc}") from None


def _zip_link_target(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    if info.file_size > LINK_TARGET_BYTES:
        raise SubmissionRejected(f"symlink {info.filename!r} has a {info.file_size}-byte target")
    try:
        with archive.open(info) as src:
            return src.read(LINK_TARGET_BYTES).decode("utf-8", errors="replace")
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
                elif member.issym():
                    writer.link(member.name, member.linkname)
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
