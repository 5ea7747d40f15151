"""Output caps on the host: a bounded look (measure) and the local sandbox's pruning. No Docker."""
from __future__ import annotations

import os
import time
from pathlib import Path

from faultline.harness.sandbox.collect import OutputCaps, measure, prune_outputs

CAPS = OutputCaps(max_bytes=100_000, max_entries=50, max_depth=4, seconds=5.0)  # a small file takes 4 KiB


def _deep(root: Path, levels: int, name: str = "d" * 200) -> None:
    """``levels`` nested folders, made with relative steps: the full path is past PATH_MAX."""
    root.mkdir(parents=True, exist_ok=True)
    here = os.open(root, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=here)
            nxt = os.open(name, os.O_RDONLY, dir_fd=here)
            os.close(here)
            here = nxt
    finally:
        os.close(here)


def test_within_the_caps(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f").write_bytes(b"x" * 10)
    usage = measure(tmp_path, CAPS)
    assert usage.problem is None and usage.entries == 3 and usage.bytes >= 10


def test_a_deep_folder_is_refused_at_once(tmp_path: Path) -> None:
    _deep(tmp_path / "out", 400)
    began = time.monotonic()
    usage = measure(tmp_path / "out", CAPS)
    assert usage.problem == "folders nested deeper than 4 levels"
    assert usage.entries <= 6 and time.monotonic() - began < 0.5


def test_depth_offset_for_a_folder_of_datasets(tmp_path: Path) -> None:
    _deep(tmp_path / "d1", 4, name="x")  # d1 at depth 0 below the volume, 4 levels inside it
    assert measure(tmp_path, CAPS, depth_offset=-1).problem is None
    assert measure(tmp_path, CAPS).problem == "folders nested deeper than 4 levels"


def test_entry_and_byte_caps(tmp_path: Path) -> None:
    for i in range(51):
        (tmp_path / f"e{i}").mkdir()
    assert measure(tmp_path, CAPS).problem == "more than 50 files and folders"
    other = tmp_path.parent / (tmp_path.name + "-bytes")
    other.mkdir()
    (other / "big").write_bytes(b"x" * 100_001)
    assert measure(other, CAPS).problem == "more than 100000 bytes"


def test_sparse_files_count_their_size(tmp_path: Path) -> None:
    with open(tmp_path / "sparse", "wb") as f:
        f.truncate(10**6)  # no blocks on disk, a megabyte once copied
    assert measure(tmp_path, CAPS).problem == "more than 100000 bytes"


def test_the_time_cap_holds(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"e{i}").mkdir()
    usage = measure(tmp_path, OutputCaps(max_bytes=1000, seconds=0.0))
    assert usage.problem == "listing the output took over 0 s"


def test_prune_drops_links_and_specials_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / "f.parquet").write_bytes(b"x")
    (out / "passwd").symlink_to("/etc/passwd")
    (out / "up").symlink_to("..")
    os.mkfifo(out / "fifo")
    assert prune_outputs(out, CAPS) is None
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == ["sub", "sub/f.parquet"]
    assert Path("/etc/passwd").exists()


def test_prune_discards_everything_over_a_cap(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "keep").mkdir(parents=True)
    _deep(out / "keep", 400)
    began = time.monotonic()
    assert prune_outputs(out, CAPS) == "folders nested deeper than 4 levels"
    assert out.is_dir() and list(out.iterdir()) == [] and time.monotonic() - began < 2
