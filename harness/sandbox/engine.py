"""Small helpers around the Docker engine: errors, exit codes, kills and removal."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from faultline.harness.errors import InfrastructureError
from faultline.harness.image import ENGINE_HINT
from faultline.harness.sandbox.session import OWNER_LABEL, orphaned

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


def reap_orphans(client: Any) -> int:
    """Remove containers and volumes whose grading process was killed before it could.

    Only what this host made, by a process id that no longer exists: a grading still running
    elsewhere, or on another host sharing the engine, is never touched. Returns how many.
    """
    removed = 0
    for container in client.containers.list(all=True, filters={"label": "faultline=1"}):
        if orphaned(container.labels.get(OWNER_LABEL, "")):
            remove(container, None)
            removed += 1
    for volume in client.volumes.list(filters={"label": "faultline=1"}):
        if orphaned((volume.attrs.get("Labels") or {}).get(OWNER_LABEL, "")):
            remove(None, volume)
            removed += 1
    return removed
