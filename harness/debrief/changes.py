"""What the candidate changed: every file added, changed or removed against the bundle, as hunks."""
from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from faultline.harness.intake import SKIPPED_DIRS

MAX_TEXT_BYTES = 256 * 1024  # larger files are listed with their sizes, not diffed
MAX_HUNK_LINES = 400  # per file: a rewritten module is summarised, not printed whole
CONTEXT = 3
_TEST_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(test\w*)\s*\(", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class Line:
    tag: str  # " ", "-", "+"
    text: str


@dataclasses.dataclass(frozen=True)
class Hunk:
    file: str
    old_start: int  # 1-based, in the bundle's file
    old_count: int
    new_start: int
    new_count: int
    lines: tuple[Line, ...]

    @property
    def header(self) -> str:
        return f"@@ -{self.old_start},{self.old_count} +{self.new_start},{self.new_count} @@"

    def touches(self, line: int, count: int) -> bool:
        """Whether this hunk (context included) covers bundle lines [line, line + count)."""
        last = self.old_start + max(self.old_count, 1) - 1
        return self.old_start <= line + max(count, 1) - 1 and line <= last


@dataclasses.dataclass(frozen=True)
class FileChange:
    path: str
    status: str  # "added", "changed", "removed"
    text: bool  # diffed as text; False: binary or too large, sizes only
    old_size: int
    new_size: int
    added: int  # lines
    removed: int
    hunks: tuple[Hunk, ...]
    truncated: bool  # more hunk lines than MAX_HUNK_LINES
    tests: tuple[str, ...]  # test functions defined in an added or changed test file

    @property
    def is_test(self) -> bool:
        name = Path(self.path).name
        return self.path.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py")
                                              or self.path.startswith("tests/"))


def _files(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part in SKIPPED_DIRS for part in rel.parts) or path.is_symlink() or not path.is_file():
            continue
        found[rel.as_posix()] = path
    return found


def _text_lines(path: Path | None) -> list[str] | None:
    """The file's lines, or None when it is binary or too large to diff."""
    if path is None:
        return []
    if path.stat().st_size > MAX_TEXT_BYTES:
        return None
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None


def hunks_of(name: str, old: list[str], new: list[str]) -> tuple[list[Hunk], bool]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    hunks, budget, truncated = [], MAX_HUNK_LINES, False
    for group in matcher.get_grouped_opcodes(CONTEXT):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        lines: list[Line] = []
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines += [Line(" ", t) for t in old[a1:a2]]
                continue
            lines += [Line("-", t) for t in old[a1:a2]]
            lines += [Line("+", t) for t in new[b1:b2]]
        if len(lines) > budget:
            truncated = True
            lines = lines[:budget]
        budget -= len(lines)
        hunks.append(Hunk(name, i1 + 1 if i2 > i1 else i1, i2 - i1, j1 + 1 if j2 > j1 else j1, j2 - j1,
                          tuple(lines)))
        if budget <= 0:
            truncated = True
            break
    return hunks, truncated


def compare_trees(bundle: Path, workspace: Path) -> list[FileChange]:
    """Every file that differs between the bundle and the candidate's workspace."""
    old_files, new_files = _files(bundle), _files(workspace)
    changes = []
    for name in sorted(set(old_files) | set(new_files)):
        old, new = old_files.get(name), new_files.get(name)
        if old and new and old.read_bytes() == new.read_bytes():
            continue
        status = "added" if old is None else "removed" if new is None else "changed"
        old_lines, new_lines = _text_lines(old), _text_lines(new)
        old_size = old.stat().st_size if old else 0
        new_size = new.stat().st_size if new else 0
        if old_lines is None or new_lines is None or status == "removed":
            changes.append(FileChange(name, status, False, old_size, new_size, 0, 0, (), False, ()))
            continue
        hunks, truncated = hunks_of(name, old_lines, new_lines)
        added = sum(1 for h in hunks for ln in h.lines if ln.tag == "+")
        removed = sum(1 for h in hunks for ln in h.lines if ln.tag == "-")
        tests = tuple(_TEST_DEF.findall("\n".join(new_lines))) if name.endswith(".py") else ()
        change = FileChange(name, status, True, old_size, new_size, added, removed, tuple(hunks), truncated, tests)
        changes.append(dataclasses.replace(change, tests=tests if change.is_test else ()))
    return changes


def hunks_at_sites(changes: Iterable[FileChange], sites: Iterable[Mapping[str, object]]) -> list[Hunk]:
    """The candidate's hunks that cover any of a fault's sites (bundle file and line)."""
    wanted = [(str(s.get("file")), int(str(s.get("line", 0))), int(str(s.get("lines", 1)))) for s in sites]
    found = []
    for change in changes:
        for hunk in change.hunks:
            if any(change.path == f and hunk.touches(line, count) for f, line, count in wanted):
                found.append(hunk)
    return found
