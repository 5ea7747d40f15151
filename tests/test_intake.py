"""Submissions come in as folders, zips or tarballs; anything unsafe is rejected whole."""

from __future__ import annotations

import io
import logging
import os
import stat
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from faultline.harness.errors import SubmissionRejected, UsageError
from faultline.harness.intake import IntakeLimits, open_submission, take_in

PIPELINE = b"print('hi')\n"


def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _file(name: str) -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), PIPELINE


def _special(name: str, kind: bytes, link: str = "") -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info, None


def _zip(path: Path, entries: dict[str, bytes], *, modes: dict[str, int] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if modes and name in modes:
                info.external_attr = modes[name] << 16
            zf.writestr(info, data)
    return path


# Each hostile archive, made in tmp_path (never committed as a binary), and the words its
# one-line rejection must contain. Expected end-to-end outcome for all: status "rejected".
HOSTILE_ARCHIVES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "tar_dotdot": (
        lambda d: _tar(d / "s.tar.gz", [_file("pipeline/__main__.py"), _file("../evil.py")]),
        "'..'",
    ),
    "tar_deep_dotdot": (lambda d: _tar(d / "s.tar.gz", [_file("pipeline/../../evil.py")]), "'..'"),
    "tar_absolute": (lambda d: _tar(d / "s.tar.gz", [_file("/tmp/evil.py")]), "absolute"),
    "tar_symlink": (
        lambda d: _tar(d / "s.tar.gz", [_special("pipeline/data", tarfile.SYMTYPE, "/etc")]),
        "symlink",
    ),
    "tar_hardlink": (
        lambda d: _tar(d / "s.tar.gz", [_special("pipeline/pw", tarfile.LNKTYPE, "/etc/passwd")]),
        "hard link",
    ),
    "tar_device": (lambda d: _tar(d / "s.tar.gz", [_special("pipeline/null", tarfile.CHRTYPE)]), "device"),
    "tar_fifo": (lambda d: _tar(d / "s.tar.gz", [_special("pipeline/fifo", tarfile.FIFOTYPE)]), "fifo"),
    "tar_link_then_write_through": (
        lambda d: _tar(
            d / "s.tar.gz", [_special("pipeline", tarfile.SYMTYPE, "/tmp"), _file("pipeline/evil.py")]
        ),
        "symlink",
    ),
    "zip_dotdot": (lambda d: _zip(d / "s.zip", {"../evil.py": PIPELINE}), "'..'"),
    "zip_absolute": (lambda d: _zip(d / "s.zip", {"/etc/evil.py": PIPELINE}), "absolute"),
    "zip_backslash": (lambda d: _zip(d / "s.zip", {"..\\evil.py": PIPELINE}), "backslash"),
    "zip_symlink": (
        lambda d: _zip(
            d / "s.zip", {"pipeline/x": b"/etc/passwd"}, modes={"pipeline/x": stat.S_IFLNK | 0o777}
        ),
        "symlink",
    ),
    "zip_bomb": (lambda d: _zip(d / "s.zip", {"pipeline/big.bin": b"\0" * (64 * 1024 * 1024)}), "ratio"),
    "zip_duplicate": (
        lambda d: _zip(d / "s.zip", {"pipeline/a.py": PIPELINE, "pipeline/./a.py": PIPELINE}),
        "duplicate",
    ),
    "not_an_archive": (
        lambda d: (d / "s.rar").write_bytes(b"Rar!\x1a\x07\x00junk") and d / "s.rar",
        "unsupported",
    ),
    "truncated_tar": (
        lambda d: (d / "s.tar.gz").write_bytes(b"\x1f\x8b\x08\x00garbage") and d / "s.tar.gz",
        "unreadable",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ARCHIVES))
def test_hostile_archive_is_rejected(case: str, tmp_path: Path) -> None:
    make, words = HOSTILE_ARCHIVES[case]
    src = tmp_path / "in"
    src.mkdir()
    archive = make(src)
    dest = tmp_path / "ws"
    with pytest.raises(SubmissionRejected, match=words) as caught:
        open_submission(archive, dest)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "evil.py").exists() and not Path("/tmp/evil.py").exists()


def test_tar_gz_bomb_is_rejected(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "s.tar.gz", [(tarfile.TarInfo("pipeline/big.bin"), b"\0" * (32 * 1024 * 1024))])
    with pytest.raises(SubmissionRejected, match="ratio"):
        open_submission(archive, tmp_path / "ws")


def test_lying_zip_sizes_are_caught_as_read(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "s.zip", {"pipeline/a.bin": os.urandom(200_000)})
    with pytest.raises(SubmissionRejected, match="bytes"):
        open_submission(archive, tmp_path / "ws", IntakeLimits(max_bytes=100_000))


def test_entry_count_is_capped(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "s.zip", {f"pipeline/f{i}.py": b"" for i in range(20)})
    with pytest.raises(SubmissionRejected, match="entries"):
        open_submission(archive, tmp_path / "ws", IntakeLimits(max_entries=10))


def test_zip_with_single_top_folder(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "s.zip",
        {"cand/pipeline/__main__.py": PIPELINE, "cand/README.md": b"x", "__MACOSX/._cand": b""},
    )
    root = open_submission(archive, tmp_path / "ws")
    assert root == tmp_path / "ws" / "cand"
    assert (root / "pipeline" / "__main__.py").read_bytes() == PIPELINE


def test_tar_gz_at_root(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "s.tar.gz", [(tarfile.TarInfo("./pipeline/__main__.py"), PIPELINE)])
    root = open_submission(archive, tmp_path / "ws")
    assert root == tmp_path / "ws" and (root / "pipeline" / "__main__.py").exists()


def test_folder_is_copied_with_plain_modes(tmp_path: Path) -> None:
    src = tmp_path / "sub"
    (src / "pipeline").mkdir(parents=True)
    (src / "pipeline" / "__main__.py").write_bytes(PIPELINE)
    (src / "pipeline" / "__main__.py").chmod(0o700)
    root = open_submission(src, tmp_path / "ws")
    copied = root / "pipeline" / "__main__.py"
    assert copied.read_bytes() == PIPELINE and stat.S_IMODE(copied.stat().st_mode) == 0o644


def test_folder_with_symlink_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "sub"
    (src / "pipeline").mkdir(parents=True)
    (src / "pipeline" / "data").symlink_to("/etc")
    with pytest.raises(SubmissionRejected, match="symlink"):
        open_submission(src, tmp_path / "ws")


def test_folder_with_fifo_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "sub"
    (src / "pipeline").mkdir(parents=True)
    os.mkfifo(src / "pipeline" / "fifo")
    with pytest.raises(SubmissionRejected, match="not a regular file"):
        open_submission(src, tmp_path / "ws")


def test_missing_pipeline_is_not_rejected(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "s.zip", {"notes.txt": b"forgot the code"})
    assert open_submission(archive, tmp_path / "ws") == tmp_path / "ws"


def test_missing_submission_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        open_submission(tmp_path / "nope.zip", tmp_path / "ws")


def test_tool_folders_are_left_out(tmp_path: Path) -> None:
    # A candidate who ran `make setup` and `make test` sends back a venv full of links.
    src = tmp_path / "ws"
    (src / "pipeline").mkdir(parents=True)
    (src / "pipeline" / "__main__.py").write_text("print('hi')\n")
    (src / ".venv" / "bin").mkdir(parents=True)
    os.symlink("/usr/bin/python3", src / ".venv" / "bin" / "python")
    (src / "pipeline" / "__pycache__").mkdir()
    (src / "pipeline" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (src / ".git").mkdir()
    (src / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    root = open_submission(src, tmp_path / "out")
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    assert names == ["pipeline", "pipeline/__main__.py"]

    archive = _zip(tmp_path / "s.zip", {
        "ws/pipeline/__main__.py": b"print('hi')\n",
        "ws/.venv/lib/site.py": b"x",
        "ws/.venv/bin/python": b"/usr/bin/python3",
    }, modes={"ws/.venv/bin/python": stat.S_IFLNK | 0o777})
    root = open_submission(archive, tmp_path / "out2")
    assert sorted(p.name for p in root.rglob("*")) == ["__main__.py", "pipeline"]


def test_escape_is_refused_even_inside_a_tool_folder(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "s.zip", {"pipeline/__main__.py": b"", ".venv/../../evil": b"x"})
    with pytest.raises(SubmissionRejected, match=r"\.\."):
        open_submission(archive, tmp_path / "out")


# --- where the workspace is: one pipeline/ at any depth ------------------------------------

def test_pipeline_found_at_any_depth(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "s.zip", {"a/b/pipeline/__main__.py": PIPELINE, "a/b/README.md": b"x",
                                        "a/notes.txt": b"y"})
    assert take_in(archive, tmp_path / "ws").root == tmp_path / "ws" / "a" / "b"
    tar = _tar(tmp_path / "s.tar.gz", [_file("x/y/z/pipeline/cli.py")])
    assert take_in(tar, tmp_path / "ws2").root == tmp_path / "ws2" / "x" / "y" / "z"


def test_only_python_packages_named_pipeline_count(tmp_path: Path) -> None:
    # A docs folder named pipeline, and a subpackage named pipeline, are not other submissions.
    archive = _zip(tmp_path / "s.zip", {
        "ws/pipeline/__main__.py": PIPELINE,
        "ws/pipeline/pipeline/steps.py": PIPELINE,
        "ws/docs/pipeline/diagram.svg": b"<svg/>",
    })
    assert take_in(archive, tmp_path / "out").root == tmp_path / "out" / "ws"


def test_several_submissions_are_rejected_by_name(tmp_path: Path) -> None:
    src = tmp_path / "round"
    for who in ("alice", "bob", "carol/v2"):
        (src / who / "pipeline").mkdir(parents=True)
        (src / who / "pipeline" / "__main__.py").write_bytes(PIPELINE)
    with pytest.raises(SubmissionRejected) as caught:
        take_in(src, tmp_path / "ws")
    message = str(caught.value)
    assert "found 3 pipeline/ packages" in message and "\n" not in message
    for name in ("alice/pipeline/", "bob/pipeline/", "carol/v2/pipeline/"):
        assert name in message


# --- links: skipped with a warning inside the tree, rejected when they point out --------------

def _folder_with_link(tmp_path: Path, target: str, at: str = "pipeline/util.py") -> Path:
    src = tmp_path / "sub"
    (src / "pipeline").mkdir(parents=True)
    (src / "pipeline" / "__main__.py").write_bytes(PIPELINE)
    (src / "pipeline" / "helpers.py").write_bytes(PIPELINE)
    (src / at).symlink_to(target)
    return src


def _links_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_symlink()]


@pytest.mark.parametrize("target", ["helpers.py", "../pipeline/helpers.py", "{src}/pipeline/helpers.py", "missing.py"])
def test_folder_link_inside_is_skipped_with_a_warning(target: str, tmp_path: Path) -> None:
    src = _folder_with_link(tmp_path, target.replace("{src}", str(tmp_path / "sub")))
    taken = take_in(src, tmp_path / "ws")
    assert sorted(p.name for p in (taken.root / "pipeline").iterdir()) == ["__main__.py", "helpers.py"]
    assert _links_in(taken.root) == []
    assert len(taken.warnings) == 1 and "skipped symlink 'pipeline/util.py'" in taken.warnings[0]


@pytest.mark.parametrize("target", ["../../outside.py", "/etc/passwd", "../.."])
def test_folder_link_outside_is_rejected(target: str, tmp_path: Path) -> None:
    (tmp_path / "outside.py").write_bytes(PIPELINE)
    src = _folder_with_link(tmp_path, target)
    with pytest.raises(SubmissionRejected, match="points outside the submission"):
        take_in(src, tmp_path / "ws")


def test_archive_links_inside_are_skipped_outside_rejected(tmp_path: Path) -> None:
    link = stat.S_IFLNK | 0o777
    inside = _zip(tmp_path / "in.zip", {"w/pipeline/__main__.py": PIPELINE, "w/pipeline/x.py": b"__main__.py"},
                  modes={"w/pipeline/x.py": link})
    taken = take_in(inside, tmp_path / "ws1")
    assert taken.root == tmp_path / "ws1" / "w" and not (taken.root / "pipeline" / "x.py").exists()
    assert taken.warnings == ("skipped symlink 'w/pipeline/x.py' -> '__main__.py' "
                              "(links are not taken in; send the file)",)
    outside = _zip(tmp_path / "out.zip", {"w/pipeline/x.py": b"../../../etc/passwd"}, modes={"w/pipeline/x.py": link})
    with pytest.raises(SubmissionRejected, match="points outside"):
        take_in(outside, tmp_path / "ws2")

    tar_inside = _tar(tmp_path / "in.tar.gz", [_file("pipeline/__main__.py"),
                                               _special("pipeline/lib", tarfile.SYMTYPE, "../pipeline")])
    taken = take_in(tar_inside, tmp_path / "ws3")
    assert taken.root == tmp_path / "ws3" and len(taken.warnings) == 1 and _links_in(taken.root) == []
    tar_outside = _tar(tmp_path / "out.tar.gz", [_special("a/pipeline", tarfile.SYMTYPE, "../../x")])
    with pytest.raises(SubmissionRejected, match="points outside"):
        take_in(tar_outside, tmp_path / "ws4")


def test_writing_through_a_skipped_link_stays_a_plain_folder(tmp_path: Path) -> None:
    # The link is skipped, so the later entry beneath its name makes a real folder, not a write through.
    archive = _tar(tmp_path / "s.tar.gz", [
        _special("pipeline/lib", tarfile.SYMTYPE, "../data"), _file("pipeline/lib/evil.py"), _file("pipeline/a.py"),
    ])
    taken = take_in(archive, tmp_path / "ws")
    assert (taken.root / "pipeline" / "lib" / "evil.py").is_file()
    assert _links_in(taken.root) == [] and not (taken.root / "data").exists()


def test_a_flood_of_links_is_counted_not_listed(tmp_path: Path) -> None:
    link = stat.S_IFLNK | 0o777
    entries = {f"pipeline/l{i:02}.py": b"__main__.py" for i in range(30)}
    archive = _zip(tmp_path / "s.zip", {"pipeline/__main__.py": PIPELINE, **entries},
                   modes=dict.fromkeys(entries, link))
    taken = take_in(archive, tmp_path / "ws")
    assert len(taken.warnings) == 21 and taken.warnings[-1] == "and 10 more links skipped"
    with pytest.raises(SubmissionRejected, match="entries"):  # links count against the entry cap
        take_in(archive, tmp_path / "ws2", IntakeLimits(max_entries=20))


def test_open_submission_logs_the_warnings(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    src = _folder_with_link(tmp_path, "helpers.py")
    with caplog.at_level(logging.WARNING, logger="faultline.harness.intake"):
        root = open_submission(src, tmp_path / "ws")
    assert root == tmp_path / "ws"
    assert [r.getMessage() for r in caplog.records] == [
        "submission: skipped symlink 'pipeline/util.py' -> 'helpers.py' (links are not taken in; send the file)"
    ]
