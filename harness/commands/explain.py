from __future__ import annotations

from pathlib import Path

from faultline.harness.errors import ExitCode
from faultline.harness.keyfile import load_key


def explain(*, key: Path, diff: bool) -> int:
    k = load_key(key)
    doc = k.doc
    print(f"variant {doc['id']} of {doc['exercise']} ({doc.get('difficulty', '?')}), seed {doc['seed']}")
    for i, fault in enumerate(doc["faults"], 1):
        print(f"\n{i}. {fault['id']} ({fault['family']}, {fault.get('points', 10)} points)")
        print(f"   ticket:  {fault.get('ticket') or '(none: found from the contract and the data alone)'}")
        for site in fault.get("sites", []):
            print(f"   site:    {site['file']}:{site['line']}")
        print(f"   params:  {fault.get('params', {})}")
        print(f"   cause and fix: {fault.get('explanation', '')}")
    patch = key / "bundle.diff"
    if diff and patch.is_file():
        print(f"\nDiff from the solution to the bundle ({patch}):\n")
        print(patch.read_text())
    return ExitCode.OK
