"""Small helpers around the Docker engine: errors, exit codes, kills and removal."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from faultline.harness.errors import InfrastructureError
from faultline.harness.image import ENGINE_HINT

WAIT_SECONDS = 30.0  # for a container that was just killed or has exited to report its code


@contextlib.contextmanager
def engine_errors() -> Iterator[None]:
    """An engine that fails mid-phase is infrastructure trouble, never the candidate's zero."""
    import docker.errors
    import requests

    try:
        yield
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        text = str(exc).strip().splitlines()
        raise InfrastructureError(
            f"the Docker engine failed mid-run ({text[0][:200] if text else exc!r}): {ENGINE_HINT}"
        ) from exc


def container_exit_code(container: Any) -> int | None:
    try:
        return int(container.wait(timeout=WAIT_SECONDS)["StatusCode"])
    except Exception:
        return None


def hard_kill(container: Any) -> None:
    with contextlib.suppress(Exception):
        container.kill()


def remove(container: Any | None, volume: Any | None) -> None:
    """Remove what a phase created; runs in ``finally``, also on KeyboardInterrupt."""
    if container is not None:
        with contextlib.suppress(Exception):
            container.remove(force=True)
    if volume is not None:
        with contextlib.suppress(Exception):
            volume.remove(force=True)
