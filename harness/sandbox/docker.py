"""The hardened sandbox: candidate code and graders each run in a locked-down container.

``run.py`` is the run phase (one container per submission), ``check.py`` the check phase
(the graders' own container, started early), ``hardening.py`` the settings both share and
``engine.py`` the helpers around the engine. This module ties them to the Sandbox protocol.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from faultline.harness.image import docker_client, require_image
from faultline.harness.sandbox.base import CheckRun, CheckSpec, RunResult, RunSpec
from faultline.harness.sandbox.check import WarmCheck
from faultline.harness.sandbox.engine import engine_errors, remove
from faultline.harness.sandbox.hardening import KEEPER, hardening
from faultline.harness.sandbox.run import RunPhase, check_names
from faultline.harness.sandbox.session import labels, temp_prefix
from faultline.harness.sandbox.staging import readable


class DockerSandbox:
    name = "docker"

    def __init__(self, *, image: str | None = None) -> None:
        self.image = image  # None: the current faultline-sandbox image, checked at each use
        # Inside check_phase(), the run container is removed on a thread while graders work;
        # the phase's exit waits for it, so nothing outlives the grading. Hence one grading at
        # a time per instance (make_sandbox gives each grading its own).
        self._deferred: list[threading.Thread] | None = None

    def run_pipeline(self, spec: RunSpec, *, outputs: Path) -> list[RunResult]:
        check_names(spec)
        client = docker_client()
        image = self.image or require_image(client)
        outputs.mkdir(parents=True, exist_ok=True)
        container = volume = None
        with tempfile.TemporaryDirectory(prefix=temp_prefix("stage")) as tmp, engine_errors():
            staging = Path(tmp)
            volumes = {str(readable(spec.workspace, staging / "workspace")): {"bind": "/work", "mode": "ro"}}
            for name, path in spec.datasets.items():
                volumes[str(readable(path, staging / "data" / name))] = {"bind": f"/data/{name}", "mode": "ro"}
            try:
                volume = client.volumes.create(labels=labels())
                volumes[volume.name] = {"bind": "/out", "mode": "rw"}
                container = client.containers.create(
                    image,
                    command=["sleep", "infinity"],
                    user=KEEPER,
                    working_dir="/work",
                    volumes=volumes,
                    **hardening(spec.limits),
                )
                phase = RunPhase(container, volume, spec)
                return phase.collect(phase.run_all(), outputs)
            finally:
                self._remove(container, volume)

    def run_graders(self, spec: CheckSpec, *, outputs: Path) -> CheckRun:
        check = WarmCheck(self.image, spec, outputs)
        try:
            check.go()  # outputs are complete already: graders that never wait see them too
            check.start()
            return check.release()
        finally:
            check.close()

    @contextlib.contextmanager
    def check_phase(self, spec: CheckSpec, *, outputs: Path) -> Iterator[WarmCheck]:
        check = WarmCheck(self.image, spec, outputs)
        deferred: list[threading.Thread] = []
        self._deferred = deferred
        try:
            check.start()
            yield check
        finally:
            self._deferred = None
            check.close()
            for thread in deferred:
                thread.join()

    def _remove(self, container: Any | None, volume: Any | None) -> None:
        if self._deferred is None:
            remove(container, volume)
            return
        thread = threading.Thread(target=remove, args=(container, volume), name="faultline-remove", daemon=True)
        thread.start()
        self._deferred.append(thread)
