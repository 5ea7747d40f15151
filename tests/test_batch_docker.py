"""grade-batch where Docker is the subject: parallel gradings in their own containers, and the
Dask executor on a two-worker LocalCluster with real Docker grading and its worker preflight."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import distributed  # a dev dependency (faultline[dask]): its absence fails, never skips
import pytest

from faultline.harness.batch.work import preflight
from tests.batch_support import (  # noqa: F401 (fixtures)
    docker_image_fixture,
    fixed_in,
    gradebook_rows,
    round_dir_fixture,
    submissions,
)
from tests.helpers import ROOT

pytestmark = pytest.mark.docker


def _cli(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "faultline", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=900)


def test_batch_in_docker_records_the_image(round_dir: Path, docker_image: str,
                                           tmp_path: Path) -> None:
    manifest, expected = submissions(round_dir, tmp_path / "subs", 3)
    proc = _cli("grade-batch", manifest, "--out", tmp_path / "out", "--jobs", "2", "--memory", "1g")
    assert proc.returncode == 0, proc.stderr
    rows = {r["candidate"]: r for r in gradebook_rows(tmp_path / "out")}
    assert set(rows) == set(expected)
    from faultline.harness.image import docker_client

    image_id = docker_client().images.get(docker_image).id
    for name, fixed in expected.items():
        assert rows[name]["status"] == "graded" and rows[name]["image_id"] == image_id
        assert fixed_in(rows[name]) == fixed, name


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    # Localhost only, no dashboard: nothing leaves this machine.
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0") as c:
        yield c


def test_batch_on_a_dask_cluster(round_dir: Path, docker_image: str, cluster: Any,
                                 tmp_path: Path) -> None:
    manifest, expected = submissions(round_dir, tmp_path / "subs", 2)
    shared = Path(os.path.commonpath([tmp_path, round_dir]))
    proc = _cli("grade-batch", manifest, "--out", tmp_path / "out", "--executor", "dask",
                "--scheduler", cluster.scheduler_address, "--shared-dir", shared, "--memory", "1g")
    assert proc.returncode == 0, proc.stderr
    assert "on 2 worker(s)" in proc.stdout
    with distributed.Client(cluster) as client:
        worker_pids = set(client.run(os.getpid).values())
    rows = gradebook_rows(tmp_path / "out")
    assert sorted(r["candidate"] for r in rows) == sorted(expected)
    for row in rows:  # graded on a cluster worker, recorded by the client
        assert int(str(row["worker"]).rsplit(":", 1)[1]) in worker_pids
        assert fixed_in(row) == expected[str(row["candidate"])]

    outside = tmp_path.parent / "elsewhere"
    assert "outside --shared-dir" in _cli("grade-batch", manifest, "--out", tmp_path / "o2", "--executor", "dask",
                                          "--scheduler", cluster.scheduler_address,
                                          "--shared-dir", outside).stderr


def test_dask_preflight_names_what_a_worker_lacks(round_dir: Path, tmp_path: Path) -> None:
    missing = preflight("docker", [str(tmp_path / "not-shared")])
    assert missing.problem and "--shared-dir" in missing.problem
    manifest, _ = submissions(round_dir, tmp_path / "subs", 1)
    # Workers whose Docker client points at no engine: the batch stops before grading, exit 3.
    with distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0",
                                  env={"DOCKER_HOST": "unix:///nonexistent.sock"}) as c:
        proc = _cli("grade-batch", manifest, "--out", tmp_path / "out", "--executor", "dask",
                    "--scheduler", c.scheduler_address)
    assert proc.returncode == 3, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Dask worker" in lines[0] and "no Docker engine" in lines[0], proc.stderr
    assert gradebook_rows(tmp_path / "out") == []
