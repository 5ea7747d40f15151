"""grade-batch with the local sandbox: a round graded in parallel, the gradebook, resuming
after a kill, regrading only what changed, and bad input. (Docker: test_batch_docker.py.)"""
from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from faultline.harness.sandbox.session import SESSION_ENV
from tests.batch_support import fixed_in, gradebook_rows, round_dir_fixture, submissions  # noqa: F401
from tests.helpers import ROOT, faultline


def _one_line_error(proc: subprocess.CompletedProcess[str], code: int) -> str:
    """The one error line; the warning `--sandbox local` prints may come before it."""
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if not line.startswith("faultline: warning:")]
    assert len(errors) == 1 and errors[0].startswith("faultline: "), proc.stderr
    return errors[0]


def test_round_has_a_variant_per_candidate_and_is_never_overwritten(round_dir: Path, tmp_path: Path) -> None:
    with (round_dir / "manifest.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["candidate"] for r in rows] == ["Ann Lee", "bob"]
    assert [r["key"] for r in rows] == ["Ann-Lee/key", "bob/key"]  # safe folder names, relative paths
    assert all(r["submission"] == "" for r in rows)
    ids = {json.loads((round_dir / f / "key" / "variant.json").read_text())["id"] for f in ("Ann-Lee", "bob")}
    assert len(ids) == 2  # a variant of their own each
    for folder in ("Ann-Lee", "bob"):
        assert (round_dir / folder / "candidate.zip").is_file() and (round_dir / folder / "candidate").is_dir()

    # Someone fills in a submission path; a rerun with the same CSV keeps both folders and that path.
    manifest = (round_dir / "manifest.csv").read_text().replace("Ann Lee,,", "Ann Lee,returned/ann.zip,")
    (round_dir / "manifest.csv").write_text(manifest)
    before = (round_dir / "bob" / "key" / "variant.json").read_bytes()
    listing = tmp_path / "again.csv"
    listing.write_text("candidate\nAnn Lee\nbob\n")
    proc = faultline("new", "retail-events", "--candidates", listing, "--out", round_dir, "--rows", "3000")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("kept") >= 2 and "made 0" in proc.stdout
    assert (round_dir / "bob" / "key" / "variant.json").read_bytes() == before
    assert "Ann Lee,returned/ann.zip,Ann-Lee/key" in (round_dir / "manifest.csv").read_text()
    (round_dir / "manifest.csv").write_text(manifest.replace("returned/ann.zip", ""))


def test_round_refuses_names_that_share_a_folder(tmp_path: Path) -> None:
    listing = tmp_path / "c.csv"
    listing.write_text("candidate\nAnn Lee\nann-lee\n")
    line = _one_line_error(faultline("new", "retail-events", "--candidates", listing, "--out", tmp_path / "r"), 2)
    assert "share the folder" in line
    listing.write_text("candidate,difficulty\nAnn\nBo,impossible\n")
    line = _one_line_error(faultline("new", "retail-events", "--candidates", listing, "--out", tmp_path / "r"), 2)
    assert "impossible" in line
    listing.write_text("name\nAnn\n")
    assert "candidate" in _one_line_error(
        faultline("new", "retail-events", "--candidates", listing, "--out", tmp_path / "r"), 2)
    assert not (tmp_path / "r").exists()


@pytest.fixture(scope="module")
def graded(round_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, set[str]]]:
    """Four submissions of two variants (one of each kind) graded with --jobs 2: (manifest, out, expected fixes)."""
    base = tmp_path_factory.mktemp("graded")
    manifest, expected = submissions(round_dir, base / "subs", 4)
    out = base / "out"
    proc = faultline("grade-batch", manifest, "--out", out, "--sandbox", "local", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    return manifest, out, expected


def test_batch_grades_each_candidate_once_and_records_it(graded: tuple[Path, Path, dict[str, set[str]]]) -> None:
    manifest, out, expected = graded
    rows = {r["candidate"]: r for r in gradebook_rows(out)}
    assert set(rows) == set(expected)
    for name, fixed in expected.items():
        assert rows[name]["status"] == "graded"
        assert fixed_in(rows[name]) == fixed, name
        result = json.loads((out / "results" / name / "result.json").read_text())
        assert result["score"] == rows[name]["score"]
        assert (out / "results" / name / "junit.xml").is_file()
    assert len({r["key_id"] for r in rows.values()}) == 2
    assert all(r["image_id"] == "local-sandbox" and r["version"] for r in rows.values())
    # The bundle returned untouched is flagged; the solution is not.
    table = faultline("gradebook", out).stdout
    line = {ln.split()[0]: ln for ln in table.splitlines()[2:]}
    assert "untouched-bundle" in line["cand-01"] and "untouched-bundle" not in line["cand-00"]

    # Rerun: nothing to do. A changed submission: only it is graded again.
    proc = faultline("grade-batch", manifest, "--out", out, "--sandbox", "local", "--jobs", "2")
    assert proc.returncode == 0 and "0 graded now, 4 already graded" in proc.stdout, proc.stdout
    changed = Path(next(r["submission"] for r in rows.values() if r["candidate"] == "cand-02"))
    (changed / "pipeline" / "notes.py").write_text("# looked at the windows again\n")
    proc = faultline("grade-batch", manifest, "--out", out, "--sandbox", "local")
    assert "1 graded now, 3 already graded" in proc.stdout, proc.stdout
    after = gradebook_rows(out)
    assert len(after) == 5  # the earlier row stays: a regrade never loses a result
    assert len([r for r in after if r["candidate"] == "cand-02"]) == 2


def test_only_and_regrade(graded: tuple[Path, Path, dict[str, set[str]]]) -> None:
    manifest, out, _ = graded
    before = {(r["candidate"], r["submission_sha256"]): r["finished_at"] for r in gradebook_rows(out)}
    proc = faultline("grade-batch", manifest, "--out", out, "--sandbox", "local", "--only", "cand-03",
                     "--regrade")
    assert proc.returncode == 0, proc.stderr
    assert "1 graded now" in proc.stdout and "[1/1] cand-03: graded" in proc.stdout  # plain lines: no TTY
    assert "cand-02" not in proc.stdout.split("---")[-1]  # the table lists only what was selected
    rows = gradebook_rows(out)
    assert len(rows) == len(before)  # replaced in place, same inputs
    assert all(r["finished_at"] == before[(r["candidate"], r["submission_sha256"])]
               for r in rows if r["candidate"] != "cand-03")


def test_gradebook_export_csv_and_json(graded: tuple[Path, Path, dict[str, set[str]]], tmp_path: Path) -> None:
    _, out, expected = graded
    target = tmp_path / "book.csv"
    proc = faultline("gradebook", out, "--csv", target)
    assert proc.returncode == 0, proc.stderr
    with target.open() as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["candidate"] for r in rows) == sorted(expected)  # one row per candidate
    fault_columns = [c for c in rows[0] if c.startswith("fault:")]
    assert len(fault_columns) >= 3  # the union of both variants' faults
    for row in rows:
        fixed = {c.removeprefix("fault:") for c in fault_columns if row[c] == "1"}
        assert fixed == expected[row["candidate"]]
        assert float(row["run_seconds"]) > 0 and row["submission_sha256"]
    docs = json.loads(faultline("gradebook", out, "--json").stdout)
    assert {d["candidate"] for d in docs} == set(expected)


def test_step_summary_written_when_github_sets_it(graded: tuple[Path, Path, dict[str, set[str]]],
                                                 tmp_path: Path) -> None:
    manifest, out, expected = graded
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    proc = subprocess.run([sys.executable, "-m", "faultline", "grade-batch", str(manifest), "--out", str(out),
                           "--sandbox", "local"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    text = summary.read_text()
    assert text.startswith("earlier step\n")  # appended, as GitHub expects
    assert "| candidate | score | status | flags |" in text
    for name in expected:
        assert f"| {name} |" in text
    assert (out / "summary.md").read_text() in text


def _start(manifest: Path, out: Path, session: str | None = None) -> subprocess.Popen[str]:
    # Its own process group, as a shell job is: the kill reaches the controller and its workers.
    env = {**os.environ, SESSION_ENV: session} if session else None
    return subprocess.Popen(
        [sys.executable, "-m", "faultline", "grade-batch", str(manifest), "--out", str(out), "--sandbox", "local",
         "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env=env,
    )


def _wait_for_rows(proc: subprocess.Popen[str], out: Path, at_least: int) -> None:
    deadline = time.monotonic() + 240
    while len(gradebook_rows(out)) < at_least:
        assert proc.poll() is None, "grade-batch ended before it could be killed"
        assert time.monotonic() < deadline, "no result was committed in time"
        time.sleep(0.1)


# Ctrl-C (SIGINT) on every `make test`; a kill -9 resumes the same way, in the slow sweep.
@pytest.mark.parametrize("how", [
    pytest.param(signal.SIGKILL, id="SIGKILL", marks=pytest.mark.slow),
    pytest.param(signal.SIGINT, id="SIGINT"),
])
def test_killed_midway_loses_nothing_and_resumes(round_dir: Path, tmp_path: Path, how: signal.Signals) -> None:
    manifest, expected = submissions(round_dir, tmp_path / "subs", 4)
    out = tmp_path / "out"
    # A session id of its own: what the killed batch leaves (the local sandbox's runs are in
    # sessions of their own and finish after the kill) is never taken for another test's leftovers.
    killed = f"k{uuid.uuid4().hex[:12]}"
    proc = _start(manifest, out, killed)
    _wait_for_rows(proc, out, 1)
    os.killpg(proc.pid, how)
    _, stderr = proc.communicate(timeout=120)
    if how is signal.SIGINT:
        assert proc.returncode == 130 and "Traceback" not in stderr, stderr
        assert "interrupted" in stderr
    else:
        assert proc.returncode == -signal.SIGKILL
    kept = gradebook_rows(out)
    assert 1 <= len(kept) < len(expected), "the kill did not land midway"
    for row in kept:  # every committed row has its result folder, complete
        doc = json.loads((Path(str(row["result_path"])) / "result.json").read_text())
        assert doc["score"] == row["score"]

    rerun = faultline("grade-batch", manifest, "--out", out, "--sandbox", "local", "--jobs", "2")
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(expected) - len(kept)} graded now, {len(kept)} already graded" in rerun.stdout
    rows = gradebook_rows(out)
    assert sorted(r["candidate"] for r in rows) == sorted(expected)
    assert {r["candidate"]: r["finished_at"] for r in rows if r["candidate"] in {k["candidate"] for k in kept}} == \
        {k["candidate"]: k["finished_at"] for k in kept}  # what was done before the kill was not redone
    assert not [p for p in (out / "results").iterdir() if p.name.startswith(".")]  # no half-written folder
    for left in Path(tempfile.gettempdir()).glob(f"faultline-{killed}-*"):  # what a kill -9 cannot remove
        shutil.rmtree(left, ignore_errors=True)
    for name, fixed in expected.items():
        assert fixed_in(next(r for r in rows if r["candidate"] == name)) == fixed


def test_bad_input_is_one_line(graded: tuple[Path, Path, dict[str, set[str]]], tmp_path: Path) -> None:
    manifest, out, _ = graded
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "a.zip").write_bytes(b"PK")
    assert "--key" in _one_line_error(faultline("grade-batch", folder, "--out", tmp_path / "o"), 2)
    assert "unknown candidate" in _one_line_error(
        faultline("grade-batch", manifest, "--out", out, "--sandbox", "local", "--only", "nobody"), 2)
    broken = tmp_path / "m.csv"
    broken.write_text(f"candidate,submission,key\nzed,{tmp_path / 'missing.zip'},{tmp_path}\n")
    assert "does not exist" in _one_line_error(faultline("grade-batch", broken, "--out", tmp_path / "o"), 2)
    broken.write_text("candidate,key\nzed,k\n")
    assert "submission" in _one_line_error(faultline("grade-batch", broken, "--out", tmp_path / "o"), 2)
    assert "--memory" in _one_line_error(
        faultline("grade-batch", manifest, "--out", out, "--sandbox", "local", "--memory", "1g"), 2)
    assert "--jobs" in _one_line_error(faultline("grade-batch", manifest, "--out", out, "--jobs", "0"), 2)
    assert "no gradebook" in _one_line_error(faultline("gradebook", tmp_path), 2)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "gradebook.sqlite").write_text("not a database")
    assert "not a usable gradebook" in _one_line_error(faultline("gradebook", tmp_path / "bad"), 2)
    assert not (tmp_path / "o").exists()  # refused before anything was written


def test_progress_bar_only_on_a_terminal(graded: tuple[Path, Path, dict[str, set[str]]]) -> None:
    import pty

    manifest, out, _ = graded
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "faultline", "grade-batch", str(manifest), "--out", str(out), "--sandbox", "local",
         "--only", "cand-00", "--regrade"], cwd=ROOT, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=300) == 0
    screen = b"".join(chunks).decode(errors="replace")
    assert "cand-00: graded" in screen and "candidate  score" in screen
    assert "[1/1]" not in screen  # the plain-line form is for pipes and logs only
    assert "\x1b[" in screen  # the bar draws with terminal control sequences


def test_deadline_reaches_the_sandbox_limits() -> None:
    import dataclasses

    from faultline.harness.cli import _batch_limits, _parser
    from faultline.harness.errors import UsageError
    from faultline.harness.sandbox.base import Limits

    args = _parser().parse_args(["grade-batch", "m.csv", "--out", "o", "--deadline", "30", "--timeout", "9"])
    if "deadline" in {f.name for f in dataclasses.fields(Limits)}:
        limits = _batch_limits(args)
        assert limits.deadline == 30 and limits.timeout == 9  # type: ignore[attr-defined]
    else:  # until the sandbox has an overall deadline, the flag says so instead of being ignored
        with pytest.raises(UsageError, match="deadline"):
            _batch_limits(args)


def test_folder_of_submissions_with_one_key(round_dir: Path, tmp_path: Path) -> None:
    import shutil

    from tests.helpers import copy_tree

    key = round_dir / "bob" / "key"
    folder = tmp_path / "returned"
    folder.mkdir()
    shutil.copyfile(round_dir / "bob" / "candidate.zip", folder / "dora.zip")
    shutil.rmtree(copy_tree(key / "solution", folder / "eve") / "data")
    out = folder / "grades"  # the results folder among the submissions is never graded itself
    for _ in range(2):
        proc = faultline("grade-batch", folder, "--key", key, "--out", out, "--sandbox", "local")
        assert proc.returncode == 0, proc.stderr
    assert "0 graded now, 2 already graded" in proc.stdout
    rows = {r["candidate"]: r for r in gradebook_rows(out)}
    assert set(rows) == {"dora", "eve"}
    assert rows["eve"]["score"] == rows["eve"]["max_score"] and rows["dora"]["score"] < rows["dora"]["max_score"]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_dead_worker_is_an_infrastructure_error_retried_next_run(round_dir: Path, tmp_path: Path) -> None:
    manifest, expected = submissions(round_dir, tmp_path / "subs", 4)
    out = tmp_path / "out"
    proc = _start(manifest, out)
    deadline = time.monotonic() + 120
    while not (workers := _children(proc.pid)) or not any(_children(w) for w in workers):
        assert time.monotonic() < deadline and proc.poll() is None, "no worker started grading"
        time.sleep(0.05)
    busy = next(w for w in workers if _children(w))
    os.kill(busy, signal.SIGKILL)  # as the host's OOM killer would
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 3, (stdout, stderr)
    assert "infrastructure errors" in stderr and "worker process died" in stderr and "Traceback" not in stderr
    failed = [r for r in gradebook_rows(out) if r["status"] == "infrastructure_error"]
    assert failed and all(r["score"] is None for r in failed)  # never a zero for the candidate

    rerun = faultline("grade-batch", manifest, "--out", out, "--sandbox", "local", "--jobs", "2")
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(failed)} graded now" in rerun.stdout
    done = {r["candidate"] for r in gradebook_rows(out) if r["status"] == "graded"}
    assert done == set(expected)
