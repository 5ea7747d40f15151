"""The round's manifest (``candidate,submission,key``) and the candidates CSV ``new`` reads.

Paths in a manifest are relative to the manifest's folder, so a round can be moved or
shared as one folder. Candidate names become folder names, so they are made safe here.
"""
from __future__ import annotations

import csv
import dataclasses
import os
import re
import tempfile
from pathlib import Path

from faultline.exercises.base import DIFFICULTIES
from faultline.harness.errors import UsageError

MANIFEST_COLUMNS = ("candidate", "submission", "key")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 64


def safe_name(candidate: str) -> str:
    """A folder name for ``candidate``: letters, digits, ``._-`` only, never hidden or empty."""
    name = _UNSAFE.sub("-", candidate.strip()).strip("-.")[:MAX_NAME].strip("-.")
    if not name:
        raise UsageError(f"candidate name {candidate!r} has no letter or digit to make a folder name of")
    return name


@dataclasses.dataclass(frozen=True)
class Candidate:
    name: str  # as written in the CSV
    folder: str  # safe_name(name), unique in the round (case-insensitively)
    difficulty: str | None


@dataclasses.dataclass(frozen=True)
class Entry:
    """One line of a manifest: what to grade for one candidate."""

    candidate: str
    submission: Path | None  # None: no work returned yet
    key: Path


def _rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            columns = [c.strip() for c in reader.fieldnames or []]
            missing = [c for c in required if c not in columns]
            if missing:
                found = ", ".join(columns) or "none"
                raise UsageError(f"{path}: missing column(s) {', '.join(missing)} (found: {found})")
            return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{path} is unreadable: {exc}") from None


def _unique_folders(names: list[tuple[int, str]], path: Path) -> dict[str, str]:
    """candidate -> folder; two names that map to one folder (any case) are refused."""
    seen: dict[str, tuple[int, str]] = {}
    folders: dict[str, str] = {}
    for line, name in names:
        folder = safe_name(name)
        clash = seen.get(folder.lower())
        if clash:
            raise UsageError(
                f"{path}: line {line} ({name!r}) and line {clash[0]} ({clash[1]!r}) would share the folder {folder!r}"
            )
        seen[folder.lower()] = (line, name)
        folders[name] = folder
    return folders


def read_candidates(path: Path) -> list[Candidate]:
    """The candidates CSV for ``new --candidates``: a column ``candidate``, optional ``difficulty``."""
    rows = _rows(path, ("candidate",))
    named = [(i + 2, row["candidate"]) for i, row in enumerate(rows) if row.get("candidate")]
    if not named:
        raise UsageError(f"{path} lists no candidate")
    folders = _unique_folders(named, path)
    found = []
    for i, row in enumerate(rows):
        if not row.get("candidate"):
            continue
        difficulty = row.get("difficulty") or None
        if difficulty is not None and difficulty not in DIFFICULTIES:
            raise UsageError(f"{path}: line {i + 2}: difficulty {difficulty!r} is not one of {', '.join(DIFFICULTIES)}")
        found.append(Candidate(row["candidate"], folders[row["candidate"]], difficulty))
    return found


def read_manifest(path: Path) -> list[Entry]:
    """Entries of a manifest; relative paths are taken from the manifest's folder."""
    rows = _rows(path, MANIFEST_COLUMNS)
    base = path.resolve().parent
    named = [(i + 2, row["candidate"]) for i, row in enumerate(rows) if row.get("candidate")]
    _unique_folders(named, path)
    entries = []
    for i, row in enumerate(rows):
        if not row.get("candidate"):
            continue
        if not row.get("key"):
            raise UsageError(f"{path}: line {i + 2} ({row['candidate']!r}) has no key")
        submission = base / row["submission"] if row.get("submission") else None
        entries.append(Entry(row["candidate"], submission, base / row["key"]))
    return entries


def folder_entries(folder: Path, key: Path, *, out: Path) -> list[Entry]:
    """Every entry of ``folder`` is one candidate's submission, all graded with one key."""
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder of submissions")
    # The results folder may sit among the submissions; it is never one of them.
    subs = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.resolve() != out.resolve())
    if not subs:
        raise UsageError(f"{folder} holds no submission")
    names = [_submission_name(p) for p in subs]
    _unique_folders(list(enumerate(names, 1)), folder)
    return [Entry(name, p.absolute(), key.absolute()) for name, p in zip(names, subs, strict=True)]


def _submission_name(path: Path) -> str:
    name = path.name
    for suffix in (".tar.gz", ".tgz", ".zip", ".tar"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def write_manifest(path: Path, entries: list[Entry]) -> None:
    """Write atomically (a reader never sees half a file); paths relative to the manifest."""
    base = path.resolve().parent

    def rel(p: Path | None) -> str:
        if p is None:
            return ""
        try:
            return p.resolve().relative_to(base).as_posix()
        except ValueError:
            return str(p)

    fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".csv", dir=base)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(MANIFEST_COLUMNS)
            for e in entries:
                writer.writerow([e.candidate, rel(e.submission), rel(e.key)])
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
