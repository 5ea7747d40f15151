"""The debrief and the candidate's feedback page, as a person sees them in a browser.

Per exercise, three submissions made here and graded through the real CLI: the reference
solution, the untouched bundle, and the reference with the candidate's notes (holding a
script that must stay text) and a test file of their own. The pages are opened in headless
Chromium and the assertions read the rendered text, not the HTML source.
"""
from __future__ import annotations

import html.parser
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faultline.exercises.registry import EXERCISES
from faultline.harness.debrief.followups import questions
from tests.helpers import copy_tree, grade_local, variant_doc

# A script that would retitle the page if it ever ran; as text it is harmless.
HOSTILE_NOTES = """# What happened

<script>document.title = "PWNED"</script>
<img src=x onerror="document.title='PWNED'">

- the user ids lost their **leading zeros**
- blast radius: every day since the `users.csv` change
"""
CANDIDATE_TEST = '''def test_guards_the_incident():
    assert True


def test_second_guard():
    assert 1 + 1 == 2
'''


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "headless Chromium is needed to check the pages (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this is a failure, not a skip")
    pytest.skip(f"{reason}; not installed and CI is unset")


# Elements that break the text flow, as a browser's innerText would.
_BLOCKS = frozenset({"p", "li", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "div",
                     "section", "br", "pre", "ul", "ol", "blockquote", "span"})


class _Text(html.parser.HTMLParser):
    """Visible text of a DOM dump, whitespace collapsed; counts elements by tag."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: dict[str, int] = {}
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self._skip += tag in ("style", "script")
        self._in_title = tag == "title"
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")
        self._in_title = False
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def render(page: Path, profile: Path) -> _Text:
    """Open ``page`` in headless Chromium and parse the DOM it ends up with."""
    proc = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
         "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0 and "<html" in proc.stdout, proc.stderr[-2000:]
    parsed = _Text()
    parsed.feed(proc.stdout)
    return parsed


def norm(text: str) -> str:
    return " ".join(text.split())


# One worker per exercise builds and grades its variant once (xdist would otherwise rebuild
# it on each worker that runs one of the tests below).
@pytest.fixture(scope="module", params=[pytest.param(e, marks=pytest.mark.xdist_group(f"debrief-{e}"))
                                        for e in sorted(EXERCISES)])
def graded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
    small_variant: Path, small_variant_of: Callable[[str], Path],
) -> dict[str, Any]:
    """The shared small variant of one exercise and its three graded submissions."""
    exercise = request.param
    tmp = tmp_path_factory.mktemp(f"debrief-{exercise}")
    # retail-events: the variant most fast tests share; the others' small variants.
    root = small_variant if exercise == "retail-events" else small_variant_of(exercise)
    key = root / "key"
    noted = copy_tree(key / "solution", tmp / "noted")
    (noted / "NOTES.md").write_text(HOSTILE_NOTES)
    (noted / "tests" / "test_incident.py").write_text(CANDIDATE_TEST)
    (noted / "notes-link.md").symlink_to("NOTES.md")  # inside the submission: left out with a warning
    submissions = {"reference": key / "solution", "bundle": root / "candidate.zip", "noted": noted}
    results = {}
    for name, submission in submissions.items():
        code, result = grade_local(submission, key, tmp / f"out-{name}", "--feedback", "candidate")
        assert code == 0 and result["status"] == "graded", result
        results[name] = result
    return {"exercise": exercise, "key": key, "tmp": tmp, "doc": variant_doc(key), "results": results,
            "out": {name: tmp / f"out-{name}" for name in submissions}}


def test_reference_and_bundle_verdicts_render(graded: dict[str, Any]) -> None:
    doc, tmp = graded["doc"], graded["tmp"]
    for name, expected in (("reference", "fixed"), ("bundle", "not fixed")):
        fixed = {f["id"]: f["fixed"] for f in graded["results"][name]["faults"]}
        assert set(fixed.values()) == {expected == "fixed"}, (name, fixed)  # the grade agrees first
        page = render(graded["out"][name] / "debrief.html", tmp / f"profile-{name}")
        for i, fault in enumerate(doc["faults"], 1):
            assert f"{i}. {fault['id']} {expected} " in page.text, (name, fault["id"])
            assert norm(fault["ticket"]) in page.text
            assert norm(fault["explanation"]) in page.text
        assert f"Variant {doc['id']}" in page.text
        assert f"Difficulty {doc['difficulty']}" in page.text
        result = graded["results"][name]
        assert f"Score {result['score']} / {result['max_score']}" in page.text
        for export in result["signals"]["poisoned"]["datasets"]:
            assert f"{export['dataset']} {export['kind']} {export['outcome']}" in page.text, export
        # Measured: their tests/ are the bundle's public tests, which never count.
        assert "The candidate's own tests the submission's tests/ are the bundle's, unchanged" in page.text


def test_bundle_shows_no_changes_and_reference_shows_hunks_at_every_site(graded: dict[str, Any]) -> None:
    doc, tmp = graded["doc"], graded["tmp"]
    bundle = render(graded["out"]["bundle"] / "debrief.html", tmp / "profile-b2")
    assert "The submission is identical to the bundle." in bundle.text
    assert bundle.text.count("No change of the candidate touches this fault's sites") == len(doc["faults"])
    reference = render(graded["out"]["reference"] / "debrief.html", tmp / "profile-r2")
    assert "No change of the candidate touches this fault's sites" not in reference.text
    for fault in doc["faults"]:
        for site in fault["sites"]:
            assert f"{site['file']} @@ -" in reference.text  # a hunk header of the site's file


def test_followup_questions_render_for_every_fault(graded: dict[str, Any]) -> None:
    doc = graded["doc"]
    page = render(graded["out"]["bundle"] / "debrief.html", graded["tmp"] / "profile-q")
    markdown = (graded["out"]["bundle"] / "debrief.md").read_text()
    for fault in doc["faults"]:
        asked = questions(doc["exercise"], fault["id"], fault["params"], doc.get("spec"))
        assert 3 <= len(asked) <= 5, fault["id"]
        for question in asked:
            assert norm(question) in page.text
            assert norm(question).replace("|", "\\|") in norm(markdown)


def test_notes_are_text_and_candidate_tests_are_listed(graded: dict[str, Any]) -> None:
    page = render(graded["out"]["noted"] / "debrief.html", graded["tmp"] / "profile-n")
    assert '<script>document.title = "PWNED"</script>' in page.text  # shown, as text
    assert "<img src=x" in page.text
    assert "PWNED" not in page.title and page.tags.get("script", 0) == 0 and page.tags.get("img", 0) == 0
    assert "the user ids lost their leading zeros" in page.text  # the Markdown list was rendered
    assert "tests/test_incident.py (added): test_guards_the_incident, test_second_guard" in page.text
    assert "NOTES.md added" in page.text and "tests/test_incident.py added" in page.text
    assert "Left out when taken in:" in page.text and "notes-link.md" in page.text
    markdown = (graded["out"]["noted"] / "debrief.md").read_text()
    assert '<script>document.title = "PWNED"</script>' in markdown.split("```text", 1)[1]  # fenced, inert


def test_debrief_loads_nothing_from_the_network(graded: dict[str, Any]) -> None:
    source = (graded["out"]["noted"] / "debrief.html").read_text()
    for needle in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src=\"http", "href=\"http"):
        assert needle not in source, needle


def test_feedback_page_holds_tickets_and_nothing_from_the_key(graded: dict[str, Any]) -> None:
    doc, key, tmp = graded["doc"], graded["key"], graded["tmp"]
    for name, resolved in (("reference", len(doc["faults"])), ("bundle", 0)):
        path = graded["out"][name] / "feedback.html"
        page = render(path, tmp / f"profile-f-{name}")
        source = path.read_text()
        assert f"{resolved} of {len(doc['faults'])} tickets resolved" in page.text
        for i, fault in enumerate(doc["faults"], 1):
            status = "resolved" if resolved else "not resolved"
            assert f"Ticket {i} {status} {norm(fault['ticket'])}" in page.text
        secrets = list(EXERCISES[doc["exercise"]].FAULTS)
        secrets += [f["title"] for f in doc["faults"]] + [norm(f["explanation"]) for f in doc["faults"]]
        secrets += [str(key), str(key.resolve()), "hidden/", "footprint", "solution", doc["seed"], doc["id"]]
        secrets += [f"{s['file']}:{s['line']}" for f in doc["faults"] for s in f["sites"]]
        for secret in secrets:
            assert secret not in source and secret not in page.text, secret


def test_markdown_debrief_has_verdicts(graded: dict[str, Any]) -> None:
    doc = graded["doc"]
    for name, verdict in (("reference", "fixed"), ("bundle", "not fixed")):
        markdown = (graded["out"][name] / "debrief.md").read_text()
        for i, fault in enumerate(doc["faults"], 1):
            assert f"## {i}. {fault['id']}: {verdict}\n" in markdown


def test_runs_show_the_references_time_beside_the_candidates(graded: dict[str, Any]) -> None:
    result = json.loads((graded["out"]["reference"] / "result.json").read_text())
    measured = {r["dataset"]: r for r in result["reference_runs"]}
    assert set(measured) == {r["dataset"] for r in result["runs"]}
    assert all(r["exit_code"] == 0 and r["wall_seconds"] > 0 and r["peak_memory_bytes"] > 0 for r in measured.values())
    markdown = (graded["out"]["reference"] / "debrief.md").read_text()
    for run in result["runs"]:
        assert f"- Run {run['dataset']}: exit 0, " in markdown
        assert "(reference " in markdown.split(f"- Run {run['dataset']}:")[1].splitlines()[0]


def test_signals_render_when_result_has_them(graded: dict[str, Any], tmp_path: Path) -> None:
    """A result.json with signals.tests and signals.poisoned (as issue 9 describes) shows both."""
    from faultline.harness.debrief import write_debrief

    doc = graded["doc"]
    first, *rest = [f["id"] for f in doc["faults"]]
    result = json.loads(json.dumps(graded["results"]["noted"]))
    result["signals"] = {
        "tests": {"faults": {first: {"caught": True, "tests": ["tests/test_incident.py::test_guards_the_incident"]},
                             **{fid: {"caught": False, "tests": []} for fid in rest}},
                  "points": 0, "max_points": 0},
        "poisoned": {"datasets": [
            {"dataset": "p-unknown-unit", "kind": "invalid", "outcome": "refused", "message": "unknown unit 'furlong'"},
            {"dataset": "p-empty-day", "kind": "valid", "outcome": "silently wrong", "message": ""},
        ], "points": 5, "max_points": 10},
    }
    write_debrief(result, key_dir=graded["key"], submission=graded["tmp"] / "noted", out=tmp_path)
    page = render(tmp_path / "debrief.html", tmp_path / "profile")
    assert f"{first} caught tests/test_incident.py::test_guards_the_incident" in page.text
    assert all(f"{fid} not caught" in page.text for fid in rest)
    assert "p-unknown-unit invalid refused unknown unit 'furlong'" in page.text
    assert "p-empty-day valid silently wrong" in page.text
    assert "poisoned 5/10" in page.text
    assert "Not measured in this grade." not in page.text


def test_rejected_submission_gets_a_debrief_without_files(graded: dict[str, Any], tmp_path: Path) -> None:
    hostile = tmp_path / "escape.zip"
    with zipfile.ZipFile(hostile, "w") as zf:
        zf.writestr("candidate/pipeline/__main__.py", "print('hi')\n")
        zf.writestr("../outside.txt", "escape")
    code, result = grade_local(hostile, graded["key"], tmp_path / "out", "--feedback", "candidate")
    assert code == 0 and result["status"] == "rejected", result
    page = render(tmp_path / "out" / "debrief.html", tmp_path / "profile")
    assert "The submission was not taken in: " in page.text
    assert all(f"{i}. {f['id']} not graded" in page.text for i, f in enumerate(graded["doc"]["faults"], 1))
    feedback = render(tmp_path / "out" / "feedback.html", tmp_path / "profile-f")
    assert "Your submission could not be graded" in feedback.text and "not graded" in feedback.text
