"""The Docker sandbox's phases, its errors, and its cleanup, beyond the hostile corpus."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from faultline.harness.errors import InfrastructureError
from faultline.harness.image import image_status, require_image
from faultline.harness.phases import CHECK_LIMITS, CHECKS_REPORT, KEY_PARTS, check_spec
from faultline.harness.sandbox.base import Limits
from faultline.harness.sandbox.docker import DockerSandbox
from faultline.harness.sandbox.hardening import hardening
from faultline.harness.sandbox.session import SESSION_LABEL

from .conftest import HOSTILE, SESSION, TEST_LIMITS, assert_nothing_left, ours, spec

pytestmark = pytest.mark.docker

# Stands in for graders/run.py: reports what it can see, and tries what a grader must not do.
FAKE_RUN = """
import json, os, sys
args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
seen = {
    "argv": sys.argv[1:],
    "flags_isolated": sys.flags.isolated,
    "key": sorted(os.listdir(args["--key"])),
    "outputs": sorted(os.listdir(args["--outputs"])),
    "uid": os.getuid(),
}
for probe in ("/outputs/x", "/key/x", "/graders/x"):
    try:
        open(probe, "w")
        seen[probe] = "ok"
    except OSError as exc:
        seen[probe] = exc.strerror
with open(args["--report"], "w") as f:
    json.dump(seen, f)
with open(os.path.join(os.path.dirname(args["--report"]), "stray.xml"), "w") as f:
    f.write("<testsuite tests='1'/>")
print("graders ran")
"""


def _key(tmp_path: Path) -> Path:
    key = tmp_path / "key"
    for part in ("expected/d1", "footprints", "fault_values", "hidden/d1", "solution/pipeline"):
        (key / part).mkdir(parents=True)
    (key / "variant.json").write_text('{"id": "v"}')
    (key / "expected/d1/features.parquet").write_bytes(b"x")
    (key / "hidden/d1/secret.csv").write_text("hidden")
    (key / "solution/pipeline/__main__.py").write_text("secret")
    os.chmod(key, 0o700)  # a key kept private on the host must still reach the graders
    return key


def test_check_phase_sees_only_what_graders_need(sandbox: DockerSandbox, tmp_path: Path) -> None:
    graders = tmp_path / "graders"
    graders.mkdir()
    (graders / "run.py").write_text(FAKE_RUN)
    outputs = tmp_path / "outputs"
    (outputs / "d1").mkdir(parents=True)
    (outputs / "d1" / "features.parquet").write_bytes(b"y")

    check = sandbox.run_graders(check_spec(graders, _key(tmp_path)), outputs=outputs)

    assert check.exit_code == 0, check.log
    assert "graders ran" in check.log
    seen = json.loads(check.reports[CHECKS_REPORT])
    assert seen["key"] == sorted(KEY_PARTS)  # never hidden/ or solution/
    assert seen["outputs"] == ["d1"]
    assert seen["flags_isolated"] == 1 and seen["uid"] == 10001
    assert {seen[p] for p in ("/outputs/x", "/key/x", "/graders/x")} == {"Read-only file system"}
    assert seen["argv"][-2:] == ["--report", "report/checks.json"]
    assert set(check.reports) == {CHECKS_REPORT}  # only the files the spec names come back


def test_check_phase_without_report(sandbox: DockerSandbox, tmp_path: Path) -> None:
    graders = tmp_path / "graders"
    graders.mkdir()
    (graders / "run.py").write_text("import sys; print('boom'); sys.exit(2)\n")
    (tmp_path / "outputs").mkdir()
    check = sandbox.run_graders(check_spec(graders, _key(tmp_path)), outputs=tmp_path / "outputs")
    assert (check.exit_code, dict(check.reports)) == (2, {})
    assert "boom" in check.log


def test_check_phase_is_killed_at_its_deadline(sandbox: DockerSandbox, tmp_path: Path) -> None:
    graders = tmp_path / "graders"
    graders.mkdir()
    (graders / "run.py").write_text(
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(600)\n"
    )
    (tmp_path / "outputs").mkdir()
    limits = dataclasses.replace(CHECK_LIMITS, timeout=2.0)
    check = sandbox.run_graders(check_spec(graders, _key(tmp_path), limits=limits), outputs=tmp_path / "outputs")
    assert check.wall_seconds < 15
    assert check.killed_reason == "timeout" and check.exit_code is None
    assert "graders killed: timeout" in check.log


def test_interrupt_mid_run_leaves_nothing(
    sandbox: DockerSandbox,
    engine: Any,
    datasets: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from faultline.harness.sandbox.run import RunPhase

    def interrupted(self: Any, name: str) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(RunPhase, "_run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sandbox.run_pipeline(spec(HOSTILE / "well_behaved", datasets), outputs=tmp_path / "o")
    assert_nothing_left(engine)


def test_default_limits_reach_the_container(sandbox_image: str, engine: Any) -> None:
    limits = Limits()
    container = engine.containers.create(
        sandbox_image, command=["true"], user="10001:10001", **hardening(limits)
    )
    try:
        host = container.attrs["HostConfig"]
        assert host["Memory"] == host["MemorySwap"] == 2 * 1024**3
        assert host["NanoCpus"] == 10**9 and host["PidsLimit"] == 256
        assert host["ReadonlyRootfs"] and host["NetworkMode"] == "none" and host["Init"]
        assert host["CapDrop"] == ["ALL"] and host["SecurityOpt"] == ["no-new-privileges"]
        assert {u["Name"] for u in host["Ulimits"]} == {"fsize", "nofile"}
        assert (container.labels["faultline"], container.labels[SESSION_LABEL]) == ("1", SESSION)
    finally:
        container.remove(force=True)


def test_pipeline_on_a_private_dataset(
    sandbox: DockerSandbox, datasets: dict[str, Path], tmp_path: Path
) -> None:
    os.chmod(datasets["d1"], 0o700)
    (datasets["d1"] / "events.csv").chmod(0o600)
    results = sandbox.run_pipeline(spec(HOSTILE / "well_behaved", {"d1": datasets["d1"]}), outputs=tmp_path / "o")
    assert results[0].exit_code == 0 and "events.csv" in results[0].log


def test_bad_dataset_name_is_refused(sandbox: DockerSandbox, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        sandbox.run_pipeline(spec(tmp_path, {"../x": tmp_path}), outputs=tmp_path / "o")


def test_image_is_current(sandbox_image: str) -> None:
    status = image_status()
    assert status.present and status.current and status.tag == sandbox_image
    assert require_image() == sandbox_image


def test_missing_image_says_what_to_run(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import faultline.harness.image as image

    monkeypatch.setattr(image, "harness_version", lambda: "0.0.0-missing")
    with pytest.raises(InfrastructureError, match="faultline image build"):
        require_image()


def test_no_engine_says_what_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from faultline.harness.image import docker_client

    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(InfrastructureError, match="docker/ensure-engine.sh"):
        docker_client()


# Waits like graders/run.py --wait-for, then reports what it saw and how long it waited.
WAITING_RUN = """
import json, os, sys, time
args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
began = time.monotonic()
early = sorted(os.listdir(args["--outputs"]))
while not os.path.exists(args["--wait-for"]):
    time.sleep(0.01)
seen = {"early": early, "waited": time.monotonic() - began, "outputs": sorted(os.listdir(args["--outputs"]))}
try:
    open("/ready/x", "w")
except OSError as exc:
    seen["/ready/x"] = exc.strerror
with open(args["--report"], "w") as f:
    json.dump(seen, f)
"""


def test_warm_check_phase_reads_outputs_only_after_release(
    sandbox: DockerSandbox, engine: Any, tmp_path: Path
) -> None:
    graders = tmp_path / "graders"
    graders.mkdir()
    (graders / "run.py").write_text(WAITING_RUN)
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    key = _key(tmp_path)
    with sandbox.check_phase(check_spec(graders, key), outputs=outputs) as pending:
        time.sleep(3)  # the container is up and waiting by now
        (container,) = ours(engine)[0]
        host = container.attrs["HostConfig"]  # the graders' own limits, never the candidate's
        assert (host["Memory"], host["NanoCpus"]) == (CHECK_LIMITS.memory, int(CHECK_LIMITS.cpus * 1e9))
        (outputs / "d1").mkdir()
        (outputs / "d1" / "features.parquet").write_bytes(b"y")
        check = pending.release()
    seen = json.loads(check.reports[CHECKS_REPORT])
    assert seen["early"] == [] and seen["outputs"] == ["d1"]
    assert seen["waited"] > 1 and seen["/ready/x"] == "Read-only file system"
    assert check.exit_code == 0 and check.wall_seconds < seen["waited"]


def test_check_phase_cleans_up_without_release(sandbox: DockerSandbox, tmp_path: Path) -> None:
    graders = tmp_path / "graders"
    graders.mkdir()
    (graders / "run.py").write_text(WAITING_RUN)
    with pytest.raises(KeyboardInterrupt):
        with sandbox.check_phase(check_spec(graders, _key(tmp_path)), outputs=tmp_path):
            raise KeyboardInterrupt  # the sandbox fixture then checks that nothing is left


def test_runs_record_peak_memory(sandbox: DockerSandbox, datasets: dict[str, Path], tmp_path: Path) -> None:
    results = sandbox.run_pipeline(spec(HOSTILE / "well_behaved", datasets), outputs=tmp_path / "o")
    peaks = [r.peak_memory_bytes for r in results]
    if os.geteuid() == 0 and Path("/sys/fs/cgroup/memory").is_dir():  # cgroup v1, readable by us
        assert all(p is not None and 1024**2 < p <= TEST_LIMITS.memory for p in peaks), peaks
    else:
        assert all(p is None or p > 0 for p in peaks), peaks


def test_overall_deadline_bounds_a_hanging_submission(
    sandbox: DockerSandbox, datasets: dict[str, Path], tmp_path: Path
) -> None:
    # Three datasets of a submission that hangs: 3 x 4 s without a deadline, 5 s with it.
    limits = dataclasses.replace(TEST_LIMITS, timeout=4.0, deadline=5.0)
    three = {**datasets, "d3": datasets["d1"]}
    began = time.monotonic()
    results = sandbox.run_pipeline(spec(HOSTILE / "sigterm_sleeper", three, limits), outputs=tmp_path / "o")
    took = time.monotonic() - began
    assert [r.killed_reason for r in results] == ["timeout", "deadline", "deadline"]
    assert all(r.timed_out and r.exit_code is None for r in results)
    assert 3.5 < results[0].wall_seconds < 6 and results[1].wall_seconds < 3
    assert results[2].wall_seconds == 0 and "not run" in results[2].log
    assert took < 5 + 4, took  # the deadline plus container set-up and removal


def test_deep_output_left_behind_is_discarded_fast(
    sandbox: DockerSandbox, datasets: dict[str, Path], tmp_path: Path
) -> None:
    # Exits as soon as the tree is made, so collection (not the watchdog) meets it most times.
    workspace = tmp_path / "ws"
    (workspace / "pipeline").mkdir(parents=True)
    (workspace / "pipeline" / "__main__.py").write_text(
        "import os, sys\nos.makedirs(sys.argv[-1], exist_ok=True)\nos.chdir(sys.argv[-1])\n"
        "for _ in range(400):\n    os.mkdir('d' * 200)\n    os.chdir('d' * 200)\n"
    )
    began = time.monotonic()
    results = sandbox.run_pipeline(spec(workspace, datasets), outputs=tmp_path / "o")
    assert time.monotonic() - began < 8
    for r in results:
        assert r.killed_reason == "output-limit", r
        assert "folders nested deeper than 16 levels" in r.log, r.log
        assert not (tmp_path / "o" / r.dataset).exists()


def test_orphans_of_a_killed_grading_are_reaped_and_live_ones_kept(sandbox_image: str, engine: Any) -> None:
    from faultline.harness.sandbox.engine import reap_orphans
    from faultline.harness.sandbox.session import OWNER_LABEL, labels, owner

    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # a process id that no longer exists
    gone.wait()
    host = owner().rpartition("/")[0]
    made = []
    for who in (f"{host}/{gone.pid}", owner(), f"another-host/{gone.pid}"):
        tags = {**labels(), OWNER_LABEL: who}
        volume = engine.volumes.create(labels=tags)
        container = engine.containers.create(sandbox_image, command=["sleep", "infinity"], labels=tags)
        made.append((who, container, volume))
    try:
        assert reap_orphans(engine) >= 2
        alive = {c.id for c in engine.containers.list(all=True, filters={"label": "faultline=1"})}
        volumes = {v.name for v in engine.volumes.list(filters={"label": "faultline=1"})}
        (_, dead_c, dead_v), (_, live_c, live_v), (_, far_c, far_v) = made
        assert dead_c.id not in alive and dead_v.name not in volumes
        assert {live_c.id, far_c.id} <= alive and {live_v.name, far_v.name} <= volumes
    finally:
        for _, container, volume in made:
            with contextlib.suppress(Exception):
                container.remove(force=True)
            with contextlib.suppress(Exception):
                volume.remove(force=True)
