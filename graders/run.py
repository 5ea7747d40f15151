"""Entry point of the check phase: ``python -I graders/run.py --key K --outputs O --report R``.

Runs the graders' pytest session with nothing of the candidate's able to join in: no
plugin autoload, no cache, no conftest, no ini file but ours, a rootdir that is the
graders' own folder. The report is written by our plugin, never parsed from output.

With ``--wait-for PATH`` it imports everything first and then waits until PATH exists: the
host starts the check container while the candidate's code still runs, and creates PATH
once the outputs are in place, so the imports (seconds on one CPU) are off the clock.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WAIT_POLL_SECONDS = 0.01  # a stat every 10 ms costs nothing next to the run phase


def _warm_up() -> None:
    """Import what the session will need, so that only grading is left after the wait."""
    import pyarrow.parquet  # noqa: F401
    from _pytest.config import default_plugins

    for name in default_plugins:  # pytest.main would import these one by one at start
        try:
            importlib.import_module(f"_pytest.{name}")
        except ImportError:
            pass


def _wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(WAIT_POLL_SECONDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--key", required=True, type=Path)
    parser.add_argument("--outputs", required=True, type=Path)
    parser.add_argument("--report", required=True, type=Path)
    parser.add_argument("--junit", type=Path)
    parser.add_argument("--wait-for", type=Path, help="import first, then wait until this path exists")
    args = parser.parse_args(argv)

    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sys.dont_write_bytecode = True
    sys.path.insert(0, str(HERE.parent))
    import pytest

    from graders import plugin

    if args.wait_for:
        _warm_up()
        _wait_for(args.wait_for)

    pytest_args = [
        str(HERE / "test_graders.py"),
        "-q", "-p", "no:cacheprovider", "--noconftest",
        "-c", str(HERE / "pytest.ini"), "--rootdir", str(HERE),
        "--fl-key", str(args.key), "--fl-outputs", str(args.outputs),
        "--fl-report", str(args.report),
    ]
    if args.junit:
        pytest_args += ["--junitxml", str(args.junit)]
    code = pytest.main(pytest_args, plugins=[plugin])
    # 1 means "some graders failed": the candidate's result, not a grader crash.
    return 0 if code in (0, 1) else int(code)


if __name__ == "__main__":
    raise SystemExit(main())
