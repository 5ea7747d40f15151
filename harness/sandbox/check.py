"""The Docker check phase: the trusted graders in a container of their own.

The container starts alongside the run phase and imports pandas and pytest while the
candidate's code runs; it reads no output before ``release()`` links the finished outputs
into its (read-only) folder and creates the spec's ``ready`` file in a second read-only
folder it polls. Only the report folder is writable, and only the named files come back.
"""
from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path, PurePosixPath
from typing import Any

from faultline.harness.image import docker_client, require_image
from faultline.harness.sandbox.archive import read_members
from faultline.harness.sandbox.base import CheckRun, CheckSpec
from faultline.harness.sandbox.engine import container_exit_code, engine_errors, hard_kill, remove
from faultline.harness.sandbox.execs import watch
from faultline.harness.sandbox.hardening import RUNNER, hardening
from faultline.harness.sandbox.session import labels, temp_prefix
from faultline.harness.sandbox.staging import container_path, publish, readable

REPORT_BYTES = 16 * 1024 * 1024  # per report file


class WarmCheck:
    """The check container, started early and released once the outputs are complete."""

    def __init__(self, image: str | None, spec: CheckSpec, outputs: Path) -> None:
        self._image, self._spec, self._outputs = image, spec, outputs
        # Checked here, on the caller's thread: a bad spec is a bug in grading, said at once.
        self._targets = [container_path(m.target) for m in spec.mounts]
        self._ready_file = container_path(spec.ready) if spec.ready else None
        if self._ready_file and PurePosixPath(self._ready_file).parent == PurePosixPath("/"):
            raise ValueError(f"the ready file {spec.ready!r} needs a folder of its own")
        self._tmp = tempfile.TemporaryDirectory(prefix=temp_prefix("stage"))
        staging = Path(self._tmp.name)
        self._published = staging / "outputs"  # what the graders see at spec.outputs
        self._ready = staging / "ready"  # where the go signal appears
        for folder in (self._published, self._ready):
            folder.mkdir()
            folder.chmod(0o755)
        self._container: Any = None
        self._volume: Any = None
        self._error: BaseException | None = None
        self._released = False
        self._gone = False
        # Creating and starting a container is a few engine round trips: off the critical path.
        self._thread = threading.Thread(target=self._create, name="faultline-check-start", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _create(self) -> None:
        spec = self._spec
        try:
            with engine_errors():
                client = docker_client()
                image = self._image or require_image(client)
                staging = Path(self._tmp.name)
                volumes: dict[str, dict[str, str]] = {
                    str(self._published): {"bind": container_path(spec.outputs), "mode": "ro"},
                }
                if self._ready_file:
                    volumes[str(self._ready)] = {"bind": str(PurePosixPath(self._ready_file).parent), "mode": "ro"}
                for mount, target in zip(spec.mounts, self._targets, strict=True):
                    copy = staging / "copies" / mount.target
                    volumes[str(readable(mount.source, copy))] = {"bind": target, "mode": "ro"}
                self._volume = client.volumes.create(labels=labels())
                volumes[self._volume.name] = {"bind": container_path(spec.report), "mode": "rw"}
                self._container = client.containers.create(
                    image,
                    command=list(spec.command),
                    user=RUNNER,
                    working_dir="/",  # the spec's paths are relative to the sandbox's root
                    volumes=volumes,
                    **hardening(spec.limits),
                )
                self._container.start()
        except BaseException as exc:  # re-raised on the caller's thread by release()
            self._error = exc

    def release(self) -> CheckRun:
        if self._released:
            raise RuntimeError("the check phase runs once")
        self._released = True
        self._thread.join()
        if self._error is not None:
            raise self._error
        container, limits = self._container, self._spec.limits
        with engine_errors():
            self.go()
            started = time.monotonic()
            ran = watch(
                container.logs(stream=True, follow=True),
                started=started,
                deadline=started + limits.timeout,
                log_bytes=limits.log_bytes,
                kill=lambda _: hard_kill(container),
                exit_code=lambda: container_exit_code(container),
            )
            chunks, _ = container.get_archive(container_path(self._spec.report))
            reports = read_members(chunks, set(self._spec.report_files), max_bytes=REPORT_BYTES)
        log = ran.output
        if ran.killed_reason:
            log += f"\n[faultline] graders killed: {ran.killed_reason}\n"
        return CheckRun(
            reports=reports,
            exit_code=None if ran.killed_reason else ran.exit_code,
            wall_seconds=round(ran.duration, 3),
            log=log,
            killed_reason=ran.killed_reason,
        )

    def go(self) -> None:
        """Show the graders the outputs, then signal them (in that order: never half of them)."""
        if not self._gone:
            self._gone = True
            publish(self._outputs, self._published)
            if self._ready_file:
                (self._ready / PurePosixPath(self._ready_file).name).touch()

    def close(self) -> None:
        self._thread.join()  # a container still being created would otherwise escape removal
        remove(self._container, self._volume)
        self._tmp.cleanup()
