from __future__ import annotations

import json

from faultline.exercises.registry import EXERCISES
from faultline.harness.errors import ExitCode


def catalogue() -> dict[str, object]:
    return {
        "exercises": [
            {
                "id": ex.ID,
                "title": ex.TITLE,
                "difficulties": list(ex.DIFFICULTIES),
                "faults": [
                    {"id": f.ID, "family": f.FAMILY, "title": f.TITLE} for f in ex.FAULTS.values()
                ],
            }
            for ex in EXERCISES.values()
        ]
    }


def list_(*, as_json: bool) -> int:
    doc = catalogue()
    if as_json:
        print(json.dumps(doc, indent=2))
        return ExitCode.OK
    for ex in EXERCISES.values():
        print(f"{ex.ID}  {ex.TITLE}  (difficulties: {', '.join(ex.DIFFICULTIES)})")
        for fault in ex.FAULTS.values():
            print(f"  {fault.ID:<26} {fault.FAMILY:<15} {fault.TITLE}")
    return ExitCode.OK
