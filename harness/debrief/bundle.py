"""The candidate's bundle, rebuilt from the key: the solution with bundle.diff applied.

The key holds the reference render (``solution/``) and the diff from it to the bundle
(``bundle.diff``, Python files only; every other file is rendered the same for both). Applying
the diff gives the bundle exactly as handed out, without re-rendering templates that may
have changed since the key was made; the zip of the result is compared with the key's
``bundle_sha256`` so the debrief can say whether its "changed files" are trustworthy.
"""
from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from pathlib import Path

from faultline.harness import archive

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchError(Exception):
    """bundle.diff does not apply to solution/: the key was edited or is damaged."""


@dataclasses.dataclass(frozen=True)
class Bundle:
    root: Path
    verified: bool  # the rebuilt bundle zips to the key's bundle_sha256
    problem: str  # why it is not verified ("" when it is)


def _patches(diff_text: str) -> dict[str, list[str]]:
    """File name -> the diff lines of that file (headers dropped)."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    lines = diff_text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("--- solution/") and i + 1 < len(lines) and lines[i + 1].startswith("+++ candidate/"):
            name = lines[i + 1][len("+++ candidate/"):].rstrip("\n")
            current = files.setdefault(name, [])
            i += 2
            continue
        if current is None:
            raise PatchError("bundle.diff does not start with a file header")
        current.append(line)
        i += 1
    return files


def apply_patch(old: list[str], patch: list[str]) -> list[str]:
    """Apply one file's unified-diff hunks (as difflib writes them) to ``old``'s lines."""
    new: list[str] = []
    pos = 0  # next line of ``old`` not yet copied
    i = 0
    while i < len(patch):
        match = _HUNK.match(patch[i])
        if not match:
            raise PatchError(f"unexpected line in bundle.diff: {patch[i][:60]!r}")
        start, count = int(match[1]), int(match[2] if match[2] is not None else 1)
        first = start - 1 if count else start  # an empty old range names the line before it
        if first < pos:
            raise PatchError("hunks of bundle.diff overlap")
        new += old[pos:first]
        pos = first
        i += 1
        while i < len(patch) and not patch[i].startswith("@@"):
            tag, text = patch[i][:1], patch[i][1:]
            if tag in (" ", "-"):
                if pos >= len(old) or old[pos] != text:
                    raise PatchError(f"bundle.diff does not match solution/ at line {pos + 1}")
                pos += 1
                if tag == " ":
                    new.append(text)
            elif tag == "+":
                new.append(text)
            else:
                raise PatchError(f"unexpected line in bundle.diff: {patch[i][:60]!r}")
            i += 1
    return new + old[pos:]


def rebuild_bundle(key: Path, dest: Path, expected_sha256: str | None) -> Bundle:
    """Write the bundle into ``dest`` (which must not exist)."""
    solution = key / "solution"
    if not solution.is_dir():
        raise PatchError(f"the key has no solution/ folder at {solution}")
    shutil.copytree(solution, dest, ignore=shutil.ignore_patterns("__pycache__"))
    diff_path = key / "bundle.diff"
    if not diff_path.is_file():
        raise PatchError("the key has no bundle.diff")
    for name, patch in _patches(diff_path.read_text()).items():
        target = dest / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise PatchError(f"bundle.diff names a path outside the bundle: {name}")
        old = target.read_text().splitlines(keepends=True) if target.is_file() else []
        new = apply_patch(old, patch)
        if new:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("".join(new))
        elif target.is_file():
            target.unlink()
    if not expected_sha256:
        return Bundle(dest, False, "the key records no bundle_sha256 to check the rebuilt bundle against")
    with tempfile.TemporaryDirectory(prefix="faultline-debrief-zip-") as tmp:
        zipped = Path(tmp) / "candidate.zip"
        archive.write_zip(dest, zipped, prefix="candidate")
        if archive.sha256_file(zipped) != expected_sha256:
            return Bundle(dest, False, "the bundle rebuilt from the key does not match the bundle's sha256 "
                                       "(solution/ may hold extra files); the file list may include them")
    return Bundle(dest, True, "")
