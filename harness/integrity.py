"""Is a submission from this variant? Evidence for a human, never a change of score.

When a variant is made, ``key/fingerprints.json`` keeps the sha256 of every bundle file
and of every file of the reference solution, and two sets of line hashes:

- ``spec_lines``: lines of the reference that carry this variant's specification (its
  windows, thresholds, lists, column names). They are found by rendering the reference
  with specifications drawn for other variants: a line that one of those renders lacks
  depends on the spec.
- ``foreign_lines``: lines those other renders have and this variant's bundle and
  reference do not: the same slots filled with another variant's values.

A submission built on another variant's solution carries foreign lines where this
variant's spec lines should be; a submission built on this bundle keeps this variant's.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from faultline.harness.archive import files_of, sha256_file

FINGERPRINTS = "fingerprints.json"
SCHEMA = "faultline.fingerprints/1"
# Specs drawn for the comparison renders: enough that most values of each spec field
# appear in at least one of them.
ALTERNATIVE_SPECS = 24
TEXT_SUFFIXES = frozenset({".py", ".md", ".txt", ".toml", ".cfg", ".ini"})
# Lines this short ("return out", ")") say nothing about a variant.
MIN_LINE = 8
# How much of the evidence lists result.json carries.
LISTED = 12


def _lines(paths: Iterable[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        if path.suffix not in TEXT_SUFFIXES:
            continue
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            line = line.strip()
            if len(line) >= MIN_LINE:
                found.add(hashlib.sha256(line.encode()).hexdigest()[:16])
    return found


def _pipeline_files(root: Path) -> list[Path]:
    folder = root / "pipeline"
    return files_of(folder) if folder.is_dir() else []


def _hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in files_of(root)}


def write_fingerprints(
    key: Path, *, variant_id: str, bundle: Path, solution: Path, alternatives: list[Path]
) -> None:
    """Write ``key/fingerprints.json`` (see the module's docstring)."""
    own = _lines(_pipeline_files(solution))
    seen = _lines(_pipeline_files(bundle)) | own
    others = [_lines(_pipeline_files(alt)) for alt in alternatives]
    union: set[str] = set().union(*others) if others else set()
    # A line every render has does not depend on the spec; one some render lacks does.
    common: set[str] = set.intersection(*others) if others else own
    doc = {
        "schema": SCHEMA,
        "variant": variant_id,
        "bundle": _hashes(bundle),
        "solution": _hashes(solution),
        "spec_lines": sorted(own - common),
        "foreign_lines": sorted(union - seen),
    }
    (key / FINGERPRINTS).write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")


def check(key_root: Path, workspace: Path) -> dict[str, Any]:
    """The ``integrity`` section of ``result.json`` for the submission in ``workspace``."""
    try:
        doc = json.loads((key_root / FINGERPRINTS).read_text())
        bundle: dict[str, str] = dict(doc["bundle"])
        solution: dict[str, str] = dict(doc["solution"])
        spec_lines = set(doc["spec_lines"])
        foreign_lines = set(doc["foreign_lines"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return {
            "variant_match": "unknown", "identical_to_reference": False,
            "evidence": [f"the key has no usable {FINGERPRINTS} ({type(exc).__name__})"],
        }
    files = _hashes(workspace)
    unchanged = sorted(r for r, h in bundle.items() if files.get(r) == h)
    as_reference = sorted(
        r for r, h in solution.items() if r in bundle and h != bundle[r] and files.get(r) == h
    )
    changed = sorted(r for r in bundle if r in files and files[r] not in (bundle[r], solution.get(r)))
    missing = sorted(r for r in bundle if r not in files)
    added = sorted(r for r in files if r not in bundle)
    # Files a candidate has no reason to edit: the sample data and the brief.
    anchors_changed = [r for r in changed if r.startswith("data/") or r == "README.md"]

    lines = _lines(_pipeline_files(workspace))
    own = len(spec_lines & lines)
    foreign = len(foreign_lines & lines)
    verdict = _verdict(own, len(spec_lines), foreign, anchors_changed)

    reference = {r: h for r, h in solution.items() if r.startswith("pipeline/")}
    submitted = {r: h for r, h in files.items() if r.startswith("pipeline/") and r.endswith(".py")}
    identical = bool(reference) and submitted == {r: h for r, h in reference.items() if r.endswith(".py")}

    evidence = [
        f"{len(unchanged)} of {len(bundle)} bundle files unchanged; {len(as_reference)} equal "
        f"this variant's reference; {len(changed)} changed; {len(missing)} missing; {len(added)} added",
        f"lines carrying this variant's specification found in pipeline/: {own} of {len(spec_lines)}",
        f"lines carrying another variant's specification found in pipeline/: {foreign}",
    ]
    if anchors_changed:
        evidence.append(
            "files the candidate had no reason to edit differ from this variant's bundle: "
            + ", ".join(anchors_changed[:LISTED])
        )
    if identical:
        evidence.append("pipeline/ is byte for byte this variant's reference solution")
    return {
        "variant_match": verdict,
        "identical_to_reference": identical,
        "evidence": evidence,
        "files": {
            "unchanged": unchanged[:LISTED], "equal_to_reference": as_reference[:LISTED],
            "changed": changed[:LISTED], "missing": missing[:LISTED], "added": added[:LISTED],
        },
        "spec_lines": {"this_variant": own, "of": len(spec_lines), "other_variants": foreign},
    }


def _verdict(own: int, total: int, foreign: int, anchors_changed: list[str]) -> str:
    """yes / no / unknown from the spec lines and the files nobody edits.

    "no" needs positive evidence of another variant: the sample data or the brief are
    another's, or a line of this variant's spec is gone while a line written for another
    spec stands (variants share most values, so one such line is telling). A pipeline
    rewritten from scratch carries neither variant's lines and stays "unknown".
    """
    if anchors_changed or (foreign >= 1 and own < total):
        return "no"
    if total and own >= 0.75 * total and foreign == 0:
        return "yes"
    return "unknown"
