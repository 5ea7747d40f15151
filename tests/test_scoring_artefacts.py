"""Honest artefacts, through the real CLI on a synthetic key: result.json, junit.xml, --out, key checks."""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from faultline.harness.cli import main
from tests.scoring_key import copier, make_key, reference, write


def _cli(*args: object) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, err.getvalue()


def _grade(submission: Path, key: Path, out: Path, *extra: object) -> tuple[int, str]:
    return _cli("grade", submission, "--key", key, "--out", out, "--sandbox", "local", *extra)


def _errors(err: str) -> list[str]:
    """stderr without the warning --sandbox local always prints."""
    return [line for line in err.splitlines() if not line.startswith("faultline: warning:")]


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return make_key(tmp_path)


def _submission(root: Path, frame_rows: slice | None = None, *, round_score: bool = False) -> Path:
    """A workspace whose pipeline writes (part of) the reference, optionally with rounded scores."""
    frame = reference()
    if frame_rows is not None:
        frame = frame.drop(index=frame.index[frame_rows])
    if round_score:
        frame = frame.assign(score=frame["score"].round(1))
    return copier(root / "ws", write(frame, root / "payload.parquet"))


def _cases(out: Path) -> dict[str, ET.Element]:
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    return {case.attrib["name"]: case for case in suite.iter("testcase")}


def test_junit_has_one_case_per_fault_and_one_for_the_regression(key: Path, tmp_path: Path) -> None:
    code, _ = _grade(_submission(tmp_path, slice(10, 12), round_score=True), key, tmp_path / "out")
    assert code == 0
    cases = _cases(tmp_path / "out")
    assert set(cases) == {"fault_fixed[f1]", "fault_fixed[f2]", "no_regression"}
    points = {p.attrib["name"]: p.attrib["value"] for p in cases["fault_fixed[f1]"].iter("property")}
    assert points == {"points": "10", "max_points": "10"}
    assert cases["fault_fixed[f1]"].find("failure") is None
    failure = cases["fault_fixed[f2]"].find("failure")
    assert failure is not None and "own value" in failure.attrib["message"]
    assert cases["no_regression"].find("failure") is not None
    text = (tmp_path / "out" / "junit.xml").read_text()
    # The message only: no grader source, no reprs, no key material.
    for leak in ("def ", "assert ", "Traceback", "object at 0x", "u011", "variant.json", "seed"):
        assert leak not in text, leak


def test_result_records_the_submission_and_the_score_parts(key: Path, tmp_path: Path) -> None:
    ws = _submission(tmp_path, round_score=True)
    archive = tmp_path / "submission.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(ws.rglob("*")):
            zf.write(path, path.relative_to(ws).as_posix())
    code, _ = _grade(archive, key, tmp_path / "out")
    doc = json.loads((tmp_path / "out" / "result.json").read_text())
    assert code == 0 and doc["schema"] == "faultline.result/2"
    assert doc["submission"]["name"] == "submission.zip"
    assert doc["submission"]["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert doc["submission"]["graded_at"].endswith("Z")
    # Both faults fixed; rounding a float column is a regression, deducted.
    assert doc["score_parts"]["faults"] == 20
    assert doc["score_parts"]["regression"] < 0
    assert doc["score"] == 20 + doc["score_parts"]["regression"]
    check = next(c for c in doc["checks"] if c["name"] == "no_regression")
    assert check["datasets"]["h1"]["columns"] == {"score": check["datasets"]["h1"]["cells"]}
    assert check["datasets"]["h1"]["examples"][0]["column"] == "score"


def test_a_rejected_submission_replaces_an_earlier_runs_files(key: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _grade(_submission(tmp_path), key, out)[0] == 0
    assert "<failure" not in (out / "junit.xml").read_text()
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../escape.py", "x = 1\n")
    junit = tmp_path / "elsewhere" / "j.xml"
    code, _ = _grade(evil, key, out, "--junit", junit)
    doc = json.loads((out / "result.json").read_text())
    assert code == 0 and doc["status"] == "rejected" and doc["score"] == 0
    for target in (out / "junit.xml", junit):
        suite = ET.parse(target).getroot().find("testsuite")
        assert suite is not None
        [case] = list(suite.iter("testcase"))
        assert case.find("error") is not None


def test_an_unrunnable_submission_gets_one_error_case(key: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "pipeline").mkdir(parents=True)
    (ws / "pipeline" / "__init__.py").write_text("")
    assert _grade(ws, key, tmp_path / "out")[0] == 0
    assert set(_cases(tmp_path / "out")) == {"grade"}


def test_out_with_foreign_files_is_refused_and_left_alone(key: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    (out / "junit.xml").write_text("<old/>")
    code, err = _grade(_submission(tmp_path), key, out)
    assert code == 2 and len(_errors(err)) == 1 and "notes.txt" in _errors(err)[0]
    assert (out / "notes.txt").read_text() == "mine\n"
    assert (out / "junit.xml").read_text() == "<old/>"


@pytest.mark.parametrize("damage", ["no fault values", "corrupt footprint", "old key format", "bad kind"])
def test_a_damaged_key_is_refused_before_anything_runs(key: Path, tmp_path: Path, damage: str) -> None:
    doc = json.loads((key / "variant.json").read_text())
    if damage == "no fault values":
        (key / "fault_values" / "h1" / "f2.parquet").unlink()
    elif damage == "corrupt footprint":
        (key / "footprints" / "h1" / "f1.parquet").write_bytes(b"PAR1 broken PAR1")
    elif damage == "old key format":
        doc["key_format"] = 1
    else:
        doc["columns"][2]["kind"] = "currency"
    (key / "variant.json").write_text(json.dumps(doc))
    marker = tmp_path / "ran"
    ws = _submission(tmp_path)
    (ws / "pipeline" / "__main__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    code, err = _grade(ws, key, tmp_path / "out")
    assert code == 2, err
    [line] = _errors(err)
    assert line.startswith("faultline: ") and "Traceback" not in err
    assert not marker.exists(), "the submission ran although the key was bad"
