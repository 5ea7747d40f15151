"""The hardened sandbox: candidate code and graders each run in a locked-down container.

Run phase: one container per submission, its datasets run one after another as ``docker
exec`` calls (the container starts once). The container's own process is a sleeper owned by
``keeper``; candidate code runs as ``runner``, so ``kill -9 -1`` as runner ends every
candidate process (daemons included) between runs without ending the container, and the
host times, logs and kills each run itself: nothing the candidate prints is trusted.
Outputs go to a disk-backed volume (the archive API cannot see tmpfs) and come back through
``get_archive`` into ``harness.sandbox.archive``, which keeps regular files only.

Check phase: a second container runs the trusted graders over the outputs with only the
parts of the key they need; only it writes the report. Inside ``check_phase()`` that
container starts alongside the run phase and imports pandas and pytest while the candidate's
code runs; it reads no output before ``release()`` links the finished outputs into its
(read-only) folder and drops a marker into a second read-only folder it polls.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from faultline.harness.errors import InfrastructureError
from faultline.harness.image import ENGINE_HINT, docker_client, require_image
from faultline.harness.sandbox.archive import extract_tops, read_members
from faultline.harness.sandbox.base import CheckRun, Limits, RunResult
from faultline.harness.sandbox.cgroup import PeakMemory
from faultline.harness.sandbox.watchdog import Watchdog

LABELS = {"faultline": "1"}
RUNNER = "10001:10001"  # runs candidate code and graders
KEEPER = "10002:10002"  # owns the run container's sleeper; runner cannot signal it
MAX_OUTPUT_FILES = 10_000  # per submission; many-small-files is a limit, not a disk fill
REPORT_BYTES = 16 * 1024 * 1024  # checks.json and junit.xml each
KILL_GRACE = 5.0  # seconds a kill may take before the container itself is killed
DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
KEY_PARTS = ("variant.json", "expected", "footprints", "fault_values")  # never hidden/ or solution/
READY = "/ready/go"  # the check container's go signal; /ready is a read-only bind mount
RUN_SCRIPT = 'mkdir -p "/out/$1" && exec python -m pipeline --input "/data/$1" --output "/out/$1"'
# Runs as runner: kill(-1) spares the caller, PID 1 and keeper; a fork bomb may outrun one
# pass, hence three. /tmp is emptied so one dataset's leftovers never reach the next.
CLEAN_SCRIPT = "kill -9 -1; kill -9 -1; kill -9 -1; rm -rf /tmp/* /tmp/.[!.]* /tmp/..?* 2>/dev/null; true"


def hardening(limits: Limits) -> dict[str, Any]:
    """Container settings shared by both phases."""
    from docker.types import LogConfig, Ulimit

    return {
        "network_mode": "none",
        "read_only": True,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "environment": {},
        "init": True,  # reaps orphans left by double-forking candidates
        "pids_limit": limits.pids,
        "mem_limit": limits.memory,
        "memswap_limit": limits.memory,  # unset, the container could use as much swap again
        "nano_cpus": int(limits.cpus * 1e9),
        "tmpfs": {"/tmp": f"rw,nosuid,nodev,size={limits.tmp_bytes},mode=1777"},
        "ulimits": [
            Ulimit(name="fsize", soft=limits.output_bytes, hard=limits.output_bytes),
            Ulimit(name="nofile", soft=limits.nofile, hard=limits.nofile),
        ],
        "hostname": "sandbox",
        "labels": LABELS,
        # We stream and cap logs ourselves; this only bounds the engine's own copy on disk.
        "log_config": LogConfig(type="json-file", config={"max-size": "1m", "max-file": "1"}),
    }


class DockerSandbox:
    name = "docker"

    def __init__(self, *, image: str | None = None) -> None:
        self.image = image  # None: the current faultline-sandbox image, checked at each use
        # Inside check_phase(), the run container is removed on a thread while graders work;
        # the phase's exit waits for it, so nothing outlives the grading. Hence one grading at
        # a time per instance (make_sandbox gives each grading its own).
        self._deferred: list[threading.Thread] | None = None

    def run_pipeline(
        self, *, workspace: Path, datasets: dict[str, Path], outputs: Path, limits: Limits
    ) -> list[RunResult]:
        for name in datasets:
            if not DATASET_NAME.match(name):
                raise ValueError(f"dataset name {name!r} is not a plain file name")
        client = docker_client()
        image = self.image or require_image(client)
        outputs.mkdir(parents=True, exist_ok=True)
        container = volume = None
        with tempfile.TemporaryDirectory(prefix="faultline-stage-") as tmp, _engine_errors():
            staging = Path(tmp)
            volumes = {
                str(readable(workspace, staging / "workspace")): {"bind": "/work", "mode": "ro"},
            }
            for name, path in datasets.items():
                volumes[str(readable(path, staging / "data" / name))] = {
                    "bind": f"/data/{name}",
                    "mode": "ro",
                }
            try:
                volume = client.volumes.create(labels=LABELS)
                volumes[volume.name] = {"bind": "/out", "mode": "rw"}
                container = client.containers.create(
                    image,
                    command=["sleep", "infinity"],
                    user=KEEPER,
                    working_dir="/work",
                    volumes=volumes,
                    **hardening(limits),
                )
                runs = _Runs(client, container, volume, limits, last=list(datasets)[-1:])
                results = [runs.run(name) for name in datasets]
                return runs.collect(results, outputs)
            finally:
                self._remove(container, volume)

    def run_graders(self, *, graders: Path, key: Path, outputs: Path, limits: Limits) -> CheckRun:
        check = _WarmCheck(self.image, graders, key, outputs, limits)
        try:
            check.go()  # outputs are complete already: graders that never wait see them too
            check.start()
            return check.release()
        finally:
            check.close()

    @contextlib.contextmanager
    def check_phase(
        self, *, graders: Path, key: Path, outputs: Path, limits: Limits
    ) -> Iterator[_WarmCheck]:
        check = _WarmCheck(self.image, graders, key, outputs, limits)
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
        thread = threading.Thread(
            target=remove, args=(container, volume), name="faultline-remove", daemon=True
        )
        thread.start()
        self._deferred.append(thread)


class _WarmCheck:
    """The check container, started early and released once the outputs are complete."""

    def __init__(self, image: str | None, graders: Path, key: Path, outputs: Path, limits: Limits) -> None:
        self._image = image
        self._graders, self._key, self._outputs, self._limits = graders, key, outputs, limits
        self._tmp = tempfile.TemporaryDirectory(prefix="faultline-stage-")
        staging = Path(self._tmp.name)
        self._published = staging / "outputs"  # what the graders see at /outputs
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
        try:
            with _engine_errors():
                client = docker_client()
                image = self._image or require_image(client)
                staging = Path(self._tmp.name)
                volumes = {
                    str(readable(self._graders, staging / "graders")): {"bind": "/graders", "mode": "ro"},
                    str(self._published): {"bind": "/outputs", "mode": "ro"},
                    str(self._ready): {"bind": "/ready", "mode": "ro"},
                }
                for part in KEY_PARTS:
                    if (self._key / part).exists():
                        volumes[str(readable(self._key / part, staging / "key" / part))] = {
                            "bind": f"/key/{part}",
                            "mode": "ro",
                        }
                command = [
                    "python", "-I", "/graders/run.py", "--key", "/key", "--outputs", "/outputs",
                    "--wait-for", READY, "--report", "/report/checks.json", "--junit", "/report/junit.xml",
                ]
                self._volume = client.volumes.create(labels=LABELS)
                volumes[self._volume.name] = {"bind": "/report", "mode": "rw"}
                self._container = client.containers.create(
                    image,
                    command=command,
                    user=RUNNER,
                    working_dir="/tmp",
                    volumes=volumes,
                    **hardening(self._limits),
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
        container, limits = self._container, self._limits
        with _engine_errors():
            self.go()
            start = time.monotonic()
            dog = Watchdog(
                deadline=start + check_timeout(limits), kill=lambda _: _hard_kill(container)
            ).start()
            try:
                log, _ = read_capped(container.logs(stream=True, follow=True), limits.log_bytes, dog)
            finally:
                dog.stop()
            exit_code = _exit_code(container)
            wall = time.monotonic() - start
            chunks, _ = container.get_archive("/report")
            report = read_members(chunks, {"checks.json", "junit.xml"}, max_bytes=REPORT_BYTES)
        if dog.reason:
            log += f"\n[faultline] graders killed: {dog.reason}\n"
        return CheckRun(
            report_json=report.get("checks.json", ""),
            junit_xml=report.get("junit.xml", ""),
            exit_code=exit_code,
            wall_seconds=round(wall, 3),
            log=log,
        )

    def go(self) -> None:
        """Show the graders the outputs, then signal them (in that order: never half of them)."""
        if not self._gone:
            self._gone = True
            publish(self._outputs, self._published)
            (self._ready / "go").touch()

    def close(self) -> None:
        self._thread.join()  # a container still being created would otherwise escape removal
        remove(self._container, self._volume)
        self._tmp.cleanup()


def publish(outputs: Path, dest: Path) -> None:
    """Put the regular files under ``outputs`` into ``dest``, readable by the graders' user.

    Hard links where the file is already world-readable (no copying), copies otherwise;
    anything but folders and regular files is left out.
    """
    if not outputs.is_dir():
        return
    for folder, dirs, files in os.walk(outputs):
        rel = Path(folder).relative_to(outputs)
        for d in dirs:
            if not os.path.islink(os.path.join(folder, d)):
                (dest / rel / d).mkdir(mode=0o755, exist_ok=True)
                (dest / rel / d).chmod(0o755)
        for f in files:
            src, dst = Path(folder, f), dest / rel / f
            st = src.lstat()
            if not stat.S_ISREG(st.st_mode):
                continue
            if st.st_mode & stat.S_IROTH:
                try:
                    os.link(src, dst)
                    continue
                except OSError:
                    pass  # another file system: copy
            shutil.copyfile(src, dst)
            dst.chmod(0o644)


def check_timeout(limits: Limits) -> float:
    # Graders read every dataset's output once; give them the time of two pipeline runs.
    return max(60.0, 2 * limits.timeout)


class _Runs:
    """The run phase's per-dataset loop over one container."""

    def __init__(
        self, client: Any, container: Any, volume: Any, limits: Limits, *, last: list[str] | None = None
    ) -> None:
        self.api = client.api
        self.container = container
        self.limits = limits
        self.mountpoint = Path(volume.attrs.get("Mountpoint") or "/nonexistent")
        # Two cleaners at once would kill each other (both are runner), and an exec killed that
        # early can stay "Running" in the engine for good: one at a time.
        self._kill_lock = threading.Lock()
        self.memory = PeakMemory(None)
        # No cleaner after the last run: collect() kills the whole container before reading.
        self._last = set(last or ())

    def run(self, name: str) -> RunResult:
        self._ensure_running()
        baseline = self._output_usage()[0]
        exec_id = self.api.exec_create(
            self.container.id,
            ["sh", "-c", RUN_SCRIPT, "sh", name],
            user=RUNNER,
            workdir="/work",
            stdin=False,
            tty=False,
        )["Id"]
        self.memory.reset()
        start = time.monotonic()
        stream = self.api.exec_start(exec_id, stream=True)
        dog = Watchdog(
            deadline=start + self.limits.timeout,
            kill=self._kill_all,
            poll=lambda: self._poll(exec_id, baseline),
        ).start()
        try:
            log, truncated = read_capped(stream, self.limits.log_bytes, dog)
        finally:
            dog.stop()
        wall = time.monotonic() - start
        peak = self.memory.read()
        exit_code = self._exec_exit_code(exec_id)
        if name not in self._last:
            self._clean()
        reason = dog.reason
        if reason is None and exit_code == 137:
            reason = "memory"  # SIGKILL we did not send: the cgroup's OOM killer
        return RunResult(
            dataset=name,
            exit_code=None if reason else exit_code,
            wall_seconds=round(wall, 3),
            timed_out=reason == "timeout",
            log=log,
            log_truncated=truncated,
            killed_reason=reason,
            peak_memory_bytes=peak,
        )

    def collect(self, results: list[RunResult], outputs: Path) -> list[RunResult]:
        """Copy each dataset's output folder to the host; over-limit folders are removed."""
        _hard_kill(self.container)  # nothing may write while we read
        names = {r.dataset for r in results}
        for name in names:  # stale files from an earlier run would block ours (O_EXCL)
            shutil.rmtree(outputs / name, ignore_errors=True)
        chunks, _ = self.container.get_archive("/out")
        got = extract_tops(
            chunks,
            outputs,
            tops=names,
            max_bytes_per_top=self.limits.output_bytes,
            max_files=MAX_OUTPUT_FILES,
            max_stream_bytes=len(names) * self.limits.output_bytes + 64 * 1024 * 1024,
        )
        final = []
        for r in results:
            note = ""
            if r.dataset in got.over_limit or r.killed_reason == "output-limit":
                shutil.rmtree(outputs / r.dataset, ignore_errors=True)
                note += "[faultline] outputs over the size or file-count limit were discarded\n"
                r = dataclasses.replace(r, killed_reason=r.killed_reason or "output-limit")
            if got.dropped.get(r.dataset):
                dropped = got.dropped[r.dataset]
                note += f"[faultline] dropped {dropped} output entries that were not regular files\n"
            final.append(dataclasses.replace(r, log=r.log + note) if note else r)
        return final

    def _ensure_running(self) -> None:
        self.container.reload()
        if self.container.status != "running":
            self.container.start()  # first run, or after a hard kill; /tmp comes back empty
            self.container.reload()  # for the new init's pid, which leads to the cgroup
            self.memory = PeakMemory.of(self.container.id, int(self.container.attrs["State"].get("Pid") or 0))

    def _exec_exit_code(self, exec_id: str) -> int | None:
        for _ in range(40):  # the stream can end a moment before the engine records the exit
            info = self.api.exec_inspect(exec_id)
            if not info.get("Running"):
                code = info.get("ExitCode")
                return int(code) if code is not None else None
            time.sleep(0.05)
        return None

    def _poll(self, exec_id: str, baseline: int) -> str | None:
        usage, files = self._output_usage()
        if usage - baseline > self.limits.output_bytes or files > MAX_OUTPUT_FILES:
            return "output-limit"
        if not self.api.exec_inspect(exec_id).get("Running"):
            return ""  # exited, but something (a daemon) still holds its stdout open
        return None

    def _output_usage(self) -> tuple[int, int]:
        """Bytes and entries in the output volume, read on the host (fast, needs root)."""
        total = files = 0
        stack = [self.mountpoint]
        while stack:
            try:
                with os.scandir(stack.pop()) as entries:
                    for entry in entries:
                        files += 1
                        if files > MAX_OUTPUT_FILES:
                            return total, files
                        st = entry.stat(follow_symlinks=False)
                        if stat.S_ISDIR(st.st_mode):
                            stack.append(Path(entry.path))
                        elif stat.S_ISREG(st.st_mode):
                            # size for what extraction copies (sparse files), blocks for the disk
                            total += max(st.st_size, st.st_blocks * 512)
            except OSError:
                continue  # not root: per-file fsize and the extraction caps still hold
        return total, files

    def _kill_all(self, reason: str) -> None:
        with self._kill_lock:
            if not self._exec(CLEAN_SCRIPT, timeout=KILL_GRACE):
                _hard_kill(self.container)

    def _clean(self) -> None:
        with self._kill_lock, contextlib.suppress(Exception):
            self.container.reload()
            if self.container.status == "running" and not self._exec(CLEAN_SCRIPT, timeout=KILL_GRACE):
                _hard_kill(self.container)

    def _exec(self, script: str, *, timeout: float) -> bool:
        """Run a short trusted script as runner; False if it could not run (e.g. pids exhausted)."""
        try:
            exec_id = self.api.exec_create(self.container.id, ["sh", "-c", script], user=RUNNER, stdin=False)[
                "Id"
            ]
            self.api.exec_start(exec_id, detach=True)
        except Exception:
            return False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self.api.exec_inspect(exec_id)
            if not info.get("Running") and info.get("ExitCode") is not None:
                return True
            time.sleep(0.05)
        return False


def read_capped(stream: Any, cap: int, dog: Watchdog) -> tuple[str, bool]:
    """Read a log stream to its end, keeping ``cap`` bytes; past the cap, kill and drain."""
    kept = bytearray()
    truncated = False
    for chunk in stream:
        if truncated:
            continue  # writers are being killed; draining lets the stream end on its own
        room = cap - len(kept)
        kept += chunk[:room]
        if len(chunk) > room:
            truncated = True
            dog.request("log-limit")
    return kept.decode("utf-8", errors="replace"), truncated


def readable(src: Path, copy: Path) -> Path:
    """``src`` if the container's unprivileged user can read all of it, else a readable copy.

    A key kept mode 0700 on the host would otherwise be invisible to uid 10001. The copy
    lives in a private temporary folder and is removed after the phase.
    """
    src = src.resolve()
    if _world_readable(src):
        return src
    copy.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, copy, symlinks=False)
        for folder, _, files in os.walk(copy):
            os.chmod(folder, 0o755)
            for f in files:
                os.chmod(os.path.join(folder, f), 0o644)
    else:
        shutil.copyfile(src, copy)
        copy.chmod(0o644)
    return copy


def _world_readable(path: Path) -> bool:
    try:
        st = path.stat()
        if stat.S_ISREG(st.st_mode):
            return bool(st.st_mode & stat.S_IROTH)
        if not (st.st_mode & stat.S_IROTH and st.st_mode & stat.S_IXOTH):
            return False
        for folder, dirs, files in os.walk(path):
            for d in dirs:
                mode = os.stat(os.path.join(folder, d)).st_mode
                if not (mode & stat.S_IROTH and mode & stat.S_IXOTH):
                    return False
            for f in files:
                if not os.stat(os.path.join(folder, f)).st_mode & stat.S_IROTH:
                    return False
    except OSError:
        return False
    return True


def _exit_code(container: Any) -> int | None:
    try:
        return int(container.wait(timeout=30)["StatusCode"])
    except Exception:
        return None


def _hard_kill(container: Any) -> None:
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


@contextlib.contextmanager
def _engine_errors() -> Any:
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
