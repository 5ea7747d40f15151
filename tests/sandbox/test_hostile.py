"""Every hostile submission in tests/sandbox/hostile/ is contained, as cases.toml expects."""

from __future__ import annotations

import json
import socket
import stat
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from faultline.harness.sandbox.base import RunResult
from faultline.harness.sandbox.docker import DockerSandbox

from .conftest import HOSTILE, TEST_LIMITS
from .conftest import spec as run_spec

pytestmark = pytest.mark.docker

CASES: dict[str, dict[str, object]] = tomllib.loads((HOSTILE / "cases.toml").read_text())


def test_every_case_folder_has_an_expectation() -> None:
    folders = {p.name for p in HOSTILE.iterdir() if (p / "pipeline" / "__main__.py").exists()}
    assert folders == set(CASES)
    assert len(CASES) >= 30


@pytest.fixture
def listeners(engine: object) -> Iterator[tuple[int, list[str], list[socket.socket]]]:
    """Listeners on this machine's loopback and docker0 gateway: a container with a network
    could reach the gateway one, so a failed connection there shows the isolation."""
    gateway = _interface_address("docker0")
    socks = []
    port = 0
    for host in ("127.0.0.1", gateway):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        port = s.getsockname()[1]
        s.listen(4)
        s.setblocking(False)
        socks.append(s)
    yield port, ["127.0.0.1", gateway], socks
    for s in socks:
        s.close()


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_case(
    case: str,
    sandbox: DockerSandbox,
    datasets: dict[str, Path],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    spec = CASES[case]
    names = list(spec["datasets"])  # type: ignore[call-overload]
    chosen = {n: datasets[n] for n in names}
    extra = CHECKS.get(case)
    if case == "network":
        port, hosts, socks = request.getfixturevalue("listeners")
        (chosen["d1"] / "net.json").write_text(json.dumps({"port": port, "hosts": hosts}))
    workspace = HOSTILE / case
    before = _snapshot(workspace) | _snapshot(tmp_path / "data")
    outputs = tmp_path / "outputs"

    results = sandbox.run_pipeline(run_spec(workspace, chosen), outputs=outputs)

    assert [r.dataset for r in results] == names
    expected = zip(spec["exit"], spec["killed"], spec["outputs"], strict=True)  # type: ignore[call-overload]
    for r, (exit_code, killed, kind) in zip(results, expected, strict=True):
        assert (r.exit_code if r.exit_code is not None else -1) == exit_code, _explain(r)
        assert (r.killed_reason or "") == killed, _explain(r)
        assert r.timed_out == (killed in ("timeout", "deadline"))
        assert len(r.log.encode()) <= TEST_LIMITS.log_bytes + 4096  # + our own notes
        assert r.wall_seconds < TEST_LIMITS.timeout + 10
        _check_outputs(outputs / r.dataset, kind)
    for text in spec["log"]:  # type: ignore[attr-defined]
        assert text in results[0].log, _explain(results[0])
    _assert_only_regular(outputs)
    assert _snapshot(workspace) | _snapshot(tmp_path / "data") == before, "inputs were modified"
    if case == "network":
        for s in socks:
            with pytest.raises(BlockingIOError):
                s.accept()  # nobody ever connected
    if extra:
        extra(results, outputs)


def _interface_address(name: str) -> str:
    import fcntl
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        packed = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name.encode()))  # SIOCGIFADDR
    return socket.inet_ntoa(packed[20:24])


def _explain(r: RunResult) -> str:
    return (
        f"{r.dataset}: exit={r.exit_code} killed={r.killed_reason} wall={r.wall_seconds} log={r.log[-600:]!r}"
    )


def _check_outputs(folder: Path, kind: object) -> None:
    files = sorted(p.name for p in folder.rglob("*")) if folder.exists() else []
    if kind == "features":
        import pandas as pd

        assert "features.parquet" in files
        assert list(pd.read_parquet(folder / "features.parquet").columns) == ["user", "clicks"]
    elif kind == "none":
        assert files == []
    elif kind == "discarded":
        assert not folder.exists()


def _assert_only_regular(root: Path) -> None:
    for path in root.rglob("*"):
        mode = path.lstat().st_mode
        assert stat.S_ISREG(mode) or stat.S_ISDIR(mode), path


def _snapshot(root: Path) -> set[tuple[str, int, int]]:
    return (
        {(str(p), p.lstat().st_size, p.lstat().st_mtime_ns) for p in root.rglob("*")}
        if root.exists()
        else set()
    )


def _env_and_proc(results: list[RunResult], outputs: Path) -> None:
    line = next(line for line in results[0].log.splitlines() if line.startswith("REPORT="))
    report = json.loads(line.removeprefix("REPORT="))
    # Docker always adds HOME, HOSTNAME (and PWD for an exec); the rest is the image's ENV.
    assert set(report["env"]) <= {"PATH", "HOME", "HOSTNAME", "PWD", "LANG", "PYTHONDONTWRITEBYTECODE"}
    assert (report["uid"], report["gid"]) == (10001, 10001)
    assert report["capeff"] == "0000000000000000"
    assert report["nonewprivs"] == "1"
    assert report["setuid"] == "Operation not permitted"
    assert set(report["writes"].values()) == {"Read-only file system"}, report["writes"]


def _search_secrets(results: list[RunResult], outputs: Path) -> None:
    line = next(line for line in results[0].log.splitlines() if line.startswith("LISTING="))
    listing = json.loads(line.removeprefix("LISTING="))
    assert all(v == [] for v in listing.values()), listing  # mount points of the other phase, empty


def _double_fork_daemon(results: list[RunResult], outputs: Path) -> None:
    assert "STRAYS=0" in results[1].log  # d1's daemon did not live into d2's run
    assert results[0].wall_seconds < TEST_LIMITS.timeout  # its open stdout did not hold the run


def _disk_fill_tmp(results: list[RunResult], outputs: Path) -> None:
    assert "TMP-LEFT=0" in results[1].log and "TMP-FULL" in results[1].log


def _huge_output_file(results: list[RunResult], outputs: Path) -> None:
    assert (outputs / "d1" / "huge.bin").stat().st_size <= TEST_LIMITS.output_bytes


def _output_links(results: list[RunResult], outputs: Path) -> None:
    assert sorted(p.name for p in (outputs / "d1").iterdir()) in (
        ["features.parquet"],
        ["features.parquet", "hard.parquet"],
    )
    assert "dropped" in results[0].log


def _kill_everything(results: list[RunResult], outputs: Path) -> None:
    assert results[1].log == ""  # d2 ran cleanly in the same container


def _write_other_dataset(results: list[RunResult], outputs: Path) -> None:
    assert not (outputs / "stray.bin").exists()


def _fake_result_json(results: list[RunResult], outputs: Path) -> None:
    assert not (outputs / "checks.json").exists() and not (outputs / "result.json").exists()


def _thread_bomb(results: list[RunResult], outputs: Path) -> None:
    count = int(results[0].log.split("THREADS-CAPPED=")[1].split()[0])
    assert count < TEST_LIMITS.pids


def _os_exit(results: list[RunResult], outputs: Path) -> None:
    assert "buffered" not in results[0].log


def _empty_folders(results: list[RunResult], outputs: Path) -> None:
    # The entry cap is per submission: d1 used it up, so d2 never started.
    assert results[1].wall_seconds == 0 and "not run" in results[1].log


CHECKS: dict[str, Callable[[list[RunResult], Path], None]] = {
    "env_and_proc": _env_and_proc,
    "search_secrets": _search_secrets,
    "double_fork_daemon": _double_fork_daemon,
    "disk_fill_tmp": _disk_fill_tmp,
    "huge_output_file": _huge_output_file,
    "output_links": _output_links,
    "kill_everything": _kill_everything,
    "write_other_dataset": _write_other_dataset,
    "fake_result_json": _fake_result_json,
    "thread_bomb": _thread_bomb,
    "os_exit_at_import": _os_exit,
    "empty_folders": _empty_folders,
}
