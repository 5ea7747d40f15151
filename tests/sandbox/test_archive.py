"""archive.extract_tree on hand-made tar streams: only regular files and folders, never
through a link or out of the destination, and every cap discards the whole folder."""
from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from faultline.harness.sandbox.archive import extract_tree, read_members
from faultline.harness.sandbox.collect import OutputCaps

CAPS = OutputCaps(max_bytes=1024, max_entries=20, max_depth=4, seconds=5.0)


def _tar(*members: tuple[str, bytes | str | None, bytes]) -> bytes:
    """Members as (name, type, data): type None for a file, "dir", "sym:<target>", "lnk:<target>", "chr"."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, kind, data in members:
            info = tarfile.TarInfo(name)
            if kind == "dir":
                info.type = tarfile.DIRTYPE
            elif isinstance(kind, str) and kind.startswith("sym:"):
                info.type, info.linkname = tarfile.SYMTYPE, kind[4:]
            elif isinstance(kind, str) and kind.startswith("lnk:"):
                info.type, info.linkname = tarfile.LNKTYPE, kind[4:]
            elif kind == "chr":
                info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
            info.size = len(data) if info.type == tarfile.REGTYPE else 0
            tar.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)
    return buf.getvalue()


def _chunks(data: bytes, size: int = 700) -> Iterator[bytes]:
    for i in range(0, len(data), size):  # odd chunk sizes: headers straddle chunks
        yield data[i : i + size]


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_regular_files_and_folders_are_kept(tmp_path: Path) -> None:
    data = _tar(("d1", "dir", b""), ("d1/a", "dir", b""), ("d1/a/f.parquet", None, b"abc"), ("d1/g", None, b"x"))
    got = extract_tree(_chunks(data), tmp_path / "out", CAPS)
    assert got.problem is None and (got.entries, got.bytes, got.dropped) == (3, 4, 0)
    assert _files(tmp_path / "out") == {"a/f.parquet": b"abc", "g": b"x"}
    assert oct((tmp_path / "out" / "a" / "f.parquet").stat().st_mode & 0o777) == "0o644"


def test_links_devices_and_escapes_are_dropped(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("host file")
    data = _tar(
        ("d1", "dir", b""),
        ("d1/passwd", "sym:/etc/passwd", b""),
        ("d1/up", "sym:..", b""),
        ("d1/hard", "lnk:d1/passwd", b""),
        ("d1/null", "chr", b""),
        ("d1/../../secret", None, b"overwritten"),
        ("/abs", None, b"absolute"),
        ("d1/ok", None, b"fine"),
    )
    got = extract_tree(_chunks(data), tmp_path / "out", CAPS)
    assert got.problem is None and got.dropped == 6
    assert _files(tmp_path / "out") == {"ok": b"fine"}
    assert not any(p.is_symlink() for p in (tmp_path / "out").rglob("*"))
    assert (tmp_path / "secret").read_text() == "host file"


def test_a_link_then_a_file_through_it_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    data = _tar(("d1", "dir", b""), ("d1/sub", f"sym:{outside}", b""), ("d1/sub/f", None, b"x"))
    got = extract_tree(_chunks(data), tmp_path / "out", CAPS)
    assert got.problem is None
    assert list(outside.iterdir()) == []
    assert _files(tmp_path / "out") == {"sub/f": b"x"}  # a real folder of ours, not the link


def test_too_deep_is_discarded(tmp_path: Path) -> None:
    deep = "d1/" + "/".join(["x"] * 5)
    data = _tar(("d1", "dir", b""), (deep, "dir", b""), (deep + "/f", None, b"x"))
    got = extract_tree(_chunks(data), tmp_path / "out", CAPS)
    assert got.problem == "folders nested deeper than 4 levels"
    assert not (tmp_path / "out").exists()


def test_depth_at_the_cap_is_kept(tmp_path: Path) -> None:
    name = "d1/" + "/".join(["x"] * 4) + "/f"
    got = extract_tree(_chunks(_tar((name, None, b"x"))), tmp_path / "out", CAPS)
    assert got.problem is None and _files(tmp_path / "out") == {"x/x/x/x/f": b"x"}


def test_too_many_entries_is_discarded(tmp_path: Path) -> None:
    data = _tar(*[(f"d1/e{i}", "dir", b"") for i in range(21)])
    got = extract_tree(_chunks(data), tmp_path / "out", CAPS)
    assert got.problem == "more than 20 files and folders" and not (tmp_path / "out").exists()


def test_too_many_bytes_is_discarded(tmp_path: Path) -> None:
    data = _tar(("d1/a", None, b"x" * 600), ("d1/b", None, b"y" * 600))
    got = extract_tree(_chunks(data), tmp_path / "out", CAPS)
    assert got.problem == "more than 1024 bytes" and not (tmp_path / "out").exists()


def test_a_stream_past_its_byte_limit_is_discarded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Endless empty folders, each a header: the reader stops at its own byte limit.
    import faultline.harness.sandbox.archive as archive

    monkeypatch.setattr(archive, "STREAM_SLACK", 8192)

    def endless() -> Iterator[bytes]:
        i = 0
        while True:
            i += 1
            yield _tar((f"d1/e{i}", "dir", b""))[:512]

    caps = OutputCaps(max_bytes=1024, max_entries=10**9, seconds=30.0)
    got = extract_tree(endless(), tmp_path / "out", caps)
    assert got.problem == "more than 1024 bytes" and not (tmp_path / "out").exists()


def test_a_slow_stream_is_cut_at_its_time_cap(tmp_path: Path) -> None:
    import time

    def slow() -> Iterator[bytes]:
        for i in range(1000):
            time.sleep(0.01)
            yield _tar((f"d1/f{i}", None, b"x"))[:1024]  # one header + data block each

    caps = OutputCaps(max_bytes=10**6, max_entries=10**6, seconds=0.3)
    began = time.monotonic()
    got = extract_tree(slow(), tmp_path / "out", caps)
    assert got.problem == "copying the output took over 0 s" and time.monotonic() - began < 2


def test_over_long_names_are_dropped(tmp_path: Path) -> None:
    name = "d1/" + "/".join(["n" * 200] * 6) + "/f"  # past MAX_NAME_BYTES, under the depth cap
    got = extract_tree(_chunks(_tar((name, None, b"x"), ("d1/ok", None, b"y"))), tmp_path / "out", CAPS)
    assert got.problem is None and got.dropped == 1 and _files(tmp_path / "out") == {"ok": b"y"}


def test_a_truncated_stream_keeps_complete_files(tmp_path: Path) -> None:
    data = _tar(("d1/a", None, b"x" * 10), ("d1/b", None, b"y" * 600))
    got = extract_tree(_chunks(data[:1536]), tmp_path / "out", CAPS)  # a's header+data, b's header
    assert got.problem is None and _files(tmp_path / "out")["a"] == b"x" * 10


def test_read_members_reads_named_files_only(tmp_path: Path) -> None:
    data = _tar(
        ("report/checks.json", None, b"{}"), ("report/other", None, b"no"), ("report/junit.xml", "sym:/etc/passwd", b"")
    )
    assert read_members(_chunks(data), {"checks.json", "junit.xml"}, max_bytes=100) == {"checks.json": "{}"}
