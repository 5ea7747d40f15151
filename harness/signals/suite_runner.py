"""Runs the candidate's test suite once per target workspace, inside the sandbox (standalone).

    python -I suite_runner.py --seconds S --out OUT NAME...

Run from the folder that holds one workspace per NAME. pandas, pyarrow and pytest are
imported once here; each target then runs in a forked child of its own session (cwd and
``sys.path[0]`` its workspace, as ``python -m pytest`` from there would have them), with its
output in ``OUT/NAME/pytest.log``, pytest's report in ``OUT/NAME/junit.xml`` and how it ended
in ``OUT/NAME/status.json``. A child past ``S`` seconds is killed with its session. When the
first target (the candidate's own pipeline) runs out of time, the others are not run: a suite
that hangs there would hang everywhere. Pytest's arguments follow ``--``.

This file runs where the candidate's code runs: it imports only the standard library, pytest
and the pipeline libraries, and the host treats everything it writes as untrusted.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time


def _warm() -> None:
    # What every run would import again: the point of forking.
    for name in ("pandas", "pyarrow", "pyarrow.parquet", "numpy", "pytest"):
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - a missing library shows in the child's own run
            pass


def _child(workspace: str, out: str, pytest_args: list[str]) -> None:
    os.setsid()
    log = os.open(os.path.join(out, "pytest.log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(workspace)
    sys.path.insert(0, workspace)  # `python -m pytest` from the workspace puts it first
    code = 1
    try:
        import pytest

        code = int(pytest.main([*pytest_args, f"--junitxml={os.path.join(out, 'junit.xml')}"]))
    except BaseException as exc:  # noqa: BLE001 - whatever happens, the child ends here
        print(f"[faultline] the suite raised {type(exc).__name__}: {exc}", flush=True)
        code = 3
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _run(workspace: str, out: str, seconds: float, pytest_args: list[str]) -> dict[str, object]:
    began = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(workspace, out, pytest_args)
    code: int | None = None
    timed_out = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() - began > seconds:
            timed_out = True
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
        time.sleep(0.02)
    try:  # whatever the run left behind in its session
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    return {"exit_code": code, "timed_out": timed_out, "seconds": round(time.monotonic() - began, 3)}


def main() -> int:
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("names", nargs="+")
    args = parser.parse_args(argv[:split])
    _warm()
    here = os.getcwd()
    for i, name in enumerate(args.names):
        out = os.path.join(args.out, name)
        os.makedirs(out, exist_ok=True)
        status = _run(os.path.join(here, name), out, args.seconds, argv[split + 1:])
        with open(os.path.join(out, "status.json"), "w") as fh:
            json.dump(status, fh)
        print(f"[faultline] {name}: {status}", flush=True)
        if i == 0 and status["timed_out"]:
            break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
