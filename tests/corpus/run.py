"""Building a corpus case's workspace and grading it through the real CLI, in process."""
from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

from faultline.harness.cli import main
from tests.corpus.cases import Base, Case
from tests.helpers import workspace_with


def workspace(case: Case, variant: Path, dest: Path) -> Path:
    key = variant / "key"
    if case.base is Base.SOLUTION:
        shutil.copytree(key / "solution" / "pipeline", dest / "pipeline",
                        ignore=shutil.ignore_patterns("__pycache__"))
    elif case.base is Base.BUNDLE:
        shutil.copytree(variant / "candidate" / "pipeline", dest / "pipeline",
                        ignore=shutil.ignore_patterns("__pycache__"))
    else:
        workspace_with(key, set(case.faults_on), dest)
    for module, code in case.patches.items():
        path = dest / "pipeline" / module
        assert path.is_file(), f"{case.exercise}/{case.name}: no module {module} to patch"
        path.write_text(path.read_text() + code)
    return dest


def grade(submission: Path, key: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """`faultline grade --sandbox local` through the CLI's own entry point; (exit code, result.json)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["grade", str(submission), "--key", str(key), "--out", str(out), "--sandbox", "local", *extra])
    return code, json.loads((out / "result.json").read_text())
