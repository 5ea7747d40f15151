"""Shared fixtures for sandbox tests: a live engine and the image, built once per session.

Docker tests fail (never skip) when CI is set and no engine answers: a CI run that silently
skipped the sandbox would prove nothing about it.

Leftover checks look only at this test session: every container, volume and temporary
folder made while the tests run carries the session id set below (``FAULTLINE_SESSION``,
inherited by the CLI subprocesses too), so gradings of others on the same engine and
machine never make them fail.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from faultline.harness.errors import InfrastructureError
from faultline.harness.image import build_image, docker_client
from faultline.harness.phases import run_spec
from faultline.harness.sandbox.base import Limits, RunSpec
from faultline.harness.sandbox.docker import DockerSandbox
from faultline.harness.sandbox.session import SESSION_ENV, SESSION_LABEL, session_id

HOSTILE = Path(__file__).parent / "hostile"
# The hostile corpus holds a conftest.py that calls os._exit(0): pytest must never collect it.
collect_ignore = ["hostile"]

os.environ.setdefault(SESSION_ENV, f"t{uuid.uuid4().hex[:12]}")
# xdist workers inherit the controller's id: each takes its own, so that one worker's leftover
# checks never see the folders a grading on the other worker has open at that moment.
if (_worker := os.environ.get("PYTEST_XDIST_WORKER")) and not os.environ[SESSION_ENV].endswith(f"-{_worker}"):
    os.environ[SESSION_ENV] = f"{os.environ[SESSION_ENV]}-{_worker}"
SESSION = session_id()
assert SESSION, f"{SESSION_ENV} must be a plain id"

# Small limits so every limit is reached in seconds; the defaults are tested separately.
TEST_LIMITS = Limits(
    timeout=6.0,  # 4 s was too tight for a pandas import on a machine under heavy load
    memory=256 * 1024**2,
    cpus=1.0,
    pids=64,
    log_bytes=64 * 1024,
    output_bytes=8 * 1024**2,  # small files count 4 KiB each: many_small_files hits it in ~2 s
    tmp_bytes=4 * 1024**2,  # below output_bytes, so a full /tmp shows as ENOSPC, not EFBIG
    output_entries=2000,  # reached in well under a second even on a busy disk
    nofile=256,
    # Room for two timeouts plus a fork bomb's cleanup on a loaded machine; the deadline
    # itself is tested with its own, tighter values.
    deadline=20.0,
)


def spec(workspace: Path, datasets: dict[str, Path], limits: Limits = TEST_LIMITS) -> RunSpec:
    """The run phase as grading asks for it."""
    return run_spec(workspace, datasets, limits)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the sandbox cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def engine() -> Any:
    try:
        return docker_client()
    except InfrastructureError as exc:
        _unavailable(str(exc))


@pytest.fixture(scope="session")
def sandbox_image(engine: Any) -> str:
    try:
        return build_image()
    except InfrastructureError as exc:
        _unavailable(str(exc))
        raise


@pytest.fixture
def sandbox(sandbox_image: str, engine: Any) -> Iterator[DockerSandbox]:
    yield DockerSandbox()
    assert_nothing_left(engine)


def ours(engine: Any) -> tuple[list[Any], list[Any]]:
    """This session's containers and volumes (`docker ps -a --filter label=faultline.session=<id>`)."""
    label = f"{SESSION_LABEL}={SESSION}"
    return (
        engine.containers.list(all=True, filters={"label": label}),
        engine.volumes.list(filters={"label": label}),
    )


def assert_nothing_left(engine: Any) -> None:
    """No container or volume of this session may outlive a phase."""
    containers, volumes = ours(engine)
    assert not containers and not volumes, f"left behind: {containers} {volumes}"


def temp_folders() -> set[str]:
    """This session's temporary folders (grading, staging, homes)."""
    return {p.name for p in Path(tempfile.gettempdir()).glob(f"faultline-{SESSION}-*")}


@pytest.fixture
def datasets(tmp_path: Path) -> dict[str, Path]:
    """Two tiny datasets: the sandbox does not care what a pipeline does with them."""
    found = {}
    for name in ("d1", "d2"):
        folder = tmp_path / "data" / name
        folder.mkdir(parents=True)
        (folder / "events.csv").write_text("user,clicks\n1,3\n2,4\n")
        found[name] = folder
    return found
