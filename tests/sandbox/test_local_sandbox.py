"""The local sandbox follows the same specs as Docker: deadline, relative check paths. No Docker."""
from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

from faultline.harness.phases import CHECK_LIMITS, CHECKS_REPORT, check_spec
from faultline.harness.sandbox.local import LocalSandbox

from .conftest import HOSTILE, TEST_LIMITS, spec


def test_local_deadline_bounds_a_hanging_submission(datasets: dict[str, Path], tmp_path: Path) -> None:
    limits = dataclasses.replace(TEST_LIMITS, timeout=1.0, deadline=1.5)
    three = {**datasets, "d3": datasets["d1"]}
    began = time.monotonic()
    results = LocalSandbox().run_pipeline(spec(HOSTILE / "sigterm_sleeper", three, limits), outputs=tmp_path / "o")
    assert [r.killed_reason for r in results] == ["timeout", "deadline", "deadline"]
    assert all(r.timed_out and r.exit_code is None for r in results)
    assert results[2].wall_seconds == 0 and "not run" in results[2].log
    assert time.monotonic() - began < 3


def test_local_graders_see_the_spec_paths(tmp_path: Path) -> None:
    graders = tmp_path / "graders"
    graders.mkdir()
    (graders / "run.py").write_text(
        "import json, os, sys\n"
        "args = dict(zip(sys.argv[1::2], sys.argv[2::2]))\n"
        "seen = {'key': sorted(os.listdir(args['--key'])), 'outputs': sorted(os.listdir(args['--outputs'])),\n"
        "        'ready': os.path.exists(args['--wait-for'])}\n"
        "open(args['--report'], 'w').write(json.dumps(seen))\n"
    )
    key = tmp_path / "key"
    (key / "expected").mkdir(parents=True)
    (key / "hidden").mkdir()
    (key / "variant.json").write_text("{}")
    outputs = tmp_path / "outputs"
    (outputs / "d1").mkdir(parents=True)
    limits = dataclasses.replace(CHECK_LIMITS, timeout=30.0)
    check = LocalSandbox().run_graders(check_spec(graders, key, limits=limits), outputs=outputs)
    assert check.exit_code == 0, check.log
    seen = json.loads(check.reports[CHECKS_REPORT])
    assert seen == {"key": ["expected", "variant.json"], "outputs": ["d1"], "ready": True}
