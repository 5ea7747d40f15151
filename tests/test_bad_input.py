"""Bad input gets a one-line error and its documented exit code; a bad submission is graded."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.helpers import copy_tree, faultline, grade_local


def _one_line_error(proc, code: int) -> str:  # type: ignore[no-untyped-def]
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


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
    writer.write_text(writer.read_text().replace('("revenue", pa.float64())', '("revenue", pa.float32())'))
    code, result = grade_local(sub, small_variant / "key", tmp_path / "g")
    assert code == 0 and result["status"] == "graded"
    schema = next(c for c in result["checks"] if c["name"] == "schema")
    assert not schema["passed"] and "revenue" in schema["message"] and "float" in schema["message"]


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
