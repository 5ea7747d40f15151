"""Outcomes per test node id, read from a pytest JUnit XML report (``junit_family=xunit1``).

The report is written by a process that ran the candidate's code, so it is data to read
defensively: capped in size, parsed without entities (expat), and anything unexpected in
it is skipped rather than trusted.
"""
from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

MAX_REPORT_BYTES = 8 * 1024 * 1024
# The options that make pytest write the report this module reads: xunit1 keeps each test's
# file, from which the node id is rebuilt exactly.
JUNIT_OPTIONS = ("-o", "junit_family=xunit1", "-o", "junit_logging=no")

PASSED, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"


@dataclasses.dataclass(frozen=True)
class Report:
    outcomes: dict[str, str]  # node id -> passed | failed | error | skipped
    broken_files: frozenset[str]  # test files that failed to collect (their tests are unknown)


def read_report(path: Path) -> Report | None:
    """The report at ``path``; None when it is missing, too large or not a JUnit report."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_REPORT_BYTES:
            return None
        root = ET.fromstring(path.read_bytes())
    except (OSError, ET.ParseError):
        return None
    if root.tag not in ("testsuites", "testsuite"):
        return None
    outcomes: dict[str, str] = {}
    broken: set[str] = set()
    for case in root.iter("testcase"):
        file, classname, name = (case.get(a, "") for a in ("file", "classname", "name"))
        kids = {child.tag for child in case}
        if not classname and file:  # a collection error: pytest names the module, not a test
            broken.add(file)
            continue
        node = node_id(file, classname, name)
        if node is None:
            continue
        outcome = next((o for tag, o in _TAGS if tag in kids), PASSED)
        # A test reported twice (a teardown error after its call) keeps its worst outcome.
        if node not in outcomes or _RANK[outcome] > _RANK[outcomes[node]]:
            outcomes[node] = outcome
    return Report(outcomes=outcomes, broken_files=frozenset(broken))


_TAGS = (("failure", FAILED), ("error", ERROR), ("skipped", SKIPPED))
_RANK = {PASSED: 0, SKIPPED: 1, FAILED: 2, ERROR: 3}


def node_id(file: str, classname: str, name: str) -> str | None:
    """``tests/test_x.py::TestK::test_m[p]`` from xunit1's file, dotted classname and name."""
    if not file.endswith(".py") or not name:
        return None
    module = file[:-3].replace("/", ".")
    if classname == module:
        classes: list[str] = []
    elif classname.startswith(module + "."):
        classes = classname[len(module) + 1:].split(".")
    else:
        return None
    return "::".join([file, *classes, name])


def file_of(node: str) -> str:
    return node.split("::", 1)[0]
