"""Bad input gets a one-line error and its documented exit code; a bad submission is graded."""
from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT, copy_tree, faultline, grade_local, workspace_with


def faultline_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, run from ``cwd`` (relative paths land there)."""
    return subprocess.run([sys.executable, "-m", "faultline", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def _one_line_error(proc, code: int) -> str:  # type: ignore[no-untyped-def]
    """The one error line; warnings (``--sandbox local`` prints one) may come before it."""
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if not line.startswith("faultline: warning:")]
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith("faultline: "), errors[0]
    return errors[0]


def test_unknown_exercise(tmp_path: Path) -> None:
    line = _one_line_error(faultline("new", "no-such-exercise", "--out", tmp_path / "v"), 2)
    assert "unknown exercise" in line and "retail-events" in line
    assert not (tmp_path / "v").exists()


def test_unknown_fault_and_tiny_rows(tmp_path: Path) -> None:
    line = _one_line_error(faultline("new", "retail-events", "--out", tmp_path / "v", "--faults", "nope"), 2)
    assert "unknown fault" in line
    line = _one_line_error(faultline("new", "retail-events", "--out", tmp_path / "w", "--rows", "10"), 2)
    assert "--rows" in line


def test_new_never_overwrites(small_variant: Path) -> None:
    before = (small_variant / "key" / "variant.json").read_bytes()
    line = _one_line_error(faultline("new", "retail-events", "--out", small_variant, "--rows", "3000"), 2)
    assert "already exists" in line
    assert (small_variant / "key" / "variant.json").read_bytes() == before


def test_missing_key(small_variant: Path, tmp_path: Path) -> None:
    proc = faultline("grade", small_variant / "key" / "solution", "--key", tmp_path / "nokey",
                     "--sandbox", "local", "--out", tmp_path / "g")
    assert "does not exist" in _one_line_error(proc, 2)
    assert not (tmp_path / "g").exists()  # the --out folder made before the key was read is gone


def test_corrupt_variant_json(small_variant: Path, tmp_path: Path) -> None:
    key = copy_tree(small_variant / "key", tmp_path / "key")
    (key / "variant.json").write_text("{ not json")
    proc = faultline("grade", key / "solution", "--key", key, "--sandbox", "local", "--out", tmp_path / "g")
    assert "unreadable" in _one_line_error(proc, 2)
    (key / "variant.json").write_text(json.dumps({"schema": "faultline.variant/1"}))
    proc = faultline("grade", key / "solution", "--key", key, "--sandbox", "local", "--out", tmp_path / "g")
    assert "missing" in _one_line_error(proc, 2)


def test_missing_submission_and_bad_flags(small_variant: Path, tmp_path: Path) -> None:
    proc = faultline("grade", tmp_path / "nothing", "--key", small_variant / "key", "--sandbox", "local")
    assert "does not exist" in _one_line_error(proc, 2)
    proc = faultline("grade", small_variant / "candidate", "--key", small_variant / "key", "--memory", "lots")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_submission_without_pipeline_is_graded_zero(small_variant: Path, tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    (sub / "notes").mkdir(parents=True)
    (sub / "notes" / "README.md").write_text("I ran out of time.\n")
    code, result = grade_local(sub, small_variant / "key", tmp_path / "g")
    assert code == 0
    assert result["status"] == "graded" and result["score"] == 0
    assert "pipeline/__main__.py" in result["message"]
    assert all(not f["fixed"] for f in result["faults"])


def test_pipeline_that_raises_is_graded(small_variant: Path, tmp_path: Path) -> None:
    sub = copy_tree(small_variant / "key" / "solution", tmp_path / "sub")
    shutil.rmtree(sub / "data")
    (sub / "pipeline" / "features.py").write_text("raise RuntimeError('half-finished refactor')\n")
    code, result = grade_local(sub, small_variant / "key", tmp_path / "g", "--fail-under", "1")
    assert code == 1  # graded, below --fail-under
    assert result["status"] == "graded" and result["score"] == 0
    assert "exited 1" in result["message"] and "half-finished refactor" in result["message"]
    assert all(r["exit_code"] == 1 for r in result["runs"])


def test_wrong_schema_fails_the_schema_check(small_variant: Path, tmp_path: Path) -> None:
    sub = copy_tree(small_variant / "key" / "solution", tmp_path / "sub")
    writer = sub / "pipeline" / "writer.py"
    # cart_conversion: a float column whatever money unit the variant's spec publishes.
    text = writer.read_text()
    assert '("cart_conversion", pa.float64())' in text
    writer.write_text(text.replace('("cart_conversion", pa.float64())', '("cart_conversion", pa.float32())'))
    code, result = grade_local(sub, small_variant / "key", tmp_path / "g")
    assert code == 0 and result["status"] == "graded"
    schema = next(c for c in result["checks"] if c["name"] == "schema")
    assert not schema["passed"] and "cart_conversion" in schema["message"] and "float" in schema["message"]


def test_garbage_output_is_graded(small_variant: Path, tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    (sub / "pipeline").mkdir(parents=True)
    (sub / "pipeline" / "__main__.py").write_text(
        "import sys, pathlib\n"
        "out = pathlib.Path(sys.argv[sys.argv.index('--output') + 1])\n"
        "out.mkdir(parents=True, exist_ok=True)\n"
        "(out / 'features.parquet').write_bytes(b'PAR1 this is not parquet PAR1')\n"
    )
    code, result = grade_local(sub, small_variant / "key", tmp_path / "g")
    assert code == 0 and result["status"] == "graded" and result["score"] == 0
    schema = next(c for c in result["checks"] if c["name"] == "schema")
    assert "cannot be read as Parquet" in schema["message"]


def test_explain_and_list(small_variant: Path) -> None:
    proc = faultline("explain", "--key", small_variant / "key", check=True)
    for fid in ("leading-zero-ids", "cents-cutover"):
        assert fid in proc.stdout
    assert "pipeline/ingest.py:" in proc.stdout and "+++ candidate/pipeline/" in proc.stdout
    proc = faultline("list", "--json", check=True)
    doc = json.loads(proc.stdout)
    assert any(e["id"] == "retail-events" for e in doc["exercises"])


# --- checked while parsing: nothing runs, nothing is created -------------------------------

def test_version() -> None:
    import faultline

    proc = faultline_cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"faultline {faultline.__version__}"


_CPUS = os.cpu_count() or 1
BAD_ARGUMENTS = {
    "memory_too_small": (["grade", "s", "--key", "k", "--memory", "64m"], ["--memory", "minimum is 256m"]),
    "memory_not_a_size": (["grade", "s", "--key", "k", "--memory", "lots"], ["--memory", "not a size"]),
    "memory_beyond_machine": (["grade", "s", "--key", "k", "--memory", "100000g"], ["--memory", "machine's memory"]),
    "cpus_beyond_machine": (["grade", "s", "--key", "k", "--cpus", str(_CPUS + 1)], ["--cpus", f"{_CPUS} CPU(s)"]),
    "cpus_zero": (["grade", "s", "--key", "k", "--cpus", "0"], ["--cpus", "positive"]),
    "cpus_negative": (["grade", "s", "--key", "k", "--cpus", "-1"], ["--cpus", "positive"]),
    "cpus_nan": (["grade", "s", "--key", "k", "--cpus", "nan"], ["--cpus", "finite"]),
    "pids_too_small": (["grade", "s", "--key", "k", "--pids-limit", "4"], ["--pids-limit", "between 32"]),
    "timeout_absurd": (["grade", "s", "--key", "k", "--timeout", "1e9"], ["--timeout", "between 5 and 86400"]),
    "timeout_zero": (["grade", "s", "--key", "k", "--timeout", "0"], ["--timeout", "between 5"]),
    "fail_under_negative": (["grade", "s", "--key", "k", "--fail-under", "-5"], ["--fail-under", "0 to 100"]),
    "fail_under_above_100": (["grade", "s", "--key", "k", "--fail-under", "101"], ["--fail-under", "0 to 100"]),
    "empty_seed": (["new", "retail-events", "--out", "v", "--seed", ""], ["--seed", "empty"]),
    "blank_seed": (["new", "retail-events", "--out", "v", "--seed", "  "], ["--seed", "empty"]),
    "empty_faults": (["new", "retail-events", "--out", "v", "--faults", ""], ["--faults", "at least one"]),
    "empty_fault_item": (["new", "retail-events", "--out", "v", "--faults", "a,,b"], ["--faults", "empty item"]),
    "trailing_comma": (["new", "retail-events", "--out", "v", "--faults", "cents-cutover,"], ["empty item"]),
    "repeated_fault": (
        ["new", "retail-events", "--out", "v", "--faults", "cents-cutover,leading-zero-ids,cents-cutover"],
        ["--faults", "'cents-cutover'", "more than once"],
    ),
    "empty_out": (["new", "retail-events", "--out", ""], ["--out", "empty"]),
    "too_few_rows": (["new", "retail-events", "--out", "v", "--rows", "10"], ["--rows", "at least 2000"]),
    "unknown_fault": (["new", "retail-events", "--out", "v", "--faults", "nope"], ["unknown fault 'nope'"]),
    "local_with_memory": (
        ["grade", "s", "--key", "k", "--sandbox", "local", "--memory", "1g", "--cpus", "1"],
        ["--memory and --cpus", "--sandbox docker"],
    ),
    "local_with_pids": (["grade", "s", "--key", "k", "--sandbox", "local", "--pids-limit", "64"], ["--pids-limit"]),
    "no_command": ([], ["required: COMMAND"]),
    "unknown_command": (["frob"], ["invalid choice: 'frob'"]),
    "empty_image_base": (["image", "build", "--base", ""], ["image build: argument --base", "empty"]),
}


@pytest.mark.parametrize("case", sorted(BAD_ARGUMENTS))
def test_bad_argument_is_one_line_exit_2(case: str, tmp_path: Path) -> None:
    args, words = BAD_ARGUMENTS[case]
    proc = faultline_cli(*args, cwd=tmp_path)
    line = _one_line_error(proc, 2)
    for word in words:
        assert word in line, (word, line)
    assert list(tmp_path.iterdir()) == []  # refused before anything was created


# --- output paths: checked before any work -------------------------------------------------

def test_new_out_unwritable_or_a_file(tmp_path: Path) -> None:
    line = _one_line_error(faultline("new", "retail-events", "--out", "/proc/x", "--rows", "3000"), 2)
    assert line.startswith("faultline: --out /proc/x: cannot create")
    afile = tmp_path / "afile"
    afile.write_text("keep me\n")
    line = _one_line_error(faultline("new", "retail-events", "--out", afile, "--rows", "3000"), 2)
    assert "exists and is not a folder" in line
    line = _one_line_error(faultline("new", "retail-events", "--out", afile / "v", "--rows", "3000"), 2)
    assert "cannot create" in line and "Not a directory" in line
    assert afile.read_text() == "keep me\n"


@pytest.mark.parametrize("flags", [
    ["--out", "/proc/x"],
    ["--junit", "/proc/j.xml"],
    ["--out", "{tmp}/afile"],
    ["--junit", "{tmp}/afile/j.xml"],
    ["--junit", "{tmp}"],
])
def test_grade_outputs_are_checked_before_grading(flags: list[str], small_variant: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("keep me\n")
    flags = [f.replace("{tmp}", str(tmp_path)) for f in flags]
    out = tmp_path / "new" / "results"
    proc = faultline("grade", small_variant / "key" / "solution", "--key", small_variant / "key",
                     "--sandbox", "local", "--out", out, *flags)
    line = _one_line_error(proc, 2)
    assert line.startswith(f"faultline: {flags[0]} {flags[1]}"), line
    # Refused before grading: the local sandbox announces itself only when grading starts.
    assert "not a sandbox" not in proc.stderr
    assert not (tmp_path / "new").exists()  # the --out folders it made were removed again
    assert (tmp_path / "afile").read_text() == "keep me\n"


# --- --sandbox local and --fail-under ------------------------------------------------------

def test_fail_under_is_a_percentage_of_the_maximum(small_variant: Path, tmp_path: Path) -> None:
    key = small_variant / "key"
    # One of the variant's two faults fixed: half the marks (points come from faults only).
    bundle = workspace_with(key, {"cents-cutover"}, tmp_path / "one-fixed")
    proc = faultline("grade", bundle, "--key", key, "--sandbox", "local", "--out", tmp_path / "g1",
                     "--fail-under", "60")
    result = json.loads((tmp_path / "g1" / "result.json").read_text())  # graded and written first
    score, top = result["score"], result["max_score"]
    percent = 100 * score / top
    assert 0 < percent < 60
    assert proc.returncode == 1
    assert f"faultline: score {score}/{top} = {percent:.4g}% is below --fail-under 60%" in proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "--sandbox local is not a sandbox" in line]
    assert len(warnings) == 1 and warnings[0].startswith("faultline: warning:")
    # Exactly at the threshold passes; read as points (score >= N), N = percent would fail.
    assert score < percent
    code, _ = grade_local(bundle, key, tmp_path / "g2", "--fail-under", repr(percent))
    assert code == 0


# --- a failed `new` leaves nothing behind; the key is private ------------------------------

def test_interrupted_new_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "made" / "v"
    proc = subprocess.Popen(
        [sys.executable, "-m", "faultline", "new", "retail-events", "--out", str(out), "--seed", "ctrl-c",
         "--rows", "100000"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    # Interrupt once the work is under way: the staging folder exists inside --out.
    while not (out.is_dir() and any(out.glob(".faultline-new-*/attempt-0/work"))):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the whole process group
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "faultline: interrupted"
    assert list(tmp_path.iterdir()) == []


def test_key_is_private(small_variant: Path) -> None:
    key = small_variant / "key"
    modes = {p.relative_to(key).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [key, *key.rglob("*")]}
    assert len(modes) > 10
    wrong = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o700 if (key / name).is_dir() else 0o600)}
    assert wrong == {}


# --- intake through the CLI: nesting, several submissions, stray links ---------------------

def _zip_tree(src: Path, dest: Path, prefixes: list[str]) -> Path:
    with zipfile.ZipFile(dest, "w") as zf:
        for prefix in prefixes:
            for path in sorted(src.rglob("*")):
                if path.is_file() and "data" not in path.relative_to(src).parts:
                    zf.write(path, f"{prefix}/{path.relative_to(src).as_posix()}")
    return dest


def test_doubly_nested_solution_is_graded_and_stray_link_warned(small_variant: Path, tmp_path: Path) -> None:
    sub = copy_tree(small_variant / "key" / "solution", tmp_path / "sol")
    shutil.rmtree(sub / "data")
    (sub / "pipeline" / "latest.py").symlink_to("cli.py")  # an editor's link, inside the tree
    outer = tmp_path / "outer" / "a" / "b"
    shutil.copytree(sub, outer, symlinks=True)
    proc = faultline("grade", tmp_path / "outer", "--key", small_variant / "key", "--sandbox", "local",
                     "--out", tmp_path / "g")
    result = json.loads((tmp_path / "g" / "result.json").read_text())
    assert proc.returncode == 0 and result["status"] == "graded"
    assert result["score"] == result["max_score"]
    assert "faultline: warning: submission: skipped symlink 'a/b/pipeline/latest.py'" in proc.stderr


def test_folder_of_submissions_is_rejected_naming_them(small_variant: Path, tmp_path: Path) -> None:
    archive = _zip_tree(small_variant / "key" / "solution", tmp_path / "round.zip", ["alice", "bob"])
    code, result = grade_local(archive, small_variant / "key", tmp_path / "g")
    assert code == 0 and result["status"] == "rejected" and result["score"] == 0
    assert "found 2 pipeline/ packages (alice/pipeline/, bob/pipeline/)" in result["message"]


def test_deadline_out_of_range_is_refused_before_grading(small_variant: Path, tmp_path: Path) -> None:
    proc = faultline("grade", small_variant / "key" / "solution", "--key", small_variant / "key",
                     "--out", tmp_path / "r", "--sandbox", "local", "--deadline", "1")
    assert proc.returncode == 2
    assert "--deadline" in proc.stderr and "whole submission" in proc.stderr
    assert not (tmp_path / "r").exists()
