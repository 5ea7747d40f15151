"""Shared fixtures for sandbox tests: a live engine and the image, built once per session.

Docker tests fail (never skip) when CI is set and no engine answers: a CI run that silently
skipped the sandbox would prove nothing about it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from faultline.harness.errors import InfrastructureError
from faultline.harness.image import build_image, docker_client
from faultline.harness.sandbox.base import Limits
from faultline.harness.sandbox.docker import DockerSandbox

HOSTILE = Path(__file__).parent / "hostile"
# The hostile corpus holds a conftest.py that calls os._exit(0): pytest must never collect it.
collect_ignore = ["hostile"]

# Small limits so every limit is reached in seconds; the defaults are tested separately.
TEST_LIMITS = Limits(
    timeout=4.0,
    memory=256 * 1024**2,
    cpus=1.0,
    pids=64,
    log_bytes=64 * 1024,
    output_bytes=8 * 1024**2,  # small files count 4 KiB each: many_small_files hits it in ~2 s
    tmp_bytes=4 * 1024**2,  # below output_bytes, so a full /tmp shows as ENOSPC, not EFBIG
    nofile=256,
)


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


def assert_nothing_left(engine: Any) -> None:
    """No container or volume of ours may outlive a phase (`docker ps -a --filter label=faultline`)."""
    containers = engine.containers.list(all=True, filters={"label": "faultline"})
    volumes = engine.volumes.list(filters={"label": "faultline"})
    assert not containers and not volumes, f"left behind: {containers} {volumes}"


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
