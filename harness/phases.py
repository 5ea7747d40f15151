"""What grading hands the sandbox: the run and check commands, their mounts and limits.

The sandbox knows nothing of the key's layout or of the graders' command line; this module
is where they meet it. The check phase has limits of its own, never the candidate's: a
``--memory 50m`` grading must still be graded (documented in the README's limits table).
"""
from __future__ import annotations

from pathlib import Path

from faultline.harness.sandbox.base import CheckSpec, Limits, Mount, RunSpec

# What graders read; never hidden/, solution/ or the poisoned inputs (see check_spec).
KEY_PARTS = ("variant.json", "expected", "footprints", "fault_values")
CHECKS_REPORT = "checks.json"
# The graders read every dataset's expected and actual output once, with pandas.
CHECK_LIMITS = Limits(
    timeout=300.0,
    memory=2 * 1024**3,
    cpus=1.0,
    pids=256,
    log_bytes=1024 * 1024,
    output_bytes=64 * 1024 * 1024,  # the report files
    tmp_bytes=256 * 1024 * 1024,
    nofile=1024,
)
PIPELINE_COMMAND = ("python", "-m", "pipeline", "--input", "{input}", "--output", "{output}")


def run_spec(workspace: Path, datasets: dict[str, Path], limits: Limits) -> RunSpec:
    return RunSpec(workspace=workspace, datasets=datasets, command=PIPELINE_COMMAND, limits=limits)


def check_spec(graders: Path, key_root: Path, *, limits: Limits = CHECK_LIMITS) -> CheckSpec:
    mounts = [Mount(source=graders, target="graders")]
    mounts += [Mount(source=key_root / part, target=f"key/{part}") for part in KEY_PARTS if (key_root / part).exists()]
    # Of the poisoned exports, only the valid ones' expected outputs: the inputs are the run phase's.
    mounts += [Mount(source=folder, target=f"key/poisoned/{folder.parent.name}/expected")
               for folder in sorted((key_root / "poisoned").glob("*/expected"))]
    command = (
        "python", "-I", "graders/run.py", "--key", "key", "--outputs", "outputs",
        "--wait-for", "ready/go", "--report", f"report/{CHECKS_REPORT}",
    )
    return CheckSpec(
        command=command,
        mounts=tuple(mounts),
        outputs="outputs",
        report="report",
        report_files=(CHECKS_REPORT,),
        limits=limits,
        ready="ready/go",
    )
