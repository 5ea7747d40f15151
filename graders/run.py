"""Entry point of the check phase: ``python -I graders/run.py --key K --outputs O --report R``.

Runs the graders' pytest session with nothing of the candidate's able to join in: no
plugin autoload, no cache, no conftest, no ini file but ours, a rootdir that is the
graders' own folder. The report is written by our plugin, never parsed from output.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--key", required=True, type=Path)
    parser.add_argument("--outputs", required=True, type=Path)
    parser.add_argument("--report", required=True, type=Path)
    parser.add_argument("--junit", type=Path)
    args = parser.parse_args(argv)

    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sys.dont_write_bytecode = True
    sys.path.insert(0, str(HERE.parent))
    import pytest

    from graders import plugin

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
