"""The container settings both phases share: no network, nothing writable but what we mount."""
from __future__ import annotations

from typing import Any

from faultline.harness.sandbox.base import Limits
from faultline.harness.sandbox.session import labels

RUNNER = "10001:10001"  # runs candidate code and graders
KEEPER = "10002:10002"  # owns the run container's sleeper; runner cannot signal it


def hardening(limits: Limits) -> dict[str, Any]:
    """Keyword arguments for ``containers.create``, from ``limits``."""
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
        "labels": labels(),
        # We stream and cap logs ourselves; this only bounds the engine's own copy on disk.
        "log_config": LogConfig(type="json-file", config={"max-size": "1m", "max-file": "1"}),
    }
