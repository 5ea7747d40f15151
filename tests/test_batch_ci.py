"""The CI job files in docs/ci/ are valid YAML, and every `faultline` command in them parses
with the real CLI parser (variables expanded from the files' own env/variables)."""
from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml

from faultline.harness.batch.controller import RESULTS
from faultline.harness.cli import _parser
from tests.helpers import ROOT

CI = ROOT / "docs" / "ci"


def _commands(script: str, env: dict[str, str]) -> list[list[str]]:
    """Each `faultline ...` command of a shell script, variables expanded, as argv."""
    script = re.sub(r"\$\{\{\s*inputs\.(\w+)\s*\}\}", r"input-\1", script)  # GitHub expressions
    # An empty variable (GitLab's optional ONLY) stands for a value given when the job is run.
    script = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1)) or f"{m.group(1).lower()}-value", script)
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words: list[str] = []
        for token in [*lexer, ";"]:  # operators (&&, |, ;, >>) end a command
            if token and set(token) <= set("&|;<>()"):
                if words[:1] == ["faultline"]:
                    found.append(words[1:])
                words = []
            else:
                words.append(token)
    return found


def _github() -> tuple[list[list[str]], dict[str, Any]]:
    doc = yaml.safe_load((CI / "github-actions.yml").read_text())
    commands = []
    for job in doc["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                env = {**doc.get("env", {}), **job.get("env", {}), **step.get("env", {})}
                commands += _commands(step["run"], {k: str(v) for k, v in env.items()})
    return commands, doc


def _gitlab() -> tuple[list[list[str]], dict[str, Any]]:
    doc = yaml.safe_load((CI / "gitlab-ci.yml").read_text())
    commands = []
    for job in doc.values():
        if not isinstance(job, dict) or "script" not in job:
            continue
        env = {k: str(v) for k, v in {**doc.get("variables", {}), **job.get("variables", {})}.items()}
        for part in ("before_script", "script", "after_script"):
            for line in job.get(part, []):
                commands += _commands(line, env)
    return commands, doc


@pytest.mark.parametrize("load", [_github, _gitlab], ids=["github", "gitlab"])
def test_job_commands_parse_with_the_real_cli(load: Any) -> None:
    commands, _ = load()
    seen = set()
    for argv in commands:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exc:  # argparse's way of saying "not a valid command line"
            raise AssertionError(f"`faultline {' '.join(argv)}` does not parse") from exc
        seen.add(args.command)
        if args.command == "grade-batch":
            assert args.source.name == "manifest.csv" and args.jobs == 2
    assert {"image", "grade-batch", "gradebook", "grade"} <= seen


def test_reports_point_where_grade_batch_writes() -> None:
    _, gh = _github()
    paths = [s["with"]["report_paths"] for j in gh["jobs"].values() for s in j["steps"]
             if "action-junit-report" in s.get("uses", "")]
    grades = gh["jobs"]["grade-round"]["env"]["GRADES"]
    assert f"{grades}/{RESULTS}/*/junit.xml" in paths
    _, gl = _gitlab()
    assert gl["grade-round"]["artifacts"]["reports"]["junit"] == f"{gl['variables']['GRADES']}/{RESULTS}/*/junit.xml"


def test_command_extraction_catches_a_bad_flag() -> None:
    # The check above must be able to fail: a flag grade-batch lacks is caught.
    argv = _commands('faultline grade-batch "$R/manifest.csv" --out g --workers 2', {"R": "round"})[0]
    assert argv[:2] == ["grade-batch", "round/manifest.csv"]
    with pytest.raises(SystemExit):
        _parser().parse_args(argv)
