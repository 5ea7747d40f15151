"""Byte-stable archives and hashes of folders, and where two renders differ."""
from __future__ import annotations

import difflib
import hashlib
import zipfile
from pathlib import Path

# Zip entries carry a timestamp; a fixed one keeps the same variant the same bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)


def files_of(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def write_zip(root: Path, dest: Path, *, prefix: str) -> None:
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in files_of(root):
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(root).as_posix()}", EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_digest(root: Path) -> str:
    """One hash over every file's relative path and bytes."""
    digest = hashlib.sha256()
    for path in files_of(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(sha256_file(path).encode())
    return digest.hexdigest()


def _code_files(root: Path) -> dict[str, list[str]]:
    return {
        p.relative_to(root).as_posix(): p.read_text().splitlines(keepends=True)
        for p in files_of(root)
        if p.suffix == ".py"
    }


def unified_diff(old: Path, new: Path) -> str:
    """The diff of the Python files from ``old`` to ``new``, paths relative to each root."""
    a, b = _code_files(old), _code_files(new)
    chunks: list[str] = []
    for name in sorted(set(a) | set(b)):
        chunks += difflib.unified_diff(a.get(name, []), b.get(name, []), f"solution/{name}", f"candidate/{name}")
    return "".join(chunks)


def changed_lines(old: Path, new: Path) -> list[dict[str, object]]:
    """Where ``new`` differs from ``old``: one {file, line, lines} per changed block of ``new``."""
    a, b = _code_files(old), _code_files(new)
    sites: list[dict[str, object]] = []
    for name in sorted(set(a) | set(b)):
        matcher = difflib.SequenceMatcher(a=a.get(name, []), b=b.get(name, []), autojunk=False)
        for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                sites.append({"file": name, "line": j1 + 1, "lines": max(j2 - j1, 0)})
    return sites
