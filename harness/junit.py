"""JUnit XML written by faultline from the result, never by the graders' pytest.

One test case per fault and one for the regression check, points as properties, the
verdict's message only: no grader source, no object reprs, no key material (messages
carry counts and column names, never hidden values or seeds). A submission that was not
graded (rejected, unrunnable, or an infrastructure error) gets one error test case.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from faultline.harness.result import Result, Status

SUITE = "faultline"


def unrunnable(doc: dict[str, Any]) -> bool:
    """Graded, but nothing ran to completion: no run at all, or every run failed."""
    runs = doc.get("runs") or []
    return doc["status"] == Status.GRADED.value and (not runs or all(r["exit_code"] != 0 for r in runs))


def render(result: Result) -> str:
    doc = result.doc
    suite = ET.Element("testsuite", name=SUITE)
    props = ET.SubElement(suite, "properties")
    for name in ("variant", "exercise", "status", "score", "max_score"):
        ET.SubElement(props, "property", name=name, value=str(doc.get(name)))
    classname = f"{SUITE}.{doc['exercise']}"
    if result.status is not Status.GRADED or unrunnable(doc):
        case = ET.SubElement(suite, "testcase", classname=classname, name="grade")
        ET.SubElement(case, "error", message=_clip(doc.get("message") or doc["status"]))
        counts = {"tests": 1, "failures": 0, "errors": 1}
    else:
        failures = 0
        for fault in doc["faults"]:
            case = ET.SubElement(suite, "testcase", classname=classname, name=f"fault_fixed[{fault['id']}]")
            _properties(case, points=fault["points"], max_points=fault["max_points"])
            if not fault["fixed"]:
                failures += 1
                ET.SubElement(case, "failure", message=_clip(fault["message"]))
        check = next(c for c in doc["checks"] if c["name"] == "no_regression")
        schema = next(c for c in doc["checks"] if c["name"] == "schema")
        case = ET.SubElement(suite, "testcase", classname=classname, name="no_regression")
        _properties(case, deduction=check["deduction"] + schema["deduction"])
        if not (check["passed"] and schema["passed"]):
            failures += 1
            words = [c["message"] for c in (check, schema) if not c["passed"] and c["message"]]
            ET.SubElement(case, "failure", message=_clip("; ".join(words) or "the output differs"))
        counts = {"tests": len(doc["faults"]) + 1, "failures": failures, "errors": 0}
    for name, value in counts.items():
        suite.set(name, str(value))
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _properties(case: ET.Element, **values: int) -> None:
    props = ET.SubElement(case, "properties")
    for name, value in values.items():
        ET.SubElement(props, "property", name=name, value=str(value))


def _clip(text: str) -> str:
    return " ".join(str(text).split())[:500]
